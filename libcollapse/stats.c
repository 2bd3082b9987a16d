// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Statistics: "get-stats" counts the leaves of the linear map per level,
 * over all of it or over a physical range [START, END).  The range is sent
 * as the caller gave it; the kernel alone decides whether it is acceptable
 * and explains a refusal in its extended ack.  When a range was given, the
 * reply echoes the range the kernel actually walked.
 *
 * The counters since boot (splits, folds, tables freed) came with the
 * collapse operation; a kernel of the first series does not send them, so
 * they are optional here and read 0 there.
 *
 * The kernel answers the whole map from counters it keeps as the map
 * changes, unless asked to walk (the WALK flag, or a range): only a walk
 * sends the ideal leaf count and the invalid entries, always both.  So
 * those two are optional as a pair, and their presence is what "walked"
 * means; a kernel that predates the flag walks every time and sends them.
 *
 * A kernel with split tracking sends the regions it has marked in every
 * whole-map reply (counters or walk), never for a range: optional.
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include <linux/linmap.h>

#include "libcollapse-private.h"

static const char *const lc_stats_attr_names[LINMAP_A_STATS_MAX + 1] = {
	[LINMAP_A_STATS_PAD]		= "pad",
	[LINMAP_A_STATS_START]		= "start",
	[LINMAP_A_STATS_END]		= "end",
	[LINMAP_A_STATS_LEAVES_PUD]	= "leaves-pud",
	[LINMAP_A_STATS_LEAVES_CONT_PMD] = "leaves-cont-pmd",
	[LINMAP_A_STATS_LEAVES_PMD]	= "leaves-pmd",
	[LINMAP_A_STATS_LEAVES_CONT_PTE] = "leaves-cont-pte",
	[LINMAP_A_STATS_LEAVES_PTE]	= "leaves-pte",
	[LINMAP_A_STATS_INVALID]	= "invalid",
	[LINMAP_A_STATS_TABLE_PAGES]	= "table-pages",
	[LINMAP_A_STATS_IDEAL_LEAVES]	= "ideal-leaves",
	[LINMAP_A_STATS_MAPPED_BYTES]	= "mapped-bytes",
	[LINMAP_A_STATS_SPLITS]		= "splits",
	[LINMAP_A_STATS_FOLDS]		= "folds",
	[LINMAP_A_STATS_TABLES_FREED]	= "tables-freed",
	[LINMAP_A_STATS_WALK]		= "walk",
	[LINMAP_A_STATS_MARKED_REGIONS]	= "marked-regions",
	[LINMAP_A_STATS_PINGPONGS]	= "pingpongs",
};

/* The attribute carrying each level's leaf count. */
static const int lc_level_attr[LC_LEVEL_NR] = {
	[LC_LEVEL_PUD]		= LINMAP_A_STATS_LEAVES_PUD,
	[LC_LEVEL_CONT_PMD]	= LINMAP_A_STATS_LEAVES_CONT_PMD,
	[LC_LEVEL_PMD]		= LINMAP_A_STATS_LEAVES_PMD,
	[LC_LEVEL_CONT_PTE]	= LINMAP_A_STATS_LEAVES_CONT_PTE,
	[LC_LEVEL_PTE]		= LINMAP_A_STATS_LEAVES_PTE,
};

static const char *const lc_level_names[LC_LEVEL_NR] = {
	[LC_LEVEL_PUD]		= "pud",
	[LC_LEVEL_CONT_PMD]	= "cont_pmd",
	[LC_LEVEL_PMD]		= "pmd",
	[LC_LEVEL_CONT_PTE]	= "cont_pte",
	[LC_LEVEL_PTE]		= "pte",
};

static int lc_stats_parse_any(struct nl_msg *msg, void *out, char *detail,
			      size_t detail_size)
{
	return lc_stats_reply_parse(msg, out, detail, detail_size);
}

const struct lc_op lc_op_get_stats = {
	.name		= "get-stats",
	.cmd		= LINMAP_CMD_GET_STATS,
	.attr_max	= LINMAP_A_STATS_MAX,
	.attr_names	= lc_stats_attr_names,
	.parse_reply	= lc_stats_parse_any,
};

struct nl_msg *lc_stats_request_build(int family, const struct lc_range *range,
				      unsigned int flags)
{
	struct nl_msg *msg = lc_request_new(family, LINMAP_CMD_GET_STATS);

	if (!msg)
		return NULL;
	/*
	 * Plain 8-byte attributes, no pad attribute: the kernel reads u64
	 * attributes at any 4-byte alignment, and a strict request policy
	 * would reject the PAD type, which is meant for replies only.
	 */
	if (range &&
	    (nla_put_u64(msg, LINMAP_A_STATS_START, range->start) < 0 ||
	     nla_put_u64(msg, LINMAP_A_STATS_END, range->end) < 0))
		goto fail;
	/*
	 * Sent only when asked for and needed: a range walks without it,
	 * and a kernel that predates the flag rejects it.
	 */
	if ((flags & LC_STATS_WALK) && !range &&
	    nla_put_flag(msg, LINMAP_A_STATS_WALK) < 0)
		goto fail;
	return msg;
fail:
	nlmsg_free(msg);
	return NULL;
}

int lc_stats_reply_parse(struct nl_msg *msg, struct lc_stats *stats,
			 char *detail, size_t detail_size)
{
	struct nlattr *tb[LINMAP_A_STATS_MAX + 1];
	struct lc_attrs attrs;
	struct lc_stats s = { 0 };
	int level;

	if (lc_attrs_parse(&attrs, &lc_op_get_stats, msg, tb, detail,
			   detail_size))
		return attrs.err;

	s.has_range = lc_attrs_range(&attrs, LINMAP_A_STATS_START,
				     LINMAP_A_STATS_END, &s.start, &s.end);
	for (level = 0; level < LC_LEVEL_NR; level++)
		s.leaves[level] = lc_attrs_uint(&attrs, lc_level_attr[level]);
	/* A walk's pair: both or neither. */
	s.walked = lc_attrs_pair(&attrs, LINMAP_A_STATS_IDEAL_LEAVES,
				 LINMAP_A_STATS_INVALID, &s.ideal_leaves,
				 &s.invalid);
	s.table_pages = lc_attrs_uint(&attrs, LINMAP_A_STATS_TABLE_PAGES);
	s.mapped_bytes = lc_attrs_uint(&attrs, LINMAP_A_STATS_MAPPED_BYTES);
	lc_attrs_counts(&attrs, LINMAP_A_STATS_SPLITS, &lc_level_counts,
			s.splits);
	lc_attrs_counts(&attrs, LINMAP_A_STATS_FOLDS, &lc_level_counts,
			s.folds);
	if (lc_attrs_has(&attrs, LINMAP_A_STATS_TABLES_FREED))
		s.tables_freed = lc_attrs_uint(&attrs,
					       LINMAP_A_STATS_TABLES_FREED);
	s.has_marked_regions = lc_attrs_has(&attrs,
					    LINMAP_A_STATS_MARKED_REGIONS);
	if (s.has_marked_regions)
		s.marked_regions = lc_attrs_uint(&attrs,
						 LINMAP_A_STATS_MARKED_REGIONS);
	s.has_pingpongs = lc_attrs_has(&attrs, LINMAP_A_STATS_PINGPONGS);
	if (s.has_pingpongs)
		s.pingpongs = lc_attrs_uint(&attrs, LINMAP_A_STATS_PINGPONGS);
	if (attrs.err)
		return attrs.err;

	*stats = s;
	return 0;
}

LC_EXPORT int lc_get_stats_flags(struct lc_ctx *ctx,
				 const struct lc_range *range,
				 unsigned int flags, struct lc_stats *stats,
				 size_t stats_size)
{
	struct lc_stats s = { 0 };
	struct nl_msg *req;
	int err;

	lc_error_clear(ctx);
	err = lc_abi_check_size(ctx, lc_op_get_stats.name, "struct lc_stats",
				stats_size, LC_STATS_SIZE_VER1);
	if (err)
		return err;
	if (flags & ~LC_STATS_FLAGS_KNOWN)
		return lc_error_set(ctx, -EINVAL,
				    "%s: %s: unknown flags 0x%x (this library knows 0x%x)",
				    lc_op_get_stats.name, strerror(EINVAL),
				    flags & ~LC_STATS_FLAGS_KNOWN,
				    LC_STATS_FLAGS_KNOWN);
	req = lc_stats_request_build(ctx->family, range, flags);
	if (!req)
		return lc_error_set(ctx, -ENOMEM, "%s: %s",
				    lc_op_get_stats.name, strerror(ENOMEM));
	err = lc_request(ctx, &lc_op_get_stats, req, &s);
	/*
	 * A kernel that predates the flag rejects it as an unknown
	 * attribute (strict validation, EINVAL), but walks every request:
	 * ask it again without the flag.
	 */
	if (err == -EINVAL && (flags & LC_STATS_WALK) && !range) {
		req = lc_stats_request_build(ctx->family, NULL, 0);
		if (!req)
			return lc_error_set(ctx, -ENOMEM, "%s: %s",
					    lc_op_get_stats.name,
					    strerror(ENOMEM));
		memset(&s, 0, sizeof(s));
		lc_error_clear(ctx);
		err = lc_request(ctx, &lc_op_get_stats, req, &s);
	}
	/*
	 * Every kernel that knows the flag walks for it, and one that
	 * predates it walks every time: an answer without the ideal cannot
	 * be what was asked for.
	 */
	if (!err && (flags & LC_STATS_WALK) && !s.walked) {
		memset(&s, 0, sizeof(s));
		err = lc_error_set(ctx, -EPROTO,
				   "%s: %s: the reply to a walk lacks attribute '%s'",
				   lc_op_get_stats.name, strerror(EPROTO),
				   lc_stats_attr_names[LINMAP_A_STATS_IDEAL_LEAVES]);
	}
	lc_abi_copy_out(stats, stats_size, &s, sizeof(s));
	return err;
}

LC_EXPORT int lc_get_stats(struct lc_ctx *ctx, const struct lc_range *range,
			   struct lc_stats *stats, size_t stats_size)
{
	return lc_get_stats_flags(ctx, range, 0, stats, stats_size);
}

LC_EXPORT uint64_t lc_stats_leaves_total(const struct lc_stats *stats)
{
	uint64_t total = 0;
	int level;

	for (level = 0; level < LC_LEVEL_NR; level++)
		total += stats->leaves[level];
	return total;
}

/*
 * These two take a structure of any version, so they read only fields of
 * the first one (never walked): a counters-only reply has no ideal, which
 * reads 0 and makes the ratio NaN.
 */
LC_EXPORT double lc_stats_restoration(const struct lc_stats *stats)
{
	uint64_t total = lc_stats_leaves_total(stats);

	if (!stats->ideal_leaves)
		return total ? NAN : 1.0;
	return (double)total / (double)stats->ideal_leaves;
}

LC_EXPORT const char *lc_level_name(enum lc_level level)
{
	if ((unsigned int)level >= LC_LEVEL_NR)
		return NULL;
	return lc_level_names[level];
}
