// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Capabilities: "get-caps" takes no attributes and answers with what the
 * system offers.  The linear map's address range is only sent to
 * CAP_SYS_ADMIN callers (it reveals the KASLR layout), so it is optional.
 * The region size came with split tracking: optional too (0 without).
 */
#include <errno.h>
#include <string.h>

#include <linux/linmap.h>

#include "libcollapse-private.h"

static const char *const lc_caps_attr_names[LINMAP_A_CAPS_MAX + 1] = {
	[LINMAP_A_CAPS_PAD]		= "pad",
	[LINMAP_A_CAPS_GRANULE]		= "granule",
	[LINMAP_A_CAPS_BBML3]		= "bbml3",
	[LINMAP_A_CAPS_BLOCK_CAPABLE]	= "block-capable",
	[LINMAP_A_CAPS_RODATA_FULL]	= "rodata-full",
	[LINMAP_A_CAPS_REALM]		= "realm",
	[LINMAP_A_CAPS_POE]		= "poe",
	[LINMAP_A_CAPS_KFENCE]		= "kfence",
	[LINMAP_A_CAPS_REASON]		= "reason",
	[LINMAP_A_CAPS_LINEAR_START]	= "linear-start",
	[LINMAP_A_CAPS_LINEAR_END]	= "linear-end",
	[LINMAP_A_CAPS_RAM_BYTES]	= "ram-bytes",
	[LINMAP_A_CAPS_REGION_SIZE]	= "region-size",
	[LINMAP_A_CAPS_PINGPONG_MSECS]	= "pingpong-msecs",
};

static int lc_caps_parse_any(struct nl_msg *msg, void *out, char *detail,
			     size_t detail_size)
{
	return lc_caps_reply_parse(msg, out, detail, detail_size);
}

const struct lc_op lc_op_get_caps = {
	.name		= "get-caps",
	.cmd		= LINMAP_CMD_GET_CAPS,
	.attr_max	= LINMAP_A_CAPS_MAX,
	.attr_names	= lc_caps_attr_names,
	.parse_reply	= lc_caps_parse_any,
};

struct nl_msg *lc_caps_request_build(int family)
{
	return lc_request_new(family, LINMAP_CMD_GET_CAPS);
}

int lc_caps_reply_parse(struct nl_msg *msg, struct lc_caps *caps,
			char *detail, size_t detail_size)
{
	struct nlattr *tb[LINMAP_A_CAPS_MAX + 1];
	struct lc_attrs attrs;
	struct lc_caps c = { 0 };

	if (lc_attrs_parse(&attrs, &lc_op_get_caps, msg, tb, detail,
			   detail_size))
		return attrs.err;

	c.granule = (uint32_t)lc_attrs_uint(&attrs, LINMAP_A_CAPS_GRANULE);
	c.bbml3 = lc_attrs_bool(&attrs, LINMAP_A_CAPS_BBML3);
	c.block_capable = lc_attrs_bool(&attrs, LINMAP_A_CAPS_BLOCK_CAPABLE);
	c.rodata_full = lc_attrs_bool(&attrs, LINMAP_A_CAPS_RODATA_FULL);
	c.realm = lc_attrs_bool(&attrs, LINMAP_A_CAPS_REALM);
	c.poe = lc_attrs_bool(&attrs, LINMAP_A_CAPS_POE);
	c.kfence = lc_attrs_bool(&attrs, LINMAP_A_CAPS_KFENCE);
	c.ram_bytes = lc_attrs_uint(&attrs, LINMAP_A_CAPS_RAM_BYTES);
	lc_attrs_string(&attrs, LINMAP_A_CAPS_REASON, c.reason,
			sizeof(c.reason));
	c.has_linear_range = lc_attrs_range(&attrs, LINMAP_A_CAPS_LINEAR_START,
					    LINMAP_A_CAPS_LINEAR_END,
					    &c.linear_start, &c.linear_end);
	if (lc_attrs_has(&attrs, LINMAP_A_CAPS_REGION_SIZE))
		c.region_size = lc_attrs_uint(&attrs, LINMAP_A_CAPS_REGION_SIZE);
	if (lc_attrs_has(&attrs, LINMAP_A_CAPS_PINGPONG_MSECS))
		c.pingpong_msecs = (uint32_t)lc_attrs_uint(&attrs,
							   LINMAP_A_CAPS_PINGPONG_MSECS);
	if (attrs.err)
		return attrs.err;

	*caps = c;
	return 0;
}

LC_EXPORT int lc_get_caps(struct lc_ctx *ctx, struct lc_caps *caps,
			  size_t caps_size)
{
	struct lc_caps c = { 0 };
	struct nl_msg *req;
	int err;

	lc_error_clear(ctx);
	err = lc_abi_check_size(ctx, lc_op_get_caps.name, "struct lc_caps",
				caps_size, LC_CAPS_SIZE_VER1);
	if (err)
		return err;
	req = lc_caps_request_build(ctx->family);
	if (!req)
		return lc_error_set(ctx, -ENOMEM, "%s: %s",
				    lc_op_get_caps.name, strerror(ENOMEM));
	err = lc_request(ctx, &lc_op_get_caps, req, &c);
	lc_abi_copy_out(caps, caps_size, &c, sizeof(c));
	return err;
}
