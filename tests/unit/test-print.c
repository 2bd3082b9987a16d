// SPDX-License-Identifier: GPL-2.0
/*
 * collapsectl's output: the JSON keys are an interface (the VM tests parse
 * them), so render, parse back with cJSON and check every key.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

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
	CHECK_CONTAINS(text, "Leaves in 0x40000000-0x80000000\n");
	CHECK_CONTAINS(text, "cont_pte         10\n");
	CHECK_CONTAINS(text, "pte              500\n");
	CHECK_CONTAINS(text, "total            512\n");
	CHECK_CONTAINS(text, "invalid          3\n");
	CHECK_CONTAINS(text, "table pages      9\n");
	CHECK_CONTAINS(text, "ideal leaves     2\n");
	CHECK_CONTAINS(text, "restoration      256.00");
	free(text);
}

static const struct tap_test tests[] = {
	TAP_TEST(test_json_caps_has_every_key),
	TAP_TEST(test_json_caps_without_linear_range_omits_it),
	TAP_TEST(test_json_stats_has_every_key),
	TAP_TEST(test_json_writes_large_integers_exactly),
	TAP_TEST(test_json_restoration_is_written_as_a_float),
	TAP_TEST(test_json_whole_map_has_null_range),
	TAP_TEST(test_json_restoration_without_ideal_is_null),
	TAP_TEST(test_table_shows_caps_levels_and_ratio),
};

TAP_MAIN(tests)
