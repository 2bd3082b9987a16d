// SPDX-License-Identifier: GPL-2.0
/*
 * Reading collapsed's status document.  Bounded in time and size, so a
 * stuck daemon cannot hang the command.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "daemon-client.h"

int daemon_status_read(const char *path, char **text)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	size_t len = 0, size = 8192;
	char *buf = NULL, *grown;
	int fd, ret;

	*text = NULL;
	if (strlen(path) >= sizeof(addr.sun_path))
		return -ENAMETOOLONG;
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		ret = -errno;
		goto out;
	}
	buf = malloc(size);
	if (!buf) {
		ret = -ENOMEM;
		goto out;
	}
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t n;

		ret = poll(&pfd, 1, DAEMON_TIMEOUT_MS);
		if (ret < 0 && errno == EINTR)
			continue;
		if (ret <= 0) {
			ret = ret < 0 ? -errno : -ETIMEDOUT;
			goto out;
		}
		if (len + 1 >= size) {
			if (size >= DAEMON_DOC_MAX) {
				ret = -EFBIG;
				goto out;
			}
			grown = realloc(buf, size * 2);
			if (!grown) {
				ret = -ENOMEM;
				goto out;
			}
			buf = grown;
			size *= 2;
		}
		n = read(fd, buf + len, size - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			goto out;
		}
		if (n == 0)
			break;
		len += n;
	}
	if (!len) {
		ret = -ECONNRESET;
		goto out;
	}
	buf[len] = '\0';
	*text = buf;
	buf = NULL;
	ret = 0;
out:
	free(buf);
	close(fd);
	return ret;
}
