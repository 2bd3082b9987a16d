// SPDX-License-Identifier: GPL-2.0
/*
 * The collapse policy as a state machine (see policy.h for the picture).
 *
 * Choices, each recorded in docs/collapsed.md:
 * - Quiet first: collapsing while secretmem churns would fold blocks that
 *   the next fault splits again, so a collapse starts only after
 *   quiet_period without a split event.
 * - Budgeted steps: each step scans at most `budget` page-table pages and
 *   returns a resume cursor; the next step is due at once but comes from the
 *   next loop iteration, so events and status clients are served between
 *   steps.  A split during the steps stops them; after the next quiet period
 *   the collapse starts over from the beginning of memory, because the new
 *   splits may lie behind the cursor, and memory that was already folded is
 *   cheap to rescan (a block has no table below it to read).
 * - Ping-pong: the first split after a collapse that folded something is
 *   judged.  Within pingpong_window, what was rebuilt is being split again:
 *   the quiet period doubles (up to quiet_period_max).  Later than that the
 *   collapse was calm: the quiet period halves back, one level at a time.
 * - Gain: before collapsing, get-stats tells leaves - ideal, the leaves a
 *   full collapse would save; below min_gain the collapse is skipped.
 * - Resync: lost events, and every resync_interval without other contact
 *   with the kernel, are answered with get-stats; if the map turns out
 *   fragmented, that counts as a split seen now.
 * - Steady churn: splits that never stop for the quiet period would keep
 *   the daemon waiting for good.  With a kernel that takes a minimum age,
 *   a steady run every steady_interval (from the first split, then from
 *   the end of the previous run) collapses the marked regions with
 *   min-age = the quiet period in force: the kernel folds what has been
 *   quiet that long and leaves the rest.  Splits do not stop a steady run
 *   (the memory they split is young), and no get-stats gain check comes
 *   first (only marked regions are read).  Its kernel time counts against
 *   steady_cpu per minute; a run that would exceed it waits for the next
 *   minute.  Backoff comes from the kernel's ping-pong count, per region
 *   by construction: when more than a quarter of the blocks the previous
 *   steady run built were split again within the kernel's window, the
 *   minimum age doubles (up to quiet_period_max), so churned memory is
 *   left alone and quiet memory is still folded; a run without new
 *   ping-pongs halves it back.  The daemon's own ping-pong judgement
 *   (above) is for bursty churn and does not judge steady runs.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "collapse-sum.h"
#include "policy.h"

static void policy_apply_config(struct policy *p,
				const struct collapsed_config *cfg)
{
	p->quiet_period = cfg->quiet_period;
	p->quiet_period_max = cfg->quiet_period_max;
	p->pingpong_window = cfg->pingpong_window;
	p->resync_interval = cfg->resync_interval;
	p->budget = cfg->budget;
	p->min_gain = cfg->min_gain;
	p->steady_interval = cfg->steady_interval;
	p->steady_cpu = cfg->steady_cpu;
}

#define MINUTE_NS	(60 * UINT64_C(1000000000))

static uint64_t add_sat(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

uint64_t policy_quiet_in_force(const struct policy *p)
{
	uint64_t quiet = p->quiet_period;
	unsigned int i;

	for (i = 0; i < p->backoff_level && quiet < p->quiet_period_max; i++)
		quiet = quiet > UINT64_MAX / 2 ? UINT64_MAX : quiet * 2;
	return quiet < p->quiet_period_max ? quiet : p->quiet_period_max;
}

/* Work out the next deadline from the state. */
static void policy_rearm(struct policy *p, uint64_t now)
{
	if (p->action_pending) {
		p->deadline = POLICY_NO_DEADLINE;
		return;
	}
	if (p->need_probe || p->need_stats) {
		p->deadline = now;
		return;
	}
	switch (p->state) {
	case POLICY_DEGRADED:
	case POLICY_IDLE:
		p->deadline = add_sat(p->last_sync, p->resync_interval);
		break;
	case POLICY_SETTLING:
		p->deadline = add_sat(p->last_split, policy_quiet_in_force(p));
		if (p->min_age_supported && p->steady_interval) {
			uint64_t due = add_sat(p->last_steady > p->settling_since ?
					       p->last_steady : p->settling_since,
					       p->steady_interval);

			/* over the CPU budget: the next minute */
			if (p->cpu_used >= p->steady_cpu &&
			    due < add_sat(p->cpu_window, MINUTE_NS))
				due = add_sat(p->cpu_window, MINUTE_NS);
			if (due < p->deadline)
				p->deadline = due;
		}
		break;
	case POLICY_COLLAPSING:
		p->deadline = now;
		break;
	case POLICY_STARTING:
	case POLICY_CHECKING:
		p->deadline = POLICY_NO_DEADLINE;
		break;
	}
}

void policy_init(struct policy *p, const struct collapsed_config *cfg,
		 uint64_t now)
{
	memset(p, 0, sizeof(*p));
	policy_apply_config(p, cfg);
	p->state = POLICY_STARTING;
	p->need_probe = true;
	policy_rearm(p, now);
}

void policy_reconfigure(struct policy *p, const struct collapsed_config *cfg,
			uint64_t now)
{
	/* The backoff level stays; policy_quiet_in_force() caps it. */
	policy_apply_config(p, cfg);
	if (p->state == POLICY_DEGRADED)
		p->need_probe = true;
	policy_rearm(p, now);
}

/* Forget the collapse under way. */
static void policy_reset_run(struct policy *p)
{
	p->change_pending = false;
	p->has_cursor = false;
	p->cursor = 0;
	p->end = 0;
	p->steps = 0;
	memset(&p->run, 0, sizeof(p->run));
}

/*
 * A steady run is over: judge the previous one by the ping-pongs since,
 * and remember this one's folds and the kernel's count.
 */
static void policy_judge_steady_run(struct policy *p, uint64_t now)
{
	if (p->run.has_pingpongs) {
		if (p->has_steady_pingpongs) {
			uint64_t again = p->run.pingpongs - p->steady_pingpongs;

			if (again * 4 > p->steady_folded &&
			    policy_quiet_in_force(p) < p->quiet_period_max)
				p->backoff_level++;
			else if (!again && p->backoff_level)
				p->backoff_level--;
		}
		p->steady_pingpongs = p->run.pingpongs;
		p->has_steady_pingpongs = true;
	}
	p->steady_folded = p->run.folds[LC_LEVEL_PMD];
	p->last_steady = now;
	p->steady_runs++;
}

/* The collapse under way is over (done, or stopped by splits). */
static void policy_finish_run(struct policy *p, uint64_t now, bool interrupted)
{
	uint64_t folded = 0;
	int level;

	for (level = 0; level < LC_LEVEL_NR; level++)
		folded += p->run.folds[level];
	if (!interrupted) {
		/* Every stop for the budget was resumed. */
		p->run.skips[LC_SKIP_BUDGET] = 0;
		p->run.has_next = false;
		p->collapses++;
	}
	p->last = p->run;
	p->last_steps = p->steps;
	p->last_done = now;
	p->last_interrupted = interrupted;
	p->has_last = true;
	p->pingpong_armed = !interrupted && folded > 0 && !p->run_steady;
	if (p->run_steady)
		policy_judge_steady_run(p, now);
	p->run_steady = false;
	policy_reset_run(p);
}

void policy_on_probe_ok(struct policy *p, uint64_t now)
{
	p->action_pending = false;
	p->last_sync = now;
	if (p->state == POLICY_STARTING || p->state == POLICY_DEGRADED) {
		p->state = POLICY_IDLE;
		p->degraded_reason[0] = '\0';
		p->need_stats = true;
	}
	policy_rearm(p, now);
}

void policy_set_min_age_supported(struct policy *p, bool supported)
{
	p->min_age_supported = supported;
}

void policy_on_degraded(struct policy *p, uint64_t now, const char *reason)
{
	p->action_pending = false;
	p->need_stats = false;
	p->need_probe = false;
	p->last_sync = now;
	if (p->state == POLICY_COLLAPSING)
		policy_finish_run(p, now, true);
	policy_reset_run(p);
	p->state = POLICY_DEGRADED;
	snprintf(p->degraded_reason, sizeof(p->degraded_reason), "%s", reason);
	policy_rearm(p, now);
}

/* The first split after a collapse judges it: ping-pong or calm. */
static void policy_judge_last_collapse(struct policy *p, uint64_t now)
{
	if (!p->pingpong_armed)
		return;
	p->pingpong_armed = false;
	if (now - p->last_done <= p->pingpong_window) {
		p->pingpongs++;
		if (policy_quiet_in_force(p) < p->quiet_period_max)
			p->backoff_level++;
	} else if (p->backoff_level) {
		p->backoff_level--;
	}
}

/* Wait for quiet before the next look, timed from the first event of a burst. */
static void policy_settle(struct policy *p, uint64_t now)
{
	if (p->state != POLICY_SETTLING)
		p->settling_since = now;
	p->state = POLICY_SETTLING;
	policy_rearm(p, now);
}

void policy_on_split(struct policy *p, uint64_t now, uint64_t new_splits)
{
	p->split_events++;
	p->splits_seen += new_splits;
	if (p->state == POLICY_STARTING || p->state == POLICY_DEGRADED)
		return;
	policy_judge_last_collapse(p, now);
	p->last_split = now;
	/* A steady run leaves young memory alone: splits do not stop it. */
	if (p->state == POLICY_COLLAPSING && p->run_steady) {
		policy_rearm(p, now);
		return;
	}
	if (p->state == POLICY_COLLAPSING) {
		p->skips[POLICY_SKIP_INTERRUPTED]++;
		policy_finish_run(p, now, true);
	}
	policy_settle(p, now);
}

/*
 * Attributes changed and nothing split (a secretmem page freed, which may
 * make its block foldable): the map needs another look once it is quiet.
 * Unlike a split, a change undoes no collapse (no ping-pong judgement)
 * and does not stop one that runs; it makes the policy settle again after
 * it, since the run may have passed the changed memory already.
 */
void policy_on_change(struct policy *p, uint64_t now)
{
	p->change_events++;
	if (p->state == POLICY_STARTING || p->state == POLICY_DEGRADED)
		return;
	if (p->state == POLICY_COLLAPSING) {
		p->change_pending = true;
		return;
	}
	p->last_split = now;
	policy_settle(p, now);
}

void policy_on_lost_events(struct policy *p, uint64_t now)
{
	p->lost_events++;
	if (p->state == POLICY_STARTING || p->state == POLICY_DEGRADED)
		return;
	p->need_stats = true;
	policy_rearm(p, now);
}

uint64_t policy_gain(const struct policy *p)
{
	if (!p->has_stats || p->leaves <= p->ideal)
		return 0;
	return p->leaves - p->ideal;
}

void policy_on_stats(struct policy *p, uint64_t now,
		     const struct lc_stats *stats)
{
	uint64_t splits = 0;
	bool unseen_splits;
	int level;

	p->action_pending = false;
	p->leaves = 0;
	for (level = 0; level < LC_LEVEL_NR; level++) {
		p->leaves += stats->leaves[level];
		splits += stats->splits[level];
	}
	/*
	 * Splits happened that no event told of when the kernel's count
	 * since boot moved (or on the first look at the map).  Without that
	 * test, a remainder that no collapse can fold would be retried after
	 * every resync.
	 */
	unseen_splits = !p->has_stats || splits != p->kernel_splits;
	p->kernel_splits = splits;
	p->has_stats = true;
	p->ideal = stats->ideal_leaves;
	p->last_sync = now;
	if (p->has_ratio && now > p->last_ratio_at) {
		p->ratio_integral += p->last_ratio *
				     (double)(now - p->last_ratio_at) / 1e9;
		p->ratio_covered += now - p->last_ratio_at;
	}
	p->last_ratio = p->ideal ? (double)p->leaves / (double)p->ideal : 1.0;
	p->last_ratio_at = now;
	p->has_ratio = true;

	switch (p->state) {
	case POLICY_CHECKING:
		if (policy_gain(p) < p->min_gain) {
			p->skips[POLICY_SKIP_LOW_GAIN]++;
			p->state = POLICY_IDLE;
		} else {
			policy_reset_run(p);
			p->run_started = now;
			p->state = POLICY_COLLAPSING;
		}
		break;
	case POLICY_IDLE:
		/* Splits this daemon did not see (lost, or before it ran). */
		if (unseen_splits && policy_gain(p) >= p->min_gain) {
			p->state = POLICY_SETTLING;
			p->last_split = now;
		}
		break;
	default:
		break;
	}
	policy_rearm(p, now);
}

void policy_on_stats_failed(struct policy *p, uint64_t now)
{
	p->action_pending = false;
	p->errors++;
	p->last_sync = now;	/* try again after resync_interval, no spin */
	if (p->state == POLICY_CHECKING) {
		p->skips[POLICY_SKIP_FAILED]++;
		p->state = POLICY_IDLE;
	}
	policy_rearm(p, now);
}

void policy_on_step(struct policy *p, uint64_t now,
		    const struct lc_collapse_result *step)
{
	int i;

	p->action_pending = false;
	p->collapse_steps++;
	for (i = 0; i < LC_LEVEL_NR; i++)
		p->folds[i] += step->folds[i];
	for (i = 0; i < LC_SKIP_NR; i++)
		p->kernel_skips[i] += step->skips[i];
	p->tables_freed += step->tables_freed;
	p->bytes_freed += step->bytes_freed;
	p->nsecs += step->nsecs;
	p->regions_scanned += step->regions_scanned;
	p->young += step->young;
	if (step->has_pingpongs) {
		p->kernel_pingpongs = step->pingpongs;
		p->has_kernel_pingpongs = true;
	}
	if (p->run_steady) {
		if (now - p->cpu_window >= MINUTE_NS) {
			p->cpu_window = now;
			p->cpu_used = 0;
		}
		p->cpu_used += step->nsecs;
	}

	if (p->state != POLICY_COLLAPSING) {
		policy_rearm(p, now);
		return;
	}
	lc_collapse_result_add(&p->run, step, p->steps == 0);
	p->steps++;
	/*
	 * Continue only from a cursor that moves forward inside the range
	 * the kernel scanned: anything else would never end.
	 */
	if (step->has_next && step->has_range && step->next > step->start &&
	    step->next < step->end &&
	    (!p->has_cursor || step->next > p->cursor)) {
		p->cursor = step->next;
		p->end = step->end;
		p->has_cursor = true;
	} else {
		/*
		 * The run is done. A steady run settles again (splits go on,
		 * the next one is due later); so does one that attributes
		 * changed under (look again once quiet); otherwise the map is
		 * at rest. Either way, a look: the time average, or what the
		 * map looks like now. policy_finish_run() resets both flags.
		 */
		bool steady = p->run_steady, changed = p->change_pending;

		policy_finish_run(p, now, false);
		if (changed && !steady)
			p->settling_since = p->last_split = now;
		p->state = steady || changed ? POLICY_SETTLING : POLICY_IDLE;
		p->need_stats = true;
	}
	/* The CPU budget spent: the rest waits for the next steady run. */
	if (p->state == POLICY_COLLAPSING && p->run_steady &&
	    p->cpu_used >= p->steady_cpu) {
		p->cpu_deferred++;
		policy_finish_run(p, now, true);
		p->state = POLICY_SETTLING;
	}
	policy_rearm(p, now);
}

void policy_on_step_failed(struct policy *p, uint64_t now, int err,
			   const char *text)
{
	p->action_pending = false;
	p->errors++;
	if (err == -EOPNOTSUPP || err == -EPERM) {
		policy_on_degraded(p, now, text);
		return;
	}
	p->skips[POLICY_SKIP_FAILED]++;
	if (p->state == POLICY_COLLAPSING)
		policy_finish_run(p, now, true);
	p->state = POLICY_IDLE;
	p->last_sync = now;
	policy_rearm(p, now);
}

struct policy_action policy_tick(struct policy *p, uint64_t now)
{
	struct policy_action act = { .kind = POLICY_ACT_NONE };

	if (p->action_pending || now < p->deadline)
		return act;

	if (p->need_probe) {
		p->need_probe = false;
		act.kind = POLICY_ACT_PROBE;
	} else if (p->need_stats) {
		p->need_stats = false;
		act.kind = POLICY_ACT_GET_STATS;
	} else {
		switch (p->state) {
		case POLICY_DEGRADED:
			act.kind = POLICY_ACT_PROBE;
			break;
		case POLICY_IDLE:
			p->resyncs++;
			act.kind = POLICY_ACT_GET_STATS;
			break;
		case POLICY_SETTLING:
			if (now >= add_sat(p->last_split,
					   policy_quiet_in_force(p)) ||
			    !p->min_age_supported || !p->steady_interval) {
				p->state = POLICY_CHECKING;
				act.kind = POLICY_ACT_GET_STATS;
				break;
			}
			/* Splits go on: a steady run, within the CPU budget. */
			if (now - p->cpu_window >= MINUTE_NS) {
				p->cpu_window = now;
				p->cpu_used = 0;
			}
			if (p->cpu_used >= p->steady_cpu) {
				p->cpu_deferred++;
				break;
			}
			policy_reset_run(p);
			p->run_started = now;
			p->run_steady = true;
			p->state = POLICY_COLLAPSING;
			/* its first step, now */
			__attribute__((fallthrough));
		case POLICY_COLLAPSING:
			act.kind = POLICY_ACT_COLLAPSE;
			act.req.budget = p->budget;
			if (p->run_steady)
				act.req.min_age_msecs =
					policy_min_age_msecs(p);
			if (p->has_cursor) {
				act.req.has_range = true;
				act.req.range.start = p->cursor;
				act.req.range.end = p->end;
			}
			break;
		case POLICY_STARTING:
		case POLICY_CHECKING:
			break;
		}
	}
	if (act.kind != POLICY_ACT_NONE)
		p->action_pending = true;
	policy_rearm(p, now);
	return act;
}

double policy_restoration_average(const struct policy *p, uint64_t now)
{
	double integral = p->ratio_integral;
	uint64_t covered = p->ratio_covered;

	if (!p->has_ratio)
		return NAN;
	if (now > p->last_ratio_at) {
		integral += p->last_ratio * (double)(now - p->last_ratio_at) / 1e9;
		covered += now - p->last_ratio_at;
	}
	return covered ? integral / ((double)covered / 1e9) : p->last_ratio;
}

uint32_t policy_min_age_msecs(const struct policy *p)
{
	uint64_t ms = policy_quiet_in_force(p) / 1000000;

	/* the kernel takes a day at most */
	return ms > 86400000 ? 86400000 : (uint32_t)(ms ? ms : 1);
}

uint64_t policy_deadline(const struct policy *p)
{
	return p->deadline;
}

const char *policy_state_name(const struct policy *p)
{
	switch (p->state) {
	case POLICY_STARTING:
		return "starting";
	case POLICY_IDLE:
		return "idle";
	case POLICY_SETTLING:
		return p->backoff_level ? "backoff" : "settling";
	case POLICY_CHECKING:
		return "checking";
	case POLICY_COLLAPSING:
		return "collapsing";
	case POLICY_DEGRADED:
		return "degraded";
	}
	return "unknown";
}
