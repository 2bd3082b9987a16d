# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC3043 # busybox ash has local
# Helpers for the guest test scripts (/lib/linmap-guest.sh in the guest).
# Sourced, not run.  $RESULTS is the 9p results directory (set by /init).

RESULTS=${RESULTS:-/results}
PTDUMP=/sys/kernel/debug/kernel_page_tables
TEST=$(basename "$0" .sh)

fail() {
	echo "FAIL: $TEST: $*" >&2
	exit 1
}

note() { echo "$TEST: $*"; }

# The base page size, for the host-side ptdump parser when no caps exist.
record_page_size() {
	sed -n 's/^KernelPageSize: *\([0-9]*\) kB/\1K/p' /proc/self/smaps | head -n1 \
		>"$RESULTS/page-size.txt"
}

# snapshot NAME [--ptdump-only]: save `collapsectl status --json` (as root:
# a walk of the linear map) as status-NAME.json and the page tables as
# ptdump-NAME.txt, taken as a pair: stats, then ptdump, then stats again; if
# the two stats differ the linear map changed under the ptdump, so take the
# pair again (three tries).  The second stats are kept as
# status-NAME-recheck.json for the host checker.  Inside the pair, next to
# the ptdump, also the kernel's counters (`collapsectl status --counts
# --json`, no walk) as counts-NAME.json and the DirectMap lines of
# /proc/meminfo (from the same counters) as meminfo-NAME.txt: the host
# compares them with the walk and the ptdump.  A meminfo without DirectMap
# lines is saved empty (the host check fails it, by granule).
snapshot() {
	local name="$1" try=1
	if [ "${2:-}" = --ptdump-only ]; then
		cat "$PTDUMP" >"$RESULTS/ptdump-$name.txt" || fail "cannot read $PTDUMP"
		return
	fi
	while :; do
		collapsectl status --json >/tmp/stats-1.json 2>/tmp/stats.err ||
			fail "collapsectl status --json failed ($(cat /tmp/stats.err))"
		cat "$PTDUMP" >/tmp/ptdump.txt || fail "cannot read $PTDUMP"
		collapsectl status --counts --json >/tmp/counts.json 2>/tmp/stats.err ||
			fail "collapsectl status --counts --json failed ($(cat /tmp/stats.err))"
		grep '^DirectMap' /proc/meminfo >/tmp/meminfo.txt ||
			: >/tmp/meminfo.txt
		collapsectl status --json >/tmp/stats-2.json 2>/tmp/stats.err ||
			fail "collapsectl status --json failed ($(cat /tmp/stats.err))"
		cmp -s /tmp/stats-1.json /tmp/stats-2.json && break
		if [ $try -ge 3 ]; then
			note "snapshot $name: stats still changing after $try tries; keeping the last pair"
			break
		fi
		try=$((try + 1))
	done
	# The layout the host needs to compute the ideal on its own
	# (check_results.py host_layout()): once per test.
	if [ ! -f "$RESULTS/iomem.txt" ]; then
		cat /proc/iomem >"$RESULTS/iomem.txt"
		grep -E ' (_text|_stext|__init_begin|__init_end|__bss_stop)$' /proc/kallsyms \
			>"$RESULTS/kallsyms.txt" || true
	fi
	cp /tmp/stats-1.json "$RESULTS/status-$name.json"
	cp /tmp/stats-2.json "$RESULTS/status-$name-recheck.json"
	cp /tmp/ptdump.txt "$RESULTS/ptdump-$name.txt"
	cp /tmp/counts.json "$RESULTS/counts-$name.json"
	cp /tmp/meminfo.txt "$RESULTS/meminfo-$name.txt"
	note "snapshot $name taken (try $try)"
}

# wait_for_file FILE SECS [PID]: until FILE is non-empty; fails after SECS
# seconds, or as soon as process PID has gone.
wait_for_file() {
	local i=0
	while [ ! -s "$1" ]; do
		[ $i -ge $(($2 * 10)) ] && return 1
		[ -n "${3:-}" ] && ! kill -0 "$3" 2>/dev/null && return 1
		sleep 0.1
		i=$((i + 1))
	done
}

# json FILE EXPR: print a Python expression over the JSON value `j` read
# from FILE (full-system guest only: the busybox guest has no python3).
json() {
	python3 -c 'import json, sys; j = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$@"
}

# idle_wakeups UNIT SECS (full-system guest): watch UNIT's main process for
# SECS seconds and print "WAKEUPS PINGS NONVOLUNTARY CPU_MS ELAPSED_MS":
# its wakeups (voluntary context switches, one each time it goes back to
# sleep), the watchdog pings systemd received from it in the same window
# (changes of the unit's WatchdogTimestampMonotonic, polled every half
# second; asking PID 1 does not wake the daemon), its involuntary context
# switches, its CPU time and the window's length.
idle_wakeups() {
	local unit="$1" secs="$2" pid ts last pings=0 v0 n0 c0 t0 end
	pid=$(systemctl show -P MainPID "$unit")
	last=$(systemctl show -P WatchdogTimestampMonotonic "$unit")
	v0=$(awk '$1 == "voluntary_ctxt_switches:" { print $2 }' "/proc/$pid/status")
	n0=$(awk '$1 == "nonvoluntary_ctxt_switches:" { print $2 }' "/proc/$pid/status")
	c0=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
	t0=$(date +%s%N)
	end=$((t0 + secs * 1000000000))
	while [ "$(date +%s%N)" -lt "$end" ]; do
		sleep 0.5
		ts=$(systemctl show -P WatchdogTimestampMonotonic "$unit")
		if [ "$ts" != "$last" ]; then
			pings=$((pings + 1))
			last=$ts
		fi
	done
	echo "$(($(awk '$1 == "voluntary_ctxt_switches:" { print $2 }' "/proc/$pid/status") - v0))" \
		"$pings" \
		"$(($(awk '$1 == "nonvoluntary_ctxt_switches:" { print $2 }' "/proc/$pid/status") - n0))" \
		"$((($(awk '{ print $14 + $15 }' "/proc/$pid/stat") - c0) * 1000 / $(getconf CLK_TCK)))" \
		"$((($(date +%s%N) - t0) / 1000000))"
}
