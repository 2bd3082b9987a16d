/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The client side of collapsed's status endpoint: connect, read the one
 * JSON document the daemon writes, and return it.
 */
#ifndef COLLAPSECTL_DAEMON_CLIENT_H
#define COLLAPSECTL_DAEMON_CLIENT_H

#include <stddef.h>

#define DAEMON_DEFAULT_SOCKET	"/run/collapsed/status.sock"
#define DAEMON_DOC_MAX		(1 << 20)	/* a document is a few KiB */
#define DAEMON_TIMEOUT_MS	5000

/*
 * Read the status document from the socket at @path into *@text
 * (malloc()ed, NUL-terminated).  Returns 0, or a negative errno:
 *   -ENOENT, -ECONNREFUSED  nobody serves @path (collapsed is not running)
 *   -EACCES                 the socket's permissions keep the caller out
 *   -ECONNRESET             the daemon closed without an answer (its peer
 *                           check refused the caller)
 *   -ETIMEDOUT, -EFBIG, ... the daemon did not answer properly
 */
int daemon_status_read(const char *path, char **text);

#endif /* COLLAPSECTL_DAEMON_CLIENT_H */
