#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# degraded (full-system guest, non-BBML3 machine): the linear map is mapped
# with pages and cannot be collapsed.  collapsed still starts (READY=1),
# says why once in the journal, shows "degraded" with the kernel's reason in
# STATUS= and in its status document, and does not spin: no wakeups over an
# idle window of IDLE seconds (argument 1, default 10), even while secretmem
# churn sends it split events.
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

# Idle, churn included: a degraded daemon has nothing to do.
pid=$(prop MainPID collapsed.service)
ctxt() { awk '/^(voluntary|nonvoluntary)_ctxt_switches/ { n += $2 } END { print n }' "/proc/$pid/status"; }
c0=$(ctxt)
secretmem-churn --regions 64 --max-pages 32 --rounds 2 --seed 4 \
	>"$RESULTS/secretmem-churn.txt" 2>&1 || fail "secretmem-churn failed"
sleep "$idle"
wakeups=$(($(ctxt) - c0))
note "wakeups in ${idle}s with churn: $wakeups"
[ "$wakeups" -le 2 ] || fail "a degraded collapsed woke up $wakeups times in ${idle}s"

# The reason is logged once, at warning priority.
n=$(journalctl -b -u collapsed.service -p warning --no-pager -o cat | grep -c 'degraded\|cannot collapse' || true)
journalctl -b -u collapsed.service --no-pager -o short-monotonic >"$RESULTS/journal-collapsed.txt" 2>&1
note "warnings about the degraded state: $n"
[ "$n" = 1 ] || fail "expected the degraded reason logged once at warning priority, found $n lines"
note "ok"
