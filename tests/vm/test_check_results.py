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
        "caps": {"granule": 4096, "bbml3": True, "block_capable": True, "reason": None},
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

    def snapshot(self, name, status=True, ideal=2):
        """ptdump-NAME.txt of two 2M blocks; status-NAME.json agreeing with
        it and claiming IDEAL leaves (None: no status file)."""
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


if __name__ == "__main__":
    unittest.main()
