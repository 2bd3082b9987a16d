#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# statsbench START END (BBML3 machine, CONFIG_ARM64_LINMAP_DEBUGFS): the cost
# of one whole-map get-stats, from the kernel's counters and from a walk,
# with the linear map as booted and after [START, END) is split to pages.
# tests/bench/stats-bench prints the figures.
. /lib/linmap-guest.sh

[ $# = 2 ] || fail "usage: statsbench.sh START END"
knob=/sys/kernel/debug/linmap/split_to_ptes
[ -w "$knob" ] || fail "no $knob (CONFIG_ARM64_LINMAP_DEBUGFS)"

stats-loop 200 >"$RESULTS/stats-unsplit.json" || fail "stats-loop failed"
echo "$1 $2" >"$knob" || fail "splitting $1-$2 failed"
stats-loop 200 >"$RESULTS/stats-split.json" || fail "stats-loop failed"
note "unsplit $(cat "$RESULTS/stats-unsplit.json")"
note "split $(cat "$RESULTS/stats-split.json")"
