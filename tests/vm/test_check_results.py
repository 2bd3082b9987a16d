#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Host unit tests for check_results.py on synthetic results directories."""

import contextlib
import io
import json
import os
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True   # keep the source tree clean
sys.path.insert(0, HERE)

import check_results  # noqa: E402
from test_ptdump_leaves import Dump, KERNEL_RW, MIB  # noqa: E402

LEVELS = ("pud", "cont_pmd", "pmd", "cont_pte", "pte")


def status_doc(leaves, ideal, invalid=0, mapped=None):
    """A `collapsectl status --json` document with these statistics."""
    full = dict.fromkeys(LEVELS, 0)
    full.update(leaves)
    return {
        "caps": {"granule": 4096, "bbml3": True, "block_capable": True, "reason": None,
                 "kfence": False, "linear_start": 0xFFFF000000000000},
        "stats": {"leaves": full, "leaves_total": sum(full.values()), "invalid": invalid,
                  "ideal_leaves": ideal, "mapped_bytes": mapped,
                  "restoration": sum(full.values()) / ideal},
    }


class Results:
    """A temporary results directory written file by file."""

    def __init__(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="check-results-test-")
        self.dir = self.tmp.name

    def write(self, name, text):
        with open(os.path.join(self.dir, name), "w", encoding="utf-8") as f:
            f.write(text if isinstance(text, str) else json.dumps(text))
        return self

    def layout(self, ram=(0x40000000, 0xC0000000), text_pa=0x80000000):
        """iomem.txt and kallsyms.txt as the guest records them: one RAM
        region, the kernel image at TEXT_PA (2M of text, 2M of data)."""
        va = 0xFFFF800080000000
        self.write("iomem.txt", f"{ram[0]:08x}-{ram[1] - 1:08x} : System RAM\n"
                                f"  {text_pa:08x}-{text_pa + 0x1FFFFF:08x} : Kernel code\n")
        self.write("kallsyms.txt", "".join(f"{a:016x} T {n}\n" for n, a in (
            ("_text", va), ("_stext", va + 0x10000), ("__init_begin", va + 0x200000),
            ("__init_end", va + 0x300000), ("__bss_stop", va + 0x500000))))
        return self

    def snapshot(self, name, status=True, ideal=2):
        """ptdump-NAME.txt of two 2M blocks; status-NAME.json agreeing with
        it and claiming IDEAL leaves (None: no status file)."""
        if not os.path.exists(os.path.join(self.dir, "iomem.txt")):
            self.layout()
        self.write(f"ptdump-{name}.txt",
                   Dump().add(2 * MIB, "PMD", KERNEL_RW | {"blk"})
                         .add(2 * MIB, "PMD", KERNEL_RW | {"blk"}).end())
        if status:
            self.write(f"status-{name}.json", status_doc({"pmd": 2}, ideal, mapped=4 * MIB))
        return self

    def check(self, test, *args):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            rc = check_results.main([*args, test, self.dir])
        return rc, out.getvalue()

    def cleanup(self):
        self.tmp.cleanup()


class Boundary(unittest.TestCase):
    def setUp(self):
        self.r = Results()
        self.addCleanup(self.r.cleanup)
        skips = dict.fromkeys(("invalid", "attributes", "pkey", "realm", "excluded",
                               "alignment", "budget"), 0)
        self.r.write("collapse-pkey.json", {"collapse": {"skips": dict(skips, pkey=3)}})
        self.r.write("collapse-clear.json", {"collapse": {"skips": skips}})
        self.r.snapshot("bounded")

    def test_at_ideal_passes(self):
        self.r.snapshot("final")
        rc, out = self.r.check("boundary")
        self.assertEqual(rc, 0, out)
        self.assertIn("ok: after clear: ptdump leaves == ideal leaves", out)

    def test_above_ideal_fails(self):
        self.r.snapshot("final", ideal=1)
        rc, out = self.r.check("boundary")
        self.assertEqual(rc, 1, out)
        self.assertIn("FAIL: after clear: ptdump leaves == ideal leaves", out)

    def test_host_ideal_agrees(self):
        self.r.snapshot("final")
        rc, out = self.r.check("boundary")
        self.assertEqual(rc, 0, out)
        self.assertIn("ok: after clear: ptdump leaves == ideal leaves: host ideal == kernel ideal", out)

    def test_host_ideal_disagrees_with_a_wrong_kernel_ideal(self):
        # Sixteen 2M blocks, 32M aligned in both spaces: one contiguous PMD
        # range is the ideal.  A kernel that (wrongly) says 16, and whose
        # collapse left 16 blocks, passes "leaves == ideal" but not the host.
        dump = Dump()
        for _ in range(16):
            dump.add(2 * MIB, "PMD", KERNEL_RW | {"blk"})
        self.r.write("ptdump-final.txt", dump.end())
        self.r.write("status-final.json", status_doc({"pmd": 16}, 16, mapped=32 * MIB))
        rc, out = self.r.check("boundary")
        self.assertEqual(rc, 1, out)
        self.assertIn("FAIL: after clear: ptdump leaves == ideal leaves: host ideal == kernel ideal", out)
        self.assertIn("host 1, kernel 16", out)

    def test_host_ideal_needs_the_layout(self):
        self.r.snapshot("final")
        os.unlink(os.path.join(self.r.dir, "iomem.txt"))
        rc, out = self.r.check("boundary")
        self.assertEqual(rc, 1, out)
        self.assertIn("the host computes the ideal from the ptdump", out)

    def test_missing_final_status_fails(self):
        # It used to be skipped without a word.
        self.r.snapshot("final", status=False)
        rc, out = self.r.check("boundary")
        self.assertEqual(rc, 1, out)
        self.assertIn("FAIL: after clear: ptdump leaves == ideal leaves", out)

    def test_missing_final_snapshot_fails(self):
        rc, out = self.r.check("boundary")
        self.assertEqual(rc, 1, out)
        self.assertIn("FAIL: after clear: ptdump leaves == ideal leaves", out)


# Recorded from the series' KUnit suite on the BBML3 machine without KFENCE
# (/sys/kernel/debug/kunit/linmap/results), trimmed to a few cases.
KUNIT_BBML3 = """\
KTAP version 1
1..1
    KTAP version 1
    # Subtest: linmap
    1..6
    ok 1 linmap_ideal_takes_largest_aligned_leaves
    ok 2 linmap_ideal_uses_pud_blocks
    ok 3 linmap_collapse_rebuilds_split_block
    ok 4 linmap_collapse_leaves_kfence_pool # SKIP no KFENCE pool (boot with kfence.sample_interval != 0)
    ok 5 linmap_collapse_refused_without_bbml3 # SKIP the linear map is block-capable here
    # linmap_collapse_stops_at_pkey_boundary: POE absent: POIndex set through __set_memory_pkey()
    ok 6 linmap_collapse_stops_at_pkey_boundary
    # module: linmap_kunit
# linmap: pass:4 fail:0 skip:2 total:6
# Totals: pass:4 fail:0 skip:2 total:6
ok 1 linmap
"""
BBML3_ALLOW = ["linmap_collapse_leaves_kfence_pool", "linmap_collapse_refused_without_bbml3"]


def allow(*names):
    return [a for n in names for a in ("--allow-skip", n)]


class Kunit(unittest.TestCase):
    def setUp(self):
        self.r = Results()
        self.addCleanup(self.r.cleanup)

    def kunit(self, text, *allowed, suite="linmap"):
        self.r.write(f"kunit-{suite}.txt", text)
        return self.r.check("kunit", *allow(*allowed))

    def test_parse_recorded(self):
        r = check_results.parse_kunit(KUNIT_BBML3)
        self.assertEqual(r["suite"], "linmap")
        self.assertEqual(r["plan"], 6)
        self.assertEqual(r["suite_result"], "pass")
        self.assertEqual([c["result"] for c in r["cases"]],
                         ["pass", "pass", "pass", "skip", "skip", "pass"])
        self.assertEqual(r["cases"][3]["reason"],
                         "no KFENCE pool (boot with kfence.sample_interval != 0)")

    def test_allowed_skips_pass(self):
        rc, out = self.kunit(KUNIT_BBML3, *BBML3_ALLOW)
        self.assertEqual(rc, 0, out)
        self.assertIn("kunit: 4 passed, 0 failed, 2 skipped", out)

    def test_suite_qualified_names(self):
        rc, out = self.kunit(KUNIT_BBML3, *[f"linmap.{n}" for n in BBML3_ALLOW])
        self.assertEqual(rc, 0, out)

    def test_skip_is_not_a_pass(self):
        # Without an allow-list, what the guest used to count as "ok" fails.
        rc, out = self.kunit(KUNIT_BBML3)
        self.assertEqual(rc, 1, out)
        self.assertIn("FAIL: skip of linmap.linmap_collapse_leaves_kfence_pool", out)

    def test_kfence_registration_fails_without_a_pool(self):
        # vm-kunit-kfence-bbml3 allows only the nobbml3 case: a boot whose
        # KFENCE pool is missing fails it.
        rc, out = self.kunit(KUNIT_BBML3, "linmap_collapse_refused_without_bbml3")
        self.assertEqual(rc, 1, out)
        self.assertIn("FAIL: skip of linmap.linmap_collapse_leaves_kfence_pool is allowed", out)

    def test_bbml3_regression_fails(self):
        # The BBML3 machine no longer block-capable: the collapse cases skip.
        text = KUNIT_BBML3.replace(
            "ok 3 linmap_collapse_rebuilds_split_block",
            "ok 3 linmap_collapse_rebuilds_split_block # SKIP the CPUs lack BBML3")
        rc, out = self.kunit(text, *BBML3_ALLOW)
        self.assertEqual(rc, 1, out)
        self.assertIn("FAIL: skip of linmap.linmap_collapse_rebuilds_split_block", out)

    def test_failed_case_fails(self):
        text = KUNIT_BBML3.replace("    ok 6 linmap_collapse_stops_at_pkey_boundary",
                                   "    not ok 6 linmap_collapse_stops_at_pkey_boundary")
        text = text.replace("ok 1 linmap\n", "not ok 1 linmap\n")
        rc, out = self.kunit(text, *BBML3_ALLOW)
        self.assertEqual(rc, 1, out)
        self.assertIn("FAIL: linmap.linmap_collapse_stops_at_pkey_boundary passed", out)

    def test_unfinished_suite_fails(self):
        text = KUNIT_BBML3.split("    ok 5")[0]
        rc, out = self.kunit(text, "linmap_collapse_leaves_kfence_pool")
        self.assertEqual(rc, 1, out)
        self.assertIn("FAIL: linmap: the suite finished", out)
        self.assertIn("FAIL: linmap: every planned case reported", out)

    def test_stale_allowance_fails(self):
        rc, out = self.kunit(KUNIT_BBML3, *BBML3_ALLOW, "linmap_renamed_case")
        self.assertEqual(rc, 1, out)
        self.assertIn("FAIL: --allow-skip linmap_renamed_case names a KUnit case", out)

    def test_allowed_skip_that_ran_is_noted(self):
        rc, out = self.kunit(KUNIT_BBML3, *BBML3_ALLOW, "linmap_ideal_uses_pud_blocks")
        self.assertEqual(rc, 0, out)
        self.assertIn("allowed skip linmap_ideal_uses_pud_blocks did not happen", out)

    def test_whole_suite_skipped(self):
        text = "KTAP version 1\n1..1\n    KTAP version 1\n    # Subtest: linmap\n" \
               "    1..0\nok 1 linmap # SKIP no linear map\n"
        rc, out = self.kunit(text)
        self.assertEqual(rc, 1, out)
        self.assertIn("FAIL: skip of linmap.linmap is allowed", out)

    def test_parameterised_case_counts_once(self):
        text = ("KTAP version 1\n1..1\n    KTAP version 1\n    # Subtest: s\n    1..2\n"
                "        KTAP version 1\n        # Subtest: c_param\n"
                "        ok 1 a\n        ok 2 b # SKIP not here\n    ok 1 c_param\n"
                "    ok 2 c_plain\nok 1 s\n")
        r = check_results.parse_kunit(text)
        self.assertEqual([(c["name"], c["result"]) for c in r["cases"]],
                         [("c_param", "pass"), ("c_plain", "pass")])
        rc, out = self.kunit(text, suite="s")
        self.assertEqual(rc, 0, out)

    def test_no_results_fail(self):
        rc, out = self.r.check("kunit")
        self.assertEqual(rc, 1, out)

    def test_allow_skip_is_for_kunit_only(self):
        with contextlib.redirect_stderr(io.StringIO()):
            rc, _ = self.r.check("boundary", *allow("x"))
        self.assertEqual(rc, 2)


if __name__ == "__main__":
    unittest.main()
