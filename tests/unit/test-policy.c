// SPDX-License-Identifier: GPL-2.0
/*
 * The daemon's collapse policy (daemon/policy.c), driven with an injected
 * clock and injected kernel answers: no kernel, no sleeping.
 */
#include <errno.h>
#include <math.h>

#include "duration.h"
#include "policy.h"
#include "status-text.h"
#include "tap.h"

#define SEC(n)		((uint64_t)(n) * NSEC_PER_SEC)
#define GIB		(1ULL << 30)

static struct collapsed_config cfg;

static struct lc_stats stats_of(uint64_t leaves, uint64_t ideal,
				uint64_t splits)
{
	struct lc_stats s = { 0 };

	s.leaves[LC_LEVEL_PTE] = leaves;
	s.ideal_leaves = ideal;
	s.splits[LC_LEVEL_PMD] = splits;
	return s;
}

static struct lc_collapse_result step_of(uint64_t start, uint64_t end,
					 uint64_t next, uint64_t freed)
{
	struct lc_collapse_result r = { 0 };

	r.has_range = true;
	r.start = start;
	r.end = end;
	r.tables_scanned = 64;
	r.folds[LC_LEVEL_PMD] = freed;
	r.tables_freed = freed;
	r.bytes_freed = freed * 4096;
	r.nsecs = 1000;
	if (next) {
		r.has_next = true;
		r.next = next;
		r.skips[LC_SKIP_BUDGET] = 1;
	}
	return r;
}

/* Started, subscribed, and idle over a map with @leaves of @ideal. */
static void start_idle(struct policy *p, uint64_t now, uint64_t leaves,
		       uint64_t ideal)
{
	struct lc_stats s = stats_of(leaves, ideal, 7);

	policy_init(p, &cfg, now);
	CHECK_INT(p->state, POLICY_STARTING);
	CHECK_INT(policy_tick(p, now).kind, POLICY_ACT_PROBE);
	policy_on_probe_ok(p, now);
	CHECK_INT(policy_tick(p, now).kind, POLICY_ACT_GET_STATS);
	policy_on_stats(p, now, &s);
}

/* From a split at @t, through the quiet period and the gain check. */
static void settle_and_check(struct policy *p, uint64_t t, uint64_t gain)
{
	struct lc_stats s = stats_of(1000 + gain, 1000, 7);
	uint64_t quiet = policy_quiet_in_force(p);

	policy_on_split(p, t, 512);
	CHECK_INT(p->state, POLICY_SETTLING);
	CHECK_U64(policy_deadline(p), t + quiet);
	CHECK_INT(policy_tick(p, t + quiet - 1).kind, POLICY_ACT_NONE);
	CHECK_INT(policy_tick(p, t + quiet).kind, POLICY_ACT_GET_STATS);
	CHECK_INT(p->state, POLICY_CHECKING);
	policy_on_stats(p, t + quiet, &s);
}

/* One whole collapse in one step, finishing at @t. */
static void collapse_once(struct policy *p, uint64_t t)
{
	struct lc_collapse_result r = step_of(0, 4 * GIB, 0, 100);
	struct policy_action act;

	settle_and_check(p, t - policy_quiet_in_force(p), 5000);
	CHECK_INT(p->state, POLICY_COLLAPSING);
	act = policy_tick(p, t);
	CHECK_INT(act.kind, POLICY_ACT_COLLAPSE);
	policy_on_step(p, t, &r);
	CHECK_INT(p->state, POLICY_IDLE);
	CHECK_INT(policy_tick(p, t).kind, POLICY_ACT_GET_STATS);
	r.folds[LC_LEVEL_PMD] = 0;
	{
		struct lc_stats s = stats_of(1000, 1000, 7);

		policy_on_stats(p, t, &s);
	}
}

static void test_restored_map_sleeps_until_resync(void)
{
	struct policy p;

	start_idle(&p, SEC(1), 1000, 1000);
	CHECK_INT(p.state, POLICY_IDLE);
	CHECK_STR(policy_state_name(&p), "idle");
	CHECK_U64(policy_deadline(&p), SEC(1) + cfg.resync_interval);
	CHECK_INT(policy_tick(&p, SEC(100)).kind, POLICY_ACT_NONE);
}

static void test_collapse_waits_for_quiet_period_after_last_split(void)
{
	struct policy p;

	start_idle(&p, SEC(1), 1000, 1000);
	policy_on_split(&p, SEC(10), 512);
	CHECK_INT(p.state, POLICY_SETTLING);
	CHECK_STR(policy_state_name(&p), "settling");
	CHECK_U64(policy_deadline(&p), SEC(15));
	/* Churn goes on: the wait starts again from the latest split. */
	policy_on_split(&p, SEC(13), 512);
	CHECK_U64(policy_deadline(&p), SEC(18));
	CHECK_INT(policy_tick(&p, SEC(15)).kind, POLICY_ACT_NONE);
	CHECK_INT(policy_tick(&p, SEC(18)).kind, POLICY_ACT_GET_STATS);
	CHECK_INT(p.state, POLICY_CHECKING);
	CHECK_U64(p.split_events, 2);
	CHECK_U64(p.splits_seen, 1024);
}

static void test_collapse_steps_follow_cursor_with_budget(void)
{
	struct lc_collapse_result r1 = step_of(1 * GIB, 5 * GIB, 2 * GIB, 10);
	struct lc_collapse_result r2 = step_of(2 * GIB, 5 * GIB, 3 * GIB, 20);
	struct lc_collapse_result r3 = step_of(3 * GIB, 5 * GIB, 0, 30);
	struct policy_action act;
	struct policy p;

	cfg.budget = 32;
	start_idle(&p, SEC(1), 1000, 1000);
	settle_and_check(&p, SEC(10), 5000);
	CHECK_INT(p.state, POLICY_COLLAPSING);
	CHECK_U64(policy_deadline(&p), SEC(15));

	act = policy_tick(&p, SEC(15));
	CHECK_INT(act.kind, POLICY_ACT_COLLAPSE);
	CHECK_U64(act.req.budget, 32);
	CHECK(!act.req.has_range);
	CHECK(!act.req.dry_run);
	/* One request at a time: nothing more until its result is in. */
	CHECK_INT(policy_tick(&p, SEC(15)).kind, POLICY_ACT_NONE);
	policy_on_step(&p, SEC(15), &r1);
	CHECK_U64(policy_deadline(&p), SEC(15));

	act = policy_tick(&p, SEC(15));
	CHECK_INT(act.kind, POLICY_ACT_COLLAPSE);
	CHECK(act.req.has_range);
	CHECK_U64(act.req.range.start, 2 * GIB);
	CHECK_U64(act.req.range.end, 5 * GIB);
	CHECK_U64(act.req.budget, 32);
	policy_on_step(&p, SEC(16), &r2);

	act = policy_tick(&p, SEC(16));
	CHECK_U64(act.req.range.start, 3 * GIB);
	policy_on_step(&p, SEC(17), &r3);

	CHECK_INT(p.state, POLICY_IDLE);
	CHECK_U64(p.collapses, 1);
	CHECK_U64(p.collapse_steps, 3);
	CHECK_INT(p.last_steps, 3);
	CHECK_U64(p.last.tables_freed, 60);
	CHECK_U64(p.last.tables_scanned, 192);
	CHECK_U64(p.last.start, 1 * GIB);
	CHECK_U64(p.last.skips[LC_SKIP_BUDGET], 0);
	CHECK_U64(p.kernel_skips[LC_SKIP_BUDGET], 2);
	CHECK(!p.last_interrupted);
	/* And a fresh look at the map afterwards. */
	CHECK_INT(policy_tick(&p, SEC(17)).kind, POLICY_ACT_GET_STATS);
	cfg.budget = 64;
}

static void test_cursor_that_does_not_advance_ends_the_collapse(void)
{
	struct lc_collapse_result r = step_of(1 * GIB, 5 * GIB, 1 * GIB, 0);
	struct policy p;

	start_idle(&p, SEC(1), 1000, 1000);
	settle_and_check(&p, SEC(10), 5000);
	CHECK_INT(policy_tick(&p, SEC(15)).kind, POLICY_ACT_COLLAPSE);
	policy_on_step(&p, SEC(15), &r);
	CHECK_INT(p.state, POLICY_IDLE);
}

static void test_split_interrupts_stepping_and_waits_again(void)
{
	struct lc_collapse_result r1 = step_of(1 * GIB, 5 * GIB, 2 * GIB, 10);
	struct policy_action act;
	struct policy p;

	start_idle(&p, SEC(1), 1000, 1000);
	settle_and_check(&p, SEC(10), 5000);
	CHECK_INT(policy_tick(&p, SEC(15)).kind, POLICY_ACT_COLLAPSE);
	policy_on_step(&p, SEC(15), &r1);
	CHECK_INT(p.state, POLICY_COLLAPSING);

	policy_on_split(&p, SEC(16), 3);
	CHECK_INT(p.state, POLICY_SETTLING);
	CHECK_U64(policy_deadline(&p), SEC(21));
	CHECK_INT(policy_tick(&p, SEC(16)).kind, POLICY_ACT_NONE);
	CHECK_U64(p.skips[POLICY_SKIP_INTERRUPTED], 1);
	CHECK(p.has_last && p.last_interrupted);
	CHECK_U64(p.last.tables_freed, 10);
	CHECK_U64(p.collapses, 0);

	/* After the quiet period it starts over from the beginning. */
	CHECK_INT(policy_tick(&p, SEC(21)).kind, POLICY_ACT_GET_STATS);
	{
		struct lc_stats s = stats_of(6000, 1000, 8);

		policy_on_stats(&p, SEC(21), &s);
	}
	act = policy_tick(&p, SEC(21));
	CHECK_INT(act.kind, POLICY_ACT_COLLAPSE);
	CHECK(!act.req.has_range);
}

/*
 * Pages made valid again (a secretmem area freed long after its splits)
 * split nothing: the kernel's change event makes an idle policy look
 * again once quiet, is no ping-pong, and does not stop a collapse, which
 * then settles again instead of going idle.
 */
static void test_change_event_wakes_an_idle_policy(void)
{
	struct lc_collapse_result r1 = step_of(1 * GIB, 5 * GIB, 2 * GIB, 10);
	struct lc_collapse_result r2 = step_of(2 * GIB, 5 * GIB, 0, 10);
	struct policy p;

	start_idle(&p, SEC(1), 1000, 1000);
	collapse_once(&p, SEC(100));
	CHECK_INT(p.state, POLICY_IDLE);

	policy_on_change(&p, SEC(101));
	CHECK_INT(p.state, POLICY_SETTLING);
	CHECK_U64(p.change_events, 1);
	CHECK_U64(p.split_events, 1);
	CHECK_U64(p.pingpongs, 0);
	CHECK_INT(p.backoff_level, 0);
	CHECK_U64(policy_deadline(&p), SEC(106));
	CHECK_INT(policy_tick(&p, SEC(106)).kind, POLICY_ACT_GET_STATS);
	{
		struct lc_stats s = stats_of(6000, 1000, 7);

		policy_on_stats(&p, SEC(106), &s);
	}
	CHECK_INT(p.state, POLICY_COLLAPSING);
	CHECK_INT(policy_tick(&p, SEC(106)).kind, POLICY_ACT_COLLAPSE);
	policy_on_step(&p, SEC(106), &r1);

	/* a change while it steps: it goes on, then settles again */
	policy_on_change(&p, SEC(107));
	CHECK_INT(p.state, POLICY_COLLAPSING);
	CHECK_U64(p.skips[POLICY_SKIP_INTERRUPTED], 0);
	CHECK_INT(policy_tick(&p, SEC(107)).kind, POLICY_ACT_COLLAPSE);
	policy_on_step(&p, SEC(108), &r2);
	CHECK_INT(p.state, POLICY_SETTLING);
	CHECK_U64(p.collapses, 2);
	CHECK_INT(policy_tick(&p, SEC(108)).kind, POLICY_ACT_GET_STATS);
	{
		struct lc_stats s = stats_of(1000, 1000, 7);

		policy_on_stats(&p, SEC(108), &s);
	}
	CHECK_U64(policy_deadline(&p), SEC(113));

	/* with nothing left to gain it goes idle again */
	CHECK_INT(policy_tick(&p, SEC(113)).kind, POLICY_ACT_GET_STATS);
	{
		struct lc_stats s = stats_of(1000, 1000, 7);

		policy_on_stats(&p, SEC(113), &s);
	}
	CHECK_INT(p.state, POLICY_IDLE);
	CHECK_U64(p.pingpongs, 0);
}

static void test_pingpong_doubles_quiet_period_up_to_max(void)
{
	struct policy p;
	uint64_t t;

	cfg.quiet_period_max = SEC(20);
	start_idle(&p, SEC(1), 1000, 1000);
	collapse_once(&p, SEC(100));
	CHECK_INT(p.backoff_level, 0);

	/* Split again 10s after the collapse: inside the 1min window. */
	policy_on_split(&p, SEC(110), 1);
	CHECK_INT(p.backoff_level, 1);
	CHECK_U64(p.pingpongs, 1);
	CHECK_U64(policy_quiet_in_force(&p), SEC(10));
	CHECK_U64(policy_deadline(&p), SEC(120));
	CHECK_STR(policy_state_name(&p), "backoff");

	/* Only the first split after a collapse judges it. */
	policy_on_split(&p, SEC(111), 1);
	CHECK_INT(p.backoff_level, 1);

	t = SEC(200);
	collapse_once(&p, t);
	policy_on_split(&p, t + SEC(30), 1);
	CHECK_U64(policy_quiet_in_force(&p), SEC(20));

	t = SEC(400);
	collapse_once(&p, t);
	policy_on_split(&p, t + SEC(1), 1);
	CHECK_U64(policy_quiet_in_force(&p), SEC(20));
	CHECK_INT(p.backoff_level, 2);
	CHECK_U64(p.pingpongs, 3);
	cfg.quiet_period_max = 10 * 60 * NSEC_PER_SEC;
}

static void test_calm_collapse_decays_backoff(void)
{
	struct policy p;

	start_idle(&p, SEC(1), 1000, 1000);
	collapse_once(&p, SEC(100));
	policy_on_split(&p, SEC(101), 1);
	collapse_once(&p, SEC(200));
	policy_on_split(&p, SEC(201), 1);
	CHECK_INT(p.backoff_level, 2);
	CHECK_U64(policy_quiet_in_force(&p), SEC(20));

	/* The next collapse stays intact for longer than the window. */
	collapse_once(&p, SEC(300));
	policy_on_split(&p, SEC(300) + SEC(61), 1);
	CHECK_INT(p.backoff_level, 1);
	CHECK_U64(policy_quiet_in_force(&p), SEC(10));
	collapse_once(&p, SEC(500));
	policy_on_split(&p, SEC(1000), 1);
	CHECK_INT(p.backoff_level, 0);
	CHECK_STR(policy_state_name(&p), "settling");
}

static void test_gain_below_min_gain_skips_the_collapse(void)
{
	struct policy p;

	start_idle(&p, SEC(1), 1000, 1000);
	settle_and_check(&p, SEC(10), cfg.min_gain - 1);
	CHECK_INT(p.state, POLICY_IDLE);
	CHECK_U64(p.skips[POLICY_SKIP_LOW_GAIN], 1);
	CHECK_INT(policy_tick(&p, SEC(16)).kind, POLICY_ACT_NONE);
	CHECK_U64(policy_deadline(&p), SEC(15) + cfg.resync_interval);

	settle_and_check(&p, SEC(20), cfg.min_gain);
	CHECK_INT(p.state, POLICY_COLLAPSING);
}

static void test_lost_events_resync_from_get_stats(void)
{
	struct lc_stats s = stats_of(5000, 1000, 99);
	struct policy p;

	start_idle(&p, SEC(1), 1000, 1000);
	policy_on_lost_events(&p, SEC(50));
	CHECK_U64(p.lost_events, 1);
	CHECK_U64(policy_deadline(&p), SEC(50));
	CHECK_INT(policy_tick(&p, SEC(50)).kind, POLICY_ACT_GET_STATS);
	/* The kernel's split count moved: splits we did not hear of. */
	policy_on_stats(&p, SEC(50), &s);
	CHECK_INT(p.state, POLICY_SETTLING);
	CHECK_U64(policy_deadline(&p), SEC(55));
}

static void test_resync_interval_checks_the_map_when_idle(void)
{
	struct lc_stats s = stats_of(1000, 1000, 7);
	struct policy p;
	uint64_t t0 = SEC(1);

	start_idle(&p, t0, 1000, 1000);
	CHECK_INT(policy_tick(&p, t0 + cfg.resync_interval - 1).kind,
		  POLICY_ACT_NONE);
	CHECK_INT(policy_tick(&p, t0 + cfg.resync_interval).kind,
		  POLICY_ACT_GET_STATS);
	CHECK_U64(p.resyncs, 1);
	policy_on_stats(&p, t0 + cfg.resync_interval, &s);
	CHECK_INT(p.state, POLICY_IDLE);
	CHECK_U64(policy_deadline(&p), t0 + 2 * cfg.resync_interval);
}

static void test_resync_leaves_an_unfoldable_remainder_alone(void)
{
	struct lc_stats s = stats_of(1000 + 5000, 1000, 7);
	struct policy p;

	start_idle(&p, SEC(1), 1000, 1000);
	collapse_once(&p, SEC(100));
	/* What the collapse could not fold, with no split since. */
	CHECK_INT(policy_tick(&p, SEC(100) + cfg.resync_interval).kind,
		  POLICY_ACT_GET_STATS);
	policy_on_stats(&p, SEC(100) + cfg.resync_interval, &s);
	CHECK_INT(p.state, POLICY_IDLE);
}

static void test_fragmented_map_at_start_is_collapsed_after_quiet(void)
{
	struct policy p;

	start_idle(&p, SEC(1), 9000, 1000);
	CHECK_INT(p.state, POLICY_SETTLING);
	CHECK_U64(policy_deadline(&p), SEC(6));
}

static void test_degraded_without_family_waits_for_resync_only(void)
{
	struct policy p;
	char line[256];

	policy_init(&p, &cfg, SEC(1));
	CHECK_INT(policy_tick(&p, SEC(1)).kind, POLICY_ACT_PROBE);
	policy_on_degraded(&p, SEC(1), "kernel has no linmap family");
	CHECK_INT(p.state, POLICY_DEGRADED);
	CHECK_STR(policy_state_name(&p), "degraded");
	CHECK_U64(policy_deadline(&p), SEC(1) + cfg.resync_interval);
	status_text(line, sizeof(line), &p);
	CHECK_STR(line, "degraded: kernel has no linmap family");

	/* Nothing moves it before the re-probe: no spinning. */
	policy_on_split(&p, SEC(2), 1);
	policy_on_lost_events(&p, SEC(3));
	CHECK_U64(policy_deadline(&p), SEC(1) + cfg.resync_interval);
	CHECK_INT(policy_tick(&p, SEC(1000)).kind, POLICY_ACT_NONE);
	CHECK_INT(policy_tick(&p, SEC(1) + cfg.resync_interval).kind,
		  POLICY_ACT_PROBE);
	policy_on_degraded(&p, SEC(1) + cfg.resync_interval,
			   "kernel has no linmap family");
	CHECK_U64(policy_deadline(&p), SEC(1) + 2 * cfg.resync_interval);
}

static void test_degraded_without_bbml3_reprobes_on_reload(void)
{
	struct policy p;

	policy_init(&p, &cfg, SEC(1));
	CHECK_INT(policy_tick(&p, SEC(1)).kind, POLICY_ACT_PROBE);
	policy_on_degraded(&p, SEC(1), "system cannot collapse: CPUs lack BBML3");
	policy_reconfigure(&p, &cfg, SEC(30));
	CHECK_U64(policy_deadline(&p), SEC(30));
	CHECK_INT(policy_tick(&p, SEC(30)).kind, POLICY_ACT_PROBE);
	policy_on_probe_ok(&p, SEC(30));
	CHECK_INT(p.state, POLICY_IDLE);
	CHECK_INT(policy_tick(&p, SEC(30)).kind, POLICY_ACT_GET_STATS);
}

static void test_refused_collapse_degrades_other_failures_do_not(void)
{
	struct policy p;

	start_idle(&p, SEC(1), 1000, 1000);
	settle_and_check(&p, SEC(10), 5000);
	CHECK_INT(policy_tick(&p, SEC(15)).kind, POLICY_ACT_COLLAPSE);
	policy_on_step_failed(&p, SEC(15), -EIO, "collapse: I/O error");
	CHECK_INT(p.state, POLICY_IDLE);
	CHECK_U64(p.skips[POLICY_SKIP_FAILED], 1);
	CHECK_U64(policy_deadline(&p), SEC(15) + cfg.resync_interval);

	settle_and_check(&p, SEC(20), 5000);
	CHECK_INT(policy_tick(&p, SEC(25)).kind, POLICY_ACT_COLLAPSE);
	policy_on_step_failed(&p, SEC(25), -EOPNOTSUPP,
			      "cannot collapse: no BBML3");
	CHECK_INT(p.state, POLICY_DEGRADED);
	CHECK_STR(p.degraded_reason, "cannot collapse: no BBML3");
	CHECK_U64(p.errors, 2);
}

/* A steady run's step at @t, and the look at the map that follows it. */
static void steady_step(struct policy *p, uint64_t t,
			const struct lc_collapse_result *r)
{
	struct lc_stats s = stats_of(1000, 1000, 7);

	policy_on_step(p, t, r);
	if (p->state != POLICY_SETTLING)
		return;
	CHECK_INT(policy_tick(p, t).kind, POLICY_ACT_GET_STATS);
	policy_on_stats(p, t, &s);
}

/* Splits every second from @from to @to (exclusive). */
static void split_every_second(struct policy *p, uint64_t from, uint64_t to)
{
	uint64_t t;

	for (t = from; t < to; t += SEC(1))
		policy_on_split(p, t, 4);
}

/*
 * Splits that never stop: every steady_interval a steady run collapses
 * with the quiet period as minimum age, splits do not stop it, and it
 * settles again; without a kernel that takes minimum ages, nothing runs.
 */
static void test_steady_churn_collapses_quiet_memory(void)
{
	struct lc_collapse_result r = step_of(0, 4 * GIB, 0, 8);
	struct policy_action act;
	struct policy p;

	start_idle(&p, SEC(1), 1000, 1000);
	split_every_second(&p, SEC(10), SEC(20));
	CHECK_INT(policy_tick(&p, SEC(19)).kind, POLICY_ACT_NONE);
	/* no minimum ages: waiting for quiet, the old way */
	CHECK_U64(policy_deadline(&p), SEC(24));

	policy_set_min_age_supported(&p, true);
	policy_on_split(&p, SEC(20), 4);
	CHECK_U64(policy_deadline(&p), SEC(20));	/* 10s after the first */
	act = policy_tick(&p, SEC(20));
	CHECK_INT(act.kind, POLICY_ACT_COLLAPSE);
	CHECK_U64(act.req.min_age_msecs, 5000);
	CHECK(!act.req.has_range);
	CHECK_INT(p.state, POLICY_COLLAPSING);
	/* a split during a steady run does not stop it */
	policy_on_split(&p, SEC(20) + 1, 4);
	CHECK_INT(p.state, POLICY_COLLAPSING);
	r.young = 3;
	r.has_pingpongs = true;
	r.pingpongs = 100;
	steady_step(&p, SEC(20) + 2, &r);
	CHECK_INT(p.state, POLICY_SETTLING);
	CHECK_U64(p.steady_runs, 1);
	CHECK_U64(p.young, 3);
	CHECK_U64(p.kernel_pingpongs, 100);
	CHECK_U64(p.skips[POLICY_SKIP_INTERRUPTED], 0);
	CHECK_U64(policy_deadline(&p), SEC(25) + 1);	/* quiet after the split */
	split_every_second(&p, SEC(21), SEC(30));
	CHECK_U64(policy_deadline(&p), SEC(30) + 2);	/* the next run */
	/* quiet at last: the whole map, the old way, without a minimum age */
	CHECK_INT(policy_tick(&p, SEC(34)).kind, POLICY_ACT_GET_STATS);
	CHECK_INT(p.state, POLICY_CHECKING);
}

/*
 * Idle with a kernel that takes a minimum age, then splits every second
 * from 10 s: the first steady run is due at 20 s, and starts.
 */
static void start_steady(struct policy *p)
{
	start_idle(p, SEC(1), 1000, 1000);
	policy_set_min_age_supported(p, true);
	split_every_second(p, SEC(10), SEC(21));
	CHECK_INT(policy_tick(p, SEC(20)).kind, POLICY_ACT_COLLAPSE);
}

/* More than a quarter of what a steady run built split again: back off. */
static void test_steady_pingpongs_raise_the_minimum_age(void)
{
	struct lc_collapse_result r = step_of(0, 4 * GIB, 0, 8);
	struct policy p;

	start_steady(&p);
	r.has_pingpongs = true;
	r.pingpongs = 100;
	steady_step(&p, SEC(20), &r);
	split_every_second(&p, SEC(21), SEC(31));
	CHECK_INT(policy_tick(&p, SEC(30)).kind, POLICY_ACT_COLLAPSE);
	r.pingpongs = 103;		/* 3 of 8 again: more than a quarter */
	steady_step(&p, SEC(30), &r);
	CHECK_INT(p.backoff_level, 1);
	split_every_second(&p, SEC(31), SEC(41));
	{
		struct policy_action act = policy_tick(&p, SEC(40));

		CHECK_INT(act.kind, POLICY_ACT_COLLAPSE);
		CHECK_U64(act.req.min_age_msecs, 10000);
	}
	steady_step(&p, SEC(40), &r);	/* none again: halve back */
	CHECK_INT(p.backoff_level, 0);
}

/* Each look's ratio holds until the next: a time-weighted average. */
static void test_restoration_average_weights_each_look_by_time(void)
{
	struct lc_stats split = stats_of(3000, 1000, 8);
	struct lc_stats whole = stats_of(1000, 1000, 8);
	struct policy p;

	policy_init(&p, &cfg, SEC(1));
	CHECK(isnan(policy_restoration_average(&p, SEC(1))));
	policy_on_stats(&p, SEC(10), &split);	/* 3.0 for 10 s */
	CHECK(fabs(policy_restoration_average(&p, SEC(10)) - 3.0) < 1e-9);
	policy_on_stats(&p, SEC(20), &whole);	/* then 1.0 for 30 s */
	CHECK(fabs(policy_restoration_average(&p, SEC(50)) - 1.5) < 1e-9);
}

/* Steady runs spend at most steady_cpu of kernel time a minute. */
static void test_steady_runs_keep_to_the_cpu_budget(void)
{
	struct lc_collapse_result r = step_of(0, 4 * GIB, 0, 8);
	struct policy p;

	start_steady(&p);
	r.nsecs = 700 * NSEC_PER_MSEC;	/* over 600ms */
	steady_step(&p, SEC(20), &r);
	split_every_second(&p, SEC(21), SEC(90));
	/* not at 30s: the budget's minute (from 0) ends first */
	CHECK_U64(policy_deadline(&p), SEC(60));
	CHECK_INT(policy_tick(&p, SEC(59)).kind, POLICY_ACT_NONE);
	CHECK_INT(policy_tick(&p, SEC(60)).kind, POLICY_ACT_COLLAPSE);
	CHECK_U64(p.cpu_used, 0);
}

static void test_status_lines_read_well(void)
{
	struct lc_collapse_result r = step_of(0, 4 * GIB, GIB, 120);
	struct policy p;
	char line[256];

	start_idle(&p, SEC(1), 1000, 1000);
	status_text(line, sizeof(line), &p);
	CHECK_STR(line, "idle: linear map restored (1.00)");
	settle_and_check(&p, SEC(10), 5000);
	CHECK_INT(policy_tick(&p, SEC(15)).kind, POLICY_ACT_COLLAPSE);
	policy_on_step(&p, SEC(15), &r);
	status_text(line, sizeof(line), &p);
	CHECK_STR(line, "collapsing: step 2, 120 tables freed");
	policy_on_split(&p, SEC(16), 1);
	status_text(line, sizeof(line), &p);
	CHECK_STR(line, "waiting 5s for splits to stop");
}

static const struct tap_test tests[] = {
	TAP_TEST(test_restored_map_sleeps_until_resync),
	TAP_TEST(test_collapse_waits_for_quiet_period_after_last_split),
	TAP_TEST(test_collapse_steps_follow_cursor_with_budget),
	TAP_TEST(test_cursor_that_does_not_advance_ends_the_collapse),
	TAP_TEST(test_split_interrupts_stepping_and_waits_again),
	TAP_TEST(test_change_event_wakes_an_idle_policy),
	TAP_TEST(test_pingpong_doubles_quiet_period_up_to_max),
	TAP_TEST(test_calm_collapse_decays_backoff),
	TAP_TEST(test_gain_below_min_gain_skips_the_collapse),
	TAP_TEST(test_lost_events_resync_from_get_stats),
	TAP_TEST(test_resync_interval_checks_the_map_when_idle),
	TAP_TEST(test_resync_leaves_an_unfoldable_remainder_alone),
	TAP_TEST(test_fragmented_map_at_start_is_collapsed_after_quiet),
	TAP_TEST(test_degraded_without_family_waits_for_resync_only),
	TAP_TEST(test_degraded_without_bbml3_reprobes_on_reload),
	TAP_TEST(test_refused_collapse_degrades_other_failures_do_not),
	TAP_TEST(test_steady_churn_collapses_quiet_memory),
	TAP_TEST(test_steady_pingpongs_raise_the_minimum_age),
	TAP_TEST(test_steady_runs_keep_to_the_cpu_budget),
	TAP_TEST(test_restoration_average_weights_each_look_by_time),
	TAP_TEST(test_status_lines_read_well),
};

int main(void)
{
	config_defaults(&cfg);
	return tap_run(tests, sizeof(tests) / sizeof(tests[0]));
}
