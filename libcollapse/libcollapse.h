/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libcollapse: typed C API over the kernel's "linmap" generic netlink family,
 * which reports how the arm64 linear map is mapped, folds it back into large
 * leaves on request, and announces splits and collapses as events.
 *
 * Conventions:
 * - Every function that can fail returns 0 or a negative errno value.
 *   lc_strerror() then gives the text of that failure, including the
 *   kernel's extended-ack message when it sent one, e.g.
 *   "get-stats: Invalid argument: range end must be above start".
 * - Addresses and ranges are PHYSICAL addresses; a range is [start, end).
 * - A struct lc_ctx is not thread-safe: use one per thread.
 * - The ABI is frozen (LIBCOLLAPSE_1, SONAME libcollapse.so.1) and only
 *   ever grows: new functions come under a new symbol version
 *   (LIBCOLLAPSE_2: lc_collapse_each(); LIBCOLLAPSE_3:
 *   lc_get_stats_flags()).  Structures are allocated by the caller and are
 *   size-versioned: every function that reads or fills one takes its size,
 *   which must be sizeof() of the structure as the caller was compiled, e.g.
 *       lc_get_caps(ctx, &caps, sizeof(caps));
 *   A structure only ever grows at its end.  The library writes a result
 *   only up to the caller's size (a program built against older headers is
 *   never overrun) and zeroes what it does not know (a program built
 *   against newer headers sees 0/false in the newer fields); it reads an
 *   input only up to the caller's size (zero beyond), and refuses with
 *   -E2BIG a request that sets fields it does not know.  A size below the
 *   first version's is -EINVAL.  struct lc_range never changes.
 * - Counters the kernel reports per leaf level or per skip reason are
 *   arrays indexed by enum lc_level / enum lc_skip; values the kernel sends
 *   for levels or reasons this library does not know are ignored.
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
	uint64_t linear_end;		/* (reveals KASLR: CAP_SYS_ADMIN only) */
	uint64_t ram_bytes;		/* RAM covered by the linear map */
	/*
	 * Split tracking: the kernel marks each region of this many bytes of
	 * the linear map (1G with 4K pages, 4G with 16K, 16G with 64K) that
	 * was split or had its attributes changed, and a collapse visits the
	 * marked regions only, unless asked for a full scan.  0: a kernel
	 * before split tracking (every collapse visits every region there).
	 * A program built against older headers passes a smaller size and
	 * never sees it.
	 */
	uint64_t region_size;
	/*
	 * A split of a PMD block that a collapse built less than this many
	 * milliseconds before is a ping-pong (lc_stats.pingpongs).  0: a
	 * kernel without minimum ages and ping-pong counts, which refuses
	 * lc_collapse_req.min_age_msecs.  A program built against older
	 * headers passes a smaller size and never sees it.
	 */
	uint32_t pingpong_msecs;
};

/* Ask the kernel for its capabilities ("get-caps"); @caps_size: sizeof(*caps). */
int lc_get_caps(struct lc_ctx *ctx, struct lc_caps *caps, size_t caps_size);

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

/*
 * How the linear map (or a range of it) is mapped: the reply to "get-stats".
 *
 * The kernel answers in one of two ways.  From its counters, kept as the
 * map changes (O(1), open to every user): the leaves per level, the
 * page-table pages, the mapped bytes and the counters since boot, but no
 * ideal and no invalid count (walked is false, ideal_leaves and invalid
 * read 0).  From a walk of the map's tables (LC_STATS_WALK, or any range;
 * CAP_SYS_ADMIN): the same, and also the ideal leaf count and the invalid
 * entries (walked is true).  A kernel that predates the walk flag walks
 * every time (walked is true, whatever was asked); it refuses the flag
 * itself, so LC_STATS_WALK asks it again without.
 *
 * Leaves are counted by their shape, valid or not: an invalid page (a
 * secretmem page, say) is still a PTE leaf.  A contiguous range counts
 * once, as one leaf of its size.
 *
 * The counters since boot cover the whole linear map whatever the range;
 * a kernel of the first linmap series does not send them and they read 0.
 *
 * A kernel with split tracking (lc_caps.region_size) also says, for the
 * whole map only (no range), from its counters or a walk, how many regions
 * are marked: what the next collapse without a full scan visits.
 */
struct lc_stats {
	bool has_range;			/* the kernel echoed a range */
	uint64_t start;			/* physical, [start, end) */
	uint64_t end;
	uint64_t leaves[LC_LEVEL_NR];	/* leaf entries per level, valid or not */
	uint64_t invalid;		/* walk only: invalid entries, one by
					 * one (also counted in leaves) */
	uint64_t table_pages;		/* page-table pages in use */
	uint64_t ideal_leaves;		/* walk only: leaves after a full
					 * collapse (an invalid leaf counts one) */
	uint64_t mapped_bytes;		/* bytes all the leaves map */
	/* Since boot, whole linear map: */
	uint64_t splits[LC_LEVEL_NR];	/* leaves split, per level split */
	uint64_t folds[LC_LEVEL_NR];	/* leaves created by collapses */
	uint64_t tables_freed;		/* page-table pages freed by collapses */
	/*
	 * The reply came from a walk, so ideal_leaves and invalid hold the
	 * kernel's counts; false: they were not sent and read 0.  Since
	 * LIBCOLLAPSE_3 (a program built against older headers passes a
	 * smaller size and never sees it).
	 */
	bool walked;
	/*
	 * Split tracking: regions of the linear map marked as split or
	 * changed (see lc_caps.region_size), whole map only.  Valid when
	 * has_marked_regions; a kernel before split tracking and a reply for
	 * a range do not send it (false, and 0).  A program built against
	 * older headers passes a smaller size and never sees them.
	 */
	uint64_t marked_regions;
	bool has_marked_regions;
	/*
	 * Ping-pongs since boot: PMD blocks a collapse built and split again
	 * within lc_caps.pingpong_msecs.  Valid when has_pingpongs (false
	 * from a kernel without them).  Older headers never see these.
	 */
	uint64_t pingpongs;
	bool has_pingpongs;
};

/*
 * Ask the kernel for leaf statistics ("get-stats") over the whole linear
 * map (@range NULL) or over @range, sending no flag (lc_get_stats_flags()
 * with @flags 0).  The whole map is then answered from the kernel's
 * counters (walked false: no ideal, no invalid count, and
 * lc_stats_restoration() is NaN), which any user may read; a range is
 * always walked and needs CAP_SYS_ADMIN (-EPERM, with the kernel's reason,
 * otherwise).  The range is sent as given: the kernel
 * decides what is acceptable and says why it refuses.  @stats_size:
 * sizeof(*stats).
 */
int lc_get_stats(struct lc_ctx *ctx, const struct lc_range *range,
		 struct lc_stats *stats, size_t stats_size);

/* Flags of lc_get_stats_flags(). */
#define LC_STATS_WALK		(1u << 0)	/* walk the tables: ideal, invalid */

/*
 * lc_get_stats() with @flags, a bitwise OR of LC_STATS_* (0: as
 * lc_get_stats()).  LC_STATS_WALK asks the kernel to walk the map's tables
 * even without a range, for the ideal leaf count and the invalid entries;
 * a walk needs CAP_SYS_ADMIN.  Errors, besides lc_get_stats()'s:
 *   -EPERM   the caller lacks CAP_SYS_ADMIN for the walk (or the range);
 *            lc_strerror() gives the kernel's reason.  A caller that can
 *            do without the ideal may ask again with @flags 0.
 *   -EINVAL  @flags has a bit this library does not know
 *   -EPROTO  a walk was asked for and the reply has no ideal count
 * On success with LC_STATS_WALK, stats->walked is true.  @stats_size:
 * sizeof(*stats).  Since LIBCOLLAPSE_3.
 */
int lc_get_stats_flags(struct lc_ctx *ctx, const struct lc_range *range,
		       unsigned int flags, struct lc_stats *stats,
		       size_t stats_size);

/* Sum of the leaves over all levels. */
uint64_t lc_stats_leaves_total(const struct lc_stats *stats);

/*
 * Restoration ratio: total leaves / ideal leaves.  1.0 means fully restored
 * (nothing left to collapse); larger means more fragmented.  1.0 when
 * nothing is mapped; NaN when the kernel reports leaves but no ideal count
 * (a reply from the counters: walked false).
 */
double lc_stats_restoration(const struct lc_stats *stats);

/* "pud", "cont_pmd", "pmd", "cont_pte", "pte"; NULL for an unknown level. */
const char *lc_level_name(enum lc_level level);

/* Why a collapse left fold candidates alone. */
enum lc_skip {
	LC_SKIP_INVALID,	/* an entry is invalid or empty */
	LC_SKIP_ATTRIBUTES,	/* attribute bits differ */
	LC_SKIP_PKEY,		/* POIndex (pkey) bits differ */
	LC_SKIP_REALM,		/* realm shared and private memory meet */
	LC_SKIP_EXCLUDED,	/* kernel image alias, KFENCE pool, region edge */
	LC_SKIP_ALIGNMENT,	/* output addresses misaligned or not contiguous */
	LC_SKIP_BUDGET,		/* the budget ran out (see lc_collapse_result.next) */
	LC_SKIP_NR
};

/*
 * "invalid", "attributes", "pkey", "realm", "excluded", "alignment",
 * "budget"; NULL for an unknown reason.
 */
const char *lc_skip_name(enum lc_skip skip);

/* What to collapse: a zeroed structure (or NULL) means all of it, at once. */
struct lc_collapse_req {
	bool has_range;			/* only the tables mapping @range */
	struct lc_range range;		/* physical [start, end), granule aligned */
	uint64_t budget;		/* page-table pages per step; 0 = the kernel's default */
	bool dry_run;			/* count what would be folded, change nothing */
	/*
	 * Visit every region of the linear map (or of @range), not only the
	 * ones the kernel marked as split or changed (split tracking, see
	 * lc_caps.region_size).  Sent only when set: see lc_collapse() for a
	 * kernel before split tracking.  Aligned so that it lies beyond the
	 * first version's end (a program built against older headers, whose
	 * structure ends in padding, never sets it by chance).
	 */
	bool full_scan __attribute__((aligned(8)));
	/*
	 * Leave alone the PTE tables whose memory was split, or changed its
	 * attributes, less than this many milliseconds ago (at most a day;
	 * 0: fold whatever can be folded).  Their regions stay marked, and
	 * lc_collapse_result.young counts them.  Needs a kernel with
	 * lc_caps.pingpong_msecs set (an older one refuses the attribute:
	 * -EINVAL).  Aligned beyond the previous version's end.
	 */
	uint32_t min_age_msecs __attribute__((aligned(8)));
};

/* What a collapse did (or, for a dry run, would do). */
struct lc_collapse_result {
	bool has_range;			/* the kernel echoed the range it scanned */
	uint64_t start;			/* physical, [start, end) */
	uint64_t end;
	bool dry_run;			/* nothing was changed */
	uint64_t tables_scanned;	/* page-table pages read */
	uint64_t folds[LC_LEVEL_NR];	/* leaves created, per level */
	uint64_t tables_freed;		/* page-table pages freed */
	uint64_t bytes_freed;		/* ... and their size in bytes */
	uint64_t skips[LC_SKIP_NR];	/* fold candidates left alone, per reason */
	bool has_next;			/* the budget ran out before @end */
	uint64_t next;			/* physical address to continue from */
	uint64_t nsecs;			/* time the kernel spent */
	/*
	 * Split tracking (a program built against older headers passes a
	 * smaller size and never sees these): the regions the collapse
	 * visited, valid when has_regions_scanned (false from a kernel
	 * before split tracking).  full_scan: every region was visited, as
	 * the kernel echoes a full scan; a reply without regions_scanned
	 * comes from a kernel before split tracking, which visits every
	 * region on every collapse, so full_scan is true there too.  A
	 * collapse event (lc_event) never has full_scan set: the kernel
	 * echoes it in the reply only.
	 */
	uint64_t regions_scanned;
	bool has_regions_scanned;
	bool full_scan;
	/*
	 * The longest time, in nanoseconds, the collapse held the kernel's
	 * pgtable_split_lock for one region (at most what a split or a
	 * permission change waited for the collapse), valid when
	 * has_longest_hold (false from a kernel before split tracking, which
	 * does not report it).  In replies and collapse events alike.  A
	 * program built against older headers passes a smaller size and
	 * never sees these.
	 */
	uint64_t longest_hold_nsecs;
	bool has_longest_hold;
	/*
	 * Minimum ages (older headers never see these): the PTE tables left
	 * alone because they changed more recently than the request's
	 * min_age_msecs (the kernel's "young" skip reason; not in skips[],
	 * whose size is frozen), the minimum age the kernel echoed (replies
	 * only), and the ping-pongs since boot (see lc_stats.pingpongs),
	 * valid when has_pingpongs, in replies and collapse events.
	 */
	uint64_t young;
	uint64_t pingpongs;
	bool has_pingpongs;
	uint32_t min_age_msecs;
};

/*
 * Fold the linear map (all of it, or the tables mapping @req->range) back
 * into the largest leaves its attributes allow ("collapse").  @req NULL is
 * the whole map with the kernel's default budget.  Needs CAP_SYS_ADMIN in the caller and a
 * BBML3 system whose linear map is block-capable.  A kernel with split
 * tracking visits only the regions it marked as split or changed, unless
 * @req->full_scan asks for every region; a collapse that completes a region
 * clears its mark.  A kernel before split tracking visits every region on
 * every collapse and refuses the FULL_SCAN attribute as unknown (-EINVAL):
 * lc_collapse() then asks once more without it (the kernel scans every
 * region anyway) and reports full_scan true with has_regions_scanned
 * false.  Any other -EINVAL (a refused range) comes again without the flag
 * and is returned as such.  (Were a kernel with split tracking to refuse
 * the flag and accept the request without it, the result says what it
 * did: full_scan false, has_regions_scanned true.)  Errors:
 *   -EPERM       the caller lacks CAP_SYS_ADMIN
 *   -EOPNOTSUPP  this system cannot collapse; lc_strerror() gives the
 *                kernel's reason ("cannot collapse: ..."), or says that
 *                the kernel has no collapse operation (first series)
 *   -EINVAL, -ERANGE  the kernel refused the range (and says why)
 *   -E2BIG       @req sets options this (older) library does not know
 *                (full_scan, say, for a library before split tracking)
 * The kernel stops after @req->budget page-table pages, or without a budget
 * (0) after its default step (the tables that hold 256K page entries, 512
 * with 4K pages), and sets has_next/next: call again with the range
 * [next, end) to continue (lc_collapse_all() does).
 * @req_size: sizeof(*req) (ignored when @req is NULL); @result_size:
 * sizeof(*result).
 */
int lc_collapse(struct lc_ctx *ctx, const struct lc_collapse_req *req,
		size_t req_size, struct lc_collapse_result *result,
		size_t result_size);

/*
 * lc_collapse() until done: while the kernel returns a resume cursor, call
 * again from it to the end of the range, with the same budget, dry_run and
 * full_scan (on a kernel before split tracking, once the first step found
 * that it refuses full_scan, the next steps are sent without it).
 * A budget then only sets the size of each step (each step is one request,
 * so the kernel's locks are dropped between steps).  *result is the sum of
 * the steps: the range, dry_run and full_scan of the first, counters added
 * up (regions_scanned too, with has_regions_scanned when every step had
 * it), nsecs the kernel's total, longest_hold_nsecs the longest of the
 * steps' (a maximum, not a sum: the lock is dropped between steps; with
 * has_longest_hold when every step had it); skips[LC_SKIP_BUDGET] is 0
 * once done, since every stop for the budget was resumed.  On failure
 * *result holds the sum of the steps that completed (all zero if none
 * did), with has_next/next where to continue when at least one did, and
 * lc_strerror() explains the failing step.
 * A cursor that does not move forward is -EPROTO (the loop cannot spin).
 * Sizes as for lc_collapse().
 */
int lc_collapse_all(struct lc_ctx *ctx, const struct lc_collapse_req *req,
		    size_t req_size, struct lc_collapse_result *result,
		    size_t result_size);

/*
 * Called by lc_collapse_each() between two steps, with the sum of the steps
 * so far (its has_next/next say where the next step starts).  Return 0 to
 * go on, or a negative errno (-EINTR, say) to stop there.
 */
typedef int (*lc_collapse_step_fn)(const struct lc_collapse_result *sum,
				   void *arg);

/*
 * lc_collapse_all(), calling @fn(sum, @arg) between steps: to show progress,
 * or to stop between two steps (the kernel's locks are not held then).
 * When @fn stops it, lc_collapse_each() returns @fn's error with *result the
 * sum so far, has_next/next where to continue.  Since LIBCOLLAPSE_2.
 */
int lc_collapse_each(struct lc_ctx *ctx, const struct lc_collapse_req *req,
		     size_t req_size, struct lc_collapse_result *result,
		     size_t result_size, lc_collapse_step_fn fn, void *arg);

/*
 * Events: the kernel's "events" multicast group.  An event context owns its
 * own nonblocking socket, so a caller's poll loop can watch lc_events_fd()
 * next to its other file descriptors, and read with lc_events_read() when
 * it is readable.  It is separate from struct lc_ctx, which a caller keeps
 * for requests (and resynchronisation).
 */
struct lc_events;

enum lc_event_type {
	LC_EVENT_SPLIT = 1,	/* leaves were split, or attributes changed ("split-ntf") */
	LC_EVENT_COLLAPSE,	/* a collapse ran, not a dry run ("collapse-ntf") */
};

struct lc_event {
	enum lc_event_type type;
	union {
		/* LC_EVENT_SPLIT: coalesced, at most about one a second. */
		struct {
			uint64_t splits[LC_LEVEL_NR];	/* since boot, per level */
			uint64_t new_splits;	/* since the previous split event */
			/*
			 * Ping-pongs (lc_stats.pingpongs) since boot and
			 * since the previous split event, when
			 * has_pingpongs.
			 */
			uint64_t pingpongs;
			uint64_t new_pingpongs;
			bool has_pingpongs;
			/*
			 * Attribute changes of the linear map (pages made
			 * valid or invalid, permission changes) since boot
			 * and since the previous split event, when
			 * has_changes.  An event may carry new changes and
			 * no new splits: a secretmem page freed splits
			 * nothing, but may let a collapse fold its block.
			 */
			uint64_t changes;
			uint64_t new_changes;
			bool has_changes;
		} split;
		/*
		 * LC_EVENT_COLLAPSE: any caller's collapse.  The event carries
		 * no addresses: has_range and has_next are false.  It has
		 * regions_scanned and longest_hold_nsecs (from a kernel with
		 * split tracking), but never full_scan (the kernel echoes that
		 * in its reply only).
		 */
		struct lc_collapse_result collapse;
	};
};

/*
 * Open an event context: its own socket, joined to the "events" group of
 * the "linmap" family, nonblocking, with a receive buffer enlarged for
 * bursts.  Any user may listen.  On failure *out is NULL and
 * lc_strerror(NULL) gives the text.  Returns LC_ERR_NO_FAMILY (-ENOENT)
 * without the family, -EOPNOTSUPP when the family has no "events" group
 * (a kernel of the first linmap series).
 */
int lc_events_open(struct lc_events **out);

/* The socket to poll for POLLIN. */
int lc_events_fd(struct lc_events *evs);

/*
 * Read the next event into *ev, without blocking.  Returns 1 with an event,
 * 0 when none is pending (read until 0 after each POLLIN), or a negative
 * errno:
 *   -ENOBUFS  the socket overflowed and the kernel dropped events: you
 *             lost events, resynchronise with lc_get_stats() (its
 *             counters since boot are what the events add up to; the
 *             kernel answers them without a walk), then carry on reading
 *   -EPROTO   a malformed event (skipped; reading may continue)
 *   other     the socket failed
 * Messages of the group that this library does not know are skipped.
 * lc_events_strerror() gives the text of a failure.  @ev_size: sizeof(*ev).
 */
int lc_events_read(struct lc_events *evs, struct lc_event *ev,
		   size_t ev_size);

/* Text of the last failure on @evs, "" after a success. */
const char *lc_events_strerror(struct lc_events *evs);

/* Leave the group, close the socket and free the context.  NULL is allowed. */
void lc_events_close(struct lc_events *evs);

#ifdef __cplusplus
}
#endif

#endif /* LIBCOLLAPSE_H */
