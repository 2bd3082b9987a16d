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
	else
		fprintf(out, "Leaves in the whole linear map\n");
	for (level = 0; level < LC_LEVEL_NR; level++)
		row_u64(out, lc_level_name((enum lc_level)level),
			stats->leaves[level]);
	row_u64(out, "total", lc_stats_leaves_total(stats));
	row_u64(out, "invalid", stats->invalid);
	row_u64(out, "table pages", stats->table_pages);
	row_u64(out, "ideal leaves", stats->ideal_leaves);
	format_bytes(buf, sizeof(buf), stats->mapped_bytes);
	row(out, "mapped", buf);
	if (isfinite(restoration))
		snprintf(buf, sizeof(buf), "%.2f (1.00 = fully restored)",
			 restoration);
	else
		snprintf(buf, sizeof(buf), "n/a (no ideal leaf count)");
	row(out, "restoration", buf);
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
	char buf[96];
	int level, skip;

	if (result->has_range)
		fprintf(out, "Collapse of 0x%" PRIx64 "-0x%" PRIx64 "%s\n",
			result->start, result->end,
			result->dry_run ? " (dry run: nothing was changed)" : "");
	else
		fprintf(out, "Collapse of the whole linear map%s\n",
			result->dry_run ? " (dry run: nothing was changed)" : "");
	row_u64(out, "tables scanned", result->tables_scanned);
	row_u64(out, "tables freed", result->tables_freed);
	format_bytes(buf, sizeof(buf), result->bytes_freed);
	row(out, "bytes freed", buf);
	format_nsecs(buf, sizeof(buf), result->nsecs);
	row(out, "time", buf);

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
			req->dry_run ? " --dry-run" : "");
	return 0;
}

static int table_event(FILE *out, const struct lc_event *ev, time_t when)
{
	const struct lc_collapse_result *c = &ev->collapse;
	char levels[256], skips[256], bytes[96], nsecs[32];

	print_time(out, when);
	switch (ev->type) {
	case LC_EVENT_SPLIT:
		format_levels(levels, sizeof(levels), ev->split.splits, false);
		fprintf(out, "split: %" PRIu64 " new; since boot %s\n",
			ev->split.new_splits, levels);
		break;
	case LC_EVENT_COLLAPSE:
		format_levels(levels, sizeof(levels), c->folds, true);
		format_skips(skips, sizeof(skips), c->skips);
		format_size(bytes, sizeof(bytes), c->bytes_freed, false);
		format_nsecs(nsecs, sizeof(nsecs), c->nsecs);
		fprintf(out,
			"collapse: %" PRIu64 " tables scanned, %" PRIu64
			" freed (%s) in %s; folds %s; skips %s\n",
			c->tables_scanned, c->tables_freed, bytes, nsecs,
			levels, skips);
		break;
	default:
		fprintf(out, "event %d\n", (int)ev->type);
		break;
	}
	return 0;
}

static int table_lost(FILE *out, const struct lc_stats *stats, time_t when)
{
	double restoration = lc_stats_restoration(stats);
	uint64_t splits = 0, folds = 0;
	char levels[256], ratio[32];
	int level;

	for (level = 0; level < LC_LEVEL_NR; level++) {
		splits += stats->splits[level];
		folds += stats->folds[level];
	}
	format_levels(levels, sizeof(levels), stats->leaves, false);
	if (isfinite(restoration))
		snprintf(ratio, sizeof(ratio), "%.2f", restoration);
	else
		snprintf(ratio, sizeof(ratio), "n/a");
	print_time(out, when);
	fprintf(out,
		"now: leaves %s; restoration %s; since boot %" PRIu64
		" splits, %" PRIu64 " folds, %" PRIu64 " tables freed\n",
		levels, ratio, splits, folds, stats->tables_freed);
	return 0;
}

const struct print_ops print_table_ops = {
	.status = table_status,
	.collapse = table_collapse,
	.event = table_event,
	.lost = table_lost,
};

const struct print_ops *print_ops_get(enum print_format format)
{
	return format == PRINT_JSON ? &print_json_ops : &print_table_ops;
}
