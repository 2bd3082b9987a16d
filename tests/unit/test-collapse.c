// SPDX-License-Identifier: GPL-2.0
/*
 * collapse: the request libcollapse puts on the wire, the reply (with its
 * multi-attr nests) through the parser, and how lc_collapse_all() adds up
 * its steps.
 */
#include <errno.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/linmap.h>
#include <netlink/genl/genl.h>

#include "fake-kernel.h"
#include "collapse-sum.h"
#include "libcollapse-private.h"
#include "tap.h"

#define PAD LINMAP_A_COLLAPSE_PAD

static int attr_count(struct nl_msg *msg)
{
	struct nlattr *nla;
	int rem, n = 0;

	nla_for_each_attr(nla, genlmsg_attrdata(nlmsg_data(nlmsg_hdr(msg)), 0),
			  genlmsg_attrlen(nlmsg_data(nlmsg_hdr(msg)), 0), rem)
		n++;
	return n;
}

static void parse_request(struct nl_msg *msg,
			  struct nlattr *tb[LINMAP_A_COLLAPSE_MAX + 1])
{
	CHECK_INT(genlmsg_parse(nlmsg_hdr(msg), 0, tb, LINMAP_A_COLLAPSE_MAX,
				NULL), 0);
}

static void check_header(struct nl_msg *msg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct genlmsghdr *ghdr = nlmsg_data(nlh);

	CHECK_INT(nlh->nlmsg_type, FK_FAMILY);
	CHECK(nlh->nlmsg_flags & NLM_F_REQUEST);
	CHECK(nlh->nlmsg_flags & NLM_F_ACK);
	CHECK_INT(ghdr->cmd, LINMAP_CMD_COLLAPSE);
	CHECK_INT(ghdr->version, LINMAP_FAMILY_VERSION);
}

static void test_request_without_options_is_bare_collapse(void)
{
	const struct lc_collapse_req zero = { 0 };
	struct nl_msg *msg = lc_collapse_request_build(FK_FAMILY, NULL);

	CHECK(msg);
	if (!msg)
		return;
	check_header(msg);
	CHECK_INT(attr_count(msg), 0);
	nlmsg_free(msg);

	/* A zeroed request is the same: budget 0 is not sent. */
	msg = lc_collapse_request_build(FK_FAMILY, &zero);
	CHECK(msg);
	if (!msg)
		return;
	CHECK_INT(attr_count(msg), 0);
	nlmsg_free(msg);
}

static void test_request_carries_range_as_plain_u64(void)
{
	const struct lc_collapse_req req = {
		.has_range = true,
		.range = { 0x40000000, UINT64_C(0x240000000) },
	};
	struct nl_msg *msg = lc_collapse_request_build(FK_FAMILY, &req);
	struct nlattr *tb[LINMAP_A_COLLAPSE_MAX + 1];

	CHECK(msg);
	if (!msg)
		return;
	check_header(msg);
	CHECK_INT(attr_count(msg), 2);
	parse_request(msg, tb);
	CHECK(!tb[PAD]);
	CHECK(!tb[LINMAP_A_COLLAPSE_BUDGET]);
	CHECK(!tb[LINMAP_A_COLLAPSE_DRY_RUN]);
	CHECK(!tb[LINMAP_A_COLLAPSE_FULL_SCAN]);
	CHECK(tb[LINMAP_A_COLLAPSE_START] && tb[LINMAP_A_COLLAPSE_END]);
	if (tb[LINMAP_A_COLLAPSE_START] && tb[LINMAP_A_COLLAPSE_END]) {
		CHECK_INT(nla_len(tb[LINMAP_A_COLLAPSE_START]), 8);
		CHECK_INT(nla_len(tb[LINMAP_A_COLLAPSE_END]), 8);
		CHECK_U64(nla_get_u64(tb[LINMAP_A_COLLAPSE_START]), 0x40000000);
		CHECK_U64(nla_get_u64(tb[LINMAP_A_COLLAPSE_END]),
			  UINT64_C(0x240000000));
	}
	nlmsg_free(msg);
}

static void test_request_carries_budget_and_dry_run_flag(void)
{
	const struct lc_collapse_req req = {
		.budget = UINT64_C(0x100000001),
		.dry_run = true,
	};
	struct nl_msg *msg = lc_collapse_request_build(FK_FAMILY, &req);
	struct nlattr *tb[LINMAP_A_COLLAPSE_MAX + 1];

	CHECK(msg);
	if (!msg)
		return;
	CHECK_INT(attr_count(msg), 2);
	parse_request(msg, tb);
	CHECK(!tb[LINMAP_A_COLLAPSE_START]);
	CHECK(!tb[LINMAP_A_COLLAPSE_END]);
	CHECK(tb[LINMAP_A_COLLAPSE_BUDGET]);
	if (tb[LINMAP_A_COLLAPSE_BUDGET]) {
		CHECK_INT(nla_len(tb[LINMAP_A_COLLAPSE_BUDGET]), 8);
		CHECK_U64(nla_get_u64(tb[LINMAP_A_COLLAPSE_BUDGET]),
			  UINT64_C(0x100000001));
	}
	/* NLA_FLAG: present, no payload. */
	CHECK(tb[LINMAP_A_COLLAPSE_DRY_RUN]);
	if (tb[LINMAP_A_COLLAPSE_DRY_RUN])
		CHECK_INT(nla_len(tb[LINMAP_A_COLLAPSE_DRY_RUN]), 0);
	nlmsg_free(msg);
}

static void test_request_without_dry_run_has_no_flag(void)
{
	const struct lc_collapse_req req = { .budget = 8 };
	struct nl_msg *msg = lc_collapse_request_build(FK_FAMILY, &req);
	struct nlattr *tb[LINMAP_A_COLLAPSE_MAX + 1];

	CHECK(msg);
	if (!msg)
		return;
	CHECK_INT(attr_count(msg), 1);
	parse_request(msg, tb);
	CHECK(!tb[LINMAP_A_COLLAPSE_DRY_RUN]);
	CHECK(tb[LINMAP_A_COLLAPSE_BUDGET]);
	nlmsg_free(msg);
}

/*
 * Split tracking: FULL_SCAN only when asked for, a flag (a kernel before
 * split tracking refuses it, so it must not go out otherwise).
 */
static void test_request_carries_full_scan_only_when_asked(void)
{
	struct lc_collapse_req req = { .budget = 8, .dry_run = true };
	struct nlattr *tb[LINMAP_A_COLLAPSE_MAX + 1];
	struct nl_msg *msg = lc_collapse_request_build(FK_FAMILY, &req);

	CHECK(msg);
	if (!msg)
		return;
	parse_request(msg, tb);
	CHECK(!tb[LINMAP_A_COLLAPSE_FULL_SCAN]);
	CHECK_INT(attr_count(msg), 2);
	nlmsg_free(msg);

	req.full_scan = true;
	msg = lc_collapse_request_build(FK_FAMILY, &req);
	CHECK(msg);
	if (!msg)
		return;
	parse_request(msg, tb);
	CHECK(tb[LINMAP_A_COLLAPSE_FULL_SCAN]);
	if (tb[LINMAP_A_COLLAPSE_FULL_SCAN])
		CHECK_INT(nla_len(tb[LINMAP_A_COLLAPSE_FULL_SCAN]), 0);
	CHECK(tb[LINMAP_A_COLLAPSE_DRY_RUN]);
	CHECK(tb[LINMAP_A_COLLAPSE_BUDGET]);
	CHECK_INT(attr_count(msg), 3);
	nlmsg_free(msg);
}

static void put_folds(struct nl_msg *msg, uint32_t level, uint64_t count)
{
	fk_put_count_nest(msg, LINMAP_A_COLLAPSE_FOLDS,
			  LINMAP_A_LEVEL_COUNT_LEVEL, level,
			  LINMAP_A_LEVEL_COUNT_COUNT, count,
			  LINMAP_A_LEVEL_COUNT_PAD);
}

static void put_skips(struct nl_msg *msg, uint32_t reason, uint64_t count)
{
	fk_put_count_nest(msg, LINMAP_A_COLLAPSE_SKIPS,
			  LINMAP_A_SKIP_COUNT_REASON, reason,
			  LINMAP_A_SKIP_COUNT_COUNT, count,
			  LINMAP_A_SKIP_COUNT_PAD);
}

/* The counts every reply carries, in the kernel's order. */
static void put_counts(struct nl_msg *msg)
{
	uint32_t i;

	fk_put_u64_64bit(msg, LINMAP_A_COLLAPSE_TABLES_SCANNED, 300, PAD);
	for (i = LINMAP_LEAF_LEVEL_PUD; i <= LINMAP_LEAF_LEVEL_PTE; i++)
		put_folds(msg, i, 10 + i);
	fk_put_u64_64bit(msg, LINMAP_A_COLLAPSE_TABLES_FREED, 40, PAD);
	fk_put_u64_64bit(msg, LINMAP_A_COLLAPSE_BYTES_FREED, 40 * 4096, PAD);
	fk_put_u64_64bit(msg, LINMAP_A_COLLAPSE_NSECS,
			 UINT64_C(0x123456789abc), PAD);
	for (i = LINMAP_SKIP_REASON_INVALID; i <= LINMAP_SKIP_REASON_BUDGET; i++)
		put_skips(msg, i, 100 + i);
}

static void test_reply_with_range_cursor_and_nests_parses(void)
{
	struct nl_msg *msg = fk_reply_new(NULL, LINMAP_CMD_COLLAPSE);
	struct lc_collapse_result r;
	char detail[LC_DETAIL_MAX];
	int i;

	fk_put_u64_64bit(msg, LINMAP_A_COLLAPSE_START, 0x40000000, PAD);
	fk_put_u64_64bit(msg, LINMAP_A_COLLAPSE_END, UINT64_C(0x240000000), PAD);
	nla_put_flag(msg, LINMAP_A_COLLAPSE_DRY_RUN);
	fk_put_u64_64bit(msg, LINMAP_A_COLLAPSE_NEXT, 0x80000000, PAD);
	put_counts(msg);

	memset(&r, 0xaa, sizeof(r));
	CHECK_INT(lc_collapse_reply_parse(msg, &r, detail, sizeof(detail)), 0);
	CHECK_STR(detail, "");
	CHECK(r.has_range);
	CHECK_U64(r.start, 0x40000000);
	CHECK_U64(r.end, UINT64_C(0x240000000));
	CHECK(r.dry_run);
	CHECK_U64(r.tables_scanned, 300);
	CHECK_U64(r.folds[LC_LEVEL_PUD], 10);
	CHECK_U64(r.folds[LC_LEVEL_CONT_PMD], 11);
	CHECK_U64(r.folds[LC_LEVEL_PMD], 12);
	CHECK_U64(r.folds[LC_LEVEL_CONT_PTE], 13);
	CHECK_U64(r.folds[LC_LEVEL_PTE], 14);
	CHECK_U64(r.tables_freed, 40);
	CHECK_U64(r.bytes_freed, 40 * 4096);
	for (i = 0; i < LC_SKIP_NR; i++)
		CHECK_U64(r.skips[i], 100 + i);
	CHECK_U64(r.skips[LC_SKIP_BUDGET], 106);
	CHECK(r.has_next);
	CHECK_U64(r.next, 0x80000000);
	CHECK_U64(r.nsecs, UINT64_C(0x123456789abc));
	nlmsg_free(msg);
}

static void test_reply_without_optional_attributes_reads_zero(void)
{
	struct nl_msg *msg = fk_reply_new(NULL, LINMAP_CMD_COLLAPSE);
	struct lc_collapse_result r;
	char detail[LC_DETAIL_MAX];
	int i;

	/* No range, no dry-run, no cursor, no folds, no skips. */
	fk_put_u64_64bit(msg, LINMAP_A_COLLAPSE_TABLES_SCANNED, 7, PAD);
	fk_put_u64_64bit(msg, LINMAP_A_COLLAPSE_TABLES_FREED, 0, PAD);
	fk_put_u64_64bit(msg, LINMAP_A_COLLAPSE_BYTES_FREED, 0, PAD);
	fk_put_u64_64bit(msg, LINMAP_A_COLLAPSE_NSECS, 999, PAD);

	memset(&r, 0xaa, sizeof(r));
	CHECK_INT(lc_collapse_reply_parse(msg, &r, detail, sizeof(detail)), 0);
	CHECK(!r.has_range);
	CHECK_U64(r.start, 0);
	CHECK_U64(r.end, 0);
	CHECK(!r.dry_run);
	CHECK(!r.has_next);
	CHECK_U64(r.next, 0);
	CHECK_U64(r.tables_scanned, 7);
	CHECK_U64(r.nsecs, 999);
	for (i = 0; i < LC_LEVEL_NR; i++)
		CHECK_U64(r.folds[i], 0);
	for (i = 0; i < LC_SKIP_NR; i++)
		CHECK_U64(r.skips[i], 0);
	nlmsg_free(msg);
}

/* Split tracking: the regions visited, and a full scan echoed. */
static void test_reply_with_regions_scanned_and_full_scan_parses(void)
{
	struct nl_msg *msg = fk_reply_new(NULL, LINMAP_CMD_COLLAPSE);
	struct lc_collapse_result r;
	char detail[LC_DETAIL_MAX];

	put_counts(msg);
	nla_put_flag(msg, LINMAP_A_COLLAPSE_FULL_SCAN);
	fk_put_u64_64bit(msg, LINMAP_A_COLLAPSE_REGIONS_SCANNED,
			 UINT64_C(0x100000003), PAD);
	memset(&r, 0xaa, sizeof(r));
	CHECK_INT(lc_collapse_reply_parse(msg, &r, detail, sizeof(detail)), 0);
	CHECK(r.has_regions_scanned);
	CHECK_U64(r.regions_scanned, UINT64_C(0x100000003));
	CHECK(r.full_scan);
	CHECK_U64(r.tables_scanned, 300);
	nlmsg_free(msg);

	/* The marked regions only: no echo; none marked is still a count. */
	msg = fk_reply_new(NULL, LINMAP_CMD_COLLAPSE);
	put_counts(msg);
	fk_put_u64_64bit(msg, LINMAP_A_COLLAPSE_REGIONS_SCANNED, 0, PAD);
	memset(&r, 0xaa, sizeof(r));
	CHECK_INT(lc_collapse_reply_parse(msg, &r, detail, sizeof(detail)), 0);
	CHECK(r.has_regions_scanned);
	CHECK_U64(r.regions_scanned, 0);
	CHECK(!r.full_scan);
	nlmsg_free(msg);
}

/* A kernel before split tracking: the parser says only what it sent. */
static void test_reply_without_regions_scanned_has_none(void)
{
	struct nl_msg *msg = fk_reply_new(NULL, LINMAP_CMD_COLLAPSE);
	struct lc_collapse_result r;
	char detail[LC_DETAIL_MAX];

	put_counts(msg);
	memset(&r, 0xaa, sizeof(r));
	CHECK_INT(lc_collapse_reply_parse(msg, &r, detail, sizeof(detail)), 0);
	CHECK(!r.has_regions_scanned);
	CHECK_U64(r.regions_scanned, 0);
	CHECK(!r.full_scan);
	nlmsg_free(msg);
}

/* The longest lock hold, in the reply of a kernel with split tracking. */
static void test_reply_with_longest_hold_parses(void)
{
	struct nl_msg *msg = fk_reply_new(NULL, LINMAP_CMD_COLLAPSE);
	struct lc_collapse_result r;
	char detail[LC_DETAIL_MAX];

	put_counts(msg);
	fk_put_u64_64bit(msg, LINMAP_A_COLLAPSE_REGIONS_SCANNED, 2, PAD);
	fk_put_u64_64bit(msg, LINMAP_A_COLLAPSE_LONGEST_HOLD_NSECS,
			 UINT64_C(0x100000007), PAD);
	memset(&r, 0xaa, sizeof(r));
	CHECK_INT(lc_collapse_reply_parse(msg, &r, detail, sizeof(detail)), 0);
	CHECK(r.has_longest_hold);
	CHECK_U64(r.longest_hold_nsecs, UINT64_C(0x100000007));
	CHECK_U64(r.regions_scanned, 2);
	CHECK_U64(r.nsecs, UINT64_C(0x123456789abc));
	nlmsg_free(msg);

	/* Nothing visited, nothing held: 0 is still a value. */
	msg = fk_reply_new(NULL, LINMAP_CMD_COLLAPSE);
	put_counts(msg);
	fk_put_u64_64bit(msg, LINMAP_A_COLLAPSE_LONGEST_HOLD_NSECS, 0, PAD);
	memset(&r, 0xaa, sizeof(r));
	CHECK_INT(lc_collapse_reply_parse(msg, &r, detail, sizeof(detail)), 0);
	CHECK(r.has_longest_hold);
	CHECK_U64(r.longest_hold_nsecs, 0);
	nlmsg_free(msg);
}

/* A kernel before split tracking sends no longest hold: none, and 0. */
static void test_reply_without_longest_hold_has_none(void)
{
	struct nl_msg *msg = fk_reply_new(NULL, LINMAP_CMD_COLLAPSE);
	struct lc_collapse_result r;
	char detail[LC_DETAIL_MAX];

	put_counts(msg);
	memset(&r, 0xaa, sizeof(r));
	CHECK_INT(lc_collapse_reply_parse(msg, &r, detail, sizeof(detail)), 0);
	CHECK(!r.has_longest_hold);
	CHECK_U64(r.longest_hold_nsecs, 0);
	nlmsg_free(msg);
}

/* The fold candidates a reply says were left alone, every known reason. */
static uint64_t skips_total(const struct lc_collapse_result *r)
{
	uint64_t total = 0;
	int i;

	for (i = 0; i < LC_SKIP_NR; i++)
		total += r->skips[i];
	return total;
}

static void test_reply_unknown_level_and_reason_are_ignored(void)
{
	struct nl_msg *msg = fk_reply_new(NULL, LINMAP_CMD_COLLAPSE);
	struct lc_collapse_result r;
	char detail[LC_DETAIL_MAX];
	uint64_t total = 0;
	int i;

	put_counts(msg);
	/* A newer kernel's level and reason, and absurd key values. */
	put_folds(msg, LINMAP_LEAF_LEVEL_PTE + 1, 1000);
	put_folds(msg, UINT32_MAX, 1000);
	put_skips(msg, LINMAP_SKIP_REASON_YOUNG + 1, 1000);
	put_skips(msg, 0x80000000u, 1000);

	CHECK_INT(lc_collapse_reply_parse(msg, &r, detail, sizeof(detail)), 0);
	for (i = 0; i < LC_LEVEL_NR; i++)
		total += r.folds[i];
	CHECK_U64(total, 10 + 11 + 12 + 13 + 14);
	CHECK_U64(skips_total(&r), 100 + 101 + 102 + 103 + 104 + 105 + 106);
	CHECK_U64(r.young, 0);
	nlmsg_free(msg);
}

/* A minimum age is sent only when set, as a u32. */
static void test_request_carries_min_age_only_when_asked(void)
{
	struct lc_collapse_req req = { .budget = 8 };
	struct nlattr *tb[LINMAP_A_COLLAPSE_MAX + 1];
	struct nl_msg *msg = lc_collapse_request_build(FK_FAMILY, &req);

	CHECK(msg);
	if (!msg)
		return;
	parse_request(msg, tb);
	CHECK(!tb[LINMAP_A_COLLAPSE_MIN_AGE_MSECS]);
	nlmsg_free(msg);

	req.min_age_msecs = 86400000;
	msg = lc_collapse_request_build(FK_FAMILY, &req);
	CHECK(msg);
	if (!msg)
		return;
	parse_request(msg, tb);
	CHECK(tb[LINMAP_A_COLLAPSE_MIN_AGE_MSECS]);
	if (tb[LINMAP_A_COLLAPSE_MIN_AGE_MSECS]) {
		CHECK_INT(nla_len(tb[LINMAP_A_COLLAPSE_MIN_AGE_MSECS]), 4);
		CHECK_U64(nla_get_u32(tb[LINMAP_A_COLLAPSE_MIN_AGE_MSECS]),
			  86400000);
	}
	CHECK_INT(attr_count(msg), 2);
	nlmsg_free(msg);
}

/*
 * The young skips come from the skips nest (not skips[]), the minimum age
 * and the ping-pongs from their attributes; without them, none and 0.
 */
static void test_reply_with_young_and_pingpongs_parses(void)
{
	struct nl_msg *msg = fk_reply_new(NULL, LINMAP_CMD_COLLAPSE);
	struct lc_collapse_result r;
	char detail[LC_DETAIL_MAX];

	put_counts(msg);
	put_skips(msg, LINMAP_SKIP_REASON_YOUNG, 77);
	nla_put_u32(msg, LINMAP_A_COLLAPSE_MIN_AGE_MSECS, 5000);
	fk_put_u64_64bit(msg, LINMAP_A_COLLAPSE_PINGPONGS,
			 UINT64_C(0x100000003), PAD);
	memset(&r, 0xaa, sizeof(r));
	CHECK_INT(lc_collapse_reply_parse(msg, &r, detail, sizeof(detail)), 0);
	CHECK_U64(r.young, 77);
	CHECK_U64(r.min_age_msecs, 5000);
	CHECK(r.has_pingpongs);
	CHECK_U64(r.pingpongs, UINT64_C(0x100000003));
	CHECK_U64(skips_total(&r), 100 + 101 + 102 + 103 + 104 + 105 + 106);
	nlmsg_free(msg);

	msg = fk_reply_new(NULL, LINMAP_CMD_COLLAPSE);
	put_counts(msg);
	memset(&r, 0xaa, sizeof(r));
	CHECK_INT(lc_collapse_reply_parse(msg, &r, detail, sizeof(detail)), 0);
	CHECK_U64(r.young, 0);
	CHECK_U64(r.min_age_msecs, 0);
	CHECK(!r.has_pingpongs);
	CHECK_U64(r.pingpongs, 0);
	nlmsg_free(msg);
}

/* Steps add up their young skips; the ping-pongs are the latest count. */
static void test_steps_add_up_young_and_keep_the_latest_pingpongs(void)
{
	struct lc_collapse_result sum = { 0 };
	struct lc_collapse_result a = {
		.young = 3, .has_pingpongs = true, .pingpongs = 10,
		.min_age_msecs = 5000,
	};
	struct lc_collapse_result b = {
		.young = 4, .has_pingpongs = true, .pingpongs = 12,
		.min_age_msecs = 5000,
	};

	lc_collapse_result_add(&sum, &a, true);
	lc_collapse_result_add(&sum, &b, false);
	CHECK_U64(sum.young, 7);
	CHECK(sum.has_pingpongs);
	CHECK_U64(sum.pingpongs, 12);
	CHECK_U64(sum.min_age_msecs, 5000);
}

static void test_reply_nest_without_count_is_named(void)
{
	struct nl_msg *msg = fk_reply_new(NULL, LINMAP_CMD_COLLAPSE);
	struct lc_collapse_result r;
	char detail[LC_DETAIL_MAX];
	struct nlattr *nest;

	put_counts(msg);
	nest = nla_nest_start(msg, LINMAP_A_COLLAPSE_SKIPS);
	nla_put_u32(msg, LINMAP_A_SKIP_COUNT_REASON, LINMAP_SKIP_REASON_PKEY);
	nla_nest_end(msg, nest);

	CHECK_INT(lc_collapse_reply_parse(msg, &r, detail, sizeof(detail)),
		  -EPROTO);
	CHECK_STR(detail, "attribute 'skips' has a nest without 'count'");
	nlmsg_free(msg);
}

static void test_reply_nest_without_level_is_named(void)
{
	struct nl_msg *msg = fk_reply_new(NULL, LINMAP_CMD_COLLAPSE);
	struct lc_collapse_result r;
	char detail[LC_DETAIL_MAX];
	struct nlattr *nest;

	put_counts(msg);
	nest = nla_nest_start(msg, LINMAP_A_COLLAPSE_FOLDS);
	fk_put_u64_64bit(msg, LINMAP_A_LEVEL_COUNT_COUNT, 5,
			 LINMAP_A_LEVEL_COUNT_PAD);
	nla_nest_end(msg, nest);

	CHECK_INT(lc_collapse_reply_parse(msg, &r, detail, sizeof(detail)),
		  -EPROTO);
	CHECK_STR(detail, "attribute 'folds' has a nest without 'level'");
	nlmsg_free(msg);
}

static void test_reply_missing_nsecs_is_named(void)
{
	struct nl_msg *msg = fk_reply_new(NULL, LINMAP_CMD_COLLAPSE);
	struct lc_collapse_result r;
	char detail[LC_DETAIL_MAX];

	fk_put_u64_64bit(msg, LINMAP_A_COLLAPSE_TABLES_SCANNED, 7, PAD);
	fk_put_u64_64bit(msg, LINMAP_A_COLLAPSE_TABLES_FREED, 0, PAD);
	fk_put_u64_64bit(msg, LINMAP_A_COLLAPSE_BYTES_FREED, 0, PAD);
	CHECK_INT(lc_collapse_reply_parse(msg, &r, detail, sizeof(detail)),
		  -EPROTO);
	CHECK_STR(detail, "reply from the kernel lacks attribute 'nsecs'");
	nlmsg_free(msg);
}

static void test_reply_with_start_but_no_end_is_refused(void)
{
	struct nl_msg *msg = fk_reply_new(NULL, LINMAP_CMD_COLLAPSE);
	struct lc_collapse_result r;
	char detail[LC_DETAIL_MAX];

	put_counts(msg);
	fk_put_u64_64bit(msg, LINMAP_A_COLLAPSE_START, 0x40000000, PAD);
	CHECK_INT(lc_collapse_reply_parse(msg, &r, detail, sizeof(detail)),
		  -EPROTO);
	CHECK_STR(detail, "reply from the kernel has attribute 'start' without 'end'");
	nlmsg_free(msg);
}

static void test_steps_add_up_and_only_the_last_budget_stop_counts(void)
{
	struct lc_collapse_result sum = { 0 };
	struct lc_collapse_result step1 = {
		.has_range = true, .start = 0x1000, .end = 0x9000,
		.dry_run = true,
		.tables_scanned = 4, .folds = { 1, 0, 2, 0, 0 },
		.tables_freed = 2, .bytes_freed = 8192,
		.skips = { [LC_SKIP_ATTRIBUTES] = 3, [LC_SKIP_BUDGET] = 1 },
		.has_next = true, .next = 0x5000, .nsecs = 100,
	};
	struct lc_collapse_result step2 = {
		.has_range = true, .start = 0x5000, .end = 0x9000,
		.tables_scanned = 2, .folds = { 0, 0, 1, 0, 5 },
		.tables_freed = 1, .bytes_freed = 4096,
		.skips = { [LC_SKIP_ATTRIBUTES] = 1, [LC_SKIP_PKEY] = 2 },
		.nsecs = 50,
	};

	lc_collapse_result_add(&sum, &step1, true);
	CHECK(sum.has_next);
	CHECK_U64(sum.skips[LC_SKIP_BUDGET], 1);
	lc_collapse_result_add(&sum, &step2, false);
	CHECK(sum.has_range);
	CHECK_U64(sum.start, 0x1000);
	CHECK_U64(sum.end, 0x9000);
	CHECK(sum.dry_run);	/* the mode of the first step */
	CHECK_U64(sum.tables_scanned, 6);
	CHECK_U64(sum.folds[LC_LEVEL_PUD], 1);
	CHECK_U64(sum.folds[LC_LEVEL_PMD], 3);
	CHECK_U64(sum.folds[LC_LEVEL_PTE], 5);
	CHECK_U64(sum.tables_freed, 3);
	CHECK_U64(sum.bytes_freed, 12288);
	CHECK_U64(sum.skips[LC_SKIP_ATTRIBUTES], 4);
	CHECK_U64(sum.skips[LC_SKIP_PKEY], 2);
	CHECK_U64(sum.skips[LC_SKIP_BUDGET], 0);
	CHECK(!sum.has_next);
	CHECK_U64(sum.nsecs, 150);
}

static void test_steps_add_up_the_regions_scanned(void)
{
	struct lc_collapse_result sum = { 0 };
	struct lc_collapse_result step1 = {
		.has_range = true, .start = 0x1000, .end = 0x9000,
		.full_scan = true, .has_regions_scanned = true,
		.regions_scanned = 3, .has_next = true, .next = 0x5000,
	};
	struct lc_collapse_result step2 = {
		.has_range = true, .start = 0x5000, .end = 0x9000,
		.has_regions_scanned = true, .regions_scanned = 4,
	};
	struct lc_collapse_result old = { .tables_scanned = 1 };

	lc_collapse_result_add(&sum, &step1, true);
	lc_collapse_result_add(&sum, &step2, false);
	CHECK(sum.has_regions_scanned);
	CHECK_U64(sum.regions_scanned, 7);
	CHECK(sum.full_scan);	/* the mode of the first step */

	/* A step that did not say: the sum is not known any more. */
	lc_collapse_result_add(&sum, &old, false);
	CHECK(!sum.has_regions_scanned);

	/* ... nor when the first did not. */
	memset(&sum, 0, sizeof(sum));
	lc_collapse_result_add(&sum, &old, true);
	lc_collapse_result_add(&sum, &step2, false);
	CHECK(!sum.has_regions_scanned);
	CHECK(!sum.full_scan);
}

/* The longest hold of a sum is the longest step's: a maximum, not a sum. */
static void test_steps_keep_the_longest_hold(void)
{
	struct lc_collapse_result sum = { 0 };
	struct lc_collapse_result step1 = {
		.has_longest_hold = true, .longest_hold_nsecs = 300,
		.has_next = true, .next = 0x5000,
	};
	struct lc_collapse_result step2 = {
		.has_longest_hold = true, .longest_hold_nsecs = 900,
		.has_next = true, .next = 0x7000,
	};
	struct lc_collapse_result step3 = {
		.has_longest_hold = true, .longest_hold_nsecs = 500,
	};
	struct lc_collapse_result old = { .tables_scanned = 1 };

	lc_collapse_result_add(&sum, &step1, true);
	CHECK(sum.has_longest_hold);
	CHECK_U64(sum.longest_hold_nsecs, 300);
	lc_collapse_result_add(&sum, &step2, false);
	lc_collapse_result_add(&sum, &step3, false);
	CHECK(sum.has_longest_hold);
	CHECK_U64(sum.longest_hold_nsecs, 900);	/* not 1700, not 500 */

	/* A step that did not say: not known any more. */
	lc_collapse_result_add(&sum, &old, false);
	CHECK(!sum.has_longest_hold);

	/* ... nor when the first did not. */
	memset(&sum, 0, sizeof(sum));
	lc_collapse_result_add(&sum, &old, true);
	lc_collapse_result_add(&sum, &step2, false);
	CHECK(!sum.has_longest_hold);

	/* A first step starts the sum afresh, whatever was in it. */
	memset(&sum, 0xaa, sizeof(sum));
	lc_collapse_result_add(&sum, &step3, true);
	CHECK(sum.has_longest_hold);
	CHECK_U64(sum.longest_hold_nsecs, 500);
}

static void test_skip_names_match_the_json_keys(void)
{
	CHECK_STR(lc_skip_name(LC_SKIP_INVALID), "invalid");
	CHECK_STR(lc_skip_name(LC_SKIP_ATTRIBUTES), "attributes");
	CHECK_STR(lc_skip_name(LC_SKIP_PKEY), "pkey");
	CHECK_STR(lc_skip_name(LC_SKIP_REALM), "realm");
	CHECK_STR(lc_skip_name(LC_SKIP_EXCLUDED), "excluded");
	CHECK_STR(lc_skip_name(LC_SKIP_ALIGNMENT), "alignment");
	CHECK_STR(lc_skip_name(LC_SKIP_BUDGET), "budget");
	CHECK(lc_skip_name(LC_SKIP_NR) == NULL);
	CHECK(lc_skip_name((enum lc_skip)-1) == NULL);
}

static const struct tap_test tests[] = {
	TAP_TEST(test_request_without_options_is_bare_collapse),
	TAP_TEST(test_request_carries_range_as_plain_u64),
	TAP_TEST(test_request_carries_budget_and_dry_run_flag),
	TAP_TEST(test_request_without_dry_run_has_no_flag),
	TAP_TEST(test_request_carries_full_scan_only_when_asked),
	TAP_TEST(test_reply_with_range_cursor_and_nests_parses),
	TAP_TEST(test_reply_without_optional_attributes_reads_zero),
	TAP_TEST(test_reply_with_regions_scanned_and_full_scan_parses),
	TAP_TEST(test_reply_without_regions_scanned_has_none),
	TAP_TEST(test_reply_with_longest_hold_parses),
	TAP_TEST(test_reply_without_longest_hold_has_none),
	TAP_TEST(test_reply_unknown_level_and_reason_are_ignored),
	TAP_TEST(test_request_carries_min_age_only_when_asked),
	TAP_TEST(test_reply_with_young_and_pingpongs_parses),
	TAP_TEST(test_steps_add_up_young_and_keep_the_latest_pingpongs),
	TAP_TEST(test_reply_nest_without_count_is_named),
	TAP_TEST(test_reply_nest_without_level_is_named),
	TAP_TEST(test_reply_missing_nsecs_is_named),
	TAP_TEST(test_reply_with_start_but_no_end_is_refused),
	TAP_TEST(test_steps_add_up_and_only_the_last_budget_stop_counts),
	TAP_TEST(test_steps_add_up_the_regions_scanned),
	TAP_TEST(test_steps_keep_the_longest_hold),
	TAP_TEST(test_skip_names_match_the_json_keys),
};

TAP_MAIN(tests)
