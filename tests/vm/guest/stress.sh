#!/bin/sh
# shellcheck disable=SC3045 # busybox ash has ulimit -l
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

(
	n=0
	while [ "$(date +%s)" -lt $end ]; do
		echo 64 >"$knob" || exit 1
		n=$((n + 64))
	done
	echo "permission changes: $n"
) >"$RESULTS/permission-churn.txt" 2>&1 &
perm=$!

(
	n=0
	while [ "$(date +%s)" -lt $end ]; do
		collapsectl collapse --json >/tmp/c.json || exit 1
		n=$((n + 1))
	done
	echo "collapses: $n"
) >"$RESULTS/collapse-loop.txt" 2>&1 &
coll=$!

(
	n=0
	while [ "$(date +%s)" -lt $end ]; do
		collapsectl status --json >/dev/null || exit 1
		n=$((n + 1))
	done
	echo "stats: $n"
) >"$RESULTS/stats-loop.txt" 2>&1 &
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
