// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The context: a generic netlink socket with extended acks enabled and the
 * "linmap" family resolved.  The event context (events.c) opens its socket
 * the same way.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <linux/linmap.h>
#include <linux/netlink.h>
#include <netlink/errno.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/socket.h>

#include "libcollapse-private.h"

struct lc_ctx *lc_ctx_new(struct nl_sock *sock, int family)
{
	struct lc_ctx *ctx = calloc(1, sizeof(*ctx));

	if (!ctx)
		return NULL;
	ctx->sock = sock;
	ctx->family = family;
	return ctx;
}

static void lc_sock_enable_acks(struct nl_sock *sock)
{
	int one = 1;

	/*
	 * NETLINK_EXT_ACK (Linux 4.12) makes the kernel attach the handler's
	 * message to errors; NETLINK_CAP_ACK (4.3) stops it echoing our
	 * request back.  An older kernel refuses them and errors come without
	 * text, which is still correct, so failures are ignored.
	 */
	(void)setsockopt(nl_socket_get_fd(sock), SOL_NETLINK, NETLINK_EXT_ACK,
			 &one, sizeof(one));
	(void)setsockopt(nl_socket_get_fd(sock), SOL_NETLINK, NETLINK_CAP_ACK,
			 &one, sizeof(one));
}

int lc_genl_open(const char *what, struct nl_sock **sockp, int *family)
{
	struct nl_sock *sock;
	int err;

	*sockp = NULL;
	sock = nl_socket_alloc();
	if (!sock)
		return lc_error_set(NULL, -ENOMEM,
				    "%s: cannot allocate a netlink socket: %s",
				    what, strerror(ENOMEM));

	err = genl_connect(sock);
	if (err < 0) {
		err = lc_errno_from_nlerr(err);
		lc_error_set(NULL, err,
			     "%s: cannot open a generic netlink socket: %s",
			     what, strerror(-err));
		goto fail;
	}
	lc_sock_enable_acks(sock);

	*family = genl_ctrl_resolve(sock, LINMAP_FAMILY_NAME);
	if (*family == -NLE_OBJ_NOTFOUND) {
		err = lc_error_set(NULL, LC_ERR_NO_FAMILY,
				   "the running kernel has no '" LINMAP_FAMILY_NAME
				   "' generic netlink family (is the linmap-collapse series applied and CONFIG_ARM64_LINMAP=y?)");
		goto fail;
	}
	if (*family < 0) {
		err = lc_errno_from_nlerr(*family);
		lc_error_set(NULL, err,
			     "%s: cannot resolve the '" LINMAP_FAMILY_NAME
			     "' generic netlink family: %s", what, strerror(-err));
		goto fail;
	}
	*sockp = sock;
	return 0;

fail:
	nl_socket_free(sock);
	return err;
}

LC_EXPORT int lc_open(struct lc_ctx **out)
{
	const struct timeval timeout = {
		.tv_sec = LC_REQUEST_TIMEOUT_MS / 1000,
		.tv_usec = LC_REQUEST_TIMEOUT_MS % 1000 * 1000,
	};
	struct nl_sock *sock;
	struct lc_ctx *ctx;
	int family, err;

	*out = NULL;
	lc_error_clear(NULL);

	err = lc_genl_open("open", &sock, &family);
	if (err)
		return err;
	/* A request never waits forever for its answer (request.c). */
	if (setsockopt(nl_socket_get_fd(sock), SOL_SOCKET, SO_RCVTIMEO,
		       &timeout, sizeof(timeout)) < 0) {
		err = -errno;
		nl_socket_free(sock);
		return lc_error_set(NULL, err,
				    "open: cannot set the netlink socket's receive timeout: %s",
				    strerror(-err));
	}

	ctx = lc_ctx_new(sock, family);
	if (!ctx) {
		nl_socket_free(sock);
		return lc_error_set(NULL, -ENOMEM, "open: %s", strerror(ENOMEM));
	}
	*out = ctx;
	return 0;
}

LC_EXPORT void lc_close(struct lc_ctx *ctx)
{
	if (!ctx)
		return;
	nl_socket_free(ctx->sock);
	free(ctx);
}
