// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Extended acks.  libnl 3.7 has no API for them, so read them by hand, as
 * hostapd's send_and_recv() and iw do.  With NETLINK_EXT_ACK set on the
 * socket the kernel's NLMSG_ERROR message is laid out as:
 *
 *   struct nlmsghdr         (nlmsg_flags has NLM_F_ACK_TLVS when TLVs follow)
 *   struct nlmsgerr         error code + header of our request
 *   request payload         only without NLM_F_CAPPED, padded to 4 bytes
 *   TLVs                    NLMSGERR_ATTR_MSG, _OFFS, _MISS_TYPE, ...
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <netlink/genl/genl.h>

#include "libcollapse-private.h"

int lc_extack_parse(const struct nlmsghdr *nlh, struct lc_extack *ext)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	const struct nlmsgerr *e;
	size_t tlv_off;

	memset(ext, 0, sizeof(*ext));
	if (nlh->nlmsg_type != NLMSG_ERROR ||
	    nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
		return -EBADMSG;

	e = NLMSG_DATA(nlh);
	/* The kernel sends -errno; be tolerant of a positive value. */
	ext->error = e->error > 0 ? -e->error : e->error;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return 0;

	tlv_off = NLMSG_LENGTH(sizeof(*e));
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		if (e->msg.nlmsg_len < NLMSG_HDRLEN)
			return 0;
		tlv_off += NLMSG_ALIGN(e->msg.nlmsg_len - NLMSG_HDRLEN);
	}
	if (tlv_off >= nlh->nlmsg_len)
		return 0;

	if (nla_parse(tb, NLMSGERR_ATTR_MAX,
		      (struct nlattr *)((char *)nlh + tlv_off),
		      (int)(nlh->nlmsg_len - tlv_off), NULL) < 0)
		return 0;	/* keep the error code, drop malformed TLVs */

	if (tb[NLMSGERR_ATTR_MSG])
		nla_strlcpy(ext->msg, tb[NLMSGERR_ATTR_MSG], sizeof(ext->msg));
	if (tb[NLMSGERR_ATTR_OFFS] &&
	    nla_len(tb[NLMSGERR_ATTR_OFFS]) == sizeof(uint32_t)) {
		ext->has_offset = true;
		ext->offset = nla_get_u32(tb[NLMSGERR_ATTR_OFFS]);
	}
	if (tb[NLMSGERR_ATTR_MISS_TYPE] &&
	    nla_len(tb[NLMSGERR_ATTR_MISS_TYPE]) == sizeof(uint32_t)) {
		ext->has_miss_type = true;
		ext->miss_type = nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);
	}
	return 0;
}

LC_PRINTF(3, 4)
static void lc_append(char *buf, size_t size, const char *fmt, ...)
{
	size_t len = strnlen(buf, size);
	va_list ap;

	if (len + 1 >= size)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + len, size - len, fmt, ap);
	va_end(ap);
}

/* Type of the attribute of @req that the kernel's offset points at, or -1. */
static int lc_request_attr_at(struct nl_msg *req, uint32_t offset)
{
	const struct nlmsghdr *nlh = nlmsg_hdr(req);
	const struct nlattr *nla;

	if (offset < NLMSG_HDRLEN + GENL_HDRLEN ||
	    (uint64_t)offset + NLA_HDRLEN > nlh->nlmsg_len)
		return -1;
	nla = (const struct nlattr *)((const char *)nlh + offset);
	return nla_type(nla);
}

void lc_extack_format(char *buf, size_t size, const struct lc_op *op,
		      const struct lc_extack *ext, struct nl_msg *req)
{
	const char *name;

	snprintf(buf, size, "%s: %s", op->name, strerror(-ext->error));
	if (ext->msg[0])
		lc_append(buf, size, ": %s", ext->msg);
	else if (ext->error == -EOPNOTSUPP)
		/*
		 * The family's handlers explain their refusals; a bare
		 * EOPNOTSUPP is genetlink's answer to a command the family
		 * does not have: a kernel older than this library.
		 */
		lc_append(buf, size,
			  ": the running kernel does not know the '%s' operation (its linmap series predates it)",
			  op->name);
	if (ext->has_miss_type) {
		name = lc_op_attr_name(op, (int)ext->miss_type);
		if (name)
			lc_append(buf, size, ": missing attribute '%s'", name);
		else
			lc_append(buf, size, ": missing attribute type %u",
				  ext->miss_type);
	}
	if (ext->has_offset && req) {
		name = lc_op_attr_name(op, lc_request_attr_at(req, ext->offset));
		if (name)
			lc_append(buf, size, " (attribute '%s')", name);
	}
}
