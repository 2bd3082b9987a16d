#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# steady (full-system guest, BBML3): collapsed under its shipped unit while
# secretmem churn never stops (secretmem-churn's steady mode: a new region
# every INTERVAL ms, each freed LIFETIME ms later, for SECS seconds).
# Every 2 seconds the linear map's leaves and its ideal are sampled
# (collapsectl status --json, a walk); at the end the daemon's CPU time
# over the window, its status document and a snapshot (checked against
# ptdump on the host) are saved.  The workload and yardstick of steady
# churn (tests/bench/steady-bench); it fails only when something does
# not run, never on a figure.
#
#   steady.sh [SECS [INTERVAL_MS [LIFETIME_MS]]]   (defaults 300 300 3000)
. /usr/lib/linmap-guest.sh

secs=${1:-300}
interval=${2:-300}
lifetime=${3:-3000}
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

secretmem-churn --interval "$interval" --lifetime "$lifetime" --duration "$secs" \
	--regions 256 --max-pages 64 --seed 5 --quiet >"$RESULTS/steady-churn.txt" 2>&1 &
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
collapsectl daemon --json >"$RESULTS/steady-daemon.json" ||
	fail "collapsectl daemon --json failed"
cat "$figures"
snapshot end
note "ok"
