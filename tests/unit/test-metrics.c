// SPDX-License-Identifier: GPL-2.0
/*
 * The metrics (common/metrics.c, daemon/status-metrics.c): naming in both
 * dialects, values, escaping, leaf sizes per granule, and the atomic write
 * of the textfile.  With "--dump DIR" it writes the documents a checker
 * reads instead (check-metrics.sh: promtool for the Prometheus format, the
 * OpenMetrics parser of python3-prometheus-client for OpenMetrics).
 */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "duration.h"
#include "metrics.h"
#include "policy.h"
#include "status-metrics.h"
#include "tap.h"

#define SEC(n)	((uint64_t)(n) * NSEC_PER_SEC)

static struct collapsed_config cfg;
static const struct lc_caps caps = {
	.granule = 4096, .bbml3 = true, .block_capable = true,
	.rodata_full = true, .ram_bytes = 4ULL << 30,
	.region_size = 1ULL << 30,	/* split tracking, 4K pages */
};

static void fragmented(struct lc_stats *s)
{
	memset(s, 0, sizeof(*s));
	s->leaves[LC_LEVEL_PUD] = 2;
	s->leaves[LC_LEVEL_PMD] = 100;
	s->leaves[LC_LEVEL_PTE] = 9000;
	s->ideal_leaves = 1000;
	s->invalid = 7;
	s->table_pages = 20;
	s->mapped_bytes = 4ULL << 30;
	s->splits[LC_LEVEL_PMD] = 18;
	s->folds[LC_LEVEL_PMD] = 3;
	s->tables_freed = 3;
	s->walked = true;
	s->marked_regions = 2;
	s->has_marked_regions = true;
}

/* The same map from the kernel's counters: no ideal, no invalid. */
static void counted(struct lc_stats *s)
{
	fragmented(s);
	s->ideal_leaves = 0;
	s->invalid = 0;
	s->walked = false;
}

/*
 * A policy that collapsed once and is idle again (as test-status-json),
 * its kernel saying the longest lock hold (250 us) when @hold.
 */
static void collapsed_once_held(struct policy *p, struct lc_stats *stats,
				bool hold)
{
	struct lc_collapse_result r = { 0 };

	fragmented(stats);
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
	r.tables_freed = 500;
	r.bytes_freed = 500 * 4096;
	r.skips[LC_SKIP_PKEY] = 3;
	r.nsecs = 1500000000;
	r.regions_scanned = 5;
	r.has_regions_scanned = true;
	r.longest_hold_nsecs = hold ? 250000 : 0;
	r.has_longest_hold = hold;
	policy_on_step(p, SEC(100), &r);
	policy_tick(p, SEC(100));
}

static void collapsed_once(struct policy *p, struct lc_stats *stats)
{
	collapsed_once_held(p, stats, true);
}

static char *daemon_text_of(enum metrics_dialect d, const struct lc_caps *c,
			    const struct policy *p, const struct lc_stats *s,
			    uint64_t now)
{
	struct status_view view = {
		.version = "9.8.7",
		.policy = p,
		.config = &cfg,
		.caps = c,
		.stats = s,
		.now = now,
		.now_real = 1700000000.0 + (double)now / 1e9,
		.started = SEC(1),
	};

	return status_metrics(&view, d);
}

static char *daemon_text(enum metrics_dialect d, const struct policy *p,
			 const struct lc_stats *s, uint64_t now)
{
	return daemon_text_of(d, &caps, p, s, now);
}

static char *kernel_text_of(enum metrics_dialect d, const struct lc_caps *c,
			    const struct lc_stats *s)
{
	struct metrics m;
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);

	metrics_begin(&m, out, d);
	metrics_kernel(&m, c, s);
	CHECK_INT(metrics_end(&m), 0);
	fclose(out);
	return text;
}

static char *kernel_text(enum metrics_dialect d, const struct lc_stats *s)
{
	return kernel_text_of(d, &caps, s);
}

static void test_counters_are_named_as_each_dialect_wants(void)
{
	struct lc_stats s;
	char *prom, *om;

	fragmented(&s);
	prom = kernel_text(METRICS_PROMETHEUS, &s);
	om = kernel_text(METRICS_OPENMETRICS, &s);
	CHECK_CONTAINS(prom, "# TYPE linmap_splits_total counter\n");
	CHECK_CONTAINS(prom, "linmap_splits_total{level=\"pmd\"} 18\n");
	CHECK(strstr(prom, "# EOF") == NULL);
	CHECK(strstr(prom, "# UNIT") == NULL);
	CHECK_CONTAINS(om, "# TYPE linmap_splits counter\n");
	CHECK_CONTAINS(om, "linmap_splits_total{level=\"pmd\"} 18\n");
	CHECK_CONTAINS(om, "# UNIT linmap_leaf_bytes bytes\n");
	CHECK(strlen(om) > 6 && !strcmp(om + strlen(om) - 6, "# EOF\n"));
	free(prom);
	free(om);
}

static void test_kernel_values(void)
{
	struct lc_stats s;
	char *t;

	fragmented(&s);
	t = kernel_text(METRICS_PROMETHEUS, &s);
	CHECK_CONTAINS(t, "linmap_leaves{level=\"pte\"} 9000\n");
	CHECK_CONTAINS(t, "linmap_leaf_bytes{level=\"pud\"} 2147483648\n");
	CHECK_CONTAINS(t, "linmap_leaf_bytes{level=\"pmd\"} 209715200\n");
	CHECK_CONTAINS(t, "linmap_ideal_leaves 1000\n");
	CHECK_CONTAINS(t, "linmap_restoration_ratio 9.102\n");
	CHECK_CONTAINS(t, "linmap_page_table_bytes 81920\n");
	CHECK_CONTAINS(t, "linmap_freed_page_tables_total 3\n");
	CHECK_CONTAINS(t, "linmap_block_capable 1\n");
	free(t);
	/* Nothing known of the ideal: NaN, as both formats spell it. */
	s.ideal_leaves = 0;
	t = kernel_text(METRICS_OPENMETRICS, &s);
	CHECK_CONTAINS(t, "linmap_restoration_ratio NaN\n");
	free(t);
}

/*
 * collapsectl status --format prometheus|openmetrics as a user: the
 * counters' families, and none of the walk's (not 0, not NaN).
 */
static void test_counters_only_leave_out_the_walks_families(void)
{
	static const enum metrics_dialect dialects[] = {
		METRICS_PROMETHEUS, METRICS_OPENMETRICS,
	};
	struct lc_stats s;
	size_t i;
	char *t;

	counted(&s);
	for (i = 0; i < sizeof(dialects) / sizeof(dialects[0]); i++) {
		t = kernel_text(dialects[i], &s);
		CHECK_CONTAINS(t, "linmap_leaves{level=\"pte\"} 9000\n");
		CHECK_CONTAINS(t, "linmap_leaf_bytes{level=\"pud\"} 2147483648\n");
		CHECK_CONTAINS(t, "linmap_page_table_pages 20\n");
		CHECK_CONTAINS(t, "linmap_mapped_bytes 4294967296\n");
		CHECK_CONTAINS(t, "linmap_splits_total{level=\"pmd\"} 18\n");
		CHECK_CONTAINS(t, "linmap_freed_page_tables_total 3\n");
		CHECK(!strstr(t, "linmap_ideal_leaves"));
		CHECK(!strstr(t, "linmap_restoration_ratio"));
		CHECK(!strstr(t, "linmap_invalid_entries"));
		free(t);
	}
	/* A walk has them, invalid entries included. */
	fragmented(&s);
	t = kernel_text(METRICS_OPENMETRICS, &s);
	CHECK_CONTAINS(t, "linmap_invalid_entries 7\n");
	CHECK_CONTAINS(t, "# TYPE linmap_restoration_ratio gauge\n");
	free(t);
}

/*
 * Split tracking: the region size and the marked regions, as gauges, from
 * the counters or a walk; left out (not 0) without split tracking or for
 * a range.
 */
static void test_split_tracking_families(void)
{
	static const enum metrics_dialect dialects[] = {
		METRICS_PROMETHEUS, METRICS_OPENMETRICS,
	};
	struct lc_caps old_caps = caps;
	struct lc_stats s;
	size_t i;
	char *t;

	for (i = 0; i < sizeof(dialects) / sizeof(dialects[0]); i++) {
		counted(&s);
		t = kernel_text(dialects[i], &s);
		CHECK_CONTAINS(t, "# TYPE linmap_marked_regions gauge\n");
		CHECK_CONTAINS(t, "linmap_marked_regions 2\n");
		CHECK_CONTAINS(t, "# TYPE linmap_region_bytes gauge\n");
		CHECK_CONTAINS(t, "linmap_region_bytes 1073741824\n");
		free(t);
		fragmented(&s);
		t = kernel_text(dialects[i], &s);
		CHECK_CONTAINS(t, "linmap_marked_regions 2\n");
		free(t);
	}
	t = kernel_text(METRICS_OPENMETRICS, &s);
	CHECK_CONTAINS(t, "# UNIT linmap_region_bytes bytes\n");
	CHECK(!strstr(t, "# UNIT linmap_marked_regions"));
	free(t);

	/* A kernel before split tracking. */
	old_caps.region_size = 0;
	s.has_marked_regions = false;
	s.marked_regions = 0;
	t = kernel_text_of(METRICS_PROMETHEUS, &old_caps, &s);
	CHECK(!strstr(t, "linmap_marked_regions"));
	CHECK(!strstr(t, "linmap_region_bytes"));
	CHECK_CONTAINS(t, "linmap_leaves{level=\"pte\"} 9000\n");
	free(t);
}

static void test_leaf_sizes_per_granule(void)
{
	CHECK_U64(metrics_leaf_bytes(4096, LC_LEVEL_CONT_PTE), 64 << 10);
	CHECK_U64(metrics_leaf_bytes(4096, LC_LEVEL_CONT_PMD), 32 << 20);
	CHECK_U64(metrics_leaf_bytes(4096, LC_LEVEL_PUD), 1ULL << 30);
	CHECK_U64(metrics_leaf_bytes(16384, LC_LEVEL_CONT_PTE), 2 << 20);
	CHECK_U64(metrics_leaf_bytes(16384, LC_LEVEL_PMD), 32 << 20);
	CHECK_U64(metrics_leaf_bytes(16384, LC_LEVEL_CONT_PMD), 1ULL << 30);
	CHECK_U64(metrics_leaf_bytes(65536, LC_LEVEL_CONT_PTE), 2 << 20);
	CHECK_U64(metrics_leaf_bytes(65536, LC_LEVEL_PMD), 512 << 20);
	CHECK_U64(metrics_leaf_bytes(65536, LC_LEVEL_CONT_PMD), 16ULL << 30);
	CHECK_U64(metrics_leaf_bytes(8192, LC_LEVEL_PTE), 0);
}

static void test_label_values_are_escaped(void)
{
	struct metrics m;
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);

	metrics_begin(&m, out, METRICS_PROMETHEUS);
	metrics_family(&m, "x_things", METRICS_GAUGE, NULL, "Things.");
	metrics_sample_u64(&m, "name", "a\"b\\c\nd", 1);
	metrics_sample(&m, NULL, NULL, INFINITY);
	metrics_end(&m);
	fclose(out);
	CHECK_CONTAINS(text, "x_things{name=\"a\\\"b\\\\c\\nd\"} 1\n");
	CHECK_CONTAINS(text, "x_things +Inf\n");
	free(text);
}

static void test_daemon_state_and_totals(void)
{
	struct lc_stats s;
	struct policy p;
	char *t, *again;

	collapsed_once(&p, &s);
	t = daemon_text(METRICS_PROMETHEUS, &p, &s, SEC(160));
	CHECK_CONTAINS(t, "collapsed_state{state=\"idle\"} 1\n");
	CHECK_CONTAINS(t, "collapsed_state{state=\"collapsing\"} 0\n");
	CHECK_CONTAINS(t, "collapsed_collapses_total 1\n");
	CHECK_CONTAINS(t, "collapsed_folds_total{level=\"pmd\"} 500\n");
	CHECK_CONTAINS(t, "collapsed_freed_bytes_total 2048000\n");
	CHECK_CONTAINS(t, "collapsed_kernel_skips_total{reason=\"pkey\"} 3\n");
	CHECK_CONTAINS(t, "collapsed_collapse_seconds_total 1.5\n");
	CHECK_CONTAINS(t, "collapsed_last_collapse_timestamp_seconds 1700000100\n");
	CHECK_CONTAINS(t, "collapsed_last_collapse_duration_seconds 1.5\n");
	CHECK_CONTAINS(t, "# TYPE collapsed_last_collapse_longest_hold_seconds gauge\n");
	CHECK_CONTAINS(t, "collapsed_last_collapse_longest_hold_seconds 0.00025\n");
	CHECK_CONTAINS(t, "# TYPE collapsed_regions_scanned_total counter\n");
	CHECK_CONTAINS(t, "collapsed_regions_scanned_total 5\n");
	CHECK_CONTAINS(t, "linmap_marked_regions 2\n");
	CHECK_CONTAINS(t, "linmap_leaves{level=\"pte\"} 9000\n");
	/* Later, with nothing new: the same text, so nothing to rewrite. */
	again = daemon_text(METRICS_PROMETHEUS, &p, &s, SEC(400));
	CHECK_STR(again, t);
	free(t);
	free(again);
}

/* A kernel before split tracking counts no regions: no family, not 0. */
static void test_daemon_without_split_tracking_leaves_regions_out(void)
{
	struct lc_caps old_caps = caps;
	struct lc_stats s;
	struct policy p;
	char *t;

	collapsed_once(&p, &s);
	old_caps.region_size = 0;
	s.has_marked_regions = false;
	t = daemon_text_of(METRICS_PROMETHEUS, &old_caps, &p, &s, SEC(160));
	CHECK(!strstr(t, "regions"));
	CHECK(!strstr(t, "linmap_region_bytes"));
	CHECK_CONTAINS(t, "collapsed_collapses_total 1\n");
	free(t);
	t = daemon_text_of(METRICS_OPENMETRICS, NULL, &p, NULL, SEC(160));
	CHECK(!strstr(t, "regions"));
	free(t);
}

/*
 * The last collapse's longest lock hold: a gauge in seconds, in both
 * dialects; left out (not 0) when the kernel did not say.
 */
static void test_daemon_longest_hold_only_when_the_kernel_said(void)
{
	struct lc_stats s;
	struct policy p;
	char *t;

	collapsed_once(&p, &s);
	t = daemon_text(METRICS_OPENMETRICS, &p, &s, SEC(160));
	CHECK_CONTAINS(t, "# TYPE collapsed_last_collapse_longest_hold_seconds gauge\n");
	CHECK_CONTAINS(t, "# UNIT collapsed_last_collapse_longest_hold_seconds seconds\n");
	CHECK_CONTAINS(t, "collapsed_last_collapse_longest_hold_seconds 0.00025\n");
	free(t);

	collapsed_once_held(&p, &s, false);
	t = daemon_text(METRICS_PROMETHEUS, &p, &s, SEC(160));
	CHECK(!strstr(t, "longest_hold"));
	CHECK_CONTAINS(t, "collapsed_last_collapse_duration_seconds 1.5\n");
	free(t);
	t = daemon_text(METRICS_OPENMETRICS, &p, &s, SEC(160));
	CHECK(!strstr(t, "longest_hold"));
	free(t);
}

static void test_textfile_is_replaced_atomically_and_readable(void)
{
	char dir[] = "/tmp/linmap-metrics-XXXXXX";
	char path[256];
	struct stat st;
	struct dirent *e;
	mode_t old = umask(077);	/* as the unit's UMask= */
	int entries = 0;
	FILE *f;
	char buf[64] = "";
	DIR *d;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/linmap.prom", dir);
	CHECK_INT(status_metrics_write(path, "a 1\n"), 0);
	CHECK_INT(status_metrics_write(path, "a 2\n"), 0);
	umask(old);
	CHECK_INT(stat(path, &st), 0);
	CHECK_INT(st.st_mode & 0777, 0644);
	f = fopen(path, "r");
	CHECK(f && fgets(buf, sizeof(buf), f));
	if (f)
		fclose(f);
	CHECK_STR(buf, "a 2\n");
	/* No temporary file is left behind. */
	d = opendir(dir);
	while (d && (e = readdir(d)))
		entries += e->d_name[0] != '.';
	if (d)
		closedir(d);
	CHECK_INT(entries, 1);
	/* A directory that does not exist: an error, nothing half written. */
	snprintf(path, sizeof(path), "%s/missing/linmap.prom", dir);
	CHECK_INT(status_metrics_write(path, "a 3\n"), -ENOENT);
	snprintf(path, sizeof(path), "%s/linmap.prom", dir);
	unlink(path);
	rmdir(dir);
}

static int write_text(const char *dir, const char *name, char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!text || !f || fputs(text, f) < 0 || fclose(f)) {
		perror(path);
		free(text);
		return 1;
	}
	free(text);
	return 0;
}

/*
 * The daemon's documents, and collapsectl status's as a user (the kernel's
 * counters, without the walk's families).
 */
static int dump(const char *dir)
{
	const struct { const char *name; enum metrics_dialect d; } files[] = {
		{ "daemon.prom", METRICS_PROMETHEUS },
		{ "daemon.om", METRICS_OPENMETRICS },
	};
	struct lc_stats s;
	struct policy p;
	size_t i;

	collapsed_once(&p, &s);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (write_text(dir, files[i].name,
			       daemon_text(files[i].d, &p, &s, SEC(160))))
			return 1;
	counted(&s);
	if (write_text(dir, "counts.prom", kernel_text(METRICS_PROMETHEUS, &s)) ||
	    write_text(dir, "counts.om", kernel_text(METRICS_OPENMETRICS, &s)))
		return 1;
	return 0;
}

static const struct tap_test tests[] = {
	TAP_TEST(test_counters_are_named_as_each_dialect_wants),
	TAP_TEST(test_kernel_values),
	TAP_TEST(test_counters_only_leave_out_the_walks_families),
	TAP_TEST(test_split_tracking_families),
	TAP_TEST(test_leaf_sizes_per_granule),
	TAP_TEST(test_label_values_are_escaped),
	TAP_TEST(test_daemon_state_and_totals),
	TAP_TEST(test_daemon_without_split_tracking_leaves_regions_out),
	TAP_TEST(test_daemon_longest_hold_only_when_the_kernel_said),
	TAP_TEST(test_textfile_is_replaced_atomically_and_readable),
};

int main(int argc, char **argv)
{
	config_defaults(&cfg);
	if (argc == 3 && !strcmp(argv[1], "--dump"))
		return dump(argv[2]);
	return tap_run(tests, sizeof(tests) / sizeof(tests[0]));
}
