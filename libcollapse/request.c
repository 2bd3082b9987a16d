// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * One request/reply/ack exchange, the idiom of hostapd's send_and_recv():
 * send a request flagged NLM_F_ACK, then receive until the kernel's ack
 * (NLMSG_ERROR with error 0) or its error arrives.  A "do" operation
 * answers with one reply message before the ack.
 *
 * The socket must stay in step: whatever goes wrong on the way (a reply
 * that fails to parse, a receive failure such as an overrun), the exchange
 * keeps reading until the ack of THIS request, so the next request does
 * not find it queued.  Messages are matched by sequence number here, not by
 * libnl's expected-sequence counter (which only moves on ERROR/DONE, so an
 * ack left behind would be taken by the next request as its own): anything
 * with another sequence number is a leftover of an abandoned exchange and
 * is skipped.  A reply must carry the request's command.  Reading is
 * bounded twice: a receive timeout on the socket (LC_REQUEST_TIMEOUT_MS,
 * set by lc_open()) and at most LC_REQUEST_DGRAMS_MAX datagrams.  When the
 * ack never comes the call fails with -EIO and the caller should reopen
 * its context.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/linmap.h>
#include <netlink/genl/genl.h>
#include <netlink/errno.h>
#include <netlink/handlers.h>

#include "libcollapse-private.h"

struct lc_exchange {
	const struct lc_op *op;
	uint32_t seq;			/* of the request */
	unsigned int stale;		/* messages of other exchanges skipped */
	void *out;			/* the reply parser's result */
	bool done;			/* ack or error received */
	bool got_reply;
	unsigned int handled;		/* messages seen, to spot a dead socket */
	int parse_err;			/* first reply parse failure */
	char detail[LC_DETAIL_MAX];	/* ... and why */
	bool failed;			/* the kernel answered with an error */
	struct lc_extack ext;		/* ... and what it said */
};

struct nl_msg *lc_request_new(int family, uint8_t cmd)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0,
			 NLM_F_REQUEST | NLM_F_ACK, cmd,
			 LINMAP_FAMILY_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/* Only messages of this exchange go on to the other callbacks. */
static int lc_on_seq_check(struct nl_msg *msg, void *arg)
{
	struct lc_exchange *x = arg;

	if (nlmsg_hdr(msg)->nlmsg_seq == x->seq)
		return NL_OK;
	x->stale++;
	return NL_SKIP;
}

static int lc_on_reply(struct nl_msg *msg, void *arg)
{
	struct lc_exchange *x = arg;
	struct genlmsghdr *ghdr;
	int err;

	x->handled++;
	if (x->got_reply) {
		if (!x->parse_err) {
			x->parse_err = -EPROTO;
			snprintf(x->detail, sizeof(x->detail),
				 "the kernel sent more than one reply");
		}
		return NL_SKIP;
	}
	x->got_reply = true;
	ghdr = nlmsg_data(nlmsg_hdr(msg));
	if (!genlmsg_valid_hdr(nlmsg_hdr(msg), 0) || ghdr->cmd != x->op->cmd) {
		if (!x->parse_err) {
			x->parse_err = -EPROTO;
			snprintf(x->detail, sizeof(x->detail),
				 "the kernel answered with command %d instead of %u",
				 genlmsg_valid_hdr(nlmsg_hdr(msg), 0) ?
				 ghdr->cmd : -1, x->op->cmd);
		}
		return NL_SKIP;
	}
	err = x->op->parse_reply(msg, x->out, x->detail, sizeof(x->detail));
	if (err && !x->parse_err)
		x->parse_err = err;
	return NL_OK;
}

static int lc_on_ack(struct nl_msg *msg, void *arg)
{
	struct lc_exchange *x = arg;

	(void)msg;
	x->handled++;
	x->done = true;
	return NL_STOP;
}

static int lc_on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	/* libnl passes the payload; the header (and its flags) sit before it. */
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)e - 1;
	struct lc_exchange *x = arg;

	(void)nla;
	x->handled++;
	x->done = true;
	x->failed = true;
	if (lc_extack_parse(nlh, &x->ext) < 0)
		x->ext.error = e->error > 0 ? -e->error : e->error;
	if (!x->ext.error)
		x->ext.error = -EPROTO;
	return NL_STOP;
}

static struct nl_cb *lc_exchange_cb(struct lc_ctx *ctx, struct lc_exchange *x)
{
	struct nl_cb *sock_cb = nl_socket_get_cb(ctx->sock);
	struct nl_cb *cb;

	/* Clone the socket's set so overridden send/recv hooks carry over. */
	cb = nl_cb_clone(sock_cb);
	nl_cb_put(sock_cb);
	if (!cb)
		return NULL;
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, lc_on_seq_check, x);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, lc_on_reply, x);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, lc_on_ack, x);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, lc_on_ack, x);
	nl_cb_err(cb, NL_CB_CUSTOM, lc_on_error, x);
	return cb;
}

int lc_request(struct lc_ctx *ctx, const struct lc_op *op,
	       struct nl_msg *req, void *out)
{
	struct lc_exchange x = { .op = op, .out = out };
	unsigned int dgrams;
	bool timed_out = false;
	int recv_err = 0;
	struct nl_cb *cb;
	int err;

	lc_error_clear(ctx);
	cb = lc_exchange_cb(ctx, &x);
	if (!cb) {
		err = lc_error_set(ctx, -ENOMEM, "%s: %s", op->name,
				   strerror(ENOMEM));
		goto out_free;
	}

	err = nl_send_auto(ctx->sock, req);
	if (err < 0) {
		err = lc_errno_from_nlerr(err);
		lc_error_set(ctx, err, "%s: cannot send the request: %s",
			     op->name, strerror(-err));
		goto out_put;
	}

	x.seq = nlmsg_hdr(req)->nlmsg_seq;

	/* Until the ack, whatever happens in between; see the top comment. */
	for (dgrams = 0; !x.done && dgrams < LC_REQUEST_DGRAMS_MAX; dgrams++) {
		unsigned int handled = x.handled, stale = x.stale;

		err = nl_recvmsgs(ctx->sock, cb);
		if (x.done)
			break;
		if (err == -NLE_AGAIN) {
			timed_out = true;	/* SO_RCVTIMEO expired */
			break;
		}
		if (err < 0) {
			int saved_errno = errno;

			err = lc_errno_from_nlerr(err);
			/* libnl reports a receive overrun as NLE_NOMEM. */
			if (err == -ENOMEM && saved_errno == ENOBUFS)
				err = -ENOBUFS;
			if (!recv_err)
				recv_err = err;
			continue;
		}
		if (x.handled == handled && x.stale == stale)
			break;	/* the receive timeout: nothing came */
	}

	if (!x.done) {
		char why[96];

		if (timed_out)
			snprintf(why, sizeof(why), " within %d ms",
				 LC_REQUEST_TIMEOUT_MS);
		else if (recv_err)
			snprintf(why, sizeof(why), " after a receive failure (%s)",
				 strerror(-recv_err));
		else if (x.stale)
			snprintf(why, sizeof(why),
				 " among %u datagrams of earlier requests",
				 dgrams);
		else
			snprintf(why, sizeof(why), ": the socket has nothing to read");
		err = lc_error_set(ctx, -EIO,
				   "%s: %s: no acknowledgement from the kernel%s; the netlink socket is out of step: close the context and open a new one",
				   op->name, strerror(EIO), why);
		goto out_put;
	}
	if (recv_err) {
		err = lc_error_set(ctx, recv_err,
				   "%s: cannot receive the reply: %s (the answer may be incomplete; the socket is in step, retry)",
				   op->name, strerror(-recv_err));
		goto out_put;
	}

	if (x.failed) {
		err = x.ext.error;
		lc_extack_format(ctx->errbuf, sizeof(ctx->errbuf), op, &x.ext,
				 req);
	} else if (x.parse_err) {
		err = lc_error_set(ctx, x.parse_err, "%s: %s: %s", op->name,
				   strerror(-x.parse_err), x.detail);
	} else if (!x.got_reply) {
		err = lc_error_set(ctx, -EPROTO,
				   "%s: %s: the kernel acknowledged the request without a reply",
				   op->name, strerror(EPROTO));
	} else {
		err = 0;
	}

out_put:
	nl_cb_put(cb);
out_free:
	nlmsg_free(req);
	return err;
}
