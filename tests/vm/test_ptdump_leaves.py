#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Host unit tests for ptdump_leaves.py on synthetic and recorded dumps."""

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

import ptdump_leaves as pl  # noqa: E402

KIB, MIB, GIB = 1 << 10, 1 << 20, 1 << 30
PAGE_OFFSET = 0xFFFF000000000000

# arch/arm64/mm/ptdump.c pte_bits[], in order: (name, text if set, if clear).
BITS = [("valid", " ", "F"), ("user", "USR", "   "), ("rdonly", "ro", "RW"),
        ("pxn", "NX", "x "), ("shared", "SHD", "   "), ("af", "AF", "  "),
        ("ng", "NG", "  "), ("cont", "CON", "   "), ("blk", "BLK", "   "),
        ("uxn", "UXN", "   "), ("gp", "GP", "  ")]
KERNEL_RW = {"valid", "pxn", "shared", "af", "uxn"}


def line(start, end, level, prot=None):
    """Format one line as note_page() does; prot: set of bit names, None = prot 0."""
    delta, unit = (end - start) >> 10, 0
    while not delta & 1023 and unit < 5:
        delta >>= 10
        unit += 1
    text = "0x%016x-0x%016x   %9d%s %s" % (start, end, delta, "KMGTPE"[unit], level)
    if prot is not None:
        for name, s, c in BITS:
            text += " " + (s if name in prot else c)
        text += " MEM/NORMAL"
    return text + "\n"


class Dump:
    """Build a linear map section from consecutive runs."""

    def __init__(self):
        self.addr = PAGE_OFFSET
        self.text = "---[ Linear Mapping start ]---\n"

    def add(self, size, level, prot=None):
        self.text += line(self.addr, self.addr + size, level, prot)
        self.addr += size
        return self

    def end(self, tail=True):
        self.text += "---[ Linear Mapping end ]---\n"
        if tail:
            # Other sections must be ignored, valid or not.
            self.text += "---[ Modules start ]---\n"
            self.text += line(0xFFFF800000000000, 0xFFFF800000200000, "PMD",
                              KERNEL_RW | {"blk"})
            self.text += line(0xFFFF800000200000, 0xFFFF800000210000, "PTE",
                              KERNEL_RW - {"valid"})
            self.text += "---[ Modules end ]---\n"
        return self.text


# Recorded from the base 7.3 kernel on the BBML3 machine (tests/vm boot test):
# note the invalid contiguous PTEs (F ... NG CON) and the PGD-level hole.
RECORDED_4K = """\
---[ Linear Mapping start ]---
0xffff000000000000-0xffff000000200000           2M PMD       RW NX SHD AF        BLK UXN    MEM/NORMAL-TAGGED
0xffff000000200000-0xffff000000600000           4M PMD       ro NX SHD AF        BLK UXN    MEM/NORMAL
0xffff000000600000-0xffff000000670000         448K PTE       ro NX SHD AF    CON     UXN    MEM/NORMAL
0xffff000000670000-0xffff000000750000         896K PTE       RW NX SHD AF    CON     UXN    MEM/NORMAL-TAGGED
0xffff000000750000-0xffff000000820000         832K PTE F     RW NX SHD AF NG CON     UXN    MEM/NORMAL-TAGGED
0xffff000000820000-0xffff000000826000          24K PTE F     RW NX SHD AF NG         UXN    MEM/NORMAL-TAGGED
0xffff000000826000-0xffff000000830000          40K PTE       RW NX SHD AF            UXN    MEM/NORMAL-TAGGED
0xffff000000830000-0xffff000000a00000        1856K PTE       RW NX SHD AF    CON     UXN    MEM/NORMAL-TAGGED
0xffff000000a00000-0xffff000002000000          22M PMD       RW NX SHD AF        BLK UXN    MEM/NORMAL-TAGGED
0xffff000002000000-0xffff000040000000         992M PMD       RW NX SHD AF    CON BLK UXN    MEM/NORMAL-TAGGED
0xffff000040000000-0xffff000080000000           1G PUD       RW NX SHD AF        BLK UXN    MEM/NORMAL-TAGGED
0xffff000080000000-0xffff008000000000         510G PUD
0xffff008000000000-0xffff800000000000      130560G PGD
---[ Linear Mapping end ]---
---[ Modules start ]---
0xffff800000000000-0xffff800080000000           2G PUD
---[ Modules end ]---
---[ vmalloc() area ]---
"""


class CountLeaves(unittest.TestCase):
    def test_every_level_4k(self):
        d = Dump()
        d.add(1 * GIB, "PUD")                                  # hole
        d.add(1 * GIB, "PUD", KERNEL_RW | {"blk"})             # 1 PUD
        d.add(64 * MIB, "PMD", KERNEL_RW | {"blk", "cont"})    # 2 cont PMD
        d.add(6 * MIB, "PMD", KERNEL_RW | {"blk"})             # 3 PMD
        d.add(320 * KIB, "PTE", KERNEL_RW | {"cont"})          # 5 cont PTE
        d.add(28 * KIB, "PTE", KERNEL_RW)                      # 7 PTE
        d.add(12 * KIB, "PTE", KERNEL_RW - {"valid"})          # 3 invalid
        d.add(1660 * KIB, "PTE", KERNEL_RW | {"cont"})         # not whole 64K groups
        text = d.end()
        with self.assertRaisesRegex(pl.PtdumpError, "not a multiple"):
            pl.count_leaves(text, 4096)

        d = Dump()
        d.add(1 * GIB, "PUD")
        d.add(1 * GIB, "PUD", KERNEL_RW | {"blk"})
        d.add(64 * MIB, "PMD", KERNEL_RW | {"blk", "cont"})
        d.add(6 * MIB, "PMD", KERNEL_RW | {"blk"})
        d.add(320 * KIB, "PTE", KERNEL_RW | {"cont"})
        d.add(28 * KIB, "PTE", KERNEL_RW)
        d.add(12 * KIB, "PTE", KERNEL_RW - {"valid"})
        d.add(4 * KIB, "PTE")                                  # empty PTE: hole
        d.add(2 * MIB - 368 * KIB, "PTE", KERNEL_RW)
        d.add(2 * MIB, "PMD", (KERNEL_RW - {"valid"}) | {"ng"})  # invalid block
        c = pl.count_leaves(d.end(), "4K")
        # Leaves by their shape, valid or not: the 3 invalid pages are
        # base pages, the invalid block (no BLK: its type bits are 0) a PMD.
        self.assertEqual(c["leaves"], {"pud": 1, "cont_pmd": 2, "pmd": 3 + 1, "cont_pte": 5,
                                       "pte": 7 + 3 + (2 * MIB - 368 * KIB) // (4 * KIB)})
        self.assertEqual(c["invalid"], 3 + 1)
        self.assertEqual(c["leaves_total"], sum(c["leaves"].values()))
        self.assertEqual(c["mapped_bytes"],
                         1 * GIB + 64 * MIB + 6 * MIB + 320 * KIB + 28 * KIB + 12 * KIB
                         + 2 * MIB - 368 * KIB + 2 * MIB)
        self.assertEqual(c["holes_bytes"], 1 * GIB + 4 * KIB)

    def test_invalid_leaves_count_by_shape(self):
        invalid = (KERNEL_RW - {"valid"}) | {"ng"}          # PTE_PRESENT_INVALID
        d = Dump()
        d.add(1 * GIB, "PUD", invalid)                         # 1 PUD, 1 entry
        d.add(64 * MIB, "PMD", invalid | {"cont"})             # 2 cont PMD, 32 entries
        d.add(4 * MIB, "PMD", invalid)                         # 2 PMD
        d.add(128 * KIB, "PTE", invalid | {"cont"})            # 2 cont PTE, 32 entries
        d.add(8 * KIB, "PTE", invalid)                         # 2 PTE
        d.add(2 * MIB - 136 * KIB, "PTE", KERNEL_RW)
        c = pl.count_leaves(d.end(), 4096)
        self.assertEqual(c["leaves"], {"pud": 1, "cont_pmd": 2, "pmd": 2, "cont_pte": 2,
                                       "pte": 2 + (2 * MIB - 136 * KIB) // (4 * KIB)})
        self.assertEqual(c["invalid"], 1 + 32 + 2 + 32 + 2)
        self.assertEqual(c["mapped_bytes"], 1 * GIB + 64 * MIB + 4 * MIB + 2 * MIB)
        self.assertEqual(c["holes_bytes"], 0)

    def test_invalid_lines_that_are_no_leaf(self):
        invalid = (KERNEL_RW - {"valid"}) | {"ng"}
        # No PUD blocks with 16K pages, invalid or not.
        d = Dump().add(64 * GIB, "PUD", invalid)
        with self.assertRaisesRegex(pl.PtdumpError, "an invalid PUD entry .* not a leaf"):
            pl.count_leaves(d.end(), "16K")
        # BLK means type bits 0b01: valid.  Invalid and BLK cannot be.
        d = Dump().add(2 * MIB, "PMD", invalid | {"blk"})
        with self.assertRaisesRegex(pl.PtdumpError, "not a leaf"):
            pl.count_leaves(d.end(), 4096)
        # Invalid contiguous entries come in whole groups.
        d = Dump().add(68 * KIB, "PTE", invalid | {"cont"})
        with self.assertRaisesRegex(pl.PtdumpError, "not a multiple"):
            pl.count_leaves(d.end(), 4096)

    def test_recorded_layout(self):
        c = pl.count_leaves(RECORDED_4K, 4096)
        # The 832K of invalid contiguous PTEs are 13 contiguous ranges, the
        # 24K of invalid PTEs 6 pages: leaves by their shape.
        self.assertEqual(c["leaves"], {"pud": 1, "cont_pmd": 992 // 32, "pmd": 1 + 2 + 11,
                                       "cont_pte": 7 + 14 + 13 + 29, "pte": 6 + 10})
        self.assertEqual(c["invalid"], 208 + 6)
        self.assertEqual(c["mapped_bytes"], 2 * GIB)

    def test_16k_and_64k_geometry(self):
        d = Dump()
        d.add(4 * MIB, "PTE", KERNEL_RW | {"cont"})            # 2 x 2M groups
        d.add(32 * KIB, "PTE", KERNEL_RW)                      # 2 pages
        d.add(1 * GIB, "PMD", KERNEL_RW | {"blk", "cont"})     # 1 x 1G group
        d.add(64 * MIB, "PMD", KERNEL_RW | {"blk"})            # 2 x 32M
        c = pl.count_leaves(d.end(), "16K")
        self.assertEqual(c["leaves"], {"pud": 0, "cont_pmd": 1, "pmd": 2, "cont_pte": 2,
                                       "pte": 2})
        d = Dump()
        d.add(2 * MIB, "PTE", KERNEL_RW | {"cont"})            # 1 x 2M group
        d.add(128 * KIB, "PTE", KERNEL_RW - {"valid"})         # 2 invalid pages
        d.add(512 * MIB, "PMD", KERNEL_RW | {"blk"})
        c = pl.count_leaves(d.end(), 65536)
        self.assertEqual(c["leaves"], {"pud": 0, "cont_pmd": 0, "pmd": 1, "cont_pte": 1,
                                       "pte": 2})
        self.assertEqual(c["invalid"], 2)
        self.assertEqual(c["mapped_bytes"], 2 * MIB + 128 * KIB + 512 * MIB)
        # 64K pages: an invalid contiguous PMD range is one 16G leaf of
        # 32 entries.
        d = Dump().add(16 * GIB, "PMD", (KERNEL_RW - {"valid"}) | {"ng", "cont"})
        c = pl.count_leaves(d.end(), "64K")
        self.assertEqual((c["leaves"]["cont_pmd"], c["invalid"]), (1, 32))

    def test_no_pud_blocks_with_16k(self):
        d = Dump().add(64 * GIB, "PUD", KERNEL_RW | {"blk"})
        with self.assertRaisesRegex(pl.PtdumpError, "not a leaf"):
            pl.count_leaves(d.end(), "16K")

    def test_valid_table_level_line_is_an_error(self):
        d = Dump().add(2 * MIB, "PMD", KERNEL_RW)
        with self.assertRaisesRegex(pl.PtdumpError, "not a leaf"):
            pl.count_leaves(d.end(), 4096)

    def test_truncated_dump(self):
        d = Dump().add(2 * MIB, "PMD", KERNEL_RW | {"blk"})
        with self.assertRaisesRegex(pl.PtdumpError, "truncated"):
            pl.count_leaves(d.text, 4096)
        with self.assertRaisesRegex(pl.PtdumpError, "not an arm64"):
            pl.count_leaves("hello\n", 4096)

    def test_size_column_must_match_range(self):
        text = RECORDED_4K.replace("          22M PMD", "          20M PMD")
        self.assertNotEqual(text, RECORDED_4K)
        with self.assertRaisesRegex(pl.PtdumpError, "disagrees"):
            pl.count_leaves(text, 4096)

    def test_gap_between_lines(self):
        text = RECORDED_4K.replace("0xffff000000826000-0xffff000000830000          40K",
                                   "0xffff000000827000-0xffff000000830000          36K")
        self.assertNotEqual(text, RECORDED_4K)
        with self.assertRaisesRegex(pl.PtdumpError, "gap"):
            pl.count_leaves(text, 4096)

    def test_granule_spellings(self):
        for spelling in (4096, "4096", "4K", "4k", "4KiB"):
            self.assertEqual(pl.parse_granule(spelling), 4096)
        self.assertEqual(pl.parse_granule("64K"), 65536)
        with self.assertRaises(pl.PtdumpError):
            pl.parse_granule("8K")


class IdealLeaves(unittest.TestCase):
    """ptdump_leaves.ideal_leaves(): the host's own ideal count."""
    RAM = [(0x40000000, 0xC0000000)]
    OFFSET = PAGE_OFFSET - 0x40000000

    def pages(self, n, prot=KERNEL_RW):
        return Dump().add(n * 4096, "PTE", prot).end()

    def test_a_run_takes_the_largest_aligned_leaves(self):
        # 1G + 2M of pages from a 1G-aligned start: one PUD and one PMD.
        self.assertEqual(pl.ideal_leaves(self.pages(262144 + 512), 4096, self.OFFSET,
                                         self.RAM), 2)

    def test_physical_alignment_counts(self):
        # The same run, but physically 64K off a 2M boundary: no PMD or
        # larger leaf fits, contiguous 64K ranges do.
        text = self.pages(512)
        self.assertEqual(pl.ideal_leaves(text, 4096, self.OFFSET, self.RAM), 1)
        self.assertEqual(pl.ideal_leaves(text, 4096, self.OFFSET - 0x10000,
                                         [(0x40000000 - 0x10000, 0xC0000000)]), 32)

    def test_attributes_and_invalid_entries_cut_runs(self):
        dump = (Dump().add(1 * MIB, "PTE", KERNEL_RW)
                      .add(4096, "PTE", KERNEL_RW - {"valid"})
                      .add(1 * MIB - 4096, "PTE", KERNEL_RW)
                      .add(2 * MIB, "PMD", (KERNEL_RW - {"pxn"}) | {"blk"}))
        # 16 + the invalid page (a leaf as it is) + (15 cont ranges + 15
        # pages) + 1 block
        self.assertEqual(pl.ideal_leaves(dump.end(), 4096, self.OFFSET, self.RAM),
                         16 + 1 + 15 + 15 + 1)

    def test_invalid_leaves_count_one_each(self):
        invalid = (KERNEL_RW - {"valid"}) | {"ng"}
        dump = (Dump().add(2 * MIB, "PMD", KERNEL_RW | {"blk"})
                      .add(128 * KIB, "PTE", invalid | {"cont"})  # 2 invalid cont ranges
                      .add(2 * MIB - 128 * KIB, "PTE", KERNEL_RW)
                      .add(4 * MIB, "PMD", invalid)               # 2 invalid blocks
                      .add(24 * MIB, "PMD", KERNEL_RW | {"blk"}))
        # The first block and the next 2M do not join across the invalid
        # ranges: 1 + 2 + (30 cont ranges) + 2 + 12 blocks.
        self.assertEqual(pl.ideal_leaves(dump.end(), 4096, self.OFFSET, self.RAM),
                         1 + 2 + 30 + 2 + 12)

    def test_collapsed_with_pages_held_is_at_the_ideal(self):
        # A 2M block split for one secretmem page that is still held, then
        # collapsed as far as it goes: the invalid page, 15 pages, 31
        # contiguous ranges; then a block.  leaves == ideal.
        invalid = (KERNEL_RW - {"valid"}) | {"ng"}
        text = (Dump().add(4 * KIB, "PTE", invalid)
                      .add(60 * KIB, "PTE", KERNEL_RW)
                      .add(2 * MIB - 64 * KIB, "PTE", KERNEL_RW | {"cont"})
                      .add(2 * MIB, "PMD", KERNEL_RW | {"blk"}).end())
        c = pl.count_leaves(text, 4096)
        self.assertEqual(c["leaves_total"], 1 + 15 + 31 + 1)
        self.assertEqual(pl.ideal_leaves(text, 4096, self.OFFSET, self.RAM), c["leaves_total"])

    def test_region_edge_and_exclusion(self):
        text = self.pages(1024)                       # 4M from RAM start
        self.assertEqual(pl.ideal_leaves(text, 4096, self.OFFSET, self.RAM), 2)
        # a region edge at 1M: 1M of contiguous ranges on each side of it,
        # then the second 2M block
        two = [(0x40000000, 0x40100000), (0x40100000, 0xC0000000)]
        self.assertEqual(pl.ideal_leaves(text, 4096, self.OFFSET, two), 16 + 16 + 1)
        # an excluded 64K keeps its 16 pages as they are
        excl = [(0x40000000, 0x40010000)]
        self.assertEqual(pl.ideal_leaves(text, 4096, self.OFFSET, self.RAM, excl),
                         16 + 31 + 1)


class CommandLine(unittest.TestCase):
    def test_json_output(self):
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
            f.write(RECORDED_4K)
        try:
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                self.assertEqual(pl.main([f.name, "--granule", "4096", "--json"]), 0)
            self.assertEqual(json.loads(out.getvalue())["leaves"]["pud"], 1)
            err = io.StringIO()
            with contextlib.redirect_stderr(err):
                self.assertEqual(pl.main([f.name + ".missing"]), 1)
            self.assertIn("ptdump_leaves", err.getvalue())
        finally:
            os.unlink(f.name)


if __name__ == "__main__":
    unittest.main()
