/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which statistics "collapsectl status" asks for.  A walk of the linear
 * map's tables gives the ideal leaf count, the restoration and the invalid
 * entries, and needs CAP_SYS_ADMIN; the kernel's counters (leaves per
 * level, page-table pages, mapped bytes, counters since boot) are open to
 * every user.  So root walks unless told --counts, everyone else reads the
 * counters, and a root whose walk the kernel refuses anyway (no
 * CAP_SYS_ADMIN in the initial user namespace) falls back to the counters.
 */
#ifndef COLLAPSECTL_STATUS_STATS_H
#define COLLAPSECTL_STATUS_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include <libcollapse.h>

/* Whether "status" asks for a walk: with effective uid 0, unless --counts. */
bool status_wants_walk(bool counts_only, uid_t euid);

/*
 * Read the statistics of the whole map (@range NULL) or of @range; with
 * @walk, from a walk (LC_STATS_WALK).  A walk of the whole map refused with
 * -EPERM is asked again without it: then 0, with the kernel's refusal in
 * @refusal (otherwise ""), and stats->walked false.  A range cannot fall
 * back (it is always walked).  Returns 0 or a negative errno, with the text
 * in lc_strerror(@ctx).
 */
int status_read_stats(struct lc_ctx *ctx, const struct lc_range *range,
		      bool walk, struct lc_stats *stats, char *refusal,
		      size_t refusal_size);

#endif /* COLLAPSECTL_STATUS_STATS_H */
