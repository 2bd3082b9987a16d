// SPDX-License-Identifier: GPL-2.0
/*
 * The daemon's use of libcollapse (daemon/kernel.c) against the fake
 * kernel: probing into degraded mode or a subscription, get-stats feeding
 * the gain check, budgeted collapse steps sent with the kernel's cursor, a
 * refusal with the kernel's extack message, and split and lost events
 * reaching the policy.  The policy decides; the fake kernel answers.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/linmap.h>
#include <netlink/genl/genl.h>

#include "duration.h"
#include "fake-kernel.h"
#include "kernel.h"
#include "libcollapse-private.h"
#include "tap.h"

#define SEC(n)		((uint64_t)(n) * NSEC_PER_SEC)
#define MAP_START	0x40000000ULL
#define TABLE_SPAN	0x200000ULL	/* one PTE table maps 2 MiB */

/* What the fake linmap family knows and what it was asked. */
struct fake_linmap {
	bool cannot_collapse;		/* get-caps: no BBML3 */
	uint64_t leaves, ideal, splits;	/* get-stats */
	uint64_t map_end;		/* collapse scans [MAP_START, map_end) */
	int collapse_error;		/* refuse collapse with this ... */
	const char *collapse_extack;	/* ... and this message */
	int collapses;			/* collapse requests seen */
	int silent_stats;		/* get-stats answered with nothing */
	bool not_admin;			/* no CAP_SYS_ADMIN: walks refused */
	struct fk_stats map;		/* get-stats as the kernel answers it */
	int opens;			/* request sockets opened */
	bool ranged[16];
	uint64_t starts[16], ends[16], budgets[16];
	/*
	 * Split tracking: 1G regions in get-caps, @marked in get-stats, one
	 * region per collapse step (four with FULL_SCAN); or a kernel before
	 * it, which refuses FULL_SCAN (counted in @refused).
	 */
	bool predates_split_tracking;
	uint64_t marked;
	bool full_scans[16];
	int refused;
};

static struct fake_linmap fake;

static void answer_caps(const struct nlmsghdr *req)
{
	struct nl_msg *msg = fk_reply_new(req, LINMAP_CMD_GET_CAPS);

	nla_put_u32(msg, LINMAP_A_CAPS_GRANULE, 4096);
	nla_put_u8(msg, LINMAP_A_CAPS_BBML3, !fake.cannot_collapse);
	nla_put_u8(msg, LINMAP_A_CAPS_BLOCK_CAPABLE, !fake.cannot_collapse);
	nla_put_u8(msg, LINMAP_A_CAPS_RODATA_FULL, 1);
	nla_put_u8(msg, LINMAP_A_CAPS_REALM, 0);
	nla_put_u8(msg, LINMAP_A_CAPS_POE, 0);
	nla_put_u8(msg, LINMAP_A_CAPS_KFENCE, 0);
	if (fake.cannot_collapse)
		nla_put_string(msg, LINMAP_A_CAPS_REASON,
			       "CPUs lack BBML3: the linear map is mapped with pages");
	fk_put_u64_64bit(msg, LINMAP_A_CAPS_RAM_BYTES, 1ULL << 32,
			 LINMAP_A_CAPS_PAD);
	if (!fake.predates_split_tracking)
		fk_put_u64_64bit(msg, LINMAP_A_CAPS_REGION_SIZE, 1ULL << 30,
				 LINMAP_A_CAPS_PAD);
	fk_queue(msg, false);
}

/* The fake's figures through the fake kernel's get-stats (walk or counters). */
static void answer_stats(const struct nlmsghdr *req)
{
	struct fk_stats *m = &fake.map;

	m->admin = !fake.not_admin;
	memset(m->leaves, 0, sizeof(m->leaves));
	m->leaves[LC_LEVEL_PTE] = fake.leaves;
	m->ideal = fake.ideal;
	memset(m->splits, 0, sizeof(m->splits));
	m->splits[LC_LEVEL_PMD] = fake.splits;
	m->predates_split_tracking = fake.predates_split_tracking;
	m->marked_regions = fake.marked;
	fk_answer_stats(req, m, false);
}

static void answer_collapse(const struct nlmsghdr *req)
{
	struct nlattr *tb[LINMAP_A_COLLAPSE_MAX + 1];
	const int pad = LINMAP_A_COLLAPSE_PAD;
	uint64_t start = MAP_START, end = fake.map_end, budget = 0;
	uint64_t scanned, next = 0;
	int n = fake.collapses++;
	struct nl_msg *msg;

	if (genlmsg_parse((struct nlmsghdr *)req, 0, tb, LINMAP_A_COLLAPSE_MAX,
			  NULL) < 0 || n >= 16)
		abort();
	if (fake.collapse_error) {
		fk_queue(fk_error_new(req, fake.collapse_error, true,
				      fake.collapse_extack), false);
		return;
	}
	fake.full_scans[n] = fk_collapse_full_scan(req);
	if (fk_collapse_refuse_full_scan(req, fake.predates_split_tracking)) {
		fake.refused++;
		return;
	}
	fake.ranged[n] = tb[LINMAP_A_COLLAPSE_START] != NULL;
	if (tb[LINMAP_A_COLLAPSE_START] && tb[LINMAP_A_COLLAPSE_END]) {
		start = nla_get_u64(tb[LINMAP_A_COLLAPSE_START]);
		end = nla_get_u64(tb[LINMAP_A_COLLAPSE_END]);
	}
	if (tb[LINMAP_A_COLLAPSE_BUDGET])
		budget = nla_get_u64(tb[LINMAP_A_COLLAPSE_BUDGET]);
	fake.starts[n] = start;
	fake.ends[n] = end;
	fake.budgets[n] = budget;
	scanned = (end - start) / TABLE_SPAN;
	if (budget && budget < scanned) {
		scanned = budget;
		next = start + budget * TABLE_SPAN;
	}
	msg = fk_reply_new(req, LINMAP_CMD_COLLAPSE);
	fk_put_u64_64bit(msg, LINMAP_A_COLLAPSE_START, start, pad);
	fk_put_u64_64bit(msg, LINMAP_A_COLLAPSE_END, end, pad);
	fk_put_collapse_counts(msg, scanned, next, LINMAP_SKIP_REASON_PKEY, 1);
	fk_put_collapse_regions(msg, fake.predates_split_tracking,
				fake.full_scans[n], fake.full_scans[n] ? 4 : 1);
	fk_put_collapse_longest_hold(msg, fake.predates_split_tracking, n);
	fk_queue(msg, false);
}

static void answer(const struct nlmsghdr *req, void *arg)
{
	const struct genlmsghdr *ghdr = nlmsg_data(req);

	(void)arg;
	switch (ghdr->cmd) {
	case LINMAP_CMD_GET_CAPS:
		answer_caps(req);
		break;
	case LINMAP_CMD_GET_STATS:
		if (fake.silent_stats) {
			fake.silent_stats--;
			return;		/* no reply, no ack */
		}
		answer_stats(req);
		return;		/* answered with its ack, or refused */
	case LINMAP_CMD_COLLAPSE:
		answer_collapse(req);
		if (fake.collapse_error)
			return;
		break;
	default:
		abort();
	}
	fk_queue(fk_error_new(req, 0, true, NULL), false);
}

static int fake_open(struct lc_ctx **ctx)
{
	fake.opens++;
	*ctx = lc_ctx_new(fk_sock_new(answer, NULL), FK_FAMILY);
	return *ctx ? 0 : -ENOMEM;
}

static int no_family_open(struct lc_ctx **ctx)
{
	*ctx = NULL;
	return LC_ERR_NO_FAMILY;
}

/* The fake has one responder for all sockets: keep it answering. */
static int fake_events_open(struct lc_events **evs)
{
	*evs = lc_events_new(fk_sock_new(answer, NULL), FK_FAMILY, 7);
	return *evs ? 0 : -ENOMEM;
}

static const struct kernel_openers fake_openers = {
	.open = fake_open,
	.events_open = fake_events_open,
};

static const struct kernel_openers no_family_openers = {
	.open = no_family_open,
	.events_open = fake_events_open,
};

static struct collapsed_config cfg;

/* Carry out the action due at @now; what it was. */
static enum policy_action_kind run_tick(struct kernel *k, struct policy *p,
					uint64_t now)
{
	struct policy_action act = policy_tick(p, now);

	switch (act.kind) {
	case POLICY_ACT_NONE:
		break;
	case POLICY_ACT_PROBE:
		kernel_probe(k, p, now);
		break;
	case POLICY_ACT_GET_STATS:
		kernel_get_stats(k, p, now);
		break;
	case POLICY_ACT_COLLAPSE:
		kernel_collapse_step(k, p, now, &act.req);
		break;
	}
	CHECK_INT(fk_pending(), 0);
	return act.kind;
}

static void start(struct kernel *k, struct policy *p,
		  const struct kernel_openers *openers)
{
	kernel_init(k, openers);
	policy_init(p, &cfg, SEC(1));
	CHECK_INT(run_tick(k, p, SEC(1)), POLICY_ACT_PROBE);
}

static struct nl_msg *split_event(uint64_t new_splits)
{
	struct nl_msg *msg = fk_event_new(LINMAP_CMD_SPLIT_NTF);

	fk_put_count_nest(msg, LINMAP_A_SPLIT_EVENT_SPLITS,
			  LINMAP_A_LEVEL_COUNT_LEVEL, LINMAP_LEAF_LEVEL_PMD,
			  LINMAP_A_LEVEL_COUNT_COUNT, new_splits,
			  LINMAP_A_LEVEL_COUNT_PAD);
	fk_put_u64_64bit(msg, LINMAP_A_SPLIT_EVENT_NEW_SPLITS, new_splits,
			 LINMAP_A_SPLIT_EVENT_PAD);
	return msg;
}

static void test_kernel_without_family_is_degraded_with_reason(void)
{
	struct kernel k;
	struct policy p;

	start(&k, &p, &no_family_openers);
	CHECK_INT(p.state, POLICY_DEGRADED);
	CHECK_CONTAINS(p.degraded_reason, "kernel has no linmap family");
	CHECK(!k.ctx && !k.evs);
	CHECK_U64(policy_deadline(&p), SEC(1) + cfg.resync_interval);
	/* The reason is said once: a re-probe finds it already said. */
	CHECK_CONTAINS(k.degraded_logged, "kernel has no linmap family");
	kernel_close(&k);
}

static void test_system_without_bbml3_is_degraded_with_kernel_reason(void)
{
	struct kernel k;
	struct policy p;

	memset(&fake, 0, sizeof(fake));
	fake.cannot_collapse = true;
	start(&k, &p, &fake_openers);
	CHECK_INT(p.state, POLICY_DEGRADED);
	CHECK_STR(p.degraded_reason,
		  "system cannot collapse: CPUs lack BBML3: the linear map is mapped with pages");
	CHECK(k.has_caps);
	CHECK(!k.ctx && !k.evs);
	kernel_close(&k);
}

static void test_collapse_steps_send_budget_and_kernel_cursor(void)
{
	struct kernel k;
	struct policy p;
	int steps = 0;

	memset(&fake, 0, sizeof(fake));
	fake.leaves = 9000;
	fake.ideal = 1000;
	fake.splits = 5;
	fake.map_end = MAP_START + 10 * TABLE_SPAN;
	cfg.budget = 4;
	start(&k, &p, &fake_openers);
	CHECK_INT(p.state, POLICY_IDLE);
	CHECK(k.evs != NULL);
	CHECK_INT(run_tick(&k, &p, SEC(1)), POLICY_ACT_GET_STATS);
	/* Fragmented at start: collapsed after the quiet period. */
	CHECK_INT(p.state, POLICY_SETTLING);
	CHECK_INT(run_tick(&k, &p, SEC(6)), POLICY_ACT_GET_STATS);
	while (p.state == POLICY_COLLAPSING && steps++ < 10)
		CHECK_INT(run_tick(&k, &p, SEC(6)), POLICY_ACT_COLLAPSE);

	CHECK_INT(fake.collapses, 3);
	CHECK(!fake.ranged[0]);
	CHECK_U64(fake.budgets[0], 4);
	CHECK(fake.ranged[1]);
	CHECK_U64(fake.starts[1], MAP_START + 4 * TABLE_SPAN);
	CHECK_U64(fake.ends[1], MAP_START + 10 * TABLE_SPAN);
	CHECK_U64(fake.budgets[1], 4);
	CHECK_U64(fake.starts[2], MAP_START + 8 * TABLE_SPAN);
	CHECK_U64(p.collapses, 1);
	CHECK_U64(p.last.tables_scanned, 10);
	CHECK_U64(p.last.tables_freed, 10);
	CHECK_U64(p.last.folds[LC_LEVEL_PMD], 10);
	CHECK_U64(p.last.skips[LC_SKIP_PKEY], 3);
	CHECK_INT(p.last_steps, 3);

	/* Then a fresh look: restored. */
	fake.leaves = 1000;
	CHECK_INT(run_tick(&k, &p, SEC(7)), POLICY_ACT_GET_STATS);
	CHECK_INT(p.state, POLICY_IDLE);
	CHECK_U64(k.stats.leaves[LC_LEVEL_PTE], 1000);
	CHECK_STR(k.last_error, "");
	cfg.budget = 64;
	kernel_close(&k);
}

/*
 * Split tracking: the daemon's requests visit the marked regions only (no
 * FULL_SCAN); it adds up the regions its steps visited and keeps the
 * region size and the marked regions the kernel reports.  On a kernel
 * before it nothing is refused and the regions are unknown.
 */
static void test_collapses_visit_the_marked_regions_and_count_them(void)
{
	struct kernel k;
	struct policy p;
	int steps = 0, i;

	memset(&fake, 0, sizeof(fake));
	fake.leaves = 9000;
	fake.ideal = 1000;
	fake.splits = 5;
	fake.marked = 3;
	fake.map_end = MAP_START + 10 * TABLE_SPAN;
	cfg.budget = 4;
	start(&k, &p, &fake_openers);
	CHECK_U64(k.caps.region_size, 1ULL << 30);
	CHECK_INT(run_tick(&k, &p, SEC(1)), POLICY_ACT_GET_STATS);
	CHECK(k.stats.has_marked_regions);
	CHECK_U64(k.stats.marked_regions, 3);
	CHECK_INT(run_tick(&k, &p, SEC(6)), POLICY_ACT_GET_STATS);
	while (p.state == POLICY_COLLAPSING && steps++ < 10)
		CHECK_INT(run_tick(&k, &p, SEC(6)), POLICY_ACT_COLLAPSE);
	CHECK_INT(fake.collapses, 3);
	for (i = 0; i < 3; i++)
		CHECK(!fake.full_scans[i]);
	CHECK_U64(p.regions_scanned, 3);
	CHECK(p.last.has_regions_scanned);
	CHECK_U64(p.last.regions_scanned, 3);
	CHECK(!p.last.full_scan);
	/* The longest of the steps' holds (300, 900, 500 ns), not their sum. */
	CHECK(p.last.has_longest_hold);
	CHECK_U64(p.last.longest_hold_nsecs, 900);
	fake.marked = 0;
	CHECK_INT(run_tick(&k, &p, SEC(7)), POLICY_ACT_GET_STATS);
	CHECK(k.stats.has_marked_regions);
	CHECK_U64(k.stats.marked_regions, 0);
	kernel_close(&k);

	memset(&fake, 0, sizeof(fake));
	fake.predates_split_tracking = true;
	fake.leaves = 9000;
	fake.ideal = 1000;
	fake.splits = 5;
	fake.map_end = MAP_START + 10 * TABLE_SPAN;
	start(&k, &p, &fake_openers);
	CHECK_U64(k.caps.region_size, 0);
	run_tick(&k, &p, SEC(1));
	CHECK(!k.stats.has_marked_regions);
	run_tick(&k, &p, SEC(6));
	steps = 0;
	while (p.state == POLICY_COLLAPSING && steps++ < 10)
		CHECK_INT(run_tick(&k, &p, SEC(6)), POLICY_ACT_COLLAPSE);
	CHECK_INT(fake.collapses, 3);
	CHECK_INT(fake.refused, 0);
	CHECK_U64(p.collapses, 1);
	CHECK_U64(p.regions_scanned, 0);
	CHECK(!p.last.has_regions_scanned);
	CHECK(p.last.full_scan);	/* such a kernel visits every region */
	CHECK(!p.last.has_longest_hold);
	CHECK_STR(k.last_error, "");
	cfg.budget = 64;
	kernel_close(&k);
}

static void test_refused_collapse_degrades_with_extack(void)
{
	struct kernel k;
	struct policy p;

	memset(&fake, 0, sizeof(fake));
	fake.leaves = 9000;
	fake.ideal = 1000;
	fake.map_end = MAP_START + 10 * TABLE_SPAN;
	fake.collapse_error = -EOPNOTSUPP;
	fake.collapse_extack = "cannot collapse: the linear map is not block-capable";
	start(&k, &p, &fake_openers);
	run_tick(&k, &p, SEC(1));
	run_tick(&k, &p, SEC(6));
	CHECK_INT(run_tick(&k, &p, SEC(6)), POLICY_ACT_COLLAPSE);
	CHECK_INT(p.state, POLICY_DEGRADED);
	CHECK_CONTAINS(p.degraded_reason,
		       "cannot collapse: the linear map is not block-capable");
	CHECK_CONTAINS(k.last_error, "collapse: ");
	CHECK(!k.ctx && !k.evs);
	CHECK_U64(policy_deadline(&p), SEC(6) + cfg.resync_interval);
	kernel_close(&k);
}

/* Subscribed, and idle over a map at its ideal. */
static void start_idle(struct kernel *k, struct policy *p)
{
	memset(&fake, 0, sizeof(fake));
	fake.leaves = fake.ideal = 1000;
	start(k, p, &fake_openers);
	run_tick(k, p, SEC(1));
	CHECK_INT(p->state, POLICY_IDLE);
}

/* A split event that also tells of attribute changes. */
static struct nl_msg *change_event(uint64_t new_splits, uint64_t changes,
				   uint64_t new_changes)
{
	struct nl_msg *msg = split_event(new_splits);

	fk_put_u64_64bit(msg, LINMAP_A_SPLIT_EVENT_CHANGES, changes,
			 LINMAP_A_SPLIT_EVENT_PAD);
	fk_put_u64_64bit(msg, LINMAP_A_SPLIT_EVENT_NEW_CHANGES, new_changes,
			 LINMAP_A_SPLIT_EVENT_PAD);
	return msg;
}

static void test_split_and_lost_events_reach_the_policy(void)
{
	struct kernel k;
	struct policy p;

	start_idle(&k, &p);

	fk_queue(split_event(512), false);
	kernel_read_events(&k, &p, SEC(10));
	CHECK_INT(p.state, POLICY_SETTLING);
	CHECK_U64(p.splits_seen, 512);
	CHECK_U64(policy_deadline(&p), SEC(15));

	fk_queue_recv_error(-NLE_NOMEM, ENOBUFS);
	fk_queue(split_event(1), false);
	kernel_read_events(&k, &p, SEC(11));
	CHECK_U64(p.lost_events, 1);
	CHECK_U64(p.split_events, 2);
	CHECK_U64(policy_deadline(&p), SEC(11));
	CHECK_INT(run_tick(&k, &p, SEC(11)), POLICY_ACT_GET_STATS);
	CHECK_INT(fk_pending(), 0);
	kernel_close(&k);
}

/* An event with attribute changes and no splits is a change event. */
static void test_change_event_reaches_the_policy(void)
{
	struct kernel k;
	struct policy p;

	start_idle(&k, &p);
	fk_queue(change_event(0, 40, 4), false);
	kernel_read_events(&k, &p, SEC(10));
	CHECK_INT(p.state, POLICY_SETTLING);
	CHECK_U64(p.change_events, 1);
	CHECK_U64(p.split_events, 0);
	CHECK_U64(policy_deadline(&p), SEC(15));

	/* with splits too, it is a split event */
	fk_queue(change_event(2, 41, 1), false);
	kernel_read_events(&k, &p, SEC(11));
	CHECK_U64(p.change_events, 1);
	CHECK_U64(p.split_events, 1);
	CHECK_U64(p.splits_seen, 2);
	kernel_close(&k);
}

static void test_request_without_ack_reopens_the_socket(void)
{
	struct kernel k;
	struct policy p;

	memset(&fake, 0, sizeof(fake));
	fake.leaves = fake.ideal = 1000;
	fake.silent_stats = 1;
	start(&k, &p, &fake_openers);
	CHECK_INT(p.state, POLICY_IDLE);
	CHECK_INT(fake.opens, 1);
	/* get-stats gets no ack: -EIO, and the socket is replaced. */
	CHECK_INT(run_tick(&k, &p, SEC(1)), POLICY_ACT_GET_STATS);
	CHECK_CONTAINS(k.last_error, "get-stats: ");
	CHECK_CONTAINS(k.last_error, "out of step");
	CHECK_INT(fake.opens, 2);
	CHECK(k.ctx != NULL);
	CHECK_INT(p.state, POLICY_IDLE);
	/* The next request goes through the new socket. */
	policy_on_lost_events(&p, SEC(2));
	CHECK_INT(run_tick(&k, &p, SEC(2)), POLICY_ACT_GET_STATS);
	CHECK(k.has_stats);
	CHECK_U64(k.stats.leaves[LC_LEVEL_PTE], 1000);
	CHECK_INT(fake.opens, 2);
	kernel_close(&k);
}

/* The gain needs the ideal: every get-stats of the daemon is a walk. */
static void test_get_stats_asks_for_the_walk(void)
{
	struct kernel k;
	struct policy p;

	memset(&fake, 0, sizeof(fake));
	fake.leaves = 9000;
	fake.ideal = 1000;
	start(&k, &p, &fake_openers);
	CHECK_INT(run_tick(&k, &p, SEC(1)), POLICY_ACT_GET_STATS);
	CHECK_INT(fake.map.requests, 1);
	CHECK(fake.map.last_walk_flag);
	CHECK(!fake.map.last_range);
	CHECK(k.has_stats);
	CHECK(k.stats.walked);
	CHECK_U64(k.stats.ideal_leaves, 1000);
	CHECK_U64(policy_gain(&p), 8000);
	kernel_close(&k);
}

/*
 * Without CAP_SYS_ADMIN the walk is refused, and the daemon could not
 * collapse either: degraded, with the kernel's reason.
 */
static void test_refused_walk_degrades_with_the_kernels_reason(void)
{
	struct kernel k;
	struct policy p;

	memset(&fake, 0, sizeof(fake));
	fake.leaves = 9000;
	fake.ideal = 1000;
	fake.not_admin = true;
	start(&k, &p, &fake_openers);
	CHECK_INT(p.state, POLICY_IDLE);
	CHECK_INT(run_tick(&k, &p, SEC(1)), POLICY_ACT_GET_STATS);
	CHECK_INT(fake.map.refused, 1);
	CHECK_INT(p.state, POLICY_DEGRADED);
	CHECK_CONTAINS(p.degraded_reason, "get-stats: Operation not permitted: ");
	CHECK_CONTAINS(p.degraded_reason, "needs CAP_SYS_ADMIN");
	CHECK(!k.has_stats);
	CHECK(!k.ctx && !k.evs);
	CHECK_U64(policy_deadline(&p), SEC(1) + cfg.resync_interval);
	kernel_close(&k);
}

/* A failed get-stats leaves the last answer in the status, not zeroes. */
static void test_failed_get_stats_keeps_the_last_answer(void)
{
	struct kernel k;
	struct policy p;

	memset(&fake, 0, sizeof(fake));
	fake.leaves = fake.ideal = 1000;
	start(&k, &p, &fake_openers);
	CHECK_INT(run_tick(&k, &p, SEC(1)), POLICY_ACT_GET_STATS);
	CHECK_U64(k.stats.leaves[LC_LEVEL_PTE], 1000);
	fake.silent_stats = 1;
	policy_on_lost_events(&p, SEC(2));
	CHECK_INT(run_tick(&k, &p, SEC(2)), POLICY_ACT_GET_STATS);
	CHECK_CONTAINS(k.last_error, "get-stats: ");
	CHECK(k.has_stats);
	CHECK(k.stats.walked);
	CHECK_U64(k.stats.leaves[LC_LEVEL_PTE], 1000);
	CHECK_U64(k.stats.ideal_leaves, 1000);
	kernel_close(&k);
}

static const struct tap_test tests[] = {
	TAP_TEST(test_kernel_without_family_is_degraded_with_reason),
	TAP_TEST(test_system_without_bbml3_is_degraded_with_kernel_reason),
	TAP_TEST(test_collapse_steps_send_budget_and_kernel_cursor),
	TAP_TEST(test_collapses_visit_the_marked_regions_and_count_them),
	TAP_TEST(test_refused_collapse_degrades_with_extack),
	TAP_TEST(test_split_and_lost_events_reach_the_policy),
	TAP_TEST(test_change_event_reaches_the_policy),
	TAP_TEST(test_request_without_ack_reopens_the_socket),
	TAP_TEST(test_get_stats_asks_for_the_walk),
	TAP_TEST(test_refused_walk_degrades_with_the_kernels_reason),
	TAP_TEST(test_failed_get_stats_keeps_the_last_answer),
};

int main(void)
{
	config_defaults(&cfg);
	return tap_run(tests, sizeof(tests) / sizeof(tests[0]));
}
