// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: libcollapse's parsers of what the kernel sends, fed with
 * messages built from the input: the reply parsers (get-caps, get-stats,
 * collapse), the event parser and the extended-ack parser.  The first byte
 * picks the parser and the generic netlink command; the rest becomes the
 * attributes of a generic netlink message (or, for the extended ack, the
 * payload of an NLMSG_ERROR message).  A parser must refuse what it cannot
 * read with an error, never read outside the message.
 */
#include <stdint.h>
#include <string.h>

#include <linux/linmap.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "libcollapse-private.h"

#define FAMILY	0x1d

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct nl_msg *genl_message(uint8_t cmd, const uint8_t *attrs, size_t len)
{
	struct nl_msg *msg = nlmsg_alloc_size(NLMSG_HDRLEN + GENL_HDRLEN + len + 64);
	void *hdr;

	if (!msg)
		return NULL;
	hdr = genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, FAMILY, 0, 0, cmd,
			  LINMAP_FAMILY_VERSION);
	if (!hdr || nlmsg_append(msg, (void *)attrs, len, 0) < 0) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char detail[LC_DETAIL_MAX];
	union {
		struct lc_caps caps;
		struct lc_stats stats;
		struct lc_collapse_result result;
		struct lc_event ev;
	} out;
	struct lc_extack ext;
	struct nl_msg *msg;

	if (size < 1)
		return 0;
	memset(&out, 0, sizeof(out));
	switch (data[0] % 5) {
	case 0:
		msg = genl_message(LINMAP_CMD_GET_CAPS, data + 1, size - 1);
		if (msg)
			lc_caps_reply_parse(msg, &out.caps, detail, sizeof(detail));
		break;
	case 1:
		msg = genl_message(LINMAP_CMD_GET_STATS, data + 1, size - 1);
		if (msg)
			lc_stats_reply_parse(msg, &out.stats, detail, sizeof(detail));
		break;
	case 2:
		msg = genl_message(LINMAP_CMD_COLLAPSE, data + 1, size - 1);
		if (msg)
			lc_collapse_reply_parse(msg, &out.result, detail,
						sizeof(detail));
		break;
	case 3:
		/* the second bit picks split or collapse notification */
		msg = genl_message(data[0] & 8 ? LINMAP_CMD_COLLAPSE_NTF :
						 LINMAP_CMD_SPLIT_NTF,
				   data + 1, size - 1);
		if (msg)
			lc_event_parse(msg, FAMILY, &out.ev, detail,
				       sizeof(detail));
		break;
	default: {
		/* an NLMSG_ERROR: its error and offending header, then TLVs */
		size_t len = NLMSG_HDRLEN + size - 1;
		struct nlmsghdr *nlh;

		msg = nlmsg_alloc_size(len + 64);
		if (!msg)
			break;
		nlh = nlmsg_put(msg, 0, 0, NLMSG_ERROR, size - 1,
				data[0] & 8 ? NLM_F_CAPPED | NLM_F_ACK_TLVS : 0);
		if (nlh) {
			memcpy(nlmsg_data(nlh), data + 1, size - 1);
			lc_extack_parse(nlh, &ext);
		}
		break;
	}
	}
	if (msg)
		nlmsg_free(msg);
	return 0;
}
