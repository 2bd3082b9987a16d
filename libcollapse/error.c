// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Error text: every failing call leaves a sentence an operator can act on,
 * either in its context or, for lc_open() (which has no context to return),
 * in a per-thread buffer.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include <netlink/errno.h>

#include "libcollapse-private.h"

static _Thread_local char lc_open_errbuf[LC_ERRBUF_SIZE];

static char *lc_errbuf(struct lc_ctx *ctx)
{
	return ctx ? ctx->errbuf : lc_open_errbuf;
}

void lc_error_clear(struct lc_ctx *ctx)
{
	lc_errbuf(ctx)[0] = '\0';
}

int lc_error_set(struct lc_ctx *ctx, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(lc_errbuf(ctx), LC_ERRBUF_SIZE, fmt, ap);
	va_end(ap);
	return err;
}

LC_EXPORT const char *lc_strerror(struct lc_ctx *ctx)
{
	return lc_errbuf(ctx);
}

/*
 * libnl folds several errno values into one NLE_* code and has no reverse
 * mapping; pick the errno a caller would expect for each.
 */
int lc_errno_from_nlerr(int nlerr)
{
	switch (nlerr < 0 ? -nlerr : nlerr) {
	case NLE_SUCCESS:		return 0;
	case NLE_INTR:			return -EINTR;
	case NLE_BAD_SOCK:		return -EBADF;
	case NLE_AGAIN:			return -EAGAIN;
	case NLE_NOMEM:			return -ENOMEM;
	case NLE_EXIST:			return -EEXIST;
	case NLE_INVAL:			return -EINVAL;
	case NLE_RANGE:			return -ERANGE;
	case NLE_MSGSIZE:		return -EMSGSIZE;
	case NLE_OPNOTSUPP:		return -EOPNOTSUPP;
	case NLE_AF_NOSUPPORT:		return -EAFNOSUPPORT;
	case NLE_OBJ_NOTFOUND:		return -ENOENT;
	case NLE_NOATTR:		return -EPROTO;
	case NLE_MISSING_ATTR:		return -EINVAL;
	case NLE_AF_MISMATCH:		return -EPROTO;
	case NLE_SEQ_MISMATCH:		return -EPROTO;
	case NLE_MSG_OVERFLOW:		return -ENOBUFS;
	case NLE_MSG_TRUNC:		return -EMSGSIZE;
	case NLE_NOADDR:		return -EADDRNOTAVAIL;
	case NLE_SRCRT_NOSUPPORT:	return -EOPNOTSUPP;
	case NLE_MSG_TOOSHORT:		return -EBADMSG;
	case NLE_MSGTYPE_NOSUPPORT:	return -EOPNOTSUPP;
	case NLE_OBJ_MISMATCH:		return -EINVAL;
	case NLE_NOCACHE:		return -ENOENT;
	case NLE_BUSY:			return -EBUSY;
	case NLE_PROTO_MISMATCH:	return -EPROTONOSUPPORT;
	case NLE_NOACCESS:		return -EACCES;
	case NLE_PERM:			return -EPERM;
	case NLE_PKTLOC_FILE:		return -ENOENT;
	case NLE_PARSE_ERR:		return -EINVAL;
	case NLE_NODEV:			return -ENODEV;
	case NLE_IMMUTABLE:		return -EPERM;
	case NLE_DUMP_INTR:		return -EINTR;
	case NLE_ATTRSIZE:		return -ERANGE;
	default:			return -EIO;
	}
}
