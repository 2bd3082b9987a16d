#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# bench START END (BBML3 machine, a kernel with CONFIG_ARM64_LINMAP_DEBUGFS):
# split [START, END) of the linear map to pages, walk it, collapse it, and
# record what each step cost.  tests/bench/collapse-bench prints the ratios.
#
#   split     /sys/kernel/debug/linmap/split_to_ptes (kernel-timed)
#   walk      a dry-run collapse of the range: every entry read once and
#             checked, nothing written (kernel-timed; the floor)
#   collapse  the real collapse of the range (kernel-timed)
. /lib/linmap-guest.sh

[ $# = 2 ] || fail "usage: bench.sh START END"
start=$1 end=$2
knob=/sys/kernel/debug/linmap/split_to_ptes
[ -w "$knob" ] || fail "no $knob (CONFIG_ARM64_LINMAP_DEBUGFS)"

json_field() { sed -n "s/.*\"$1\":\([0-9][0-9]*\).*/\1/p" "$2" | head -n1; }

collapsectl status --json >"$RESULTS/bench-before.json" || fail "status failed"
echo "$start $end" >"$knob" || fail "splitting $start-$end failed"
cat "$knob" >"$RESULTS/bench-split-nsecs.txt"
collapsectl status --range "$start-$end" --json >"$RESULTS/bench-split.json" ||
	fail "status --range failed"

# The walk, three times: the fastest is the floor.
for i in 1 2 3; do
	collapsectl collapse --dry-run --range "$start-$end" --json \
		>"$RESULTS/bench-walk-$i.json" || fail "dry-run collapse failed"
done
collapsectl collapse --range "$start-$end" --json >"$RESULTS/bench-collapse.json" ||
	fail "collapse failed"
collapsectl status --range "$start-$end" --json >"$RESULTS/bench-after.json" ||
	fail "status --range failed"
cat /proc/meminfo >"$RESULTS/bench-meminfo.txt"
note "split $(cat "$RESULTS/bench-split-nsecs.txt") ns," \
	"collapse $(json_field nsecs "$RESULTS/bench-collapse.json") ns"
