#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Has a process joined a generic netlink multicast group?

    netlink_groups.py PID FAMILY GROUP
        exit 0: none of PID's netlink sockets is a member of FAMILY's
        multicast group GROUP; 1: one is; 2: cannot tell (no such family
        or group, or a group id /proc cannot show).
    netlink_groups.py --self-test FAMILY GROUP
        joins GROUP itself and exits 0 only if the check above sees it:
        the control that shows the check can fail.

PID's sockets are the socket:[INODE] links in /proc/PID/fd; their group
memberships are the Groups column of /proc/PID/net/netlink (the first 32
groups, bit N-1 for group N).  The group's id comes from the kernel
(CTRL_CMD_GETFAMILY).  Prints each of PID's netlink sockets.
"""

import os
import socket
import struct
import sys

NETLINK_GENERIC = 16
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_NAME = 2
CTRL_ATTR_MCAST_GROUPS = 7
CTRL_ATTR_MCAST_GRP_NAME = 1
CTRL_ATTR_MCAST_GRP_ID = 2
NLM_F_REQUEST = 1
NLMSG_ERROR = 2
SOL_NETLINK = 270
NETLINK_ADD_MEMBERSHIP = 1
GROUPS_SHOWN = 32   # /proc/net/netlink prints nlk->groups[0] only


def socket_inodes(pid, proc="/proc"):
    """The inodes of the sockets process PID holds."""
    inodes = set()
    fd_dir = os.path.join(proc, str(pid), "fd")
    for fd in os.listdir(fd_dir):
        try:
            target = os.readlink(os.path.join(fd_dir, fd))
        except OSError:
            continue   # closed meanwhile
        if target.startswith("socket:[") and target.endswith("]"):
            inodes.add(int(target[8:-1]))
    return inodes


def netlink_sockets(pid, proc="/proc"):
    """Rows of /proc/PID/net/netlink (PID's network namespace), as dicts:
    protocol, portid, groups (the 32-bit mask), inode."""
    rows = []
    with open(os.path.join(proc, str(pid), "net", "netlink"), encoding="ascii") as f:
        header = f.readline().split()
        col = {name.lower(): i for i, name in enumerate(header)}
        for line in f:
            v = line.split()
            if len(v) < len(header):
                continue
            rows.append({"protocol": int(v[col["eth"]]), "portid": int(v[col["pid"]]),
                         "groups": int(v[col["groups"]], 16), "inode": int(v[col["inode"]])})
    return rows


def member(mask, group_id):
    """True or False if the Groups mask says; None if it cannot show group_id."""
    if not 1 <= group_id <= GROUPS_SHOWN:
        return None
    return bool(mask & (1 << (group_id - 1)))


def parse_attrs(data):
    """Netlink attributes: a list of (type, payload)."""
    attrs = []
    off = 0
    while off + 4 <= len(data):
        length, kind = struct.unpack_from("=HH", data, off)
        if length < 4:
            break
        attrs.append((kind & 0x3FFF, data[off + 4:off + length]))
        off += (length + 3) & ~3
    return attrs


def mcast_groups(reply_attrs):
    """{name: id} from the attributes of a CTRL_CMD_NEWFAMILY reply."""
    groups = {}
    for kind, payload in reply_attrs:
        if kind != CTRL_ATTR_MCAST_GROUPS:
            continue
        for _, entry in parse_attrs(payload):
            fields = dict(parse_attrs(entry))
            if CTRL_ATTR_MCAST_GRP_NAME in fields and CTRL_ATTR_MCAST_GRP_ID in fields:
                name = fields[CTRL_ATTR_MCAST_GRP_NAME].rstrip(b"\0").decode()
                groups[name] = struct.unpack("=I", fields[CTRL_ATTR_MCAST_GRP_ID][:4])[0]
    return groups


def resolve_group(family, group):
    """The id of FAMILY's multicast group GROUP, or None."""
    name = family.encode() + b"\0"
    attr = struct.pack("=HH", 4 + len(name), CTRL_ATTR_FAMILY_NAME) + name
    attr += b"\0" * (-len(attr) % 4)
    body = struct.pack("=BBH", CTRL_CMD_GETFAMILY, 1, 0) + attr
    msg = struct.pack("=IHHII", 16 + len(body), GENL_ID_CTRL, NLM_F_REQUEST, 1, 0) + body
    with socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC) as s:
        s.send(msg)
        reply = s.recv(65536)
    _, kind = struct.unpack_from("=IH", reply, 0)
    if kind == NLMSG_ERROR:
        return None
    return mcast_groups(parse_attrs(reply[20:])).get(group)


def check(pid, group_id, proc="/proc", out=sys.stdout):
    """0: PID is not a member of group_id, 1: it is, 2: cannot tell."""
    inodes = socket_inodes(pid, proc)
    verdict = 0
    for row in netlink_sockets(pid, proc):
        if row["inode"] not in inodes:
            continue
        is_member = member(row["groups"], group_id) if row["protocol"] == NETLINK_GENERIC else False
        print(f"pid {pid}: netlink socket inode {row['inode']} protocol {row['protocol']} "
              f"portid {row['portid']} groups {row['groups']:08x}"
              f"{' (member of group %d)' % group_id if is_member else ''}", file=out)
        if is_member:
            verdict = 1
        elif is_member is None and verdict == 0:
            verdict = 2
    return verdict


def main(argv):
    self_test = argv[:1] == ["--self-test"]
    if self_test:
        argv = argv[1:]
    if len(argv) != (2 if self_test else 3):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    family, group = argv[-2:]
    group_id = resolve_group(family, group)
    if group_id is None:
        print(f"netlink_groups: no multicast group {group!r} in family {family!r}", file=sys.stderr)
        return 2
    if member(0, group_id) is None:
        print(f"netlink_groups: group id {group_id} is beyond what /proc/net/netlink shows",
              file=sys.stderr)
        return 2
    print(f"{family}/{group} is multicast group {group_id}")
    if not self_test:
        return check(int(argv[0]), group_id)
    with socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC) as s:
        s.bind((0, 0))
        s.setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, group_id)
        seen = check(os.getpid(), group_id)
    if seen != 1:
        print(f"netlink_groups: self-test: joined group {group_id}, but the check "
              f"did not see it", file=sys.stderr)
        return 1
    print("self-test: the check sees a membership")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
