// SPDX-License-Identifier: GPL-2.0
/*
 * Prometheus text format and OpenMetrics output (see metrics.h).  The
 * formats are small enough that a writer is clearer than a dependency:
 * there is no C client library in Debian; promtool (Debian's prometheus
 * package) checks the output in the unit tests, and node_exporter reads it
 * in the full-system guest.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"

void metrics_begin(struct metrics *m, FILE *out, enum metrics_dialect dialect)
{
	memset(m, 0, sizeof(*m));
	m->out = out;
	m->dialect = dialect;
}

static const char *metrics_type_name(enum metrics_type type)
{
	return type == METRICS_COUNTER ? "counter" : "gauge";
}

void metrics_family(struct metrics *m, const char *name, enum metrics_type type,
		    const char *unit, const char *help)
{
	/* Prometheus 0.0.4 names a counter with its _total; OpenMetrics not. */
	const char *suffix = type == METRICS_COUNTER &&
			     m->dialect == METRICS_PROMETHEUS ? "_total" : "";

	m->family = name;
	m->type = type;
	fprintf(m->out, "# HELP %s%s %s\n", name, suffix, help);
	fprintf(m->out, "# TYPE %s%s %s\n", name, suffix, metrics_type_name(type));
	if (unit && m->dialect == METRICS_OPENMETRICS)
		fprintf(m->out, "# UNIT %s %s\n", name, unit);
}

/* A label value, escaped as both formats want (\\, \", \n). */
static void metrics_label_value(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			fprintf(out, "\\%c", *s);
		else if (*s == '\n')
			fputs("\\n", out);
		else
			fputc(*s, out);
	}
}

static void metrics_name(struct metrics *m, const char *label_name,
			 const char *label_value)
{
	fputs(m->family, m->out);
	if (m->type == METRICS_COUNTER)
		fputs("_total", m->out);
	if (label_name) {
		fprintf(m->out, "{%s=\"", label_name);
		metrics_label_value(m->out, label_value);
		fputs("\"}", m->out);
	}
	fputc(' ', m->out);
}

/* The shortest text that reads back as @value (as Go's 'g', -1 does). */
static void metrics_double(FILE *out, double value)
{
	char buf[32];
	int prec;

	/* Whole numbers as integers (timestamps, byte counts), not 1.7e+09. */
	if (value == floor(value) && fabs(value) < 9007199254740992.0) {
		fprintf(out, "%.0f\n", value);
		return;
	}
	for (prec = 1; prec < 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*g", prec, value);
		if (strtod(buf, NULL) == value)
			break;
	}
	if (prec == 17)
		snprintf(buf, sizeof(buf), "%.17g", value);
	fprintf(out, "%s\n", buf);
}

void metrics_sample(struct metrics *m, const char *label_name,
		    const char *label_value, double value)
{
	metrics_name(m, label_name, label_value);
	if (isnan(value))
		fputs("NaN\n", m->out);
	else if (isinf(value))
		fputs(value > 0 ? "+Inf\n" : "-Inf\n", m->out);
	else
		metrics_double(m->out, value);
}

void metrics_sample_u64(struct metrics *m, const char *label_name,
			const char *label_value, uint64_t value)
{
	metrics_name(m, label_name, label_value);
	fprintf(m->out, "%" PRIu64 "\n", value);
}

void metrics_single(struct metrics *m, const char *name, enum metrics_type type,
		    const char *unit, const char *help, uint64_t value)
{
	metrics_family(m, name, type, unit, help);
	metrics_sample_u64(m, NULL, NULL, value);
}

uint64_t metrics_leaf_bytes(uint32_t granule, enum lc_level level)
{
	uint64_t entries = granule / 8;	/* descriptors per table */
	uint64_t cont_ptes, cont_pmds;

	switch (granule) {
	case 4096:
		cont_ptes = 16;
		cont_pmds = 16;
		break;
	case 16384:
		cont_ptes = 128;
		cont_pmds = 32;
		break;
	case 65536:
		cont_ptes = 32;
		cont_pmds = 32;
		break;
	default:
		return 0;
	}
	switch (level) {
	case LC_LEVEL_PTE:
		return granule;
	case LC_LEVEL_CONT_PTE:
		return granule * cont_ptes;
	case LC_LEVEL_PMD:
		return granule * entries;
	case LC_LEVEL_CONT_PMD:
		return granule * entries * cont_pmds;
	case LC_LEVEL_PUD:
		return granule * entries * entries;
	default:
		return 0;
	}
}

static void metrics_levels(struct metrics *m, const uint64_t *counts)
{
	int i;

	for (i = 0; i < LC_LEVEL_NR; i++)
		metrics_sample_u64(m, "level", lc_level_name((enum lc_level)i),
				   counts[i]);
}

void metrics_kernel(struct metrics *m, const struct lc_caps *caps,
		    const struct lc_stats *stats)
{
	uint64_t bytes[LC_LEVEL_NR];
	int i;

	if (caps) {
		metrics_single(m, "linmap_granule_bytes", METRICS_GAUGE, "bytes",
			       "Base page size of the kernel.",
			       caps->granule);
		metrics_single(m, "linmap_bbml3", METRICS_GAUGE, NULL,
			       "1 if every CPU supports BBML3.",
			       caps->bbml3);
		metrics_single(m, "linmap_block_capable", METRICS_GAUGE, NULL,
			       "1 if the linear map holds block mappings that are split on demand.",
			       caps->block_capable);
		/* Split tracking; a kernel without it has no regions. */
		if (caps->region_size)
			metrics_single(m, "linmap_region_bytes", METRICS_GAUGE,
				       "bytes",
				       "Size of the regions the kernel marks when they are split or changed.",
				       caps->region_size);
	}
	if (!stats)
		return;

	metrics_family(m, "linmap_leaves", METRICS_GAUGE, NULL,
		       "Leaf mappings of the linear map, per level, valid or not (a contiguous range counts once).");
	metrics_levels(m, stats->leaves);
	if (caps && caps->granule) {
		for (i = 0; i < LC_LEVEL_NR; i++)
			bytes[i] = stats->leaves[i] *
				   metrics_leaf_bytes(caps->granule, (enum lc_level)i);
		metrics_family(m, "linmap_leaf_bytes", METRICS_GAUGE, "bytes",
			       "Bytes the leaf mappings of each level map.");
		metrics_levels(m, bytes);
	}
	/*
	 * Only a walk of the map knows these: from the kernel's counters
	 * (no CAP_SYS_ADMIN) the families are left out rather than written
	 * as 0 or NaN, which would read as a value.
	 */
	if (stats->walked) {
		metrics_single(m, "linmap_ideal_leaves", METRICS_GAUGE, NULL,
			       "Leaves a full collapse would reach with the current attributes.",
			       stats->ideal_leaves);
		metrics_family(m, "linmap_restoration_ratio", METRICS_GAUGE, NULL,
			       "Leaves divided by ideal leaves: 1 is fully restored, larger is more fragmented.");
		metrics_sample(m, NULL, NULL, lc_stats_restoration(stats));
		metrics_single(m, "linmap_invalid_entries", METRICS_GAUGE, NULL,
			       "Non-empty entries with the valid bit clear, each counted (secretmem pages, guard pages); linmap_leaves counts them too.",
			       stats->invalid);
	}
	metrics_single(m, "linmap_page_table_pages", METRICS_GAUGE, NULL,
		       "Page-table pages below the top level that map the linear map.",
		       stats->table_pages);
	if (caps && caps->granule) {
		metrics_single(m, "linmap_page_table_bytes", METRICS_GAUGE, "bytes",
			       "Memory those page-table pages take.",
			       stats->table_pages * caps->granule);
	}
	metrics_single(m, "linmap_mapped_bytes", METRICS_GAUGE, "bytes",
		       "Bytes of memory the leaves map, valid or not.",
		       stats->mapped_bytes);
	/*
	 * Split tracking, whole map only: left out for a range or a kernel
	 * without it, as the walk's families are without a walk.
	 */
	if (stats->has_marked_regions)
		metrics_single(m, "linmap_marked_regions", METRICS_GAUGE, NULL,
			       "Regions marked as split or changed: what the next collapse visits.",
			       stats->marked_regions);
	metrics_family(m, "linmap_splits", METRICS_COUNTER, NULL,
		       "Leaves split since boot, per level of the leaf split.");
	metrics_levels(m, stats->splits);
	metrics_family(m, "linmap_folds", METRICS_COUNTER, NULL,
		       "Leaves created by collapses since boot, per level.");
	metrics_levels(m, stats->folds);
	metrics_single(m, "linmap_freed_page_tables", METRICS_COUNTER, NULL,
		       "Page-table pages freed by collapses since boot.",
		       stats->tables_freed);
}

int metrics_end(struct metrics *m)
{
	if (m->dialect == METRICS_OPENMETRICS)
		fputs("# EOF\n", m->out);
	if (fflush(m->out) || ferror(m->out))
		return -EIO;
	return 0;
}
