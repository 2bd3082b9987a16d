#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Fail when a guest's kernel log holds a report nobody expected.

A report starts at a line with "WARNING:", "BUG:", "Oops" or "Call trace"
(or at the "[ cut here ]" line before one) and runs to its
"---[ end trace" line.  A report in which any line matches an --allow
regular expression is expected; every other report fails the check and is
printed.  Exit status: 0 clean, 1 unexpected reports, 2 usage.
"""

import argparse
import re
import sys

TRIGGER = re.compile(r"WARNING:|BUG:|Oops|Call trace")
CUT_HERE = re.compile(r"-+\[ cut here \]-+")
END = re.compile(r"---\[ end trace")
MAX_REPORT_LINES = 200
# printk time stamps and serial noise do not matter for matching.
PREFIX = re.compile(r"^(<\d+>)?\[\s*\d+\.\d+\]\s?")


def reports(lines):
    """Yield lists of lines, one per kernel report."""
    i = 0
    while i < len(lines):
        text = PREFIX.sub("", lines[i])
        if CUT_HERE.search(text) or TRIGGER.search(text):
            report = [lines[i]]
            i += 1
            while i < len(lines) and len(report) < MAX_REPORT_LINES:
                report.append(lines[i])
                i += 1
                if END.search(report[-1]):
                    break
                # A new report's "cut here" ends an unterminated one.
                if CUT_HERE.search(lines[i] if i < len(lines) else ""):
                    break
            yield report
        else:
            i += 1


def unexpected_reports(text, allow):
    patterns = [re.compile(a) for a in allow]
    bad = []
    for report in reports(text.splitlines()):
        if not any(TRIGGER.search(PREFIX.sub("", line)) for line in report):
            continue   # a "cut here" with nothing after it
        if any(p.search(line) for p in patterns for line in report):
            continue
        bad.append(report)
    return bad


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("log", help="dmesg output or serial console log")
    ap.add_argument("--allow", action="append", default=[], metavar="REGEX",
                    help="a report with a line matching REGEX is expected")
    args = ap.parse_args(argv)
    try:
        with open(args.log, encoding="utf-8", errors="replace") as f:
            text = f.read()
        bad = unexpected_reports(text, args.allow)
    except (OSError, re.error) as e:
        print(f"check_dmesg: {e}", file=sys.stderr)
        return 2
    for report in bad:
        print("unexpected kernel report:")
        for line in report[:40]:
            print("  " + line)
        if len(report) > 40:
            print(f"  ... ({len(report) - 40} more lines)")
    if bad:
        print(f"check_dmesg: {args.log}: {len(bad)} unexpected kernel report(s)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
