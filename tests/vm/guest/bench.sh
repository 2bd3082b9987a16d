#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# bench START END [RUNS] (BBML3 machine, a kernel with
# CONFIG_ARM64_LINMAP_DEBUGFS): RUNS times (default 1), split [START, END)
# of the linear map to pages, walk it, collapse it, and record what each
# step cost.  tests/bench/collapse-bench prints the figures.
#
#   split     /sys/kernel/debug/linmap/split_to_ptes (kernel-timed)
#   walk      a dry-run collapse of the range: every entry read once and
#             checked, nothing written (kernel-timed; the floor)
#   collapse  the real collapse of the range, in steps of the kernel's
#             default budget (kernel-timed, summed; with the longest lock
#             hold of any region)
. /lib/linmap-guest.sh

[ $# = 2 ] || [ $# = 3 ] || fail "usage: bench.sh START END [RUNS]"
start=$1 end=$2 runs=${3:-1}
knob=/sys/kernel/debug/linmap/split_to_ptes
[ -w "$knob" ] || fail "no $knob (CONFIG_ARM64_LINMAP_DEBUGFS)"

json_field() { sed -n "s/.*\"$1\":\([0-9][0-9]*\).*/\1/p" "$2" | head -n1; }

collapsectl status --json >"$RESULTS/bench-before.json" || fail "status failed"
run=1
while [ $run -le "$runs" ]; do
	echo "$start $end" >"$knob" || fail "splitting $start-$end failed"
	cat "$knob" >"$RESULTS/bench-split-nsecs-$run.txt"
	# The walk, three times: the fastest is the floor.
	for i in 1 2 3; do
		collapsectl collapse --dry-run --range "$start-$end" --json \
			>"$RESULTS/bench-walk-$run-$i.json" || fail "dry-run collapse failed"
	done
	collapsectl collapse --range "$start-$end" --json \
		>"$RESULTS/bench-collapse-$run.json" || fail "collapse failed"
	collapsectl status --range "$start-$end" --json >"$RESULTS/bench-after-$run.json" ||
		fail "status --range failed"
	note "run $run: split $(cat "$RESULTS/bench-split-nsecs-$run.txt") ns," \
		"collapse $(json_field nsecs "$RESULTS/bench-collapse-$run.json") ns"
	run=$((run + 1))
done
cat /proc/meminfo >"$RESULTS/bench-meminfo.txt"
