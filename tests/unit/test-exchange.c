// SPDX-License-Identifier: GPL-2.0
/*
 * Whole exchanges through libnl's receive loop, against a fake kernel that
 * answers each request with the datagrams a real one would send.
 */
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <linux/linmap.h>
#include <netlink/errno.h>
#include <netlink/genl/genl.h>

#include "fake-kernel.h"
#include "libcollapse-private.h"
#include "tap.h"

#define CAPS_PAD LINMAP_A_CAPS_PAD

static struct nl_msg *caps_reply(const struct nlmsghdr *req, bool complete)
{
	struct nl_msg *msg = fk_reply_new(req, LINMAP_CMD_GET_CAPS);

	nla_put_u32(msg, LINMAP_A_CAPS_GRANULE, 4096);
	nla_put_u8(msg, LINMAP_A_CAPS_BBML3, 1);
	nla_put_u8(msg, LINMAP_A_CAPS_BLOCK_CAPABLE, 1);
	nla_put_u8(msg, LINMAP_A_CAPS_RODATA_FULL, 1);
	nla_put_u8(msg, LINMAP_A_CAPS_REALM, 0);
	nla_put_u8(msg, LINMAP_A_CAPS_POE, 0);
	nla_put_u8(msg, LINMAP_A_CAPS_KFENCE, 1);
	if (complete)
		fk_put_u64_64bit(msg, LINMAP_A_CAPS_RAM_BYTES, UINT64_C(1) << 31,
				 CAPS_PAD);
	return msg;
}

/*
 * The map get-stats reports: each count is its attribute's type times 10,
 * so a value read into the wrong field shows.  Admin: walks are answered.
 */
static struct fk_stats map;

static void map_reset(void)
{
	memset(&map, 0, sizeof(map));
	map.admin = true;
	map.leaves[LC_LEVEL_PUD] = LINMAP_A_STATS_LEAVES_PUD * 10;
	map.leaves[LC_LEVEL_CONT_PMD] = LINMAP_A_STATS_LEAVES_CONT_PMD * 10;
	map.leaves[LC_LEVEL_PMD] = LINMAP_A_STATS_LEAVES_PMD * 10;
	map.leaves[LC_LEVEL_CONT_PTE] = LINMAP_A_STATS_LEAVES_CONT_PTE * 10;
	map.leaves[LC_LEVEL_PTE] = LINMAP_A_STATS_LEAVES_PTE * 10;
	map.invalid = LINMAP_A_STATS_INVALID * 10;
	map.table_pages = LINMAP_A_STATS_TABLE_PAGES * 10;
	map.ideal = LINMAP_A_STATS_IDEAL_LEAVES * 10;
	map.mapped = LINMAP_A_STATS_MAPPED_BYTES * 10;
}

static void answer_with_reply_then_ack(const struct nlmsghdr *req, void *arg)
{
	struct genlmsghdr *ghdr = nlmsg_data(req);

	(void)arg;
	if (ghdr->cmd == LINMAP_CMD_GET_CAPS) {
		fk_queue(caps_reply(req, true), false);
		fk_queue(fk_error_new(req, 0, true, NULL), false);
	} else {
		fk_answer_stats(req, &map, false);
	}
}

static void answer_in_one_datagram(const struct nlmsghdr *req, void *arg)
{
	(void)arg;
	fk_answer_stats(req, &map, true);
}

static void answer_with_extack_error(const struct nlmsghdr *req, void *arg)
{
	/* arg: capped or not */
	fk_queue(fk_error_new(req, -EINVAL, arg != NULL,
			      "range end must be above start"), false);
}

static void answer_with_incomplete_reply(const struct nlmsghdr *req, void *arg)
{
	int *calls = arg;

	/* First request: a reply lacking ram-bytes; later ones: complete. */
	fk_queue(caps_reply(req, (*calls)++ > 0), false);
	fk_queue(fk_error_new(req, 0, true, NULL), false);
}

static void answer_with_ack_only(const struct nlmsghdr *req, void *arg)
{
	(void)arg;
	fk_queue(fk_error_new(req, 0, true, NULL), false);
}

static void answer_nothing(const struct nlmsghdr *req, void *arg)
{
	(void)req;
	(void)arg;
}

/*
 * The first answer is broken by a receive failure (a socket overrun)
 * between its reply and its ack; the later ones are whole.  Every reply
 * carries the number of its request as its granule, so a request that
 * reads an earlier one's reply is seen.
 */
static void answer_with_reply_recv_error_ack(const struct nlmsghdr *req,
					     void *arg)
{
	int *calls = arg;
	struct nl_msg *msg = caps_reply(req, true);
	struct nlattr *granule = nlmsg_find_attr(nlmsg_hdr(msg),
						 GENL_HDRLEN,
						 LINMAP_A_CAPS_GRANULE);

	*(uint32_t *)nla_data(granule) = (uint32_t)++*calls;
	fk_queue(msg, false);
	if (*calls == 1)
		fk_queue_recv_error(-NLE_NOMEM, ENOBUFS);
	fk_queue(fk_error_new(req, 0, true, NULL), false);
}

/* Leftovers of an abandoned exchange (sequence - 1) before the answer. */
static void answer_after_stale_messages(const struct nlmsghdr *req, void *arg)
{
	struct nlmsghdr old = *req;
	int *stale = arg, i;

	old.nlmsg_seq--;
	for (i = 0; i < *stale; i++) {
		fk_queue(caps_reply(&old, false), false);
		fk_queue(fk_error_new(&old, 0, true, NULL), true);
	}
	fk_queue(caps_reply(req, true), false);
	fk_queue(fk_error_new(req, 0, true, NULL), false);
}

/* A well-formed get-caps reply answering get-stats. */
static void answer_with_the_wrong_command(const struct nlmsghdr *req,
					  void *arg)
{
	(void)arg;
	fk_queue(caps_reply(req, true), false);
	fk_queue(fk_error_new(req, 0, true, NULL), false);
}

static struct lc_ctx *fake_ctx(fk_responder responder, void *arg)
{
	struct lc_ctx *ctx = lc_ctx_new(fk_sock_new(responder, arg), FK_FAMILY);

	map_reset();
	if (!ctx)
		abort();
	return ctx;
}

static void test_get_caps_reads_reply_and_ack(void)
{
	struct lc_ctx *ctx = fake_ctx(answer_with_reply_then_ack, NULL);
	struct lc_caps caps;

	CHECK_INT(lc_get_caps(ctx, &caps, sizeof(caps)), 0);
	CHECK_STR(lc_strerror(ctx), "");
	CHECK_U64(caps.granule, 4096);
	CHECK(caps.bbml3);
	CHECK_U64(caps.ram_bytes, UINT64_C(1) << 31);
	CHECK_INT(fk_pending(), 0);
	lc_close(ctx);
}

static void test_get_stats_sends_range_and_reads_echo(void)
{
	struct lc_ctx *ctx = fake_ctx(answer_with_reply_then_ack, NULL);
	const struct lc_range range = { 0x40000000, 0x80000000 };
	struct nlattr *tb[LINMAP_A_STATS_MAX + 1];
	struct lc_stats stats;

	CHECK_INT(lc_get_stats(ctx, &range, &stats, sizeof(stats)), 0);
	CHECK(fk_last_request());
	if (fk_last_request()) {
		CHECK_INT(genlmsg_parse(nlmsg_hdr(fk_last_request()), 0, tb,
					LINMAP_A_STATS_MAX, NULL), 0);
		CHECK(tb[LINMAP_A_STATS_START] && tb[LINMAP_A_STATS_END]);
	}
	CHECK(stats.has_range);
	CHECK_U64(stats.start, 0x40000000);
	CHECK_U64(stats.end, 0x80000000);
	CHECK_U64(stats.leaves[LC_LEVEL_PUD], LINMAP_A_STATS_LEAVES_PUD * 10);
	CHECK_U64(stats.mapped_bytes, LINMAP_A_STATS_MAPPED_BYTES * 10);
	/* A range is a walk even without the flag (none was sent). */
	CHECK(!map.last_walk_flag);
	CHECK(stats.walked);
	CHECK_U64(stats.ideal_leaves, LINMAP_A_STATS_IDEAL_LEAVES * 10);
	lc_close(ctx);
}

static void test_get_stats_reply_and_ack_in_one_datagram(void)
{
	struct lc_ctx *ctx = fake_ctx(answer_in_one_datagram, NULL);
	struct lc_stats stats;

	CHECK_INT(lc_get_stats(ctx, NULL, &stats, sizeof(stats)), 0);
	CHECK(!stats.has_range);
	CHECK_U64(stats.leaves[LC_LEVEL_PTE], LINMAP_A_STATS_LEAVES_PTE * 10);
	CHECK_INT(fk_pending(), 0);
	lc_close(ctx);
}

/* lc_get_stats() sends no flag: the whole map comes from the counters. */
static void test_get_stats_of_the_whole_map_reads_the_counters(void)
{
	struct lc_ctx *ctx = fake_ctx(answer_with_reply_then_ack, NULL);
	struct lc_stats stats;

	memset(&stats, 0xaa, sizeof(stats));
	CHECK_INT(lc_get_stats(ctx, NULL, &stats, sizeof(stats)), 0);
	CHECK_INT(map.requests, 1);
	CHECK(!map.last_walk_flag);
	CHECK_INT(map.walks, 0);
	CHECK(!stats.walked);
	CHECK_U64(stats.ideal_leaves, 0);
	CHECK_U64(stats.invalid, 0);
	CHECK_U64(stats.leaves[LC_LEVEL_PTE], LINMAP_A_STATS_LEAVES_PTE * 10);
	CHECK_U64(stats.table_pages, LINMAP_A_STATS_TABLE_PAGES * 10);
	CHECK_U64(stats.mapped_bytes, LINMAP_A_STATS_MAPPED_BYTES * 10);
	CHECK(isnan(lc_stats_restoration(&stats)));
	lc_close(ctx);
}

static void test_get_stats_flags_walk_sends_the_flag_and_reads_the_walk(void)
{
	struct lc_ctx *ctx = fake_ctx(answer_with_reply_then_ack, NULL);
	struct nlattr *tb[LINMAP_A_STATS_MAX + 1];
	struct lc_stats stats;

	CHECK_INT(lc_get_stats_flags(ctx, NULL, LC_STATS_WALK, &stats,
				     sizeof(stats)), 0);
	CHECK_STR(lc_strerror(ctx), "");
	CHECK(fk_last_request());
	if (fk_last_request()) {
		CHECK_INT(genlmsg_parse(nlmsg_hdr(fk_last_request()), 0, tb,
					LINMAP_A_STATS_MAX, NULL), 0);
		CHECK(tb[LINMAP_A_STATS_WALK] != NULL);
		CHECK(!tb[LINMAP_A_STATS_START] && !tb[LINMAP_A_STATS_END]);
	}
	CHECK_INT(map.walks, 1);
	CHECK(stats.walked);
	CHECK(!stats.has_range);
	CHECK_U64(stats.ideal_leaves, LINMAP_A_STATS_IDEAL_LEAVES * 10);
	CHECK_U64(stats.invalid, LINMAP_A_STATS_INVALID * 10);
	CHECK_U64(stats.leaves[LC_LEVEL_PMD], LINMAP_A_STATS_LEAVES_PMD * 10);

	/* Flags 0 is lc_get_stats(): no flag on the wire. */
	CHECK_INT(lc_get_stats_flags(ctx, NULL, 0, &stats, sizeof(stats)), 0);
	CHECK(!map.last_walk_flag);
	CHECK(!stats.walked);
	lc_close(ctx);
}

static void test_walk_without_privilege_is_eperm_with_the_reason(void)
{
	struct lc_ctx *ctx = fake_ctx(answer_with_reply_then_ack, NULL);
	const struct lc_range range = { 0x40000000, 0x80000000 };
	struct lc_stats stats;

	map.admin = false;
	CHECK_INT(lc_get_stats_flags(ctx, NULL, LC_STATS_WALK, &stats,
				     sizeof(stats)), -EPERM);
	CHECK_STR(lc_strerror(ctx),
		  "get-stats: Operation not permitted: " FK_WALK_NEEDS_ADMIN);
	CHECK_INT(lc_get_stats(ctx, &range, &stats, sizeof(stats)), -EPERM);
	CHECK_STR(lc_strerror(ctx),
		  "get-stats: Operation not permitted: " FK_RANGE_NEEDS_ADMIN);
	/* The counters stay open. */
	CHECK_INT(lc_get_stats(ctx, NULL, &stats, sizeof(stats)), 0);
	CHECK(!stats.walked);
	CHECK_INT(map.refused, 2);
	CHECK_INT(fk_pending(), 0);
	lc_close(ctx);
}

static void test_get_stats_flags_refuses_unknown_flags_unsent(void)
{
	struct lc_ctx *ctx = fake_ctx(answer_with_reply_then_ack, NULL);
	struct lc_stats stats;

	CHECK_INT(lc_get_stats_flags(ctx, NULL, LC_STATS_WALK | 0x80, &stats,
				     sizeof(stats)), -EINVAL);
	CHECK_CONTAINS(lc_strerror(ctx), "get-stats: Invalid argument: unknown flags 0x80");
	CHECK_INT(map.requests, 0);
	lc_close(ctx);
}

static void test_walk_answered_without_the_ideal_is_a_protocol_error(void)
{
	struct lc_ctx *ctx = fake_ctx(answer_with_reply_then_ack, NULL);
	struct lc_stats stats;

	map.walk_without_ideal = true;
	CHECK_INT(lc_get_stats_flags(ctx, NULL, LC_STATS_WALK, &stats,
				     sizeof(stats)), -EPROTO);
	CHECK_STR(lc_strerror(ctx),
		  "get-stats: Protocol error: the reply to a walk lacks attribute 'ideal-leaves'");
	CHECK(!stats.walked);
	/* nothing of the half answer is passed on */
	CHECK_U64(stats.leaves[LC_LEVEL_PTE], 0);
	CHECK_INT(fk_pending(), 0);
	lc_close(ctx);
}

/*
 * A kernel before the flag walks every time, so its answers are walked;
 * it refuses the flag itself (EINVAL), so a walk is asked again without.
 */
static void test_kernel_before_the_walk_flag_always_walks(void)
{
	struct lc_ctx *ctx = fake_ctx(answer_with_reply_then_ack, NULL);
	struct lc_stats stats;

	map.predates_walk = true;
	map.admin = false;
	CHECK_INT(lc_get_stats(ctx, NULL, &stats, sizeof(stats)), 0);
	CHECK(stats.walked);
	CHECK_U64(stats.ideal_leaves, LINMAP_A_STATS_IDEAL_LEAVES * 10);
	map.requests = 0;
	CHECK_INT(lc_get_stats_flags(ctx, NULL, LC_STATS_WALK, &stats,
				     sizeof(stats)), 0);
	CHECK(stats.walked);
	CHECK_U64(stats.ideal_leaves, LINMAP_A_STATS_IDEAL_LEAVES * 10);
	CHECK_INT(map.requests, 2);
	CHECK_INT(map.refused, 1);
	CHECK_INT(fk_pending(), 0);
	lc_close(ctx);
}

/* A range walks without the flag: it is not sent with one. */
static void test_range_is_sent_without_the_walk_flag(void)
{
	struct lc_ctx *ctx = fake_ctx(answer_with_reply_then_ack, NULL);
	const struct lc_range range = { 0x40000000, 0x80000000 };
	struct lc_stats stats;

	map.admin = true;
	CHECK_INT(lc_get_stats_flags(ctx, &range, LC_STATS_WALK, &stats,
				     sizeof(stats)), 0);
	CHECK(!map.last_walk_flag);
	CHECK(map.last_range);
	CHECK(stats.walked);
	lc_close(ctx);
}

/*
 * Split tracking: every whole-map answer has the marked regions, from the
 * counters or a walk; a range has none, nor a kernel before split tracking.
 */
static void test_marked_regions_come_with_the_whole_map_only(void)
{
	struct lc_ctx *ctx = fake_ctx(answer_with_reply_then_ack, NULL);
	const struct lc_range range = { 0x40000000, 0x80000000 };
	struct lc_stats stats;

	map.marked_regions = 7;
	CHECK_INT(lc_get_stats(ctx, NULL, &stats, sizeof(stats)), 0);
	CHECK(!stats.walked);
	CHECK(stats.has_marked_regions);
	CHECK_U64(stats.marked_regions, 7);
	CHECK_INT(lc_get_stats_flags(ctx, NULL, LC_STATS_WALK, &stats,
				     sizeof(stats)), 0);
	CHECK(stats.walked);
	CHECK(stats.has_marked_regions);
	CHECK_U64(stats.marked_regions, 7);
	CHECK_INT(lc_get_stats(ctx, &range, &stats, sizeof(stats)), 0);
	CHECK(stats.has_range);
	CHECK(!stats.has_marked_regions);
	CHECK_U64(stats.marked_regions, 0);

	map.predates_split_tracking = true;
	memset(&stats, 0xaa, sizeof(stats));
	CHECK_INT(lc_get_stats(ctx, NULL, &stats, sizeof(stats)), 0);
	CHECK(!stats.has_marked_regions);
	CHECK_U64(stats.marked_regions, 0);
	map.predates_split_tracking = false;
	map.predates_walk = true;
	CHECK_INT(lc_get_stats(ctx, NULL, &stats, sizeof(stats)), 0);
	CHECK(!stats.has_marked_regions);

	/* A caller of the second version (up to walked) is not written beyond it. */
	map.predates_walk = false;
	{
		unsigned char buf[sizeof(struct lc_stats) + 8];
		size_t i;
		bool intact = true;

		memset(buf, 0xa5, sizeof(buf));
		CHECK_INT(lc_get_stats(ctx, NULL, (struct lc_stats *)buf,
				       LC_STATS_SIZE_VER2), 0);
		for (i = LC_STATS_SIZE_VER2; i < sizeof(buf); i++)
			intact = intact && buf[i] == 0xa5;
		CHECK(intact);
	}
	CHECK_INT(fk_pending(), 0);
	lc_close(ctx);
}

static void test_kernel_refusal_gives_errno_and_extack_text(void)
{
	struct lc_ctx *ctx = fake_ctx(answer_with_extack_error, (void *)1);
	const struct lc_range range = { 0x2000, 0x1000 };
	struct lc_stats stats;

	CHECK_INT(lc_get_stats(ctx, &range, &stats, sizeof(stats)), -EINVAL);
	CHECK_STR(lc_strerror(ctx),
		  "get-stats: Invalid argument: range end must be above start");
	lc_close(ctx);
}

static void test_kernel_refusal_echoing_the_request_gives_same_text(void)
{
	struct lc_ctx *ctx = fake_ctx(answer_with_extack_error, NULL);
	const struct lc_range range = { 0x2000, 0x1000 };
	struct lc_stats stats;

	CHECK_INT(lc_get_stats(ctx, &range, &stats, sizeof(stats)), -EINVAL);
	CHECK_STR(lc_strerror(ctx),
		  "get-stats: Invalid argument: range end must be above start");
	lc_close(ctx);
}

static void test_bad_reply_still_consumes_the_ack(void)
{
	int calls = 0;
	struct lc_ctx *ctx = fake_ctx(answer_with_incomplete_reply, &calls);
	struct lc_caps caps;

	CHECK_INT(lc_get_caps(ctx, &caps, sizeof(caps)), -EPROTO);
	CHECK_STR(lc_strerror(ctx),
		  "get-caps: Protocol error: reply from the kernel lacks attribute 'ram-bytes'");
	CHECK_INT(fk_pending(), 0);
	/* The socket is still in step: the next exchange succeeds. */
	CHECK_INT(lc_get_caps(ctx, &caps, sizeof(caps)), 0);
	CHECK_STR(lc_strerror(ctx), "");
	lc_close(ctx);
}

static void test_ack_without_reply_is_a_protocol_error(void)
{
	struct lc_ctx *ctx = fake_ctx(answer_with_ack_only, NULL);
	struct lc_stats stats;

	CHECK_INT(lc_get_stats(ctx, NULL, &stats, sizeof(stats)), -EPROTO);
	CHECK_CONTAINS(lc_strerror(ctx), "get-stats: ");
	CHECK_CONTAINS(lc_strerror(ctx), "without a reply");
	lc_close(ctx);
}

static void test_silent_socket_is_an_io_error(void)
{
	struct lc_ctx *ctx = fake_ctx(answer_nothing, NULL);
	struct lc_caps caps;

	CHECK_INT(lc_get_caps(ctx, &caps, sizeof(caps)), -EIO);
	CHECK_CONTAINS(lc_strerror(ctx), "get-caps: ");
	lc_close(ctx);
}

static void test_receive_failure_before_the_ack_keeps_the_socket_in_step(void)
{
	int calls = 0;
	struct lc_ctx *ctx = fake_ctx(answer_with_reply_recv_error_ack, &calls);
	struct lc_caps caps;

	CHECK_INT(lc_get_caps(ctx, &caps, sizeof(caps)), -ENOBUFS);
	CHECK_CONTAINS(lc_strerror(ctx), "get-caps: cannot receive the reply: ");
	/* The ack of the failed request was read, not left queued ... */
	CHECK_INT(fk_pending(), 0);
	/* ... so each later request reads its own reply and ack. */
	CHECK_INT(lc_get_caps(ctx, &caps, sizeof(caps)), 0);
	CHECK_STR(lc_strerror(ctx), "");
	CHECK_U64(caps.granule, 2);
	CHECK_INT(fk_pending(), 0);
	CHECK_INT(lc_get_caps(ctx, &caps, sizeof(caps)), 0);
	CHECK_U64(caps.granule, 3);
	CHECK_INT(fk_pending(), 0);
	lc_close(ctx);
}

static void test_messages_of_an_earlier_request_are_skipped(void)
{
	int stale = 2;
	struct lc_ctx *ctx = fake_ctx(answer_after_stale_messages, &stale);
	struct lc_caps caps;

	CHECK_INT(lc_get_caps(ctx, &caps, sizeof(caps)), 0);
	CHECK_STR(lc_strerror(ctx), "");
	CHECK_U64(caps.ram_bytes, UINT64_C(1) << 31);
	CHECK_INT(fk_pending(), 0);
	lc_close(ctx);
}

static void test_no_ack_among_too_many_stale_datagrams_is_bounded(void)
{
	int stale = LC_REQUEST_DGRAMS_MAX + 2;
	struct lc_ctx *ctx = fake_ctx(answer_after_stale_messages, &stale);
	struct lc_caps caps;

	CHECK_INT(lc_get_caps(ctx, &caps, sizeof(caps)), -EIO);
	CHECK_CONTAINS(lc_strerror(ctx), "get-caps: ");
	CHECK_CONTAINS(lc_strerror(ctx), "out of step");
	lc_close(ctx);
}

static void test_reply_for_another_command_is_a_protocol_error(void)
{
	struct lc_ctx *ctx = fake_ctx(answer_with_the_wrong_command, NULL);
	struct lc_stats stats;

	CHECK_INT(lc_get_stats(ctx, NULL, &stats, sizeof(stats)), -EPROTO);
	CHECK_CONTAINS(lc_strerror(ctx), "get-stats: ");
	CHECK_CONTAINS(lc_strerror(ctx), "answered with command");
	CHECK_INT(fk_pending(), 0);
	lc_close(ctx);
}

#define GUARD	0xa5

static bool guard_intact(const unsigned char *buf, size_t from, size_t to)
{
	for (; from < to; from++)
		if (buf[from] != GUARD)
			return false;
	return true;
}

static void test_results_are_written_only_up_to_the_callers_size(void)
{
	struct lc_ctx *ctx = fake_ctx(answer_with_reply_then_ack, NULL);
	unsigned char buf[sizeof(struct lc_stats) + 64];
	struct lc_stats *stats = (struct lc_stats *)buf;
	size_t newer = sizeof(struct lc_stats) + 32;

	/* A caller built against newer headers: the unknown tail reads 0. */
	memset(buf, GUARD, sizeof(buf));
	CHECK_INT(lc_get_stats_flags(ctx, NULL, LC_STATS_WALK, stats, newer), 0);
	CHECK_U64(stats->ideal_leaves, LINMAP_A_STATS_IDEAL_LEAVES * 10);
	CHECK(stats->walked);
	CHECK(guard_intact(buf, newer, sizeof(buf)));
	CHECK_INT(buf[sizeof(struct lc_stats)], 0);
	CHECK_INT(buf[newer - 1], 0);

	/*
	 * A caller of the first version (no walked): nothing written at or
	 * beyond its size, the walk's figures still filled in.
	 */
	memset(buf, GUARD, sizeof(buf));
	CHECK_INT(lc_get_stats_flags(ctx, NULL, LC_STATS_WALK, stats,
				     LC_STATS_SIZE_VER1), 0);
	CHECK_U64(stats->ideal_leaves, LINMAP_A_STATS_IDEAL_LEAVES * 10);
	CHECK(guard_intact(buf, LC_STATS_SIZE_VER1, sizeof(buf)));

	/* Smaller than the first version: refused, nothing written. */
	memset(buf, GUARD, sizeof(buf));
	CHECK_INT(lc_get_stats(ctx, NULL, stats, LC_STATS_SIZE_VER1 - 8), -EINVAL);
	CHECK_CONTAINS(lc_strerror(ctx), "pass sizeof(struct lc_stats)");
	CHECK(guard_intact(buf, 0, sizeof(buf)));
	CHECK_INT(fk_pending(), 0);
	lc_close(ctx);
}

static void test_a_grown_structure_does_not_overrun_an_older_caller(void)
{
	/* The library's struct is larger than what an old program allocated. */
	unsigned char lib[256], caller[LC_CAPS_SIZE_VER1 + 32];

	memset(lib, 0x11, sizeof(lib));
	memset(caller, GUARD, sizeof(caller));
	lc_abi_copy_out(caller, LC_CAPS_SIZE_VER1, lib, sizeof(lib));
	CHECK_INT(caller[0], 0x11);
	CHECK_INT(caller[LC_CAPS_SIZE_VER1 - 1], 0x11);
	CHECK(guard_intact(caller, LC_CAPS_SIZE_VER1, sizeof(caller)));
}

static void test_request_options_unknown_to_the_library_are_refused(void)
{
	struct lc_ctx *ctx = fake_ctx(answer_with_ack_only, NULL);
	unsigned char buf[sizeof(struct lc_collapse_req) + 16] = { 0 };
	struct lc_collapse_req *req = (struct lc_collapse_req *)buf;
	struct lc_collapse_result r;

	req->budget = 1;
	buf[sizeof(struct lc_collapse_req) + 3] = 1;	/* a newer option */
	CHECK_INT(lc_collapse(ctx, req, sizeof(buf), &r, sizeof(r)), -E2BIG);
	CHECK_CONTAINS(lc_strerror(ctx), "does not know");
	lc_close(ctx);
}

/*
 * A fake "collapse" that scans one table per 0x1000 bytes: the whole map
 * is [0x1000, 0x5000), a budget of N stops after N tables and returns the
 * cursor.  Requests are recorded; @fail_at makes that request (1-based)
 * fail, @stuck returns a cursor that does not move.
 */
struct fake_collapse {
	int requests;
	uint64_t starts[16], ends[16], budgets[16];
	bool dry_runs[16];
	bool full_scans[16];		/* the request had FULL_SCAN */
	int fail_at;
	bool fail_all;			/* every request refused (a bad range) */
	bool stuck;
	/*
	 * Split tracking: a step visits one marked region, or four with
	 * FULL_SCAN; a kernel before it refuses FULL_SCAN (counted in
	 * @refused) and reports no regions.
	 */
	bool predates_split_tracking;
	int refused;
};

static void answer_collapse(const struct nlmsghdr *req, void *arg)
{
	struct fake_collapse *fc = arg;
	struct nlattr *tb[LINMAP_A_COLLAPSE_MAX + 1];
	const int pad = LINMAP_A_COLLAPSE_PAD;
	uint64_t start = 0x1000, end = 0x5000, budget = 0, scanned, next;
	struct nl_msg *msg;
	int n = fc->requests++;

	if (genlmsg_parse((struct nlmsghdr *)req, 0, tb, LINMAP_A_COLLAPSE_MAX,
			  NULL) < 0 || n >= 16)
		abort();
	if (tb[LINMAP_A_COLLAPSE_START] && tb[LINMAP_A_COLLAPSE_END]) {
		start = nla_get_u64(tb[LINMAP_A_COLLAPSE_START]);
		end = nla_get_u64(tb[LINMAP_A_COLLAPSE_END]);
	}
	if (tb[LINMAP_A_COLLAPSE_BUDGET])
		budget = nla_get_u64(tb[LINMAP_A_COLLAPSE_BUDGET]);
	fc->starts[n] = start;
	fc->ends[n] = end;
	fc->budgets[n] = budget;
	fc->dry_runs[n] = tb[LINMAP_A_COLLAPSE_DRY_RUN] != NULL;
	fc->full_scans[n] = fk_collapse_full_scan(req);
	if (fk_collapse_refuse_full_scan(req, fc->predates_split_tracking)) {
		fc->refused++;
		return;
	}
	if (fc->fail_at == n + 1 || fc->fail_all) {
		fk_queue(fk_error_new(req, -EINVAL, true,
				      "range start is not aligned to the 4096-byte granule"),
			 false);
		return;
	}

	scanned = (end - start) / 0x1000;
	next = 0;
	if (budget && budget < scanned) {
		scanned = budget;
		next = fc->stuck ? start : start + budget * 0x1000;
	}
	msg = fk_reply_new(req, LINMAP_CMD_COLLAPSE);
	fk_put_u64_64bit(msg, LINMAP_A_COLLAPSE_START, start, pad);
	fk_put_u64_64bit(msg, LINMAP_A_COLLAPSE_END, end, pad);
	if (tb[LINMAP_A_COLLAPSE_DRY_RUN])
		nla_put_flag(msg, LINMAP_A_COLLAPSE_DRY_RUN);
	fk_put_collapse_counts(msg, scanned, next, LINMAP_SKIP_REASON_BUDGET,
			       next ? 1 : 0);
	fk_put_collapse_regions(msg, fc->predates_split_tracking,
				fc->full_scans[n], fc->full_scans[n] ? 4 : 1);
	fk_put_collapse_longest_hold(msg, fc->predates_split_tracking, n);
	fk_queue(msg, false);
	fk_queue(fk_error_new(req, 0, true, NULL), false);
}

static void test_collapse_with_budget_returns_the_cursor(void)
{
	struct fake_collapse fc = { 0 };
	struct lc_ctx *ctx = fake_ctx(answer_collapse, &fc);
	const struct lc_collapse_req req = { .budget = 3 };
	struct lc_collapse_result r;

	CHECK_INT(lc_collapse(ctx, &req, sizeof(req), &r, sizeof(r)), 0);
	CHECK_INT(fc.requests, 1);
	CHECK(r.has_range);
	CHECK(r.has_next);
	CHECK_U64(r.next, 0x4000);
	CHECK_U64(r.tables_scanned, 3);
	CHECK_U64(r.folds[LC_LEVEL_PMD], 3);
	CHECK_U64(r.skips[LC_SKIP_BUDGET], 1);
	lc_close(ctx);
}

static void test_collapse_all_follows_the_cursor_to_the_end(void)
{
	struct fake_collapse fc = { 0 };
	struct lc_ctx *ctx = fake_ctx(answer_collapse, &fc);
	const struct lc_collapse_req req = { .budget = 1, .dry_run = true };
	struct lc_collapse_result r;
	int i;

	CHECK_INT(lc_collapse_all(ctx, &req, sizeof(req), &r, sizeof(r)), 0);
	CHECK_INT(fc.requests, 4);
	/* The first asks for everything; the others continue the range. */
	CHECK_U64(fc.starts[0], 0x1000);
	for (i = 1; i < 4 && i < fc.requests; i++) {
		CHECK_U64(fc.starts[i], 0x1000 + i * 0x1000);
		CHECK_U64(fc.ends[i], 0x5000);
	}
	for (i = 0; i < 4 && i < fc.requests; i++) {
		CHECK_U64(fc.budgets[i], 1);
		CHECK(fc.dry_runs[i]);
	}
	CHECK(r.has_range);
	CHECK_U64(r.start, 0x1000);
	CHECK_U64(r.end, 0x5000);
	CHECK(r.dry_run);
	CHECK_U64(r.tables_scanned, 4);
	CHECK_U64(r.folds[LC_LEVEL_PMD], 4);
	CHECK_U64(r.tables_freed, 4);
	CHECK_U64(r.bytes_freed, 4 * 4096);
	CHECK_U64(r.skips[LC_SKIP_BUDGET], 0);
	CHECK(!r.has_next);
	CHECK_U64(r.nsecs, 4000);
	lc_close(ctx);
}

static void test_collapse_all_without_budget_leaves_the_step_to_the_kernel(void)
{
	struct fake_collapse fc = { 0 };
	struct lc_ctx *ctx = fake_ctx(answer_collapse, &fc);
	struct lc_collapse_result r;

	CHECK_INT(lc_collapse_all(ctx, NULL, 0, &r, sizeof(r)), 0);
	CHECK_INT(fc.requests, 1);
	CHECK_U64(fc.budgets[0], 0);
	CHECK(!fc.dry_runs[0]);
	CHECK_U64(r.tables_scanned, 4);
	lc_close(ctx);
}

struct step_log {
	int calls;
	int stop_after;
	uint64_t scanned[8];
	uint64_t next[8];
	uint64_t hold[8];		/* the sum's longest hold, 0 if unknown */
};

static int log_step(const struct lc_collapse_result *sum, void *arg)
{
	struct step_log *log = arg;

	if (log->calls < 8) {
		log->scanned[log->calls] = sum->tables_scanned;
		log->next[log->calls] = sum->has_next ? sum->next : 0;
		log->hold[log->calls] = sum->has_longest_hold ?
					sum->longest_hold_nsecs : 0;
	}
	return ++log->calls >= log->stop_after ? -EINTR : 0;
}

static void test_collapse_each_reports_steps_and_stops_between_them(void)
{
	struct fake_collapse fc = { 0 };
	struct lc_ctx *ctx = fake_ctx(answer_collapse, &fc);
	const struct lc_collapse_req req = { .budget = 1 };
	struct step_log log = { .stop_after = 2 };
	struct lc_collapse_result r;

	CHECK_INT(lc_collapse_each(ctx, &req, sizeof(req), &r, sizeof(r),
				   log_step, &log), -EINTR);
	/* Two steps ran, the callback saw each sum, nothing after the stop. */
	CHECK_INT(fc.requests, 2);
	CHECK_INT(log.calls, 2);
	CHECK_U64(log.scanned[0], 1);
	CHECK_U64(log.next[0], 0x2000);
	CHECK_U64(log.scanned[1], 2);
	CHECK_U64(log.next[1], 0x3000);
	/* The sum so far, and where to continue. */
	CHECK_U64(r.tables_scanned, 2);
	CHECK(r.has_next);
	CHECK_U64(r.next, 0x3000);
	CHECK(strstr(lc_strerror(ctx), "stopped between steps") != NULL);
	lc_close(ctx);

	/* A callback that never stops changes nothing about the result. */
	memset(&fc, 0, sizeof(fc));
	ctx = fake_ctx(answer_collapse, &fc);
	log = (struct step_log){ .stop_after = 100 };
	CHECK_INT(lc_collapse_each(ctx, &req, sizeof(req), &r, sizeof(r),
				   log_step, &log), 0);
	CHECK_INT(fc.requests, 4);
	CHECK_INT(log.calls, 3);
	CHECK_U64(r.tables_scanned, 4);
	CHECK(!r.has_next);
	lc_close(ctx);
}

static void test_collapse_all_refuses_a_cursor_that_does_not_move(void)
{
	struct fake_collapse fc = { .stuck = true };
	struct lc_ctx *ctx = fake_ctx(answer_collapse, &fc);
	const struct lc_collapse_req req = { .budget = 1 };
	struct lc_collapse_result r;

	CHECK_INT(lc_collapse_all(ctx, &req, sizeof(req), &r, sizeof(r)), -EPROTO);
	CHECK_INT(fc.requests, 1);
	CHECK_CONTAINS(lc_strerror(ctx), "collapse: ");
	CHECK_CONTAINS(lc_strerror(ctx), "does not move forward");
	lc_close(ctx);
}

static void test_collapse_all_failure_keeps_the_progress(void)
{
	struct fake_collapse fc = { .fail_at = 3 };
	struct lc_ctx *ctx = fake_ctx(answer_collapse, &fc);
	const struct lc_collapse_req req = { .budget = 1 };
	struct lc_collapse_result r;

	CHECK_INT(lc_collapse_all(ctx, &req, sizeof(req), &r, sizeof(r)), -EINVAL);
	CHECK_INT(fc.requests, 3);
	CHECK_STR(lc_strerror(ctx),
		  "collapse: Invalid argument: range start is not aligned to the 4096-byte granule");
	CHECK_U64(r.tables_scanned, 2);
	CHECK(r.has_next);
	CHECK_U64(r.next, 0x3000);
	CHECK_U64(r.end, 0x5000);
	lc_close(ctx);
}

/* Split tracking: the marked regions by default, every one with full_scan. */
static void test_collapse_all_visits_the_marked_regions_unless_full(void)
{
	struct fake_collapse fc = { 0 };
	struct lc_ctx *ctx = fake_ctx(answer_collapse, &fc);
	struct lc_collapse_req req = { .budget = 1 };
	struct lc_collapse_result r;
	int i;

	CHECK_INT(lc_collapse_all(ctx, &req, sizeof(req), &r, sizeof(r)), 0);
	CHECK_INT(fc.requests, 4);
	for (i = 0; i < 4 && i < fc.requests; i++)
		CHECK(!fc.full_scans[i]);
	CHECK(!r.full_scan);
	CHECK(r.has_regions_scanned);
	CHECK_U64(r.regions_scanned, 4);
	lc_close(ctx);

	memset(&fc, 0, sizeof(fc));
	ctx = fake_ctx(answer_collapse, &fc);
	req.full_scan = true;
	CHECK_INT(lc_collapse_all(ctx, &req, sizeof(req), &r, sizeof(r)), 0);
	CHECK_INT(fc.requests, 4);
	for (i = 0; i < 4 && i < fc.requests; i++)
		CHECK(fc.full_scans[i]);
	CHECK(r.full_scan);
	CHECK(r.has_regions_scanned);
	CHECK_U64(r.regions_scanned, 16);
	CHECK_U64(r.tables_scanned, 4);
	CHECK_STR(lc_strerror(ctx), "");
	lc_close(ctx);
}

/*
 * A kernel before split tracking refuses FULL_SCAN (EINVAL) and visits
 * every region anyway: the step is asked again without the flag, the
 * steps after it go without, and the result is a full scan that does not
 * know its regions.
 */
static void test_kernel_before_split_tracking_scans_every_region(void)
{
	struct fake_collapse fc = { .predates_split_tracking = true };
	struct lc_ctx *ctx = fake_ctx(answer_collapse, &fc);
	struct lc_collapse_req req = { .budget = 1, .full_scan = true };
	struct lc_collapse_result r;
	int i;

	CHECK_INT(lc_collapse_all(ctx, &req, sizeof(req), &r, sizeof(r)), 0);
	CHECK_STR(lc_strerror(ctx), "");
	CHECK_INT(fc.refused, 1);
	CHECK_INT(fc.requests, 5);
	CHECK(fc.full_scans[0]);
	/* The same step again, without the flag, and the others without. */
	CHECK_U64(fc.starts[1], fc.starts[0]);
	for (i = 1; i < 5 && i < fc.requests; i++)
		CHECK(!fc.full_scans[i]);
	CHECK(r.full_scan);
	CHECK(!r.has_regions_scanned);
	CHECK_U64(r.regions_scanned, 0);
	CHECK_U64(r.tables_scanned, 4);
	CHECK(!r.has_next);
	CHECK_INT(fk_pending(), 0);
	lc_close(ctx);

	/* One step: asked twice. */
	memset(&fc, 0, sizeof(fc));
	fc.predates_split_tracking = true;
	ctx = fake_ctx(answer_collapse, &fc);
	CHECK_INT(lc_collapse(ctx, &req, sizeof(req), &r, sizeof(r)), 0);
	CHECK_INT(fc.requests, 2);
	CHECK(r.full_scan);
	CHECK(!r.has_regions_scanned);
	CHECK_U64(r.tables_scanned, 1);
	lc_close(ctx);

	/* Without full_scan nothing is refused: it is a full scan all the same. */
	memset(&fc, 0, sizeof(fc));
	fc.predates_split_tracking = true;
	ctx = fake_ctx(answer_collapse, &fc);
	req.full_scan = false;
	CHECK_INT(lc_collapse_all(ctx, &req, sizeof(req), &r, sizeof(r)), 0);
	CHECK_INT(fc.requests, 4);
	CHECK_INT(fc.refused, 0);
	CHECK(r.full_scan);
	CHECK(!r.has_regions_scanned);
	lc_close(ctx);
}

/* A range refused with a full scan is refused again without: that stands. */
static void test_refused_range_with_full_scan_is_not_hidden(void)
{
	struct fake_collapse fc = { .fail_all = true };
	struct lc_ctx *ctx = fake_ctx(answer_collapse, &fc);
	const struct lc_collapse_req req = {
		.has_range = true, .range = { 0x1001, 0x5000 },
		.full_scan = true,
	};
	struct lc_collapse_result r;

	CHECK_INT(lc_collapse_all(ctx, &req, sizeof(req), &r, sizeof(r)), -EINVAL);
	CHECK_STR(lc_strerror(ctx),
		  "collapse: Invalid argument: range start is not aligned to the 4096-byte granule");
	CHECK_INT(fc.requests, 2);
	CHECK(fc.full_scans[0]);
	CHECK(!fc.full_scans[1]);
	CHECK_U64(r.tables_scanned, 0);
	CHECK(!r.full_scan);
	CHECK_INT(fk_pending(), 0);
	lc_close(ctx);
}

/*
 * The longest lock hold over the steps is the longest step's (the fake
 * kernel holds 300, 900, 500, 200 ns): a maximum, not a sum, in the sum
 * lc_collapse_each() shows between steps too.  A kernel before split
 * tracking does not say.
 */
static void test_collapse_all_reports_the_longest_hold_of_its_steps(void)
{
	struct fake_collapse fc = { 0 };
	struct lc_ctx *ctx = fake_ctx(answer_collapse, &fc);
	const struct lc_collapse_req req = { .budget = 1 };
	struct step_log log = { .stop_after = 100 };
	struct lc_collapse_result r;

	CHECK_INT(lc_collapse_all(ctx, &req, sizeof(req), &r, sizeof(r)), 0);
	CHECK_INT(fc.requests, 4);
	CHECK(r.has_longest_hold);
	CHECK_U64(r.longest_hold_nsecs, 900);
	lc_close(ctx);

	memset(&fc, 0, sizeof(fc));
	ctx = fake_ctx(answer_collapse, &fc);
	CHECK_INT(lc_collapse_each(ctx, &req, sizeof(req), &r, sizeof(r),
				   log_step, &log), 0);
	CHECK_INT(log.calls, 3);
	CHECK_U64(log.hold[0], 300);
	CHECK_U64(log.hold[1], 900);
	CHECK_U64(log.hold[2], 900);
	CHECK(r.has_longest_hold);
	CHECK_U64(r.longest_hold_nsecs, 900);
	lc_close(ctx);

	/* One step: its own. */
	memset(&fc, 0, sizeof(fc));
	ctx = fake_ctx(answer_collapse, &fc);
	CHECK_INT(lc_collapse(ctx, &req, sizeof(req), &r, sizeof(r)), 0);
	CHECK(r.has_longest_hold);
	CHECK_U64(r.longest_hold_nsecs, 300);
	lc_close(ctx);

	memset(&fc, 0, sizeof(fc));
	fc.predates_split_tracking = true;
	ctx = fake_ctx(answer_collapse, &fc);
	memset(&r, 0xaa, sizeof(r));
	CHECK_INT(lc_collapse_all(ctx, &req, sizeof(req), &r, sizeof(r)), 0);
	CHECK_INT(fc.requests, 4);
	CHECK(!r.has_longest_hold);
	CHECK_U64(r.longest_hold_nsecs, 0);
	lc_close(ctx);
}

/* A caller of the split-tracking version is not written beyond it. */
static void test_second_version_result_is_not_overrun(void)
{
	struct fake_collapse fc = { 0 };
	struct lc_ctx *ctx = fake_ctx(answer_collapse, &fc);
	const struct lc_collapse_req req = { .budget = 1 };
	unsigned char buf[sizeof(struct lc_collapse_result) + 8];
	struct lc_collapse_result *r = (struct lc_collapse_result *)buf;

	memset(buf, GUARD, sizeof(buf));
	CHECK_INT(lc_collapse_all(ctx, &req, sizeof(req), r,
				  LC_COLLAPSE_RESULT_SIZE_VER2), 0);
	CHECK(r->has_regions_scanned);
	CHECK_U64(r->regions_scanned, 4);
	CHECK(guard_intact(buf, LC_COLLAPSE_RESULT_SIZE_VER2, sizeof(buf)));
	lc_close(ctx);
}

/*
 * The first version of struct lc_collapse_req ends in padding after
 * dry_run, which its programs may leave uninitialised: never a full scan.
 * A first-version result is not written beyond its size.
 */
static void test_first_version_callers_never_ask_for_a_full_scan(void)
{
	struct fake_collapse fc = { 0 };
	struct lc_ctx *ctx = fake_ctx(answer_collapse, &fc);
	unsigned char req_buf[sizeof(struct lc_collapse_req) + 8];
	unsigned char res_buf[sizeof(struct lc_collapse_result) + 8];
	struct lc_collapse_req *req = (struct lc_collapse_req *)req_buf;

	memset(req_buf, 0xff, sizeof(req_buf));	/* garbage everywhere ... */
	memset(req_buf, 0, offsetof(struct lc_collapse_req, dry_run) + 1);
	req->budget = 1;			/* ... but in its fields */
	memset(res_buf, GUARD, sizeof(res_buf));
	CHECK_INT(lc_collapse(ctx, req, LC_COLLAPSE_REQ_SIZE_VER1,
			      (struct lc_collapse_result *)res_buf,
			      LC_COLLAPSE_RESULT_SIZE_VER1), 0);
	CHECK_INT(fc.requests, 1);
	CHECK(!fc.full_scans[0]);
	CHECK_U64(((struct lc_collapse_result *)res_buf)->tables_scanned, 1);
	CHECK(guard_intact(res_buf, LC_COLLAPSE_RESULT_SIZE_VER1,
			   sizeof(res_buf)));
	lc_close(ctx);
}

struct fake_error {
	int error;
	const char *extack;	/* NULL: no extended ack */
};

static void answer_with_error(const struct nlmsghdr *req, void *arg)
{
	const struct fake_error *fe = arg;

	fk_queue(fk_error_new(req, fe->error, true, fe->extack), false);
}

static void test_collapse_without_privilege_is_eperm(void)
{
	/* genetlink's GENL_ADMIN_PERM check: no extended ack. */
	struct fake_error answer = { -EPERM, NULL };
	struct lc_ctx *ctx = fake_ctx(answer_with_error, &answer);
	struct lc_collapse_result r;

	CHECK_INT(lc_collapse(ctx, NULL, 0, &r, sizeof(r)), -EPERM);
	CHECK_STR(lc_strerror(ctx), "collapse: Operation not permitted");
	lc_close(ctx);
}

static void test_collapse_refused_by_the_system_gives_the_reason(void)
{
	struct fake_error answer = {
		-EOPNOTSUPP, "cannot collapse: rodata=full without BBML3",
	};
	struct lc_ctx *ctx = fake_ctx(answer_with_error, &answer);
	struct lc_collapse_result r;

	CHECK_INT(lc_collapse_all(ctx, NULL, 0, &r, sizeof(r)), -EOPNOTSUPP);
	CHECK_STR(lc_strerror(ctx),
		  "collapse: Operation not supported: cannot collapse: rodata=full without BBML3");
	CHECK_U64(r.tables_scanned, 0);
	CHECK(!r.has_next);
	lc_close(ctx);
}

static void test_kernel_without_the_operation_is_named(void)
{
	/* genetlink's answer to an unknown command: no extended ack. */
	struct fake_error answer = { -EOPNOTSUPP, NULL };
	struct lc_ctx *ctx = fake_ctx(answer_with_error, &answer);
	struct lc_collapse_result r;

	CHECK_INT(lc_collapse(ctx, NULL, 0, &r, sizeof(r)), -EOPNOTSUPP);
	CHECK_STR(lc_strerror(ctx),
		  "collapse: Operation not supported: the running kernel does not know the 'collapse' operation (its linmap series predates it)");
	lc_close(ctx);
}

static const struct tap_test tests[] = {
	TAP_TEST(test_get_caps_reads_reply_and_ack),
	TAP_TEST(test_get_stats_sends_range_and_reads_echo),
	TAP_TEST(test_get_stats_reply_and_ack_in_one_datagram),
	TAP_TEST(test_get_stats_of_the_whole_map_reads_the_counters),
	TAP_TEST(test_get_stats_flags_walk_sends_the_flag_and_reads_the_walk),
	TAP_TEST(test_walk_without_privilege_is_eperm_with_the_reason),
	TAP_TEST(test_get_stats_flags_refuses_unknown_flags_unsent),
	TAP_TEST(test_walk_answered_without_the_ideal_is_a_protocol_error),
	TAP_TEST(test_kernel_before_the_walk_flag_always_walks),
	TAP_TEST(test_range_is_sent_without_the_walk_flag),
	TAP_TEST(test_marked_regions_come_with_the_whole_map_only),
	TAP_TEST(test_kernel_refusal_gives_errno_and_extack_text),
	TAP_TEST(test_kernel_refusal_echoing_the_request_gives_same_text),
	TAP_TEST(test_bad_reply_still_consumes_the_ack),
	TAP_TEST(test_ack_without_reply_is_a_protocol_error),
	TAP_TEST(test_silent_socket_is_an_io_error),
	TAP_TEST(test_receive_failure_before_the_ack_keeps_the_socket_in_step),
	TAP_TEST(test_messages_of_an_earlier_request_are_skipped),
	TAP_TEST(test_no_ack_among_too_many_stale_datagrams_is_bounded),
	TAP_TEST(test_reply_for_another_command_is_a_protocol_error),
	TAP_TEST(test_results_are_written_only_up_to_the_callers_size),
	TAP_TEST(test_a_grown_structure_does_not_overrun_an_older_caller),
	TAP_TEST(test_request_options_unknown_to_the_library_are_refused),
	TAP_TEST(test_collapse_with_budget_returns_the_cursor),
	TAP_TEST(test_collapse_all_follows_the_cursor_to_the_end),
	TAP_TEST(test_collapse_all_without_budget_leaves_the_step_to_the_kernel),
	TAP_TEST(test_collapse_each_reports_steps_and_stops_between_them),
	TAP_TEST(test_collapse_all_refuses_a_cursor_that_does_not_move),
	TAP_TEST(test_collapse_all_failure_keeps_the_progress),
	TAP_TEST(test_collapse_all_visits_the_marked_regions_unless_full),
	TAP_TEST(test_kernel_before_split_tracking_scans_every_region),
	TAP_TEST(test_refused_range_with_full_scan_is_not_hidden),
	TAP_TEST(test_first_version_callers_never_ask_for_a_full_scan),
	TAP_TEST(test_collapse_all_reports_the_longest_hold_of_its_steps),
	TAP_TEST(test_second_version_result_is_not_overrun),
	TAP_TEST(test_collapse_without_privilege_is_eperm),
	TAP_TEST(test_collapse_refused_by_the_system_gives_the_reason),
	TAP_TEST(test_kernel_without_the_operation_is_named),
};

TAP_MAIN(tests)
