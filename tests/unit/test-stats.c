// SPDX-License-Identifier: GPL-2.0
/* get-stats replies through the parser, and the derived figures. */
#include <errno.h>
#include <math.h>
#include <string.h>

#include <linux/linmap.h>

#include "fake-kernel.h"
#include "libcollapse-private.h"
#include "tap.h"

#define PAD LINMAP_A_STATS_PAD

struct stats_values {
	uint64_t leaves[LC_LEVEL_NR];
	uint64_t invalid, table_pages, ideal, mapped;
};

static const struct stats_values shattered = {
	/* pud, cont_pmd, pmd, cont_pte, pte */
	.leaves = { 1, 2, 3, 40, UINT64_C(5000000000) },
	.invalid = 6,
	.table_pages = 77,
	.ideal = 4,
	.mapped = UINT64_C(0x140000000),
};

static void put_count(struct nl_msg *msg, int type, uint64_t val, bool wide)
{
	if (wide)
		fk_put_u64_64bit(msg, type, val, PAD);
	else
		nla_put_u32(msg, type, (uint32_t)val);
}

/* What the kernel's counters answer: no ideal-leaves, no invalid. */
static struct nl_msg *counters_reply_of(const struct stats_values *v,
					bool wide)
{
	struct nl_msg *msg = fk_reply_new(NULL, LINMAP_CMD_GET_STATS);

	put_count(msg, LINMAP_A_STATS_LEAVES_PUD, v->leaves[LC_LEVEL_PUD], wide);
	put_count(msg, LINMAP_A_STATS_LEAVES_CONT_PMD,
		  v->leaves[LC_LEVEL_CONT_PMD], wide);
	put_count(msg, LINMAP_A_STATS_LEAVES_PMD, v->leaves[LC_LEVEL_PMD], wide);
	put_count(msg, LINMAP_A_STATS_LEAVES_CONT_PTE,
		  v->leaves[LC_LEVEL_CONT_PTE], wide);
	put_count(msg, LINMAP_A_STATS_LEAVES_PTE, v->leaves[LC_LEVEL_PTE], wide);
	put_count(msg, LINMAP_A_STATS_TABLE_PAGES, v->table_pages, wide);
	put_count(msg, LINMAP_A_STATS_MAPPED_BYTES, v->mapped, wide);
	return msg;
}

/* A walk's answer: the counters' attributes, the ideal and the invalid. */
static struct nl_msg *stats_reply(const struct stats_values *v, bool wide)
{
	struct nl_msg *msg = counters_reply_of(v, wide);

	put_count(msg, LINMAP_A_STATS_INVALID, v->invalid, wide);
	put_count(msg, LINMAP_A_STATS_IDEAL_LEAVES, v->ideal, wide);
	return msg;
}

static void test_stats_reply_with_u64_and_pad_parses(void)
{
	struct nl_msg *msg = stats_reply(&shattered, true);
	struct lc_stats stats;
	char detail[LC_DETAIL_MAX];
	int level;

	memset(&stats, 0xaa, sizeof(stats));
	CHECK_INT(lc_stats_reply_parse(msg, &stats, detail, sizeof(detail)), 0);
	CHECK(!stats.has_range);
	for (level = 0; level < LC_LEVEL_NR; level++)
		CHECK_U64(stats.leaves[level], shattered.leaves[level]);
	CHECK_U64(stats.invalid, 6);
	CHECK_U64(stats.table_pages, 77);
	CHECK_U64(stats.ideal_leaves, 4);
	CHECK_U64(stats.mapped_bytes, UINT64_C(0x140000000));
	nlmsg_free(msg);
}

static void test_stats_reply_with_4_byte_counters_parses(void)
{
	const struct stats_values small = {
		.leaves = { 0, 0, 512, 0, 0xffffffffu },
		.invalid = 1, .table_pages = 2, .ideal = 3, .mapped = 0x80000000u,
	};
	struct nl_msg *msg = stats_reply(&small, false);
	struct lc_stats stats;
	char detail[LC_DETAIL_MAX];

	CHECK_INT(lc_stats_reply_parse(msg, &stats, detail, sizeof(detail)), 0);
	CHECK_U64(stats.leaves[LC_LEVEL_PMD], 512);
	CHECK_U64(stats.leaves[LC_LEVEL_PTE], 0xffffffffu);
	CHECK_U64(stats.mapped_bytes, 0x80000000u);
	nlmsg_free(msg);
}

static void test_stats_reply_echoing_the_range_sets_has_range(void)
{
	struct nl_msg *msg = stats_reply(&shattered, true);
	struct lc_stats stats;
	char detail[LC_DETAIL_MAX];

	fk_put_u64_64bit(msg, LINMAP_A_STATS_START, 0x40000000, PAD);
	fk_put_u64_64bit(msg, LINMAP_A_STATS_END, 0x80000000, PAD);
	CHECK_INT(lc_stats_reply_parse(msg, &stats, detail, sizeof(detail)), 0);
	CHECK(stats.has_range);
	CHECK_U64(stats.start, 0x40000000);
	CHECK_U64(stats.end, 0x80000000);
	nlmsg_free(msg);
}

static struct nl_msg *counters_reply(const struct stats_values *v)
{
	return counters_reply_of(v, true);
}

static void test_stats_reply_of_a_walk_sets_walked(void)
{
	struct nl_msg *msg = stats_reply(&shattered, true);
	struct lc_stats stats;
	char detail[LC_DETAIL_MAX];

	memset(&stats, 0, sizeof(stats));
	CHECK_INT(lc_stats_reply_parse(msg, &stats, detail, sizeof(detail)), 0);
	CHECK(stats.walked);
	nlmsg_free(msg);
}

static void test_stats_reply_of_the_counters_is_not_walked(void)
{
	struct nl_msg *msg = counters_reply(&shattered);
	struct lc_stats stats;
	char detail[LC_DETAIL_MAX];
	int level;

	memset(&stats, 0xaa, sizeof(stats));
	CHECK_INT(lc_stats_reply_parse(msg, &stats, detail, sizeof(detail)), 0);
	CHECK(!stats.walked);
	CHECK_U64(stats.ideal_leaves, 0);
	CHECK_U64(stats.invalid, 0);
	for (level = 0; level < LC_LEVEL_NR; level++)
		CHECK_U64(stats.leaves[level], shattered.leaves[level]);
	CHECK_U64(stats.table_pages, 77);
	CHECK_U64(stats.mapped_bytes, UINT64_C(0x140000000));
	/* Leaves but no ideal: the ratio is unknown, not 1.0. */
	CHECK(isnan(lc_stats_restoration(&stats)));
	nlmsg_free(msg);
}

/* A walk sends ideal-leaves and invalid together: one alone is refused. */
static void test_stats_reply_with_invalid_but_no_ideal_is_named(void)
{
	struct nl_msg *msg = counters_reply(&shattered);
	struct lc_stats stats;
	char detail[LC_DETAIL_MAX];

	fk_put_u64_64bit(msg, LINMAP_A_STATS_INVALID, 1, PAD);
	CHECK_INT(lc_stats_reply_parse(msg, &stats, detail, sizeof(detail)),
		  -EPROTO);
	CHECK_STR(detail, "reply from the kernel has attribute 'invalid' without 'ideal-leaves'");
	nlmsg_free(msg);
}

static void test_stats_reply_with_ideal_but_no_invalid_is_named(void)
{
	struct nl_msg *msg = counters_reply(&shattered);
	struct lc_stats stats;
	char detail[LC_DETAIL_MAX];

	fk_put_u64_64bit(msg, LINMAP_A_STATS_IDEAL_LEAVES, 4, PAD);
	CHECK_INT(lc_stats_reply_parse(msg, &stats, detail, sizeof(detail)),
		  -EPROTO);
	CHECK_STR(detail, "reply from the kernel has attribute 'ideal-leaves' without 'invalid'");
	nlmsg_free(msg);
}

static void test_stats_reply_missing_leaves_is_named(void)
{
	struct nl_msg *msg = fk_reply_new(NULL, LINMAP_CMD_GET_STATS);
	struct lc_stats stats;
	char detail[LC_DETAIL_MAX];

	fk_put_u64_64bit(msg, LINMAP_A_STATS_LEAVES_PUD, 1, PAD);
	fk_put_u64_64bit(msg, LINMAP_A_STATS_LEAVES_CONT_PMD, 1, PAD);
	fk_put_u64_64bit(msg, LINMAP_A_STATS_LEAVES_PMD, 1, PAD);
	fk_put_u64_64bit(msg, LINMAP_A_STATS_LEAVES_CONT_PTE, 1, PAD);
	fk_put_u64_64bit(msg, LINMAP_A_STATS_TABLE_PAGES, 1, PAD);
	fk_put_u64_64bit(msg, LINMAP_A_STATS_MAPPED_BYTES, 1, PAD);
	CHECK_INT(lc_stats_reply_parse(msg, &stats, detail, sizeof(detail)),
		  -EPROTO);
	CHECK_STR(detail, "reply from the kernel lacks attribute 'leaves-pte'");
	nlmsg_free(msg);
}

static void test_stats_reply_with_only_end_echoed_is_refused(void)
{
	struct nl_msg *msg = stats_reply(&shattered, true);
	struct lc_stats stats;
	char detail[LC_DETAIL_MAX];

	fk_put_u64_64bit(msg, LINMAP_A_STATS_END, 0x80000000, PAD);
	CHECK_INT(lc_stats_reply_parse(msg, &stats, detail, sizeof(detail)),
		  -EPROTO);
	CHECK_STR(detail, "reply from the kernel has attribute 'end' without 'start'");
	nlmsg_free(msg);
}

static void test_stats_reply_truncated_genl_header_is_refused(void)
{
	struct nl_msg *msg = nlmsg_alloc_simple(FK_FAMILY, 0);
	struct lc_stats stats;
	char detail[LC_DETAIL_MAX];

	/* An nlmsghdr with no room for the genetlink header. */
	CHECK_INT(lc_stats_reply_parse(msg, &stats, detail, sizeof(detail)),
		  -EPROTO);
	CHECK_STR(detail, "malformed reply from the kernel");
	nlmsg_free(msg);
}

static void put_level(struct nl_msg *msg, int type, uint32_t level,
		      uint64_t count)
{
	fk_put_count_nest(msg, type, LINMAP_A_LEVEL_COUNT_LEVEL, level,
			  LINMAP_A_LEVEL_COUNT_COUNT, count,
			  LINMAP_A_LEVEL_COUNT_PAD);
}

static void test_stats_reply_counters_since_boot_parse(void)
{
	struct nl_msg *msg = stats_reply(&shattered, true);
	struct lc_stats stats;
	char detail[LC_DETAIL_MAX];
	uint32_t level;

	/* As the kernel's linmap_nl_put_counters(): every level, in order. */
	for (level = LINMAP_LEAF_LEVEL_PUD; level <= LINMAP_LEAF_LEVEL_PTE;
	     level++)
		put_level(msg, LINMAP_A_STATS_SPLITS, level, 1000 + level);
	for (level = LINMAP_LEAF_LEVEL_PUD; level <= LINMAP_LEAF_LEVEL_PTE;
	     level++)
		put_level(msg, LINMAP_A_STATS_FOLDS, level, 2000 + level);
	fk_put_u64_64bit(msg, LINMAP_A_STATS_TABLES_FREED,
			 UINT64_C(0x100000000), PAD);

	memset(&stats, 0xaa, sizeof(stats));
	CHECK_INT(lc_stats_reply_parse(msg, &stats, detail, sizeof(detail)), 0);
	CHECK_U64(stats.splits[LC_LEVEL_PUD], 1000);
	CHECK_U64(stats.splits[LC_LEVEL_CONT_PMD], 1001);
	CHECK_U64(stats.splits[LC_LEVEL_PMD], 1002);
	CHECK_U64(stats.splits[LC_LEVEL_CONT_PTE], 1003);
	CHECK_U64(stats.splits[LC_LEVEL_PTE], 1004);
	CHECK_U64(stats.folds[LC_LEVEL_PUD], 2000);
	CHECK_U64(stats.folds[LC_LEVEL_PTE], 2004);
	CHECK_U64(stats.tables_freed, UINT64_C(0x100000000));
	/* The leaf counts are not disturbed by the nests. */
	CHECK_U64(stats.leaves[LC_LEVEL_PTE], UINT64_C(5000000000));
	nlmsg_free(msg);
}

static void test_stats_reply_of_first_series_reads_zero_since_boot(void)
{
	struct nl_msg *msg = stats_reply(&shattered, true);
	struct lc_stats stats;
	char detail[LC_DETAIL_MAX];
	int level;

	memset(&stats, 0xaa, sizeof(stats));
	CHECK_INT(lc_stats_reply_parse(msg, &stats, detail, sizeof(detail)), 0);
	for (level = 0; level < LC_LEVEL_NR; level++) {
		CHECK_U64(stats.splits[level], 0);
		CHECK_U64(stats.folds[level], 0);
	}
	CHECK_U64(stats.tables_freed, 0);
	nlmsg_free(msg);
}

static void test_stats_reply_unknown_split_level_is_ignored(void)
{
	struct nl_msg *msg = stats_reply(&shattered, true);
	struct lc_stats stats;
	char detail[LC_DETAIL_MAX];

	put_level(msg, LINMAP_A_STATS_SPLITS, LINMAP_LEAF_LEVEL_PMD, 7);
	put_level(msg, LINMAP_A_STATS_SPLITS, LINMAP_LEAF_LEVEL_PTE + 1, 99);
	put_level(msg, LINMAP_A_STATS_FOLDS, 0xffffffffu, 99);
	CHECK_INT(lc_stats_reply_parse(msg, &stats, detail, sizeof(detail)), 0);
	CHECK_U64(stats.splits[LC_LEVEL_PMD], 7);
	CHECK_U64(stats.splits[LC_LEVEL_PTE], 0);
	CHECK_U64(stats.folds[LC_LEVEL_PUD], 0);
	CHECK_U64(stats.folds[LC_LEVEL_PTE], 0);
	nlmsg_free(msg);
}

static void test_stats_reply_garbage_splits_nest_is_named(void)
{
	struct nl_msg *msg = stats_reply(&shattered, true);
	struct lc_stats stats;
	char detail[LC_DETAIL_MAX];

	/* A 3-byte payload where a nest of attributes should be. */
	nla_put(msg, LINMAP_A_STATS_SPLITS, 3, "abc");
	CHECK_INT(lc_stats_reply_parse(msg, &stats, detail, sizeof(detail)),
		  -EPROTO);
	CHECK_STR(detail, "attribute 'splits' has a nest without 'level'");
	nlmsg_free(msg);
}

/* Split tracking: the marked regions, in a walk's reply and the counters'. */
static void test_stats_reply_marked_regions_parse(void)
{
	struct nl_msg *msg = counters_reply(&shattered);
	struct lc_stats stats;
	char detail[LC_DETAIL_MAX];

	fk_put_u64_64bit(msg, LINMAP_A_STATS_MARKED_REGIONS, 3, PAD);
	memset(&stats, 0, sizeof(stats));
	CHECK_INT(lc_stats_reply_parse(msg, &stats, detail, sizeof(detail)), 0);
	CHECK(stats.has_marked_regions);
	CHECK_U64(stats.marked_regions, 3);
	CHECK(!stats.walked);
	CHECK_U64(stats.leaves[LC_LEVEL_PTE], UINT64_C(5000000000));
	nlmsg_free(msg);

	msg = stats_reply(&shattered, true);
	fk_put_u64_64bit(msg, LINMAP_A_STATS_MARKED_REGIONS,
			 UINT64_C(0x100000000), PAD);
	CHECK_INT(lc_stats_reply_parse(msg, &stats, detail, sizeof(detail)), 0);
	CHECK(stats.has_marked_regions);
	CHECK_U64(stats.marked_regions, UINT64_C(0x100000000));
	CHECK(stats.walked);
	nlmsg_free(msg);

	/* None marked is a count too, not an absence. */
	msg = counters_reply(&shattered);
	fk_put_u64_64bit(msg, LINMAP_A_STATS_MARKED_REGIONS, 0, PAD);
	CHECK_INT(lc_stats_reply_parse(msg, &stats, detail, sizeof(detail)), 0);
	CHECK(stats.has_marked_regions);
	CHECK_U64(stats.marked_regions, 0);
	nlmsg_free(msg);
}

/* A kernel before split tracking, or a range: no marked regions. */
static void test_stats_reply_without_marked_regions_has_none(void)
{
	struct nl_msg *msg = stats_reply(&shattered, true);
	struct lc_stats stats;
	char detail[LC_DETAIL_MAX];

	memset(&stats, 0xaa, sizeof(stats));
	CHECK_INT(lc_stats_reply_parse(msg, &stats, detail, sizeof(detail)), 0);
	CHECK(!stats.has_marked_regions);
	CHECK_U64(stats.marked_regions, 0);
	nlmsg_free(msg);
}

static void test_leaves_total_sums_every_level(void)
{
	struct lc_stats stats = {
		.leaves = { 1, 2, 3, 40, UINT64_C(5000000000) },
	};

	CHECK_U64(lc_stats_leaves_total(&stats), UINT64_C(5000000046));
}

static void test_restoration_is_leaves_over_ideal(void)
{
	struct lc_stats stats = {
		.leaves = { 0, 0, 2, 10, 500 },
		.ideal_leaves = 2,
	};

	CHECK(lc_stats_restoration(&stats) == 256.0);
	stats = (struct lc_stats){ .leaves = { 0, 0, 2 }, .ideal_leaves = 2 };
	CHECK(lc_stats_restoration(&stats) == 1.0);
	stats = (struct lc_stats){ .leaves = { 0, 0, 3 }, .ideal_leaves = 2 };
	CHECK(lc_stats_restoration(&stats) == 1.5);
}

static void test_restoration_of_nothing_mapped_is_one(void)
{
	struct lc_stats stats = { .ideal_leaves = 0 };

	CHECK(lc_stats_restoration(&stats) == 1.0);
}

static void test_restoration_without_ideal_count_is_nan(void)
{
	struct lc_stats stats = { .leaves = { 0, 0, 0, 0, 9 } };

	CHECK(isnan(lc_stats_restoration(&stats)));
}

static void test_level_names_match_the_json_keys(void)
{
	CHECK_STR(lc_level_name(LC_LEVEL_PUD), "pud");
	CHECK_STR(lc_level_name(LC_LEVEL_CONT_PMD), "cont_pmd");
	CHECK_STR(lc_level_name(LC_LEVEL_PMD), "pmd");
	CHECK_STR(lc_level_name(LC_LEVEL_CONT_PTE), "cont_pte");
	CHECK_STR(lc_level_name(LC_LEVEL_PTE), "pte");
	CHECK(lc_level_name(LC_LEVEL_NR) == NULL);
	CHECK(lc_level_name((enum lc_level)-1) == NULL);
}

static const struct tap_test tests[] = {
	TAP_TEST(test_stats_reply_with_u64_and_pad_parses),
	TAP_TEST(test_stats_reply_with_4_byte_counters_parses),
	TAP_TEST(test_stats_reply_echoing_the_range_sets_has_range),
	TAP_TEST(test_stats_reply_of_a_walk_sets_walked),
	TAP_TEST(test_stats_reply_of_the_counters_is_not_walked),
	TAP_TEST(test_stats_reply_with_invalid_but_no_ideal_is_named),
	TAP_TEST(test_stats_reply_with_ideal_but_no_invalid_is_named),
	TAP_TEST(test_stats_reply_missing_leaves_is_named),
	TAP_TEST(test_stats_reply_with_only_end_echoed_is_refused),
	TAP_TEST(test_stats_reply_truncated_genl_header_is_refused),
	TAP_TEST(test_stats_reply_counters_since_boot_parse),
	TAP_TEST(test_stats_reply_of_first_series_reads_zero_since_boot),
	TAP_TEST(test_stats_reply_unknown_split_level_is_ignored),
	TAP_TEST(test_stats_reply_garbage_splits_nest_is_named),
	TAP_TEST(test_stats_reply_marked_regions_parse),
	TAP_TEST(test_stats_reply_without_marked_regions_has_none),
	TAP_TEST(test_leaves_total_sums_every_level),
	TAP_TEST(test_restoration_is_leaves_over_ideal),
	TAP_TEST(test_restoration_of_nothing_mapped_is_one),
	TAP_TEST(test_restoration_without_ideal_count_is_nan),
	TAP_TEST(test_level_names_match_the_json_keys),
};

TAP_MAIN(tests)
