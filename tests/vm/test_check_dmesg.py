#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Host unit tests for check_dmesg.py."""

import os
import sys
import unittest

sys.dont_write_bytecode = True   # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_dmesg  # noqa: E402

CLEAN = """\
[    0.000000] Booting Linux on physical CPU 0x0000000000 [0x410fd842]
[    0.120000] CPU features: detected: BBML3
[    2.000000] Run /init as init process
"""

WARN = """\
[    1.000000] ------------[ cut here ]------------
[    1.000001] WARNING: CPU: 1 PID: 1 at arch/arm64/mm/mmu.c:123 split_kernel_leaf_mapping+0x1/0x2
[    1.000002] Modules linked in:
[    1.000003] Call trace:
[    1.000004]  split_kernel_leaf_mapping+0x1/0x2
[    1.000005] ---[ end trace 0000000000000000 ]---
"""

OOPS = """\
[    3.000000] Unable to handle kernel paging request at virtual address ffff000019600000
[    3.000001] Internal error: Oops: 0000000096000046 [#1]  SMP
[    3.000002] Call trace:
[    3.000003]  __pi_memcpy_generic+0x128/0x22c (P)
[    3.000004] ---[ end trace 0000000000000000 ]---
"""


class UnexpectedReports(unittest.TestCase):
    def test_clean_log(self):
        self.assertEqual(check_dmesg.unexpected_reports(CLEAN, []), [])

    def test_warning_is_one_report(self):
        bad = check_dmesg.unexpected_reports(CLEAN + WARN + CLEAN, [])
        self.assertEqual(len(bad), 1)
        self.assertIn("end trace", bad[0][-1])

    def test_allowed_warning(self):
        text = CLEAN + WARN + OOPS
        bad = check_dmesg.unexpected_reports(text, [r"split_kernel_leaf_mapping"])
        self.assertEqual(len(bad), 1)
        self.assertIn("Oops", "\n".join(bad[0]))

    def test_bug_and_bare_call_trace(self):
        text = "[    1.0] BUG: sleeping function called from invalid context\n" \
               "[    1.1] hello\n[    9.0] Call trace:\n"
        self.assertGreaterEqual(len(check_dmesg.unexpected_reports(text, [])), 1)

    def test_cut_here_alone_is_not_a_report(self):
        text = "[    1.0] ------------[ cut here ]------------\n[    1.1] fine\n"
        self.assertEqual(check_dmesg.unexpected_reports(text, []), [])


if __name__ == "__main__":
    unittest.main()
