// SPDX-License-Identifier: GPL-2.0
/*
 * JSON output (cJSON).  The keys are an interface: the VM tests and
 * operators' scripts parse them, so only ever add keys.
 *
 * cJSON keeps numbers as doubles, which would round counters and addresses
 * above 2^53; integers are therefore written as raw decimal text, and the
 * restoration ratio always with a decimal point so it reads back as a float.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "json-u64.h"
#include "print.h"

static void json_add_ratio(cJSON *obj, const char *key, double val)
{
	char buf[64];
	size_t len;

	if (!isfinite(val)) {
		cJSON_AddNullToObject(obj, key);
		return;
	}
	/* "%.6f" without trailing zeros, keeping one decimal: 1.0, 1.333333 */
	snprintf(buf, sizeof(buf), "%.6f", val);
	len = strlen(buf);
	while (len > 2 && buf[len - 1] == '0' && buf[len - 2] != '.')
		buf[--len] = '\0';
	cJSON_AddRawToObject(obj, key, buf);
}

/* {"pud": N, "cont_pmd": N, ...} under @key. */
static void json_add_levels(cJSON *obj, const char *key,
			    const uint64_t *counts)
{
	cJSON *levels = cJSON_AddObjectToObject(obj, key);
	int level;

	if (levels)
		for (level = 0; level < LC_LEVEL_NR; level++)
			json_add_u64(levels, lc_level_name((enum lc_level)level),
				     counts[level]);
}

/* {"invalid": N, "attributes": N, ...} under @key. */
static void json_add_skips(cJSON *obj, const char *key, const uint64_t *skips)
{
	cJSON *reasons = cJSON_AddObjectToObject(obj, key);
	int skip;

	if (reasons)
		for (skip = 0; skip < LC_SKIP_NR; skip++)
			json_add_u64(reasons, lc_skip_name((enum lc_skip)skip),
				     skips[skip]);
}

/* {"start": N, "end": N} under @key, or null. */
static void json_add_range(cJSON *obj, const char *key, bool has_range,
			   uint64_t start, uint64_t end)
{
	cJSON *range;

	if (!has_range) {
		cJSON_AddNullToObject(obj, key);
		return;
	}
	range = cJSON_AddObjectToObject(obj, key);
	if (range) {
		json_add_u64(range, "start", start);
		json_add_u64(range, "end", end);
	}
}

static cJSON *json_caps(const struct lc_caps *caps)
{
	cJSON *obj = cJSON_CreateObject();

	if (!obj)
		return NULL;
	json_add_u64(obj, "granule", caps->granule);
	cJSON_AddBoolToObject(obj, "bbml3", caps->bbml3);
	cJSON_AddBoolToObject(obj, "block_capable", caps->block_capable);
	cJSON_AddBoolToObject(obj, "rodata_full", caps->rodata_full);
	cJSON_AddBoolToObject(obj, "realm", caps->realm);
	cJSON_AddBoolToObject(obj, "poe", caps->poe);
	cJSON_AddBoolToObject(obj, "kfence", caps->kfence);
	if (caps->reason[0])
		cJSON_AddStringToObject(obj, "reason", caps->reason);
	else
		cJSON_AddNullToObject(obj, "reason");
	json_add_u64(obj, "ram_bytes", caps->ram_bytes);
	/* null from a kernel without split tracking */
	json_add_opt_u64(obj, "region_size", caps->region_size != 0,
			 caps->region_size);
	/* null from a kernel without minimum ages and ping-pong counts */
	json_add_opt_u64(obj, "pingpong_msecs", caps->pingpong_msecs != 0,
			 caps->pingpong_msecs);
	if (caps->has_linear_range) {
		json_add_u64(obj, "linear_start", caps->linear_start);
		json_add_u64(obj, "linear_end", caps->linear_end);
	}
	return obj;
}

/* The whole linear map since boot: {"splits":{..},"folds":{..},...}. */
static cJSON *json_since_boot(const struct lc_stats *stats)
{
	cJSON *obj = cJSON_CreateObject();

	if (!obj)
		return NULL;
	json_add_levels(obj, "splits", stats->splits);
	json_add_levels(obj, "folds", stats->folds);
	json_add_u64(obj, "tables_freed", stats->tables_freed);
	return obj;
}

/* A walk's count, or null when the reply came from the counters. */
static void json_add_walked_u64(cJSON *obj, const char *key, bool walked,
				uint64_t val)
{
	json_add_opt_u64(obj, key, walked, val);
}

/*
 * The same keys whether walked or not: from the counters, "walked" is
 * false and the walk's figures (invalid, ideal_leaves, restoration) are
 * null.  marked_regions is null for a range and from a kernel without
 * split tracking.
 */
static cJSON *json_stats(const struct lc_stats *stats)
{
	cJSON *obj = cJSON_CreateObject();
	cJSON *since;

	if (!obj)
		return NULL;
	json_add_range(obj, "range", stats->has_range, stats->start,
		       stats->end);
	cJSON_AddBoolToObject(obj, "walked", stats->walked);
	json_add_levels(obj, "leaves", stats->leaves);
	json_add_u64(obj, "leaves_total", lc_stats_leaves_total(stats));
	json_add_walked_u64(obj, "invalid", stats->walked, stats->invalid);
	json_add_u64(obj, "table_pages", stats->table_pages);
	json_add_walked_u64(obj, "ideal_leaves", stats->walked,
			    stats->ideal_leaves);
	json_add_u64(obj, "mapped_bytes", stats->mapped_bytes);
	json_add_opt_u64(obj, "marked_regions", stats->has_marked_regions,
			 stats->marked_regions);
	json_add_opt_u64(obj, "pingpongs", stats->has_pingpongs,
			 stats->pingpongs);
	/* Whole map, whatever the range: the counters events add up to. */
	since = json_since_boot(stats);
	if (since)
		cJSON_AddItemToObject(obj, "since_boot", since);
	json_add_ratio(obj, "restoration",
		       stats->walked ? lc_stats_restoration(stats) : NAN);
	return obj;
}

/*
 * The counts of a collapse, shared by the "collapse" command and the
 * collapse event: regions_scanned (null from a kernel without split
 * tracking), tables_scanned, folds, tables_freed, bytes_freed, skips.
 */
static void json_add_collapse_counts(cJSON *obj,
				     const struct lc_collapse_result *result)
{
	json_add_opt_u64(obj, "regions_scanned", result->has_regions_scanned,
			 result->regions_scanned);
	json_add_u64(obj, "tables_scanned", result->tables_scanned);
	json_add_levels(obj, "folds", result->folds);
	json_add_u64(obj, "tables_freed", result->tables_freed);
	json_add_u64(obj, "bytes_freed", result->bytes_freed);
	json_add_skips(obj, "skips", result->skips);
	/* PTE tables younger than the minimum age: the kernel's "young" */
	json_add_u64(obj, "young", result->young);
	json_add_opt_u64(obj, "pingpongs", result->has_pingpongs,
			 result->pingpongs);
}

static cJSON *json_collapse_result(const struct lc_collapse_result *result)
{
	cJSON *obj = cJSON_CreateObject();

	if (!obj)
		return NULL;
	cJSON_AddBoolToObject(obj, "dry_run", result->dry_run);
	/* Every region visited (always, on a kernel without split tracking). */
	cJSON_AddBoolToObject(obj, "full_scan", result->full_scan);
	json_add_range(obj, "range", result->has_range, result->start,
		       result->end);
	json_add_collapse_counts(obj, result);
	if (result->has_next)
		json_add_u64(obj, "next", result->next);
	else
		cJSON_AddNullToObject(obj, "next");
	json_add_u64(obj, "nsecs", result->nsecs);
	json_add_opt_u64(obj, "longest_hold_nsecs", result->has_longest_hold,
			 result->longest_hold_nsecs);
	return obj;
}

/* Pretty-printed for the one-shot commands. */
static int json_print(FILE *out, const cJSON *root)
{
	char *text = cJSON_Print(root);

	if (!text)
		return -ENOMEM;
	fprintf(out, "%s\n", text);
	cJSON_free(text);
	return 0;
}

static int json_status(FILE *out, const struct lc_caps *caps,
		       const struct lc_stats *stats)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *caps_obj = json_caps(caps);
	cJSON *stats_obj = json_stats(stats);
	int err = -ENOMEM;

	if (root && caps_obj && stats_obj) {
		cJSON_AddItemToObject(root, "caps", caps_obj);
		cJSON_AddItemToObject(root, "stats", stats_obj);
		err = json_print(out, root);
	} else {
		cJSON_Delete(caps_obj);
		cJSON_Delete(stats_obj);
	}
	cJSON_Delete(root);
	return err;
}

static int json_collapse(FILE *out, const struct lc_collapse_req *req,
			 const struct lc_collapse_result *result)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *obj = json_collapse_result(result);
	int err = -ENOMEM;

	(void)req;	/* "next" says where to continue */
	if (root && obj) {
		cJSON_AddItemToObject(root, "collapse", obj);
		err = json_print(out, root);
	} else {
		cJSON_Delete(obj);
	}
	cJSON_Delete(root);
	return err;
}

/* One object on one line, for the "watch" stream. */
static int json_print_line(FILE *out, const cJSON *root)
{
	char *text = cJSON_PrintUnformatted(root);

	if (!text)
		return -ENOMEM;
	fprintf(out, "%s\n", text);
	cJSON_free(text);
	return 0;
}

static int json_event(FILE *out, const struct lc_event *ev, time_t when)
{
	cJSON *root = cJSON_CreateObject();
	int err = -ENOMEM;

	(void)when;	/* a line consumer stamps what it reads */
	if (!root)
		return err;
	switch (ev->type) {
	case LC_EVENT_SPLIT:
		cJSON_AddStringToObject(root, "event", "split");
		json_add_u64(root, "new_splits", ev->split.new_splits);
		json_add_levels(root, "splits", ev->split.splits);
		json_add_opt_u64(root, "pingpongs", ev->split.has_pingpongs,
				 ev->split.pingpongs);
		json_add_opt_u64(root, "new_pingpongs", ev->split.has_pingpongs,
				 ev->split.new_pingpongs);
		json_add_opt_u64(root, "changes", ev->split.has_changes,
				 ev->split.changes);
		json_add_opt_u64(root, "new_changes", ev->split.has_changes,
				 ev->split.new_changes);
		break;
	case LC_EVENT_COLLAPSE:
		cJSON_AddStringToObject(root, "event", "collapse");
		json_add_collapse_counts(root, &ev->collapse);
		json_add_u64(root, "nsecs", ev->collapse.nsecs);
		/* null from a kernel without split tracking */
		json_add_opt_u64(root, "longest_hold_nsecs",
				 ev->collapse.has_longest_hold,
				 ev->collapse.longest_hold_nsecs);
		break;
	default:
		cJSON_AddStringToObject(root, "event", "unknown");
		break;
	}
	err = json_print_line(out, root);
	cJSON_Delete(root);
	return err;
}

/* {"event":"lost","stats":{...as in status, with since_boot...}} */
static int json_lost(FILE *out, const struct lc_stats *stats, time_t when)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *stats_obj = json_stats(stats);
	int err = -ENOMEM;

	(void)when;
	if (root && stats_obj) {
		cJSON_AddStringToObject(root, "event", "lost");
		cJSON_AddItemToObject(root, "stats", stats_obj);
		err = json_print_line(out, root);
	} else {
		cJSON_Delete(stats_obj);
	}
	cJSON_Delete(root);
	return err;
}

static int json_daemon(FILE *out, const char *text, const cJSON *doc)
{
	(void)doc;
	fprintf(out, "%s\n", text);
	return 0;
}

const struct print_ops print_json_ops = {
	.status = json_status,
	.collapse = json_collapse,
	.event = json_event,
	.lost = json_lost,
	.daemon = json_daemon,
};
