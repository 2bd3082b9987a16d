#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Count the arm64 linear map's leaf entries per level from a ptdump.

Reads a copy of /sys/kernel/debug/kernel_page_tables (arch/arm64/mm/ptdump.c)
and counts, for the section between '---[ Linear Mapping start ]---' and
'---[ Linear Mapping end ]---', what the linmap statistics count:

    0xSTART-0xEND   SIZE LEVEL [flags...]

ptdump merges neighbouring entries of one level with identical attributes
into one line, so a line stands for (END-START)/entry_size entries:

  - flags contain 'F' (valid bit clear, but the entry is not empty):
    invalid entries, (END-START) / size of one entry at that level;
  - no flags at all (prot 0): holes, ignored;
  - PUD with BLK: PUD blocks;  PMD with BLK and CON: contiguous PMD groups;
    PMD with BLK: PMD blocks;  PTE with CON: contiguous PTE groups;
    PTE: base pages.
A contiguous group (16 entries with 4K pages) counts once.  mapped_bytes is
the sum of all valid leaves' sizes.  Anything else (a valid table-level line,
a size that is not a whole number of entries) is an error, not a guess.

Run as a script it prints the counts as JSON (or a table); imported, use
count_leaves(text, granule).
"""

import argparse
import json
import re
import sys

KIB = 1 << 10
MIB = 1 << 20
GIB = 1 << 30
TIB = 1 << 40

# Per granule: size of one entry at each table level, and the leaf sizes.
# None: that leaf does not exist with this granule.
GEOMETRY = {
    4 * KIB: {
        "entry": {"PTE": 4 * KIB, "PMD": 2 * MIB, "PUD": 1 * GIB, "P4D": 512 * GIB,
                  "PGD": 512 * GIB},
        "leaf": {"pte": 4 * KIB, "cont_pte": 64 * KIB, "pmd": 2 * MIB,
                 "cont_pmd": 32 * MIB, "pud": 1 * GIB},
    },
    16 * KIB: {
        "entry": {"PTE": 16 * KIB, "PMD": 32 * MIB, "PUD": 64 * GIB, "P4D": 128 * TIB,
                  "PGD": 128 * TIB},
        "leaf": {"pte": 16 * KIB, "cont_pte": 2 * MIB, "pmd": 32 * MIB,
                 "cont_pmd": 1 * GIB, "pud": None},
    },
    64 * KIB: {
        "entry": {"PTE": 64 * KIB, "PMD": 512 * MIB, "PUD": 4 * TIB, "P4D": 4 * TIB,
                  "PGD": 4 * TIB},
        "leaf": {"pte": 64 * KIB, "cont_pte": 2 * MIB, "pmd": 512 * MIB,
                 "cont_pmd": 16 * GIB, "pud": None},
    },
}

LEVELS = ("pud", "cont_pmd", "pmd", "cont_pte", "pte")
START_MARKER = "---[ Linear Mapping start ]---"
END_MARKER = "---[ Linear Mapping end ]---"
LINE = re.compile(
    r"^0x(?P<start>[0-9a-f]+)-0x(?P<end>[0-9a-f]+)\s+(?P<num>\d+)(?P<unit>[KMGTPE])"
    r" (?P<level>PGD|P4D|PUD|PMD|PTE)(?P<flags>.*)$")
UNITS = {"K": KIB, "M": MIB, "G": GIB, "T": TIB, "P": 1 << 50, "E": 1 << 60}


class PtdumpError(ValueError):
    pass


def parse_granule(value):
    """Accept 4096, '4096', '4K', '4k', '16KiB', ... and return bytes."""
    if isinstance(value, int):
        granule = value
    else:
        m = re.fullmatch(r"\s*(\d+)\s*([kK](i?B)?)?\s*", str(value))
        if not m:
            raise PtdumpError(f"granule '{value}' is not a size like 4K or 4096")
        granule = int(m.group(1)) * (KIB if m.group(2) else 1)
    if granule not in GEOMETRY:
        raise PtdumpError(f"granule {granule} is not one of 4K, 16K, 64K")
    return granule


def linear_map_lines(text):
    """Yield (line number, line) between the linear map markers."""
    inside = seen_start = seen_end = False
    for number, line in enumerate(text.splitlines(), 1):
        line = line.rstrip("\n")
        if line.strip() == START_MARKER:
            inside = seen_start = True
            continue
        if line.strip() == END_MARKER:
            if inside:
                seen_end = True
            inside = False
            continue
        if inside and line.startswith("---["):
            # Another marker before the end one: the end marker is missing.
            raise PtdumpError(f"line {number}: '{line.strip()}' inside the linear map section")
        if inside:
            yield number, line
    if not seen_start:
        raise PtdumpError(f"no '{START_MARKER}' marker: not an arm64 kernel_page_tables dump")
    if not seen_end:
        raise PtdumpError(f"no '{END_MARKER}' marker: truncated dump")


def entries(size, unit, what, number):
    if size % unit:
        raise PtdumpError(f"line {number}: {size:#x} bytes of {what} is not a multiple of {unit:#x}")
    return size // unit


def count_leaves(text, granule=4096):
    """Return a dict: granule, leaves{pud..pte}, leaves_total, invalid,
    mapped_bytes, holes_bytes, lines."""
    granule = parse_granule(granule)
    geo = GEOMETRY[granule]
    leaves = dict.fromkeys(LEVELS, 0)
    invalid = mapped = holes = lines = 0
    prev_end = None
    for number, line in linear_map_lines(text):
        m = LINE.match(line)
        if not m:
            if not line.strip():
                continue
            raise PtdumpError(f"line {number}: not a ptdump entry: {line!r}")
        lines += 1
        start, end = int(m["start"], 16), int(m["end"], 16)
        size = end - start
        level = m["level"]
        flags = m["flags"].split()
        if size <= 0:
            raise PtdumpError(f"line {number}: empty or reversed range")
        if int(m["num"]) * UNITS[m["unit"]] != size:
            raise PtdumpError(f"line {number}: size column {m['num']}{m['unit']} "
                              f"disagrees with the range ({size:#x} bytes)")
        if prev_end is not None and start != prev_end:
            raise PtdumpError(f"line {number}: gap or overlap before {start:#x}")
        prev_end = end
        if not flags:
            holes += size
            continue
        if "F" in flags:
            invalid += entries(size, geo["entry"][level], f"invalid {level} entries", number)
            continue
        block = "BLK" in flags
        cont = "CON" in flags
        if level == "PUD" and block and not cont and geo["leaf"]["pud"]:
            kind = "pud"
        elif level == "PMD" and block:
            kind = "cont_pmd" if cont else "pmd"
        elif level == "PTE" and not block:
            kind = "cont_pte" if cont else "pte"
        else:
            raise PtdumpError(f"line {number}: a valid {level} entry with flags "
                              f"{' '.join(flags)} is not a leaf of the "
                              f"{granule // KIB}K linear map")
        leaves[kind] += entries(size, geo["leaf"][kind], kind, number)
        mapped += size
    return {
        "granule": granule,
        "leaves": leaves,
        "leaves_total": sum(leaves.values()),
        "invalid": invalid,
        "mapped_bytes": mapped,
        "holes_bytes": holes,
        "lines": lines,
    }


def format_table(counts):
    out = [f"granule {counts['granule'] // KIB}K"]
    for kind in LEVELS:
        out.append(f"  {kind:<9} {counts['leaves'][kind]:>10}")
    out.append(f"  {'total':<9} {counts['leaves_total']:>10}")
    out.append(f"  {'invalid':<9} {counts['invalid']:>10}")
    out.append(f"mapped {counts['mapped_bytes']} bytes ({counts['mapped_bytes'] / MIB:.1f} MiB)")
    return "\n".join(out)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dump", help="copy of /sys/kernel/debug/kernel_page_tables ('-' for stdin)")
    ap.add_argument("-g", "--granule", default="4K",
                    help="base page size: 4K, 16K, 64K or bytes (collapsectl caps.granule)")
    ap.add_argument("--json", action="store_true", help="print JSON")
    args = ap.parse_args(argv)
    try:
        if args.dump == "-":
            text = sys.stdin.read()
        else:
            with open(args.dump, encoding="utf-8", errors="replace") as f:
                text = f.read()
        counts = count_leaves(text, args.granule)
    except (OSError, PtdumpError) as e:
        print(f"ptdump_leaves: {args.dump}: {e}", file=sys.stderr)
        return 1
    print(json.dumps(counts, indent=2) if args.json else format_table(counts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
