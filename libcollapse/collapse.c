// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Collapse: "collapse" folds the linear map (or the tables mapping a
 * physical range [START, END)) back into the largest leaves its attributes
 * allow.  It is an admin operation: genetlink itself refuses callers
 * without CAP_SYS_ADMIN (-EPERM, no extended ack), and the kernel refuses
 * a system that cannot collapse (-EOPNOTSUPP, "cannot collapse: <why>").
 *
 * With a BUDGET the kernel scans at most that many page-table pages and
 * returns NEXT, the physical address to continue from; lc_collapse_all()
 * follows that cursor to the end of the range.
 *
 * The reply's attribute set is shared with the "collapse-ntf" event, which
 * carries the counts without the addresses.
 *
 * Split tracking: the kernel marks the regions of the linear map that were
 * split or changed, and a collapse visits those only, unless the request
 * has FULL_SCAN; the reply echoes FULL_SCAN (as DRY_RUN) and always says
 * how many regions it visited (REGIONS_SCANNED, in the event too).  A
 * kernel before split tracking visits every region every time, sends no
 * REGIONS_SCANNED, and refuses FULL_SCAN as an unknown attribute (strict
 * validation: EINVAL).  So FULL_SCAN is sent only when asked for, a step
 * refused with EINVAL is asked once more without it (a refused range is
 * refused again, and that answer stands), and a reply without
 * REGIONS_SCANNED is reported as a full scan, which it was.
 *
 * The same kernels say, in the reply and the event, the longest time the
 * collapse held pgtable_split_lock for one region (LONGEST_HOLD_NSECS);
 * optional, as a kernel before split tracking does not send it.  A sum
 * of steps takes the longest of them, not their total.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <linux/linmap.h>

#include "collapse-sum.h"
#include "libcollapse-private.h"

static const char *const lc_collapse_attr_names[LINMAP_A_COLLAPSE_MAX + 1] = {
	[LINMAP_A_COLLAPSE_PAD]			= "pad",
	[LINMAP_A_COLLAPSE_START]		= "start",
	[LINMAP_A_COLLAPSE_END]			= "end",
	[LINMAP_A_COLLAPSE_BUDGET]		= "budget",
	[LINMAP_A_COLLAPSE_DRY_RUN]		= "dry-run",
	[LINMAP_A_COLLAPSE_TABLES_SCANNED]	= "tables-scanned",
	[LINMAP_A_COLLAPSE_FOLDS]		= "folds",
	[LINMAP_A_COLLAPSE_TABLES_FREED]	= "tables-freed",
	[LINMAP_A_COLLAPSE_BYTES_FREED]		= "bytes-freed",
	[LINMAP_A_COLLAPSE_SKIPS]		= "skips",
	[LINMAP_A_COLLAPSE_NEXT]		= "next",
	[LINMAP_A_COLLAPSE_NSECS]		= "nsecs",
	[LINMAP_A_COLLAPSE_FULL_SCAN]		= "full-scan",
	[LINMAP_A_COLLAPSE_REGIONS_SCANNED]	= "regions-scanned",
	[LINMAP_A_COLLAPSE_LONGEST_HOLD_NSECS]	= "longest-hold-nsecs",
	[LINMAP_A_COLLAPSE_MIN_AGE_MSECS]	= "min-age-msecs",
	[LINMAP_A_COLLAPSE_PINGPONGS]		= "pingpongs",
};

static const char *const lc_skip_names[LC_SKIP_NR] = {
	[LC_SKIP_INVALID]	= "invalid",
	[LC_SKIP_ATTRIBUTES]	= "attributes",
	[LC_SKIP_PKEY]		= "pkey",
	[LC_SKIP_REALM]		= "realm",
	[LC_SKIP_EXCLUDED]	= "excluded",
	[LC_SKIP_ALIGNMENT]	= "alignment",
	[LC_SKIP_BUDGET]	= "budget",
};

static int lc_collapse_parse_any(struct nl_msg *msg, void *out, char *detail,
				 size_t detail_size)
{
	return lc_collapse_reply_parse(msg, out, detail, detail_size);
}

const struct lc_op lc_op_collapse = {
	.name		= "collapse",
	.cmd		= LINMAP_CMD_COLLAPSE,
	.attr_max	= LINMAP_A_COLLAPSE_MAX,
	.attr_names	= lc_collapse_attr_names,
	.parse_reply	= lc_collapse_parse_any,
};

const struct lc_op lc_op_collapse_ntf = {
	.name		= "collapse-ntf",
	.cmd		= LINMAP_CMD_COLLAPSE_NTF,
	.attr_max	= LINMAP_A_COLLAPSE_MAX,
	.attr_names	= lc_collapse_attr_names,
	.event		= true,
};

struct nl_msg *lc_collapse_request_build(int family,
					 const struct lc_collapse_req *req)
{
	struct nl_msg *msg = lc_request_new(family, LINMAP_CMD_COLLAPSE);

	if (!msg || !req)
		return msg;
	/* Plain 8-byte attributes without PAD, as for get-stats. */
	if ((req->has_range &&
	     (nla_put_u64(msg, LINMAP_A_COLLAPSE_START, req->range.start) < 0 ||
	      nla_put_u64(msg, LINMAP_A_COLLAPSE_END, req->range.end) < 0)) ||
	    (req->budget &&
	     nla_put_u64(msg, LINMAP_A_COLLAPSE_BUDGET, req->budget) < 0) ||
	    (req->dry_run &&
	     nla_put_flag(msg, LINMAP_A_COLLAPSE_DRY_RUN) < 0) ||
	    /* Only when asked for: a kernel before split tracking refuses it. */
	    (req->full_scan &&
	     nla_put_flag(msg, LINMAP_A_COLLAPSE_FULL_SCAN) < 0) ||
	    /* Only when asked for: a kernel without minimum ages refuses it. */
	    (req->min_age_msecs &&
	     nla_put_u32(msg, LINMAP_A_COLLAPSE_MIN_AGE_MSECS,
			 req->min_age_msecs) < 0)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

int lc_collapse_result_parse(struct nl_msg *msg, const struct lc_op *op,
			     struct lc_collapse_result *result,
			     char *detail, size_t detail_size)
{
	struct nlattr *tb[LINMAP_A_COLLAPSE_MAX + 1];
	struct lc_collapse_result r = { 0 };
	struct lc_attrs attrs;

	if (lc_attrs_parse(&attrs, op, msg, tb, detail, detail_size))
		return attrs.err;

	r.has_range = lc_attrs_range(&attrs, LINMAP_A_COLLAPSE_START,
				     LINMAP_A_COLLAPSE_END, &r.start, &r.end);
	r.dry_run = lc_attrs_has(&attrs, LINMAP_A_COLLAPSE_DRY_RUN);
	r.tables_scanned = lc_attrs_uint(&attrs,
					 LINMAP_A_COLLAPSE_TABLES_SCANNED);
	lc_attrs_counts(&attrs, LINMAP_A_COLLAPSE_FOLDS, &lc_level_counts,
			r.folds);
	r.tables_freed = lc_attrs_uint(&attrs, LINMAP_A_COLLAPSE_TABLES_FREED);
	r.bytes_freed = lc_attrs_uint(&attrs, LINMAP_A_COLLAPSE_BYTES_FREED);
	lc_attrs_counts(&attrs, LINMAP_A_COLLAPSE_SKIPS, &lc_skip_counts,
			r.skips);
	r.has_next = lc_attrs_has(&attrs, LINMAP_A_COLLAPSE_NEXT);
	if (r.has_next)
		r.next = lc_attrs_uint(&attrs, LINMAP_A_COLLAPSE_NEXT);
	r.nsecs = lc_attrs_uint(&attrs, LINMAP_A_COLLAPSE_NSECS);
	/* Split tracking: echoed in the reply (not the event); regions always. */
	r.full_scan = lc_attrs_has(&attrs, LINMAP_A_COLLAPSE_FULL_SCAN);
	r.has_regions_scanned = lc_attrs_has(&attrs,
					     LINMAP_A_COLLAPSE_REGIONS_SCANNED);
	if (r.has_regions_scanned)
		r.regions_scanned = lc_attrs_uint(&attrs,
						  LINMAP_A_COLLAPSE_REGIONS_SCANNED);
	/* The longest lock hold: reply and event, from the same kernels. */
	r.has_longest_hold = lc_attrs_has(&attrs,
					  LINMAP_A_COLLAPSE_LONGEST_HOLD_NSECS);
	if (r.has_longest_hold)
		r.longest_hold_nsecs = lc_attrs_uint(&attrs,
						     LINMAP_A_COLLAPSE_LONGEST_HOLD_NSECS);
	/* Minimum ages: the young skips, the echo, the ping-pongs. */
	lc_attrs_counts(&attrs, LINMAP_A_COLLAPSE_SKIPS, &lc_young_counts,
			&r.young);
	if (lc_attrs_has(&attrs, LINMAP_A_COLLAPSE_MIN_AGE_MSECS))
		r.min_age_msecs = (uint32_t)lc_attrs_uint(&attrs,
							  LINMAP_A_COLLAPSE_MIN_AGE_MSECS);
	r.has_pingpongs = lc_attrs_has(&attrs, LINMAP_A_COLLAPSE_PINGPONGS);
	if (r.has_pingpongs)
		r.pingpongs = lc_attrs_uint(&attrs, LINMAP_A_COLLAPSE_PINGPONGS);
	if (attrs.err)
		return attrs.err;

	*result = r;
	return 0;
}

int lc_collapse_reply_parse(struct nl_msg *msg,
			    struct lc_collapse_result *result,
			    char *detail, size_t detail_size)
{
	return lc_collapse_result_parse(msg, &lc_op_collapse, result, detail,
					detail_size);
}

/* One request, on the library's own structures. */
static int lc_collapse_send(struct lc_ctx *ctx,
			    const struct lc_collapse_req *req,
			    struct lc_collapse_result *result)
{
	struct nl_msg *msg;

	lc_error_clear(ctx);
	memset(result, 0, sizeof(*result));
	msg = lc_collapse_request_build(ctx->family, req);
	if (!msg)
		return lc_error_set(ctx, -ENOMEM, "%s: %s",
				    lc_op_collapse.name, strerror(ENOMEM));
	return lc_request(ctx, &lc_op_collapse, msg, result);
}

/*
 * One step.  A full scan refused with EINVAL is asked once more without
 * FULL_SCAN (see the top of this file); when that is answered,
 * @req->full_scan is cleared, so that the steps after it are not refused
 * first too.  A reply without REGIONS_SCANNED is a kernel before split
 * tracking: it visited every region.
 */
static int lc_collapse_step(struct lc_ctx *ctx, struct lc_collapse_req *req,
			    struct lc_collapse_result *result)
{
	int err = lc_collapse_send(ctx, req, result);

	if (err == -EINVAL && req->full_scan) {
		struct lc_collapse_req plain = *req;

		plain.full_scan = false;
		err = lc_collapse_send(ctx, &plain, result);
		if (!err)
			req->full_scan = false;
	}
	if (!err && !result->has_regions_scanned)
		result->full_scan = true;
	return err;
}

/* The caller's request and result sizes, checked; the request read in. */
static int lc_collapse_args(struct lc_ctx *ctx,
			    const struct lc_collapse_req *req, size_t req_size,
			    struct lc_collapse_req *in, size_t result_size)
{
	const char *op = lc_op_collapse.name;
	int err;

	lc_error_clear(ctx);
	if (req) {
		err = lc_abi_check_size(ctx, op, "struct lc_collapse_req",
					req_size, LC_COLLAPSE_REQ_SIZE_VER1);
		if (err)
			return err;
	}
	err = lc_abi_check_size(ctx, op, "struct lc_collapse_result",
				result_size, LC_COLLAPSE_RESULT_SIZE_VER1);
	if (err)
		return err;
	if (lc_abi_copy_in(in, sizeof(*in), req, req_size) < 0)
		return lc_error_set(ctx, -E2BIG,
				    "%s: %s: the request sets options this libcollapse does not know (it is older than the program's headers)",
				    op, strerror(E2BIG));
	return 0;
}

LC_EXPORT int lc_collapse(struct lc_ctx *ctx, const struct lc_collapse_req *req,
			  size_t req_size, struct lc_collapse_result *result,
			  size_t result_size)
{
	struct lc_collapse_result r = { 0 };
	struct lc_collapse_req in;
	int err;

	err = lc_collapse_args(ctx, req, req_size, &in, result_size);
	if (err)
		return err;
	err = lc_collapse_step(ctx, &in, &r);
	lc_abi_copy_out(result, result_size, &r, sizeof(r));
	return err;
}

static int lc_collapse_steps(struct lc_ctx *ctx,
			     const struct lc_collapse_req *req,
			     struct lc_collapse_result *result,
			     lc_collapse_step_fn fn, void *arg)
{
	struct lc_collapse_req step = *req;
	struct lc_collapse_result part;
	bool first = true;
	int err;

	for (;;) {
		err = lc_collapse_step(ctx, &step, &part);
		if (err)
			return err;
		lc_collapse_result_add(result, &part, first);
		first = false;
		if (!part.has_next)
			break;
		if (fn) {
			err = fn(result, arg);
			if (err < 0)
				return lc_error_set(ctx, err,
						    "%s: stopped between steps by the caller at 0x%" PRIx64 ": %s",
						    lc_op_collapse.name, part.next,
						    strerror(-err));
		}

		/*
		 * Continue from the cursor to the end of the range the kernel
		 * echoed.  It must move forward and stay inside the range, or
		 * this loop would never end.
		 */
		if (!part.has_range)
			return lc_error_set(ctx, -EPROTO,
					    "%s: %s: the kernel returned a resume cursor without the range it scanned",
					    lc_op_collapse.name, strerror(EPROTO));
		if (part.next <= part.start || part.next >= part.end)
			return lc_error_set(ctx, -EPROTO,
					    "%s: %s: the kernel's resume cursor 0x%" PRIx64
					    " does not move forward in 0x%" PRIx64
					    "-0x%" PRIx64,
					    lc_op_collapse.name, strerror(EPROTO),
					    part.next, part.start, part.end);
		step.has_range = true;
		step.range.start = part.next;
		step.range.end = part.end;
	}
	return 0;
}

LC_EXPORT int lc_collapse_each(struct lc_ctx *ctx,
			       const struct lc_collapse_req *req,
			       size_t req_size,
			       struct lc_collapse_result *result,
			       size_t result_size,
			       lc_collapse_step_fn fn, void *arg)
{
	struct lc_collapse_result sum = { 0 };
	struct lc_collapse_req in;
	int err;

	err = lc_collapse_args(ctx, req, req_size, &in, result_size);
	if (err)
		return err;
	err = lc_collapse_steps(ctx, &in, &sum, fn, arg);
	lc_abi_copy_out(result, result_size, &sum, sizeof(sum));
	return err;
}

LC_EXPORT int lc_collapse_all(struct lc_ctx *ctx,
			      const struct lc_collapse_req *req,
			      size_t req_size,
			      struct lc_collapse_result *result,
			      size_t result_size)
{
	return lc_collapse_each(ctx, req, req_size, result, result_size,
				NULL, NULL);
}

LC_EXPORT const char *lc_skip_name(enum lc_skip skip)
{
	if ((unsigned int)skip >= LC_SKIP_NR)
		return NULL;
	return lc_skip_names[skip];
}
