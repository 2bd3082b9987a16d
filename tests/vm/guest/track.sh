#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# track START SIZE (BBML3 machine, CONFIG_ARM64_LINMAP_DEBUGFS): what a
# collapse reads after churn confined to SIZE bytes at START, with split
# tracking (the default: marked regions only) and with a full scan.
# tests/bench/track-bench prints the figures.
#
#   1. hold secretmem pages (their blocks stay split) and collapse
#      everything (a full scan): every region is then at its ideal and
#      unmarked;
#   2. split [START, START + SIZE) to pages (the churn), collapse with the
#      default request (marked regions only, stepped with the kernel's
#      default budget, as collapsed does): track-collapse.json;
#   3. the same churn again, then a full scan: track-full.json.
. /lib/linmap-guest.sh

[ $# = 2 ] || fail "usage: track.sh START SIZE"
start=$1 size=$2
end=$(printf '0x%x' $((start + size)))
knob=/sys/kernel/debug/linmap/split_to_ptes
[ -w "$knob" ] || fail "no $knob (CONFIG_ARM64_LINMAP_DEBUGFS)"

# Secretmem held for the whole test keeps the blocks around its pages
# split, as a server's long-lived secrets do: a full scan rereads those
# tables every time, a tracked collapse only when their region changed.
secretmem-churn --regions 64 --max-pages 64 --rounds 8 --quiet --hold /tmp/held \
	>"$RESULTS/track-churn.txt" 2>&1 &
wait_for_file /tmp/held 120 $! || fail "secretmem-churn did not start holding"
collapsectl collapse --full --json >"$RESULTS/track-initial.json" ||
	fail "initial collapse failed"
collapsectl status --counts --json >"$RESULTS/track-clean.json" || fail "status failed"

# One churn and collapse first, unmeasured: under TCG the first run of
# the fold code pays for its translation.
echo "$start $end" >"$knob" || fail "splitting $start-$end failed"
collapsectl collapse --json >/dev/null || fail "warm-up collapse failed"

echo "$start $end" >"$knob" || fail "splitting $start-$end failed"
collapsectl status --counts --json >"$RESULTS/track-churned.json" || fail "status failed"
collapsectl collapse --json >"$RESULTS/track-collapse.json" || fail "collapse failed"

echo "$start $end" >"$knob" || fail "splitting $start-$end failed"
collapsectl collapse --full --json >"$RESULTS/track-full.json" || fail "full collapse failed"
collapsectl status --json >"$RESULTS/track-after.json" || fail "status failed"
