// SPDX-License-Identifier: GPL-2.0
/*
 * Whole exchanges through libnl's receive loop, against a fake kernel that
 * answers each request with the datagrams a real one would send.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/linmap.h>
#include <netlink/genl/genl.h>

#include "fake-kernel.h"
#include "libcollapse-private.h"
#include "tap.h"

#define CAPS_PAD LINMAP_A_CAPS_PAD
#define STATS_PAD LINMAP_A_STATS_PAD

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

/* Answer get-stats like the kernel: counts, and the range echoed if sent. */
static struct nl_msg *stats_reply(const struct nlmsghdr *req)
{
	struct nl_msg *msg = fk_reply_new(req, LINMAP_CMD_GET_STATS);
	struct nlattr *tb[LINMAP_A_STATS_MAX + 1];
	int type;

	if (genlmsg_parse((struct nlmsghdr *)req, 0, tb, LINMAP_A_STATS_MAX,
			  NULL) < 0)
		abort();
	if (tb[LINMAP_A_STATS_START] && tb[LINMAP_A_STATS_END]) {
		fk_put_u64_64bit(msg, LINMAP_A_STATS_START,
				 nla_get_u64(tb[LINMAP_A_STATS_START]), STATS_PAD);
		fk_put_u64_64bit(msg, LINMAP_A_STATS_END,
				 nla_get_u64(tb[LINMAP_A_STATS_END]), STATS_PAD);
	}
	for (type = LINMAP_A_STATS_LEAVES_PUD;
	     type <= LINMAP_A_STATS_MAPPED_BYTES; type++)
		fk_put_u64_64bit(msg, type, (uint64_t)type * 10, STATS_PAD);
	return msg;
}

static void answer_with_reply_then_ack(const struct nlmsghdr *req, void *arg)
{
	struct genlmsghdr *ghdr = nlmsg_data(req);

	(void)arg;
	if (ghdr->cmd == LINMAP_CMD_GET_CAPS)
		fk_queue(caps_reply(req, true), false);
	else
		fk_queue(stats_reply(req), false);
	fk_queue(fk_error_new(req, 0, true, NULL), false);
}

static void answer_in_one_datagram(const struct nlmsghdr *req, void *arg)
{
	(void)arg;
	fk_queue(stats_reply(req), false);
	fk_queue(fk_error_new(req, 0, true, NULL), true);
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

static struct lc_ctx *fake_ctx(fk_responder responder, void *arg)
{
	struct lc_ctx *ctx = lc_ctx_new(fk_sock_new(responder, arg), FK_FAMILY);

	if (!ctx)
		abort();
	return ctx;
}

static void test_get_caps_reads_reply_and_ack(void)
{
	struct lc_ctx *ctx = fake_ctx(answer_with_reply_then_ack, NULL);
	struct lc_caps caps;

	CHECK_INT(lc_get_caps(ctx, &caps), 0);
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

	CHECK_INT(lc_get_stats(ctx, &range, &stats), 0);
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
	lc_close(ctx);
}

static void test_get_stats_reply_and_ack_in_one_datagram(void)
{
	struct lc_ctx *ctx = fake_ctx(answer_in_one_datagram, NULL);
	struct lc_stats stats;

	CHECK_INT(lc_get_stats(ctx, NULL, &stats), 0);
	CHECK(!stats.has_range);
	CHECK_U64(stats.ideal_leaves, LINMAP_A_STATS_IDEAL_LEAVES * 10);
	lc_close(ctx);
}

static void test_kernel_refusal_gives_errno_and_extack_text(void)
{
	struct lc_ctx *ctx = fake_ctx(answer_with_extack_error, (void *)1);
	const struct lc_range range = { 0x2000, 0x1000 };
	struct lc_stats stats;

	CHECK_INT(lc_get_stats(ctx, &range, &stats), -EINVAL);
	CHECK_STR(lc_strerror(ctx),
		  "get-stats: Invalid argument: range end must be above start");
	lc_close(ctx);
}

static void test_kernel_refusal_echoing_the_request_gives_same_text(void)
{
	struct lc_ctx *ctx = fake_ctx(answer_with_extack_error, NULL);
	const struct lc_range range = { 0x2000, 0x1000 };
	struct lc_stats stats;

	CHECK_INT(lc_get_stats(ctx, &range, &stats), -EINVAL);
	CHECK_STR(lc_strerror(ctx),
		  "get-stats: Invalid argument: range end must be above start");
	lc_close(ctx);
}

static void test_bad_reply_still_consumes_the_ack(void)
{
	int calls = 0;
	struct lc_ctx *ctx = fake_ctx(answer_with_incomplete_reply, &calls);
	struct lc_caps caps;

	CHECK_INT(lc_get_caps(ctx, &caps), -EPROTO);
	CHECK_STR(lc_strerror(ctx),
		  "get-caps: Protocol error: reply from the kernel lacks attribute 'ram-bytes'");
	CHECK_INT(fk_pending(), 0);
	/* The socket is still in step: the next exchange succeeds. */
	CHECK_INT(lc_get_caps(ctx, &caps), 0);
	CHECK_STR(lc_strerror(ctx), "");
	lc_close(ctx);
}

static void test_ack_without_reply_is_a_protocol_error(void)
{
	struct lc_ctx *ctx = fake_ctx(answer_with_ack_only, NULL);
	struct lc_stats stats;

	CHECK_INT(lc_get_stats(ctx, NULL, &stats), -EPROTO);
	CHECK_CONTAINS(lc_strerror(ctx), "get-stats: ");
	CHECK_CONTAINS(lc_strerror(ctx), "without a reply");
	lc_close(ctx);
}

static void test_silent_socket_is_an_io_error(void)
{
	struct lc_ctx *ctx = fake_ctx(answer_nothing, NULL);
	struct lc_caps caps;

	CHECK_INT(lc_get_caps(ctx, &caps), -EIO);
	CHECK_CONTAINS(lc_strerror(ctx), "get-caps: ");
	lc_close(ctx);
}

static const struct tap_test tests[] = {
	TAP_TEST(test_get_caps_reads_reply_and_ack),
	TAP_TEST(test_get_stats_sends_range_and_reads_echo),
	TAP_TEST(test_get_stats_reply_and_ack_in_one_datagram),
	TAP_TEST(test_kernel_refusal_gives_errno_and_extack_text),
	TAP_TEST(test_kernel_refusal_echoing_the_request_gives_same_text),
	TAP_TEST(test_bad_reply_still_consumes_the_ack),
	TAP_TEST(test_ack_without_reply_is_a_protocol_error),
	TAP_TEST(test_silent_socket_is_an_io_error),
};

TAP_MAIN(tests)
