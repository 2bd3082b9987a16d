#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# steady (full-system guest, BBML3): collapsed under its shipped unit while
# secretmem churn never stops (secretmem-churn's steady mode: a new region
# every INTERVAL ms, each freed LIFETIME ms later, for SECS seconds).
# Every 2 seconds the linear map's leaves and its ideal are sampled
# (collapsectl status --json, a walk); at the end the daemon's CPU time
# over the window, its status document and a snapshot (checked against
# ptdump on the host) are saved, with the kernel's ping-pongs per minute
# and the kernel time of the daemon's collapses.  The workload and
# yardstick of steady churn (tests/bench/steady-bench).  It never fails on
# a figure; it fails when the behaviour is missing: in the default mode
# the daemon must have made steady runs whose minimum age left young page
# tables alone, and once the churn stops the map must reach its ideal.
#
#   steady.sh [SECS [INTERVAL_MS [LIFETIME_MS [MODE [MAX_PAGES]]]]]
#             (defaults 300 300 3000 steady 64)
# MODE: steady (the shipped configuration), nobackoff (quiet_period_max =
# quiet_period: the minimum age never grows), quiet (steady_interval = 0:
# wait for all of memory to be quiet, the policy before steady runs).
. /usr/lib/linmap-guest.sh

secs=${1:-300}
interval=${2:-300}
lifetime=${3:-3000}
mode=${4:-steady}
max_pages=${5:-64}	# pages per region, 1 to this many
conf=/etc/linmap/collapsed.conf
case "$mode" in
steady) ;;
nobackoff) printf '[collapse]\nquiet_period_max = 5s\n' >"$conf" ;;
quiet) printf '[collapse]\nsteady_interval = 0\n' >"$conf" ;;
*) fail "unknown mode '$mode' (steady, nobackoff, quiet)" ;;
esac
figures="$RESULTS/steady-figures.txt"
: >"$figures"
figure() { echo "$1=$2" >>"$figures"; note "$1 = $2"; }
record_page_size

systemctl start collapsed.service ||
	fail "systemctl start collapsed failed: $(systemctl status --no-pager collapsed 2>&1 | tail -n 20)"
pid=$(systemctl show -P MainPID collapsed.service)
[ -n "$pid" ] && [ "$pid" != 0 ] || fail "collapsed has no main PID"
# utime + stime of PID, in clock ticks
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
cpu0=$(cpu_ticks "$pid")
t0=$(date +%s.%N)
# the kernel's ping-pongs since boot (the counters: no walk)
pingpongs() {
	collapsectl status --counts --json |
		python3 -c 'import json, sys; print(json.load(sys.stdin)["stats"]["pingpongs"])'
}
pp0=$(pingpongs) || fail "no ping-pong count from the kernel"

secretmem-churn --interval "$interval" --lifetime "$lifetime" --duration "$secs" \
	--regions 256 --max-pages "$max_pages" --seed 5 --quiet >"$RESULTS/steady-churn.txt" 2>&1 &
churn=$!
samples="$RESULTS/steady-samples.txt"
: >"$samples"
while kill -0 "$churn" 2>/dev/null; do
	if collapsectl status --json >/tmp/st.json 2>/tmp/st.err; then
		python3 - "$t0" >>"$samples" <<'PY'
import json, sys, time
s = json.load(open("/tmp/st.json"))["stats"]
print(f"{time.time() - float(sys.argv[1]):.2f} {s['leaves_total']} {s['ideal_leaves']}")
PY
	else
		note "status failed: $(cat /tmp/st.err)"
	fi
	sleep 2
done
wait "$churn" || fail "secretmem-churn failed: $(cat "$RESULTS/steady-churn.txt")"
t1=$(date +%s.%N)
cpu1=$(cpu_ticks "$pid")
pp1=$(pingpongs) || fail "no ping-pong count from the kernel"
[ "$(systemctl show -P MainPID collapsed.service)" = "$pid" ] ||
	fail "collapsed restarted during the churn"
cat "$RESULTS/steady-churn.txt"

python3 - "$samples" >>"$figures" <<'PY'
import sys
rows = [tuple(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
ratios = [leaves / ideal for _, leaves, ideal in rows if ideal > 0]
if ratios:
    print(f"samples={len(ratios)}")
    print(f"mean_leaves_over_ideal={sum(ratios) / len(ratios):.3f}")
    print(f"min_leaves_over_ideal={min(ratios):.3f}")
    print(f"max_leaves_over_ideal={max(ratios):.3f}")
PY
grep -q '^samples=' "$figures" || fail "no samples of the linear map"
window=$(python3 -c "print(f'{$t1 - $t0:.1f}')")
cpu_ms=$(((cpu1 - cpu0) * 1000 / hz))
figure window_s "$window"
figure daemon_cpu_ms "$cpu_ms"
figure daemon_cpu_percent "$(python3 -c "print(f'{$cpu_ms / 10 / $window:.3f}')")"
figure pingpongs "$((pp1 - pp0))"
figure pingpongs_per_minute "$(python3 -c "print(f'{($pp1 - $pp0) * 60 / $window:.1f}')")"
collapsectl daemon --json >"$RESULTS/steady-daemon.json" ||
	fail "collapsectl daemon --json failed"
python3 - "$RESULTS/steady-daemon.json" >>"$figures" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))["totals"]
print(f"kernel_collapse_ms={t['nsecs'] / 1e6:.1f}")
print(f"steady_runs={t['steady_runs']}")
print(f"steady_deferred={t['steady_deferred']}")
print(f"young_tables={t['young']}")
print(f"collapses={t['collapses']}")
a = json.load(open(sys.argv[1]))["policy"].get("restoration_average")
print(f"daemon_restoration_average={a:.3f}" if a is not None else "daemon_restoration_average=none")
PY
cat "$figures"
if [ "$mode" != quiet ]; then
	runs=$(sed -n 's/^steady_runs=//p' "$figures")
	young=$(sed -n 's/^young_tables=//p' "$figures")
	[ "$runs" -gt 0 ] || fail "the daemon made no steady run while the churn never stopped"
	[ "$young" -gt 0 ] || fail "no steady run left a young page table alone (no minimum age?)"
fi
# Churn over: the daemon's quiet-period collapse restores the map.
quiet=$(json "$RESULTS/steady-daemon.json" 'j["policy"]["quiet_period"]')
deadline=$(python3 -c "import time; print(time.time() + 2 * $quiet + 30)")
restored=0
while python3 -c "import sys, time; sys.exit(time.time() > $deadline)"; do
	collapsectl status --json >/tmp/st.json 2>/dev/null &&
		[ "$(json /tmp/st.json 'j["stats"]["leaves_total"] == j["stats"]["ideal_leaves"]')" = True ] &&
		{ restored=1; break; }
	sleep 1
done
[ "$restored" = 1 ] || fail "the map did not reach its ideal within two quiet periods (+30 s) of the churn's end: $(cat /tmp/st.json)"
snapshot end
note "ok"
