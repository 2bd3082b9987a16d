/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The status endpoint: a UNIX stream socket on which every connection gets
 * one JSON document, then end of file.  The socket comes from systemd
 * (socket activation, collapsed.socket) or is created here.  Clients are
 * served without blocking: a document is written as far as the peer takes
 * it, the rest when the peer is writable again, and a client that has not
 * taken it all within STATUS_CLIENT_TIMEOUT, or one beyond
 * STATUS_CLIENTS_MAX at once, is dropped.
 */
#ifndef COLLAPSED_STATUS_SOCKET_H
#define COLLAPSED_STATUS_SOCKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "peercred.h"

#define STATUS_CLIENTS_MAX	8
#define STATUS_CLIENT_TIMEOUT	(2 * 1000000000ULL)	/* ns */
#define STATUS_NO_DEADLINE	UINT64_MAX
/* Out of file descriptors: the listening socket rests this long. */
#define STATUS_ACCEPT_PAUSE	(1000000000ULL)		/* ns */
/* At most one "refused" line per interval; the others are counted. */
#define STATUS_REFUSED_LOG_INTERVAL	(10 * 1000000000ULL)	/* ns */

struct status_client {
	int fd;				/* -1: slot free */
	char *doc;			/* the document, malloc()ed */
	size_t len, sent;
	uint64_t deadline;		/* CLOCK_MONOTONIC ns */
};

struct status_socket {
	int listen_fd;			/* -1: no endpoint */
	bool activated;			/* from systemd: do not unlink */
	char path[CONFIG_SOCKET_PATH_MAX];	/* to unlink at exit, "" if none */
	int epfd;			/* the main loop's epoll */
	uint32_t tag;			/* epoll data.u32 of the listening fd;
					 * clients are tag + 1 + slot */
	int lock_fd;			/* <path>.lock, held while serving */
	uint64_t paused_until;		/* accept4() hit EMFILE: listening fd
					 * out of epoll until then; 0 = not */
	uint64_t refused_logged;	/* when a refusal was last logged */
	unsigned int refused_quiet;	/* refusals not logged since */
	struct peer_rule rule;
	struct status_client clients[STATUS_CLIENTS_MAX];
};

/*
 * Builds the document for a new client (NULL on ENOMEM); @root_peer: the
 * client is root, who may see physical addresses.
 */
typedef char *(*status_doc_fn)(void *arg, bool root_peer);

/*
 * Take the socket systemd passed (LISTEN_FDS), or create @cfg->socket_path
 * with its mode and group (replacing a stale socket, refusing when another
 * daemon answers on it), and add it to @epfd with data.u32 = @tag.  A
 * socket created here lives in a directory that only its owner (root or
 * this user) can write, is never reached through a symlink, and is
 * replaced only under <path>.lock, so two daemons cannot race for it.  An
 * empty socket_path and no socket from systemd means no endpoint (0).
 * Returns 0 or a negative errno with the reason in @err.
 */
int status_socket_open(struct status_socket *s,
		       const struct collapsed_config *cfg, int epfd,
		       uint32_t tag, char *err, size_t err_size);

/* The group allowed besides root and the daemon (config reload). */
void status_socket_set_rule(struct status_socket *s,
			    const struct collapsed_config *cfg);

/* Close every client and the socket; unlink it if it was created here. */
void status_socket_close(struct status_socket *s);

/* The listening socket is readable: accept and serve what is pending. */
void status_socket_accept(struct status_socket *s, uint64_t now,
			  status_doc_fn doc, void *arg);

/* Does @tag name a client of @s?  Then serve it (writable, or hung up). */
bool status_socket_owns(const struct status_socket *s, uint32_t tag);
void status_socket_client_event(struct status_socket *s, uint32_t tag);

/*
 * The earliest client deadline (or the end of an accept pause), and
 * dropping clients past theirs (and resuming accepts).
 */
uint64_t status_socket_deadline(const struct status_socket *s);
void status_socket_expire(struct status_socket *s, uint64_t now);

#endif /* COLLAPSED_STATUS_SOCKET_H */
