#!/bin/sh
# shellcheck disable=SC3043,SC3045 # busybox ash has local and ulimit -l
# SPDX-License-Identifier: GPL-2.0
#
# stress [SECS] (BBML3 machine, ideally the debug kernel: lockdep, DEBUG_VM):
# for a bounded time, run concurrently
#   - two secretmem-churn processes (each writes and verifies its regions),
#   - linear-map permission traffic (debugfs permission_churn:
#     set_memory_ro/rw on vmalloc pages, which changes their linear alias),
#   - a collapse loop and a statistics loop;
# then require every process to have succeeded, a final collapse, and
# (host checker) restoration 1.00 and a clean kernel log (run-guest fails
# on any WARNING/BUG/Oops/lockdep report).
. /lib/linmap-guest.sh

secs=${1:-60}
knob=/sys/kernel/debug/linmap/permission_churn
[ -w "$knob" ] || fail "no $knob (CONFIG_ARM64_LINMAP_DEBUGFS)"
record_page_size
ulimit -l unlimited
end=$(($(date +%s) + secs))

pids=''
for seed in 11 12; do
	secretmem-churn --regions 64 --max-pages 64 --rounds 0 --duration "$secs" \
		--seed $seed --quiet >"$RESULTS/churn-$seed.txt" 2>&1 &
	pids="$pids $!"
done

# run_until_end WHAT STEP CMD...: run CMD until the deadline; then print
# "WHAT: N", N = STEP times the number of runs.  A failing CMD ends it (1).
run_until_end() {
	local what="$1" step="$2" n=0
	shift 2
	while [ "$(date +%s)" -lt "$end" ]; do
		"$@" || exit 1
		n=$((n + step))
	done
	echo "$what: $n"
}
permission_churn() { echo 64 >"$knob"; }
collapse_once() { collapsectl collapse --json >/dev/null; }
stats_once() { collapsectl status --json >/dev/null; }

run_until_end "permission changes" 64 permission_churn \
	>"$RESULTS/permission-churn.txt" 2>&1 &
perm=$!
run_until_end collapses 1 collapse_once \
	>"$RESULTS/collapse-loop.txt" 2>&1 &
coll=$!
run_until_end stats 1 stats_once \
	>"$RESULTS/stats-loop.txt" 2>&1 &
stats=$!

rc=0
for p in $pids; do
	wait "$p" || { note "secretmem-churn $p failed (exit $?)"; rc=1; }
done
wait $perm || { note "permission churn failed"; rc=1; }
wait $coll || { note "collapse loop failed"; rc=1; }
wait $stats || { note "stats loop failed"; rc=1; }
cat "$RESULTS"/churn-*.txt "$RESULTS/permission-churn.txt" \
	"$RESULTS/collapse-loop.txt" "$RESULTS/stats-loop.txt"
[ $rc = 0 ] || fail "a stress process failed"

collapsectl collapse --json >"$RESULTS/collapse.json" || fail "final collapse failed"
snapshot final
note "ok"
