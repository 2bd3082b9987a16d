// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The running total of a collapse made in budgeted steps: the first step's
 * range and mode (dry run, full scan), the counters added up (the regions
 * scanned known only if every step said), the longest lock hold of any
 * step (a maximum, not a sum; known only if every step said), and only the
 * latest step's budget skips and cursor (the earlier stops were resumed).
 * Not exported: the library's lc_collapse_all() uses it, and collapsed,
 * which steps a collapse itself, compiles this file in.
 */

#include <stdbool.h>

#include "libcollapse.h"
#include "collapse-sum.h"

void lc_collapse_result_add(struct lc_collapse_result *sum,
				      const struct lc_collapse_result *step,
				      bool first)
{
	int i;

	if (first) {
		sum->has_range = step->has_range;
		sum->start = step->start;
		sum->end = step->end;
		sum->dry_run = step->dry_run;
		sum->full_scan = step->full_scan;
		sum->has_regions_scanned = step->has_regions_scanned;
		sum->has_longest_hold = step->has_longest_hold;
		sum->longest_hold_nsecs = step->longest_hold_nsecs;
		sum->min_age_msecs = step->min_age_msecs;
	} else {
		if (!step->has_regions_scanned)
			sum->has_regions_scanned = false;
		if (!step->has_longest_hold)
			sum->has_longest_hold = false;
		if (step->longest_hold_nsecs > sum->longest_hold_nsecs)
			sum->longest_hold_nsecs = step->longest_hold_nsecs;
	}
	sum->regions_scanned += step->regions_scanned;
	sum->tables_scanned += step->tables_scanned;
	for (i = 0; i < LC_LEVEL_NR; i++)
		sum->folds[i] += step->folds[i];
	sum->tables_freed += step->tables_freed;
	sum->bytes_freed += step->bytes_freed;
	for (i = 0; i < LC_SKIP_NR; i++)
		if (i != LC_SKIP_BUDGET)
			sum->skips[i] += step->skips[i];
	/* Only the last stop for the budget stands: the others were resumed. */
	sum->skips[LC_SKIP_BUDGET] = step->skips[LC_SKIP_BUDGET];
	sum->has_next = step->has_next;
	sum->next = step->next;
	sum->nsecs += step->nsecs;
	sum->young += step->young;
	/* A count since boot: the latest step's */
	sum->has_pingpongs = step->has_pingpongs;
	sum->pingpongs = step->pingpongs;
}
