// SPDX-License-Identifier: GPL-2.0
/* Human-readable output: aligned "name  value" lines in sections. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>

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

static void format_bytes(char *buf, size_t size, uint64_t bytes)
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
	else
		snprintf(buf, size, "%.1f %s (%" PRIu64 " bytes)", val,
			 units[unit], bytes);
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

static int table_status(FILE *out, const struct lc_caps *caps,
			const struct lc_stats *stats)
{
	table_caps(out, caps);
	fprintf(out, "\n");
	table_stats(out, stats);
	return 0;
}

const struct print_ops print_table_ops = {
	.status = table_status,
};

const struct print_ops *print_ops_get(enum print_format format)
{
	return format == PRINT_JSON ? &print_json_ops : &print_table_ops;
}
