// SPDX-License-Identifier: GPL-2.0
/* Requests: what libcollapse puts on the wire for get-caps and get-stats. */
#include <linux/genetlink.h>
#include <linux/linmap.h>
#include <netlink/genl/genl.h>

#include "fake-kernel.h"
#include "libcollapse-private.h"
#include "tap.h"

static void check_header(struct nl_msg *msg, uint8_t cmd)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct genlmsghdr *ghdr = nlmsg_data(nlh);

	CHECK_INT(nlh->nlmsg_type, FK_FAMILY);
	CHECK(nlh->nlmsg_flags & NLM_F_REQUEST);
	CHECK(nlh->nlmsg_flags & NLM_F_ACK);
	CHECK(!(nlh->nlmsg_flags & NLM_F_DUMP));
	CHECK_INT(ghdr->cmd, cmd);
	CHECK_INT(ghdr->version, LINMAP_FAMILY_VERSION);
}

static int attr_count(struct nl_msg *msg)
{
	struct nlattr *nla;
	int rem, n = 0;

	nla_for_each_attr(nla, genlmsg_attrdata(nlmsg_data(nlmsg_hdr(msg)), 0),
			  genlmsg_attrlen(nlmsg_data(nlmsg_hdr(msg)), 0), rem)
		n++;
	return n;
}

static void test_caps_request_is_bare_get_caps(void)
{
	struct nl_msg *msg = lc_caps_request_build(FK_FAMILY);

	CHECK(msg);
	if (!msg)
		return;
	check_header(msg, LINMAP_CMD_GET_CAPS);
	CHECK_INT(attr_count(msg), 0);
	nlmsg_free(msg);
}

static void test_stats_request_without_range_has_no_attributes(void)
{
	struct nl_msg *msg = lc_stats_request_build(FK_FAMILY, NULL, 0);

	CHECK(msg);
	if (!msg)
		return;
	check_header(msg, LINMAP_CMD_GET_STATS);
	CHECK_INT(attr_count(msg), 0);
	nlmsg_free(msg);
}

static void test_stats_request_with_range_carries_start_and_end_u64(void)
{
	const struct lc_range range = {
		.start = 0x40000000,
		.end = UINT64_C(0xfffffffffffff000),
	};
	struct nl_msg *msg = lc_stats_request_build(FK_FAMILY, &range, 0);
	struct nlattr *tb[LINMAP_A_STATS_MAX + 1];

	CHECK(msg);
	if (!msg)
		return;
	check_header(msg, LINMAP_CMD_GET_STATS);
	CHECK_INT(attr_count(msg), 2);
	CHECK_INT(genlmsg_parse(nlmsg_hdr(msg), 0, tb, LINMAP_A_STATS_MAX,
				NULL), 0);
	CHECK(tb[LINMAP_A_STATS_START]);
	CHECK(tb[LINMAP_A_STATS_END]);
	CHECK(!tb[LINMAP_A_STATS_PAD]);
	if (tb[LINMAP_A_STATS_START] && tb[LINMAP_A_STATS_END]) {
		CHECK_INT(nla_len(tb[LINMAP_A_STATS_START]), 8);
		CHECK_INT(nla_len(tb[LINMAP_A_STATS_END]), 8);
		CHECK_U64(nla_get_u64(tb[LINMAP_A_STATS_START]), range.start);
		CHECK_U64(nla_get_u64(tb[LINMAP_A_STATS_END]), range.end);
	}
	nlmsg_free(msg);
}

static void test_stats_request_sends_a_bad_range_unchanged(void)
{
	/* end below start and misaligned: the kernel is the judge. */
	const struct lc_range range = { .start = 0x2001, .end = 0x1000 };
	struct nl_msg *msg = lc_stats_request_build(FK_FAMILY, &range, 0);
	struct nlattr *tb[LINMAP_A_STATS_MAX + 1];

	CHECK(msg);
	if (!msg)
		return;
	CHECK_INT(genlmsg_parse(nlmsg_hdr(msg), 0, tb, LINMAP_A_STATS_MAX,
				NULL), 0);
	CHECK(tb[LINMAP_A_STATS_START] && tb[LINMAP_A_STATS_END]);
	if (tb[LINMAP_A_STATS_START] && tb[LINMAP_A_STATS_END]) {
		CHECK_U64(nla_get_u64(tb[LINMAP_A_STATS_START]), 0x2001);
		CHECK_U64(nla_get_u64(tb[LINMAP_A_STATS_END]), 0x1000);
	}
	nlmsg_free(msg);
}

static void test_stats_request_with_walk_carries_the_flag(void)
{
	const struct lc_range range = { .start = 0x40000000, .end = 0x80000000 };
	struct nlattr *tb[LINMAP_A_STATS_MAX + 1];
	struct nl_msg *msg = lc_stats_request_build(FK_FAMILY, NULL,
						    LC_STATS_WALK);

	CHECK(msg);
	if (!msg)
		return;
	check_header(msg, LINMAP_CMD_GET_STATS);
	CHECK_INT(attr_count(msg), 1);
	CHECK_INT(genlmsg_parse(nlmsg_hdr(msg), 0, tb, LINMAP_A_STATS_MAX,
				NULL), 0);
	CHECK(tb[LINMAP_A_STATS_WALK]);
	if (tb[LINMAP_A_STATS_WALK])
		CHECK_INT(nla_len(tb[LINMAP_A_STATS_WALK]), 0);	/* NLA_FLAG */
	nlmsg_free(msg);

	/*
	 * With a range: the range only, which walks by itself (a kernel
	 * before the flag would refuse it).
	 */
	msg = lc_stats_request_build(FK_FAMILY, &range, LC_STATS_WALK);
	CHECK(msg);
	if (!msg)
		return;
	CHECK_INT(attr_count(msg), 2);
	CHECK_INT(genlmsg_parse(nlmsg_hdr(msg), 0, tb, LINMAP_A_STATS_MAX,
				NULL), 0);
	CHECK(tb[LINMAP_A_STATS_START] && tb[LINMAP_A_STATS_END]);
	CHECK(!tb[LINMAP_A_STATS_WALK]);
	nlmsg_free(msg);
}

static const struct tap_test tests[] = {
	TAP_TEST(test_caps_request_is_bare_get_caps),
	TAP_TEST(test_stats_request_without_range_has_no_attributes),
	TAP_TEST(test_stats_request_with_range_carries_start_and_end_u64),
	TAP_TEST(test_stats_request_sends_a_bad_range_unchanged),
	TAP_TEST(test_stats_request_with_walk_carries_the_flag),
};

TAP_MAIN(tests)
