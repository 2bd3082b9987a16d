// SPDX-License-Identifier: GPL-2.0
/*
 * Status endpoint: listening socket and clients (see status-socket.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

#include "log.h"
#include "status-socket.h"

void status_socket_set_rule(struct status_socket *s,
			    const struct collapsed_config *cfg)
{
	s->rule.self_uid = geteuid();
	s->rule.has_group = cfg->socket_group[0] != '\0';
	s->rule.group = cfg->socket_gid;
}

static int set_nonblock(int fd)
{
	int flags = fcntl(fd, F_GETFL);

	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0)
		return -errno;
	return 0;
}

/* The socket systemd passed: 1 taken, 0 none passed, or -errno. */
static int status_socket_activated(struct status_socket *s, char *err,
				   size_t err_size)
{
	int n = sd_listen_fds(1), fd;

	if (n < 0) {
		snprintf(err, err_size, "cannot take the socket from systemd: %s",
			 strerror(-n));
		return n;
	}
	if (n == 0)
		return 0;
	fd = SD_LISTEN_FDS_START;
	if (n > 1)
		log_warning("systemd passed %d sockets; serving the first, closing the others", n);
	for (int i = 1; i < n; i++)
		close(SD_LISTEN_FDS_START + i);
	if (sd_is_socket_unix(fd, SOCK_STREAM, 1, NULL, 0) <= 0) {
		snprintf(err, err_size,
			 "the socket systemd passed is not a listening UNIX stream socket: check ListenStream= in collapsed.socket");
		close(fd);
		return -EINVAL;
	}
	if (set_nonblock(fd) < 0 || fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
		snprintf(err, err_size, "socket from systemd: %s", strerror(errno));
		close(fd);
		return -errno;
	}
	s->listen_fd = fd;
	s->activated = true;
	return 1;
}

/*
 * The directory that holds the socket, opened without following a
 * symlink: every later step is relative to it.  It must be writable by
 * its owner only, and that owner must be root or this user; otherwise
 * someone else could swap the socket for a symlink or their own socket.
 */
static int status_socket_open_dir(const char *dir, char *err, size_t err_size)
{
	struct stat st;
	int dfd, ret;

	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		ret = -errno;
		snprintf(err, err_size, "cannot create %s for the status socket: %s",
			 dir, strerror(-ret));
		return ret;
	}
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0 || fstat(dfd, &st) < 0) {
		ret = -errno;
		snprintf(err, err_size, "cannot open %s for the status socket: %s%s",
			 dir, strerror(-ret),
			 ret == -ELOOP || ret == -ENOTDIR ?
			 " (a symlink is not accepted: name the real directory in [status] socket)" : "");
		if (dfd >= 0)
			close(dfd);
		return ret;
	}
	if ((st.st_uid != 0 && st.st_uid != geteuid()) ||
	    (st.st_mode & (S_IWGRP | S_IWOTH))) {
		snprintf(err, err_size,
			 "%s is writable by other users (owner uid %u, mode %04o): put [status] socket in a directory only root or collapsed can write, e.g. /run/collapsed",
			 dir, (unsigned int)st.st_uid,
			 (unsigned int)(st.st_mode & 07777));
		close(dfd);
		return -EPERM;
	}
	return dfd;
}

/*
 * Make room for the socket @name in @dfd: an old socket nobody answers on
 * is removed; a live one means another daemon, anything else is left
 * alone.  The caller holds the lock, so no other collapsed binds between
 * the check and the removal.
 */
static int status_socket_clear_path(int dfd, const char *name,
				    const struct sockaddr_un *addr, char *err,
				    size_t err_size)
{
	struct stat st;
	int fd, ret;

	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISSOCK(st.st_mode)) {
		snprintf(err, err_size,
			 "%s exists and is not a socket: remove it or set [status] socket",
			 addr->sun_path);
		return -EEXIST;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	ret = connect(fd, (const struct sockaddr *)addr, sizeof(*addr));
	close(fd);
	if (ret == 0) {
		snprintf(err, err_size,
			 "another daemon is serving %s (is collapsed already running?)",
			 addr->sun_path);
		return -EADDRINUSE;
	}
	if (unlinkat(dfd, name, 0) < 0 && errno != ENOENT)
		return -errno;
	log_debug("removed the stale socket %s", addr->sun_path);
	return 0;
}

/* <name>.lock in @dfd, locked: one daemon at a time creates the socket. */
static int status_socket_lock(int dfd, const char *name, const char *path,
			      char *err, size_t err_size)
{
	char lock[CONFIG_SOCKET_PATH_MAX + 8];
	int fd, ret;

	snprintf(lock, sizeof(lock), "%s.lock", name);
	fd = openat(dfd, lock, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, err_size, "cannot open %s.lock: %s", path,
			 strerror(-ret));
		return ret;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		ret = errno == EWOULDBLOCK ? -EADDRINUSE : -errno;
		if (ret == -EADDRINUSE)
			snprintf(err, err_size,
				 "another daemon is serving %s (is collapsed already running?): it holds %s.lock",
				 path, path);
		else
			snprintf(err, err_size, "cannot lock %s.lock: %s", path,
				 strerror(-ret));
		close(fd);
		return ret;
	}
	return fd;
}

static int status_socket_create(struct status_socket *s,
				const struct collapsed_config *cfg, char *err,
				size_t err_size)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	char dir[CONFIG_SOCKET_PATH_MAX], *slash;
	const char *name;
	mode_t old_umask;
	struct stat st;
	int dfd, fd = -1, ret;

	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", cfg->socket_path);
	snprintf(dir, sizeof(dir), "%s", cfg->socket_path);
	slash = strrchr(dir, '/');
	if (!slash || !slash[1]) {
		snprintf(err, err_size, "[status] socket '%s' does not name a file",
			 cfg->socket_path);
		return -EINVAL;
	}
	name = cfg->socket_path + (slash - dir) + 1;
	if (slash == dir)
		slash[1] = '\0';	/* "/status.sock": the root directory */
	else
		*slash = '\0';
	err[0] = '\0';
	dfd = status_socket_open_dir(dir, err, err_size);
	if (dfd < 0)
		return dfd;
	ret = status_socket_lock(dfd, name, addr.sun_path, err, err_size);
	if (ret < 0)
		goto out_dir;
	s->lock_fd = ret;
	ret = status_socket_clear_path(dfd, name, &addr, err, err_size);
	if (ret < 0) {
		if (!err[0])
			snprintf(err, err_size, "%s: %s", addr.sun_path,
				 strerror(-ret));
		goto fail;
	}

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, err_size, "socket: %s", strerror(-ret));
		goto fail;
	}
	/*
	 * bind() creates the file with the mode the umask leaves, so no
	 * chmod() by path is needed (nor possible on the descriptor: fchmod()
	 * on a socket does not reach the file).
	 */
	old_umask = umask(~cfg->socket_mode & 0777);
	ret = bind(fd, (struct sockaddr *)&addr, sizeof(addr));
	umask(old_umask);
	if (ret < 0) {
		ret = -errno;
		snprintf(err, err_size, "cannot bind %s: %s", addr.sun_path,
			 strerror(-ret));
		goto fail;
	}
	snprintf(s->path, sizeof(s->path), "%s", addr.sun_path);
	/* The group, relative to the directory and never through a symlink. */
	if (cfg->socket_group[0] &&
	    fchownat(dfd, name, (uid_t)-1, cfg->socket_gid,
		     AT_SYMLINK_NOFOLLOW) < 0) {
		ret = -errno;
		snprintf(err, err_size, "cannot give %s the group %s: %s",
			 addr.sun_path, cfg->socket_group, strerror(-ret));
		goto fail;
	}
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
	    !S_ISSOCK(st.st_mode) ||
	    (st.st_mode & 0777) != (cfg->socket_mode & 0777)) {
		ret = -EEXIST;
		snprintf(err, err_size,
			 "%s changed under the daemon while it was being created: check who else writes to %s",
			 addr.sun_path, dir);
		goto fail;
	}
	if (listen(fd, STATUS_CLIENTS_MAX) < 0) {
		ret = -errno;
		snprintf(err, err_size, "cannot listen on %s: %s",
			 addr.sun_path, strerror(-ret));
		goto fail;
	}
	s->listen_fd = fd;
	close(dfd);
	return 0;
fail:
	if (fd >= 0)
		close(fd);
	if (s->path[0])
		unlinkat(dfd, name, 0);
	s->path[0] = '\0';
	if (s->lock_fd >= 0)
		close(s->lock_fd);
	s->lock_fd = -1;
out_dir:
	close(dfd);
	return ret;
}

int status_socket_open(struct status_socket *s,
		       const struct collapsed_config *cfg, int epfd,
		       uint32_t tag, char *err, size_t err_size)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = tag };
	int i, ret;

	memset(s, 0, sizeof(*s));
	s->listen_fd = -1;
	s->lock_fd = -1;
	s->epfd = epfd;
	s->tag = tag;
	for (i = 0; i < STATUS_CLIENTS_MAX; i++)
		s->clients[i].fd = -1;
	status_socket_set_rule(s, cfg);

	ret = status_socket_activated(s, err, err_size);
	if (ret < 0)
		return ret;
	if (ret == 0) {
		if (!cfg->socket_path[0])
			return 0;
		ret = status_socket_create(s, cfg, err, err_size);
		if (ret < 0)
			return ret;
	}
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, s->listen_fd, &ev) < 0) {
		ret = -errno;
		snprintf(err, err_size, "epoll: %s", strerror(-ret));
		status_socket_close(s);
		return ret;
	}
	return 0;
}

static void client_drop(struct status_client *c)
{
	/* close() takes the fd out of the epoll set too. */
	close(c->fd);
	free(c->doc);
	c->fd = -1;
	c->doc = NULL;
}

void status_socket_close(struct status_socket *s)
{
	int i;

	for (i = 0; i < STATUS_CLIENTS_MAX; i++)
		if (s->clients[i].fd >= 0)
			client_drop(&s->clients[i]);
	if (s->listen_fd >= 0)
		close(s->listen_fd);
	s->listen_fd = -1;
	if (s->path[0] && !s->activated)
		unlink(s->path);
	s->path[0] = '\0';
	if (s->lock_fd >= 0)
		close(s->lock_fd);
	s->lock_fd = -1;
}

/* Write what the peer takes; 1 when all is sent (or it is gone), else 0. */
static int client_write(struct status_client *c)
{
	while (c->sent < c->len) {
		ssize_t n = send(c->fd, c->doc + c->sent, c->len - c->sent,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return 0;
			log_debug("status client went away: %s", strerror(errno));
			return 1;
		}
		c->sent += n;
	}
	return 1;
}

/*
 * A refused peer is logged at most once per STATUS_REFUSED_LOG_INTERVAL,
 * so that a user who connects in a loop cannot flood the journal; the
 * next line says how many were refused in between.
 */
static void status_socket_log_refused(struct status_socket *s, uint64_t now,
				      int ret, uid_t uid)
{
	char more[64] = "";

	if (s->refused_logged &&
	    now - s->refused_logged < STATUS_REFUSED_LOG_INTERVAL) {
		s->refused_quiet++;
		return;
	}
	if (s->refused_quiet)
		snprintf(more, sizeof(more), " (and %u more refused since the last such line)",
			 s->refused_quiet);
	s->refused_quiet = 0;
	s->refused_logged = now ? now : 1;
	if (ret < 0)
		log_notice("status: refused a client whose credentials cannot be read: %s%s",
			   strerror(-ret), more);
	else
		log_notice("status: refused uid %u: not root, not the daemon and not in [status] socket_group%s",
			   (unsigned int)uid, more);
}

/* Out of descriptors: stop watching the listening socket for a while. */
static void status_socket_pause(struct status_socket *s, uint64_t now)
{
	struct epoll_event ev = { .events = 0, .data.u32 = s->tag };

	log_warning("status: accept: %s; not accepting for %llu ms (pending clients wait)",
		    strerror(errno), STATUS_ACCEPT_PAUSE / 1000000ULL);
	if (epoll_ctl(s->epfd, EPOLL_CTL_MOD, s->listen_fd, &ev) < 0)
		log_err("status: epoll: %s", strerror(errno));
	s->paused_until = now + STATUS_ACCEPT_PAUSE;
}

static void status_socket_resume(struct status_socket *s)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = s->tag };

	s->paused_until = 0;
	if (epoll_ctl(s->epfd, EPOLL_CTL_MOD, s->listen_fd, &ev) < 0)
		log_err("status: epoll: %s", strerror(errno));
}

static void status_socket_serve(struct status_socket *s, int fd, uint64_t now,
				status_doc_fn doc, void *arg)
{
	struct epoll_event ev = { .events = EPOLLOUT };
	struct status_client *c = NULL;
	uid_t uid = (uid_t)-1;
	int i, ret;

	ret = peer_check_socket(fd, &s->rule, &uid);
	if (ret <= 0) {
		status_socket_log_refused(s, now, ret, uid);
		close(fd);
		return;
	}
	for (i = 0; i < STATUS_CLIENTS_MAX; i++)
		if (s->clients[i].fd < 0) {
			c = &s->clients[i];
			break;
		}
	if (!c) {
		log_notice("status: %d clients already being served; dropped one more",
			   STATUS_CLIENTS_MAX);
		close(fd);
		return;
	}
	c->doc = doc(arg, uid == 0);
	if (!c->doc) {
		log_err("status: cannot build the document: %s", strerror(ENOMEM));
		close(fd);
		return;
	}
	c->fd = fd;
	c->len = strlen(c->doc);
	c->sent = 0;
	c->deadline = now + STATUS_CLIENT_TIMEOUT;
	if (client_write(c)) {
		client_drop(c);
		return;
	}
	ev.data.u32 = s->tag + 1 + (uint32_t)i;
	if (epoll_ctl(s->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		log_err("status: epoll: %s", strerror(errno));
		client_drop(c);
	}
}

void status_socket_accept(struct status_socket *s, uint64_t now,
			  status_doc_fn doc, void *arg)
{
	int fd;

	/* Bounded: at most one burst of STATUS_CLIENTS_MAX per wakeup. */
	for (int n = 0; n < STATUS_CLIENTS_MAX; n++) {
		fd = accept4(s->listen_fd, NULL, NULL,
			     SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			/*
			 * epoll is level-triggered: a connection left pending
			 * because no descriptor is free would wake the loop
			 * again at once, forever.
			 */
			if (errno == EMFILE || errno == ENFILE ||
			    errno == ENOBUFS || errno == ENOMEM)
				status_socket_pause(s, now);
			else if (errno != EAGAIN && errno != EINTR &&
				 errno != ECONNABORTED)
				log_warning("status: accept: %s", strerror(errno));
			return;
		}
		status_socket_serve(s, fd, now, doc, arg);
	}
}

bool status_socket_owns(const struct status_socket *s, uint32_t tag)
{
	return tag > s->tag && tag <= s->tag + STATUS_CLIENTS_MAX;
}

void status_socket_client_event(struct status_socket *s, uint32_t tag)
{
	struct status_client *c = &s->clients[tag - s->tag - 1];

	if (c->fd >= 0 && client_write(c))
		client_drop(c);
}

uint64_t status_socket_deadline(const struct status_socket *s)
{
	uint64_t deadline = STATUS_NO_DEADLINE;
	int i;

	if (s->paused_until)
		deadline = s->paused_until;
	for (i = 0; i < STATUS_CLIENTS_MAX; i++)
		if (s->clients[i].fd >= 0 && s->clients[i].deadline < deadline)
			deadline = s->clients[i].deadline;
	return deadline;
}

void status_socket_expire(struct status_socket *s, uint64_t now)
{
	int i;

	if (s->paused_until && now >= s->paused_until)
		status_socket_resume(s);
	for (i = 0; i < STATUS_CLIENTS_MAX; i++) {
		struct status_client *c = &s->clients[i];

		if (c->fd >= 0 && now >= c->deadline) {
			log_notice("status: a client did not read its document within %llus; dropped",
				   STATUS_CLIENT_TIMEOUT / 1000000000ULL);
			client_drop(c);
		}
	}
}
