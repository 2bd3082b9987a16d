// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Size-versioned structures (see libcollapse-private.h): how a structure
 * the caller allocated can grow under one SONAME.  The rule is the one the
 * kernel applies to extensible syscall arguments (clone3, openat2).
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "libcollapse-private.h"

/* Sizes the first version froze; a change here breaks old callers. */
_Static_assert(sizeof(struct lc_caps) >= LC_CAPS_SIZE_VER1, "lc_caps shrank");
_Static_assert(sizeof(struct lc_stats) >= LC_STATS_SIZE_VER1, "lc_stats shrank");
_Static_assert(sizeof(struct lc_stats) >= LC_STATS_SIZE_VER2, "lc_stats shrank");
/* The second version's field lies beyond the first version's end. */
_Static_assert(offsetof(struct lc_stats, walked) >= LC_STATS_SIZE_VER1,
	       "lc_stats.walked inside the first version");
_Static_assert(sizeof(struct lc_collapse_req) >= LC_COLLAPSE_REQ_SIZE_VER1,
	       "lc_collapse_req shrank");
_Static_assert(sizeof(struct lc_collapse_result) >= LC_COLLAPSE_RESULT_SIZE_VER1,
	       "lc_collapse_result shrank");
_Static_assert(sizeof(struct lc_event) >= LC_EVENT_SIZE_VER1, "lc_event shrank");

/* Split tracking: every new field lies beyond the end of the version before. */
_Static_assert(sizeof(struct lc_caps) >= LC_CAPS_SIZE_VER2, "lc_caps shrank");
_Static_assert(offsetof(struct lc_caps, region_size) >= LC_CAPS_SIZE_VER1,
	       "lc_caps.region_size inside the first version");
_Static_assert(sizeof(struct lc_stats) >= LC_STATS_SIZE_VER3, "lc_stats shrank");
_Static_assert(offsetof(struct lc_stats, marked_regions) >= LC_STATS_SIZE_VER2 &&
	       offsetof(struct lc_stats, has_marked_regions) >= LC_STATS_SIZE_VER2,
	       "lc_stats.marked_regions inside the second version");
_Static_assert(sizeof(struct lc_collapse_req) >= LC_COLLAPSE_REQ_SIZE_VER2,
	       "lc_collapse_req shrank");
/*
 * An input: the first version ends in padding (after dry_run), which a
 * program built against its header may leave uninitialised; full_scan must
 * not lie there, or such a program would ask for full scans by chance.
 */
_Static_assert(offsetof(struct lc_collapse_req, full_scan) >= LC_COLLAPSE_REQ_SIZE_VER1,
	       "lc_collapse_req.full_scan inside the first version");
_Static_assert(sizeof(struct lc_collapse_result) >= LC_COLLAPSE_RESULT_SIZE_VER2,
	       "lc_collapse_result shrank");
_Static_assert(offsetof(struct lc_collapse_result, regions_scanned) >=
	       LC_COLLAPSE_RESULT_SIZE_VER1 &&
	       offsetof(struct lc_collapse_result, has_regions_scanned) >=
	       LC_COLLAPSE_RESULT_SIZE_VER1 &&
	       offsetof(struct lc_collapse_result, full_scan) >=
	       LC_COLLAPSE_RESULT_SIZE_VER1,
	       "lc_collapse_result's split tracking inside the first version");
_Static_assert(sizeof(struct lc_event) >= LC_EVENT_SIZE_VER2, "lc_event shrank");

/* The longest lock hold: beyond the end of the split-tracking version. */
_Static_assert(sizeof(struct lc_collapse_result) >= LC_COLLAPSE_RESULT_SIZE_VER3,
	       "lc_collapse_result shrank");
_Static_assert(offsetof(struct lc_collapse_result, longest_hold_nsecs) >=
	       LC_COLLAPSE_RESULT_SIZE_VER2 &&
	       offsetof(struct lc_collapse_result, has_longest_hold) >=
	       LC_COLLAPSE_RESULT_SIZE_VER2,
	       "lc_collapse_result.longest_hold_nsecs inside the second version");
_Static_assert(sizeof(struct lc_event) >= LC_EVENT_SIZE_VER3, "lc_event shrank");

/* Minimum ages and ping-pongs: beyond the end of the previous versions. */
_Static_assert(sizeof(struct lc_caps) == LC_CAPS_SIZE_VER3 &&
	       offsetof(struct lc_caps, pingpong_msecs) >= LC_CAPS_SIZE_VER2,
	       "lc_caps.pingpong_msecs inside the previous version");
_Static_assert(sizeof(struct lc_stats) == LC_STATS_SIZE_VER4 &&
	       offsetof(struct lc_stats, pingpongs) >= LC_STATS_SIZE_VER3,
	       "lc_stats.pingpongs inside the previous version");
_Static_assert(sizeof(struct lc_collapse_req) == LC_COLLAPSE_REQ_SIZE_VER3 &&
	       offsetof(struct lc_collapse_req, min_age_msecs) >=
	       LC_COLLAPSE_REQ_SIZE_VER2,
	       "lc_collapse_req.min_age_msecs inside the previous version");
_Static_assert(sizeof(struct lc_collapse_result) == LC_COLLAPSE_RESULT_SIZE_VER4 &&
	       offsetof(struct lc_collapse_result, young) >=
	       LC_COLLAPSE_RESULT_SIZE_VER3,
	       "lc_collapse_result.young inside the previous version");
_Static_assert(sizeof(struct lc_event) == LC_EVENT_SIZE_VER4 &&
	       offsetof(struct lc_event, split.pingpongs) < LC_EVENT_SIZE_VER1,
	       "lc_event changed shape");

/* Change events: inside the union, which the collapse result sizes. */
_Static_assert(sizeof(struct lc_event) == LC_EVENT_SIZE_VER4 &&
	       offsetof(struct lc_event, split.has_changes) < LC_EVENT_SIZE_VER1,
	       "lc_event changed shape");

int lc_abi_check_size(struct lc_ctx *ctx, const char *op, const char *what,
		      size_t size, size_t min)
{
	if (size >= min)
		return 0;
	return lc_error_set(ctx, -EINVAL,
			    "%s: %s: %s of %zu bytes is smaller than its first version (%zu bytes): pass sizeof(%s)",
			    op, strerror(EINVAL), what, size, min, what);
}

void lc_abi_copy_out(void *dst, size_t size, const void *src, size_t src_size)
{
	memcpy(dst, src, size < src_size ? size : src_size);
	if (size > src_size)
		memset((char *)dst + src_size, 0, size - src_size);
}

int lc_abi_copy_in(void *dst, size_t dst_size, const void *src, size_t size)
{
	const unsigned char *extra = src;
	size_t i;

	memset(dst, 0, dst_size);
	if (!src)
		return 0;
	memcpy(dst, src, size < dst_size ? size : dst_size);
	for (i = dst_size; i < size; i++)
		if (extra[i])
			return -E2BIG;
	return 0;
}
