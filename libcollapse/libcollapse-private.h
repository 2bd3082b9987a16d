/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libcollapse internals, shared by the library's files and the host unit
 * tests (which link the static internal library).  Not installed.
 *
 * Message building and parsing work on struct nl_msg so that tests can run
 * them on real libnl buffers without a kernel.
 */
#ifndef LIBCOLLAPSE_PRIVATE_H
#define LIBCOLLAPSE_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>

#include "libcollapse.h"

#define LC_EXPORT __attribute__((visibility("default")))
#define LC_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))

#define LC_ERRBUF_SIZE		512
#define LC_EXTACK_MSG_MAX	256
#define LC_DETAIL_MAX		160

struct lc_ctx {
	struct nl_sock *sock;		/* request socket, extended acks on */
	int family;			/* resolved "linmap" family id */
	char errbuf[LC_ERRBUF_SIZE];	/* last failure, "" after success */
};

/*
 * One operation of the family: its name as in the YNL spec (used in error
 * text), its command, the attribute set its request and reply use, and the
 * reply parser.
 */
struct lc_op {
	const char *name;
	uint8_t cmd;
	int attr_max;
	const char *const *attr_names;	/* indexed by attribute type */
	bool event;			/* a notification, not a reply */
	/* Parse one reply into @out; on failure say why in @detail. */
	int (*parse_reply)(struct nl_msg *msg, void *out,
			   char *detail, size_t detail_size);
};

extern const struct lc_op lc_op_get_caps;
extern const struct lc_op lc_op_get_stats;
extern const struct lc_op lc_op_collapse;
/* Notifications: names and attribute sets only; they answer no request. */
extern const struct lc_op lc_op_split_ntf;
extern const struct lc_op lc_op_collapse_ntf;

/* Name of attribute @type of @op's attribute set; NULL if unknown. */
const char *lc_op_attr_name(const struct lc_op *op, int type);

/* ctx.c */
/* Wrap an already set up socket; takes ownership of @sock on success. */
struct lc_ctx *lc_ctx_new(struct nl_sock *sock, int family);
/*
 * Connect a new generic netlink socket with extended acks and resolve the
 * "linmap" family into *family.  On failure the text goes to this thread's
 * lc_open() buffer, prefixed with @what ("open", "events"), and *sock is
 * NULL.  Returns 0, LC_ERR_NO_FAMILY or another negative errno.
 */
int lc_genl_open(const char *what, struct nl_sock **sock, int *family);

/*
 * abi.c: size-versioned structures.  Every public structure a caller
 * allocates is passed with its size, the sizeof() the caller was compiled
 * with.  A result is written only up to that size (a grown structure never
 * overflows an older caller) and zeroed beyond what this library knows (a
 * newer caller reads "absent" in the new fields); an input is read only up
 * to that size, zero beyond it, and a newer caller's extra bytes must be 0.
 * The sizes of the first version (LIBCOLLAPSE_1, LP64) are frozen here:
 * a structure only ever grows at its end.
 */
#define LC_CAPS_SIZE_VER1		168
#define LC_STATS_SIZE_VER1		184
#define LC_COLLAPSE_REQ_SIZE_VER1	40
#define LC_COLLAPSE_RESULT_SIZE_VER1	176
#define LC_EVENT_SIZE_VER1		184
/* Later versions: the size up to and including their last field, aligned. */
#define LC_STATS_SIZE_VER2		192	/* + walked (LIBCOLLAPSE_3) */
/* Split tracking (no new function, so no new symbol version): */
#define LC_CAPS_SIZE_VER2		176	/* + region_size */
#define LC_STATS_SIZE_VER3		208	/* + marked_regions, has_ */
#define LC_COLLAPSE_REQ_SIZE_VER2	48	/* + full_scan */
#define LC_COLLAPSE_RESULT_SIZE_VER2	192	/* + regions_scanned, has_, full_scan */
#define LC_EVENT_SIZE_VER2		200	/* its collapse result grew */
/* The collapse's longest lock hold (no new function either): */
#define LC_COLLAPSE_RESULT_SIZE_VER3	208	/* + longest_hold_nsecs, has_ */
#define LC_EVENT_SIZE_VER3		216	/* its collapse result grew */
/* Minimum ages and ping-pongs (no new function either): */
#define LC_CAPS_SIZE_VER3		184	/* + pingpong_msecs */
#define LC_STATS_SIZE_VER4		224	/* + pingpongs, has_ */
#define LC_COLLAPSE_REQ_SIZE_VER3	56	/* + min_age_msecs */
#define LC_COLLAPSE_RESULT_SIZE_VER4	232	/* + young, pingpongs, has_, min_age_msecs */
#define LC_EVENT_SIZE_VER4		240	/* its collapse result grew */

/*
 * Check @size of structure @what (e.g. "struct lc_caps") for @op against
 * its first version's @min; 0 or -EINVAL with the text in @ctx.
 */
int lc_abi_check_size(struct lc_ctx *ctx, const char *op, const char *what,
		      size_t size, size_t min);
/* Copy the library's @src (@src_size) out to the caller's @dst (@size). */
void lc_abi_copy_out(void *dst, size_t size, const void *src, size_t src_size);
/*
 * Copy the caller's @src (@size; NULL: all zero) in to @dst (@dst_size).
 * Returns 0, or -E2BIG when a newer caller set fields this library lacks.
 */
int lc_abi_copy_in(void *dst, size_t dst_size, const void *src, size_t size);

/* The sum of a stepped collapse: collapse-sum.h (not exported). */

/* error.c */
/* Forget the last failure of @ctx (of this thread's lc_open() if NULL). */
void lc_error_clear(struct lc_ctx *ctx);
/* Record a failure text for @ctx (NULL: this thread's lc_open()); returns @err. */
int lc_error_set(struct lc_ctx *ctx, int err, const char *fmt, ...)
	LC_PRINTF(3, 4);
/* Map a negative libnl error code (-NLE_*) to a negative errno value. */
int lc_errno_from_nlerr(int nlerr);

/* extack.c: what an NLMSG_ERROR message says. */
struct lc_extack {
	int error;			/* negative errno; 0 for an ack */
	char msg[LC_EXTACK_MSG_MAX];	/* NLMSGERR_ATTR_MSG, "" if none */
	bool has_offset;		/* NLMSGERR_ATTR_OFFS present */
	uint32_t offset;		/* bad attribute, from request start */
	bool has_miss_type;		/* NLMSGERR_ATTR_MISS_TYPE present */
	uint32_t miss_type;		/* type of the missing attribute */
};

/*
 * Parse the NLMSG_ERROR message @nlh (whose nlmsg_len bytes must be
 * readable): error code and, when the kernel sent them, the extended-ack
 * TLVs.  Returns 0, or -EBADMSG when @nlh is not a well-formed NLMSG_ERROR.
 */
int lc_extack_parse(const struct nlmsghdr *nlh, struct lc_extack *ext);

/*
 * Format the text of a failure the kernel reported for @op:
 * "<op>: <strerror>[: <extack msg>][: missing attribute '<name>']
 * [ (attribute '<name>')]".  @req, if not NULL, is the request the error
 * answers; it lets an attribute offset be named.  EOPNOTSUPP without a
 * message (genetlink's unknown command) says the kernel lacks @op.
 */
void lc_extack_format(char *buf, size_t size, const struct lc_op *op,
		      const struct lc_extack *ext, struct nl_msg *req);

/* attr.c: reading the attributes of a reply, with a sticky first error. */
struct lc_attrs {
	const struct lc_op *op;
	struct nlattr **tb;		/* op->attr_max + 1 entries */
	struct nlattr *head;		/* all attributes, for multi-attr types */
	int len;
	int err;			/* first failure, 0 if none */
	char *detail;			/* why, for the caller's error text */
	size_t detail_size;
};

/*
 * Split the genetlink message @msg (a reply, or an event) into @tb;
 * returns 0 or -EPROTO.  A multi-attr type keeps only its last instance in
 * @tb: read all of them with lc_attrs_counts().
 */
int lc_attrs_parse(struct lc_attrs *attrs, const struct lc_op *op,
		   struct nl_msg *msg, struct nlattr **tb,
		   char *detail, size_t detail_size);
/* Record the first failure (later ones are dropped); @detail says why. */
void lc_attrs_fail(struct lc_attrs *attrs, int err, const char *fmt, ...)
	LC_PRINTF(3, 4);
/* Name of attribute @type for error text; "?" if unknown. */
const char *lc_attrs_name(const struct lc_attrs *attrs, int type);
bool lc_attrs_has(const struct lc_attrs *attrs, int type);
/* Required unsigned integer of 1, 2, 4 or 8 bytes; 0 after a failure. */
uint64_t lc_attrs_uint(struct lc_attrs *attrs, int type);
/* Required boolean (an unsigned integer of any accepted width). */
bool lc_attrs_bool(struct lc_attrs *attrs, int type);
/* Optional string, truncated to @size; "" when absent. */
void lc_attrs_string(struct lc_attrs *attrs, int type, char *dst,
		     size_t size);
/*
 * Two optional unsigned integers that come together: both or neither (one
 * alone is a failure naming both); returns whether present and read.
 */
bool lc_attrs_pair(struct lc_attrs *attrs, int type_a, int type_b,
		   uint64_t *a, uint64_t *b);
/* Optional [start, end) pair: both or neither; returns whether present. */
bool lc_attrs_range(struct lc_attrs *attrs, int start_type, int end_type,
		    uint64_t *start, uint64_t *end);
/* Read an unsigned integer attribute of 1, 2, 4 or 8 bytes. */
int lc_attr_get_uint(const struct nlattr *nla, uint64_t *val);

/*
 * counts.c: multi-attr nests carrying one count each for a key (a leaf
 * level, a skip reason), as the "level-count" and "skip-count" sets.
 */
struct lc_count_set {
	const char *key_name;		/* "level", "reason": for error text */
	int key_type;			/* attribute types inside the nest */
	int count_type;
	int attr_max;
	int nr;				/* entries of the caller's array */
	/* Index for the kernel's key value; -1 if this library lacks it. */
	int (*index)(uint64_t key);
};

extern const struct lc_count_set lc_level_counts;	/* LC_LEVEL_NR */
extern const struct lc_count_set lc_skip_counts;	/* LC_SKIP_NR */
extern const struct lc_count_set lc_young_counts;	/* "young" only */

/*
 * Add the counts of every nest of attribute @type to @counts (set->nr
 * entries, zeroed by the caller).  Absent means no counts; a key this
 * library does not know is ignored; a nest without its key or count is a
 * failure recorded in @attrs.
 */
void lc_attrs_counts(struct lc_attrs *attrs, int type,
		     const struct lc_count_set *set, uint64_t *counts);

/* request.c */
/* SO_RCVTIMEO of a request socket: how long to wait for each datagram. */
#define LC_REQUEST_TIMEOUT_MS	10000
/* Datagrams read at most while looking for the ack of a request. */
#define LC_REQUEST_DGRAMS_MAX	16

/* New request message for @cmd of @family, NLM_F_REQUEST | NLM_F_ACK. */
struct nl_msg *lc_request_new(int family, uint8_t cmd);
/*
 * Send @req (always consumed), wait for its reply and ack, and parse the
 * reply with @op->parse_reply into @out.  Returns 0 or a negative errno,
 * with the text in ctx->errbuf.  Whatever fails, it reads until the ack of
 * @req; -EIO means it did not come (the socket is out of step: reopen).
 */
int lc_request(struct lc_ctx *ctx, const struct lc_op *op,
	       struct nl_msg *req, void *out);

/* caps.c */
struct nl_msg *lc_caps_request_build(int family);
int lc_caps_reply_parse(struct nl_msg *msg, struct lc_caps *caps,
			char *detail, size_t detail_size);

/* stats.c */
/* The LC_STATS_* flags this library knows. */
#define LC_STATS_FLAGS_KNOWN	LC_STATS_WALK
/* A get-stats request: @range NULL for the whole map; @flags LC_STATS_*. */
struct nl_msg *lc_stats_request_build(int family, const struct lc_range *range,
				      unsigned int flags);
int lc_stats_reply_parse(struct nl_msg *msg, struct lc_stats *stats,
			 char *detail, size_t detail_size);

/* collapse.c */
struct nl_msg *lc_collapse_request_build(int family,
					 const struct lc_collapse_req *req);
int lc_collapse_reply_parse(struct nl_msg *msg,
			    struct lc_collapse_result *result,
			    char *detail, size_t detail_size);
/* The collapse attribute set of @msg, read for @op (reply or event). */
int lc_collapse_result_parse(struct nl_msg *msg, const struct lc_op *op,
			     struct lc_collapse_result *result,
			     char *detail, size_t detail_size);

/* events.c */
#define LC_EVENTS_RCVBUF	(1 << 20)	/* bytes asked for the socket */

struct lc_events {
	struct lc_ctx ctx;		/* the event socket, family, errbuf */
	int group;			/* "events" multicast group id */
	struct nl_cb *cb;		/* receive callbacks, arg: this */
	/* State of the lc_events_read() in progress: */
	struct lc_event *ev;
	unsigned int messages;		/* messages received */
	bool got_event;
	int parse_err;			/* a malformed event ... */
	const char *parse_name;		/* ... which one ... */
	char detail[LC_DETAIL_MAX];	/* ... and why */
};

/* Wrap a socket already joined to @group; takes ownership of @sock. */
struct lc_events *lc_events_new(struct nl_sock *sock, int family, int group);
/*
 * Decode the notification @msg.  Returns 0 with *ev filled, -ENOMSG for a
 * message that is not an event this library knows (to be skipped), or
 * -EPROTO with the reason in @detail.
 */
int lc_event_parse(struct nl_msg *msg, int family, struct lc_event *ev,
		   char *detail, size_t detail_size);
/* The errno for a receive failure @nlerr (-NLE_*) with errno @sys_errno. */
int lc_events_recv_error(int nlerr, int sys_errno);

#endif /* LIBCOLLAPSE_PRIVATE_H */
