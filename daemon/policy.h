/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The collapse policy: when to collapse, how much at a time, when to back
 * off.  A pure state machine: it does no I/O and reads no clock.  The main
 * loop feeds it inputs (a split event, lost events, the result of a request
 * it asked for, the expiry of its deadline), each stamped with the
 * CLOCK_MONOTONIC time in nanoseconds, and asks it two things: the next
 * deadline (policy_deadline()) and, when that deadline has come, the one
 * action to take (policy_tick()).  Every request the daemon makes to the
 * kernel comes out of policy_tick(), one per loop iteration, so events are
 * serviced between collapse steps.
 *
 *          split             quiet_period passed       gain >= min_gain
 *   IDLE ---------> SETTLING ------------------> CHECKING -------------> COLLAPSING
 *    ^  ^              ^  |  (split: restart the wait)  |                 |   |
 *    |  |              |  +-----------------------------+                 |   |
 *    |  +--------------|----- gain < min_gain (skip) ---+                 |   |
 *    |                 +------- split (stop stepping) --------------------+   |
 *    +------------------------- last step done (no cursor) -------------------+
 *
 *   DEGRADED: no linmap family, or the system cannot collapse.  No deadline
 *   but a re-probe every resync_interval (and one on SIGHUP).
 */
#ifndef COLLAPSED_POLICY_H
#define COLLAPSED_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#include <libcollapse.h>

#include "config.h"

#define POLICY_NO_DEADLINE	UINT64_MAX
#define POLICY_REASON_MAX	192

enum policy_state {
	POLICY_STARTING,	/* not probed yet */
	POLICY_IDLE,		/* nothing to do: sleeping until a split */
	POLICY_SETTLING,	/* splits seen: waiting for quiet */
	POLICY_CHECKING,	/* quiet: get-stats asked to see the gain */
	POLICY_COLLAPSING,	/* collapse steps under way */
	POLICY_DEGRADED,	/* cannot collapse here (see reason) */
};

/* The one thing policy_tick() asks the main loop to do. */
enum policy_action_kind {
	POLICY_ACT_NONE,
	POLICY_ACT_PROBE,	/* (re)open the family and read get-caps */
	POLICY_ACT_GET_STATS,	/* get-stats over the whole map */
	POLICY_ACT_COLLAPSE,	/* one budgeted collapse step */
};

struct policy_action {
	enum policy_action_kind kind;
	/* POLICY_ACT_COLLAPSE: the request to send. */
	struct lc_collapse_req req;
};

/* Why a collapse that was due did not run. */
enum policy_skip {
	POLICY_SKIP_LOW_GAIN,	/* leaves - ideal below min_gain */
	POLICY_SKIP_INTERRUPTED,	/* splits arrived while stepping */
	POLICY_SKIP_FAILED,	/* a step failed */
	POLICY_SKIP_NR
};

struct policy {
	/* Configuration in force (durations in ns). */
	uint64_t quiet_period, quiet_period_max, pingpong_window;
	uint64_t resync_interval, budget, min_gain;
	uint64_t steady_interval, steady_cpu;

	enum policy_state state;
	char degraded_reason[POLICY_REASON_MAX];
	uint64_t deadline;		/* POLICY_NO_DEADLINE or CLOCK_MONOTONIC ns */
	bool need_stats;		/* resync: get-stats at the next tick */
	bool need_probe;		/* re-probe at the next tick */
	bool action_pending;		/* a request is out; awaiting its result */

	/*
	 * Splits and quiet.  A change event (attributes changed, nothing
	 * split: a secretmem page freed) counts as a split for quiet, but
	 * never stops a collapse and is no ping-pong; one that comes while
	 * a collapse runs makes the policy settle again after it.
	 */
	uint64_t last_split;		/* when the latest split or change event came */
	bool change_pending;		/* a change event came while collapsing */
	uint64_t settling_since;	/* when splits started coming */
	unsigned int backoff_level;	/* quiet = quiet_period << level */

	/*
	 * Steady churn: the kernel takes a minimum age (a collapse leaves
	 * what changed more recently alone).  While splits never stop, a
	 * steady run every steady_interval folds what has been quiet for the
	 * quiet period in force, within steady_cpu of kernel time a minute.
	 */
	bool min_age_supported;
	bool run_steady;		/* the run under way is a steady one */
	uint64_t last_steady;		/* when the latest steady run ended */
	uint64_t cpu_window;		/* start of the current minute */
	uint64_t cpu_used;		/* kernel ns of steady runs in it */
	uint64_t steady_folded;		/* PMD folds of the latest steady run */
	uint64_t steady_pingpongs;	/* kernel ping-pongs at its end */
	bool has_steady_pingpongs;

	/* The collapse under way. */
	uint64_t cursor;		/* physical address to continue from */
	uint64_t end;			/* of the range the first step echoed */
	bool has_cursor;
	unsigned int steps;		/* of this collapse */
	struct lc_collapse_result run;	/* sum of this collapse's steps */
	uint64_t run_started;

	/* The last finished collapse. */
	bool has_last;
	struct lc_collapse_result last;	/* sum of its steps */
	unsigned int last_steps;
	uint64_t last_done;		/* when it finished */
	bool last_interrupted;		/* new splits stopped it before the end */
	bool pingpong_armed;		/* it folded something: watch for splits */

	/* Statistics from the latest get-stats. */
	bool has_stats;
	uint64_t leaves, ideal;		/* total leaves, ideal leaves */
	uint64_t kernel_splits;		/* the kernel's splits since boot, summed */
	uint64_t last_sync;		/* when get-stats last answered */
	/*
	 * Restoration over time: each walk's leaves / ideal holds until the
	 * next one; their integral over the time since the first walk.
	 */
	bool has_ratio;
	double last_ratio;
	uint64_t last_ratio_at;
	double ratio_integral;		/* ratio x seconds */
	uint64_t ratio_covered;		/* ns the integral covers */

	/* Totals since the daemon started. */
	uint64_t split_events, splits_seen, lost_events;
	uint64_t change_events;		/* split events with changes, no splits */
	uint64_t collapses, collapse_steps;
	uint64_t folds[LC_LEVEL_NR];
	uint64_t tables_freed, bytes_freed, nsecs;
	/* Split tracking: regions the steps visited (0 from a kernel without). */
	uint64_t regions_scanned;
	uint64_t kernel_skips[LC_SKIP_NR];
	uint64_t skips[POLICY_SKIP_NR];
	uint64_t pingpongs, resyncs, errors;
	/* Steady runs, the tables the kernel found too young, runs put off
	 * for the CPU budget, the kernel's ping-pongs since boot. */
	uint64_t steady_runs, young, cpu_deferred;
	uint64_t kernel_pingpongs;
	bool has_kernel_pingpongs;
};

/* A fresh policy in POLICY_STARTING; it asks for a probe at the first tick. */
void policy_init(struct policy *p, const struct collapsed_config *cfg,
		 uint64_t now);

/* A new configuration (SIGHUP).  A degraded policy re-probes at once. */
void policy_reconfigure(struct policy *p, const struct collapsed_config *cfg,
			uint64_t now);

/* Inputs. */
void policy_on_probe_ok(struct policy *p, uint64_t now);
/* The probed kernel takes a minimum age (lc_caps.pingpong_msecs != 0). */
void policy_set_min_age_supported(struct policy *p, bool supported);
void policy_on_degraded(struct policy *p, uint64_t now, const char *reason);
void policy_on_split(struct policy *p, uint64_t now, uint64_t new_splits);
/* A split event with new attribute changes and no new splits. */
void policy_on_change(struct policy *p, uint64_t now);
void policy_on_lost_events(struct policy *p, uint64_t now);
void policy_on_stats(struct policy *p, uint64_t now,
		     const struct lc_stats *stats);
void policy_on_stats_failed(struct policy *p, uint64_t now);
void policy_on_step(struct policy *p, uint64_t now,
		    const struct lc_collapse_result *step);
/* A step failed with @err; -EOPNOTSUPP and -EPERM make it degraded. */
void policy_on_step_failed(struct policy *p, uint64_t now, int err,
			   const char *text);

/*
 * The deadline has come (or the main loop asks at any time): the action to
 * take now, POLICY_ACT_NONE when nothing is due.  The result of a request
 * action must be fed back before the next tick asks for another.
 */
struct policy_action policy_tick(struct policy *p, uint64_t now);

/* CLOCK_MONOTONIC ns of the next tick that may do something, or NO_DEADLINE. */
uint64_t policy_deadline(const struct policy *p);

/* The quiet period in force (grown by ping-pong backoff). */
uint64_t policy_quiet_in_force(const struct policy *p);

/* The minimum age of a steady run's requests, in ms. */
uint32_t policy_min_age_msecs(const struct policy *p);

/* "idle", "settling", "backoff", "checking", "collapsing", "degraded", ... */
const char *policy_state_name(const struct policy *p);

/*
 * The time-averaged restoration (leaves / ideal) from the first walk to
 * @now, each walk's ratio holding until the next; NaN before any walk.
 */
double policy_restoration_average(const struct policy *p, uint64_t now);

/* leaves - ideal, 0 if none or no statistics. */
uint64_t policy_gain(const struct policy *p);

#endif /* COLLAPSED_POLICY_H */
