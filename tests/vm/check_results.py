#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Host-side checks of a guest test's results (run after tests/vm/run-guest).

    check_results.py [--machine bbml3|nobbml3] TEST RESULTS_DIR

For every snapshot the guest took (status-NAME.json from `collapsectl status
--json` and ptdump-NAME.txt taken right after it), the per-level leaf counts
and the invalid count from the kernel's statistics must EQUAL those that
ptdump_leaves.py derives from the page-table dump of the same boot.  Leaves
are counted by their shape, valid or not (an invalid page is still a pte
leaf, and also one of the invalid entries).  With the walk come, taken
inside the same stable pair, the kernel's counters (counts-NAME.json from
`collapsectl status --counts --json`, no walk) and /proc/meminfo's
DirectMap lines (meminfo-NAME.txt); both must exist, and: the counters'
leaves per level == the walk's == ptdump's, their table_pages and
mapped_bytes == the walk's, they say walked false and carry no ideal (nor
invalid, nor restoration); each DirectMap line is that level's leaves x its
leaf size / 1024 kB, and the lines are exactly those of the granule (4K:
DirectMap4k 64k 2M 32M 1G; 16K: 16k 2M 32M 1G; 64K: 64k 2M 512M 16G).
Then, per test:

  status    before the churn: blocks exist (BBML3 machine), the restoration
            is reported; while secretmem regions are held: at least one
            invalid entry and one pte leaf per held page, and the map covers
            the same memory as before (invalid leaves count); after the
            churn: more pte/cont_pte leaves and a larger (worse) restoration
            than before, and the invalid entries are gone again.  Works on
            ptdump alone when the guest ran `status.sh --ptdump-only`.
  nobbml3   caps: bbml3 and block_capable false with a reason; leaves were
            counted; no block leaves at all.
  boot      the ptdump parses; blocks exist on bbml3 and not on nobbml3.
  splitwin  the split windows, by machine and rodata= (cmdline.txt):
            nobbml3: base pages only, collapse refused; bbml3 rodata=full:
            blocks, collapse succeeds and reaches the ideal leaf count;
            bbml3 rodata=off: blocks, rodata_full false, collapse succeeds
            if and only if the blocks are still split on demand (KFENCE
            may be enabled late), the linear map at its ideal.
  boundary  a collapse after a pkey boundary reports non-zero pkey
            skips; after clearing it a collapse reaches the ideal leaf
            count.
  earlysplit  splits made from mem_init() (linmap.test_early_split=) are
            counted, and the first split event announces them.
  kfencelate  KFENCE enabled at run time while collapses loop: its pool
            stays at base pages (pte leaves, valid or not).
  collapse  churn, a dry run that changes nothing, a collapse back to the
            boot map and the ideal; unprivileged (nobody): collapse and
            watch refused, status answered from the counters (walked false,
            leaves, no ideal, no linear-map addresses).
  hotplug   hot-added memory, collapsed: no PUD leaf across its memory
            blocks, the largest leaves one block holds.
  kunit     every suite's KTAP results (kunit-SUITE.txt, from debugfs):
            each suite finished, ran as many cases as it planned, none
            failed, and every skipped case is one the registration allows
            (--allow-skip CASE or SUITE.CASE, repeatable; a skip is not a
            pass).  An allowed name that no suite has fails too (a renamed
            case must not leave a stale allowance behind).
  badinput  checked in the guest; nothing more here.

Prints one line per check; exit status 0 when all pass, 1 otherwise.
"""

import argparse
import glob
import json
import os
import re
import subprocess
import sys

sys.dont_write_bytecode = True   # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ptdump_leaves  # noqa: E402

LEVELS = ptdump_leaves.LEVELS
TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BLOCK_LEVELS = ("pud", "cont_pmd", "pmd")
SMALL_LEVELS = ("cont_pte", "pte")


# KTAP (Documentation/dev-tools/ktap.rst) as KUnit writes it: a result line
# is "[not ]ok N [- ]NAME[ # DIRECTIVE[ REASON]]", indented by 4 spaces per
# level of nesting.
KTAP_RESULT = re.compile(r"^(?P<indent>\s*)(?P<not>not )?ok (?P<num>\d+)(?: -)?(?: (?P<name>[^#]*?))?"
                         r"\s*(?:#\s*(?P<directive>\w+)\b\s*(?P<reason>.*))?$")
KTAP_PLAN = re.compile(r"^(?P<indent>\s*)1\.\.(?P<n>\d+)\s*$")
KTAP_SUBTEST = re.compile(r"^(?P<indent>\s*)# Subtest: (?P<name>\S+)")


def indent_of(text):
    return len(text.expandtabs(8))


def parse_kunit(text, fallback_suite="?"):
    """Parse one suite's KTAP results (/sys/kernel/debug/kunit/SUITE/results).

    Returns a dict: suite (name), plan (cases announced, or None), cases
    (list of dicts: name, result "pass"/"fail"/"skip", reason), and
    suite_result (the suite's own line: "pass"/"fail"/"skip", or None when
    the suite never finished).  Parameterised cases count once, by the
    case's own line; their parameters' lines are not cases."""
    lines = text.splitlines()
    case_indent = None
    suite = None
    for line in lines:
        m = KTAP_SUBTEST.match(line) or KTAP_RESULT.match(line) or KTAP_PLAN.match(line)
        if m and indent_of(m["indent"]) > 0:
            case_indent = indent_of(m["indent"])
            if KTAP_SUBTEST.match(line):
                suite = m["name"]
            break
    plan = None
    cases = []
    suite_result = None
    for line in lines:
        m = KTAP_PLAN.match(line)
        if m and case_indent is not None and indent_of(m["indent"]) == case_indent and plan is None:
            plan = int(m["n"])
            continue
        m = KTAP_RESULT.match(line)
        if not m:
            continue
        depth = indent_of(m["indent"])
        directive = (m["directive"] or "").upper()
        if m["not"]:
            result = "fail"
        elif directive == "SKIP":
            result = "skip"
        else:
            result = "pass"
        entry = {"name": (m["name"] or "").strip(), "result": result,
                 "reason": (m["reason"] or "").strip()}
        if depth == 0:
            suite_result = result
            suite = suite or entry["name"] or None
        elif depth == case_indent:
            cases.append(entry)
    return {"suite": suite or fallback_suite, "plan": plan, "cases": cases,
            "suite_result": suite_result}


def node_exporter_scrape(exporter, prom_file):
    """Run node_exporter (textfile collector only) on a directory holding a
    symlink to PROM_FILE, scrape it once: {sample: value}, or a string
    saying what went wrong."""
    import socket
    import tempfile
    import time
    import urllib.request
    with tempfile.TemporaryDirectory(prefix="linmap-textfile-") as d:
        os.symlink(os.path.abspath(prom_file), os.path.join(d, "linmap.prom"))
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        proc = subprocess.Popen([exporter, "--collector.disable-defaults", "--collector.textfile",
                                 f"--collector.textfile.directory={d}",
                                 f"--web.listen-address=127.0.0.1:{port}"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            deadline = time.time() + 20
            while True:
                try:
                    text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics",
                                                  timeout=5).read().decode()
                    break
                except OSError as e:
                    if proc.poll() is not None or time.time() > deadline:
                        return f"node_exporter: {e}"
                    time.sleep(0.2)
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    samples = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            try:
                samples[name] = float(value)
            except ValueError:
                pass
    return samples


class Checker:
    def __init__(self, results, machine, allow_skip=()):
        self.results = results
        self.machine = machine
        self.allow_skip = list(allow_skip)
        self.failures = 0
        self.passes = 0

    def check(self, ok, what, detail=""):
        if ok:
            self.passes += 1
            print(f"ok: {what}")
        else:
            self.failures += 1
            print(f"FAIL: {what}{': ' + detail if detail else ''}")
        return ok

    def path(self, name):
        return os.path.join(self.results, name)

    def exists(self, name):
        return os.path.exists(self.path(name))

    def load_json(self, name):
        with open(self.path(name), encoding="utf-8") as f:
            return json.load(f)

    def granule(self, status=None):
        if status is not None:
            return status["caps"]["granule"]
        try:
            with open(self.path("page-size.txt"), encoding="utf-8") as f:
                return f.read().strip() or "4K"
        except OSError:
            return "4K"

    def snapshot(self, name):
        """Load one snapshot; check stats against ptdump, and the counters
        and DirectMap lines against both (check_counters()).  Returns a dict
        with 'ptdump' counts and, when there are stats, 'status'."""
        status = None
        if self.exists(f"status-{name}.json"):
            try:
                status = self.load_json(f"status-{name}.json")
            except (OSError, ValueError) as e:
                self.check(False, f"{name}: status JSON readable", str(e))
                return None
        try:
            with open(self.path(f"ptdump-{name}.txt"), encoding="utf-8", errors="replace") as f:
                counts = ptdump_leaves.count_leaves(f.read(), self.granule(status))
        except (OSError, KeyError, ptdump_leaves.PtdumpError) as e:
            self.check(False, f"{name}: ptdump parses", str(e))
            return None
        with open(self.path(f"ptdump-{name}.txt"), encoding="utf-8", errors="replace") as f:
            text = f.read()
        snap = {"ptdump": counts, "status": status, "ptdump_text": text}
        print(f"   {name}: ptdump leaves {fmt_levels(counts['leaves'])} "
              f"invalid={counts['invalid']} mapped={counts['mapped_bytes']}")
        if status is None:
            return snap
        try:
            stats = status["stats"]
            print(f"   {name}: stats  leaves {fmt_levels(stats['leaves'])} "
                  f"invalid={stats['invalid']} ideal={stats['ideal_leaves']} "
                  f"restoration={stats['restoration']}")
            for level in LEVELS:
                self.check(stats["leaves"][level] == counts["leaves"][level],
                           f"{name}: {level} leaves: stats == ptdump",
                           f"stats {stats['leaves'][level]}, ptdump {counts['leaves'][level]}")
            # A KFENCE pool makes its pages invalid and valid again with
            # every allocation, without the kernel's locks: the invalid
            # count moves between any two readings.  Leaves are counted by
            # shape, which KFENCE never changes: they stay exact.
            kfence = bool(status.get("caps", {}).get("kfence"))
            if kfence:
                print(f"   {name}: invalid entries not compared: a KFENCE pool "
                      f"changes them at any time (stats {stats['invalid']}, "
                      f"ptdump {counts['invalid']})")
            else:
                self.check(stats["invalid"] == counts["invalid"],
                           f"{name}: invalid entries: stats == ptdump",
                           f"stats {stats['invalid']}, ptdump {counts['invalid']}")
            self.check(stats["leaves_total"] == sum(stats["leaves"].values()),
                       f"{name}: leaves_total is the sum of the levels")
            self.check(stats["mapped_bytes"] == counts["mapped_bytes"],
                       f"{name}: mapped bytes: stats == ptdump",
                       f"stats {stats['mapped_bytes']}, ptdump {counts['mapped_bytes']}")
            # As root, `collapsectl status --json` walks: the ideal and
            # the invalid entries come only from a walk.
            self.check(stats.get("walked", True) is True and
                       isinstance(stats.get("ideal_leaves"), int) and
                       isinstance(stats.get("invalid"), int),
                       f"{name}: status --json walked the linear map (ideal and invalid reported)",
                       f"walked={stats.get('walked')!r} ideal_leaves={stats.get('ideal_leaves')!r} "
                       f"invalid={stats.get('invalid')!r}")
            if self.exists(f"status-{name}-recheck.json"):
                again = self.load_json(f"status-{name}-recheck.json")["stats"]
                self.check(again["leaves"] == stats["leaves"] and
                           (kfence or again["invalid"] == stats["invalid"]),
                           f"{name}: linear map unchanged while the ptdump was taken",
                           f"stats before {fmt_levels(stats['leaves'])} "
                           f"invalid={stats['invalid']}, after "
                           f"{fmt_levels(again['leaves'])} invalid={again['invalid']}")
        except (KeyError, TypeError, ValueError) as e:
            self.check(False, f"{name}: status JSON has caps and stats", f"missing {e}")
        self.check_counters(name, status, counts)
        return snap

    def check_counters(self, name, status, counts):
        """The kernel's counters (counts-NAME.json: `collapsectl status
        --counts --json`, get-stats without a walk) and /proc/meminfo's
        DirectMap lines (meminfo-NAME.txt), both taken inside the snapshot's
        stable pair: required whenever the snapshot has stats, and they must
        agree with the walk (status-NAME.json) and ptdump (COUNTS)."""
        walk = status.get("stats") if isinstance(status, dict) else None
        walk = walk if isinstance(walk, dict) else {}
        leaves = walk.get("leaves")
        cname = f"counts-{name}.json"
        if not self.exists(cname):
            self.check(False, f"{name}: the counters were saved ({cname})", "missing")
        else:
            try:
                cstats = self.load_json(cname)["stats"]
                cleaves = cstats["leaves"]
                print(f"   {name}: counters leaves {fmt_levels(cleaves)} "
                      f"table_pages={cstats.get('table_pages')} "
                      f"mapped={cstats.get('mapped_bytes')} walked={cstats.get('walked')!r}")
                for level in LEVELS:
                    c, w, p = cleaves[level], (leaves or {}).get(level), counts["leaves"][level]
                    self.check(c == w == p, f"{name}: {level} leaves: counters == walk == ptdump",
                               f"counters {c}, walk {w}, ptdump {p}")
                self.check(cstats.get("leaves_total") == sum(cleaves[k] for k in LEVELS),
                           f"{name}: counters: leaves_total is the sum of the levels",
                           f"leaves_total {cstats.get('leaves_total')!r}")
                for key in ("table_pages", "mapped_bytes"):
                    self.check(isinstance(cstats.get(key), int) and
                               cstats.get(key) == walk.get(key),
                               f"{name}: {key}: counters == walk",
                               f"counters {cstats.get(key)!r}, walk {walk.get(key)!r}")
                self.check(cstats.get("walked") is False,
                           f"{name}: counters: walked is false (no walk)",
                           f"walked={cstats.get('walked')!r}")
                # Null or absent alike: only a walk finds them.
                extra = {k: cstats[k] for k in ("ideal_leaves", "invalid", "restoration")
                         if cstats.get(k) is not None}
                self.check(not extra, f"{name}: counters: no ideal, invalid or restoration",
                           json.dumps(extra))
                leaves = cleaves
            except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
                self.check(False, f"{name}: {cname} has the counters' stats", repr(e))
        self.check_meminfo(name, self.granule(status), leaves)

    def check_meminfo(self, name, granule, leaves):
        """meminfo-NAME.txt: /proc/meminfo's DirectMap lines, one per leaf
        size of the granule (arch_report_meminfo(): "%-16s%8llu kB", named by
        the size), each that level's LEAVES x the leaf size in kB, and no
        other line named DirectMap."""
        mname = f"meminfo-{name}.txt"
        try:
            with open(self.path(mname), encoding="utf-8") as f:
                text = f.read()
        except OSError as e:
            self.check(False, f"{name}: /proc/meminfo's DirectMap lines were saved ({mname})",
                       str(e))
            return
        try:
            want = direct_map_lines(granule)
        except ptdump_leaves.PtdumpError as e:
            self.check(False, f"{name}: DirectMap lines for the granule", str(e))
            return
        got = {}
        for line in text.splitlines():
            if not line.startswith("DirectMap"):
                continue
            m = re.fullmatch(r"(DirectMap[^:\s]*):\s*(\d+) kB", line.rstrip())
            if not m or line.rstrip() != f"{m[1] + ':':<16}{int(m[2]):>8} kB":
                self.check(False, f"{name}: meminfo: a DirectMap line in the kernel's format",
                           repr(line))
                continue
            if m[1] in got:
                self.check(False, f"{name}: meminfo: {m[1]} once", repr(line))
            got[m[1]] = int(m[2])
        gk = ptdump_leaves.parse_granule(granule) // ptdump_leaves.KIB
        self.check(sorted(got) == sorted(n for n, _, _ in want),
                   f"{name}: meminfo has exactly the DirectMap lines of the {gk}K granule",
                   f"got {sorted(got)}, want {[n for n, _, _ in want]}")
        for dm, level, size in want:
            if dm not in got:
                continue
            n = (leaves or {}).get(level)
            expect = n * size // 1024 if isinstance(n, int) else None
            self.check(got[dm] == expect,
                       f"{name}: meminfo {dm} == {level} leaves x {size // 1024} kB",
                       f"meminfo {got[dm]} kB, {n!r} leaves x {size // 1024} kB = {expect!r} kB")

    # -- per test ------------------------------------------------------

    def test_status(self):
        before = self.snapshot("before")
        held = self.snapshot("after-hold")
        after = self.snapshot("after")
        if not (before and held and after):
            self.check(False, "all three snapshots (before, after-hold, after) usable")
            return
        b, h, a = before["ptdump"], held["ptdump"], after["ptdump"]
        if self.machine == "bbml3":
            self.check(blocks(b) > 0, "before: the BBML3 machine maps RAM with blocks",
                       fmt_levels(b["leaves"]))
        if before["status"]:
            caps = before["status"]["caps"]
            if self.machine == "bbml3":
                self.check(caps.get("bbml3") is True and caps.get("block_capable") is True,
                           "caps: bbml3 and block_capable on the BBML3 machine",
                           f"bbml3={caps.get('bbml3')} block_capable={caps.get('block_capable')} "
                           f"reason={caps.get('reason')!r}")
            stats = before["status"]["stats"]
            r = stats.get("restoration")
            self.check(isinstance(r, (int, float)) and r > 0,
                       "before: restoration is reported", f"restoration={r!r}")
            # Nothing has split the map since boot, which maps with the
            # largest leaves that fit.
            self.check(stats.get("leaves_total") == stats.get("ideal_leaves"),
                       "before: a fresh boot is fully restored (leaves == ideal)",
                       f"leaves {stats.get('leaves_total')}, ideal {stats.get('ideal_leaves')}, "
                       f"restoration {r!r}")
        try:
            with open(self.path("secretmem-churn-held.txt"), encoding="utf-8") as f:
                held_pages = int(f.read().split()[2])
        except (OSError, IndexError, ValueError) as e:
            self.check(False, "secretmem-churn-held.txt readable", str(e))
            held_pages = None
        if held_pages is not None:
            self.check(h["invalid"] >= held_pages,
                       "while held: every held secretmem page is out of the linear map",
                       f"{h['invalid']} invalid entries for {held_pages} held pages")
            # An invalid page is still a leaf of its shape: a base page
            # (set_direct_map_invalid_noflush() splits to pages).
            self.check(h["leaves"]["pte"] >= held_pages,
                       "while held: every held secretmem page is a pte leaf (invalid leaves count)",
                       f"{h['leaves']['pte']} pte leaves for {held_pages} held pages")
        self.check(h["mapped_bytes"] == b["mapped_bytes"],
                   "while held: the linear map covers the same memory as before "
                   "(invalid leaves are mapped bytes)",
                   f"before {b['mapped_bytes']}, while held {h['mapped_bytes']}")
        self.check(small(a) > small(b), "after churn: more pte/cont_pte leaves than before",
                   f"before {small(b)}, after {small(a)}")
        self.check(a["leaves_total"] > b["leaves_total"],
                   "after churn: more leaves in total (the splits stay)",
                   f"before {b['leaves_total']}, after {a['leaves_total']}")
        self.check(a["invalid"] <= b["invalid"],
                   "after churn: the secretmem pages are back in the linear map",
                   f"invalid before {b['invalid']}, after {a['invalid']}")
        self.check(a["mapped_bytes"] == b["mapped_bytes"],
                   "after churn: the same memory is mapped as before",
                   f"before {b['mapped_bytes']}, after {a['mapped_bytes']}")
        if before["status"] and after["status"]:
            rb = before["status"]["stats"].get("restoration")
            ra = after["status"]["stats"].get("restoration")
            self.check(isinstance(ra, (int, float)) and isinstance(rb, (int, float))
                       and ra > rb,
                       "after churn: restoration (leaves / ideal) larger than before",
                       f"before {rb!r}, after {ra!r}")

    def test_nobbml3(self):
        snap = self.snapshot("nobbml3")
        if not snap:
            return
        counts = snap["ptdump"]
        self.check(blocks(counts) == 0, "no block leaves without BBML3",
                   fmt_levels(counts["leaves"]))
        if not self.check(snap["status"] is not None, "status-nobbml3.json exists"):
            return
        try:
            caps, stats = snap["status"]["caps"], snap["status"]["stats"]
            self.check(caps["bbml3"] is False, "caps.bbml3 is false", repr(caps["bbml3"]))
            self.check(caps["block_capable"] is False, "caps.block_capable is false",
                       repr(caps["block_capable"]))
            reason = caps.get("reason")
            self.check(isinstance(reason, str) and reason.strip() != "",
                       "caps.reason says why", repr(reason))
            self.check(stats["leaves_total"] > 0, "stats: leaves_total > 0",
                       repr(stats["leaves_total"]))
        except (KeyError, TypeError) as e:
            self.check(False, "status JSON has caps and stats", f"missing {e}")

    def test_collapse(self):
        before = self.snapshot("before")
        churned = self.snapshot("churned")
        dry = self.snapshot("dry-run")
        done = self.snapshot("collapsed")
        if not (before and churned and dry and done and churned["status"] and done["status"]):
            self.check(False, "snapshots before, churned, dry-run, collapsed usable")
            return
        # The boot map is built with the largest leaves map_mem() can use:
        # after the churn and a full collapse, every level is as it was.
        self.check(done["ptdump"]["leaves"] == before["ptdump"]["leaves"],
                   "collapsed: per-level leaves equal the boot map's (snapshot before the churn)",
                   f"before {fmt_levels(before['ptdump']['leaves'])}, "
                   f"after {fmt_levels(done['ptdump']['leaves'])}")
        c, d, a = churned["ptdump"], dry["ptdump"], done["ptdump"]
        cs, ds = churned["status"]["stats"], done["status"]["stats"]
        self.check(c["leaves_total"] > cs["ideal_leaves"],
                   "churned: the linear map is split beyond its ideal",
                   f"leaves {c['leaves_total']}, ideal {cs['ideal_leaves']}")
        self.check(d["leaves"] == c["leaves"], "dry run: the page tables did not change",
                   f"before {fmt_levels(c['leaves'])}, after {fmt_levels(d['leaves'])}")
        # Restoration from the ptdump alone: its leaves against the ideal.
        self.check(a["leaves_total"] == ds["ideal_leaves"],
                   "collapsed: ptdump leaves == ideal leaves (restoration 1.00)",
                   f"ptdump {a['leaves_total']}, ideal {ds['ideal_leaves']}")
        self.check(ds.get("restoration") == 1.0, "collapsed: stats report restoration 1.0",
                   repr(ds.get("restoration")))
        self.check(a["mapped_bytes"] == c["mapped_bytes"],
                   "collapsed: the same memory is mapped", f"{c['mapped_bytes']} -> {a['mapped_bytes']}")
        try:
            res = self.load_json("collapse.json")["collapse"]
            dry_res = self.load_json("collapse-dry.json")["collapse"]
            folds = sum(res["folds"].values())
            self.check(folds > 0, "collapse folded leaves", json.dumps(res["folds"]))
            self.check(res["tables_freed"] > 0 and res["bytes_freed"] == res["tables_freed"] * self.granule_bytes(done["status"]),
                       "collapse freed page tables (bytes = tables x granule)",
                       f"tables {res['tables_freed']}, bytes {res['bytes_freed']}")
            self.check(res["next"] is None, "collapse ran to the end (no cursor left)", repr(res["next"]))
            self.check(dry_res["dry_run"] is True and dry_res["folds"] == res["folds"],
                       "the dry run predicted the folds", f"dry {dry_res['folds']}, real {res['folds']}")
            self.check(set(res["skips"]) == {"invalid", "attributes", "pkey", "realm",
                                             "excluded", "alignment", "budget"},
                       "collapse reports every skip reason", repr(sorted(res["skips"])))
            since = ds.get("since_boot", {})
            self.check(sum(since.get("splits", {}).values()) > 0 and
                       sum(since.get("folds", {}).values()) >= folds,
                       "since boot: splits and folds are counted", json.dumps(since))
        except (OSError, ValueError, KeyError, TypeError) as e:
            self.check(False, "collapse JSON has the result", str(e))
        try:
            with open(self.path("collapse-user.txt"), encoding="utf-8") as f:
                user = f.read()
            self.check("exit 1" in user and "CAP_SYS_ADMIN" in user,
                       "unprivileged collapse: refused, exit 1, says it needs CAP_SYS_ADMIN", user.strip())
        except OSError as e:
            self.check(False, "collapse-user.txt readable", str(e))
        try:
            with open(self.path("watch-user.txt"), encoding="utf-8") as f:
                user = f.read()
            self.check("exit 1" in user and "CAP_SYS_ADMIN" in user,
                       "unprivileged watch: refused, exit 1, says it needs CAP_SYS_ADMIN", user.strip())
            with open(self.path("status-netns.txt"), encoding="utf-8") as f:
                netns = f.read()
            self.check("exit 3" in netns,
                       "a new network namespace has no linmap family (collapsectl exit 3)", netns.strip())
            with open(self.path("status-user.json"), encoding="utf-8") as f:
                st = json.load(f)
            self.check(st.get("stats", {}).get("leaves") is not None and
                       "linear_start" not in json.dumps(st.get("caps", {})),
                       "unprivileged status: counts, but no linear-map addresses", json.dumps(st)[:300])
            self.check_unprivileged_stats(st.get("stats"), "unprivileged status (nobody)")
        except (OSError, ValueError) as e:
            self.check(False, "unprivileged watch / netns / status results readable", str(e))
        try:
            with open(self.path("watch.jsonl"), encoding="utf-8") as f:
                events = [json.loads(line) for line in f if line.strip()]
            kinds = {e.get("event") for e in events}
            self.check({"split", "collapse"} <= kinds,
                       "watch: split and collapse events arrived", repr(sorted(kinds)))
        except (OSError, ValueError) as e:
            self.check(False, "watch.jsonl readable", str(e))

    def check_unprivileged_stats(self, stats, who):
        """An unprivileged `collapsectl status --json`: it succeeded from
        the kernel's counters (a walk needs CAP_SYS_ADMIN): walked false,
        the leaves of every level (leaves_total their sum, not 0), and no
        ideal (null or absent), which only a walk finds."""
        try:
            leaves = stats["leaves"]
            ok = (stats.get("walked") is False and
                  all(isinstance(leaves.get(k), int) for k in LEVELS) and
                  stats.get("leaves_total") == sum(leaves[k] for k in LEVELS) > 0 and
                  stats.get("ideal_leaves") is None)
            detail = (f"walked={stats.get('walked')!r} leaves {fmt_levels(leaves)} "
                      f"total={stats.get('leaves_total')!r} ideal={stats.get('ideal_leaves')!r}")
        except (KeyError, TypeError, AttributeError) as e:
            ok, detail = False, f"no stats with leaves ({e!r})"
        self.check(ok, f"{who}: from the counters: walked false, leaves, no ideal", detail)

    def test_stress(self):
        final = self.snapshot("final")
        if not (final and final["status"]):
            self.check(False, "snapshot final usable")
            return
        self.check_at_ideal(final, "after the stress and a final collapse: ptdump leaves == ideal")
        for name, word in (("collapse-loop.txt", "collapses"),
                           ("permission-churn.txt", "permission changes")):
            try:
                with open(self.path(name), encoding="utf-8") as f:
                    text = f.read()
                n = int(text.split(f"{word}:")[1].split()[0])
                self.check(n > 0, f"{word} ran concurrently ({n})")
            except (OSError, IndexError, ValueError) as e:
                self.check(False, f"{name} readable", str(e))

    def test_steady(self):
        """Steady churn beside collapsed (a benchmark's run): the end
        snapshot agrees with the ptdump and the counters, and the figures
        were written; the figures themselves are reported, not judged."""
        self.snapshot("end")
        try:
            with open(self.path("steady-figures.txt"), encoding="utf-8") as f:
                figures = dict(l.strip().split("=", 1) for l in f if "=" in l)
        except OSError as e:
            self.check(False, "steady-figures.txt readable", str(e))
            return
        self.check(int(figures.get("samples", 0)) > 0 and "daemon_cpu_ms" in figures,
                   "steady churn: samples and the daemon's CPU time recorded",
                   " ".join(f"{k}={v}" for k, v in figures.items()))

    def test_faultinj(self):
        """Splits whose page-table allocations failed, collapses beside
        them: failures were injected, some splits failed with ENOMEM (and
        nothing else) and some succeeded, the collapses ran, the counters,
        the walk and the ptdump agree right after (snapshot after-faults)
        and a final collapse reaches the ideal."""
        self.snapshot("before")
        self.snapshot("after-faults")
        final = self.snapshot("final")
        if final and final["status"]:
            self.check_at_ideal(final, "after the failed splits and a final collapse: "
                                "ptdump leaves == ideal")
        else:
            self.check(False, "snapshot final usable")
        try:
            with open(self.path("faultinj.txt"), encoding="utf-8") as f:
                text = f.read()
        except OSError as e:
            self.check(False, "faultinj.txt readable", str(e))
            return
        def num(pattern):
            m = re.search(pattern, text, re.M)
            return int(m[1]) if m else -1
        injected = num(r"^injected failures: (\d+)$")
        ok = num(r"^splits: (\d+) succeeded")
        failed = num(r"^splits: \d+ succeeded, (\d+) failed$")
        self.check(injected > 0, "page allocations were failed", f"{injected}")
        self.check(failed > 0 and ok > 0, "some splits failed and some succeeded",
                   f"{ok} succeeded, {failed} failed")
        self.check(num(r"^other errors: (\d+)$") == 0,
                   "every failed write failed with ENOMEM")
        self.check(num(r"^collapses: (\d+)$") > 0, "collapses ran beside the failing splits")

    def test_nlfuzz(self):
        """nl-fuzz judged every answer in the guest; here, that both runs
        ended with 0 violations, that every class was sent and answered as
        root, that real collapses ran between them and the unprivileged
        run was refused with CAP_SYS_ADMIN named, and that a final
        collapse reaches the ideal (the fuzzing broke nothing)."""
        final = self.snapshot("final")
        if final and final["status"]:
            self.check_at_ideal(final, "after the fuzzing and a final collapse: ptdump leaves == ideal")
        else:
            self.check(False, "snapshot final usable")
        for run in ("root", "user"):
            try:
                with open(self.path(f"nlfuzz-{run}.txt"), encoding="utf-8") as f:
                    text = f.read()
            except OSError as e:
                self.check(False, f"nlfuzz-{run}.txt readable", str(e))
                continue
            total = re.search(r"^total: (\d+) requests, (\d+) violations$", text, re.M)
            self.check(bool(total) and int(total[1]) > 0 and total[2] == "0",
                       f"nl-fuzz {run}: requests sent, 0 violations",
                       total[0] if total else "no total line")
            classes = re.findall(r"^class (\S+) +sent +(\d+)", text, re.M)
            self.check(len(classes) >= 15 and all(int(n) > 0 for _, n in classes),
                       f"nl-fuzz {run}: every class sent",
                       " ".join(f"{c}={n}" for c, n in classes))
            extra = re.search(r"^real collapses (\d+), EPERM naming CAP_SYS_ADMIN (\d+)$",
                              text, re.M)
            if run == "root":
                self.check(bool(extra) and int(extra[1]) > 0,
                           "nl-fuzz root: real collapses between the requests",
                           extra[0] if extra else "no line")
            else:
                self.check(bool(extra) and int(extra[2]) > 0,
                           "nl-fuzz unprivileged: refusals name CAP_SYS_ADMIN",
                           extra[0] if extra else "no line")
                self.check("events group: refused (EPERM)" in text,
                           "nl-fuzz unprivileged: events subscription refused")

    def host_layout(self, status):
        """What the host needs to compute the ideal itself: the linear
        map's offset (virtual - physical), the memory regions and the
        kernel image's linear aliases (physical), from the guest's
        /proc/iomem and /proc/kallsyms and get-caps' linear_start."""
        with open(self.path("iomem.txt"), encoding="utf-8") as f:
            iomem = f.read().splitlines()
        def symbols(name):
            with open(self.path(name), encoding="utf-8") as f:
                return {l.split()[2]: int(l.split()[0], 16) for l in f if len(l.split()) == 3}
        # The running kernel's _stext (KASLR would move it), the others at
        # their distance from _stext in the build's System.map: kallsyms has
        # no data symbols without KALLSYMS_ALL.
        syms = symbols("kallsyms.txt")
        if self.exists("system-map.txt") and "_stext" in syms:
            built = symbols("system-map.txt")
            if "_stext" in built:
                for k, v in built.items():
                    syms.setdefault(k, syms["_stext"] + v - built["_stext"])
        regions, code = [], None
        for line in iomem:
            m = re.match(r"^(\s*)([0-9a-f]+)-([0-9a-f]+) : (.*)$", line)
            if not m:
                continue
            start, end = int(m[2], 16), int(m[3], 16) + 1
            if not m[1] and m[4] == "System RAM":
                regions.append((start, end))
            elif m[4] == "Kernel code" and code is None:
                code = start
        if not regions or code is None or "_text" not in syms:
            raise ValueError("iomem.txt/kallsyms.txt/system-map.txt lack System RAM, "
                             "Kernel code or _text")
        offset = status["caps"]["linear_start"] - regions[0][0]
        # "Kernel code" starts at __pa_symbol(_text) (arch/arm64/kernel/setup.c)
        voffset = syms["_text"] - code          # kimage_voffset
        pa = {k: v - voffset for k, v in syms.items()}
        excluded = [(pa["_text"], pa["__init_begin"]), (pa["__init_end"], pa["__bss_stop"])]
        return offset, regions, excluded

    def check_at_ideal(self, snap, what):
        """Check that a snapshot's ptdump has exactly the ideal leaf count
        its stats give (restoration 1.00 from the page tables alone), and
        that the host, computing the ideal from the ptdump itself
        (ptdump_leaves.ideal_leaves(): runs, alignment, region edges, the
        kernel image's aliases), finds the same number: host ideal ==
        kernel ideal == leaves.  A snapshot without usable stats fails the
        check: the kernel's ideal comes from them.  The host computation
        needs the layout files (iomem.txt, kallsyms.txt) and no KFENCE
        pool (whose bounds userspace cannot read)."""
        try:
            ideal = snap["status"]["stats"]["ideal_leaves"]
            leaves = snap["ptdump"]["leaves_total"]
        except (KeyError, TypeError) as e:
            self.check(False, what, f"no ptdump or status with an ideal leaf count ({e!r})")
            return
        self.check(leaves == ideal, what, f"ptdump {leaves}, ideal {ideal}")
        caps = snap["status"].get("caps", {})
        if caps.get("kfence"):
            print(f"   {what}: host ideal not computed (a KFENCE pool is excluded by the kernel)")
            return
        try:
            offset, regions, excluded = self.host_layout(snap["status"])
            host = ptdump_leaves.ideal_leaves(snap["ptdump_text"], self.granule(snap["status"]),
                                              offset, regions, excluded)
        except (OSError, KeyError, ValueError, TypeError, ptdump_leaves.PtdumpError) as e:
            self.check(False, f"{what}: the host computes the ideal from the ptdump", repr(e))
            return
        self.check(host == ideal, f"{what}: host ideal == kernel ideal",
                   f"host {host}, kernel {ideal}")

    def granule_bytes(self, status):
        return status["caps"]["granule"]

    def test_boot(self):
        snap = self.snapshot("boot")
        if not snap:
            return
        counts = snap["ptdump"]
        self.check(counts["leaves_total"] > 0, "the linear map has leaves")
        if self.machine == "bbml3":
            self.check(blocks(counts) > 0, "the BBML3 machine maps RAM with blocks",
                       fmt_levels(counts["leaves"]))
        elif self.machine == "nobbml3":
            self.check(blocks(counts) == 0, "no block leaves without BBML3",
                       fmt_levels(counts["leaves"]))

    def test_daemon(self):
        # collapsed restored the map on its own: ptdump agrees with get-stats
        # (snapshot() checks every level) and is at the ideal count.
        snap = self.snapshot("restored")
        if not (snap and snap["status"]):
            self.check(False, "snapshot restored usable")
            return
        self.check_at_ideal(snap, "restored by collapsed: ptdump leaves == ideal leaves (restoration 1.00)")
        try:
            doc = self.load_json("daemon-restored.json")
            last = doc["last_collapse"] or {}
            self.check(sum(last.get("folds", {}).values()) > 0,
                       "the daemon's last collapse folded leaves", json.dumps(last.get("folds")))
            self.check(doc["totals"]["collapses"] >= 1, "the daemon counts its collapses",
                       repr(doc["totals"]["collapses"]))
        except (OSError, ValueError, KeyError, TypeError) as e:
            self.check(False, "daemon-restored.json usable", str(e))
        # The metrics file as collapsed wrote it, linted by promtool and
        # served by node_exporter's textfile collector (through a symlink,
        # as docs/collapsed.md tells operators to link it), here on the host:
        # the test kernel has no IPv4 for node_exporter to listen on.
        tools = os.path.join(os.environ.get("LINMAP_BUILD", os.path.join(TOP, "build")),
                             "host-tools", "usr", "bin")
        promtool = os.environ.get("PROMTOOL") or os.path.join(tools, "promtool")
        exporter = os.environ.get("NODE_EXPORTER") or os.path.join(tools, "prometheus-node-exporter")
        for tool in (promtool, exporter):
            if not os.access(tool, os.X_OK):
                self.check(False, "promtool and node_exporter available (tools/setup extracts them)", tool)
                return
        try:
            with open(self.path("linmap.prom"), "rb") as f:
                run = subprocess.run([promtool, "check", "metrics"], stdin=f,
                                     capture_output=True, text=True, check=False)
            self.check(run.returncode == 0, "the metrics file passes promtool check metrics",
                       (run.stdout + run.stderr).strip()[:500])
        except OSError as e:
            self.check(False, "linmap.prom readable", str(e))
            return
        served = node_exporter_scrape(exporter, self.path("linmap.prom"))
        if isinstance(served, str):
            self.check(False, "node_exporter serves the metrics file", served)
            return
        errors = [v for k, v in served.items() if k.startswith("node_textfile_scrape_error")]
        leaves = [k for k in served if k.startswith("linmap_leaves{")]
        states = [v for k, v in served.items() if k.startswith("collapsed_state{")]
        self.check(errors == [0.0] and len(leaves) == 5 and sum(states) == 1 and
                   served.get("collapsed_collapses_total", 0) >= 1,
                   "node_exporter serves the metrics file: no scrape error, 5 levels, one state, "
                   "the collapse counted",
                   f"scrape error {errors}, levels {len(leaves)}, states {states}, "
                   f"collapses {served.get('collapsed_collapses_total')}")

    def test_splitwin(self):
        churned = self.snapshot("churned")
        final = self.snapshot("final")
        if not (churned and final and final["status"]):
            self.check(False, "snapshots churned and final usable")
            return
        try:
            with open(self.path("cmdline.txt"), encoding="utf-8") as f:
                cmdline = f.read().split()
            with open(self.path("collapse.rc"), encoding="utf-8") as f:
                rc = int(f.read())
        except (OSError, ValueError) as e:
            self.check(False, "cmdline.txt and collapse.rc readable", str(e))
            return
        rodata_off = "rodata=off" in cmdline
        caps = final["status"]["caps"]
        counts = final["ptdump"]
        print(f"   machine {self.machine}, rodata={'off' if rodata_off else 'full'}, "
              f"block_capable={caps.get('block_capable')}, collapse exit {rc}")
        if self.machine == "nobbml3":
            self.check(blocks(counts) == 0, "nobbml3: no block leaves",
                       fmt_levels(counts["leaves"]))
            self.check(caps.get("block_capable") is False and rc == 1,
                       "nobbml3: not block-capable, collapse refused (exit 1)")
            return
        self.check(blocks(counts) > 0, "bbml3: the linear map keeps blocks",
                   fmt_levels(counts["leaves"]))
        if rodata_off:
            # Blocks are still split on demand when something else may
            # need page granularity (KFENCE that can be enabled late);
            # otherwise they are never split and collapse is refused.
            self.check(caps.get("rodata_full") is False, "rodata=off: caps.rodata_full is false",
                       repr(caps.get("rodata_full")))
            self.check(rc == (0 if caps.get("block_capable") else 1),
                       "bbml3 rodata=off: collapse succeeds iff the blocks are split on demand",
                       f"block_capable={caps.get('block_capable')}, exit {rc}")
        else:
            self.check(caps.get("block_capable") is True and rc == 0,
                       "bbml3 rodata=full: block-capable, collapse succeeded",
                       f"block_capable={caps.get('block_capable')}, exit {rc}")
        self.check_at_ideal(final, "final: ptdump leaves == ideal leaves (restoration 1.00)")

    def test_boundary(self):
        self.snapshot("bounded")
        final = self.snapshot("final")
        for kind in ("pkey",):
            try:
                res = self.load_json(f"collapse-{kind}.json")["collapse"]
                self.check(res["skips"][kind] > 0,
                           f"collapse after a {kind} boundary reports {kind} skips",
                           json.dumps(res["skips"]))
            except (OSError, ValueError, KeyError, TypeError) as e:
                self.check(False, f"collapse-{kind}.json has the skips", str(e))
        try:
            res = self.load_json("collapse-clear.json")["collapse"]
            self.check(res["skips"]["pkey"] == 0 and res["skips"]["realm"] == 0,
                       "after clear: no pkey or realm skips", json.dumps(res["skips"]))
        except (OSError, ValueError, KeyError, TypeError) as e:
            self.check(False, "collapse-clear.json has the skips", str(e))
        self.check_at_ideal(final, "after clear: ptdump leaves == ideal leaves")

    def test_earlysplit(self):
        try:
            status = self.load_json("status-early.json")
            since = status["stats"]["since_boot"]["splits"]
            with open(self.path("watch.jsonl"), encoding="utf-8") as f:
                event = json.loads(f.readline())
        except (OSError, ValueError, KeyError, TypeError) as e:
            self.check(False, "status-early.json and watch.jsonl readable", str(e))
            return
        counted = sum(since.values())
        self.check(counted > 0, "splits from mem_init() are counted", json.dumps(since))
        self.check(event.get("event") == "split", "the first event is a split event",
                   json.dumps(event))
        total = sum(event.get("splits", {}).values())
        self.check(event.get("new_splits") == total,
                   "the first split event announces every split since boot",
                   f"new_splits={event.get('new_splits')} splits={total}")
        self.check(total >= counted, "the event covers the splits counted before it",
                   f"event {total} < counted {counted}")

    def test_kfencelate(self):
        before = self.snapshot("before")
        after = self.snapshot("after")
        if not before or not after:
            return
        # CONFIG_KFENCE_NUM_OBJECTS=255: (255 + 1) * 2 pages.
        pool_pages = 512
        # The pool's pages are pte leaves, valid or (guard pages, free
        # objects) invalid: leaves are counted by their shape, so the
        # invalid ones are in the pte count already.
        def pages(snap):
            return snap["ptdump"]["leaves"]["pte"]
        grew = pages(after) - pages(before)
        self.check(grew >= pool_pages,
                   "the late KFENCE pool stays at base pages after collapses",
                   f"pte leaves grew by {grew}, the pool has {pool_pages} pages")
        try:
            with open(self.path("kfence-stats.txt"), encoding="utf-8") as f:
                text = f.read()
            allocs = int(text.split("total allocations:")[1].split()[0])
        except (OSError, IndexError, ValueError) as e:
            self.check(False, "kfence-stats.txt has the allocations", str(e))
            return
        self.check(allocs > 0, "KFENCE allocated from its pool", f"{allocs} allocations")

    def test_hotplug(self):
        # The counters (and DirectMap) against the walk and ptdump across
        # hot-add, collapse and hot-remove; snapshot() checks them.
        snaps = {n: self.snapshot(n) for n in ("hp-boot", "hp-added", "hp-split",
                                                "hp-collapsed", "hp-removed")}
        if all(snaps.values()):
            mapped = {n: s["ptdump"]["mapped_bytes"] for n, s in snaps.items()}
            self.check(mapped["hp-added"] > mapped["hp-boot"] and
                       mapped["hp-removed"] < mapped["hp-collapsed"],
                       "hot-add grows the linear map, hot-remove shrinks it",
                       json.dumps(mapped))
        try:
            stats = self.load_json("status-hotplug.json")["stats"]
            with open(self.path("block-size.txt"), encoding="utf-8") as f:
                block = int(f.read())
        except (OSError, ValueError, KeyError, TypeError) as e:
            self.check(False, "status-hotplug.json and block-size.txt readable", str(e))
            return
        leaves = stats["leaves"]
        self.check(leaves["pud"] == 0, "no PUD leaf across hot-added memory blocks",
                   json.dumps(leaves))
        # 4K pages: 32M contiguous PMD ranges are the largest leaves that
        # fit in a 128M memory block.
        if self.granule(None) == "4K" and block % (32 << 20) == 0:
            want = (1 << 30) // (32 << 20)
            self.check(leaves["cont_pmd"] == want and stats["leaves_total"] == want,
                       "the hot-added gigabyte is folded into the largest leaves a block holds",
                       f"{json.dumps(leaves)}, want {want} cont_pmd")
    def test_kunit(self):
        # The counters, DirectMap, the walk and ptdump after the suites
        # (kunit.sh takes the snapshot when a linmap suite is required).
        if glob.glob(os.path.join(self.results, "kunit-linmap*.txt")):
            if self.check(self.exists("status-after-kunit.json"),
                          "after-kunit: the guest took a snapshot after the linmap suite"):
                self.snapshot("after-kunit")
        files = sorted(glob.glob(os.path.join(self.results, "kunit-*.txt")))
        if not self.check(files, "the guest saved KUnit results (kunit-SUITE.txt)",
                          f"none in {self.results}"):
            return
        totals = {"pass": 0, "fail": 0, "skip": 0}
        skipped = []
        names = set()
        for path in files:
            fallback = os.path.basename(path)[len("kunit-"):-len(".txt")]
            with open(path, encoding="utf-8", errors="replace") as f:
                r = parse_kunit(f.read(), fallback)
            suite, cases = r["suite"], r["cases"]
            counts = {k: sum(1 for c in cases if c["result"] == k) for k in totals}
            for k in totals:
                totals[k] += counts[k]
            print(f"   suite {suite}: {counts['pass']} passed, {counts['fail']} failed, "
                  f"{counts['skip']} skipped, of {r['plan']} planned")
            names.add(suite)
            names.update(c["name"] for c in cases)
            names.update(f"{suite}.{c['name']}" for c in cases)
            self.check(r["suite_result"] is not None, f"{suite}: the suite finished",
                       "no result line for the suite (crashed or hung?)")
            self.check(r["plan"] is not None and r["plan"] == len(cases),
                       f"{suite}: every planned case reported",
                       f"plan {r['plan']}, {len(cases)} results")
            for c in cases:
                if c["result"] == "fail":
                    self.check(False, f"{suite}.{c['name']} passed", "not ok")
                elif c["result"] == "skip":
                    skipped.append((suite, c["name"], c["reason"]))
            if r["suite_result"] == "fail" and not counts["fail"]:
                self.check(False, f"{suite}: the suite passed", "the suite's own line is not ok")
            if r["suite_result"] == "skip" and not cases:
                skipped.append((suite, suite, "the whole suite"))
        allowed = set(self.allow_skip)
        for suite, case, reason in skipped:
            ok = case in allowed or f"{suite}.{case}" in allowed or \
                (case == suite and suite in allowed)
            self.check(ok, f"skip of {suite}.{case} is allowed by the registration",
                       f"not in --allow-skip ({reason})")
            if ok:
                print(f"   skipped (allowed): {suite}.{case}: {reason}")
        did_skip = {c for _, c, _ in skipped} | {f"{s}.{c}" for s, c, _ in skipped}
        for name in self.allow_skip:
            self.check(name in names, f"--allow-skip {name} names a KUnit case that ran",
                       "no such suite or case in the results (renamed?)")
            if name in names and name not in did_skip:
                print(f"   allowed skip {name} did not happen: the case ran")
        print(f"   kunit: {totals['pass']} passed, {totals['fail']} failed, "
              f"{totals['skip']} skipped")

    def test_guest_only(self):
        print("   (checked in the guest)")


def direct_map_lines(granule):
    """The DirectMap lines /proc/meminfo has for GRANULE, in the kernel's
    order (smallest leaf first): [(name, level, leaf size)], named by the
    size as x86 names its direct map (DirectMap4k, ... DirectMap1G); levels the granule lacks (PUD
    blocks with 16K and 64K pages) have none."""
    geo = ptdump_leaves.GEOMETRY[ptdump_leaves.parse_granule(granule)]
    out = []
    for level in ("pte", "cont_pte", "pmd", "cont_pmd", "pud"):
        size = geo["leaf"][level]
        if not size:
            continue
        for unit, suffix in ((ptdump_leaves.GIB, "G"), (ptdump_leaves.MIB, "M"),
                             (ptdump_leaves.KIB, "k")):
            if size >= unit:
                out.append((f"DirectMap{size // unit}{suffix}", level, size))
                break
    return out


def blocks(counts):
    return sum(counts["leaves"][k] for k in BLOCK_LEVELS)


def small(counts):
    return sum(counts["leaves"][k] for k in SMALL_LEVELS)


def fmt_levels(leaves):
    return " ".join(f"{k}={leaves.get(k)}" for k in LEVELS)


TESTS = {
    "status": Checker.test_status,
    "nobbml3": Checker.test_nobbml3,
    "boot": Checker.test_boot,
    "splitwin": Checker.test_splitwin,
    "boundary": Checker.test_boundary,
    "earlysplit": Checker.test_earlysplit,
    "kfencelate": Checker.test_kfencelate,
    "hotplug": Checker.test_hotplug,
    "collapse": Checker.test_collapse,
    "stress": Checker.test_stress,
    "nlfuzz": Checker.test_nlfuzz,
    "faultinj": Checker.test_faultinj,
    "kunit": Checker.test_kunit,
    "badinput": Checker.test_guest_only,
    # Full-system guest (tests/vm/system/): checked in the guest.
    "ynl": Checker.test_guest_only,
    "daemon": Checker.test_daemon,
    "steady": Checker.test_steady,
    "degraded": Checker.test_guest_only,
}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--machine", default="bbml3", choices=("bbml3", "nobbml3"))
    ap.add_argument("--allow-skip", action="append", default=[], metavar="CASE",
                    help="kunit: a KUnit case (CASE or SUITE.CASE) that may skip; repeatable")
    ap.add_argument("test", choices=sorted(TESTS))
    ap.add_argument("results", help="the guest's results directory")
    args = ap.parse_args(argv)
    if not os.path.isdir(args.results):
        print(f"check_results: no results directory {args.results}", file=sys.stderr)
        return 1
    if args.allow_skip and args.test != "kunit":
        print("check_results: --allow-skip is for the kunit test only", file=sys.stderr)
        return 2
    checker = Checker(args.results, args.machine, args.allow_skip)
    TESTS[args.test](checker)
    print(f"check_results: {args.test}: {checker.passes} passed, {checker.failures} failed")
    return 1 if checker.failures else 0


if __name__ == "__main__":
    sys.exit(main())
