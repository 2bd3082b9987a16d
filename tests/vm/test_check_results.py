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
from test_ptdump_leaves import Dump, KERNEL_RW, KIB, MIB, GIB  # noqa: E402

LEVELS = ("pud", "cont_pmd", "pmd", "cont_pte", "pte")
INVALID = (KERNEL_RW - {"valid"}) | {"ng"}      # PTE_PRESENT_INVALID

# /proc/meminfo's DirectMap lines per granule (arch_report_meminfo()),
# written out here rather than derived: (name, level, leaf size).
DIRECT_MAP = {
    4096: [("DirectMap4k", "pte", 4 * KIB), ("DirectMap64k", "cont_pte", 64 * KIB),
           ("DirectMap2M", "pmd", 2 * MIB), ("DirectMap32M", "cont_pmd", 32 * MIB),
           ("DirectMap1G", "pud", 1 * GIB)],
    16384: [("DirectMap16k", "pte", 16 * KIB), ("DirectMap2M", "cont_pte", 2 * MIB),
            ("DirectMap32M", "pmd", 32 * MIB), ("DirectMap1G", "cont_pmd", 1 * GIB)],
    65536: [("DirectMap64k", "pte", 64 * KIB), ("DirectMap2M", "cont_pte", 2 * MIB),
            ("DirectMap512M", "pmd", 512 * MIB), ("DirectMap16G", "cont_pmd", 16 * GIB)],
}


def full_levels(leaves):
    full = dict.fromkeys(LEVELS, 0)
    full.update(leaves)
    return full


def caps(granule=4096, addresses=True):
    c = {"granule": granule, "bbml3": True, "block_capable": True, "reason": None,
         "kfence": False}
    if addresses:
        c["linear_start"] = 0xFFFF000000000000
    return c


def status_doc(leaves, ideal, invalid=0, mapped=None, table_pages=1, granule=4096):
    """A `collapsectl status --json` document (as root: a walk) with these
    statistics."""
    full = full_levels(leaves)
    return {
        "caps": caps(granule),
        "stats": {"leaves": full, "leaves_total": sum(full.values()), "invalid": invalid,
                  "table_pages": table_pages, "ideal_leaves": ideal, "mapped_bytes": mapped,
                  "walked": True, "restoration": sum(full.values()) / ideal,
                  "since_boot": {"splits": {"pmd": 1}, "folds": {"pmd": 1}, "tables_freed": 0}},
    }


def counts_doc(leaves, mapped, table_pages=1, granule=4096, addresses=True):
    """A `collapsectl status --counts --json` document: the kernel's
    counters, no walk (no ideal, no invalid: null or absent)."""
    full = full_levels(leaves)
    return {
        "caps": caps(granule, addresses),
        "stats": {"leaves": full, "leaves_total": sum(full.values()), "invalid": None,
                  "table_pages": table_pages, "ideal_leaves": None, "mapped_bytes": mapped,
                  "walked": False, "restoration": None,
                  "since_boot": {"splits": {"pmd": 1}, "folds": {"pmd": 1}, "tables_freed": 0}},
    }


def meminfo(leaves, granule=4096):
    """/proc/meminfo's DirectMap lines for these leaves ("%-16s%8llu kB")."""
    full = full_levels(leaves)
    return "".join("%-16s%8d kB\n" % (name + ":", full[level] * size // 1024)
                   for name, level, size in DIRECT_MAP[granule])


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
        """ptdump-NAME.txt of two 2M blocks; status-NAME.json,
        counts-NAME.json and meminfo-NAME.txt agreeing with it, the walk
        claiming IDEAL leaves (status False: a ptdump-only snapshot)."""
        if not os.path.exists(os.path.join(self.dir, "iomem.txt")):
            self.layout()
        self.write(f"ptdump-{name}.txt",
                   Dump().add(2 * MIB, "PMD", KERNEL_RW | {"blk"})
                         .add(2 * MIB, "PMD", KERNEL_RW | {"blk"}).end())
        if status:
            self.stats(name, {"pmd": 2}, ideal, mapped=4 * MIB)
        return self

    def stats(self, name, leaves, ideal, mapped, invalid=0, table_pages=1, granule=4096):
        """status-NAME.json (the walk), counts-NAME.json (the counters) and
        meminfo-NAME.txt (DirectMap lines), all agreeing."""
        self.write(f"status-{name}.json", status_doc(leaves, ideal, invalid, mapped,
                                                     table_pages, granule))
        self.write(f"counts-{name}.json", counts_doc(leaves, mapped, table_pages, granule))
        self.write(f"meminfo-{name}.txt", meminfo(leaves, granule))
        return self

    def edit(self, name, change):
        """Rewrite the JSON file NAME through CHANGE(doc)."""
        path = os.path.join(self.dir, name)
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        change(doc)
        return self.write(name, doc)

    def remove(self, name):
        os.unlink(os.path.join(self.dir, name))
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
        self.r.stats("final", {"pmd": 16}, 16, mapped=32 * MIB)
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


class Counters(unittest.TestCase):
    """snapshot(): the counters (counts-NAME.json) and the DirectMap lines
    (meminfo-NAME.txt) against the walk and ptdump (run through the boot
    test, which takes one snapshot)."""

    def setUp(self):
        self.r = Results()
        self.addCleanup(self.r.cleanup)
        self.r.snapshot("boot")

    def boot(self):
        return self.r.check("boot")

    def assert_fails(self, what):
        rc, out = self.boot()
        self.assertEqual(rc, 1, out)
        self.assertIn(f"FAIL: boot: {what}", out)
        return out

    def test_agreeing_snapshot_passes(self):
        rc, out = self.boot()
        self.assertEqual(rc, 0, out)
        for level in LEVELS:
            self.assertIn(f"ok: boot: {level} leaves: counters == walk == ptdump", out)
        for what in ("table_pages: counters == walk", "mapped_bytes: counters == walk",
                     "counters: walked is false", "counters: no ideal, invalid or restoration",
                     "meminfo has exactly the DirectMap lines of the 4K granule",
                     "meminfo DirectMap2M == pmd leaves x 2048 kB",
                     "meminfo DirectMap1G == pud leaves x 1048576 kB",
                     "status --json walked the linear map"):
            self.assertIn(f"ok: boot: {what}", out)

    def recheck_with_invalid(self, kfence):
        """The walk's invalid count moved between the two readings of a
        snapshot (and so differs from ptdump's)."""
        def moved(doc):
            doc["stats"]["invalid"] = 3
        def pool(doc):
            doc["caps"]["kfence"] = kfence
        self.r.edit("status-boot.json", pool)
        self.r.write("status-boot-recheck.json",
                     json.load(open(os.path.join(self.r.dir, "status-boot.json"))))
        self.r.edit("status-boot-recheck.json", moved)
        self.r.edit("status-boot.json", moved)
        self.r.edit("status-boot-recheck.json", lambda d: d["stats"].update(invalid=5))

    def test_moving_invalid_count_fails_without_kfence(self):
        self.recheck_with_invalid(kfence=False)
        self.assert_fails("linear map unchanged while the ptdump was taken")
        self.assert_fails("invalid entries: stats == ptdump")

    def test_moving_invalid_count_is_kfence_s_with_a_pool(self):
        # KFENCE changes its pages' valid bits at any time: only the
        # leaves, counted by shape, must stay exact.
        self.recheck_with_invalid(kfence=True)
        rc, out = self.boot()
        self.assertEqual(rc, 0, out)
        self.assertIn("invalid entries not compared: a KFENCE pool", out)
        self.assertIn("ok: boot: linear map unchanged while the ptdump was taken", out)

    def test_absent_ideal_is_as_good_as_null(self):
        def drop(doc):
            for k in ("ideal_leaves", "invalid", "restoration"):
                del doc["stats"][k]
        self.r.edit("counts-boot.json", drop)
        rc, out = self.boot()
        self.assertEqual(rc, 0, out)

    def test_missing_counts_file_fails(self):
        self.r.remove("counts-boot.json")
        self.assert_fails("the counters were saved (counts-boot.json): missing")

    def test_missing_meminfo_file_fails(self):
        self.r.remove("meminfo-boot.txt")
        self.assert_fails("/proc/meminfo's DirectMap lines were saved (meminfo-boot.txt)")

    def test_ptdump_only_snapshot_needs_no_counters(self):
        r = Results()
        self.addCleanup(r.cleanup)
        r.snapshot("boot", status=False)
        rc, out = r.check("boot")
        self.assertEqual(rc, 0, out)
        self.assertNotIn("counters", out)

    def test_counters_disagree_with_the_walk(self):
        # One block split into contiguous ranges, by the counters only.
        self.r.write("counts-boot.json", counts_doc({"pmd": 1, "cont_pte": 32}, 4 * MIB))
        self.r.write("meminfo-boot.txt", meminfo({"pmd": 1, "cont_pte": 32}))
        out = self.assert_fails("pmd leaves: counters == walk == ptdump")
        self.assertIn("counters 1, walk 2, ptdump 2", out)
        self.assertIn("FAIL: boot: cont_pte leaves: counters == walk == ptdump", out)
        self.assertIn("ok: boot: pud leaves: counters == walk == ptdump", out)

    def test_walk_disagrees_with_ptdump_and_counters(self):
        self.r.write("status-boot.json", status_doc({"pmd": 1, "cont_pte": 32}, 2,
                                                    mapped=4 * MIB))
        self.assert_fails("pmd leaves: counters == walk == ptdump")

    def test_counters_table_pages_disagree(self):
        self.r.edit("counts-boot.json", lambda d: d["stats"].update(table_pages=2))
        out = self.assert_fails("table_pages: counters == walk")
        self.assertIn("counters 2, walk 1", out)

    def test_counters_mapped_bytes_disagree(self):
        self.r.edit("counts-boot.json", lambda d: d["stats"].update(mapped_bytes=2 * MIB))
        self.assert_fails("mapped_bytes: counters == walk")

    def test_counters_leaves_total_wrong(self):
        self.r.edit("counts-boot.json", lambda d: d["stats"].update(leaves_total=3))
        self.assert_fails("counters: leaves_total is the sum of the levels")

    def test_counters_that_walked_fail(self):
        self.r.edit("counts-boot.json", lambda d: d["stats"].update(walked=True))
        self.assert_fails("counters: walked is false")
        self.r.edit("counts-boot.json", lambda d: d["stats"].pop("walked"))
        self.assert_fails("counters: walked is false")

    def test_counters_with_an_ideal_fail(self):
        self.r.edit("counts-boot.json", lambda d: d["stats"].update(ideal_leaves=2))
        out = self.assert_fails("counters: no ideal, invalid or restoration")
        self.assertIn('"ideal_leaves": 2', out)
        self.r.write("counts-boot.json", counts_doc({"pmd": 2}, 4 * MIB))
        self.r.edit("counts-boot.json", lambda d: d["stats"].update(invalid=0))
        self.assert_fails("counters: no ideal, invalid or restoration")

    def test_unreadable_counts_fail(self):
        self.r.write("counts-boot.json", "{not json")
        self.assert_fails("counts-boot.json has the counters' stats")
        self.r.write("counts-boot.json", {"caps": {}})
        self.assert_fails("counts-boot.json has the counters' stats")

    def test_root_status_that_did_not_walk_fails(self):
        self.r.edit("status-boot.json", lambda d: d["stats"].update(walked=False))
        self.assert_fails("status --json walked the linear map")

    def test_wrong_direct_map_value_fails(self):
        self.r.write("meminfo-boot.txt", meminfo({"pmd": 2}).replace(
            "DirectMap2M:        4096 kB", "DirectMap2M:        2048 kB"))
        out = self.assert_fails("meminfo DirectMap2M == pmd leaves x 2048 kB")
        self.assertIn("meminfo 2048 kB, 2 leaves x 2048 kB = 4096 kB", out)
        self.assertIn("ok: boot: meminfo DirectMap4k == pte leaves x 4 kB", out)

    def test_direct_map_of_the_wrong_level_fails(self):
        # The 2M blocks' bytes under DirectMap32M (cont_pmd) instead.
        self.r.write("meminfo-boot.txt", meminfo({"cont_pmd": 0}).replace(
            "DirectMap32M:          0 kB", "DirectMap32M:       4096 kB"))
        self.assert_fails("meminfo DirectMap32M == cont_pmd leaves x 32768 kB")
        self.assert_fails("meminfo DirectMap2M == pmd leaves x 2048 kB")

    def test_missing_direct_map_line_fails(self):
        text = "".join(l + "\n" for l in meminfo({"pmd": 2}).splitlines()
                       if not l.startswith("DirectMap1G"))
        self.r.write("meminfo-boot.txt", text)
        out = self.assert_fails("meminfo has exactly the DirectMap lines of the 4K granule")
        self.assertIn("want ['DirectMap4k', 'DirectMap64k', 'DirectMap2M', 'DirectMap32M', "
                      "'DirectMap1G']", out)

    def test_empty_meminfo_fails(self):
        self.r.write("meminfo-boot.txt", "")
        self.assert_fails("meminfo has exactly the DirectMap lines of the 4K granule")

    def test_another_direct_map_line_fails(self):
        # The upper-case spelling, say: nothing else may be named DirectMap.
        self.r.write("meminfo-boot.txt", meminfo({"pmd": 2}) + "DirectMap4K:           0 kB\n")
        self.assert_fails("meminfo has exactly the DirectMap lines of the 4K granule")

    def test_duplicate_direct_map_line_fails(self):
        self.r.write("meminfo-boot.txt", meminfo({"pmd": 2}) + "DirectMap2M:        4096 kB\n")
        self.assert_fails("meminfo: DirectMap2M once")

    def test_direct_map_line_out_of_format_fails(self):
        self.r.write("meminfo-boot.txt", meminfo({"pmd": 2}).replace(
            "DirectMap2M:        4096 kB", "DirectMap2M: 4096 kB"))
        self.assert_fails("meminfo: a DirectMap line in the kernel's format")

    def test_other_meminfo_lines_are_ignored(self):
        self.r.write("meminfo-boot.txt", "MemTotal:        2014088 kB\n" + meminfo({"pmd": 2}))
        rc, out = self.boot()
        self.assertEqual(rc, 0, out)

    def test_16k_and_64k_names(self):
        for granule, names in ((16384, "DirectMap16k DirectMap2M DirectMap32M DirectMap1G"),
                               (65536, "DirectMap64k DirectMap2M DirectMap512M DirectMap16G"),
                               (4096, "DirectMap4k DirectMap64k DirectMap2M DirectMap32M "
                                      "DirectMap1G")):
            got = check_results.direct_map_lines(granule)
            self.assertEqual(" ".join(n for n, _, _ in got), names)
            self.assertEqual(got, DIRECT_MAP[granule])

    def test_16k_granule(self):
        # Two 32M PMD blocks with 16K pages.
        r = Results()
        self.addCleanup(r.cleanup)
        r.layout()
        r.write("ptdump-boot.txt", Dump().add(64 * MIB, "PMD", KERNEL_RW | {"blk"}).end())
        r.stats("boot", {"pmd": 2}, 2, mapped=64 * MIB, granule=16384)
        rc, out = r.check("boot")
        self.assertEqual(rc, 0, out)
        self.assertIn("ok: boot: meminfo DirectMap32M == pmd leaves x 32768 kB", out)
        self.assertIn("ok: boot: meminfo has exactly the DirectMap lines of the 16K granule", out)
        # The 4K granule's lines on a 16K kernel: wrong names (and a
        # DirectMap1G of the PUD level, which 16K pages lack).
        r.write("meminfo-boot.txt", meminfo({"pmd": 2}, 4096))
        rc, out = r.check("boot")
        self.assertEqual(rc, 1, out)
        self.assertIn("FAIL: boot: meminfo has exactly the DirectMap lines of the 16K granule",
                      out)

    def test_invalid_leaves_agree_by_shape(self):
        # A block split for 4 secretmem pages still held: the walk and the
        # counters count the invalid pages as pte leaves, as ptdump does.
        self.r.write("ptdump-boot.txt",
                     Dump().add(16 * KIB, "PTE", INVALID)
                           .add(48 * KIB, "PTE", KERNEL_RW)
                           .add(2 * MIB - 64 * KIB, "PTE", KERNEL_RW | {"cont"})
                           .add(2 * MIB, "PMD", KERNEL_RW | {"blk"}).end())
        leaves = {"pte": 16, "cont_pte": 31, "pmd": 1}
        self.r.stats("boot", leaves, 48, mapped=4 * MIB, invalid=4, table_pages=2)
        rc, out = self.boot()
        self.assertEqual(rc, 0, out)
        self.assertIn("ok: boot: invalid entries: stats == ptdump", out)
        self.assertIn("ok: boot: meminfo DirectMap4k == pte leaves x 4 kB", out)
        # A walk that leaves the invalid pages out (the old counting) no
        # longer agrees.
        self.r.write("status-boot.json", status_doc({"pte": 12, "cont_pte": 31, "pmd": 1}, 44,
                                                    invalid=4, mapped=4 * MIB - 16 * KIB,
                                                    table_pages=2))
        out = self.assert_fails("pte leaves: stats == ptdump")
        self.assertIn("FAIL: boot: mapped bytes: stats == ptdump", out)
        self.assertIn("FAIL: boot: mapped_bytes: counters == walk", out)


def held_ptdump(invalid_cont=False):
    """A block split for 4 held secretmem pages, then a block.  INVALID_CONT:
    a contiguous range of 16 invalid entries instead of 4 invalid pages."""
    d = Dump()
    if invalid_cont:
        d.add(64 * KIB, "PTE", INVALID | {"cont"})
    else:
        d.add(16 * KIB, "PTE", INVALID).add(48 * KIB, "PTE", KERNEL_RW)
    return (d.add(2 * MIB - 64 * KIB, "PTE", KERNEL_RW | {"cont"})
             .add(2 * MIB, "PMD", KERNEL_RW | {"blk"}).end())


class Status(unittest.TestCase):
    """test_status on ptdump alone (status.sh --ptdump-only): the held
    secretmem pages are invalid pte leaves, and still mapped bytes."""

    def setUp(self):
        self.r = Results()
        self.addCleanup(self.r.cleanup)
        blocks = Dump().add(4 * MIB, "PMD", KERNEL_RW | {"blk"}).end()
        self.r.write("ptdump-before.txt", blocks)
        self.r.write("ptdump-after-hold.txt", held_ptdump())
        self.r.write("ptdump-after.txt",
                     Dump().add(64 * KIB, "PTE", KERNEL_RW)
                           .add(2 * MIB - 64 * KIB, "PTE", KERNEL_RW | {"cont"})
                           .add(2 * MIB, "PMD", KERNEL_RW | {"blk"}).end())
        self.r.write("secretmem-churn-held.txt", "123 1 4 16384\n")

    def test_held_pages_pass(self):
        rc, out = self.r.check("status")
        self.assertEqual(rc, 0, out)
        self.assertIn("ok: while held: every held secretmem page is a pte leaf", out)
        self.assertIn("ok: while held: the linear map covers the same memory as before", out)

    def test_held_pages_that_are_holes_fail(self):
        # The held pages gone from the page tables (empty entries): not
        # leaves, not mapped bytes.
        self.r.write("ptdump-after-hold.txt",
                     Dump().add(16 * KIB, "PTE").add(48 * KIB, "PTE", KERNEL_RW)
                           .add(2 * MIB - 64 * KIB, "PTE", KERNEL_RW | {"cont"})
                           .add(2 * MIB, "PMD", KERNEL_RW | {"blk"}).end())
        rc, out = self.r.check("status")
        self.assertEqual(rc, 1, out)
        self.assertIn("FAIL: while held: the linear map covers the same memory as before", out)
        self.assertIn("FAIL: while held: every held secretmem page is out of the linear map", out)

    def test_held_pages_not_at_base_pages_fail(self):
        self.r.write("ptdump-after-hold.txt", held_ptdump(invalid_cont=True))
        rc, out = self.r.check("status")
        self.assertEqual(rc, 1, out)
        self.assertIn("ok: while held: every held secretmem page is out of the linear map", out)
        self.assertIn("FAIL: while held: every held secretmem page is a pte leaf", out)


class Kfencelate(unittest.TestCase):
    """test_kfencelate: the late pool's 512 pages stay pte leaves; its
    invalid pages are pte leaves already and must not count twice."""

    def setUp(self):
        self.r = Results()
        self.addCleanup(self.r.cleanup)
        self.r.snapshot("before")
        self.r.write("kfence-stats.txt", "enabled: 1\ntotal allocations: 42\n")

    def after(self, valid, invalid):
        """after: the first block split, VALID + INVALID pages (alternating
        runs of 2), the rest of it contiguous ranges, then the block."""
        d = Dump()
        for _ in range(invalid // 2):
            d.add(8 * KIB, "PTE", INVALID).add(8 * KIB, "PTE", KERNEL_RW)
        if valid > invalid:
            d.add((valid - invalid) * 4 * KIB, "PTE", KERNEL_RW)
        rest = 2 * MIB - valid * 4 * KIB - invalid * 4 * KIB
        if rest:
            d.add(rest, "PTE", KERNEL_RW | {"cont"})
        d.add(2 * MIB, "PMD", KERNEL_RW | {"blk"})
        self.r.write("ptdump-after.txt", d.end())
        leaves = {"pte": valid + invalid, "cont_pte": rest // (64 * KIB), "pmd": 1}
        self.r.stats("after", leaves, 1 + (valid + invalid), mapped=4 * MIB,
                     invalid=invalid, table_pages=2)

    def test_pool_at_base_pages_passes(self):
        self.after(256, 256)
        rc, out = self.r.check("kfencelate")
        self.assertEqual(rc, 0, out)
        self.assertIn("ok: the late KFENCE pool stays at base pages", out)

    def test_invalid_pages_do_not_count_twice(self):
        # 288 pte leaves, 128 of them invalid: pte + invalid (416) would
        # have passed for a pool of 512; the pte leaves alone do not.
        self.after(160, 128)
        rc, out = self.r.check("kfencelate")
        self.assertEqual(rc, 1, out)
        self.assertIn("FAIL: the late KFENCE pool stays at base pages after collapses", out)
        self.assertIn("pte leaves grew by 288", out)


class Collapse(unittest.TestCase):
    """test_collapse, and in it the unprivileged status (nobody)."""

    def setUp(self):
        self.r = r = Results()
        self.addCleanup(r.cleanup)
        r.snapshot("before")
        split = (Dump().add(2 * MIB, "PTE", KERNEL_RW)
                       .add(2 * MIB, "PMD", KERNEL_RW | {"blk"}).end())
        for name in ("churned", "dry-run"):
            r.write(f"ptdump-{name}.txt", split)
            r.stats(name, {"pte": 512, "pmd": 1}, 2, mapped=4 * MIB, table_pages=2)
        r.snapshot("collapsed")
        skips = dict.fromkeys(("invalid", "attributes", "pkey", "realm", "excluded",
                               "alignment", "budget"), 0)
        result = {"folds": {"pmd": 1}, "tables_freed": 1, "bytes_freed": 4096, "next": None,
                  "skips": skips}
        r.write("collapse.json", {"collapse": dict(result, dry_run=False)})
        r.write("collapse-dry.json", {"collapse": dict(result, dry_run=True)})
        refused = "collapsectl: rewriting the kernel's page tables needs CAP_SYS_ADMIN\nexit 1\n"
        r.write("collapse-user.txt", refused)
        r.write("watch-user.txt", refused.replace("rewriting the kernel's page tables",
                                                  "the events group"))
        r.write("status-netns.txt", "collapsectl: no linmap family\nexit 3\n")
        r.write("status-user.json", counts_doc({"pmd": 2}, 4 * MIB, addresses=False))
        r.write("watch.jsonl", '{"event": "split"}\n{"event": "collapse"}\n')

    def test_passes(self):
        rc, out = self.r.check("collapse")
        self.assertEqual(rc, 0, out)
        self.assertIn("ok: unprivileged status (nobody): from the counters: walked false, "
                      "leaves, no ideal", out)

    def assert_user_status_fails(self):
        rc, out = self.r.check("collapse")
        self.assertEqual(rc, 1, out)
        self.assertIn("FAIL: unprivileged status (nobody): from the counters", out)

    def test_unprivileged_walk_fails(self):
        self.r.edit("status-user.json", lambda d: d["stats"].update(walked=True))
        self.assert_user_status_fails()

    def test_unprivileged_ideal_fails(self):
        self.r.edit("status-user.json", lambda d: d["stats"].update(ideal_leaves=2))
        self.assert_user_status_fails()

    def test_unprivileged_status_without_leaves_fails(self):
        self.r.edit("status-user.json", lambda d: d["stats"]["leaves"].pop("pte"))
        self.assert_user_status_fails()
        self.r.write("status-user.json", counts_doc({}, 0, addresses=False))
        self.assert_user_status_fails()


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

    def kunit(self, text, *allowed, suite="linmap", snapshot=True):
        self.r.write(f"kunit-{suite}.txt", text)
        if snapshot:
            self.r.snapshot("after-kunit", ideal=2)
        return self.r.check("kunit", *allow(*allowed))

    def test_missing_snapshot_after_the_suite_fails(self):
        rc, out = self.kunit(KUNIT_BBML3, "linmap_collapse_leaves_kfence_pool",
                             "linmap_collapse_refused_without_bbml3", snapshot=False)
        self.assertEqual(rc, 1, out)
        self.assertIn("FAIL: after-kunit: the guest took a snapshot after the linmap suite", out)

    def test_snapshot_after_the_suite_is_checked(self):
        self.r.snapshot("after-kunit", ideal=2)
        self.r.write("meminfo-after-kunit.txt", meminfo({"pmd": 3}))
        rc, out = self.kunit(KUNIT_BBML3, "linmap_collapse_leaves_kfence_pool",
                             "linmap_collapse_refused_without_bbml3", snapshot=False)
        self.assertEqual(rc, 1, out)
        self.assertIn("FAIL: after-kunit: meminfo DirectMap2M", out)

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
