#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# disturb START END [ROUNDS] (BBML3 machine, CONFIG_ARM64_LINMAP_DEBUGFS):
# what a collapse of the linear map costs the secretmem faults and
# permission changes that run beside it.  [START, END) is split to pages
# before each collapse; tests/bench/disturb-bench prints the figures.
#
# Four cases, each measured with fault-latency (first touches of
# memfd_secret pages) and with the permission_churn knob (set_memory_ro()
# and set_memory_rw() of a vmalloc page, whose linear alias changes):
#   none    nothing else runs;
#   daemon  the collapse collapsed makes: the default request (marked
#           regions only), stepped with the kernel's default budget;
#   busy    the control: dd from /dev/zero to /dev/null for as long as
#           the round's daemon collapse took (its nsecs), after the same
#           split, which
#           keeps the other vCPU busy without changing the linear map or
#           taking pgtable_split_lock (what a busy neighbour alone costs
#           under QEMU TCG);
#   whole   a full scan of the whole map (--full), in the same steps.
# The faults are timed while the collapse runs (--while-pid); the churn is
# sized from the fault run's collapse time, so that it lasts about as long.
# The four cases are taken ROUNDS times (default 1) in turn, in that order,
# so that each round's cases meet the same load on the host: compare a
# case with its own round's "none".  Results are named CASE-ROUND.
. /lib/linmap-guest.sh

[ $# = 2 ] || [ $# = 3 ] || fail "usage: disturb.sh START END [ROUNDS]"
start=$1 end=$2 rounds=${3:-1}
knob=/sys/kernel/debug/linmap/split_to_ptes
churn=/sys/kernel/debug/linmap/permission_churn
[ -w "$knob" ] || fail "no $knob (CONFIG_ARM64_LINMAP_DEBUGFS)"

# centiseconds since boot
now_cs() { sed 's/^\([0-9]*\)\.\([0-9][0-9]\).*/\1\2/' /proc/uptime; }

# Split the range to pages, for a collapse to rebuild.
split() {
	echo "$start $end" >"$knob" || fail "splitting $start-$end failed"
}

# What runs beside the measurement in case $case, writing what it did to
# disturb-collapse-$1.json.
# The busy case runs for $2 microseconds.
beside() {
	if [ "$case" = busy ]; then
		dd if=/dev/zero of=/dev/null bs=64k 2>/dev/null &
		ddpid=$!
		usleep "$2"
		kill "$ddpid"
		wait "$ddpid" 2>/dev/null
		return 0
	fi
	# shellcheck disable=SC2086 # args is a word list
	collapsectl collapse $args --json >"$RESULTS/disturb-collapse-$1.json"
}

# A collapse's own time in microseconds, from its reply
collapse_us() {
	ns=$(sed -n 's/.*"nsecs":[[:space:]]*\([0-9][0-9]*\).*/\1/p' "$1" | head -n1)
	echo $((${ns:-0} / 1000 + 1))
}

round=1
while [ $round -le "$rounds" ]; do
	fault-latency --faults 5000 >"$RESULTS/disturb-faults-none-$round.json" ||
		fail "fault-latency failed"
	t0=$(now_cs)
	echo 2000 >"$churn" || fail "permission churn failed"
	t1=$(now_cs)
	cat "$churn" >"$RESULTS/disturb-perm-none-$round.txt"
	# permission changes (pairs) per centisecond, at least 1
	rate=$((2000 / (t1 - t0 + 1)))
	[ "$rate" -ge 1 ] || rate=1

	for case in daemon busy whole; do
		r=$case-$round
		case $case in
		daemon) args="" ;;
		whole) args="--full" ;;
		esac
		split
		t0=$(now_cs)
		beside "$r-faults" "${faults_us:-1}" &
		pid=$!
		fault-latency --faults 100 --while-pid $pid >"$RESULTS/disturb-faults-$r.json" ||
			fail "fault-latency failed"
		wait $pid || fail "$case failed"
		t1=$(now_cs)
		n=$(((t1 - t0) * rate))
		[ "$n" -ge 500 ] || n=500
		[ "$n" -le 100000 ] || n=100000

		split
		tp=$(now_cs)
		beside "$r-perm" "${perm_us:-1}" &
		pid=$!
		echo "$n" >"$churn" || fail "permission churn failed"
		t2=$(now_cs)
		wait $pid || fail "$case failed"
		t3=$(now_cs)
		cat "$churn" >"$RESULTS/disturb-perm-$r.txt"
		# how long the daemon case's collapses took: the busy case's windows
		if [ $case = daemon ]; then
			faults_us=$(collapse_us "$RESULTS/disturb-collapse-$r-faults.json")
			perm_us=$(collapse_us "$RESULTS/disturb-collapse-$r-perm.json")
		fi
		note "round $round, $case: $((t1 - t0))0 ms beside the faults;" \
			"churn of $n pairs $((t2 - tp))0 ms beside $((t3 - tp))0 ms of $case"
	done
	round=$((round + 1))
done
collapsectl status --json >"$RESULTS/disturb-after.json" || fail "status failed"
