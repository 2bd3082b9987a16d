#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# disturb START END (BBML3 machine, CONFIG_ARM64_LINMAP_DEBUGFS): what a
# collapse of the linear map costs the secretmem faults and permission
# changes that run beside it.  [START, END) is split to pages before each
# collapse; tests/bench/disturb-bench prints the figures.
#
# Three cases, each measured with fault-latency (first touches of
# memfd_secret pages) and with the permission_churn knob (set_memory_ro()
# and set_memory_rw() of a vmalloc page, whose linear alias changes):
#   none    nothing else runs;
#   daemon  the collapse collapsed makes: the default request (marked
#           regions only), stepped with the kernel's default budget;
#   whole   a full scan of the whole map (--full), in the same steps.
# The faults are timed while the collapse runs (--while-pid); the churn is
# sized from the fault run's collapse time, so that it lasts about as long.
. /lib/linmap-guest.sh

[ $# = 2 ] || fail "usage: disturb.sh START END"
start=$1 end=$2
knob=/sys/kernel/debug/linmap/split_to_ptes
churn=/sys/kernel/debug/linmap/permission_churn
[ -w "$knob" ] || fail "no $knob (CONFIG_ARM64_LINMAP_DEBUGFS)"

# centiseconds since boot
now_cs() { sed 's/^\([0-9]*\)\.\([0-9][0-9]\).*/\1\2/' /proc/uptime; }

fault-latency --faults 5000 >"$RESULTS/disturb-faults-none.json" ||
	fail "fault-latency failed"
t0=$(now_cs)
echo 2000 >"$churn" || fail "permission churn failed"
t1=$(now_cs)
cat "$churn" >"$RESULTS/disturb-perm-none.txt"
# permission changes (pairs) per centisecond, at least 1
rate=$((2000 / ($t1 - $t0 + 1)))
[ "$rate" -ge 1 ] || rate=1

for case in daemon whole; do
	case $case in
	daemon) args="" ;;
	whole) args="--full" ;;
	esac
	echo "$start $end" >"$knob" || fail "splitting $start-$end failed"
	t0=$(now_cs)
	# shellcheck disable=SC2086 # args is a word list
	collapsectl collapse $args --json >"$RESULTS/disturb-collapse-$case-faults.json" &
	pid=$!
	fault-latency --faults 100 --while-pid $pid >"$RESULTS/disturb-faults-$case.json" ||
		fail "fault-latency failed"
	wait $pid || fail "collapse ($case) failed"
	t1=$(now_cs)
	n=$(((t1 - t0) * rate))
	[ "$n" -ge 500 ] || n=500
	[ "$n" -le 100000 ] || n=100000

	echo "$start $end" >"$knob" || fail "splitting $start-$end failed"
	# shellcheck disable=SC2086
	collapsectl collapse $args --json >"$RESULTS/disturb-collapse-$case-perm.json" &
	pid=$!
	echo "$n" >"$churn" || fail "permission churn failed"
	t2=$(now_cs)
	wait $pid || fail "collapse ($case) failed"
	t3=$(now_cs)
	cat "$churn" >"$RESULTS/disturb-perm-$case.txt"
	note "$case: collapse $((t1 - t0))0 ms beside the faults; churn of $n pairs" \
		"$((t2 - t1))0 ms beside a collapse of $((t3 - t1))0 ms"
done
collapsectl status --json >"$RESULTS/disturb-after.json" || fail "status failed"
