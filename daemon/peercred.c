// SPDX-License-Identifier: GPL-2.0
/*
 * Peer credential check for the status socket.  The supplementary groups
 * come from the kernel (SO_PEERGROUPS, Linux 4.13), not from NSS: the main
 * loop must not block on a directory service.
 */
#include <errno.h>
#include <sys/socket.h>

#include "peercred.h"

#define PEER_GROUPS_MAX	256

bool peer_allowed(const struct peer_rule *rule, uid_t uid, gid_t gid,
		  const gid_t *groups, size_t ngroups)
{
	size_t i;

	if (uid == 0 || uid == rule->self_uid)
		return true;
	if (!rule->has_group)
		return false;
	if (gid == rule->group)
		return true;
	for (i = 0; i < ngroups; i++)
		if (groups[i] == rule->group)
			return true;
	return false;
}

int peer_check_socket(int fd, const struct peer_rule *rule, uid_t *uid)
{
	gid_t groups[PEER_GROUPS_MAX];
	socklen_t len = sizeof(struct ucred);
	struct ucred cred;
	size_t ngroups = 0;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0)
		return -errno;
	*uid = cred.uid;
	if (rule->has_group && cred.uid != 0 && cred.uid != rule->self_uid &&
	    cred.gid != rule->group) {
		len = sizeof(groups);
		/* More than PEER_GROUPS_MAX groups: judged on the primary one. */
		if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &len) == 0)
			ngroups = len / sizeof(gid_t);
		else if (errno != ERANGE)
			return -errno;
	}
	return peer_allowed(rule, cred.uid, cred.gid, groups, ngroups) ? 1 : 0;
}
