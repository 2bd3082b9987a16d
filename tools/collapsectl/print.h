/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Output of collapsectl, one interface with one implementation per format
 * (as nvme-cli's nvme-print.h): print-table.c for people, print-json.c for
 * programs.  A new command adds a hook here and to both implementations, so
 * every command has --json.
 */
#ifndef COLLAPSECTL_PRINT_H
#define COLLAPSECTL_PRINT_H

#include <stdio.h>
#include <time.h>

#include <cjson/cJSON.h>
#include <libcollapse.h>

enum print_format {
	PRINT_TABLE,
	PRINT_JSON,
};

/*
 * Every hook returns 0 or a negative errno (-ENOMEM); write errors show in
 * ferror(out).
 */
struct print_ops {
	/* "status": capabilities, leaf statistics and counters since boot. */
	int (*status)(FILE *out, const struct lc_caps *caps,
		      const struct lc_stats *stats);
	/*
	 * "collapse": what @result says was done for @req.  When the budget
	 * ran out, the table says how to continue (with @req's options).
	 */
	int (*collapse)(FILE *out, const struct lc_collapse_req *req,
			const struct lc_collapse_result *result);
	/* "watch": one line for the event @ev, received at @when. */
	int (*event)(FILE *out, const struct lc_event *ev, time_t when);
	/* "watch": one line with the state after events were lost. */
	int (*lost)(FILE *out, const struct lc_stats *stats, time_t when);
	/*
	 * "daemon": collapsed's status document, as received (@text) and
	 * parsed (@doc).  JSON passes @text through unchanged (its integers
	 * are exact); the table reads the keys it knows from @doc.
	 */
	int (*daemon)(FILE *out, const char *text, const cJSON *doc);
};

/*
 * The options a "continue with" command repeats from @req (" --dry-run",
 * " --full", " --min-age Nms"), in @buf.
 */
const char *print_continue_options(char *buf, size_t size,
				   const struct lc_collapse_req *req);

extern const struct print_ops print_table_ops;
extern const struct print_ops print_json_ops;

const struct print_ops *print_ops_get(enum print_format format);

#endif /* COLLAPSECTL_PRINT_H */
