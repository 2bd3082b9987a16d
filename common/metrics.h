/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Metrics in the text formats Prometheus scrapes, shared by collapsed (its
 * [metrics] textfile for node_exporter's textfile collector) and
 * collapsectl (status --format=prometheus|openmetrics).
 *
 * Two dialects of one content:
 * - METRICS_PROMETHEUS: the Prometheus text exposition format 0.0.4, which
 *   node_exporter's textfile collector and promtool read: a counter's
 *   # HELP and # TYPE lines name it with its _total suffix.
 * - METRICS_OPENMETRICS: OpenMetrics 1.0 text: the family is named without
 *   _total, # UNIT lines for families with a unit, "# EOF" at the end.
 *
 * Names follow Prometheus's conventions: base units (bytes, seconds) in the
 * name, _total on counters, labels for levels and reasons.
 */
#ifndef LINMAP_METRICS_H
#define LINMAP_METRICS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <libcollapse.h>

enum metrics_dialect {
	METRICS_PROMETHEUS,
	METRICS_OPENMETRICS,
};

enum metrics_type {
	METRICS_GAUGE,
	METRICS_COUNTER,
};

struct metrics {
	FILE *out;
	enum metrics_dialect dialect;
	/* the family being written: samples get its name (+ _total) */
	const char *family;
	enum metrics_type type;
};

/* Start writing to @out. */
void metrics_begin(struct metrics *m, FILE *out, enum metrics_dialect dialect);

/*
 * A metric family: @name without _total; @unit "bytes", "seconds" or NULL
 * (then @name must end in _@unit, which OpenMetrics requires); @help one
 * line.  The samples that follow belong to it.
 */
void metrics_family(struct metrics *m, const char *name, enum metrics_type type,
		    const char *unit, const char *help);

/*
 * One sample of the current family.  @label_name NULL for none; the label
 * value is escaped as the formats require.
 */
void metrics_sample(struct metrics *m, const char *label_name,
		    const char *label_value, double value);
void metrics_sample_u64(struct metrics *m, const char *label_name,
			const char *label_value, uint64_t value);

/* A family with one unlabelled sample: metrics_family() + metrics_sample_u64(). */
void metrics_single(struct metrics *m, const char *name, enum metrics_type type,
		    const char *unit, const char *help, uint64_t value);

/*
 * The linear map's families (linmap_*) from get-caps and get-stats; the
 * ideal, restoration and invalid families only when @stats was walked;
 * linmap_region_bytes and linmap_marked_regions only from a kernel with
 * split tracking (and the latter for the whole map only).
 */
void metrics_kernel(struct metrics *m, const struct lc_caps *caps,
		    const struct lc_stats *stats);

/* End the output ("# EOF" in OpenMetrics); 0, or -EIO after a write error. */
int metrics_end(struct metrics *m);

/* Bytes one leaf at @level maps with base pages of @granule bytes; 0 if unknown. */
uint64_t metrics_leaf_bytes(uint32_t granule, enum lc_level level);

#endif /* LINMAP_METRICS_H */
