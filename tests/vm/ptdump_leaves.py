#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Count the arm64 linear map's leaf entries per level from a ptdump.

Reads a copy of /sys/kernel/debug/kernel_page_tables (arch/arm64/mm/ptdump.c)
and counts, for the section between '---[ Linear Mapping start ]---' and
'---[ Linear Mapping end ]---', what the linmap statistics count:

    0xSTART-0xEND   SIZE LEVEL [flags...]

ptdump merges neighbouring entries of one level with identical attributes
into one line, so a line stands for (END-START)/entry_size entries.  Leaves
are counted by their SHAPE, valid or not, as the kernel's counters and its
walker count them (x86's DirectMap counts do the same):

  - no flags at all (prot 0): holes, ignored;
  - PUD with BLK: PUD blocks;  PMD with BLK and CON: contiguous PMD groups;
    PMD with BLK: PMD blocks;  PTE with CON: contiguous PTE groups;
    PTE: base pages;
  - flags contain 'F' (valid bit clear, but the entry is not empty; the
    kernel marks such entries PTE_PRESENT_INVALID, ptdump's NG, so that
    ptdump reports an invalid block at its own level): still a leaf of its
    level, by the same rules, except that an invalid block shows no BLK
    (ptdump prints BLK for descriptor type bits 0b01, and the type bits of
    an invalid entry are 0b00): PUD F: a PUD block; PMD F CON: a
    contiguous PMD group; PMD F: a PMD block; PTE F CON: a contiguous PTE
    group; PTE F: a base page.  Invalid entries are ALSO counted one by
    one, (END-START) / size of one entry at that level, in `invalid`.
A contiguous group (16 entries with 4K pages) counts once, valid or not.
mapped_bytes is the sum of all leaves' sizes, valid or not: the memory the
linear map covers.  Anything else (a valid table-level line, an invalid
line with BLK, a size that is not a whole number of leaves) is an error,
not a guess.

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


def leaf_kind(level, flags, geo, granule, number):
    """The leaf level ("pud" ... "pte") of a ptdump line with these flags,
    valid or not; PtdumpError when the line is no leaf of the linear map."""
    cont = "CON" in flags
    if "F" in flags:
        # Invalid: the type bits are 0b00, so a block shows no BLK (and a
        # line with both cannot be: BLK means type bits 0b01, valid).
        block = level in ("PUD", "PMD") and "BLK" not in flags
        what = "an invalid"
    else:
        block = "BLK" in flags
        what = "a valid"
    if level == "PUD" and block and not cont and geo["leaf"]["pud"]:
        return "pud"
    if level == "PMD" and block:
        return "cont_pmd" if cont else "pmd"
    if level == "PTE" and "BLK" not in flags:
        return "cont_pte" if cont else "pte"
    raise PtdumpError(f"line {number}: {what} {level} entry with flags "
                      f"{' '.join(flags)} is not a leaf of the "
                      f"{granule // KIB}K linear map")


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
        kind = leaf_kind(level, flags, geo, granule, number)
        if "F" in flags:
            invalid += entries(size, geo["entry"][level], f"invalid {level} entries", number)
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


# Flags that say how an entry maps, not what it maps with: they may differ
# between the leaves of one run (the kernel compares every other bit).
SHAPE_FLAGS = {"BLK", "CON"}


def ideal_leaves(text, granule, linear_offset, regions, excluded=()):
    """The ideal leaf count of the linear map, computed from a ptdump alone.

    An independent computation of what the kernel's get-stats calls the
    ideal: the leaves a full collapse would reach.  Valid entries with the
    same attributes (ptdump's flags but BLK and CON) that are contiguous in
    virtual and physical address form a run; a run never crosses the edge
    of a memory region (@regions: physical [start, end) pairs, /proc/iomem's
    System RAM) or an invalid leaf or hole; each run takes the largest
    leaves whose virtual and physical alignment allow (physical = virtual -
    @linear_offset).  An invalid leaf (an 'F' line: a secretmem page, a
    KFENCE guard page) stays what it is and counts one per leaf, as the
    kernel's ideal counts it (a contiguous group of invalid entries is one
    leaf); so after a full collapse with invalid pages still out of the
    map, leaves == ideal.  Leaves that overlap an @excluded physical range
    (the kernel image's linear aliases) count as they are.

    Attribute bits ptdump does not print (software bits, POIndex, a realm's
    NS_SHARED) are not seen here: where they split runs, the kernel's ideal
    is larger than this one."""
    granule = parse_granule(granule)
    geo = GEOMETRY[granule]
    sizes = [geo["leaf"][k] for k in LEVELS if geo["leaf"][k]]
    sizes.sort(reverse=True)

    def region_of(pa):
        for i, (rs, re_) in enumerate(regions):
            if rs <= pa < re_:
                return i
        return None

    def overlaps_excluded(pa, size):
        return any(pa < xe and pa + size > xs for xs, xe in excluded)

    def greedy(va, size):
        n = 0
        end = va + size
        while va < end:
            pa = va - linear_offset
            for sz in sizes:
                if (va | pa) % sz == 0 and end - va >= sz:
                    break
            else:
                raise PtdumpError(f"run at {va:#x} is not page aligned")
            va += sz
            n += 1
        return n

    # [va_start, va_end, attrs, region] of the open run
    ideal = 0
    run = None

    def close():
        nonlocal run, ideal
        if run:
            ideal += greedy(run[0], run[1] - run[0])
        run = None

    for number, line in linear_map_lines(text):
        m = LINE.match(line)
        if not m:
            continue
        start, end = int(m["start"], 16), int(m["end"], 16)
        flags = m["flags"].split()
        if not flags:
            close()
            continue
        level = m["level"]
        if "F" in flags:
            # An invalid leaf ends the open run and counts as it is.
            close()
            kind = leaf_kind(level, flags, geo, granule, number)
            ideal += entries(end - start, geo["leaf"][kind], kind, number)
            continue
        kind_size = geo["entry"][level]
        if level == "PTE" and "CON" in flags or level == "PMD" and "CON" in flags:
            kind_size = geo["leaf"]["cont_pte" if level == "PTE" else "cont_pmd"]
        attrs = tuple(sorted(f for f in flags if f not in SHAPE_FLAGS))
        # One ptdump line is several leaves of one size: walk them, so that
        # region edges and exclusions are met leaf by leaf.
        va = start
        while va < end:
            pa = va - linear_offset
            region = region_of(pa)
            if region is None:
                raise PtdumpError(f"line {number}: {va:#x} maps {pa:#x}, outside every memory region")
            if overlaps_excluded(pa, kind_size):
                close()
                ideal += 1
            elif run and run[1] == va and run[2] == attrs and run[3] == region:
                run[1] = va + kind_size
            else:
                close()
                run = [va, va + kind_size, attrs, region]
            va += kind_size
    close()
    return ideal


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
