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

#include <libcollapse.h>

enum print_format {
	PRINT_TABLE,
	PRINT_JSON,
};

struct print_ops {
	/*
	 * "status": capabilities and leaf statistics.  Returns 0 or a
	 * negative errno (-ENOMEM); write errors show in ferror(out).
	 */
	int (*status)(FILE *out, const struct lc_caps *caps,
		      const struct lc_stats *stats);
};

extern const struct print_ops print_table_ops;
extern const struct print_ops print_json_ops;

const struct print_ops *print_ops_get(enum print_format format);

#endif /* COLLAPSECTL_PRINT_H */
