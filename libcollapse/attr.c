// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Reading reply attributes.  The kernel writes counters as u64 (with a pad
 * attribute), GRANULE as u32 and booleans as u8; libnl 3.7 has no
 * nla_get_uint(), so accept any unsigned width of 1, 2, 4 or 8 bytes, as the
 * kernel's NLA_UINT does for 4 and 8.  The first problem is kept and names
 * the attribute, so an operator sees what the kernel got wrong.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <netlink/genl/genl.h>

#include "libcollapse-private.h"

const char *lc_op_attr_name(const struct lc_op *op, int type)
{
	if (type <= 0 || type > op->attr_max)
		return NULL;
	return op->attr_names[type];
}

int lc_attr_get_uint(const struct nlattr *nla, uint64_t *val)
{
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;

	/* Payloads are only 4-byte aligned: copy, never dereference. */
	switch (nla_len(nla)) {
	case sizeof(u8):
		memcpy(&u8, nla_data(nla), sizeof(u8));
		*val = u8;
		return 0;
	case sizeof(u16):
		memcpy(&u16, nla_data(nla), sizeof(u16));
		*val = u16;
		return 0;
	case sizeof(u32):
		memcpy(&u32, nla_data(nla), sizeof(u32));
		*val = u32;
		return 0;
	case sizeof(u64):
		memcpy(&u64, nla_data(nla), sizeof(u64));
		*val = u64;
		return 0;
	default:
		return -EPROTO;
	}
}

void lc_attrs_fail(struct lc_attrs *attrs, int err, const char *fmt, ...)
{
	va_list ap;

	if (attrs->err)
		return;
	attrs->err = err;
	va_start(ap, fmt);
	vsnprintf(attrs->detail, attrs->detail_size, fmt, ap);
	va_end(ap);
}

const char *lc_attrs_name(const struct lc_attrs *attrs, int type)
{
	const char *name = lc_op_attr_name(attrs->op, type);

	return name ? name : "?";
}

/* What the message is, for error text: "reply" or "event". */
static const char *lc_attrs_what(const struct lc_attrs *attrs)
{
	return attrs->op->event ? "event" : "reply";
}

int lc_attrs_parse(struct lc_attrs *attrs, const struct lc_op *op,
		   struct nl_msg *msg, struct nlattr **tb,
		   char *detail, size_t detail_size)
{
	attrs->op = op;
	attrs->tb = tb;
	attrs->head = NULL;
	attrs->len = 0;
	attrs->err = 0;
	attrs->detail = detail;
	attrs->detail_size = detail_size;
	if (detail_size)
		detail[0] = '\0';

	/* No policy: widths are checked per attribute, unknown types skipped. */
	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, op->attr_max, NULL) < 0) {
		memset(tb, 0, sizeof(*tb) * (size_t)(op->attr_max + 1));
		lc_attrs_fail(attrs, -EPROTO, "malformed %s from the kernel",
			      lc_attrs_what(attrs));
		return attrs->err;
	}
	attrs->head = genlmsg_attrdata(nlmsg_data(nlmsg_hdr(msg)), 0);
	attrs->len = genlmsg_attrlen(nlmsg_data(nlmsg_hdr(msg)), 0);
	return attrs->err;
}

bool lc_attrs_has(const struct lc_attrs *attrs, int type)
{
	return attrs->tb[type] != NULL;
}

uint64_t lc_attrs_uint(struct lc_attrs *attrs, int type)
{
	uint64_t val;

	if (!attrs->tb[type]) {
		lc_attrs_fail(attrs, -EPROTO,
			      "%s from the kernel lacks attribute '%s'",
			      lc_attrs_what(attrs), lc_attrs_name(attrs, type));
		return 0;
	}
	if (lc_attr_get_uint(attrs->tb[type], &val) < 0) {
		lc_attrs_fail(attrs, -EPROTO,
			      "attribute '%s' has %d bytes, expected 1, 2, 4 or 8",
			      lc_attrs_name(attrs, type),
			      nla_len(attrs->tb[type]));
		return 0;
	}
	return val;
}

bool lc_attrs_bool(struct lc_attrs *attrs, int type)
{
	return lc_attrs_uint(attrs, type) != 0;
}

void lc_attrs_string(struct lc_attrs *attrs, int type, char *dst,
		     size_t size)
{
	dst[0] = '\0';
	if (attrs->tb[type])
		nla_strlcpy(dst, attrs->tb[type], size);
}

bool lc_attrs_pair(struct lc_attrs *attrs, int type_a, int type_b,
		   uint64_t *a, uint64_t *b)
{
	bool has_a = lc_attrs_has(attrs, type_a);
	bool has_b = lc_attrs_has(attrs, type_b);

	*a = 0;
	*b = 0;
	if (!has_a && !has_b)
		return false;
	if (has_a != has_b) {
		lc_attrs_fail(attrs, -EPROTO,
			      "%s from the kernel has attribute '%s' without '%s'",
			      lc_attrs_what(attrs),
			      lc_attrs_name(attrs, has_a ? type_a : type_b),
			      lc_attrs_name(attrs, has_a ? type_b : type_a));
		return false;
	}
	*a = lc_attrs_uint(attrs, type_a);
	*b = lc_attrs_uint(attrs, type_b);
	return attrs->err == 0;
}

bool lc_attrs_range(struct lc_attrs *attrs, int start_type, int end_type,
		    uint64_t *start, uint64_t *end)
{
	return lc_attrs_pair(attrs, start_type, end_type, start, end);
}
