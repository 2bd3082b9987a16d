// SPDX-License-Identifier: GPL-2.0
/*
 * Human-readable output: aligned "name  value" lines in sections; for
 * "watch", one line per event, prefixed with the local time.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "print.h"

#define TABLE_INDENT	"  "
#define TABLE_NAME_W	16

static const char *yes_no(bool val)
{
	return val ? "yes" : "no";
}

/* 4096 -> "4K", 65536 -> "64K"; anything odd in bytes. */
static void format_granule(char *buf, size_t size, uint32_t granule)
{
	if (granule && !(granule % 1024))
		snprintf(buf, size, "%" PRIu32 "K", granule / 1024);
	else
		snprintf(buf, size, "%" PRIu32 " bytes", granule);
}

/* 49152 -> "48.0 KiB (49152 bytes)"; @exact false: "48.0 KiB". */
static void format_size(char *buf, size_t size, uint64_t bytes, bool exact)
{
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB", "PiB" };
	double val = (double)bytes;
	int unit = -1;

	while (val >= 1024.0 && unit + 1 < (int)(sizeof(units) / sizeof(units[0]))) {
		val /= 1024.0;
		unit++;
	}
	if (unit < 0)
		snprintf(buf, size, "%" PRIu64 " bytes", bytes);
	else if (exact)
		snprintf(buf, size, "%.1f %s (%" PRIu64 " bytes)", val,
			 units[unit], bytes);
	else
		snprintf(buf, size, "%.1f %s", val, units[unit]);
}

static void format_bytes(char *buf, size_t size, uint64_t bytes)
{
	format_size(buf, size, bytes, true);
}

/* 850 -> "850 ns", 1234567 -> "1.2 ms", 2500000000 -> "2.50 s". */
static void format_nsecs(char *buf, size_t size, uint64_t nsecs)
{
	if (nsecs < 1000)
		snprintf(buf, size, "%" PRIu64 " ns", nsecs);
	else if (nsecs < 1000000)
		snprintf(buf, size, "%.1f us", (double)nsecs / 1e3);
	else if (nsecs < 1000000000)
		snprintf(buf, size, "%.1f ms", (double)nsecs / 1e6);
	else
		snprintf(buf, size, "%.2f s", (double)nsecs / 1e9);
}

static const char *level_name(int i)
{
	return lc_level_name((enum lc_level)i);
}

static const char *skip_name(int i)
{
	return lc_skip_name((enum lc_skip)i);
}

/*
 * @nr named counts on one line: "pud 0, cont_pmd 1, ...".  With
 * @nonzero_only, only those that count ("none" if none do).
 */
static void format_counts(char *buf, size_t size, const uint64_t *counts,
			  int nr, const char *(*name)(int), bool nonzero_only)
{
	size_t len = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < nr && len < size; i++) {
		if (nonzero_only && !counts[i])
			continue;
		len += (size_t)snprintf(buf + len, size - len, "%s%s %" PRIu64,
					len ? ", " : "", name(i), counts[i]);
	}
	if (!buf[0])
		snprintf(buf, size, "none");
}

static void format_levels(char *buf, size_t size, const uint64_t *counts,
			  bool nonzero_only)
{
	format_counts(buf, size, counts, LC_LEVEL_NR, level_name, nonzero_only);
}

/* Skip reasons that count, on one line: "attributes 3, budget 1"; "none". */
static void format_skips(char *buf, size_t size, const uint64_t *skips)
{
	format_counts(buf, size, skips, LC_SKIP_NR, skip_name, true);
}

static void print_time(FILE *out, time_t when)
{
	struct tm tm;
	char buf[16];

	if (localtime_r(&when, &tm) && strftime(buf, sizeof(buf), "%H:%M:%S", &tm))
		fprintf(out, "%s ", buf);
}

static void row(FILE *out, const char *name, const char *value)
{
	fprintf(out, TABLE_INDENT "%-*s %s\n", TABLE_NAME_W, name, value);
}

static void row_u64(FILE *out, const char *name, uint64_t value)
{
	fprintf(out, TABLE_INDENT "%-*s %" PRIu64 "\n", TABLE_NAME_W, name,
		value);
}

/* What a reply from the counters shows instead of a walk's figures. */
#define TABLE_NEEDS_WALK	"needs root (a walk: CAP_SYS_ADMIN)"
/* What split tracking's figures read from a kernel without it. */
#define TABLE_NO_SPLIT_TRACKING	"n/a (the kernel has no split tracking)"

/* A figure only a walk finds: the value, or what it takes to get it. */
static void row_walked_u64(FILE *out, const char *name, bool walked,
			   uint64_t value)
{
	if (walked)
		row_u64(out, name, value);
	else
		row(out, name, TABLE_NEEDS_WALK);
}

static void table_caps(FILE *out, const struct lc_caps *caps)
{
	char buf[LC_REASON_MAX + 64];

	fprintf(out, "Capabilities\n");
	format_granule(buf, sizeof(buf), caps->granule);
	row(out, "granule", buf);
	row(out, "BBML3", yes_no(caps->bbml3));
	if (caps->reason[0])
		snprintf(buf, sizeof(buf), "%s (%s)",
			 yes_no(caps->block_capable), caps->reason);
	else
		snprintf(buf, sizeof(buf), "%s", yes_no(caps->block_capable));
	row(out, "block-capable", buf);
	row(out, "rodata=full", yes_no(caps->rodata_full));
	row(out, "realm", yes_no(caps->realm));
	row(out, "POE", yes_no(caps->poe));
	row(out, "KFENCE", yes_no(caps->kfence));
	format_bytes(buf, sizeof(buf), caps->ram_bytes);
	row(out, "RAM", buf);
	if (caps->region_size) {
		format_bytes(buf, sizeof(buf), caps->region_size);
		row(out, "region size", buf);
	} else {
		row(out, "region size", TABLE_NO_SPLIT_TRACKING);
	}
	if (caps->pingpong_msecs) {
		snprintf(buf, sizeof(buf), "%" PRIu32 " ms (minimum ages: yes)",
			 caps->pingpong_msecs);
		row(out, "ping-pong window", buf);
	} else {
		row(out, "ping-pong window", "none (this kernel has no minimum ages)");
	}
	if (caps->has_linear_range) {
		snprintf(buf, sizeof(buf), "0x%" PRIx64 "-0x%" PRIx64,
			 caps->linear_start, caps->linear_end);
		row(out, "linear map", buf);
	}
}


static void table_stats(FILE *out, const struct lc_stats *stats)
{
	double restoration = lc_stats_restoration(stats);
	char buf[96];
	int level;

	if (stats->has_range)
		fprintf(out, "Leaves in 0x%" PRIx64 "-0x%" PRIx64 "\n",
			stats->start, stats->end);
	else if (stats->walked)
		fprintf(out, "Leaves in the whole linear map\n");
	else
		fprintf(out, "Leaves in the whole linear map (the kernel's counters, no walk)\n");
	for (level = 0; level < LC_LEVEL_NR; level++)
		row_u64(out, lc_level_name((enum lc_level)level),
			stats->leaves[level]);
	row_u64(out, "total", lc_stats_leaves_total(stats));
	row_walked_u64(out, "invalid", stats->walked, stats->invalid);
	row_u64(out, "table pages", stats->table_pages);
	row_walked_u64(out, "ideal leaves", stats->walked, stats->ideal_leaves);
	format_bytes(buf, sizeof(buf), stats->mapped_bytes);
	row(out, "mapped", buf);
	if (!stats->walked)
		snprintf(buf, sizeof(buf), TABLE_NEEDS_WALK);
	else if (isfinite(restoration))
		snprintf(buf, sizeof(buf), "%.2f (1.00 = fully restored)",
			 restoration);
	else
		snprintf(buf, sizeof(buf), "n/a (no ideal leaf count)");
	row(out, "restoration", buf);
	/* What the next collapse visits: the kernel counts the whole map only. */
	if (stats->has_pingpongs)
		row_u64(out, "ping-pongs", stats->pingpongs);
	if (stats->has_marked_regions)
		row_u64(out, "marked regions", stats->marked_regions);
	else
		row(out, "marked regions", stats->has_range ?
		    "n/a (counted for the whole map only)" :
		    TABLE_NO_SPLIT_TRACKING);
}

static void table_since_boot(FILE *out, const struct lc_stats *stats)
{
	char buf[256];

	fprintf(out, "Since boot\n");
	format_levels(buf, sizeof(buf), stats->splits, false);
	row(out, "splits", buf);
	format_levels(buf, sizeof(buf), stats->folds, false);
	row(out, "folds", buf);
	row_u64(out, "tables freed", stats->tables_freed);
}

static int table_status(FILE *out, const struct lc_caps *caps,
			const struct lc_stats *stats)
{
	table_caps(out, caps);
	fprintf(out, "\n");
	table_stats(out, stats);
	fprintf(out, "\n");
	table_since_boot(out, stats);
	return 0;
}

static int table_collapse(FILE *out, const struct lc_collapse_req *req,
			  const struct lc_collapse_result *result)
{
	char buf[96], opts[96];
	int level, skip;

	if (result->has_range)
		fprintf(out, "Collapse of 0x%" PRIx64 "-0x%" PRIx64 "%s\n",
			result->start, result->end,
			result->dry_run ? " (dry run: nothing was changed)" : "");
	else
		fprintf(out, "Collapse of the whole linear map%s\n",
			result->dry_run ? " (dry run: nothing was changed)" : "");
	/* A kernel before split tracking visits every region (full_scan). */
	row(out, "scan", result->full_scan ? "every region (full scan)" :
		      "the regions marked as split or changed");
	if (result->has_regions_scanned)
		row_u64(out, "regions scanned", result->regions_scanned);
	else
		row(out, "regions scanned", TABLE_NO_SPLIT_TRACKING);
	row_u64(out, "tables scanned", result->tables_scanned);
	row_u64(out, "tables freed", result->tables_freed);
	format_bytes(buf, sizeof(buf), result->bytes_freed);
	row(out, "bytes freed", buf);
	format_nsecs(buf, sizeof(buf), result->nsecs);
	row(out, "time", buf);
	/* pgtable_split_lock, for one region; sent since split tracking */
	if (result->has_longest_hold) {
		format_nsecs(buf, sizeof(buf), result->longest_hold_nsecs);
		row(out, "longest hold", buf);
	} else {
		row(out, "longest hold", TABLE_NO_SPLIT_TRACKING);
	}
	if (req->min_age_msecs || result->young) {
		snprintf(buf, sizeof(buf), "%" PRIu64 " (younger than %" PRIu32 " ms)",
			 result->young, req->min_age_msecs);
		row(out, "tables too young", buf);
	}
	if (result->has_pingpongs)
		row_u64(out, "ping-pongs", result->pingpongs);

	fprintf(out, "\n%s\n", result->dry_run ?
		"Folds (leaves a collapse would create)" :
		"Folds (leaves created)");
	for (level = 0; level < LC_LEVEL_NR; level++)
		row_u64(out, lc_level_name((enum lc_level)level),
			result->folds[level]);

	fprintf(out, "\nSkips (fold candidates left alone)\n");
	for (skip = 0; skip < LC_SKIP_NR; skip++)
		row_u64(out, lc_skip_name((enum lc_skip)skip),
			result->skips[skip]);

	if (!result->has_next)
		return 0;
	fprintf(out, "\nThe budget ran out at 0x%" PRIx64 ".\n", result->next);
	if (result->has_range)
		fprintf(out,
			"continue with: collapsectl collapse --range 0x%" PRIx64
			"-0x%" PRIx64 " --budget %" PRIu64 "%s\n",
			result->next, result->end, req->budget,
			print_continue_options(opts, sizeof(opts), req));
	return 0;
}

const char *print_continue_options(char *buf, size_t size,
				   const struct lc_collapse_req *req)
{
	char age[32] = "";

	if (req->min_age_msecs)
		snprintf(age, sizeof(age), " --min-age %" PRIu32 "ms",
			 req->min_age_msecs);
	snprintf(buf, size, "%s%s%s", req->dry_run ? " --dry-run" : "",
		 req->full_scan ? " --full" : "", age);
	return buf;
}

static int table_event(FILE *out, const struct lc_event *ev, time_t when)
{
	const struct lc_collapse_result *c = &ev->collapse;
	char levels[256], skips[256], bytes[96], nsecs[32], regions[40];
	char held[32], hold[64], changes[48];

	print_time(out, when);
	switch (ev->type) {
	case LC_EVENT_SPLIT:
		format_levels(levels, sizeof(levels), ev->split.splits, false);
		regions[0] = '\0';
		if (ev->split.has_pingpongs)
			snprintf(regions, sizeof(regions),
				 "; %" PRIu64 " new ping-pongs", ev->split.new_pingpongs);
		changes[0] = '\0';
		if (ev->split.has_changes)
			snprintf(changes, sizeof(changes),
				 "; %" PRIu64 " new attribute changes",
				 ev->split.new_changes);
		fprintf(out, "split: %" PRIu64 " new; since boot %s%s%s\n",
			ev->split.new_splits, levels, regions, changes);
		break;
	case LC_EVENT_COLLAPSE:
		format_levels(levels, sizeof(levels), c->folds, true);
		format_skips(skips, sizeof(skips), c->skips);
		format_size(bytes, sizeof(bytes), c->bytes_freed, false);
		format_nsecs(nsecs, sizeof(nsecs), c->nsecs);
		regions[0] = '\0';
		if (c->has_regions_scanned)
			snprintf(regions, sizeof(regions), "%" PRIu64 " regions, ",
				 c->regions_scanned);
		hold[0] = '\0';
		if (c->has_longest_hold) {
			format_nsecs(held, sizeof(held), c->longest_hold_nsecs);
			snprintf(hold, sizeof(hold), " (longest lock hold %s)",
				 held);
		}
		fprintf(out,
			"collapse: %s%" PRIu64 " tables scanned, %" PRIu64
			" freed (%s) in %s%s; folds %s; skips %s\n",
			regions, c->tables_scanned, c->tables_freed, bytes,
			nsecs, hold, levels, skips);
		break;
	default:
		fprintf(out, "event %d\n", (int)ev->type);
		break;
	}
	return 0;
}

/* The restoration only when the state came from a walk (watch reads the counters). */
static int table_lost(FILE *out, const struct lc_stats *stats, time_t when)
{
	double restoration = lc_stats_restoration(stats);
	uint64_t splits = 0, folds = 0;
	char levels[256], ratio[48], marked[48];
	int level;

	for (level = 0; level < LC_LEVEL_NR; level++) {
		splits += stats->splits[level];
		folds += stats->folds[level];
	}
	format_levels(levels, sizeof(levels), stats->leaves, false);
	ratio[0] = '\0';
	if (stats->walked && isfinite(restoration))
		snprintf(ratio, sizeof(ratio), "; restoration %.2f", restoration);
	else if (stats->walked)
		snprintf(ratio, sizeof(ratio), "; restoration n/a");
	marked[0] = '\0';
	if (stats->has_marked_regions)
		snprintf(marked, sizeof(marked), "; %" PRIu64 " regions marked",
			 stats->marked_regions);
	print_time(out, when);
	fprintf(out,
		"now: leaves %s%s%s; since boot %" PRIu64
		" splits, %" PRIu64 " folds, %" PRIu64 " tables freed\n",
		levels, ratio, marked, splits, folds, stats->tables_freed);
	return 0;
}

/*
 * collapsed's status document.  Keys this version does not know are
 * ignored and missing ones shown as "?", so an older collapsectl reads a
 * newer daemon.
 */
static const cJSON *jget(const cJSON *obj, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(obj, key);
}

/*
 * A number of the document as uint64_t, clamped: converting a double out
 * of range (or NaN) is undefined behaviour, and the document comes from
 * whatever serves the socket.
 */
static uint64_t clamp_u64(double d)
{
	if (!(d > 0))
		return 0;
	if (d >= 18446744073709551616.0)	/* 2^64 */
		return UINT64_MAX;
	return (uint64_t)d;
}

static uint64_t ju64(const cJSON *obj, const char *key)
{
	const cJSON *item = jget(obj, key);

	return cJSON_IsNumber(item) ? clamp_u64(item->valuedouble) : 0;
}

static void row_jstr(FILE *out, const char *name, const cJSON *obj,
		     const char *key)
{
	const cJSON *item = jget(obj, key);

	row(out, name, cJSON_IsString(item) ? item->valuestring : "?");
}

static void row_ju64(FILE *out, const char *name, const cJSON *obj,
		     const char *key)
{
	row_u64(out, name, ju64(obj, key));
}

/*
 * A count the daemon may not know (null: @absent says why); no row when a
 * daemon older than the key does not send it.
 */
static void row_jopt_u64(FILE *out, const char *name, const cJSON *obj,
			 const char *key, const char *absent)
{
	const cJSON *item = jget(obj, key);

	if (cJSON_IsNumber(item))
		row_u64(out, name, clamp_u64(item->valuedouble));
	else if (cJSON_IsNull(item))
		row(out, name, absent);
}

/* {"pud": 1, ...} as "pud 1, ..."; only non-zero ones with @nonzero_only. */
static void format_jcounts(char *buf, size_t size, const cJSON *obj,
			   bool nonzero_only)
{
	const cJSON *item;
	size_t len = 0;

	buf[0] = '\0';
	cJSON_ArrayForEach(item, obj) {
		if (len >= size || !cJSON_IsNumber(item) ||
		    (nonzero_only && item->valuedouble == 0))
			continue;
		len += (size_t)snprintf(buf + len, size - len, "%s%s %.0f",
					len ? ", " : "", item->string,
					item->valuedouble);
	}
	if (!buf[0])
		snprintf(buf, size, "none");
}

static void row_jcounts(FILE *out, const char *name, const cJSON *obj,
			const char *key, bool nonzero_only)
{
	char buf[256];

	format_jcounts(buf, sizeof(buf), jget(obj, key), nonzero_only);
	row(out, name, buf);
}

/* Seconds as "1h 2min 3s", "250ms"; for deadlines and uptimes. */
static void format_secs(char *buf, size_t size, double secs)
{
	uint64_t s = clamp_u64(secs);

	if (secs < 1.0)
		snprintf(buf, size, "%.0fms", secs * 1000.0);
	else if (s < 60)
		snprintf(buf, size, "%.1fs", secs);
	else if (s < 3600)
		snprintf(buf, size, "%" PRIu64 "min %" PRIu64 "s", s / 60, s % 60);
	else
		snprintf(buf, size, "%" PRIu64 "h %" PRIu64 "min", s / 3600,
			 s / 60 % 60);
}

static void table_daemon_state(FILE *out, const cJSON *doc)
{
	const cJSON *policy = jget(doc, "policy"), *item;
	char buf[256];

	fprintf(out, "Daemon\n");
	row_jstr(out, "state", doc, "state");
	row_jstr(out, "status", doc, "status");
	item = jget(doc, "degraded_reason");
	if (cJSON_IsString(item))
		row(out, "degraded", item->valuestring);
	row_jstr(out, "version", doc, "version");
	item = jget(jget(doc, "totals"), "uptime");
	if (cJSON_IsNumber(item)) {
		format_secs(buf, sizeof(buf), item->valuedouble);
		row(out, "uptime", buf);
	}
	item = jget(policy, "quiet_period");
	if (cJSON_IsNumber(item)) {
		format_secs(buf, sizeof(buf), item->valuedouble);
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf),
			 " (backoff level %" PRIu64 ")",
			 ju64(policy, "backoff_level"));
		row(out, "quiet period", buf);
	}
	item = jget(policy, "next_deadline");
	if (cJSON_IsNumber(item)) {
		snprintf(buf, sizeof(buf), "in ");
		format_secs(buf + 3, sizeof(buf) - 3, item->valuedouble);
	} else {
		snprintf(buf, sizeof(buf), "none (waiting for events)");
	}
	row(out, "next wakeup", buf);
	item = jget(policy, "cursor");
	if (cJSON_IsNumber(item)) {
		snprintf(buf, sizeof(buf), "0x%" PRIx64, clamp_u64(item->valuedouble));
		row(out, "cursor", buf);
	}
	row_ju64(out, "events lost", doc, "events_lost");
	item = jget(doc, "last_error");
	row(out, "last error", cJSON_IsString(item) ? item->valuestring : "none");
}

static void table_daemon_last(FILE *out, const cJSON *doc)
{
	const cJSON *last = jget(doc, "last_collapse"), *item;
	char buf[96];

	fprintf(out, "\nLast collapse\n");
	if (!cJSON_IsObject(last)) {
		row(out, "when", "never");
		return;
	}
	item = jget(last, "when");
	/* Unix time within what time_t and struct tm hold (year 9999) */
	if (cJSON_IsNumber(item) && item->valuedouble >= 0 &&
	    item->valuedouble < 253402300800.0) {
		time_t when = (time_t)item->valuedouble;
		struct tm tm;

		if (localtime_r(&when, &tm) &&
		    strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm))
			row(out, "when", buf);
	}
	row(out, "interrupted", yes_no(cJSON_IsTrue(jget(last, "interrupted"))));
	row_ju64(out, "steps", last, "steps");
	row_jopt_u64(out, "regions scanned", last, "regions_scanned",
		     TABLE_NO_SPLIT_TRACKING);
	row_ju64(out, "tables scanned", last, "tables_scanned");
	row_ju64(out, "tables freed", last, "tables_freed");
	format_bytes(buf, sizeof(buf), ju64(last, "bytes_freed"));
	row(out, "bytes freed", buf);
	format_nsecs(buf, sizeof(buf), ju64(last, "nsecs"));
	row(out, "kernel time", buf);
	row_jcounts(out, "folds", last, "folds", false);
	row_jcounts(out, "skips", last, "skips", true);
}

static void table_daemon_totals(FILE *out, const cJSON *doc)
{
	const cJSON *totals = jget(doc, "totals");
	char buf[96];

	fprintf(out, "\nSince the daemon started\n");
	row_ju64(out, "split events", totals, "split_events");
	row_ju64(out, "change events", totals, "change_events");
	row_ju64(out, "splits", totals, "splits");
	row_ju64(out, "collapses", totals, "collapses");
	row_ju64(out, "collapse steps", totals, "collapse_steps");
	row_jopt_u64(out, "regions scanned", totals, "regions_scanned",
		     TABLE_NO_SPLIT_TRACKING);
	row_ju64(out, "tables freed", totals, "tables_freed");
	format_bytes(buf, sizeof(buf), ju64(totals, "bytes_freed"));
	row(out, "bytes freed", buf);
	row_jcounts(out, "folds", totals, "folds", false);
	row_jcounts(out, "kernel skips", totals, "kernel_skips", true);
	row_jcounts(out, "not collapsed", totals, "skips", true);
	row_ju64(out, "ping-pongs", totals, "pingpongs");
	row_ju64(out, "resyncs", totals, "resyncs");
	row_ju64(out, "errors", totals, "errors");
}

static void table_daemon_kernel(FILE *out, const cJSON *doc)
{
	const cJSON *stats = jget(jget(doc, "kernel"), "stats"), *item;
	char buf[64];

	fprintf(out, "\nLinear map (at the daemon's last look)\n");
	if (!cJSON_IsObject(stats)) {
		row(out, "leaves", "unknown");
		return;
	}
	row_jcounts(out, "leaves", stats, "leaves", false);
	/* null when the daemon's look was not a walk */
	if (cJSON_IsNumber(jget(stats, "ideal_leaves")))
		row_ju64(out, "ideal leaves", stats, "ideal_leaves");
	else
		row(out, "ideal leaves", "n/a (no walk)");
	row_ju64(out, "table pages", stats, "table_pages");
	item = jget(stats, "restoration");
	if (cJSON_IsNumber(item))
		snprintf(buf, sizeof(buf), "%.2f (1.00 = fully restored)",
			 item->valuedouble);
	else
		snprintf(buf, sizeof(buf), "n/a");
	row(out, "restoration", buf);
	row_jopt_u64(out, "marked regions", stats, "marked_regions",
		     TABLE_NO_SPLIT_TRACKING);
}

static int table_daemon(FILE *out, const char *text, const cJSON *doc)
{
	(void)text;
	table_daemon_state(out, doc);
	table_daemon_last(out, doc);
	table_daemon_totals(out, doc);
	table_daemon_kernel(out, doc);
	return 0;
}

const struct print_ops print_table_ops = {
	.status = table_status,
	.collapse = table_collapse,
	.event = table_event,
	.lost = table_lost,
	.daemon = table_daemon,
};

const struct print_ops *print_ops_get(enum print_format format)
{
	return format == PRINT_JSON ? &print_json_ops : &print_table_ops;
}
