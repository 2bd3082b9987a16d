// SPDX-License-Identifier: GPL-2.0
/*
 * nl-fuzz: send generated well-formed and malformed requests to the linmap
 * generic netlink family and check how each one is answered.
 *
 *   nl-fuzz [--seed N] [--count N] [--collapse-every N] [--as-user UID]
 *
 * Each request belongs to one class (below) and is followed by a sentinel,
 * a get-caps request with NLM_F_ACK, so that every request's answer is
 * known to be complete when the sentinel's acknowledgement arrives; a
 * sentinel that does not arrive within 30 seconds is a failure.  Each
 * answer is one of:
 *
 *   accepted       a reply or an acknowledgement without error
 *   refused        an error with an extended ACK message (extack)
 *   core           an error without a message from the generic netlink core
 *                  itself, which sets none: a message too short for the
 *                  genetlink header (-EINVAL), a command the family does not
 *                  have or a dump it does not offer (-EOPNOTSUPP)
 *   dropped        no answer where the netlink core drops the message (a
 *                  datagram shorter than a header, a header longer than the
 *                  datagram or shorter than itself; an empty datagram the
 *                  socket refuses with ENODATA) or the message is no
 *                  request and asks for no ACK
 *
 * and it is a violation when it is anything else: an error without a
 * message that the core does not explain, silence where an answer is due,
 * an answer where none is, or, with --as-user, any success of a request that
 * needs CAP_SYS_ADMIN (collapse, a walk, ranged statistics), a refusal of one
 * whose message does not name CAP_SYS_ADMIN, or a subscription to the events
 * group that succeeds.  --as-user drops to UID (and its GID, no
 * capabilities) after reading the memory layout and before opening any
 * socket.  As root, every --collapse-every'th request is a real collapse
 * with the kernel's default budget, between the generated ones.
 *
 * Prints one line per class with its counts, the errnos seen, and each
 * violation with the seed and request number that reproduce it.
 *
 * Exit status: 0 no violation, 1 a violation or a system call failed,
 * 2 usage error.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>

#include <linux/linmap.h>

#include "stress-util.h"

#define BUF_SIZE	4096
#define SENTINEL_SECS	30

enum answer { ACCEPTED, REFUSED, CORE, DROPPED, NR_ANSWERS };
static const char *const answer_name[NR_ANSWERS] = {
	"accepted", "refused", "core", "dropped",
};

/* What the netlink and genetlink cores do with a request before the family */
enum expect {
	EXPECT_FAMILY,		/* reaches the family (or its policy) */
	EXPECT_CORE,		/* refused by the core without a message */
	EXPECT_DROP,		/* dropped without an answer */
	EXPECT_ACK_ONLY,	/* no request: acknowledged, not handled */
};

enum fuzz_class {
	C_VALID,	/* well-formed requests of every command */
	C_SHORT,	/* datagram shorter than struct nlmsghdr, or empty */
	C_LEN_OVER,	/* nlmsg_len beyond the datagram */
	C_LEN_UNDER,	/* nlmsg_len below NLMSG_HDRLEN */
	C_NO_GENL,	/* no or a partial genetlink header */
	C_BAD_CMD,	/* commands the family does not have (0, events, >5) */
	C_FLAGS,	/* every nlmsg_flags combination */
	C_RESERVED,	/* genlmsghdr.reserved set */
	C_ATTR_LEN,	/* known attributes with the wrong payload length */
	C_ATTR_TYPE,	/* unknown, zero, pad and flag-bit attribute types */
	C_ATTR_DUP,	/* a known attribute twice */
	C_ATTR_TRUNC,	/* nla_len past the message, below the header, tails */
	C_BUDGET,	/* collapse budgets 0, 1, huge, random */
	C_RANGE,	/* ranges at and past the ends of memory, bad shapes */
	C_RANDOM,	/* random bytes after a genetlink header */
	NR_CLASSES,
};
static const char *const class_name[NR_CLASSES] = {
	"valid", "short-datagram", "len-over", "len-under", "no-genl-header",
	"bad-command", "flags", "reserved", "attr-length", "attr-type",
	"attr-duplicate", "attr-truncated", "budget", "range", "random",
};

struct counts {
	unsigned long sent;
	unsigned long answer[NR_ANSWERS];
	unsigned long violations;
};

static struct counts counts[NR_CLASSES];
static unsigned long errnos[256];
static unsigned long real_collapses;
static unsigned long cap_refusals;	/* --as-user: EPERM naming the capability */
static unsigned long total_violations;

static uint64_t rng_state;
static uint64_t seed = 1;
static uint64_t mem_start, mem_end;	/* [start, end) of System RAM */
static bool unprivileged;

/* xorshift64*: deterministic for a seed, so that a violation reproduces */
static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

static uint64_t rnd_below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

/* A request being built: headers, then attributes */
struct req {
	unsigned char buf[BUF_SIZE] __attribute__((aligned(4)));
	size_t len;		/* bytes to send */
	enum expect expect;
	bool needs_admin;	/* refused with --as-user, naming the capability */
	bool may_fail;		/* a refusal is an expected answer */
};

static struct nlmsghdr *req_nlh(struct req *r)
{
	return (struct nlmsghdr *)r->buf;
}

static void req_init(struct req *r, uint16_t type, uint8_t cmd, uint16_t flags)
{
	struct nlmsghdr *nlh = req_nlh(r);
	struct genlmsghdr *g = (struct genlmsghdr *)(r->buf + NLMSG_HDRLEN);

	memset(r->buf, 0, sizeof(r->buf));
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	g->cmd = cmd;
	g->version = LINMAP_FAMILY_VERSION;
	r->len = NLMSG_HDRLEN + GENL_HDRLEN;
	r->expect = EXPECT_FAMILY;
	r->needs_admin = false;
	r->may_fail = false;
}

/* Append an attribute of type @type with @len payload bytes from @data */
static void put_attr(struct req *r, uint16_t type, const void *data,
		     uint16_t len)
{
	struct nlattr *nla;

	if (r->len + NLA_HDRLEN + NLA_ALIGN(len) > sizeof(r->buf))
		return;
	nla = (struct nlattr *)(r->buf + r->len);
	nla->nla_type = type;
	nla->nla_len = NLA_HDRLEN + len;
	if (len)
		memcpy(r->buf + r->len + NLA_HDRLEN, data, len);
	r->len += NLA_HDRLEN + NLA_ALIGN(len);
}

static void put_u64(struct req *r, uint16_t type, uint64_t v)
{
	put_attr(r, type, &v, sizeof(v));
}

static void put_flag(struct req *r, uint16_t type)
{
	put_attr(r, type, NULL, 0);
}

static void req_finish(struct req *r)
{
	req_nlh(r)->nlmsg_len = r->len;
}

/* A page-aligned address inside memory */
static uint64_t addr_in_mem(void)
{
	uint64_t pages = (mem_end - mem_start) >> 12;

	return mem_start + (rnd_below(pages) << 12);
}

/* A valid request of a random command of the family */
static void gen_valid(struct req *r, uint16_t family)
{
	uint8_t cmd = LINMAP_CMD_GET_CAPS + rnd_below(3);
	uint16_t flags = NLM_F_REQUEST | (rnd() & 1 ? NLM_F_ACK : 0);
	uint64_t a, b;

	req_init(r, family, cmd, flags);
	if (cmd == LINMAP_CMD_GET_STATS) {
		if (rnd() & 1) {
			put_flag(r, LINMAP_A_STATS_WALK);
			r->needs_admin = true;
		}
		if (rnd() & 1) {
			a = addr_in_mem();
			b = addr_in_mem();
			if (a == b)
				b = a + 4096;
			if (a > b) {
				uint64_t t = a;

				a = b;
				b = t;
			}
			put_u64(r, LINMAP_A_STATS_START, a);
			put_u64(r, LINMAP_A_STATS_END, b);
			r->needs_admin = true;
		}
	} else if (cmd == LINMAP_CMD_COLLAPSE) {
		r->needs_admin = true;
		/* no more than a region's work: many of them */
		put_u64(r, LINMAP_A_COLLAPSE_BUDGET, 1 + rnd_below(512));
		if (rnd() & 1)
			put_flag(r, LINMAP_A_COLLAPSE_DRY_RUN);
		if (rnd_below(8) == 0)
			put_flag(r, LINMAP_A_COLLAPSE_FULL_SCAN);
	}
	req_finish(r);
}

/* A command with a policy, and the largest attribute type the policy knows */
static uint8_t policy_cmd(struct req *r, uint16_t family, uint16_t flags,
			  int *maxattr)
{
	uint8_t cmd = rnd() & 1 ? LINMAP_CMD_GET_STATS : LINMAP_CMD_COLLAPSE;

	req_init(r, family, cmd, flags);
	*maxattr = cmd == LINMAP_CMD_GET_STATS ? LINMAP_A_STATS_WALK :
						 LINMAP_A_COLLAPSE_FULL_SCAN;
	return cmd;
}

/* Known attributes of @cmd: which are flags, which are u64 */
static bool attr_is_flag(uint8_t cmd, int type)
{
	if (cmd == LINMAP_CMD_GET_STATS)
		return type == LINMAP_A_STATS_WALK;
	return type == LINMAP_A_COLLAPSE_DRY_RUN ||
	       type == LINMAP_A_COLLAPSE_FULL_SCAN;
}

static bool attr_known(uint8_t cmd, int type)
{
	if (cmd == LINMAP_CMD_GET_STATS)
		return type == LINMAP_A_STATS_START ||
		       type == LINMAP_A_STATS_END ||
		       type == LINMAP_A_STATS_WALK;
	return type >= LINMAP_A_COLLAPSE_START &&
	       (type <= LINMAP_A_COLLAPSE_DRY_RUN ||
		type == LINMAP_A_COLLAPSE_FULL_SCAN);
}

static int random_known_attr(uint8_t cmd)
{
	int type;

	do {
		type = 1 + rnd_below(cmd == LINMAP_CMD_GET_STATS ?
				     LINMAP_A_STATS_WALK :
				     LINMAP_A_COLLAPSE_FULL_SCAN);
	} while (!attr_known(cmd, type));
	return type;
}

static void gen(struct req *r, enum fuzz_class c, uint16_t family)
{
	unsigned char junk[64];
	uint16_t flags;
	uint8_t cmd;
	int maxattr, type, i;
	size_t n;

	for (i = 0; i < (int)sizeof(junk); i++)
		junk[i] = rnd();

	switch (c) {
	case C_VALID:
		gen_valid(r, family);
		return;
	case C_SHORT:
		gen_valid(r, family);
		r->len = rnd_below(NLMSG_HDRLEN);
		r->expect = EXPECT_DROP;
		return;
	case C_LEN_OVER:
		gen_valid(r, family);
		req_nlh(r)->nlmsg_len = r->len + 1 + rnd_below(1000);
		r->expect = EXPECT_DROP;
		return;
	case C_LEN_UNDER:
		gen_valid(r, family);
		req_nlh(r)->nlmsg_len = rnd_below(NLMSG_HDRLEN);
		r->expect = EXPECT_DROP;
		return;
	case C_NO_GENL:
		gen_valid(r, family);
		r->len = NLMSG_HDRLEN + rnd_below(GENL_HDRLEN);
		req_finish(r);
		r->expect = EXPECT_CORE;
		return;
	case C_BAD_CMD: {
		static const uint8_t fixed[] = { 0, LINMAP_CMD_SPLIT_NTF,
						 LINMAP_CMD_COLLAPSE_NTF,
						 LINMAP_CMD_MAX + 1, 255 };

		cmd = rnd() & 1 ? fixed[rnd_below(sizeof(fixed))] :
				  LINMAP_CMD_MAX + 1 +
				  rnd_below(255 - LINMAP_CMD_MAX);
		req_init(r, family, cmd, NLM_F_REQUEST | NLM_F_ACK);
		put_u64(r, 2, rnd());
		req_finish(r);
		r->expect = EXPECT_CORE;
		return;
	}
	case C_FLAGS:
		/* a well-formed request under any of the 16 low flag bits */
		gen_valid(r, family);
		flags = rnd() & 0xffff;
		req_nlh(r)->nlmsg_flags = flags;
		if (!(flags & NLM_F_REQUEST)) {
			r->expect = flags & NLM_F_ACK ? EXPECT_ACK_ONLY :
						        EXPECT_DROP;
		} else if ((flags & NLM_F_DUMP) == NLM_F_DUMP) {
			/* no dumpit: the core refuses any dump ... */
			r->expect = EXPECT_CORE;
			/* ... after the header check for the other bits */
			if (flags & ~(NLM_F_REQUEST | NLM_F_ACK | NLM_F_ECHO |
				      NLM_F_DUMP))
				r->expect = EXPECT_FAMILY;
		}
		r->may_fail = true;
		return;
	case C_RESERVED:
		gen_valid(r, family);
		((struct genlmsghdr *)(r->buf + NLMSG_HDRLEN))->reserved =
			1 + rnd_below(0xfffe);
		r->may_fail = true;
		return;
	case C_ATTR_LEN:
		cmd = policy_cmd(r, family, NLM_F_REQUEST | NLM_F_ACK,
				 &maxattr);
		type = random_known_attr(cmd);
		do {
			n = rnd_below(17);
		} while (n == (attr_is_flag(cmd, type) ? 0 : 8));
		put_attr(r, type, junk, n);
		req_finish(r);
		r->may_fail = true;
		return;
	case C_ATTR_TYPE:
		cmd = policy_cmd(r, family, NLM_F_REQUEST | NLM_F_ACK,
				 &maxattr);
		switch (rnd_below(5)) {
		case 0:
			type = 0;
			break;
		case 1:
			type = 1;	/* the pad attribute */
			break;
		case 2:
			type = maxattr + 1 + rnd_below(NLA_TYPE_MASK - maxattr);
			break;
		case 3:
			type = random_known_attr(cmd) | NLA_F_NESTED;
			break;
		default:
			type = random_known_attr(cmd) | NLA_F_NET_BYTEORDER;
			break;
		}
		put_attr(r, type, junk, rnd() & 1 ? 8 : rnd_below(17));
		req_finish(r);
		r->may_fail = true;
		return;
	case C_ATTR_DUP:
		gen_valid(r, family);
		cmd = ((struct genlmsghdr *)(r->buf + NLMSG_HDRLEN))->cmd;
		if (cmd == LINMAP_CMD_GET_CAPS)
			cmd = LINMAP_CMD_COLLAPSE;
		req_init(r, family, cmd, NLM_F_REQUEST | NLM_F_ACK);
		type = random_known_attr(cmd);
		for (i = 0; i < 2 + (int)rnd_below(3); i++) {
			if (attr_is_flag(cmd, type))
				put_flag(r, type);
			else if (type == LINMAP_A_COLLAPSE_BUDGET &&
				 cmd == LINMAP_CMD_COLLAPSE)
				put_u64(r, type, 1 + rnd_below(64));
			else
				put_u64(r, type, addr_in_mem());
		}
		/* a collapse must not run unbudgeted: a budget last wins */
		if (cmd == LINMAP_CMD_COLLAPSE) {
			put_u64(r, LINMAP_A_COLLAPSE_BUDGET, 1 + rnd_below(64));
			put_flag(r, LINMAP_A_COLLAPSE_DRY_RUN);
		}
		req_finish(r);
		r->needs_admin = true;
		r->may_fail = true;
		return;
	case C_ATTR_TRUNC:
		cmd = policy_cmd(r, family, NLM_F_REQUEST | NLM_F_ACK,
				 &maxattr);
		put_u64(r, random_known_attr(cmd), rnd());
		switch (rnd_below(3)) {
		case 0:		/* the last attribute runs past the message */
			((struct nlattr *)(r->buf + r->len - 12))->nla_len =
				12 + 1 + rnd_below(200);
			break;
		case 1:		/* an attribute shorter than its own header */
			((struct nlattr *)(r->buf + r->len - 12))->nla_len =
				rnd_below(NLA_HDRLEN);
			break;
		default:	/* 1 to 3 stray bytes after the attributes */
			n = 1 + rnd_below(3);
			memcpy(r->buf + r->len, junk, n);
			r->len += n;
			break;
		}
		req_finish(r);
		r->may_fail = true;
		return;
	case C_BUDGET: {
		static const uint64_t fixed[] = { 0, 1, 2, UINT64_MAX,
						  UINT64_MAX - 1, 1ULL << 63 };

		req_init(r, family, LINMAP_CMD_COLLAPSE,
			 NLM_F_REQUEST | NLM_F_ACK);
		put_u64(r, LINMAP_A_COLLAPSE_BUDGET,
			rnd() & 1 ? fixed[rnd_below(6)] : rnd());
		/* whole-map work: a dry run, which writes nothing */
		put_flag(r, LINMAP_A_COLLAPSE_DRY_RUN);
		if (rnd() & 1)
			put_flag(r, LINMAP_A_COLLAPSE_FULL_SCAN);
		req_finish(r);
		r->needs_admin = true;
		return;
	}
	case C_RANGE: {
		uint64_t edges[] = { 0, mem_start - 4096, mem_start,
				     mem_start + 4096, mem_start + 1,
				     mem_end - 4096, mem_end, mem_end + 4096,
				     mem_end - 1, UINT64_MAX & ~4095ULL,
				     UINT64_MAX, addr_in_mem(), rnd() };
		bool stats = rnd() & 1;
		int shape = rnd_below(4);
		uint64_t a = edges[rnd_below(13)], b = edges[rnd_below(13)];

		if (stats)
			req_init(r, family, LINMAP_CMD_GET_STATS,
				 NLM_F_REQUEST | NLM_F_ACK);
		else
			req_init(r, family, LINMAP_CMD_COLLAPSE,
				 NLM_F_REQUEST | NLM_F_ACK);
		if (shape == 1)
			b = a;			/* empty */
		if (shape != 2)			/* 2: no start */
			put_u64(r, stats ? LINMAP_A_STATS_START :
					   LINMAP_A_COLLAPSE_START, a);
		if (shape != 3)			/* 3: no end */
			put_u64(r, stats ? LINMAP_A_STATS_END :
					   LINMAP_A_COLLAPSE_END, b);
		if (!stats) {
			put_u64(r, LINMAP_A_COLLAPSE_BUDGET, 1 + rnd_below(512));
			put_flag(r, LINMAP_A_COLLAPSE_DRY_RUN);
		}
		req_finish(r);
		r->needs_admin = true;
		r->may_fail = true;
		return;
	}
	case C_RANDOM:
		req_init(r, family, LINMAP_CMD_GET_CAPS + rnd_below(3),
			 NLM_F_REQUEST | NLM_F_ACK);
		n = rnd_below(sizeof(junk));
		memcpy(r->buf + r->len, junk, n);
		r->len += n;
		/* a collapse from random bytes may carry budget 0: dry run */
		if (((struct genlmsghdr *)(r->buf + NLMSG_HDRLEN))->cmd ==
		    LINMAP_CMD_COLLAPSE) {
			r->len = NLMSG_ALIGN(r->len);
			put_flag(r, LINMAP_A_COLLAPSE_DRY_RUN);
		}
		req_finish(r);
		r->needs_admin = true;
		r->may_fail = true;
		return;
	case NR_CLASSES:
		break;
	}
}

/* What came back for one request */
struct answer_seen {
	int replies;		/* family messages */
	bool error_seen;	/* an NLMSG_ERROR (error or ACK) */
	int error;		/* its error, 0 for an ACK */
	char msg[256];		/* its extack message, "" if none */
	const char *leak;	/* what a reply shows only CAP_SYS_ADMIN */
};

/* Does a reply hold what only CAP_SYS_ADMIN may do or see? */
static const char *privileged_reply(const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *g = NLMSG_DATA(nlh);
	size_t off = NLMSG_HDRLEN + GENL_HDRLEN, len = nlh->nlmsg_len;
	const struct nlattr *nla;
	int type;

	if (len < off)
		return NULL;
	if (g->cmd == LINMAP_CMD_COLLAPSE)
		return "a collapse ran";
	for (; off + NLA_HDRLEN <= len; off += NLA_ALIGN(nla->nla_len)) {
		nla = (const struct nlattr *)((const char *)nlh + off);
		if (nla->nla_len < NLA_HDRLEN)
			break;
		type = nla->nla_type & NLA_TYPE_MASK;
		if (g->cmd == LINMAP_CMD_GET_STATS &&
		    (type == LINMAP_A_STATS_IDEAL_LEAVES ||
		     type == LINMAP_A_STATS_START))
			return "statistics from a walk";
		if (g->cmd == LINMAP_CMD_GET_CAPS &&
		    (type == LINMAP_A_CAPS_LINEAR_START ||
		     type == LINMAP_A_CAPS_LINEAR_END))
			return "the linear map's bounds";
	}
	return NULL;
}

/* Record one NLMSG_ERROR in @a, with its NLMSGERR_ATTR_MSG */
static void parse_error(const struct nlmsghdr *nlh, struct answer_seen *a)
{
	const struct nlmsgerr *e = NLMSG_DATA(nlh);
	size_t off, len = nlh->nlmsg_len;
	const struct nlattr *nla;

	a->error_seen = true;
	a->error = e->error;
	a->msg[0] = '\0';
	if (len < NLMSG_HDRLEN + sizeof(*e))
		return;
	off = NLMSG_HDRLEN + sizeof(*e);
	/* without NLM_F_CAPPED the failed request follows the error */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += NLMSG_ALIGN(e->msg.nlmsg_len) - NLMSG_HDRLEN;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	while (off + NLA_HDRLEN <= len) {
		nla = (const struct nlattr *)((const char *)nlh + off);
		if (nla->nla_len < NLA_HDRLEN || off + nla->nla_len > len)
			return;
		if ((nla->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG) {
			size_t n = nla->nla_len - NLA_HDRLEN;

			if (n >= sizeof(a->msg))
				n = sizeof(a->msg) - 1;
			memcpy(a->msg, (const char *)nla + NLA_HDRLEN, n);
			a->msg[n] = '\0';
		}
		off += NLA_ALIGN(nla->nla_len);
	}
}

/*
 * Read answers until the sentinel's ACK (@sentinel_seq): those for
 * @seq into @a.  -1 on a timeout or a socket error.
 */
static int read_until(int fd, uint32_t seq, uint32_t sentinel_seq,
		      struct answer_seen *a)
{
	static unsigned char buf[65536] __attribute__((aligned(4)));

	memset(a, 0, sizeof(*a));
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		struct nlmsghdr *nlh;
		int left;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "nl-fuzz: %s\n",
				errno == EAGAIN ?
				"no answer to the sentinel within 30 seconds" :
				strerror(errno));
			return -1;
		}
		left = n;
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, left);
		     nlh = NLMSG_NEXT(nlh, left)) {
			if (nlh->nlmsg_seq == sentinel_seq) {
				if (nlh->nlmsg_type == NLMSG_ERROR)
					return 0;
				continue;
			}
			if (nlh->nlmsg_seq != seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				parse_error(nlh, a);
			} else {
				a->replies++;
				if (!a->leak)
					a->leak = privileged_reply(nlh);
			}
		}
	}
}

static void violation(unsigned long i, enum fuzz_class c, const struct req *r,
		      const char *why, const struct answer_seen *a)
{
	size_t k;

	counts[c].violations++;
	total_violations++;
	if (total_violations > 20)
		return;
	printf("VIOLATION: request %lu (seed %" PRIu64 ", class %s): %s"
	       " (error %d, replies %d, message \"%s\"); bytes:",
	       i, seed, class_name[c], why, a->error, a->replies, a->msg);
	for (k = 0; k < r->len && k < 96; k++)
		printf(" %02x", r->buf[k]);
	printf("\n");
}

/* Classify the answer to request @i of class @c; count it */
static void judge(unsigned long i, enum fuzz_class c, const struct req *r,
		  const struct answer_seen *a)
{
	bool answered = a->error_seen || a->replies;
	enum answer kind;

	counts[c].sent++;
	if (!answered)
		kind = DROPPED;
	else if (!a->error_seen || a->error == 0)
		kind = ACCEPTED;
	else
		kind = a->msg[0] ? REFUSED : CORE;
	counts[c].answer[kind]++;
	if (kind == REFUSED || kind == CORE)
		errnos[-a->error & 0xff]++;

	if (unprivileged && a->leak)
		violation(i, c, r, a->leak, a);
	switch (r->expect) {
	case EXPECT_DROP:
		if (kind != DROPPED)
			violation(i, c, r, "an answer to a message the core drops", a);
		return;
	case EXPECT_ACK_ONLY:
		if (kind != ACCEPTED || a->replies)
			violation(i, c, r, "no request, but not just an ACK", a);
		return;
	case EXPECT_CORE:
		if (kind != CORE ||
		    (a->error != -EINVAL && a->error != -EOPNOTSUPP))
			violation(i, c, r, "not the core's refusal", a);
		return;
	case EXPECT_FAMILY:
		break;
	}
	if (kind == DROPPED) {
		violation(i, c, r, "no answer where one is due", a);
		return;
	}
	if (kind == CORE) {
		violation(i, c, r, "an error without an extack message", a);
		return;
	}
	if (kind == ACCEPTED) {
		if (a->replies != 1)
			violation(i, c, r, "accepted without exactly one reply", a);
		return;
	}
	/* refused, with a message */
	if (unprivileged && a->error == -EPERM) {
		if (strstr(a->msg, "CAP_SYS_ADMIN"))
			cap_refusals++;
		else
			violation(i, c, r, "EPERM that does not name CAP_SYS_ADMIN", a);
	}
	if (r->may_fail)
		return;
	if (unprivileged ? !(r->needs_admin && a->error == -EPERM) :
			   a->error != -EAGAIN)
		violation(i, c, r, "a request that should succeed refused", a);
}

static int send_req(int fd, const struct req *r, uint32_t seq)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct req copy;

	memcpy(&copy, r, sizeof(copy));
	if (copy.len >= offsetof(struct nlmsghdr, nlmsg_pid))
		req_nlh(&copy)->nlmsg_seq = seq;
	if (sendto(fd, copy.buf, copy.len, 0, (struct sockaddr *)&kernel,
		   sizeof(kernel)) < 0) {
		/* the socket refuses an empty datagram; any other is sent */
		if (!copy.len && errno == ENODATA)
			return 0;
		fprintf(stderr, "nl-fuzz: send: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

/* System RAM's first start and last end, from /proc/iomem (as root) */
static int read_memory(void)
{
	FILE *f = fopen("/proc/iomem", "r");
	char line[256];
	uint64_t s, e;

	if (!f) {
		fprintf(stderr, "nl-fuzz: /proc/iomem: %s\n", strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == ' ' || !strstr(line, ": System RAM"))
			continue;
		if (sscanf(line, "%" SCNx64 "-%" SCNx64, &s, &e) != 2)
			continue;
		if (!mem_start || s < mem_start)
			mem_start = s;
		if (e + 1 > mem_end)
			mem_end = e + 1;
	}
	fclose(f);
	if (!mem_end) {
		fprintf(stderr, "nl-fuzz: no System RAM in /proc/iomem (run as root)\n");
		return -1;
	}
	return 0;
}

/* The family's id and its events group, through libnl's controller */
static int resolve(int *family, int *group)
{
	struct nl_sock *sk = nl_socket_alloc();
	int err = -1;

	if (!sk || genl_connect(sk) < 0)
		goto out;
	*family = genl_ctrl_resolve(sk, LINMAP_FAMILY_NAME);
	*group = genl_ctrl_resolve_grp(sk, LINMAP_FAMILY_NAME,
				       LINMAP_MCGRP_EVENTS);
	if (*family < 0 || *group < 0) {
		fprintf(stderr, "nl-fuzz: no %s family or events group in this kernel\n",
			LINMAP_FAMILY_NAME);
		goto out;
	}
	err = 0;
out:
	nl_socket_free(sk);
	return err;
}

static int open_socket(void)
{
	struct timeval tv = { .tv_sec = SENTINEL_SECS };
	int one = 1;
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);

	if (fd < 0 ||
	    setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv))) {
		fprintf(stderr, "nl-fuzz: netlink socket: %s\n",
			strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static int drop_to(uid_t uid)
{
	if (setgroups(0, NULL) || setresgid(uid, uid, uid) ||
	    setresuid(uid, uid, uid)) {
		fprintf(stderr, "nl-fuzz: cannot drop to uid %u: %s\n",
			(unsigned int)uid, strerror(errno));
		return -1;
	}
	return 0;
}

/* --as-user: joining the events group needs CAP_SYS_ADMIN too */
static void check_subscription(int fd, int group)
{
	int ret = setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &group,
			     sizeof(group));

	if (ret == 0 || errno != EPERM) {
		printf("VIOLATION: joining the events group without CAP_SYS_ADMIN: %s\n",
		       ret == 0 ? "succeeded" : strerror(errno));
		total_violations++;
	} else {
		printf("events group: refused (EPERM)\n");
	}
}

static void usage(FILE *f)
{
	fprintf(f, "usage: nl-fuzz [--seed N] [--count N] [--collapse-every N] [--as-user UID]\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "count", required_argument, NULL, 'n' },
		{ "collapse-every", required_argument, NULL, 'c' },
		{ "as-user", required_argument, NULL, 'u' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	uint64_t count = 5000, every = 50, uid = 0, v;
	unsigned long i;
	uint32_t seq = 1;
	int family, group, fd, opt, c;
	struct answer_seen a;
	struct req r, sentinel;

	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 's':
			if (!parse_u64(optarg, &v))
				goto bad;
			seed = v;
			break;
		case 'n':
			if (!parse_u64(optarg, &count) || !count)
				goto bad;
			break;
		case 'c':
			if (!parse_u64(optarg, &every))
				goto bad;
			break;
		case 'u':
			if (!parse_u64(optarg, &uid) || !uid ||
			    uid >= (uid_t)-1)
				goto bad;
			unprivileged = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	rng_state = seed ? seed : 0x9e3779b97f4a7c15ULL;

	if (read_memory() || resolve(&family, &group))
		return 1;
	if (unprivileged && drop_to(uid))
		return 1;
	fd = open_socket();
	if (fd < 0)
		return 1;
	printf("nl-fuzz: seed %" PRIu64 ", %" PRIu64 " requests, %s, memory [0x%" PRIx64
	       ", 0x%" PRIx64 ")\n", seed, count,
	       unprivileged ? "unprivileged" : "as root", mem_start, mem_end);
	if (unprivileged)
		check_subscription(fd, group);

	req_init(&sentinel, family, LINMAP_CMD_GET_CAPS,
		 NLM_F_REQUEST | NLM_F_ACK);
	req_finish(&sentinel);

	for (i = 0; i < count; i++) {
		bool real = !unprivileged && every && i % every == every - 1;

		if (real) {
			/* a real collapse, default budget */
			req_init(&r, family, LINMAP_CMD_COLLAPSE,
				 NLM_F_REQUEST | NLM_F_ACK);
			req_finish(&r);
			r.needs_admin = true;
			c = C_VALID;
		} else {
			c = rnd_below(NR_CLASSES);
			gen(&r, c, family);
		}
		if (send_req(fd, &r, seq) || send_req(fd, &sentinel, seq + 1) ||
		    read_until(fd, seq, seq + 1, &a)) {
			printf("FAIL: request %lu (seed %" PRIu64 ", class %s): "
			       "the exchange failed\n", i, seed, class_name[c]);
			return 1;
		}
		if (real) {
			if (a.error_seen && a.error) {
				printf("FAIL: a real collapse failed: %d %s\n",
				       a.error, a.msg);
				total_violations++;
			}
			real_collapses++;
		}
		judge(i, c, &r, &a);
		seq += 2;
	}
	close(fd);

	for (c = 0; c < NR_CLASSES; c++) {
		printf("class %-15s sent %5lu", class_name[c], counts[c].sent);
		for (v = 0; v < NR_ANSWERS; v++)
			printf(" %s %5lu", answer_name[v], counts[c].answer[v]);
		printf(" violations %lu\n", counts[c].violations);
	}
	printf("errnos:");
	for (v = 0; v < 256; v++)
		if (errnos[v])
			printf(" %s %lu", strerrorname_np(v) ?: "?", errnos[v]);
	printf("\nreal collapses %lu, EPERM naming CAP_SYS_ADMIN %lu\n",
	       real_collapses, cap_refusals);
	printf("total: %" PRIu64 " requests, %lu violations\n", count,
	       total_violations);
	return total_violations ? 1 : 0;
bad:
	fprintf(stderr, "nl-fuzz: bad value '%s' for --%s\n", optarg,
		opts[opt == 's' ? 0 : opt == 'n' ? 1 : opt == 'c' ? 2 : 3].name);
	return 2;
}
