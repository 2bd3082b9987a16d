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
 * Make room for the socket at @addr: an old socket nobody answers on is
 * removed; a live one means another daemon, anything else is left alone.
 */
static int status_socket_clear_path(const struct sockaddr_un *addr, char *err,
				    size_t err_size)
{
	struct stat st;
	int fd, ret;

	if (lstat(addr->sun_path, &st) < 0)
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
	if (unlink(addr->sun_path) < 0 && errno != ENOENT)
		return -errno;
	log_debug("removed the stale socket %s", addr->sun_path);
	return 0;
}

static int status_socket_create(struct status_socket *s,
				const struct collapsed_config *cfg, char *err,
				size_t err_size)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	char dir[CONFIG_SOCKET_PATH_MAX], *slash;
	mode_t old_umask;
	int fd, ret;

	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", cfg->socket_path);
	snprintf(dir, sizeof(dir), "%s", cfg->socket_path);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
			ret = -errno;
			snprintf(err, err_size, "cannot create %s for the status socket: %s",
				 dir, strerror(-ret));
			return ret;
		}
	}
	err[0] = '\0';
	ret = status_socket_clear_path(&addr, err, err_size);
	if (ret < 0) {
		if (!err[0])
			snprintf(err, err_size, "%s: %s", addr.sun_path,
				 strerror(-ret));
		return ret;
	}

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, err_size, "socket: %s", strerror(-ret));
		return ret;
	}
	/* The file is created with the mode the umask leaves. */
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
	if (chmod(addr.sun_path, cfg->socket_mode) < 0 ||
	    (cfg->socket_group[0] &&
	     chown(addr.sun_path, (uid_t)-1, cfg->socket_gid) < 0)) {
		ret = -errno;
		snprintf(err, err_size, "cannot give %s mode %04o%s%s: %s",
			 addr.sun_path, (unsigned int)cfg->socket_mode,
			 cfg->socket_group[0] ? " and group " : "",
			 cfg->socket_group, strerror(-ret));
		goto fail;
	}
	if (listen(fd, STATUS_CLIENTS_MAX) < 0) {
		ret = -errno;
		snprintf(err, err_size, "cannot listen on %s: %s",
			 addr.sun_path, strerror(-ret));
		goto fail;
	}
	s->listen_fd = fd;
	return 0;
fail:
	close(fd);
	if (s->path[0])
		unlink(s->path);
	s->path[0] = '\0';
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

static void status_socket_serve(struct status_socket *s, int fd, uint64_t now,
				status_doc_fn doc, void *arg)
{
	struct epoll_event ev = { .events = EPOLLOUT };
	struct status_client *c = NULL;
	uid_t uid = (uid_t)-1;
	int i, ret;

	ret = peer_check_socket(fd, &s->rule, &uid);
	if (ret <= 0) {
		if (ret < 0)
			log_notice("status: refused a client whose credentials cannot be read: %s",
				   strerror(-ret));
		else
			log_notice("status: refused uid %u: not root, not the daemon and not in [status] socket_group",
				   (unsigned int)uid);
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
	c->doc = doc(arg);
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
			if (errno != EAGAIN && errno != EINTR &&
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

	for (i = 0; i < STATUS_CLIENTS_MAX; i++)
		if (s->clients[i].fd >= 0 && s->clients[i].deadline < deadline)
			deadline = s->clients[i].deadline;
	return deadline;
}

void status_socket_expire(struct status_socket *s, uint64_t now)
{
	int i;

	for (i = 0; i < STATUS_CLIENTS_MAX; i++) {
		struct status_client *c = &s->clients[i];

		if (c->fd >= 0 && now >= c->deadline) {
			log_notice("status: a client did not read its document within %llus; dropped",
				   STATUS_CLIENT_TIMEOUT / 1000000000ULL);
			client_drop(c);
		}
	}
}
