// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/linmap.h>
#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/handlers.h>
#include <netlink/socket.h>

#include "fake-kernel.h"

#define FK_MAX_DGRAMS	32

struct fk_dgram {
	unsigned char *buf;
	size_t len;
	int nlerr;		/* a receive failure instead of data */
	int sys_errno;
};

static struct {
	fk_responder responder;
	void *arg;
	struct fk_dgram dgrams[FK_MAX_DGRAMS];
	int queued;
	int next;
	struct nl_msg *last_request;
} fk;

struct nl_msg *fk_reply_new(const struct nlmsghdr *req, uint8_t cmd)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg)
		abort();
	if (!genlmsg_put(msg, req ? req->nlmsg_pid : 0,
			 req ? req->nlmsg_seq : 0, FK_FAMILY, 0, 0, cmd, 1))
		abort();
	return msg;
}

int fk_put_u64_64bit(struct nl_msg *msg, int type, uint64_t val, int padtype)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	size_t tail = NLMSG_ALIGN(nlh->nlmsg_len);

	/* As nla_need_padding_for_64bit(): payload offset must be 8-aligned. */
	if ((tail + NLA_HDRLEN) % 8 &&
	    nla_put(msg, padtype, 0, NULL) < 0)
		return -1;
	return nla_put_u64(msg, type, val);
}

int fk_put_count_nest(struct nl_msg *msg, int type, int key_type,
		      uint32_t key, int count_type, uint64_t count,
		      int padtype)
{
	struct nlattr *nest = nla_nest_start(msg, type);

	if (!nest || nla_put_u32(msg, key_type, key) < 0 ||
	    fk_put_u64_64bit(msg, count_type, count, padtype) < 0)
		return -1;
	return nla_nest_end(msg, nest);
}

void fk_put_collapse_counts(struct nl_msg *msg, uint64_t scanned,
			    uint64_t next, uint32_t skip_reason,
			    uint64_t skip_count)
{
	const int pad = LINMAP_A_COLLAPSE_PAD;

	if (next)
		fk_put_u64_64bit(msg, LINMAP_A_COLLAPSE_NEXT, next, pad);
	fk_put_u64_64bit(msg, LINMAP_A_COLLAPSE_TABLES_SCANNED, scanned, pad);
	fk_put_count_nest(msg, LINMAP_A_COLLAPSE_FOLDS,
			  LINMAP_A_LEVEL_COUNT_LEVEL, LINMAP_LEAF_LEVEL_PMD,
			  LINMAP_A_LEVEL_COUNT_COUNT, scanned,
			  LINMAP_A_LEVEL_COUNT_PAD);
	fk_put_u64_64bit(msg, LINMAP_A_COLLAPSE_TABLES_FREED, scanned, pad);
	fk_put_u64_64bit(msg, LINMAP_A_COLLAPSE_BYTES_FREED, scanned * 4096,
			 pad);
	fk_put_u64_64bit(msg, LINMAP_A_COLLAPSE_NSECS, 1000, pad);
	fk_put_count_nest(msg, LINMAP_A_COLLAPSE_SKIPS,
			  LINMAP_A_SKIP_COUNT_REASON, skip_reason,
			  LINMAP_A_SKIP_COUNT_COUNT, skip_count,
			  LINMAP_A_SKIP_COUNT_PAD);
}

void fk_answer_stats(const struct nlmsghdr *req, struct fk_stats *fs,
		     bool one_datagram)
{
	static const int leaf_attr[5] = {
		LINMAP_A_STATS_LEAVES_PUD, LINMAP_A_STATS_LEAVES_CONT_PMD,
		LINMAP_A_STATS_LEAVES_PMD, LINMAP_A_STATS_LEAVES_CONT_PTE,
		LINMAP_A_STATS_LEAVES_PTE,
	};
	const int pad = LINMAP_A_STATS_PAD;
	struct nlattr *tb[LINMAP_A_STATS_MAX + 1];
	struct nl_msg *msg;
	bool walk, range;
	uint32_t level;

	if (genlmsg_parse((struct nlmsghdr *)req, 0, tb, LINMAP_A_STATS_MAX,
			  NULL) < 0)
		abort();
	fs->requests++;
	range = tb[LINMAP_A_STATS_START] && tb[LINMAP_A_STATS_END];
	fs->last_walk_flag = tb[LINMAP_A_STATS_WALK] != NULL;
	fs->last_range = range;
	/*
	 * A kernel before the flag validates strictly: an attribute above
	 * its maxattr is refused.
	 */
	if (fs->predates_walk && fs->last_walk_flag) {
		fs->refused++;
		fk_queue(fk_error_new(req, -EINVAL, true, FK_UNKNOWN_ATTRIBUTE),
			 false);
		return;
	}
	/* A kernel before the flag does not know it: it always walks. */
	walk = fs->predates_walk || fs->last_walk_flag || range;
	/* It walked the whole map for anyone; a range always needed admin. */
	if (!fs->admin && (range || (walk && !fs->predates_walk))) {
		fs->refused++;
		fk_queue(fk_error_new(req, -EPERM, true,
				      range ? FK_RANGE_NEEDS_ADMIN :
					      FK_WALK_NEEDS_ADMIN), false);
		return;
	}
	fs->walks += walk;

	msg = fk_reply_new(req, LINMAP_CMD_GET_STATS);
	if (range) {
		fk_put_u64_64bit(msg, LINMAP_A_STATS_START,
				 nla_get_u64(tb[LINMAP_A_STATS_START]), pad);
		fk_put_u64_64bit(msg, LINMAP_A_STATS_END,
				 nla_get_u64(tb[LINMAP_A_STATS_END]), pad);
	}
	for (level = 0; level < 5; level++)
		fk_put_u64_64bit(msg, leaf_attr[level], fs->leaves[level], pad);
	if (walk && !fs->walk_without_ideal) {
		fk_put_u64_64bit(msg, LINMAP_A_STATS_INVALID, fs->invalid, pad);
		fk_put_u64_64bit(msg, LINMAP_A_STATS_IDEAL_LEAVES, fs->ideal,
				 pad);
	}
	fk_put_u64_64bit(msg, LINMAP_A_STATS_TABLE_PAGES, fs->table_pages, pad);
	fk_put_u64_64bit(msg, LINMAP_A_STATS_MAPPED_BYTES, fs->mapped, pad);
	for (level = 0; level < 5; level++)
		fk_put_count_nest(msg, LINMAP_A_STATS_SPLITS,
				  LINMAP_A_LEVEL_COUNT_LEVEL, level,
				  LINMAP_A_LEVEL_COUNT_COUNT, fs->splits[level],
				  LINMAP_A_LEVEL_COUNT_PAD);
	for (level = 0; level < 5; level++)
		fk_put_count_nest(msg, LINMAP_A_STATS_FOLDS,
				  LINMAP_A_LEVEL_COUNT_LEVEL, level,
				  LINMAP_A_LEVEL_COUNT_COUNT, fs->folds[level],
				  LINMAP_A_LEVEL_COUNT_PAD);
	fk_put_u64_64bit(msg, LINMAP_A_STATS_TABLES_FREED, fs->tables_freed,
			 pad);
	/* Split tracking: the whole map only, counters or walk. */
	if (!range && !fs->predates_walk && !fs->predates_split_tracking)
		fk_put_u64_64bit(msg, LINMAP_A_STATS_MARKED_REGIONS,
				 fs->marked_regions, pad);
	fk_queue(msg, false);
	fk_queue(fk_error_new(req, 0, true, NULL), one_datagram);
}

static struct nlattr *fk_collapse_full_scan_attr(const struct nlmsghdr *req)
{
	return nlmsg_find_attr((struct nlmsghdr *)req, GENL_HDRLEN,
			       LINMAP_A_COLLAPSE_FULL_SCAN);
}

bool fk_collapse_full_scan(const struct nlmsghdr *req)
{
	return fk_collapse_full_scan_attr(req) != NULL;
}

bool fk_collapse_refuse_full_scan(const struct nlmsghdr *req, bool predates)
{
	struct nlattr *nla = fk_collapse_full_scan_attr(req);
	struct nl_msg *msg;

	if (!predates || !nla)
		return false;
	msg = fk_error_new(req, -EINVAL, true, FK_UNKNOWN_ATTRIBUTE);
	if (fk_error_put_u32(msg, NLMSGERR_ATTR_OFFS,
			     (uint32_t)((const char *)nla - (const char *)req)) < 0)
		abort();
	fk_queue(msg, false);
	return true;
}

void fk_put_collapse_regions(struct nl_msg *msg, bool predates, bool full,
			     uint64_t regions)
{
	if (predates)
		return;
	if (full)
		nla_put_flag(msg, LINMAP_A_COLLAPSE_FULL_SCAN);
	fk_put_u64_64bit(msg, LINMAP_A_COLLAPSE_REGIONS_SCANNED, regions,
			 LINMAP_A_COLLAPSE_PAD);
}

uint64_t fk_collapse_hold(int step)
{
	static const uint64_t holds[] = { 300, 900, 500, 200 };

	return holds[step % 4];
}

void fk_put_collapse_longest_hold(struct nl_msg *msg, bool predates,
				  int step)
{
	if (predates)
		return;
	fk_put_u64_64bit(msg, LINMAP_A_COLLAPSE_LONGEST_HOLD_NSECS,
			 fk_collapse_hold(step), LINMAP_A_COLLAPSE_PAD);
}

struct nl_msg *fk_event_new(uint8_t cmd)
{
	return fk_reply_new(NULL, cmd);
}

struct nl_msg *fk_error_new(const struct nlmsghdr *req, int error,
			    bool capped, const char *extack_msg)
{
	struct nlmsgerr e = { .error = error, .msg = *req };
	struct nl_msg *msg;
	int flags = capped ? NLM_F_CAPPED : 0;

	if (extack_msg)
		flags |= NLM_F_ACK_TLVS;
	msg = nlmsg_alloc_simple(NLMSG_ERROR, flags);
	if (!msg)
		abort();
	nlmsg_hdr(msg)->nlmsg_seq = req->nlmsg_seq;
	nlmsg_hdr(msg)->nlmsg_pid = req->nlmsg_pid;
	if (nlmsg_append(msg, &e, sizeof(e), NLMSG_ALIGNTO) < 0)
		abort();
	if (!capped &&
	    nlmsg_append(msg, (char *)req + NLMSG_HDRLEN,
			 req->nlmsg_len - NLMSG_HDRLEN, NLMSG_ALIGNTO) < 0)
		abort();
	if (extack_msg && nla_put_string(msg, NLMSGERR_ATTR_MSG, extack_msg) < 0)
		abort();
	return msg;
}

int fk_error_put_u32(struct nl_msg *msg, int type, uint32_t val)
{
	nlmsg_hdr(msg)->nlmsg_flags |= NLM_F_ACK_TLVS;
	return nla_put_u32(msg, type, val);
}

void fk_queue(struct nl_msg *msg, bool same_datagram)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	size_t len = NLMSG_ALIGN(nlh->nlmsg_len);
	struct fk_dgram *d;

	if (same_datagram && fk.queued > fk.next) {
		d = &fk.dgrams[fk.queued - 1];
	} else {
		if (fk.queued == FK_MAX_DGRAMS)
			abort();
		d = &fk.dgrams[fk.queued++];
	}
	d->buf = realloc(d->buf, d->len + len);
	if (!d->buf)
		abort();
	memset(d->buf + d->len, 0, len);
	memcpy(d->buf + d->len, nlh, nlh->nlmsg_len);
	d->len += len;
	nlmsg_free(msg);
}

void fk_queue_recv_error(int nlerr, int sys_errno)
{
	struct fk_dgram *d;

	if (fk.queued == FK_MAX_DGRAMS)
		abort();
	d = &fk.dgrams[fk.queued++];
	d->nlerr = nlerr;
	d->sys_errno = sys_errno;
}

int fk_pending(void)
{
	return fk.queued - fk.next;
}

struct nl_msg *fk_last_request(void)
{
	return fk.last_request;
}

static int fk_send(struct nl_sock *sk, struct nl_msg *msg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);

	(void)sk;
	if (fk.last_request)
		nlmsg_free(fk.last_request);
	fk.last_request = nlmsg_convert(nlh);
	if (!fk.last_request)
		abort();
	if (fk.responder)
		fk.responder(nlmsg_hdr(fk.last_request), fk.arg);
	return (int)nlh->nlmsg_len;
}

static int fk_recv(struct nl_sock *sk, struct sockaddr_nl *nla,
		   unsigned char **buf, struct ucred **creds)
{
	struct fk_dgram *d;
	int len;

	(void)sk;
	(void)creds;
	if (fk.next == fk.queued)
		return 0;	/* what nl_recv() returns on EOF */
	d = &fk.dgrams[fk.next++];
	if (d->nlerr) {
		len = d->nlerr;
		errno = d->sys_errno;
		d->nlerr = 0;
		d->sys_errno = 0;
		return len;
	}
	nla->nl_family = AF_NETLINK;
	nla->nl_pid = 0;
	*buf = d->buf;		/* libnl frees it */
	len = (int)d->len;
	d->buf = NULL;
	d->len = 0;
	return len;
}

struct nl_sock *fk_sock_new(fk_responder responder, void *arg)
{
	struct nl_sock *sock = nl_socket_alloc();
	struct nl_cb *cb;

	if (!sock)
		abort();
	while (fk.next < fk.queued) {
		free(fk.dgrams[fk.next].buf);
		fk.dgrams[fk.next].buf = NULL;
		fk.dgrams[fk.next].len = 0;
		fk.dgrams[fk.next].nlerr = 0;
		fk.next++;
	}
	fk.queued = fk.next = 0;
	fk.responder = responder;
	fk.arg = arg;

	cb = nl_socket_get_cb(sock);
	nl_cb_overwrite_send(cb, fk_send);
	nl_cb_overwrite_recv(cb, fk_recv);
	nl_cb_put(cb);
	return sock;
}
