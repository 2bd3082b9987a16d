// SPDX-License-Identifier: GPL-2.0
/*
 * collapsectl's output: the JSON keys are an interface (the VM tests parse
 * them), so render, parse back with cJSON and check every key.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "print.h"
#include "tap.h"

static const struct lc_caps admin_caps = {
	.granule = 4096,
	.bbml3 = true,
	.block_capable = false,
	.rodata_full = true,
	.realm = false,
	.poe = true,
	.kfence = true,
	.reason = "rodata=full without BBML3",
	.has_linear_range = true,
	.linear_start = 0x40000000,
	.linear_end = UINT64_C(0x240000000),
	.ram_bytes = UINT64_C(0x200000000),
	.region_size = UINT64_C(1) << 30,	/* split tracking, 4K pages */
};

static const struct lc_stats range_stats = {
	.has_range = true,
	.start = 0x40000000,
	.end = 0x80000000,
	.leaves = { 0, 0, 2, 10, 500 },
	.invalid = 3,
	.table_pages = 9,
	.ideal_leaves = 2,
	/* Above 2^53: must survive JSON exactly. */
	.mapped_bytes = UINT64_C(0x1000000000000001),
	.splits = { 1, 2, 3, 4, 5 },
	.folds = { 0, 0, 6, 7, 0 },
	.tables_freed = 8,
	.walked = true,
};

/* The whole map from the kernel's counters (no walk: a user's status). */
static const struct lc_stats counts_stats = {
	.leaves = { 1, 0, 2, 10, 500 },
	.table_pages = 9,
	.mapped_bytes = UINT64_C(0x80000000),
	.splits = { 1, 2, 3, 4, 5 },
	.folds = { 0, 0, 6, 7, 0 },
	.tables_freed = 8,
	.marked_regions = 3,
	.has_marked_regions = true,
};

/* A budgeted dry run of every region that stopped at 0x80000000. */
static const struct lc_collapse_req budget_req = {
	.has_range = true,
	.range = { 0x40000000, UINT64_C(0x240000000) },
	.budget = 64,
	.dry_run = true,
	.full_scan = true,
};

static const struct lc_collapse_result budget_result = {
	.has_range = true,
	.start = 0x40000000,
	.end = UINT64_C(0x240000000),
	.dry_run = true,
	.tables_scanned = 64,
	.folds = { 0, 1, 2, 3, 4 },
	.tables_freed = 12,
	.bytes_freed = 12 * 4096,
	.skips = { 1, 2, 3, 4, 5, 6, 1 },
	.has_next = true,
	.next = 0x80000000,
	/* Above 2^53: must survive JSON exactly. */
	.nsecs = UINT64_C(0x1000000000000001),
	.regions_scanned = 2,
	.has_regions_scanned = true,
	.full_scan = true,
	.longest_hold_nsecs = 1500,
	.has_longest_hold = true,
};

/* The marked regions only, on a kernel with split tracking. */
static const struct lc_collapse_result marked_result = {
	.tables_scanned = 40,
	.folds = { 0, 0, 20, 0, 0 },
	.tables_freed = 20,
	.bytes_freed = 20 * 4096,
	.nsecs = 5000,
	.regions_scanned = 3,
	.has_regions_scanned = true,
	.longest_hold_nsecs = 2000,
	.has_longest_hold = true,
};

/*
 * A finished collapse of the whole map, as a kernel not echoing a range
 * and before split tracking: every region, their number unknown, and no
 * longest lock hold.
 */
static const struct lc_collapse_result done_result = {
	.tables_scanned = 512,
	.folds = { 0, 0, 200, 0, 0 },
	.tables_freed = 200,
	.bytes_freed = 200 * 4096,
	.skips = { [LC_SKIP_ATTRIBUTES] = 9 },
	.nsecs = 1234567,
	.full_scan = true,
};

/* Render with @ops into a string (free() it). */
static char *render(const struct print_ops *ops, const struct lc_caps *caps,
		    const struct lc_stats *stats)
{
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);

	if (!out)
		abort();
	CHECK_INT(ops->status(out, caps, stats), 0);
	fclose(out);
	return text;
}

static char *render_collapse(const struct print_ops *ops,
			     const struct lc_collapse_req *req,
			     const struct lc_collapse_result *result)
{
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);

	if (!out)
		abort();
	CHECK_INT(ops->collapse(out, req, result), 0);
	fclose(out);
	return text;
}

/* 2026-01-02 03:04:05 local time, whatever the zone. */
static time_t watch_time(void)
{
	struct tm tm = {
		.tm_year = 126, .tm_mon = 0, .tm_mday = 2,
		.tm_hour = 3, .tm_min = 4, .tm_sec = 5, .tm_isdst = -1,
	};

	return mktime(&tm);
}

static char *render_event(const struct print_ops *ops,
			  const struct lc_event *ev)
{
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);

	if (!out)
		abort();
	CHECK_INT(ops->event(out, ev, watch_time()), 0);
	fclose(out);
	return text;
}

static char *render_lost(const struct print_ops *ops,
			 const struct lc_stats *stats)
{
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);

	if (!out)
		abort();
	CHECK_INT(ops->lost(out, stats, watch_time()), 0);
	fclose(out);
	return text;
}

/* Exactly one line: one newline, at the end. */
static void check_one_line(const char *text)
{
	const char *nl = text ? strchr(text, '\n') : NULL;

	CHECK(nl && nl[1] == '\0');
	if (!nl || nl[1])
		tap_print_text(text);
}

static cJSON *field(const cJSON *obj, const char *key)
{
	cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (!item)
		printf("# missing key \"%s\"\n", key);
	return item;
}

static double number(const cJSON *obj, const char *key)
{
	cJSON *item = field(obj, key);

	if (!cJSON_IsNumber(item)) {
		printf("# key \"%s\" is not a number\n", key);
		return NAN;
	}
	return item->valuedouble;
}

static int boolean(const cJSON *obj, const char *key)
{
	cJSON *item = field(obj, key);

	if (!cJSON_IsBool(item)) {
		printf("# key \"%s\" is not a boolean\n", key);
		return -1;
	}
	return cJSON_IsTrue(item);
}

static void test_json_caps_has_every_key(void)
{
	char *text = render(&print_json_ops, &admin_caps, &range_stats);
	cJSON *root = cJSON_Parse(text);
	cJSON *caps = field(root, "caps");

	CHECK(root);
	CHECK(cJSON_IsObject(caps));
	CHECK(number(caps, "granule") == 4096);
	CHECK_INT(boolean(caps, "bbml3"), 1);
	CHECK_INT(boolean(caps, "block_capable"), 0);
	CHECK_INT(boolean(caps, "rodata_full"), 1);
	CHECK_INT(boolean(caps, "realm"), 0);
	CHECK_INT(boolean(caps, "poe"), 1);
	CHECK_INT(boolean(caps, "kfence"), 1);
	CHECK(cJSON_IsString(field(caps, "reason")));
	CHECK_STR(cJSON_GetStringValue(field(caps, "reason")),
		  "rodata=full without BBML3");
	CHECK(number(caps, "ram_bytes") == 8589934592.0);
	CHECK(number(caps, "linear_start") == 1073741824.0);
	CHECK(number(caps, "linear_end") == 9663676416.0);
	CHECK(number(caps, "region_size") == 1073741824.0);
	cJSON_Delete(root);
	free(text);
}

/* A kernel before split tracking: the key is there, null. */
static void test_json_caps_without_split_tracking_has_null_region_size(void)
{
	struct lc_caps caps = admin_caps;
	char *text;
	cJSON *root;

	caps.region_size = 0;
	text = render(&print_json_ops, &caps, &range_stats);
	root = cJSON_Parse(text);
	CHECK(cJSON_IsNull(field(field(root, "caps"), "region_size")));
	cJSON_Delete(root);
	free(text);
}

static void test_json_caps_without_linear_range_omits_it(void)
{
	struct lc_caps caps = admin_caps;
	char *text;
	cJSON *root, *obj;

	caps.has_linear_range = false;
	caps.reason[0] = '\0';
	text = render(&print_json_ops, &caps, &range_stats);
	root = cJSON_Parse(text);
	obj = cJSON_GetObjectItemCaseSensitive(root, "caps");
	CHECK(obj);
	CHECK(!cJSON_GetObjectItemCaseSensitive(obj, "linear_start"));
	CHECK(!cJSON_GetObjectItemCaseSensitive(obj, "linear_end"));
	CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(obj, "reason")));
	cJSON_Delete(root);
	free(text);
}

static void test_json_stats_has_every_key(void)
{
	char *text = render(&print_json_ops, &admin_caps, &range_stats);
	cJSON *root = cJSON_Parse(text);
	cJSON *stats = field(root, "stats");
	cJSON *range = field(stats, "range");
	cJSON *leaves = field(stats, "leaves");

	CHECK(cJSON_IsObject(range));
	CHECK(number(range, "start") == 1073741824.0);
	CHECK(number(range, "end") == 2147483648.0);
	CHECK(cJSON_IsObject(leaves));
	CHECK(number(leaves, "pud") == 0);
	CHECK(number(leaves, "cont_pmd") == 0);
	CHECK(number(leaves, "pmd") == 2);
	CHECK(number(leaves, "cont_pte") == 10);
	CHECK(number(leaves, "pte") == 500);
	CHECK_INT(cJSON_GetArraySize(leaves), LC_LEVEL_NR);
	CHECK(number(stats, "leaves_total") == 512);
	CHECK(number(stats, "invalid") == 3);
	CHECK(number(stats, "table_pages") == 9);
	CHECK(number(stats, "ideal_leaves") == 2);
	CHECK(number(stats, "restoration") == 256.0);
	CHECK(cJSON_IsNumber(field(stats, "mapped_bytes")));
	/* A range: no marked regions (the whole map's only). */
	CHECK(cJSON_IsNull(field(stats, "marked_regions")));
	cJSON_Delete(root);
	free(text);
}

static void test_json_writes_large_integers_exactly(void)
{
	char *text = render(&print_json_ops, &admin_caps, &range_stats);

	/* 0x1000000000000001: a double would print ...000000 or 1.15e+18. */
	CHECK_CONTAINS(text, "\"mapped_bytes\":\t1152921504606846977");
	free(text);
}

static void test_json_restoration_is_written_as_a_float(void)
{
	struct lc_stats stats = range_stats;
	char *text;

	stats.leaves[LC_LEVEL_PTE] = 0;
	stats.leaves[LC_LEVEL_CONT_PTE] = 0;	/* 2 leaves, 2 ideal */
	text = render(&print_json_ops, &admin_caps, &stats);
	CHECK_CONTAINS(text, "\"restoration\":\t1.0\n");
	free(text);

	stats.leaves[LC_LEVEL_PTE] = 1;		/* 3 / 2 */
	text = render(&print_json_ops, &admin_caps, &stats);
	CHECK_CONTAINS(text, "\"restoration\":\t1.5\n");
	free(text);
}

static void test_json_whole_map_has_null_range(void)
{
	struct lc_stats stats = range_stats;
	char *text;
	cJSON *root;

	stats.has_range = false;
	text = render(&print_json_ops, &admin_caps, &stats);
	root = cJSON_Parse(text);
	CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(root, "stats"), "range")));
	cJSON_Delete(root);
	free(text);
}

static void test_json_restoration_without_ideal_is_null(void)
{
	struct lc_stats stats = range_stats;
	char *text;
	cJSON *root;

	stats.ideal_leaves = 0;
	text = render(&print_json_ops, &admin_caps, &stats);
	root = cJSON_Parse(text);
	CHECK(root);
	CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(root, "stats"), "restoration")));
	cJSON_Delete(root);
	free(text);
}

static void test_table_shows_caps_levels_and_ratio(void)
{
	char *text = render(&print_table_ops, &admin_caps, &range_stats);

	CHECK_CONTAINS(text, "granule          4K\n");
	CHECK_CONTAINS(text, "BBML3            yes\n");
	CHECK_CONTAINS(text, "block-capable    no (rodata=full without BBML3)\n");
	CHECK_CONTAINS(text, "rodata=full      yes\n");
	CHECK_CONTAINS(text, "realm            no\n");
	CHECK_CONTAINS(text, "POE              yes\n");
	CHECK_CONTAINS(text, "KFENCE           yes\n");
	CHECK_CONTAINS(text, "RAM              8.0 GiB");
	CHECK_CONTAINS(text, "linear map       0x40000000-0x240000000\n");
	CHECK_CONTAINS(text, "region size      1.0 GiB (1073741824 bytes)\n");
	CHECK_CONTAINS(text, "Leaves in 0x40000000-0x80000000\n");
	CHECK_CONTAINS(text, "cont_pte         10\n");
	CHECK_CONTAINS(text, "pte              500\n");
	CHECK_CONTAINS(text, "total            512\n");
	CHECK_CONTAINS(text, "invalid          3\n");
	CHECK_CONTAINS(text, "table pages      9\n");
	CHECK_CONTAINS(text, "ideal leaves     2\n");
	CHECK_CONTAINS(text, "restoration      256.00");
	/* A range: the kernel counts the marked regions of the whole map only. */
	CHECK_CONTAINS(text, "marked regions   n/a (counted for the whole map only)\n");
	free(text);
}

/* Split tracking's figures, and what a kernel without it shows. */
static void test_table_status_shows_split_tracking(void)
{
	struct lc_caps caps = admin_caps;
	struct lc_stats stats = range_stats;
	char *text = render(&print_table_ops, &admin_caps, &counts_stats);

	CHECK_CONTAINS(text, "region size      1.0 GiB (1073741824 bytes)\n");
	CHECK_CONTAINS(text, "marked regions   3\n");
	free(text);

	caps.region_size = 0;
	stats.has_range = false;
	text = render(&print_table_ops, &caps, &stats);
	CHECK_CONTAINS(text, "region size      n/a (the kernel has no split tracking)\n");
	CHECK_CONTAINS(text, "marked regions   n/a (the kernel has no split tracking)\n");
	free(text);
}

static void check_levels(const cJSON *obj, const char *key,
			 const uint64_t *want);

static void test_json_status_of_a_walk_says_walked(void)
{
	char *text = render(&print_json_ops, &admin_caps, &range_stats);
	cJSON *root = cJSON_Parse(text);

	CHECK_INT(boolean(field(root, "stats"), "walked"), 1);
	cJSON_Delete(root);
	free(text);
}

/*
 * The counters: the same keys as a walk, "walked" false and the walk's
 * figures null (not 0, which would read as a count).
 */
static void test_json_status_from_the_counters_nulls_the_walks_figures(void)
{
	char *text = render(&print_json_ops, &admin_caps, &counts_stats);
	char *walked_text = render(&print_json_ops, &admin_caps, &range_stats);
	cJSON *root = cJSON_Parse(text), *walked = cJSON_Parse(walked_text);
	cJSON *stats = field(root, "stats"), *item;
	cJSON *walked_stats = field(walked, "stats");

	CHECK(root);
	CHECK_INT(boolean(stats, "walked"), 0);
	CHECK(cJSON_IsNull(field(stats, "invalid")));
	CHECK(cJSON_IsNull(field(stats, "ideal_leaves")));
	CHECK(cJSON_IsNull(field(stats, "restoration")));
	CHECK(cJSON_IsNull(field(stats, "range")));
	CHECK(number(field(stats, "leaves"), "pte") == 500);
	CHECK(number(stats, "leaves_total") == 513);
	CHECK(number(stats, "table_pages") == 9);
	CHECK(number(stats, "mapped_bytes") == 2147483648.0);
	CHECK(number(stats, "marked_regions") == 3);
	check_levels(field(stats, "since_boot"), "splits", counts_stats.splits);
	/* One schema: every key of a walked status, no other. */
	CHECK_INT(cJSON_GetArraySize(stats), cJSON_GetArraySize(walked_stats));
	cJSON_ArrayForEach(item, walked_stats)
		CHECK(cJSON_GetObjectItemCaseSensitive(stats, item->string));
	cJSON_Delete(root);
	cJSON_Delete(walked);
	free(text);
	free(walked_text);
}

/* Nothing mapped is restoration 1.0 for a walk, but still null without. */
static void test_json_counters_restoration_is_null_even_with_no_leaves(void)
{
	struct lc_stats stats = counts_stats;
	char *text;
	cJSON *root;

	memset(stats.leaves, 0, sizeof(stats.leaves));
	text = render(&print_json_ops, &admin_caps, &stats);
	root = cJSON_Parse(text);
	CHECK(cJSON_IsNull(field(field(root, "stats"), "restoration")));
	cJSON_Delete(root);
	free(text);
}

/* collapsectl status as a user: counts, and what a walk would add. */
static void test_table_status_from_the_counters_says_what_needs_root(void)
{
	struct lc_caps caps = admin_caps;
	char *text;

	caps.has_linear_range = false;	/* as a user sees it */
	text = render(&print_table_ops, &caps, &counts_stats);
	CHECK_CONTAINS(text, "Leaves in the whole linear map (the kernel's counters, no walk)\n");
	CHECK_CONTAINS(text, "pud              1\n");
	CHECK_CONTAINS(text, "pte              500\n");
	CHECK_CONTAINS(text, "total            513\n");
	CHECK_CONTAINS(text, "table pages      9\n");
	CHECK_CONTAINS(text, "mapped           2.0 GiB (2147483648 bytes)\n");
	CHECK_CONTAINS(text, "invalid          needs root (a walk: CAP_SYS_ADMIN)\n");
	CHECK_CONTAINS(text, "ideal leaves     needs root (a walk: CAP_SYS_ADMIN)\n");
	CHECK_CONTAINS(text, "restoration      needs root (a walk: CAP_SYS_ADMIN)\n");
	CHECK(!strstr(text, "n/a"));
	CHECK(!strstr(text, "fully restored"));
	CHECK_CONTAINS(text, "\nSince boot\n");
	free(text);
}

static void test_table_walked_status_of_the_whole_map_has_no_counters_note(void)
{
	struct lc_stats stats = range_stats;
	char *text;

	stats.has_range = false;
	text = render(&print_table_ops, &admin_caps, &stats);
	CHECK_CONTAINS(text, "Leaves in the whole linear map\n");
	CHECK(!strstr(text, "needs root"));
	free(text);
}

/* Check {"pud": a, ...} against @want. */
static void check_levels(const cJSON *obj, const char *key,
			 const uint64_t *want)
{
	cJSON *levels = field(obj, key);
	int level;

	CHECK(cJSON_IsObject(levels));
	CHECK_INT(cJSON_GetArraySize(levels), LC_LEVEL_NR);
	for (level = 0; level < LC_LEVEL_NR; level++)
		CHECK(number(levels, lc_level_name((enum lc_level)level)) ==
		      (double)want[level]);
}

static void check_skips(const cJSON *obj, const char *key,
			const uint64_t *want)
{
	static const char *const names[] = {
		"invalid", "attributes", "pkey", "realm", "excluded",
		"alignment", "budget",
	};
	cJSON *skips = field(obj, key);
	int skip;

	CHECK(cJSON_IsObject(skips));
	CHECK_INT(cJSON_GetArraySize(skips), LC_SKIP_NR);
	for (skip = 0; skip < LC_SKIP_NR; skip++)
		CHECK(number(skips, names[skip]) == (double)want[skip]);
}

/* In "stats", where the VM checks read it; not at the top level. */
static void test_json_status_has_counters_since_boot(void)
{
	char *text = render(&print_json_ops, &admin_caps, &range_stats);
	cJSON *root = cJSON_Parse(text);
	cJSON *since = field(field(root, "stats"), "since_boot");

	CHECK(cJSON_IsObject(since));
	check_levels(since, "splits", range_stats.splits);
	check_levels(since, "folds", range_stats.folds);
	CHECK(number(since, "tables_freed") == 8);
	CHECK(!cJSON_GetObjectItemCaseSensitive(root, "since_boot"));
	cJSON_Delete(root);
	free(text);
}

static void test_table_status_has_a_since_boot_section(void)
{
	char *text = render(&print_table_ops, &admin_caps, &range_stats);

	CHECK_CONTAINS(text, "\nSince boot\n");
	CHECK_CONTAINS(text, "splits           pud 1, cont_pmd 2, pmd 3, cont_pte 4, pte 5\n");
	CHECK_CONTAINS(text, "folds            pud 0, cont_pmd 0, pmd 6, cont_pte 7, pte 0\n");
	CHECK_CONTAINS(text, "tables freed     8\n");
	free(text);
}

static void test_json_collapse_has_every_key(void)
{
	char *text = render_collapse(&print_json_ops, &budget_req,
				     &budget_result);
	cJSON *root = cJSON_Parse(text);
	cJSON *c = field(root, "collapse");
	cJSON *range = field(c, "range");

	CHECK(cJSON_IsObject(c));
	CHECK_INT(boolean(c, "dry_run"), 1);
	CHECK(cJSON_IsObject(range));
	CHECK(number(range, "start") == 1073741824.0);
	CHECK(number(range, "end") == 9663676416.0);
	CHECK(number(c, "tables_scanned") == 64);
	check_levels(c, "folds", budget_result.folds);
	CHECK(number(c, "tables_freed") == 12);
	CHECK(number(c, "bytes_freed") == 12 * 4096);
	check_skips(c, "skips", budget_result.skips);
	CHECK(number(c, "next") == 2147483648.0);
	CHECK(cJSON_IsNumber(field(c, "nsecs")));
	CHECK_CONTAINS(text, "\"nsecs\":\t1152921504606846977");
	CHECK_INT(boolean(c, "full_scan"), 1);
	CHECK(number(c, "regions_scanned") == 2);
	CHECK(number(c, "longest_hold_nsecs") == 1500);
	cJSON_Delete(root);
	free(text);

	text = render_collapse(&print_json_ops, &budget_req, &marked_result);
	root = cJSON_Parse(text);
	c = field(root, "collapse");
	CHECK_INT(boolean(c, "full_scan"), 0);
	CHECK(number(c, "regions_scanned") == 3);
	CHECK(number(c, "longest_hold_nsecs") == 2000);
	cJSON_Delete(root);
	free(text);
}

static void test_json_finished_collapse_has_null_next_and_range(void)
{
	char *text = render_collapse(&print_json_ops, &budget_req,
				     &done_result);
	cJSON *root = cJSON_Parse(text);
	cJSON *c = cJSON_GetObjectItemCaseSensitive(root, "collapse");

	CHECK(c);
	CHECK_INT(boolean(c, "dry_run"), 0);
	CHECK(cJSON_IsNull(field(c, "range")));
	CHECK(cJSON_IsNull(field(c, "next")));
	CHECK(number(c, "nsecs") == 1234567);
	/* A kernel before split tracking: every region, how many unknown. */
	CHECK_INT(boolean(c, "full_scan"), 1);
	CHECK(cJSON_IsNull(field(c, "regions_scanned")));
	CHECK(cJSON_IsNull(field(c, "longest_hold_nsecs")));
	cJSON_Delete(root);
	free(text);
}

static void test_table_collapse_shows_folds_skips_and_how_to_continue(void)
{
	char *text = render_collapse(&print_table_ops, &budget_req,
				     &budget_result);

	CHECK_CONTAINS(text, "Collapse of 0x40000000-0x240000000 (dry run: nothing was changed)\n");
	CHECK_CONTAINS(text, "scan             every region (full scan)\n");
	CHECK_CONTAINS(text, "regions scanned  2\n");
	CHECK_CONTAINS(text, "tables scanned   64\n");
	CHECK_CONTAINS(text, "tables freed     12\n");
	CHECK_CONTAINS(text, "bytes freed      48.0 KiB (49152 bytes)\n");
	CHECK_CONTAINS(text, "longest hold     1.5 us\n");
	CHECK_CONTAINS(text, "Folds (leaves a collapse would create)\n");
	CHECK_CONTAINS(text, "cont_pmd         1\n");
	CHECK_CONTAINS(text, "pte              4\n");
	CHECK_CONTAINS(text, "Skips (fold candidates left alone)\n");
	CHECK_CONTAINS(text, "attributes       2\n");
	CHECK_CONTAINS(text, "alignment        6\n");
	CHECK_CONTAINS(text, "budget           1\n");
	CHECK_CONTAINS(text, "The budget ran out at 0x80000000.\n");
	CHECK_CONTAINS(text, "continue with: collapsectl collapse --range 0x80000000-0x240000000 --budget 64 --dry-run --full\n");
	free(text);
}

static void test_table_collapse_of_the_marked_regions(void)
{
	struct lc_collapse_req req = budget_req;
	struct lc_collapse_result result = budget_result;
	char *text = render_collapse(&print_table_ops, &budget_req,
				     &marked_result);

	CHECK_CONTAINS(text, "scan             the regions marked as split or changed\n");
	CHECK_CONTAINS(text, "regions scanned  3\n");
	free(text);

	/* Continued as it was asked: without --full when not asked. */
	req.full_scan = false;
	result.full_scan = false;
	text = render_collapse(&print_table_ops, &req, &result);
	CHECK_CONTAINS(text, "continue with: collapsectl collapse --range 0x80000000-0x240000000 --budget 64 --dry-run\n");
	free(text);
}

static void test_table_finished_collapse_has_no_continue_line(void)
{
	const struct lc_collapse_req req = { 0 };
	char *text = render_collapse(&print_table_ops, &req, &done_result);

	CHECK_CONTAINS(text, "Collapse of the whole linear map\n");
	CHECK_CONTAINS(text, "Folds (leaves created)\n");
	CHECK_CONTAINS(text, "pmd              200\n");
	CHECK_CONTAINS(text, "time             1.2 ms\n");
	CHECK_CONTAINS(text, "scan             every region (full scan)\n");
	CHECK_CONTAINS(text, "regions scanned  n/a (the kernel has no split tracking)\n");
	CHECK_CONTAINS(text, "longest hold     n/a (the kernel has no split tracking)\n");
	CHECK(!strstr(text, "continue with"));
	CHECK(!strstr(text, "dry run"));
	free(text);
}

static const struct lc_event split_ev = {
	.type = LC_EVENT_SPLIT,
	.split = {
		.splits = { 1, 2, 3, 4, UINT64_C(0x1000000000000001) },
		.new_splits = 12,
	},
};

static struct lc_event collapse_ev(void)
{
	struct lc_event ev = { .type = LC_EVENT_COLLAPSE };

	ev.collapse = done_result;
	return ev;
}

static void test_json_split_event_is_one_line_with_every_key(void)
{
	char *text = render_event(&print_json_ops, &split_ev);
	cJSON *root = cJSON_Parse(text);

	check_one_line(text);
	CHECK(root);
	CHECK_STR(cJSON_GetStringValue(field(root, "event")), "split");
	CHECK(number(root, "new_splits") == 12);
	CHECK(cJSON_IsObject(field(root, "splits")));
	CHECK(number(field(root, "splits"), "pmd") == 3);
	CHECK_CONTAINS(text, "\"pte\":1152921504606846977");
	/* a kernel without ping-pong counts: null */
	CHECK(cJSON_IsNull(field(root, "pingpongs")));
	CHECK(cJSON_IsNull(field(root, "new_pingpongs")));
	/* nor attribute-change counts */
	CHECK(cJSON_IsNull(field(root, "changes")));
	CHECK(cJSON_IsNull(field(root, "new_changes")));
	CHECK_INT(cJSON_GetArraySize(root), 7);
	cJSON_Delete(root);
	free(text);
}

static void test_json_collapse_event_is_one_line_with_every_key(void)
{
	struct lc_event ev = collapse_ev();
	char *text = render_event(&print_json_ops, &ev);
	cJSON *root = cJSON_Parse(text);

	check_one_line(text);
	CHECK(root);
	CHECK_STR(cJSON_GetStringValue(field(root, "event")), "collapse");
	CHECK(number(root, "tables_scanned") == 512);
	check_levels(root, "folds", done_result.folds);
	CHECK(number(root, "tables_freed") == 200);
	CHECK(number(root, "bytes_freed") == 200 * 4096);
	check_skips(root, "skips", done_result.skips);
	CHECK(number(root, "nsecs") == 1234567);
	/* No addresses in events. */
	CHECK(!cJSON_GetObjectItemCaseSensitive(root, "range"));
	CHECK(!cJSON_GetObjectItemCaseSensitive(root, "next"));
	/* A kernel before split tracking; the kernel never says full_scan. */
	CHECK(cJSON_IsNull(field(root, "regions_scanned")));
	CHECK(cJSON_IsNull(field(root, "longest_hold_nsecs")));
	CHECK(!cJSON_GetObjectItemCaseSensitive(root, "full_scan"));
	cJSON_Delete(root);
	free(text);

	ev.collapse = marked_result;
	text = render_event(&print_json_ops, &ev);
	root = cJSON_Parse(text);
	check_one_line(text);
	CHECK(number(root, "regions_scanned") == 3);
	CHECK(number(root, "longest_hold_nsecs") == 2000);
	cJSON_Delete(root);
	free(text);
}

static void test_json_lost_line_carries_the_current_state(void)
{
	char *text = render_lost(&print_json_ops, &range_stats);
	cJSON *root = cJSON_Parse(text);

	check_one_line(text);
	CHECK(root);
	CHECK_STR(cJSON_GetStringValue(field(root, "event")), "lost");
	CHECK(number(field(root, "stats"), "leaves_total") == 512);
	check_levels(field(field(root, "stats"), "since_boot"), "splits",
		     range_stats.splits);
	CHECK(!cJSON_GetObjectItemCaseSensitive(root, "since_boot"));
	cJSON_Delete(root);
	free(text);
}

/* watch resynchronises from the counters: no restoration to show. */
static void test_lost_line_from_the_counters_has_no_restoration(void)
{
	char *text = render_lost(&print_table_ops, &counts_stats);
	cJSON *root;

	check_one_line(text);
	CHECK_STR(text, "03:04:05 now: leaves pud 1, cont_pmd 0, pmd 2, cont_pte 10, pte 500; 3 regions marked; since boot 15 splits, 13 folds, 8 tables freed\n");
	free(text);

	text = render_lost(&print_json_ops, &counts_stats);
	check_one_line(text);
	root = cJSON_Parse(text);
	CHECK_INT(boolean(field(root, "stats"), "walked"), 0);
	CHECK(cJSON_IsNull(field(field(root, "stats"), "restoration")));
	CHECK(number(field(root, "stats"), "leaves_total") == 513);
	cJSON_Delete(root);
	free(text);
}

/*
 * Render @ev as JSON and as a table line: the JSON must carry @total and
 * @fresh under @key and "new_" @key, the line @line.
 */
static void check_split_event_counts(const struct lc_event *ev,
				     const char *key, double total,
				     double fresh, const char *line)
{
	char new_key[64];
	char *text;
	cJSON *root;

	snprintf(new_key, sizeof(new_key), "new_%s", key);
	text = render_event(&print_json_ops, ev);
	root = cJSON_Parse(text);
	CHECK(root);
	CHECK(number(root, key) == total);
	CHECK(number(root, new_key) == fresh);
	cJSON_Delete(root);
	free(text);
	text = render_event(&print_table_ops, ev);
	CHECK_CONTAINS(text, line);
	free(text);
}

/* A kernel with ping-pong counts: both in JSON, the new ones in the line. */
static void test_split_event_shows_the_pingpongs(void)
{
	struct lc_event ev = split_ev;

	ev.split.has_pingpongs = true;
	ev.split.pingpongs = 40;
	ev.split.new_pingpongs = 2;
	check_split_event_counts(&ev, "pingpongs", 40, 2,
				 "pte 1152921504606846977; 2 new ping-pongs\n");
}

/* A change event: no new splits, new attribute changes. */
static void test_split_event_shows_the_changes(void)
{
	struct lc_event ev = split_ev;
	char *text;

	ev.split.new_splits = 0;
	ev.split.has_changes = true;
	ev.split.changes = 300;
	ev.split.new_changes = 6;
	check_split_event_counts(&ev, "changes", 300, 6,
				 "pte 1152921504606846977; 6 new attribute changes\n");
	text = render_event(&print_table_ops, &ev);
	CHECK_CONTAINS(text, "split: 0 new; since boot ");
	free(text);
}

static void test_table_events_are_one_timestamped_line(void)
{
	struct lc_event ev = collapse_ev();
	char *text = render_event(&print_table_ops, &split_ev);

	check_one_line(text);
	CHECK_STR(text, "03:04:05 split: 12 new; since boot pud 1, cont_pmd 2, pmd 3, cont_pte 4, pte 1152921504606846977\n");
	free(text);

	text = render_event(&print_table_ops, &ev);
	check_one_line(text);
	CHECK_STR(text, "03:04:05 collapse: 512 tables scanned, 200 freed (800.0 KiB) in 1.2 ms; folds pmd 200; skips attributes 9\n");
	free(text);

	ev.collapse = marked_result;
	text = render_event(&print_table_ops, &ev);
	check_one_line(text);
	CHECK_STR(text, "03:04:05 collapse: 3 regions, 40 tables scanned, 20 freed (80.0 KiB) in 5.0 us (longest lock hold 2.0 us); folds pmd 20; skips none\n");
	free(text);

	text = render_lost(&print_table_ops, &range_stats);
	check_one_line(text);
	CHECK_CONTAINS(text, "03:04:05 now: leaves pud 0, cont_pmd 0, pmd 2, cont_pte 10, pte 500; restoration 256.00; since boot 15 splits, 13 folds, 8 tables freed\n");
	free(text);
}

static const char daemon_doc[] =
	"{\"schema\":1,\"version\":\"0.1.0\",\"state\":\"collapsing\","
	"\"degraded_reason\":null,"
	"\"status\":\"collapsing: step 3, 120 tables freed\","
	"\"policy\":{\"quiet_period\":10,\"backoff_level\":1,"
	"\"next_deadline\":0,\"cursor\":1073741824,\"steps\":2},"
	"\"last_collapse\":{\"when\":0,\"interrupted\":false,\"steps\":4,"
	"\"regions_scanned\":5,\"tables_scanned\":600,\"folds\":{\"pud\":0,\"pmd\":500},"
	"\"tables_freed\":1152921504606846977,\"bytes_freed\":2048000,"
	"\"skips\":{\"pkey\":3,\"realm\":2,\"budget\":0},\"nsecs\":12345},"
	"\"totals\":{\"uptime\":3700,\"collapses\":7,\"regions_scanned\":40,"
	"\"skips\":{\"low_gain\":2}},"
	"\"kernel\":{\"caps\":null,\"stats\":{\"leaves\":{\"pmd\":1000},"
	"\"ideal_leaves\":1000,\"restoration\":1.0,\"marked_regions\":2}},"
	"\"config\":{},\"last_error\":\"reload: bad\",\"events_lost\":2,"
	"\"future_key\":[1,2]}";

static char *render_daemon_doc(const struct print_ops *ops,
			       const char *doc_text)
{
	cJSON *doc = cJSON_Parse(doc_text);
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);

	if (!out || !doc)
		abort();
	CHECK_INT(ops->daemon(out, doc_text, doc), 0);
	fclose(out);
	cJSON_Delete(doc);
	return text;
}

static char *render_daemon(const struct print_ops *ops)
{
	return render_daemon_doc(ops, daemon_doc);
}

static void test_json_daemon_passes_the_document_through_exactly(void)
{
	char *text = render_daemon(&print_json_ops);

	CHECK_CONTAINS(text, "\"tables_freed\":1152921504606846977");
	CHECK(!strncmp(text, daemon_doc, strlen(daemon_doc)));
	CHECK_STR(text + strlen(daemon_doc), "\n");
	free(text);
}

static void test_table_daemon_shows_state_last_collapse_and_totals(void)
{
	char *text = render_daemon(&print_table_ops);

	CHECK_CONTAINS(text, "Daemon\n");
	CHECK_CONTAINS(text, "  state            collapsing\n");
	CHECK_CONTAINS(text, "  status           collapsing: step 3, 120 tables freed\n");
	CHECK_CONTAINS(text, "  quiet period     10.0s (backoff level 1)\n");
	CHECK_CONTAINS(text, "  cursor           0x40000000\n");
	CHECK_CONTAINS(text, "  events lost      2\n");
	CHECK_CONTAINS(text, "  last error       reload: bad\n");
	CHECK_CONTAINS(text, "Last collapse\n");
	CHECK_CONTAINS(text, "  folds            pud 0, pmd 500\n");
	CHECK_CONTAINS(text, "  skips            pkey 3, realm 2\n");
	CHECK_CONTAINS(text, "  uptime           1h 1min\n");
	CHECK_CONTAINS(text, "  collapses        7\n");
	CHECK_CONTAINS(text, "  not collapsed    low_gain 2\n");
	CHECK_CONTAINS(text, "  restoration      1.00 (1.00 = fully restored)\n");
	CHECK_CONTAINS(text, "Last collapse\n  when");
	CHECK_CONTAINS(text, "  steps            4\n  regions scanned  5\n");
	CHECK_CONTAINS(text, "  collapse steps   0\n  regions scanned  40\n");
	CHECK_CONTAINS(text, "  marked regions   2\n");
	free(text);
}

/* A daemon whose look at the map was not a walk: null ideal. */
static void test_table_daemon_without_an_ideal_says_so(void)
{
	static const char doc_text[] =
		"{\"schema\":1,\"state\":\"idle\",\"kernel\":{\"caps\":null,"
		"\"stats\":{\"walked\":false,\"leaves\":{\"pmd\":1000},"
		"\"ideal_leaves\":null,\"restoration\":null}}}";
	char *text = render_daemon_doc(&print_table_ops, doc_text);

	CHECK_CONTAINS(text, "  ideal leaves     n/a (no walk)\n");
	CHECK_CONTAINS(text, "  restoration      n/a\n");
	/* An older daemon sends no split tracking keys: no rows. */
	CHECK(!strstr(text, "regions"));
	free(text);
}

/* A daemon on a kernel before split tracking: null, and why. */
static void test_table_daemon_without_split_tracking_says_so(void)
{
	static const char doc_text[] =
		"{\"schema\":1,\"state\":\"idle\","
		"\"last_collapse\":{\"steps\":1,\"regions_scanned\":null},"
		"\"totals\":{\"regions_scanned\":null},"
		"\"kernel\":{\"caps\":null,\"stats\":{\"leaves\":{\"pmd\":1},"
		"\"marked_regions\":null}}}";
	char *text = render_daemon_doc(&print_table_ops, doc_text);

	CHECK_CONTAINS(text, "  steps            1\n  regions scanned  n/a (the kernel has no split tracking)\n");
	CHECK_CONTAINS(text, "  collapse steps   0\n  regions scanned  n/a (the kernel has no split tracking)\n");
	CHECK_CONTAINS(text, "  marked regions   n/a (the kernel has no split tracking)\n");
	free(text);
}

static const struct tap_test tests[] = {
	TAP_TEST(test_json_daemon_passes_the_document_through_exactly),
	TAP_TEST(test_table_daemon_without_an_ideal_says_so),
	TAP_TEST(test_table_daemon_without_split_tracking_says_so),
	TAP_TEST(test_table_daemon_shows_state_last_collapse_and_totals),
	TAP_TEST(test_json_caps_has_every_key),
	TAP_TEST(test_json_caps_without_linear_range_omits_it),
	TAP_TEST(test_json_caps_without_split_tracking_has_null_region_size),
	TAP_TEST(test_json_stats_has_every_key),
	TAP_TEST(test_json_writes_large_integers_exactly),
	TAP_TEST(test_json_restoration_is_written_as_a_float),
	TAP_TEST(test_json_whole_map_has_null_range),
	TAP_TEST(test_json_restoration_without_ideal_is_null),
	TAP_TEST(test_table_shows_caps_levels_and_ratio),
	TAP_TEST(test_table_status_shows_split_tracking),
	TAP_TEST(test_json_status_of_a_walk_says_walked),
	TAP_TEST(test_json_status_from_the_counters_nulls_the_walks_figures),
	TAP_TEST(test_json_counters_restoration_is_null_even_with_no_leaves),
	TAP_TEST(test_table_status_from_the_counters_says_what_needs_root),
	TAP_TEST(test_table_walked_status_of_the_whole_map_has_no_counters_note),
	TAP_TEST(test_json_status_has_counters_since_boot),
	TAP_TEST(test_table_status_has_a_since_boot_section),
	TAP_TEST(test_json_collapse_has_every_key),
	TAP_TEST(test_json_finished_collapse_has_null_next_and_range),
	TAP_TEST(test_table_collapse_shows_folds_skips_and_how_to_continue),
	TAP_TEST(test_table_collapse_of_the_marked_regions),
	TAP_TEST(test_table_finished_collapse_has_no_continue_line),
	TAP_TEST(test_json_split_event_is_one_line_with_every_key),
	TAP_TEST(test_json_collapse_event_is_one_line_with_every_key),
	TAP_TEST(test_json_lost_line_carries_the_current_state),
	TAP_TEST(test_lost_line_from_the_counters_has_no_restoration),
	TAP_TEST(test_split_event_shows_the_pingpongs),
	TAP_TEST(test_split_event_shows_the_changes),
	TAP_TEST(test_table_events_are_one_timestamped_line),
};

TAP_MAIN(tests)
