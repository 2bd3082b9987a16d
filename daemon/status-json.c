// SPDX-License-Identifier: GPL-2.0
/*
 * The status document.  As in collapsectl's print-json.c, integers are
 * written as raw decimal text (cJSON keeps numbers as doubles, which would
 * round counters above 2^53); times are seconds as JSON numbers (monotonic
 * deadlines relative to now, past events as Unix times).
 */
#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "duration.h"
#include "json-u64.h"
#include "status-json.h"
#include "status-text.h"

static void add_seconds(cJSON *obj, const char *key, uint64_t ns)
{
	cJSON_AddNumberToObject(obj, key, (double)ns / NSEC_PER_SEC);
}

/* The kernel has split tracking: it reported a region size. */
static bool split_tracking(const struct status_view *v)
{
	return v->caps && v->caps->region_size;
}

static void add_string_or_null(cJSON *obj, const char *key, const char *s)
{
	if (s && *s)
		cJSON_AddStringToObject(obj, key, s);
	else
		cJSON_AddNullToObject(obj, key);
}

/*
 * @s with every hexadecimal number ("0x40000000": physical addresses in the
 * kernel's and libcollapse's messages) replaced by STATUS_ADDRESS_HIDDEN.
 */
void status_hide_addresses(char *dst, size_t size, const char *s)
{
	size_t len = 0, n;

	if (!size)
		return;
	while (*s && len + 1 < size) {
		if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') &&
		    isxdigit((unsigned char)s[2])) {
			for (s += 2; isxdigit((unsigned char)*s); s++)
				;
			n = snprintf(dst + len, size - len, "%s",
				     STATUS_ADDRESS_HIDDEN);
			len = n < size - len ? len + n : size - 1;
			continue;
		}
		dst[len++] = *s++;
	}
	dst[len] = '\0';
}

/* A text that may hold addresses: as is for root, hidden for others. */
static void add_text(cJSON *obj, const char *key, const char *s,
		     const struct status_view *v)
{
	char hidden[1024];

	if (s && *s && !v->show_addresses) {
		status_hide_addresses(hidden, sizeof(hidden), s);
		s = hidden;
	}
	add_string_or_null(obj, key, s);
}

static void add_duration(cJSON *obj, const char *key, uint64_t ns)
{
	char buf[48];

	duration_format(buf, sizeof(buf), ns);
	cJSON_AddStringToObject(obj, key, buf);
}

static void add_levels(cJSON *obj, const char *key, const uint64_t *counts)
{
	cJSON *levels = cJSON_AddObjectToObject(obj, key);
	int i;

	if (levels)
		for (i = 0; i < LC_LEVEL_NR; i++)
			json_add_u64(levels, lc_level_name((enum lc_level)i),
				     counts[i]);
}

static void add_skips(cJSON *obj, const char *key, const uint64_t *skips)
{
	cJSON *reasons = cJSON_AddObjectToObject(obj, key);
	int i;

	if (reasons)
		for (i = 0; i < LC_SKIP_NR; i++)
			json_add_u64(reasons, lc_skip_name((enum lc_skip)i),
				     skips[i]);
}

/* A past CLOCK_MONOTONIC instant as a Unix time. */
static double unix_time(const struct status_view *v, uint64_t mono)
{
	return v->now_real - (double)(v->now - mono) / NSEC_PER_SEC;
}

static void add_policy(cJSON *root, const struct status_view *v)
{
	const struct policy *p = v->policy;
	cJSON *obj = cJSON_AddObjectToObject(root, "policy");
	uint64_t deadline = policy_deadline(p);

	if (!obj)
		return;
	add_seconds(obj, "quiet_period", policy_quiet_in_force(p));
	cJSON_AddNumberToObject(obj, "backoff_level", p->backoff_level);
	if (deadline == POLICY_NO_DEADLINE)
		cJSON_AddNullToObject(obj, "next_deadline");
	else
		add_seconds(obj, "next_deadline",
			    deadline > v->now ? deadline - v->now : 0);
	if (p->split_events || p->change_events)
		cJSON_AddNumberToObject(obj, "last_split",
					unix_time(v, p->last_split));
	else
		cJSON_AddNullToObject(obj, "last_split");
	/* A physical address: root only (null for others). */
	if (p->state == POLICY_COLLAPSING && p->has_cursor && v->show_addresses)
		json_add_u64(obj, "cursor", p->cursor);
	else
		cJSON_AddNullToObject(obj, "cursor");
	cJSON_AddNumberToObject(obj, "steps", p->steps);
	json_add_u64(obj, "gain", policy_gain(p));
	/* steady runs: only with a kernel that takes a minimum age */
	cJSON_AddBoolToObject(obj, "steady",
			      p->min_age_supported && p->steady_interval);
	cJSON_AddNumberToObject(obj, "min_age",
				(double)policy_min_age_msecs(p) / 1000);
	add_seconds(obj, "steady_cpu_used", p->cpu_used);
	/* leaves / ideal, time-weighted from the first look to the last */
	if (p->has_ratio)
		cJSON_AddNumberToObject(obj, "restoration_average",
					policy_restoration_average(p, p->last_ratio_at));
	else
		cJSON_AddNullToObject(obj, "restoration_average");
}

static void add_result(cJSON *obj, const struct lc_collapse_result *r)
{
	/* null from a kernel without split tracking */
	json_add_opt_u64(obj, "regions_scanned", r->has_regions_scanned,
			 r->regions_scanned);
	json_add_u64(obj, "tables_scanned", r->tables_scanned);
	add_levels(obj, "folds", r->folds);
	json_add_u64(obj, "tables_freed", r->tables_freed);
	json_add_u64(obj, "bytes_freed", r->bytes_freed);
	add_skips(obj, "skips", r->skips);
	json_add_u64(obj, "nsecs", r->nsecs);
	/* its longest step; null from a kernel without split tracking */
	json_add_opt_u64(obj, "longest_hold_nsecs", r->has_longest_hold,
			 r->longest_hold_nsecs);
}

static void add_last_collapse(cJSON *root, const struct status_view *v)
{
	const struct policy *p = v->policy;
	cJSON *obj;

	if (!p->has_last) {
		cJSON_AddNullToObject(root, "last_collapse");
		return;
	}
	obj = cJSON_AddObjectToObject(root, "last_collapse");
	if (!obj)
		return;
	cJSON_AddNumberToObject(obj, "when", unix_time(v, p->last_done));
	cJSON_AddBoolToObject(obj, "interrupted", p->last_interrupted);
	cJSON_AddNumberToObject(obj, "steps", p->last_steps);
	add_result(obj, &p->last);
}

static void add_totals(cJSON *root, const struct status_view *v)
{
	const struct policy *p = v->policy;
	cJSON *obj = cJSON_AddObjectToObject(root, "totals");
	cJSON *skips;

	if (!obj)
		return;
	add_seconds(obj, "uptime", v->now - v->started);
	json_add_u64(obj, "split_events", p->split_events);
	json_add_u64(obj, "change_events", p->change_events);
	json_add_u64(obj, "splits", p->splits_seen);
	json_add_u64(obj, "collapses", p->collapses);
	json_add_u64(obj, "collapse_steps", p->collapse_steps);
	/* Counted where the kernel reports it (split tracking), else null. */
	json_add_opt_u64(obj, "regions_scanned", split_tracking(v),
			 p->regions_scanned);
	add_levels(obj, "folds", p->folds);
	json_add_u64(obj, "tables_freed", p->tables_freed);
	json_add_u64(obj, "bytes_freed", p->bytes_freed);
	json_add_u64(obj, "nsecs", p->nsecs);
	add_skips(obj, "kernel_skips", p->kernel_skips);
	skips = cJSON_AddObjectToObject(obj, "skips");
	if (skips) {
		json_add_u64(skips, "low_gain", p->skips[POLICY_SKIP_LOW_GAIN]);
		json_add_u64(skips, "interrupted",
			     p->skips[POLICY_SKIP_INTERRUPTED]);
		json_add_u64(skips, "failed", p->skips[POLICY_SKIP_FAILED]);
	}
	json_add_u64(obj, "pingpongs", p->pingpongs);
	json_add_u64(obj, "resyncs", p->resyncs);
	json_add_u64(obj, "errors", p->errors);
	json_add_u64(obj, "steady_runs", p->steady_runs);
	json_add_u64(obj, "steady_deferred", p->cpu_deferred);
	/* PTE tables the kernel left alone for being younger than min_age */
	json_add_u64(obj, "young", p->young);
	/* the kernel's, since boot; null from a kernel without them */
	json_add_opt_u64(obj, "kernel_pingpongs", p->has_kernel_pingpongs,
			 p->kernel_pingpongs);
	add_seconds(obj, "cpu", v->cpu_nsecs);
}

static void add_caps(cJSON *kernel, const struct lc_caps *caps)
{
	cJSON *obj;

	if (!caps) {
		cJSON_AddNullToObject(kernel, "caps");
		return;
	}
	obj = cJSON_AddObjectToObject(kernel, "caps");
	if (!obj)
		return;
	json_add_u64(obj, "granule", caps->granule);
	cJSON_AddBoolToObject(obj, "bbml3", caps->bbml3);
	cJSON_AddBoolToObject(obj, "block_capable", caps->block_capable);
	add_string_or_null(obj, "reason", caps->reason);
	cJSON_AddBoolToObject(obj, "rodata_full", caps->rodata_full);
	cJSON_AddBoolToObject(obj, "realm", caps->realm);
	cJSON_AddBoolToObject(obj, "poe", caps->poe);
	cJSON_AddBoolToObject(obj, "kfence", caps->kfence);
	json_add_u64(obj, "ram_bytes", caps->ram_bytes);
	json_add_opt_u64(obj, "region_size", caps->region_size != 0,
			 caps->region_size);
}

static void add_stats(cJSON *kernel, const struct lc_stats *stats)
{
	double restoration;
	cJSON *obj;

	if (!stats) {
		cJSON_AddNullToObject(kernel, "stats");
		return;
	}
	obj = cJSON_AddObjectToObject(kernel, "stats");
	if (!obj)
		return;
	/*
	 * The daemon walks (kernel.c), so "walked" is true; were it not, the
	 * walk's figures are null, as in collapsectl status --json.
	 */
	cJSON_AddBoolToObject(obj, "walked", stats->walked);
	add_levels(obj, "leaves", stats->leaves);
	json_add_u64(obj, "leaves_total", lc_stats_leaves_total(stats));
	if (stats->walked)
		json_add_u64(obj, "ideal_leaves", stats->ideal_leaves);
	else
		cJSON_AddNullToObject(obj, "ideal_leaves");
	restoration = stats->walked ? lc_stats_restoration(stats) : NAN;
	if (isfinite(restoration))
		cJSON_AddNumberToObject(obj, "restoration", restoration);
	else
		cJSON_AddNullToObject(obj, "restoration");
	if (stats->walked)
		json_add_u64(obj, "invalid", stats->invalid);
	else
		cJSON_AddNullToObject(obj, "invalid");
	json_add_u64(obj, "table_pages", stats->table_pages);
	json_add_u64(obj, "mapped_bytes", stats->mapped_bytes);
	/* What the next collapse visits; null without split tracking. */
	json_add_opt_u64(obj, "marked_regions", stats->has_marked_regions,
			 stats->marked_regions);
	add_levels(obj, "splits", stats->splits);
	add_levels(obj, "folds", stats->folds);
	json_add_u64(obj, "tables_freed", stats->tables_freed);
}

static void add_config(cJSON *root, const struct status_view *v)
{
	const struct collapsed_config *c = v->config;
	cJSON *obj = cJSON_AddObjectToObject(root, "config");
	char mode[8];

	if (!obj)
		return;
	cJSON_AddStringToObject(obj, "file", v->config_path);
	add_duration(obj, "quiet_period", c->quiet_period);
	add_duration(obj, "quiet_period_max", c->quiet_period_max);
	add_duration(obj, "pingpong_window", c->pingpong_window);
	add_duration(obj, "resync_interval", c->resync_interval);
	json_add_u64(obj, "budget", c->budget);
	json_add_u64(obj, "min_gain", c->min_gain);
	cJSON_AddStringToObject(obj, "socket", c->socket_path);
	snprintf(mode, sizeof(mode), "%04o", (unsigned int)c->socket_mode);
	cJSON_AddStringToObject(obj, "socket_mode", mode);
	add_string_or_null(obj, "socket_group", c->socket_group);
}

char *status_json(const struct status_view *v)
{
	const struct policy *p = v->policy;
	cJSON *root = cJSON_CreateObject(), *kernel;
	char line[256];
	char *text;

	if (!root)
		return NULL;
	cJSON_AddNumberToObject(root, "schema", STATUS_SCHEMA);
	cJSON_AddStringToObject(root, "version", v->version);
	cJSON_AddStringToObject(root, "state", policy_state_name(p));
	if (p->state == POLICY_DEGRADED)
		add_text(root, "degraded_reason", p->degraded_reason, v);
	else
		cJSON_AddNullToObject(root, "degraded_reason");
	status_text(line, sizeof(line), p);
	add_text(root, "status", line, v);
	add_policy(root, v);
	add_last_collapse(root, v);
	add_totals(root, v);
	kernel = cJSON_AddObjectToObject(root, "kernel");
	if (kernel) {
		add_caps(kernel, v->caps);
		add_stats(kernel, v->stats);
	}
	add_config(root, v);
	add_text(root, "last_error", v->last_error, v);
	json_add_u64(root, "events_lost", p->lost_events);

	text = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	return text;
}
