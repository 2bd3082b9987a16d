#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# degraded (full-system guest, non-BBML3 machine): the linear map is mapped
# with pages and cannot be collapsed.  collapsed still starts (READY=1),
# says why once in the journal, shows "degraded" with the kernel's reason in
# STATUS= and in its status document, holds no subscription to the linmap
# events group (nothing splits here, and a degraded daemon listens for
# nothing), and does not spin: over an idle window of IDLE seconds
# (argument 1, default 10) no wakeups but watchdog pings, which systemd
# counts apart.
. /usr/lib/linmap-guest.sh

idle=${1:-10}
prop() { systemctl show -P "$1" "$2"; }

systemctl start collapsed.service || fail "systemctl start collapsed failed"
[ "$(prop ActiveState collapsed.service)" = active ] || fail "collapsed is not active"
status_text=$(prop StatusText collapsed.service)
note "STATUS: $status_text"
case "$status_text" in
degraded*) ;;
*) fail "STATUS= does not say degraded: $status_text" ;;
esac

collapsectl daemon --json >"$RESULTS/daemon-degraded.json" || fail "collapsectl daemon --json failed"
[ "$(json "$RESULTS/daemon-degraded.json" 'j["state"]')" = degraded ] || fail "state is not degraded"
reason=$(json "$RESULTS/daemon-degraded.json" 'j["degraded_reason"]')
note "degraded_reason: $reason"
[ -n "$reason" ] && [ "$reason" != None ] || fail "no degraded_reason"
collapsectl daemon >"$RESULTS/daemon-degraded.txt" || fail "collapsectl daemon failed"
cat "$RESULTS/daemon-degraded.txt"

# No subscription: none of the daemon's netlink sockets has joined the
# linmap family's events group.  The check first shows it sees a
# membership (it joins the group itself), then looks at the daemon's.
groups=/usr/local/lib/linmap-tests/netlink_groups.py
pid=$(prop MainPID collapsed.service)
python3 "$groups" --self-test linmap events >"$RESULTS/netlink-selftest.txt" 2>&1 ||
	fail "the subscription check cannot see a subscription: $(cat "$RESULTS/netlink-selftest.txt")"
python3 "$groups" "$pid" linmap events >"$RESULTS/daemon-netlink.txt" 2>&1
rc=$?
cat "$RESULTS/daemon-netlink.txt"
case $rc in
0) note "collapsed (pid $pid) is not subscribed to linmap events" ;;
1) fail "a degraded collapsed is subscribed to the linmap events group" ;;
*) fail "cannot tell whether collapsed is subscribed: $(cat "$RESULTS/daemon-netlink.txt")" ;;
esac

# No spin: a degraded daemon has nothing to do but answer the watchdog.
read -r wakeups pings nonvoluntary cpu_ms elapsed_ms <<<"$(idle_wakeups collapsed.service "$idle")"
other=$((wakeups - pings))
note "in ${elapsed_ms}ms idle: $wakeups wakeups, $pings watchdog pings (WatchdogSec=$(prop WatchdogUSec collapsed.service)), $other other; $nonvoluntary involuntary switches, ${cpu_ms}ms CPU"
[ "$other" -le 1 ] ||
	fail "a degraded collapsed woke up $other times in ${elapsed_ms}ms besides $pings watchdog pings"

# The reason is logged once, at warning priority.
n=$(journalctl -b -u collapsed.service -p warning --no-pager -o cat | grep -c 'degraded\|cannot collapse' || true)
journalctl -b -u collapsed.service --no-pager -o short-monotonic >"$RESULTS/journal-collapsed.txt" 2>&1
note "warnings about the degraded state: $n"
[ "$n" = 1 ] || fail "expected the degraded reason logged once at warning priority, found $n lines"
note "ok"
