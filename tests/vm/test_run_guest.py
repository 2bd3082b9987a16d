#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Host unit tests for run-guest's verdict, with a fake QEMU.

run-guest boots nothing here: a stand-in qemu-system-aarch64 first in PATH
plays the guest, writing TEST.rc and dmesg.txt into the results share named
by -fsdev, as the guest's /init does.  What is tested is run-guest's own
logic: the guest's exit status, and kernel reports failing the run unless
the host (--allow-dmesg) allowed them.
"""

import os
import subprocess
import sys
import tempfile
import textwrap
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
RUN_GUEST = os.path.join(HERE, "run-guest")

FAKE_QEMU = textwrap.dedent("""\
    #!/bin/sh
    # The guest: FAKE_RC to TEST.rc, FAKE_DMESG to dmesg.txt, and
    # FAKE_ALLOW (if set) to dmesg-allow, in the -fsdev results share.
    results= test=
    while [ $# -gt 0 ]; do
        case "$1" in
        -fsdev) results=$(echo "$2" | sed -n 's/.*path=\\([^,]*\\).*/\\1/p'); shift ;;
        -append) test=$(echo "$2" | sed -n 's/.*linmap.test=\\([^ ]*\\).*/\\1/p'); shift ;;
        esac
        shift
    done
    printf '%s\\n' "$FAKE_RC" >"$results/$test.rc"
    printf '%s' "$FAKE_DMESG" >"$results/dmesg.txt"
    [ -z "${FAKE_ALLOW+x}" ] || printf '%s\\n' "$FAKE_ALLOW" >"$results/dmesg-allow"
    exit 0
    """)

CLEAN = "[    0.000000] Booting Linux on physical CPU 0x0\n[    2.0] Run /init as init process\n"
WARN = CLEAN + textwrap.dedent("""\
    [    1.000000] ------------[ cut here ]------------
    [    1.000001] WARNING: CPU: 1 PID: 1 at arch/arm64/mm/mmu.c:123 split_kernel_leaf_mapping+0x1/0x2
    [    1.000003] Call trace:
    [    1.000004]  split_kernel_leaf_mapping+0x1/0x2
    [    1.000005] ---[ end trace 0000000000000000 ]---
    """)


class RunGuest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="run-guest-test-")
        d = self.tmp.name
        self.bin = os.path.join(d, "bin")
        os.mkdir(self.bin)
        qemu = os.path.join(self.bin, "qemu-system-aarch64")
        with open(qemu, "w", encoding="utf-8") as f:
            f.write(FAKE_QEMU)
        os.chmod(qemu, 0o755)
        self.kernel = os.path.join(d, "Image")
        self.initrd = os.path.join(d, "initramfs.cpio.gz")
        for p in (self.kernel, self.initrd):
            open(p, "w", encoding="utf-8").close()
        self.out = os.path.join(d, "out")

    def tearDown(self):
        self.tmp.cleanup()

    def run_guest(self, rc="0", dmesg=CLEAN, allow_file=None, args=()):
        env = dict(os.environ, PATH=self.bin + os.pathsep + os.environ["PATH"],
                   LINMAP_BUILD=os.path.join(self.tmp.name, "build"),
                   FAKE_RC=rc, FAKE_DMESG=dmesg)
        env.pop("FAKE_ALLOW", None)
        if allow_file is not None:
            env["FAKE_ALLOW"] = allow_file
        p = subprocess.run(["bash", RUN_GUEST, "--kernel", self.kernel, "--initrd", self.initrd,
                            "--out", self.out, "--timeout", "30", *args, "boot"],
                           env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True, check=False)
        return p.returncode, p.stdout

    def test_clean_guest_passes(self):
        rc, out = self.run_guest()
        self.assertEqual(rc, 0, out)

    def test_guest_status_is_kept(self):
        rc, out = self.run_guest(rc="3")
        self.assertEqual(rc, 3, out)

    def test_kernel_warning_fails(self):
        rc, out = self.run_guest(dmesg=WARN)
        self.assertEqual(rc, 1, out)
        self.assertIn("unexpected reports", out)

    def test_host_allows_a_warning(self):
        rc, out = self.run_guest(dmesg=WARN, args=("--allow-dmesg", "split_kernel_leaf_mapping"))
        self.assertEqual(rc, 0, out)

    def test_guest_cannot_allow_its_own_warning(self):
        rc, out = self.run_guest(dmesg=WARN, allow_file="split_kernel_leaf_mapping")
        self.assertEqual(rc, 1, out)
        self.assertIn("dmesg-allow", out)

    def test_guest_allow_file_fails_even_a_clean_run(self):
        rc, out = self.run_guest(allow_file="anything")
        self.assertEqual(rc, 1, out)


if __name__ == "__main__":
    sys.dont_write_bytecode = True
    unittest.main()
