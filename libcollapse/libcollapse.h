/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libcollapse: typed C API over the kernel's "linmap" generic netlink family,
 * which reports (and, later, repairs) how the arm64 linear map is mapped.
 *
 * Conventions:
 * - Every function that can fail returns 0 or a negative errno value.
 *   lc_strerror() then gives the text of that failure, including the
 *   kernel's extended-ack message when it sent one, e.g.
 *   "get-stats: Invalid argument: range end must be above start".
 * - Addresses and ranges are PHYSICAL addresses; a range is [start, end).
 * - A struct lc_ctx is not thread-safe: use one per thread.
 * - Result structures are allocated by the caller.  The ABI only ever grows:
 *   new functions are added under a new symbol version, and a structure that
 *   has to grow comes with a new version of the functions that fill it.
 * - The library holds no policy: it reports what the kernel says.
 */
#ifndef LIBCOLLAPSE_H
#define LIBCOLLAPSE_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Returned by lc_open() when the running kernel has no "linmap" generic
 * netlink family (the linmap-collapse series is not applied or not enabled).
 * Callers that want to run degraded test for this value.
 */
#define LC_ERR_NO_FAMILY	(-ENOENT)

/* Size of struct lc_caps.reason, including the terminating NUL. */
#define LC_REASON_MAX		128

struct lc_ctx;

/*
 * Open a generic netlink socket with extended acks enabled and resolve the
 * "linmap" family.  On success *out holds a new context; on failure *out is
 * NULL and lc_strerror(NULL) gives the text of the failure (kept per thread).
 * Returns LC_ERR_NO_FAMILY (-ENOENT) when the family does not exist.
 */
int lc_open(struct lc_ctx **out);

/* Close the socket and free the context.  NULL is allowed. */
void lc_close(struct lc_ctx *ctx);

/*
 * Text of the last failure on @ctx ("" when the last call succeeded), or,
 * for @ctx == NULL, of the calling thread's last failed lc_open().
 * The string stays valid until the next call on the same context (thread).
 */
const char *lc_strerror(struct lc_ctx *ctx);

/* What the running system offers: the reply to "get-caps". */
struct lc_caps {
	uint32_t granule;		/* base page size in bytes */
	bool bbml3;			/* all CPUs support BBML3 */
	bool block_capable;		/* linear map may use block mappings */
	bool rodata_full;		/* rodata=full is in effect */
	bool realm;			/* running as an Arm CCA realm guest */
	bool poe;			/* permission overlays (pkeys) in use */
	bool kfence;			/* a KFENCE pool exists */
	char reason[LC_REASON_MAX];	/* why not block-capable; "" if none */
	bool has_linear_range;		/* linear_start/end valid (admin only) */
	uint64_t linear_start;		/* linear-map VIRTUAL range [start, end) */
	uint64_t linear_end;		/* (reveals KASLR: CAP_NET_ADMIN only) */
	uint64_t ram_bytes;		/* RAM covered by the linear map */
};

/* Ask the kernel for its capabilities ("get-caps"). */
int lc_get_caps(struct lc_ctx *ctx, struct lc_caps *caps);

/* Physical address range [start, end). */
struct lc_range {
	uint64_t start;
	uint64_t end;
};

/* Leaf sizes of the linear map, largest first. */
enum lc_level {
	LC_LEVEL_PUD,		/* PUD block (1G with 4K pages) */
	LC_LEVEL_CONT_PMD,	/* contiguous PMD range (32M with 4K pages) */
	LC_LEVEL_PMD,		/* PMD block (2M with 4K pages) */
	LC_LEVEL_CONT_PTE,	/* contiguous PTE range (64K with 4K pages) */
	LC_LEVEL_PTE,		/* single page */
	LC_LEVEL_NR
};

/* How the linear map (or a range of it) is mapped: the reply to "get-stats". */
struct lc_stats {
	bool has_range;			/* the kernel echoed a range */
	uint64_t start;			/* physical, [start, end) */
	uint64_t end;
	/*
	 * Leaf entries mapping valid memory, per level.  A contiguous range
	 * counts once, as one leaf of its size.
	 */
	uint64_t leaves[LC_LEVEL_NR];
	uint64_t invalid;		/* invalid (not present) entries */
	uint64_t table_pages;		/* page-table pages in use */
	uint64_t ideal_leaves;		/* leaves after a full collapse */
	uint64_t mapped_bytes;		/* bytes of valid memory mapped */
};

/*
 * Ask the kernel for leaf statistics ("get-stats") over the whole linear
 * map (@range NULL) or over @range.  The range is sent as given: the kernel
 * decides what is acceptable and says why it refuses.
 */
int lc_get_stats(struct lc_ctx *ctx, const struct lc_range *range,
		 struct lc_stats *stats);

/* Sum of the leaves over all levels. */
uint64_t lc_stats_leaves_total(const struct lc_stats *stats);

/*
 * Restoration ratio: total leaves / ideal leaves.  1.0 means fully restored
 * (nothing left to collapse); larger means more fragmented.  1.0 when
 * nothing is mapped; NaN when the kernel reports leaves but no ideal count.
 */
double lc_stats_restoration(const struct lc_stats *stats);

/* "pud", "cont_pmd", "pmd", "cont_pte", "pte"; NULL for an unknown level. */
const char *lc_level_name(enum lc_level level);

#ifdef __cplusplus
}
#endif

#endif /* LIBCOLLAPSE_H */
