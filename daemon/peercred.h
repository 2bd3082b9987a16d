/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Who may read the status endpoint.  The socket file's mode and group are
 * the first gate; the peer's credentials (SO_PEERCRED, SO_PEERGROUPS) are
 * the second, so a socket handed over by systemd with a looser mode, or a
 * file system that ignores socket permissions, still refuses strangers.
 */
#ifndef COLLAPSED_PEERCRED_H
#define COLLAPSED_PEERCRED_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct peer_rule {
	uid_t self_uid;		/* the daemon's own uid */
	bool has_group;		/* members of @group are allowed */
	gid_t group;
};

/*
 * Pure: is a peer with @uid, primary @gid and the supplementary @groups
 * allowed?  Root, the daemon's own uid and members of the configured group
 * (primary or supplementary) are; nobody else.
 */
bool peer_allowed(const struct peer_rule *rule, uid_t uid, gid_t gid,
		  const gid_t *groups, size_t ngroups);

/*
 * Read the credentials of the peer on the connected socket @fd and apply
 * @rule.  Returns 1 allowed, 0 refused, or a negative errno when the
 * credentials cannot be read (refuse then too).  *@uid names the peer.
 */
int peer_check_socket(int fd, const struct peer_rule *rule, uid_t *uid);

#endif /* COLLAPSED_PEERCRED_H */
