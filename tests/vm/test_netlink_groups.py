#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Host unit tests for netlink_groups.py (used by system/degraded.sh)."""

import io
import os
import socket
import struct
import sys
import tempfile
import unittest
import unittest.mock

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True   # keep the source tree clean
sys.path.insert(0, HERE)

import netlink_groups as ng  # noqa: E402

HEADER = "sk               Eth Pid        Groups   Rmem     Wmem     Dump  Locks    Drops    Inode\n"


def row(proto, portid, groups, inode):
    return (f"0000000063c87087 {proto:<3d} {portid:<10d} {groups:08x} 0        0        "
            f"0     2        0        {inode:<8d}\n")


class FakeProc:
    """/proc/PID/fd and /proc/PID/net/netlink for one process."""

    def __init__(self, pid, fds, rows):
        self.tmp = tempfile.TemporaryDirectory(prefix="netlink-groups-test-")
        self.root = self.tmp.name
        base = os.path.join(self.root, str(pid))
        os.makedirs(os.path.join(base, "fd"))
        os.makedirs(os.path.join(base, "net"))
        for n, target in enumerate(fds):
            os.symlink(target, os.path.join(base, "fd", str(n)))
        with open(os.path.join(base, "net", "netlink"), "w", encoding="ascii") as f:
            f.write(HEADER + "".join(rows))


class Check(unittest.TestCase):
    def run_check(self, fds, rows, group_id=5):
        proc = FakeProc(42, fds, rows)
        self.addCleanup(proc.tmp.cleanup)
        out = io.StringIO()
        return ng.check(42, group_id, proc=proc.root, out=out), out.getvalue()

    def test_no_netlink_socket(self):
        rc, _ = self.run_check(["/dev/null", "socket:[100]"], [row(16, 7, 0x10, 999)])
        self.assertEqual(rc, 0)

    def test_genl_socket_without_the_group(self):
        rc, out = self.run_check(["socket:[100]"], [row(16, 42, 0x0, 100), row(16, 7, 0x10, 200)])
        self.assertEqual(rc, 0)
        self.assertIn("inode 100", out)

    def test_member_of_the_group(self):
        # Group 5 is bit 4 of the mask; the socket of another process with
        # the same membership does not count.
        rc, out = self.run_check(["socket:[100]", "pipe:[3]"],
                                 [row(16, 42, 0x10, 100), row(16, 7, 0x10, 200)])
        self.assertEqual(rc, 1)
        self.assertIn("member of group 5", out)

    def test_other_protocol_is_not_genl(self):
        rc, _ = self.run_check(["socket:[100]"], [row(0, 42, 0x10, 100)])
        self.assertEqual(rc, 0)

    def test_group_beyond_the_mask_cannot_be_told(self):
        rc, _ = self.run_check(["socket:[100]"], [row(16, 42, 0, 100)], group_id=40)
        self.assertEqual(rc, 2)


class Attributes(unittest.TestCase):
    @staticmethod
    def attr(kind, payload):
        a = struct.pack("=HH", 4 + len(payload), kind) + payload
        return a + b"\0" * (-len(a) % 4)

    def test_mcast_groups(self):
        grp = self.attr(ng.CTRL_ATTR_MCAST_GRP_NAME, b"events\0") + \
            self.attr(ng.CTRL_ATTR_MCAST_GRP_ID, struct.pack("=I", 9))
        reply = self.attr(ng.CTRL_ATTR_FAMILY_NAME, b"linmap\0") + \
            self.attr(ng.CTRL_ATTR_MCAST_GROUPS, self.attr(1, grp))
        self.assertEqual(ng.mcast_groups(ng.parse_attrs(reply)), {"events": 9})


class Live(unittest.TestCase):
    """On the host's own kernel: nlctrl's notify group."""

    def setUp(self):
        try:
            socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, ng.NETLINK_GENERIC).close()
        except OSError as e:
            self.skipTest(f"no generic netlink here: {e}")

    def test_self_test_sees_a_membership(self):
        out = io.StringIO()
        sys.stdout, saved = out, sys.stdout
        try:
            rc = ng.main(["--self-test", "nlctrl", "notify"])
        finally:
            sys.stdout = saved
        self.assertEqual(rc, 0, out.getvalue())

    def test_this_process_is_not_a_member(self):
        out = io.StringIO()
        sys.stdout, saved = out, sys.stdout
        try:
            rc = ng.main([str(os.getpid()), "nlctrl", "notify"])
        finally:
            sys.stdout = saved
        self.assertEqual(rc, 0, out.getvalue())

    def test_unknown_family_cannot_be_told(self):
        with unittest.mock.patch("sys.stderr", io.StringIO()):
            self.assertEqual(ng.main(["--self-test", "no-such-family", "x"]), 2)


if __name__ == "__main__":
    unittest.main()
