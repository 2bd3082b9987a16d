#!/bin/sh
# shellcheck disable=SC3045 # busybox ash has ulimit -l
# SPDX-License-Identifier: GPL-2.0
#
# earlysplit (BBML3 machine, booted with linmap.test_early_split=N): the
# kernel split the linear map from mem_init(), where a realm shares its
# swiotlb buffer, before timers and workqueues exist.  The boot got here
# clean (run-guest fails on any kernel report), and now:
#   - the kernel log says the early permission change succeeded;
#   - get-stats counts the splits (status-early.json);
#   - the first split event a listener receives announces every split
#     since boot, the early ones included (watch.jsonl; the host checks
#     that its new_splits is the sum of its splits and covers what
#     status-early.json counted).
. /lib/linmap-guest.sh

record_page_size
dmesg | grep 'linmap: test_early_split: ' >"$RESULTS/early.txt" ||
	fail "no 'linmap: test_early_split:' line in the kernel log (boot parameter missing?)"
cat "$RESULTS/early.txt"
grep -q 'in mem_init(): 0$' "$RESULTS/early.txt" ||
	fail "the early split failed: $(cat "$RESULTS/early.txt")"
collapsectl status --json >"$RESULTS/status-early.json" 2>"$RESULTS/status.err" ||
	fail "collapsectl status --json failed: $(cat "$RESULTS/status.err")"

collapsectl watch --json --count 1 >"$RESULTS/watch.jsonl" 2>"$RESULTS/watch.err" &
watch=$!
sleep 1
ulimit -l unlimited
secretmem-churn --regions 16 --max-pages 16 --rounds 1 --seed 3 >"$RESULTS/churn.txt" 2>&1 ||
	fail "secretmem-churn failed: $(cat "$RESULTS/churn.txt")"
# Split events are coalesced to one a second: wait up to 10 s for it.
i=0
while kill -0 "$watch" 2>/dev/null && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
if kill -0 "$watch" 2>/dev/null; then
	kill "$watch"
	fail "no split event within 10 s"
fi
wait "$watch" || fail "collapsectl watch failed: $(cat "$RESULTS/watch.err")"
cat "$RESULTS/watch.jsonl"
note "ok"
