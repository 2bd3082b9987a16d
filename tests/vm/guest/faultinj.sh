#!/bin/sh
# shellcheck disable=SC3043 # busybox ash has local
# SPDX-License-Identifier: GPL-2.0
#
# faultinj: page-table allocations fail while the linear map is split and
# collapses race with the splits.  fail_page_alloc, with its task filter,
# fails a fifth of this shell's page allocations while it is inside a write
# to the split_to_ptes or permission_churn knob (make-it-fail is set just
# around each write, so nothing else of the shell's is failed); a collapse
# loop and a statistics loop run beside it, not failed.  Saved: the counts
# (faultinj.txt), a snapshot after the failures (counters, walk, ptdump and
# DirectMap lines must agree however a split ended) and one after a final
# full collapse (must be at the ideal).
#
#   faultinj.sh [ROUNDS]   (default 300)
. /lib/linmap-guest.sh

rounds=${1:-300}
fpa=/sys/kernel/debug/fail_page_alloc
knob=/sys/kernel/debug/linmap/split_to_ptes
churn=/sys/kernel/debug/linmap/permission_churn
[ -d "$fpa" ] || fail "no $fpa (CONFIG_FAIL_PAGE_ALLOC, CONFIG_FAULT_INJECTION_DEBUG_FS)"
[ -w "$knob" ] || fail "no $knob (CONFIG_ARM64_LINMAP_DEBUGFS)"
record_page_size

# The top 1 GiB of RAM, away from the kernel image at the bottom.
ram_end=$(sed -n 's/^\([0-9a-f]*\)-\([0-9a-f]*\) : System RAM$/\2/p' /proc/iomem | tail -n1)
[ -n "$ram_end" ] || fail "no System RAM in /proc/iomem"
top=$((0x$ram_end + 1))
base=$((top - 0x40000000))

snapshot before

times=1000000
echo Y >"$fpa/task-filter"
echo N >"$fpa/ignore-gfp-wait"
echo N >"$fpa/ignore-gfp-highmem"
echo 0 >"$fpa/min-order"
echo 1 >"$fpa/interval"
echo 0 >"$fpa/verbose"
echo $times >"$fpa/times"
echo 20 >"$fpa/probability"

# Beside the failing writes: collapses and statistics, not failed (forked
# before make-it-fail is ever set, and it is per task).
stop=/tmp/faultinj-stop
rm -f "$stop"
(
	n=0
	while [ ! -e "$stop" ]; do
		collapsectl collapse --json >/dev/null || exit 1
		n=$((n + 1))
	done
	echo "collapses: $n"
) >"$RESULTS/faultinj-collapse-loop.txt" 2>&1 &
coll=$!
(
	n=0
	while [ ! -e "$stop" ]; do
		collapsectl status --counts --json >/dev/null || exit 1
		n=$((n + 1))
	done
	echo "stats: $n"
) >"$RESULTS/faultinj-stats-loop.txt" 2>&1 &
stats=$!

# failing CMD...: run the shell builtin CMD with this task's page
# allocations failed at the set probability.  No fork in between.
failing() {
	local r
	echo 1 >/proc/self/make-it-fail
	"$@"
	r=$?
	echo 0 >/proc/self/make-it-fail
	return $r
}
split_range() { echo "$1 $2" >"$knob"; }
permission_churn() { echo 16 >"$churn"; }

split_ok=0 split_failed=0 churn_ok=0 churn_failed=0
errs=/tmp/faultinj-errors.txt
: >"$errs"
i=0
while [ $i -lt "$rounds" ]; do
	# 2 to 12 MiB, at a page offset inside a 16 MiB slot: PUD, PMD and
	# contiguous ranges all split
	s=$((base + (i % 64) * 0x1000000 + (i * 37 % 512) * 4096))
	e=$((s + 0x200000 + (i % 6) * 0x200000))
	if failing split_range $s $e 2>>"$errs"; then
		split_ok=$((split_ok + 1))
	else
		split_failed=$((split_failed + 1))
	fi
	if failing permission_churn 2>>"$errs"; then
		churn_ok=$((churn_ok + 1))
	else
		churn_failed=$((churn_failed + 1))
	fi
	i=$((i + 1))
done
echo 0 >"$fpa/probability"
left=$(cat "$fpa/times")
touch "$stop"
rc=0
wait $coll || { note "the collapse loop failed"; rc=1; }
wait $stats || { note "the statistics loop failed"; rc=1; }

{
	echo "injected failures: $((times - left))"
	echo "splits: $split_ok succeeded, $split_failed failed"
	echo "permission churns: $churn_ok succeeded, $churn_failed failed"
	echo "permission churn, last run: $(cat "$churn")"
	cat "$RESULTS/faultinj-collapse-loop.txt" "$RESULTS/faultinj-stats-loop.txt"
	# every failed write says why: ENOMEM, nothing else
	echo "other errors: $(grep -vc 'Cannot allocate memory' "$errs")"
} >"$RESULTS/faultinj.txt"
cp "$errs" "$RESULTS/faultinj-errors.txt"
cat "$RESULTS/faultinj.txt"
[ $rc = 0 ] || fail "a loop beside the failing splits failed"

snapshot after-faults
collapsectl collapse --full --json >"$RESULTS/collapse.json" || fail "the final collapse failed"
snapshot final
note "ok"
