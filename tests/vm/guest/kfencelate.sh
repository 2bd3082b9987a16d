#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# kfencelate (BBML3 machine, booted with kfence.sample_interval=0): KFENCE
# enabled at run time (kfence_init_late()) while collapses loop.  The late
# pool is published, then split to pages under pgtable_split_lock; from
# then on KFENCE changes its pages without that lock, from atomic context.
# A collapse must never fold the pool back: it reads the pool's bounds
# under the lock.  The boot and the run stay clean (run-guest fails on any
# kernel report), KFENCE allocates from its pool, and after a final
# collapse the pool is still mapped with base pages (the host checks that
# ptdump's page-level leaves grew by at least the pool's size, and that
# stats agree with ptdump before and after).
. /lib/linmap-guest.sh

param=/sys/module/kfence/parameters/sample_interval
stats=/sys/kernel/debug/kfence/stats
record_page_size
[ "$(cat "$param")" = 0 ] || fail "KFENCE must be off at boot (kfence.sample_interval=0)"
collapsectl collapse >/dev/null 2>&1 || fail "collapse before enabling KFENCE failed"
snapshot before

rm -f /tmp/stop
(
	n=0
	while [ ! -e /tmp/stop ]; do
		collapsectl collapse >/dev/null 2>&1 || { echo "collapse $n failed" >/tmp/loop.err; exit 1; }
		n=$((n + 1))
	done
	echo "$n" >/tmp/loop.count
) &
loop=$!
sleep 1
echo 1 >"$param" || fail "enabling KFENCE at run time failed"
# Allocate and free slab objects, so that KFENCE hands out (and protects)
# pages of its pool while the collapses go on.
i=0
while [ $i -lt 300 ]; do
	ls -R /sys/kernel/debug/kfence /proc/self >/dev/null 2>&1
	i=$((i + 1))
done
sleep 2
touch /tmp/stop
wait "$loop" || fail "the collapse loop failed: $(cat /tmp/loop.err 2>/dev/null)"
note "$(cat /tmp/loop.count) collapses while KFENCE was enabled"
cat "$stats" >"$RESULTS/kfence-stats.txt" || fail "no $stats"
cat "$RESULTS/kfence-stats.txt"
grep -q '^enabled: 1' "$RESULTS/kfence-stats.txt" || fail "KFENCE did not come up"
collapsectl collapse >/dev/null 2>&1 || fail "final collapse failed"
# No new KFENCE allocations while the final picture is taken: they change
# the pool's entries under the ptdump.
echo 0 >"$param" || fail "pausing KFENCE failed"
sleep 1
snapshot after
note "ok"
