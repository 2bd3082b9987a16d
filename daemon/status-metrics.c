// SPDX-License-Identifier: GPL-2.0
/*
 * collapsed's metrics (see status-metrics.h).  The daemon writes them when
 * they change, after an event it handled anyway: the file costs no wakeup.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "policy.h"
#include "status-metrics.h"

#define NSEC_PER_SEC_F	1e9

static const char *const policy_skip_names[POLICY_SKIP_NR] = {
	[POLICY_SKIP_LOW_GAIN]		= "low_gain",
	[POLICY_SKIP_INTERRUPTED]	= "interrupted",
	[POLICY_SKIP_FAILED]		= "failed",
};

static const char *const state_names[] = {
	"starting", "idle", "settling", "backoff", "checking", "collapsing",
	"degraded",
};

static void counter(struct metrics *m, const char *name, const char *help,
		    uint64_t value)
{
	metrics_single(m, name, METRICS_COUNTER, NULL, help, value);
}

static void daemon_families(struct metrics *m, const struct status_view *v)
{
	const struct policy *p = v->policy;
	const char *state = policy_state_name(p);
	size_t i;

	metrics_family(m, "collapsed_state", METRICS_GAUGE, NULL,
		       "1 for the state collapsed is in, 0 for the others.");
	for (i = 0; i < sizeof(state_names) / sizeof(state_names[0]); i++)
		metrics_sample_u64(m, "state", state_names[i],
				   !strcmp(state, state_names[i]));
	metrics_family(m, "collapsed_quiet_period_seconds", METRICS_GAUGE,
		       "seconds",
		       "Quiet period in force (grows while collapses ping-pong).");
	metrics_sample(m, NULL, NULL,
		       (double)policy_quiet_in_force(p) / NSEC_PER_SEC_F);
	counter(m, "collapsed_split_events", "Split events received.",
		p->split_events);
	counter(m, "collapsed_change_events",
		"Events that told of attribute changes and no splits.",
		p->change_events);
	counter(m, "collapsed_lost_events",
		"Times the kernel dropped events and collapsed resynchronised.",
		p->lost_events);
	counter(m, "collapsed_collapses", "Collapses finished.", p->collapses);
	counter(m, "collapsed_collapse_steps", "Collapse requests sent.",
		p->collapse_steps);
	/* Split tracking: left out for a kernel that does not count regions. */
	if (v->caps && v->caps->region_size)
		counter(m, "collapsed_regions_scanned",
			"Regions of the linear map collapsed's collapses visited.",
			p->regions_scanned);
	metrics_family(m, "collapsed_folds", METRICS_COUNTER, NULL,
		       "Leaves collapsed's collapses created, per level.");
	for (i = 0; i < LC_LEVEL_NR; i++)
		metrics_sample_u64(m, "level", lc_level_name((enum lc_level)i),
				   p->folds[i]);
	counter(m, "collapsed_freed_page_tables",
		"Page-table pages collapsed's collapses freed.", p->tables_freed);
	metrics_single(m, "collapsed_freed_bytes", METRICS_COUNTER, "bytes",
		       "Bytes of page-table memory collapsed's collapses freed.",
		       p->bytes_freed);
	metrics_family(m, "collapsed_collapse_seconds", METRICS_COUNTER,
		       "seconds",
		       "Time the kernel spent in collapsed's collapses.");
	metrics_sample(m, NULL, NULL, (double)p->nsecs / NSEC_PER_SEC_F);
	metrics_family(m, "collapsed_kernel_skips", METRICS_COUNTER, NULL,
		       "Fold candidates the kernel left alone, per reason.");
	for (i = 0; i < LC_SKIP_NR; i++)
		metrics_sample_u64(m, "reason", lc_skip_name((enum lc_skip)i),
				   p->kernel_skips[i]);
	metrics_family(m, "collapsed_skips", METRICS_COUNTER, NULL,
		       "Collapses collapsed did not start or finish, per reason.");
	for (i = 0; i < POLICY_SKIP_NR; i++)
		metrics_sample_u64(m, "reason", policy_skip_names[i],
				   p->skips[i]);
	counter(m, "collapsed_pingpongs",
		"Splits soon after a collapse (the quiet period doubles).",
		p->pingpongs);
	counter(m, "collapsed_errors", "Requests to the kernel that failed.",
		p->errors);
	counter(m, "collapsed_steady_runs",
		"Collapses of quiet memory while splits went on.",
		p->steady_runs);
	counter(m, "collapsed_steady_deferred",
		"Steady collapses put off for the CPU budget (steady_cpu).",
		p->cpu_deferred);
	counter(m, "collapsed_young_page_tables",
		"PTE tables the kernel left alone for being younger than the minimum age.",
		p->young);
	if (p->has_kernel_pingpongs)
		counter(m, "collapsed_kernel_pingpongs",
			"The kernel's ping-pongs since boot: blocks split again soon after a collapse built them.",
			p->kernel_pingpongs);
	metrics_family(m, "collapsed_cpu_seconds", METRICS_COUNTER, "seconds",
		       "CPU time collapsed itself used, user and system.");
	metrics_sample(m, NULL, NULL, (double)v->cpu_nsecs / NSEC_PER_SEC_F);
	if (p->has_ratio) {
		metrics_family(m, "collapsed_restoration_average_ratio",
			       METRICS_GAUGE, NULL,
			       "Leaves / ideal averaged over time, from collapsed's first look at the map to its last (each look holding until the next).");
		metrics_sample(m, NULL, NULL,
			       policy_restoration_average(p, p->last_ratio_at));
	}
	metrics_family(m, "collapsed_min_age_seconds", METRICS_GAUGE, "seconds",
		       "Minimum age of the memory a steady collapse folds.");
	metrics_sample(m, NULL, NULL, (double)policy_min_age_msecs(p) / 1000);
	if (!p->has_last)
		return;
	metrics_family(m, "collapsed_last_collapse_timestamp_seconds",
		       METRICS_GAUGE, "seconds",
		       "When the last collapse finished (Unix time).");
	metrics_sample(m, NULL, NULL,
		       (double)(int64_t)(v->now_real -
					 (double)(v->now - p->last_done) /
					 NSEC_PER_SEC_F));
	metrics_family(m, "collapsed_last_collapse_duration_seconds",
		       METRICS_GAUGE, "seconds",
		       "Kernel time the last collapse took, all its steps.");
	metrics_sample(m, NULL, NULL, (double)p->last.nsecs / NSEC_PER_SEC_F);
	/* Split tracking's kernels say; left out for the others, not 0. */
	if (p->last.has_longest_hold) {
		metrics_family(m, "collapsed_last_collapse_longest_hold_seconds",
			       METRICS_GAUGE, "seconds",
			       "Longest time the last collapse held the kernel's pgtable_split_lock for one region.");
		metrics_sample(m, NULL, NULL,
			       (double)p->last.longest_hold_nsecs /
			       NSEC_PER_SEC_F);
	}
	metrics_family(m, "collapsed_last_collapse_freed_bytes", METRICS_GAUGE,
		       "bytes", "Page-table memory the last collapse freed.");
	metrics_sample_u64(m, NULL, NULL, p->last.bytes_freed);
}

char *status_metrics(const struct status_view *view,
		     enum metrics_dialect dialect)
{
	struct metrics m;
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);
	int err;

	if (!out)
		return NULL;
	metrics_begin(&m, out, dialect);
	metrics_kernel(&m, view->caps, view->stats);
	daemon_families(&m, view);
	err = metrics_end(&m);
	if (fclose(out) || err) {
		free(text);
		return NULL;
	}
	return text;
}

int status_metrics_write(const char *path, const char *text)
{
	size_t len = strlen(text), done = 0;
	char tmp[4096];
	ssize_t n;
	int fd, err = 0;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid()) >=
	    (int)sizeof(tmp))
		return -ENAMETOOLONG;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
		  0644);
	if (fd < 0)
		return -errno;
	/* The unit's UMask=0077 would leave it unreadable for node_exporter. */
	if (fchmod(fd, 0644) < 0)
		err = -errno;
	while (!err && done < len) {
		n = write(fd, text + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			err = -errno;
		else
			done += (size_t)n;
	}
	if (close(fd) < 0 && !err)
		err = -errno;
	if (!err && rename(tmp, path) < 0)
		err = -errno;
	if (err)
		unlink(tmp);
	return err;
}
