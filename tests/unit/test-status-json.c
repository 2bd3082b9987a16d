// SPDX-License-Identifier: GPL-2.0
/*
 * The status document (daemon/status-json.c), parsed back with cJSON:
 * schema and version, every top-level key with its type, and the values
 * of a policy that has collapsed once.
 */
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "duration.h"
#include "policy.h"
#include "status-json.h"
#include "tap.h"

#define SEC(n)	((uint64_t)(n) * NSEC_PER_SEC)

static struct collapsed_config cfg;
static struct lc_caps caps = {
	.granule = 4096, .bbml3 = true, .block_capable = true,
	.rodata_full = true, .kfence = true, .ram_bytes = 4ULL << 30,
	.region_size = 1ULL << 30,	/* split tracking, 4K pages */
};

/* collapsed_once() on a kernel before split tracking. */
static bool old_kernel;

/* A policy that collapsed once (at 100s) and is idle again. */
static void collapsed_once(struct policy *p, struct lc_stats *stats)
{
	struct lc_collapse_result r = { 0 };

	memset(stats, 0, sizeof(*stats));
	stats->leaves[LC_LEVEL_PTE] = 9000;
	stats->ideal_leaves = 1000;
	stats->walked = true;	/* the daemon walks */
	stats->has_marked_regions = !old_kernel;
	stats->marked_regions = old_kernel ? 0 : 2;
	policy_init(p, &cfg, SEC(1));
	policy_tick(p, SEC(1));
	policy_on_probe_ok(p, SEC(1));
	policy_tick(p, SEC(1));
	policy_on_stats(p, SEC(1), stats);
	policy_on_split(p, SEC(90), 4096);
	policy_tick(p, SEC(95));
	policy_on_stats(p, SEC(95), stats);
	policy_tick(p, SEC(95));
	r.has_range = true;
	r.end = 4ULL << 30;
	r.tables_scanned = 600;
	r.folds[LC_LEVEL_PMD] = 500;
	r.tables_freed = (1ULL << 60) + 1;	/* beyond a double's precision */
	r.bytes_freed = 500 * 4096;
	r.skips[LC_SKIP_PKEY] = 3;
	r.skips[LC_SKIP_REALM] = 2;
	r.nsecs = 12345;
	r.has_regions_scanned = !old_kernel;
	r.regions_scanned = old_kernel ? 0 : 5;
	r.full_scan = old_kernel;
	r.has_longest_hold = !old_kernel;
	r.longest_hold_nsecs = old_kernel ? 0 : 41000;
	policy_on_step(p, SEC(100), &r);
	stats->leaves[LC_LEVEL_PTE] = 0;
	stats->leaves[LC_LEVEL_PMD] = 1000;
	policy_tick(p, SEC(100));
	policy_on_stats(p, SEC(100), stats);
}

static bool as_root = true;	/* the peer the document is built for */

static cJSON *document(const struct policy *p, const struct lc_caps *c,
		       const struct lc_stats *s, const char *last_error,
		       char **text)
{
	struct status_view view = {
		.version = "9.8.7",
		.policy = p,
		.config = &cfg,
		.config_path = "/etc/linmap/collapsed.conf",
		.caps = c,
		.stats = s,
		.last_error = last_error,
		.now = SEC(160),
		.now_real = 1700000000.0,
		.started = SEC(1),
		.show_addresses = as_root,
	};
	cJSON *doc;

	*text = status_json(&view);
	CHECK(*text != NULL);
	doc = cJSON_Parse(*text ? *text : "");
	CHECK(doc != NULL);
	return doc;
}

static cJSON *get(const cJSON *obj, const char *key)
{
	cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (!item)
		printf("# key \"%s\" missing\n", key);
	return item;
}

static void test_document_has_schema_and_version(void)
{
	struct lc_stats stats;
	struct policy p;
	char *text;
	cJSON *doc;

	collapsed_once(&p, &stats);
	doc = document(&p, &caps, &stats, NULL, &text);
	CHECK(cJSON_IsNumber(get(doc, "schema")));
	CHECK_INT(get(doc, "schema")->valueint, STATUS_SCHEMA);
	CHECK_INT(STATUS_SCHEMA, 1);
	CHECK(cJSON_IsString(get(doc, "version")));
	CHECK_STR(get(doc, "version")->valuestring, "9.8.7");
	cJSON_Delete(doc);
	free(text);
}

static void test_every_top_level_key_has_its_type(void)
{
	struct lc_stats stats;
	struct policy p;
	char *text;
	cJSON *doc;

	collapsed_once(&p, &stats);
	doc = document(&p, &caps, &stats, "reload: bad", &text);
	CHECK(cJSON_IsNumber(get(doc, "schema")));
	CHECK(cJSON_IsString(get(doc, "version")));
	CHECK(cJSON_IsString(get(doc, "state")));
	CHECK(cJSON_IsNull(get(doc, "degraded_reason")));
	CHECK(cJSON_IsString(get(doc, "status")));
	CHECK(cJSON_IsObject(get(doc, "policy")));
	CHECK(cJSON_IsObject(get(doc, "last_collapse")));
	CHECK(cJSON_IsObject(get(doc, "totals")));
	CHECK(cJSON_IsObject(get(doc, "kernel")));
	CHECK(cJSON_IsObject(get(doc, "config")));
	CHECK(cJSON_IsString(get(doc, "last_error")));
	CHECK(cJSON_IsNumber(get(doc, "events_lost")));
	CHECK_INT(cJSON_GetArraySize(doc), 12);
	cJSON_Delete(doc);
	free(text);
}

static void test_policy_and_collapse_values_are_reported(void)
{
	struct lc_stats stats;
	cJSON *doc, *pol, *last, *tot, *kern, *conf;
	struct policy p;
	char *text;

	collapsed_once(&p, &stats);
	doc = document(&p, &caps, &stats, NULL, &text);
	CHECK_STR(get(doc, "state")->valuestring, "idle");
	CHECK_STR(get(doc, "status")->valuestring,
		  "idle: linear map restored (1.00)");

	pol = get(doc, "policy");
	CHECK(cJSON_GetNumberValue(get(pol, "quiet_period")) == 5.0);
	CHECK_INT(get(pol, "backoff_level")->valueint, 0);
	/* Idle: the next deadline is the resync, 1h after the last look. */
	CHECK(cJSON_GetNumberValue(get(pol, "next_deadline")) == 3600.0 - 60.0);
	CHECK(cJSON_IsNull(get(pol, "cursor")));
	CHECK(cJSON_GetNumberValue(get(pol, "last_split")) == 1700000000.0 - 70.0);

	last = get(doc, "last_collapse");
	CHECK(cJSON_GetNumberValue(get(last, "when")) == 1700000000.0 - 60.0);
	CHECK(cJSON_IsFalse(get(last, "interrupted")));
	CHECK_INT(get(last, "steps")->valueint, 1);
	CHECK_INT(get(get(last, "folds"), "pmd")->valueint, 500);
	CHECK_INT(get(get(last, "skips"), "pkey")->valueint, 3);
	CHECK_INT(get(get(last, "skips"), "realm")->valueint, 2);
	CHECK(cJSON_IsNumber(get(last, "bytes_freed")));
	CHECK(cJSON_IsNumber(get(last, "nsecs")));
	/* Counters are written exactly, beyond 2^53. */
	CHECK_CONTAINS(text, "\"tables_freed\":1152921504606846977");

	tot = get(doc, "totals");
	CHECK_INT(get(tot, "collapses")->valueint, 1);
	CHECK_INT(get(tot, "split_events")->valueint, 1);
	CHECK_INT(get(tot, "splits")->valueint, 4096);
	CHECK(cJSON_GetNumberValue(get(tot, "uptime")) == 159.0);
	CHECK(cJSON_IsObject(get(tot, "skips")));
	CHECK(cJSON_IsObject(get(tot, "kernel_skips")));

	kern = get(doc, "kernel");
	CHECK(cJSON_IsTrue(get(get(kern, "caps"), "bbml3")));
	CHECK(cJSON_IsNull(get(get(kern, "caps"), "reason")));
	CHECK(cJSON_GetNumberValue(get(get(kern, "stats"), "restoration")) == 1.0);
	CHECK_INT(get(get(get(kern, "stats"), "leaves"), "pmd")->valueint, 1000);
	CHECK(cJSON_IsTrue(get(get(kern, "stats"), "walked")));
	CHECK_INT(get(get(kern, "stats"), "ideal_leaves")->valueint, 1000);
	CHECK(cJSON_IsNumber(get(get(kern, "stats"), "invalid")));

	conf = get(doc, "config");
	CHECK_STR(get(conf, "quiet_period")->valuestring, "5s");
	CHECK_STR(get(conf, "resync_interval")->valuestring, "1h");
	CHECK_INT(get(conf, "budget")->valueint, 512);
	CHECK_STR(get(conf, "socket")->valuestring, "/run/collapsed/status.sock");
	CHECK_STR(get(conf, "socket_mode")->valuestring, "0660");
	CHECK(cJSON_IsNull(get(conf, "socket_group")));
	CHECK_STR(get(conf, "file")->valuestring, "/etc/linmap/collapsed.conf");
	cJSON_Delete(doc);
	free(text);
}

/* Split tracking: the regions collapsed, the region size, the marked. */
static void test_split_tracking_is_reported(void)
{
	struct lc_caps old_caps = caps;
	struct lc_stats stats;
	struct policy p;
	char *text;
	cJSON *doc, *kern;

	collapsed_once(&p, &stats);
	doc = document(&p, &caps, &stats, NULL, &text);
	CHECK_INT(get(get(doc, "last_collapse"), "regions_scanned")->valueint, 5);
	CHECK_INT(get(get(doc, "totals"), "regions_scanned")->valueint, 5);
	CHECK_INT(get(get(doc, "last_collapse"), "longest_hold_nsecs")->valueint,
		  41000);
	kern = get(doc, "kernel");
	CHECK(cJSON_GetNumberValue(get(get(kern, "caps"), "region_size")) ==
	      1073741824.0);
	CHECK_INT(get(get(kern, "stats"), "marked_regions")->valueint, 2);
	cJSON_Delete(doc);
	free(text);

	/* A kernel before split tracking: the same keys, null. */
	old_kernel = true;
	collapsed_once(&p, &stats);
	old_kernel = false;
	old_caps.region_size = 0;
	doc = document(&p, &old_caps, &stats, NULL, &text);
	CHECK(cJSON_IsNull(get(get(doc, "last_collapse"), "regions_scanned")));
	CHECK(cJSON_IsNull(get(get(doc, "totals"), "regions_scanned")));
	CHECK(cJSON_IsNull(get(get(doc, "last_collapse"), "longest_hold_nsecs")));
	kern = get(doc, "kernel");
	CHECK(cJSON_IsNull(get(get(kern, "caps"), "region_size")));
	CHECK(cJSON_IsNull(get(get(kern, "stats"), "marked_regions")));
	cJSON_Delete(doc);
	free(text);

	/* Nothing known of the kernel (degraded from the start): null too. */
	collapsed_once(&p, &stats);
	doc = document(&p, NULL, NULL, NULL, &text);
	CHECK(cJSON_IsNull(get(get(doc, "totals"), "regions_scanned")));
	cJSON_Delete(doc);
	free(text);
}

/* Were the daemon's look not a walk, its figures are null, not 0. */
static void test_stats_not_walked_have_null_ideal(void)
{
	struct lc_stats stats;
	cJSON *doc, *st;
	struct policy p;
	char *text;

	collapsed_once(&p, &stats);
	stats.walked = false;
	stats.ideal_leaves = 0;
	doc = document(&p, &caps, &stats, NULL, &text);
	st = get(get(doc, "kernel"), "stats");
	CHECK(cJSON_IsFalse(get(st, "walked")));
	CHECK(cJSON_IsNull(get(st, "ideal_leaves")));
	CHECK(cJSON_IsNull(get(st, "restoration")));
	CHECK(cJSON_IsNull(get(st, "invalid")));
	CHECK_INT(get(get(st, "leaves"), "pmd")->valueint, 1000);
	cJSON_Delete(doc);
	free(text);
}

static void test_degraded_document_says_why(void)
{
	struct policy p;
	char *text;
	cJSON *doc;

	policy_init(&p, &cfg, SEC(1));
	policy_tick(&p, SEC(1));
	policy_on_degraded(&p, SEC(1), "kernel has no linmap family");
	doc = document(&p, NULL, NULL, NULL, &text);
	CHECK_STR(get(doc, "state")->valuestring, "degraded");
	CHECK_STR(get(doc, "degraded_reason")->valuestring,
		  "kernel has no linmap family");
	CHECK_STR(get(doc, "status")->valuestring,
		  "degraded: kernel has no linmap family");
	CHECK(cJSON_IsNull(get(get(doc, "kernel"), "caps")));
	CHECK(cJSON_IsNull(get(get(doc, "kernel"), "stats")));
	CHECK(cJSON_IsNull(get(doc, "last_collapse")));
	CHECK(cJSON_IsNull(get(doc, "last_error")));
	CHECK(cJSON_GetNumberValue(get(get(doc, "policy"), "next_deadline")) ==
	      3600.0 - 159.0);
	cJSON_Delete(doc);
	free(text);
}

static void test_collapsing_document_shows_the_cursor(void)
{
	struct lc_collapse_result r = { 0 };
	struct lc_stats stats;
	struct policy p;
	char *text;
	cJSON *doc;

	collapsed_once(&p, &stats);
	stats.leaves[LC_LEVEL_PTE] = 5000;
	/* 50s after the collapse: ping-pong, the quiet period is 10s. */
	policy_on_split(&p, SEC(150), 1);
	policy_tick(&p, SEC(160));
	policy_on_stats(&p, SEC(160), &stats);
	CHECK_INT(policy_tick(&p, SEC(160)).kind, POLICY_ACT_COLLAPSE);
	r.has_range = true;
	r.end = 4ULL << 30;
	r.has_next = true;
	r.next = 1ULL << 30;
	policy_on_step(&p, SEC(160), &r);
	doc = document(&p, &caps, &stats, NULL, &text);
	CHECK_STR(get(doc, "state")->valuestring, "collapsing");
	CHECK_INT(get(get(doc, "policy"), "cursor")->valuedouble, 1ULL << 30);
	CHECK(cJSON_GetNumberValue(get(get(doc, "policy"), "next_deadline")) == 0.0);
	cJSON_Delete(doc);
	free(text);
}

static void test_addresses_are_for_root_only(void)
{
	const char *error = "collapse: Invalid argument: range start 0x40001000 is not aligned (next 0XFFF0)";
	struct lc_collapse_result r = { 0 };
	struct lc_stats stats;
	struct policy p;
	char *text;
	cJSON *doc;

	collapsed_once(&p, &stats);
	stats.leaves[LC_LEVEL_PTE] = 5000;
	policy_on_split(&p, SEC(150), 1);
	policy_tick(&p, SEC(160));
	policy_on_stats(&p, SEC(160), &stats);
	CHECK_INT(policy_tick(&p, SEC(160)).kind, POLICY_ACT_COLLAPSE);
	r.has_range = true;
	r.end = 4ULL << 30;
	r.has_next = true;
	r.next = 0x40001000;
	policy_on_step(&p, SEC(160), &r);

	as_root = false;
	doc = document(&p, &caps, &stats, error, &text);
	as_root = true;
	CHECK_STR(get(doc, "state")->valuestring, "collapsing");
	CHECK(cJSON_IsNull(get(get(doc, "policy"), "cursor")));
	CHECK_STR(get(doc, "last_error")->valuestring,
		  "collapse: Invalid argument: range start (address hidden) is not aligned (next (address hidden))");
	CHECK(!strstr(text, "40001000"));
	CHECK(!strstr(text, "1073745920"));	/* 0x40001000 in decimal */
	cJSON_Delete(doc);
	free(text);

	doc = document(&p, &caps, &stats, error, &text);
	CHECK_INT(get(get(doc, "policy"), "cursor")->valuedouble, 0x40001000);
	CHECK_STR(get(doc, "last_error")->valuestring, error);
	cJSON_Delete(doc);
	free(text);
}

static const struct tap_test tests[] = {
	TAP_TEST(test_document_has_schema_and_version),
	TAP_TEST(test_every_top_level_key_has_its_type),
	TAP_TEST(test_policy_and_collapse_values_are_reported),
	TAP_TEST(test_split_tracking_is_reported),
	TAP_TEST(test_stats_not_walked_have_null_ideal),
	TAP_TEST(test_degraded_document_says_why),
	TAP_TEST(test_collapsing_document_shows_the_cursor),
	TAP_TEST(test_addresses_are_for_root_only),
};

int main(void)
{
	config_defaults(&cfg);
	return tap_run(tests, sizeof(tests) / sizeof(tests[0]));
}
