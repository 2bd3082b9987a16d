// SPDX-License-Identifier: GPL-2.0
/*
 * The statistics "collapsectl status" shows (status-stats.h).  The choice
 * is made by the effective uid, not by probing: an unprivileged status
 * sends one request and prints no error.
 */
#include <errno.h>
#include <stdio.h>

#include "status-stats.h"

bool status_wants_walk(bool counts_only, uid_t euid)
{
	return !counts_only && euid == 0;
}

int status_read_stats(struct lc_ctx *ctx, const struct lc_range *range,
		      bool walk, struct lc_stats *stats, char *refusal,
		      size_t refusal_size)
{
	int err;

	if (refusal_size)
		refusal[0] = '\0';
	err = lc_get_stats_flags(ctx, range, walk ? LC_STATS_WALK : 0, stats,
				 sizeof(*stats));
	if (err != -EPERM || !walk || range)
		return err;
	snprintf(refusal, refusal_size, "%s", lc_strerror(ctx));
	return lc_get_stats(ctx, NULL, stats, sizeof(*stats));
}
