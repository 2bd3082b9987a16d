#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# daemon (full-system guest, BBML3): collapsed under systemd 252 as PID 1,
# installed by meson with its shipped units and configuration.
#   1. systemd-analyze security collapsed.service: exposure at most 2.0.
#   2. systemctl start collapsed: active only after READY=1, with a STATUS=
#      line; the status socket answers.
#   3. secretmem churn; nobody runs collapsectl collapse; the linear map is
#      back at its ideal leaf count within two quiet periods of the end of
#      the churn (snapshot "restored" is checked against ptdump on the host);
#      its metrics file (read on the host by node_exporter and promtool).
#   3d. secretmem held past two quiet periods (the daemon collapses
#      around it and goes idle), then freed: the free splits nothing, and
#      only the kernel's change event tells the daemon; the map is back at
#      its ideal within two quiet periods in force (the hold's splits may
#      have put the daemon in backoff) of the free.
#   4. an idle window of IDLE seconds (argument 1, default 30, at least
#      25) under WatchdogSec=10s (a drop-in for the measurement: the
#      window holds at least two watchdog intervals, five pings at 5s):
#      the daemon's wakeups, the watchdog pings systemd saw apart, CPU
#      time and RSS; every wakeup but the pings (one of slack) fails.
#   5. an unprivileged user cannot read the status socket (mode 0660).
#   6. SIGHUP (systemctl reload) with a broken configuration: the daemon
#      keeps running with the old one and reports the error with file:line.
#   7. socket activation: with the service stopped, the first connection to
#      collapsed.socket starts it and is answered.
#   8. the watchdog: with WatchdogSec=4s (a drop-in), SIGSTOP on the daemon
#      makes systemd restart it.
#   9. a pkey boundary (debugfs knob of the test kernel) shows as pkey
#      skips in the daemon's status document (outside a realm the knob
#      refuses a realm boundary).
#  10. a broken configuration at start: collapsed exits 78 (EX_CONFIG) and
#      systemd does not restart it (RestartPreventExitStatus=78); the
#      journal names file:line; once fixed, it starts again.
# Figures for tests/bench/daemon-bench go to daemon-figures.txt.
. /usr/lib/linmap-guest.sh

idle=${1:-30}
conf=/etc/linmap/collapsed.conf
figures="$RESULTS/daemon-figures.txt"
: >"$figures"
figure() { echo "$1=$2" >>"$figures"; note "$1 = $2"; }
now() { date +%s.%N; }
prop() { systemctl show -P "$1" "$2"; }
daemon_json() {
	collapsectl daemon --json >"$1" 2>"$1.err" || fail "collapsectl daemon --json failed: $(cat "$1.err")"
}
record_page_size

# 1. The unit's exposure.
systemd-analyze security --no-pager collapsed.service >"$RESULTS/security.txt" 2>&1 ||
	fail "systemd-analyze security failed: $(tail -n 3 "$RESULTS/security.txt")"
exposure=$(sed -n 's/.*Overall exposure level for collapsed.service: *\([0-9.]*\).*/\1/p' "$RESULTS/security.txt")
[ -n "$exposure" ] || fail "no exposure level in systemd-analyze security's output"
figure exposure "$exposure"
python3 -c "import sys; sys.exit(0 if float('$exposure') <= 2.0 else 1)" ||
	fail "collapsed.service exposure $exposure is above 2.0"

# 2. Start: Type=notify, so "active" means READY=1 arrived.  With a
#    metrics file for node_exporter's textfile collector (the test kernel
#    has no IPv4 for node_exporter to listen on: the host reads the copy
#    with node_exporter and promtool, check_results.py daemon).
[ -f "$conf" ] || fail "meson did not install $conf"
printf '\n[metrics]\ntextfile = /run/collapsed/linmap.prom\n' >>"$conf"
systemctl start collapsed.service || fail "systemctl start collapsed failed: $(systemctl status --no-pager collapsed 2>&1 | tail -n 20)"
[ "$(prop ActiveState collapsed.service)" = active ] || fail "collapsed is not active after start"
[ "$(prop ActiveState collapsed.socket)" = active ] || fail "collapsed.socket is not active"
status_text=$(prop StatusText collapsed.service)
note "STATUS: $status_text"
[ -n "$status_text" ] || fail "collapsed sent no STATUS= line"
systemctl status --no-pager collapsed.service >"$RESULTS/systemctl-status.txt" 2>&1 || true
daemon_json /tmp/d0.json
state=$(json /tmp/d0.json 'j["state"]')
[ "$state" != degraded ] || fail "collapsed is degraded on a BBML3 kernel: $(json /tmp/d0.json 'j["degraded_reason"]')"
quiet=$(json /tmp/d0.json 'j["policy"]["quiet_period"]')
note "state $state, quiet period ${quiet}s"

# 3. Churn, then wait for the daemon to restore the map on its own.
secretmem-churn --regions 256 --max-pages 128 --rounds 6 --seed 3 \
	>"$RESULTS/secretmem-churn.txt" 2>&1 || fail "secretmem-churn failed"
end=$(now)
collapsectl status --json >"$RESULTS/status-churned.json" || fail "collapsectl status failed"
[ "$(json "$RESULTS/status-churned.json" 'j["stats"]["leaves_total"] > j["stats"]["ideal_leaves"]')" = True ] ||
	fail "the churn did not split the linear map"
limit=$(python3 -c "print(2 * $quiet)")
restored=
while :; do
	collapsectl status --json >/tmp/st.json || fail "collapsectl status failed"
	t=$(now)
	if [ "$(json /tmp/st.json 'j["stats"]["leaves_total"] == j["stats"]["ideal_leaves"]')" = True ]; then
		restored=$t
		break
	fi
	python3 -c "import sys; sys.exit(0 if $t - $end < $limit + 30 else 1)" || break
	sleep 0.25
done
[ -n "$restored" ] || fail "the linear map was not restored within $((${limit%.*} + 30))s: $(cat /tmp/st.json)"
took=$(python3 -c "print(f'{$restored - $end:.2f}')")
figure churn_to_restoration_s "$took"
python3 -c "import sys; sys.exit(0 if $took <= $limit else 1)" ||
	fail "restoration took ${took}s, more than two quiet periods (${limit}s)"
sleep 0.5
snapshot restored
daemon_json "$RESULTS/daemon-restored.json"
cat "$RESULTS/daemon-restored.json"
collapsectl daemon >"$RESULTS/daemon-restored.txt" || fail "collapsectl daemon failed"
cat "$RESULTS/daemon-restored.txt"

# 3b. The metrics file after the repair (the host serves the copy through
#     node_exporter and lints it with promtool: check_results.py daemon).
metrics=/run/collapsed/linmap.prom
[ -f "$metrics" ] || fail "collapsed wrote no $metrics"
[ "$(stat -c %a "$metrics")" = 644 ] || fail "$metrics is mode $(stat -c %a "$metrics"), not 644"
cp "$metrics" "$RESULTS/linmap.prom"
note "metrics: $(grep -c '^linmap_\|^collapsed_' "$RESULTS/linmap.prom") samples in $metrics"

# 3c. The journal: the collapse is an event with its MESSAGE_ID and its
#     figures as fields, and the catalog explains it (journalctl -x).
collapse_id=03713bf5520d4d57870fb6ea7a31b79e
journalctl -b -u collapsed.service MESSAGE_ID=$collapse_id -o json --no-pager \
	>"$RESULTS/journal-collapse.json" 2>&1 || true
python3 - "$RESULTS/journal-collapse.json" <<'PY' || fail "no collapse event in the journal by MESSAGE_ID (journal-collapse.json)"
import json, sys
entries = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
assert entries, "no entry"
e = entries[-1]
assert int(e["LINMAP_FOLDS"]) > 0 and int(e["LINMAP_BYTES_FREED"]) >= 0, e
assert e["PRIORITY"] == "6" and e["SYSLOG_IDENTIFIER"] == "collapsed", e
print(f"{len(entries)} collapse events; last: {e['LINMAP_FOLDS']} folds, {e['LINMAP_TABLES_FREED']} tables freed")
PY
journalctl -b -x -u collapsed.service MESSAGE_ID=$collapse_id --no-pager >"$RESULTS/journal-collapse-x.txt" 2>&1 || true
grep -q "collapsed rebuilt block mappings" "$RESULTS/journal-collapse-x.txt" ||
	fail "journalctl -x shows no catalog text for the collapse event"
note "journal: collapse events found by MESSAGE_ID, explained by the catalog"

# 3d. Freed long after its splits.  The held regions split the map when
#     they are made; the daemon waits a quiet period, collapses around
#     them (their pages are out of the linear map) and goes idle.  Their
#     free makes the pages valid again, which splits nothing: without the
#     kernel's change event the daemon would stay idle until
#     resync_interval (1h) while the map stays split.
hold=/tmp/secretmem-hold.txt
rm -f "$hold"
secretmem-churn --regions 48 --max-pages 128 --rounds 1 --seed 11 \
	--hold "$hold" >"$RESULTS/secretmem-hold.txt" 2>&1 &
holder=$!
for _ in $(seq 200); do [ -s "$hold" ] && break; sleep 0.1; done
[ -s "$hold" ] || fail "secretmem-churn --hold did not start: $(cat "$RESULTS/secretmem-hold.txt")"
held_since=$(now)
idle_seen=
while python3 -c "import sys; sys.exit(0 if $(now) - $held_since < 4 * $quiet + 30 else 1)"; do
	daemon_json /tmp/dh.json
	if [ "$(json /tmp/dh.json 'j["state"]')" = idle ] &&
		python3 -c "import sys; sys.exit(0 if $(now) - $held_since > 2 * $quiet else 1)"; then
		idle_seen=1
		break
	fi
	sleep 0.5
done
[ -n "$idle_seen" ] || fail "collapsed did not go idle with the secretmem held: $(cat /tmp/dh.json)"
changes_before=$(json /tmp/dh.json 'j["totals"]["change_events"]')
# The held regions' splits came within pingpong_window of the collapse in
# step 3, so the daemon may be in backoff: two quiet periods in force.
limit_free=$(json /tmp/dh.json '2 * j["policy"]["quiet_period"]')
kill -USR1 "$holder"
wait "$holder" || fail "secretmem-churn --hold failed: $(cat "$RESULTS/secretmem-hold.txt")"
freed=$(now)
collapsectl status --json >"$RESULTS/status-freed.json" || fail "collapsectl status failed"
[ "$(json "$RESULTS/status-freed.json" 'j["stats"]["leaves_total"] > j["stats"]["ideal_leaves"]')" = True ] ||
	fail "freeing the held secretmem left nothing to fold: $(cat "$RESULTS/status-freed.json")"
restored=
while python3 -c "import sys; sys.exit(0 if $(now) - $freed < $limit_free + 30 else 1)"; do
	collapsectl status --json >/tmp/st.json || fail "collapsectl status failed"
	if [ "$(json /tmp/st.json 'j["stats"]["leaves_total"] == j["stats"]["ideal_leaves"]')" = True ]; then
		restored=$(now)
		break
	fi
	sleep 0.25
done
[ -n "$restored" ] || fail "the map was not restored within $((${limit_free%.*} + 30))s of freeing secretmem held past the quiet period: $(cat /tmp/st.json)"
took=$(python3 -c "print(f'{$restored - $freed:.2f}')")
figure free_to_restoration_s "$took"
daemon_json "$RESULTS/daemon-freed.json"
[ "$(json "$RESULTS/daemon-freed.json" "j['totals']['change_events'] > $changes_before")" = True ] ||
	fail "collapsed counted no change event for the free: $(cat "$RESULTS/daemon-freed.json")"
python3 -c "import sys; sys.exit(0 if $took <= $limit_free else 1)" ||
	fail "restoration after the free took ${took}s, more than two quiet periods in force (${limit_free}s)"
note "secretmem held past the quiet period and freed: restored in ${took}s by a change event"

# 4. Idle: the only wakeups allowed are watchdog pings.  With the shipped
# WatchdogSec=3min a ping is due every 90s, so a shorter window would hold
# none by construction: measure under WatchdogSec=10s (pings every 5s)
# over at least two watchdog intervals, count the pings systemd received
# apart from the daemon's wakeups, and allow nothing else.
watchdog_sec=10
ping_ms=$((watchdog_sec * 1000 / 2))
[ "$idle" -ge $((2 * watchdog_sec + 5)) ] ||
	fail "the idle window (${idle}s) must hold two watchdog intervals and a ping (>= $((2 * watchdog_sec + 5))s)"
dropin=/run/systemd/system/collapsed.service.d
mkdir -p "$dropin"
printf '[Service]\nWatchdogSec=%ss\n' "$watchdog_sec" >"$dropin/idle-watchdog.conf"
systemctl daemon-reload
systemctl restart collapsed.service || fail "systemctl restart collapsed (WatchdogSec=${watchdog_sec}s) failed"
[ "$(prop WatchdogUSec collapsed.service)" = "${watchdog_sec}s" ] ||
	fail "the drop-in did not set WatchdogSec=${watchdog_sec}s: $(prop WatchdogUSec collapsed.service)"
sleep 2	# past the start's probe and first status
pid=$(prop MainPID collapsed.service)
read -r wakeups pings nonvoluntary cpu_ms elapsed_ms <<<"$(idle_wakeups collapsed.service "$idle")"
other=$((wakeups - pings))
expected=$((elapsed_ms / ping_ms))
figure idle_seconds "$(python3 -c "print(f'{$elapsed_ms / 1000:.1f}')")"
figure idle_watchdog_usec "$(prop WatchdogUSec collapsed.service)"
figure idle_wakeups "$wakeups"
figure idle_watchdog_pings "$pings"
figure idle_watchdog_pings_expected "$expected"
figure idle_other_wakeups "$other"
figure idle_other_wakeups_per_min "$(python3 -c "print(f'{max($other, 0) * 60000 / $elapsed_ms:.1f}')")"
figure idle_nonvoluntary_switches "$nonvoluntary"
figure idle_cpu_ms "$cpu_ms"
figure rss_kib "$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status")"
# The yardstick for the pings is the clock, not the daemon: a window that
# holds none (or a count that sees none) proves nothing about the rest.
if [ "$pings" -lt $((expected - 1)) ] || [ "$pings" -gt $((expected + 1)) ]; then
	fail "systemd saw $pings watchdog pings in ${elapsed_ms}ms, expected $expected (one every ${ping_ms}ms)"
fi
[ "$other" -le 1 ] ||
	fail "collapsed woke up $wakeups times in ${elapsed_ms}ms of idle: $pings watchdog pings and $other other wakeups"
rm "$dropin/idle-watchdog.conf"
systemctl daemon-reload
systemctl restart collapsed.service || fail "systemctl restart collapsed (shipped WatchdogSec) failed"
pid=$(prop MainPID collapsed.service)

# 5. The socket is 0660 root: an unprivileged user cannot read the status.
if runuser -u linmap-user -- collapsectl daemon >"$RESULTS/daemon-user.txt" 2>&1; then
	fail "an unprivileged user read the daemon's status"
else
	echo "exit $?" >>"$RESULTS/daemon-user.txt"
fi
grep -qi 'permission' "$RESULTS/daemon-user.txt" ||
	fail "unprivileged collapsectl daemon did not say permission denied: $(cat "$RESULTS/daemon-user.txt")"

# 6. A broken configuration on reload keeps the old one running.
cp "$conf" /tmp/collapsed.conf.orig
printf '[collapse]\nquiet_period = soon\n' >"$conf"
collapsed --check-config >"$RESULTS/check-config.txt" 2>&1 && fail "collapsed --check-config accepted a broken file"
systemctl reload collapsed.service || fail "systemctl reload collapsed failed"
sleep 1
[ "$(prop ActiveState collapsed.service)" = active ] || fail "collapsed died on a bad reload"
[ "$(prop MainPID collapsed.service)" = "$pid" ] || fail "collapsed was restarted by a bad reload"
daemon_json "$RESULTS/daemon-badreload.json"
err=$(json "$RESULTS/daemon-badreload.json" 'j["last_error"]')
note "last_error: $err"
case "$err" in
*"$conf:2"*) ;;
*) fail "last_error does not name $conf:2: $err" ;;
esac
[ "$(json "$RESULTS/daemon-badreload.json" 'j["config"]["quiet_period"]')" = "$(json /tmp/d0.json 'j["config"]["quiet_period"]')" ] ||
	fail "the configuration in force changed on a bad reload"
journalctl -b -u collapsed.service --no-pager -o short-monotonic -p warning >"$RESULTS/journal-warnings.txt" 2>&1
grep -q "$conf:2" "$RESULTS/journal-warnings.txt" ||
	fail "the bad reload was not logged at warning priority or above"
cp /tmp/collapsed.conf.orig "$conf"
systemctl reload collapsed.service || fail "systemctl reload collapsed failed"

# 7. Socket activation.
systemctl stop collapsed.service
[ "$(prop ActiveState collapsed.service)" = inactive ] || fail "collapsed did not stop"
[ "$(prop ActiveState collapsed.socket)" = active ] || fail "collapsed.socket went away with the service"
daemon_json "$RESULTS/daemon-activated.json"
[ "$(prop ActiveState collapsed.service)" = active ] || fail "a connection to collapsed.socket did not start collapsed"
note "socket activation started collapsed (state $(json "$RESULTS/daemon-activated.json" 'j["state"]'))"

# 8. The watchdog restarts a stopped daemon.
mkdir -p /run/systemd/system/collapsed.service.d
printf '[Service]\nWatchdogSec=4s\n' >/run/systemd/system/collapsed.service.d/watchdog.conf
systemctl daemon-reload
systemctl restart collapsed.service || fail "systemctl restart collapsed failed"
pid=$(prop MainPID collapsed.service)
restarts=$(prop NRestarts collapsed.service)
kill -STOP "$pid"
note "SIGSTOP to $pid; waiting for the watchdog"
i=0
while [ "$(prop MainPID collapsed.service)" = "$pid" ] || [ "$(prop ActiveState collapsed.service)" != active ]; do
	[ $i -ge 120 ] && fail "the watchdog did not restart collapsed within 60s"
	sleep 0.5
	i=$((i + 1))
done
[ "$(prop NRestarts collapsed.service)" -gt "$restarts" ] || fail "NRestarts did not grow"
journalctl -b -u collapsed.service --no-pager | grep -q 'Watchdog timeout' ||
	fail "the journal has no watchdog timeout for collapsed"
note "the watchdog restarted collapsed: pid $pid -> $(prop MainPID collapsed.service)"
rm -r /run/systemd/system/collapsed.service.d
systemctl daemon-reload

# 9. A pkey boundary (debugfs knob of the test kernel) shows in the
# daemon's skip counts: what the kernel would not fold, the daemon reports
# in its status document.
knob=/sys/kernel/debug/linmap/boundary
if [ -w "$knob" ]; then
	cp "$conf" /tmp/collapsed.conf.orig
	printf '[collapse]\nquiet_period = 1s\nmin_gain = 1\n' >"$conf"
	systemctl reload collapsed.service || fail "systemctl reload collapsed failed"
	echo pkey >"$knob" || fail "writing pkey to $knob failed"
	# The boundaries alone leave nothing to gain (their split is already
	# the ideal there): split 64 MiB elsewhere so that the daemon collapses
	# the whole map, boundaries included.
	echo "0x80000000 0x84000000" >/sys/kernel/debug/linmap/split_to_ptes ||
		fail "splitting 64 MiB through split_to_ptes failed"
	i=0
	while :; do
		daemon_json "$RESULTS/daemon-boundary.json"
		[ "$(json "$RESULTS/daemon-boundary.json" \
			'j["totals"]["kernel_skips"]["pkey"] > 0')" = True ] && break
		[ $i -ge 60 ] && fail "the daemon's status shows no pkey skips: $(cat "$RESULTS/daemon-boundary.json")"
		sleep 0.5
		i=$((i + 1))
	done
	note "daemon kernel_skips: $(json "$RESULTS/daemon-boundary.json" 'j["totals"]["kernel_skips"]')"
	echo clear >"$knob"
	cp /tmp/collapsed.conf.orig "$conf"
	systemctl reload collapsed.service
else
	fail "no $knob: the test kernel lacks CONFIG_ARM64_LINMAP_DEBUGFS"
fi

# 10. A broken configuration at start: exit 78, and no restart loop.
cp "$conf" /tmp/collapsed.conf.orig
printf '[collapse]\nquiet_period = soon\n' >"$conf"
systemctl restart collapsed.service 2>/dev/null && fail "collapsed started with a broken configuration"
# A manual restart resets NRestarts: count from here.
restarts=$(prop NRestarts collapsed.service)
restart_sec=$(prop RestartUSec collapsed.service)
note "RestartUSec=$restart_sec; waiting past it"
sleep 12
[ "$(prop ActiveState collapsed.service)" = failed ] ||
	fail "collapsed with a broken configuration is $(prop ActiveState collapsed.service), not failed"
[ "$(prop Result collapsed.service)" = exit-code ] || fail "Result is $(prop Result collapsed.service), not exit-code"
[ "$(prop ExecMainStatus collapsed.service)" = 78 ] ||
	fail "collapsed exited $(prop ExecMainStatus collapsed.service), not 78 (EX_CONFIG)"
[ "$(prop NRestarts collapsed.service)" = "$restarts" ] ||
	fail "systemd restarted collapsed with a broken configuration ($restarts -> $(prop NRestarts collapsed.service))"
# By identifier, not unit: journald may not attribute a native entry of a
# process that has already exited to its unit.
journalctl -b -t collapsed --no-pager >"$RESULTS/journal-badstart.txt" 2>&1
grep -q "$conf:2" "$RESULTS/journal-badstart.txt" || fail "the journal does not name $conf:2 for the failed start"
cp /tmp/collapsed.conf.orig "$conf"
systemctl reset-failed collapsed.service
systemctl start collapsed.service || fail "collapsed did not start again once its configuration was fixed"
[ "$(prop ActiveState collapsed.service)" = active ] || fail "collapsed is not active after the fix"
journalctl -b -t collapsed MESSAGE_ID=ec1214bb538d492188f87b4b8e032fbe LINMAP_CONFIG_WHEN=start \
	-o json --no-pager >"$RESULTS/journal-config.json" 2>&1 || true
grep -q '"LINMAP_CONFIG_ERROR"' "$RESULTS/journal-config.json" ||
	fail "the rejected configuration is not in the journal by MESSAGE_ID with LINMAP_CONFIG_ERROR"
note "a broken configuration at start: exit 78, no restart; fixed, active again"

journalctl -b -u collapsed.service --no-pager -o short-monotonic >"$RESULTS/journal-collapsed.txt" 2>&1
note "ok"
