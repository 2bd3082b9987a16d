// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Events: the "events" multicast group of the family, on a socket of its
 * own (as tlshd listens for its handshake requests).  The kernel sends
 *
 *   split-ntf     leaves were split (coalesced, about once a second at
 *                 most): the splits since boot per level, and how many
 *                 since the previous split event
 *   collapse-ntf  a collapse ran (not a dry run): its counts, no addresses
 *                 (with split tracking, the regions it visited and its
 *                 longest lock hold too, but not whether that was a full
 *                 scan)
 *
 * The socket is nonblocking so that the caller's poll loop owns it, and has
 * no sequence checks (notifications carry sequence 0).  When the listener
 * is too slow the kernel drops events and the next receive fails with
 * ENOBUFS, which libnl 3.7 folds into NLE_NOMEM: this is reported as
 * -ENOBUFS, and the caller resynchronises from get-stats, whose counters
 * since boot are what the events add up to.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/linmap.h>
#include <netlink/errno.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/handlers.h>
#include <netlink/socket.h>

#include "libcollapse-private.h"

static const char *const lc_split_event_attr_names[LINMAP_A_SPLIT_EVENT_MAX + 1] = {
	[LINMAP_A_SPLIT_EVENT_PAD]		= "pad",
	[LINMAP_A_SPLIT_EVENT_SPLITS]		= "splits",
	[LINMAP_A_SPLIT_EVENT_NEW_SPLITS]	= "new-splits",
	[LINMAP_A_SPLIT_EVENT_PINGPONGS]	= "pingpongs",
	[LINMAP_A_SPLIT_EVENT_NEW_PINGPONGS]	= "new-pingpongs",
	[LINMAP_A_SPLIT_EVENT_CHANGES]		= "changes",
	[LINMAP_A_SPLIT_EVENT_NEW_CHANGES]	= "new-changes",
};

const struct lc_op lc_op_split_ntf = {
	.name		= "split-ntf",
	.cmd		= LINMAP_CMD_SPLIT_NTF,
	.attr_max	= LINMAP_A_SPLIT_EVENT_MAX,
	.attr_names	= lc_split_event_attr_names,
	.event		= true,
};

/* The notification @msg claims to be, for error text. */
static const char *lc_event_name(struct nl_msg *msg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct genlmsghdr *ghdr = nlmsg_data(nlh);

	if (!genlmsg_valid_hdr(nlh, 0))
		return "events";
	if (ghdr->cmd == LINMAP_CMD_SPLIT_NTF)
		return lc_op_split_ntf.name;
	if (ghdr->cmd == LINMAP_CMD_COLLAPSE_NTF)
		return lc_op_collapse_ntf.name;
	return "events";
}

static int lc_split_event_parse(struct nl_msg *msg, struct lc_event *ev,
				char *detail, size_t detail_size)
{
	struct nlattr *tb[LINMAP_A_SPLIT_EVENT_MAX + 1];
	struct lc_event e = { .type = LC_EVENT_SPLIT };
	struct lc_attrs attrs;

	if (lc_attrs_parse(&attrs, &lc_op_split_ntf, msg, tb, detail,
			   detail_size))
		return attrs.err;

	lc_attrs_counts(&attrs, LINMAP_A_SPLIT_EVENT_SPLITS, &lc_level_counts,
			e.split.splits);
	e.split.new_splits = lc_attrs_uint(&attrs,
					   LINMAP_A_SPLIT_EVENT_NEW_SPLITS);
	/* A pair: both or neither (a kernel without ping-pong counts). */
	e.split.has_pingpongs = lc_attrs_pair(&attrs,
					      LINMAP_A_SPLIT_EVENT_PINGPONGS,
					      LINMAP_A_SPLIT_EVENT_NEW_PINGPONGS,
					      &e.split.pingpongs,
					      &e.split.new_pingpongs);
	/* Likewise (a kernel that announces splits only). */
	e.split.has_changes = lc_attrs_pair(&attrs,
					    LINMAP_A_SPLIT_EVENT_CHANGES,
					    LINMAP_A_SPLIT_EVENT_NEW_CHANGES,
					    &e.split.changes,
					    &e.split.new_changes);
	if (attrs.err)
		return attrs.err;

	*ev = e;
	return 0;
}

static int lc_collapse_event_parse(struct nl_msg *msg, struct lc_event *ev,
				   char *detail, size_t detail_size)
{
	struct lc_event e = { .type = LC_EVENT_COLLAPSE };
	int err;

	err = lc_collapse_result_parse(msg, &lc_op_collapse_ntf, &e.collapse,
				       detail, detail_size);
	if (err)
		return err;
	*ev = e;
	return 0;
}

int lc_event_parse(struct nl_msg *msg, int family, struct lc_event *ev,
		   char *detail, size_t detail_size)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);

	if (detail_size)
		detail[0] = '\0';
	if (nlh->nlmsg_type != family)
		return -ENOMSG;		/* not from our family */
	if (!genlmsg_valid_hdr(nlh, 0)) {
		snprintf(detail, detail_size, "malformed event from the kernel");
		return -EPROTO;
	}

	switch (((struct genlmsghdr *)nlmsg_data(nlh))->cmd) {
	case LINMAP_CMD_SPLIT_NTF:
		return lc_split_event_parse(msg, ev, detail, detail_size);
	case LINMAP_CMD_COLLAPSE_NTF:
		return lc_collapse_event_parse(msg, ev, detail, detail_size);
	default:
		return -ENOMSG;		/* an event newer than this library */
	}
}

int lc_events_recv_error(int nlerr, int sys_errno)
{
	/*
	 * libnl maps both ENOBUFS (events dropped) and ENOMEM to NLE_NOMEM.
	 * Only a real ENOMEM is an allocation failure; anything else is taken
	 * as lost events, since resynchronising is never wrong.
	 */
	if (nlerr == -NLE_NOMEM)
		return sys_errno == ENOMEM ? -ENOMEM : -ENOBUFS;
	return lc_errno_from_nlerr(nlerr);
}

static int lc_events_on_msg_in(struct nl_msg *msg, void *arg)
{
	struct lc_events *evs = arg;

	(void)msg;
	evs->messages++;
	return NL_OK;
}

static int lc_events_on_valid(struct nl_msg *msg, void *arg)
{
	struct lc_events *evs = arg;
	int err;

	err = lc_event_parse(msg, evs->ctx.family, evs->ev, evs->detail,
			     sizeof(evs->detail));
	if (err == -ENOMSG)
		return NL_OK;		/* skip it, read on */
	if (err) {
		evs->parse_err = err;
		evs->parse_name = lc_event_name(msg);
	} else {
		evs->got_event = true;
	}
	/* One event per read; the kernel sends one per datagram. */
	return NL_STOP;
}

static int lc_events_no_seq_check(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

struct lc_events *lc_events_new(struct nl_sock *sock, int family, int group)
{
	struct lc_events *evs = calloc(1, sizeof(*evs));
	struct nl_cb *sock_cb;

	if (!evs)
		return NULL;
	/* Clone the socket's set so overridden send/recv hooks carry over. */
	sock_cb = nl_socket_get_cb(sock);
	evs->cb = nl_cb_clone(sock_cb);
	nl_cb_put(sock_cb);
	if (!evs->cb) {
		free(evs);
		return NULL;
	}
	nl_cb_set(evs->cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM,
		  lc_events_no_seq_check, NULL);
	nl_cb_set(evs->cb, NL_CB_MSG_IN, NL_CB_CUSTOM, lc_events_on_msg_in,
		  evs);
	nl_cb_set(evs->cb, NL_CB_VALID, NL_CB_CUSTOM, lc_events_on_valid, evs);
	evs->ctx.sock = sock;
	evs->ctx.family = family;
	evs->group = group;
	return evs;
}

/*
 * A burst (a budgeted collapse sends one event per step) should not
 * overflow the default 32K that libnl sets.  SO_RCVBUFFORCE may exceed
 * net.core.rmem_max and needs CAP_NET_ADMIN; SO_RCVBUF is capped there.
 * Failure is harmless: the socket just overflows sooner.
 */
static void lc_events_grow_rcvbuf(struct nl_sock *sock)
{
	int fd = nl_socket_get_fd(sock);
	int size = LC_EVENTS_RCVBUF;

	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size,
				 sizeof(size));
}

LC_EXPORT int lc_events_open(struct lc_events **out)
{
	struct lc_events *evs;
	struct nl_sock *sock;
	int family, group, err;

	*out = NULL;
	lc_error_clear(NULL);

	err = lc_genl_open("events", &sock, &family);
	if (err)
		return err;

	group = genl_ctrl_resolve_grp(sock, LINMAP_FAMILY_NAME,
				      LINMAP_MCGRP_EVENTS);
	if (group == -NLE_OBJ_NOTFOUND) {
		err = lc_error_set(NULL, -EOPNOTSUPP,
				   "events: the running kernel's '" LINMAP_FAMILY_NAME
				   "' family has no '" LINMAP_MCGRP_EVENTS
				   "' multicast group (a kernel of the first linmap series): boot a kernel with the collapse series for events");
		goto fail;
	}
	if (group < 0) {
		err = lc_errno_from_nlerr(group);
		lc_error_set(NULL, err,
			     "events: cannot resolve the '" LINMAP_MCGRP_EVENTS
			     "' multicast group: %s", strerror(-err));
		goto fail;
	}

	err = nl_socket_add_membership(sock, group);
	if (err < 0) {
		err = lc_errno_from_nlerr(err);
		if (err == -EPERM) {
			/* genl_bind(): the group is GENL_MCAST_CAP_SYS_ADMIN */
			lc_error_set(NULL, err,
				     "events: joining the '" LINMAP_MCGRP_EVENTS
				     "' multicast group needs CAP_SYS_ADMIN (when other users' secretmem splits the linear map is privileged): run as root");
			goto fail;
		}
		lc_error_set(NULL, err,
			     "events: cannot join the '" LINMAP_MCGRP_EVENTS
			     "' multicast group: %s", strerror(-err));
		goto fail;
	}
	nl_socket_disable_seq_check(sock);
	err = nl_socket_set_nonblocking(sock);
	if (err < 0) {
		err = lc_errno_from_nlerr(err);
		lc_error_set(NULL, err,
			     "events: cannot make the socket nonblocking: %s",
			     strerror(-err));
		goto fail;
	}
	lc_events_grow_rcvbuf(sock);

	evs = lc_events_new(sock, family, group);
	if (!evs) {
		err = lc_error_set(NULL, -ENOMEM, "events: %s",
				   strerror(ENOMEM));
		goto fail;
	}
	*out = evs;
	return 0;

fail:
	nl_socket_free(sock);
	return err;
}

LC_EXPORT int lc_events_fd(struct lc_events *evs)
{
	return nl_socket_get_fd(evs->ctx.sock);
}

static int lc_events_read_one(struct lc_events *evs, struct lc_event *ev)
{
	unsigned int seen;
	int err, saved_errno;

	for (;;) {
		evs->ev = ev;
		evs->got_event = false;
		evs->parse_err = 0;
		evs->parse_name = NULL;
		seen = evs->messages;

		err = nl_recvmsgs(evs->ctx.sock, evs->cb);
		saved_errno = errno;
		evs->ev = NULL;

		if (evs->got_event)
			return 1;
		if (evs->parse_err)
			return lc_error_set(&evs->ctx, evs->parse_err,
					    "%s: %s: %s", evs->parse_name,
					    strerror(-evs->parse_err),
					    evs->detail);
		if (err == -NLE_AGAIN)
			return 0;
		if (err < 0) {
			err = lc_events_recv_error(err, saved_errno);
			if (err == -ENOBUFS)
				return lc_error_set(&evs->ctx, err,
						    "events: the kernel dropped events (the socket's receive buffer overflowed): resynchronise with get-stats");
			return lc_error_set(&evs->ctx, err,
					    "events: cannot receive: %s",
					    strerror(-err));
		}
		/* Nothing received (libnl may say so with 0): none pending. */
		if (evs->messages == seen)
			return 0;
		/* Only messages that are not our events: read on. */
	}
}

LC_EXPORT int lc_events_read(struct lc_events *evs, struct lc_event *ev,
			     size_t ev_size)
{
	struct lc_event e = { 0 };
	int ret;

	lc_error_clear(&evs->ctx);
	ret = lc_abi_check_size(&evs->ctx, "events", "struct lc_event",
				ev_size, LC_EVENT_SIZE_VER1);
	if (ret)
		return ret;
	ret = lc_events_read_one(evs, &e);
	if (ret == 1)
		lc_abi_copy_out(ev, ev_size, &e, sizeof(e));
	return ret;
}

LC_EXPORT const char *lc_events_strerror(struct lc_events *evs)
{
	return evs->ctx.errbuf;
}

LC_EXPORT void lc_events_close(struct lc_events *evs)
{
	if (!evs)
		return;
	nl_cb_put(evs->cb);
	nl_socket_free(evs->ctx.sock);
	free(evs);
}
