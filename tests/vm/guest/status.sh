#!/bin/sh
# shellcheck disable=SC3045 # busybox ash has ulimit -l
# SPDX-License-Identifier: GPL-2.0
#
# status (BBML3 machine): the statistics and the page tables, before
# secretmem churn, while secretmem regions are held (their pages are out of
# the linear map), and after they were freed.  The host checker
# (check_results.py status) compares every snapshot's leaf counts with the
# ptdump taken with it and checks that the churn split the linear map.
#
#   status.sh [--ptdump-only]     --ptdump-only: no collapsectl (a kernel
#                                 without the linmap family)
. /lib/linmap-guest.sh

mode=
case "${1:-}" in
"") ;;
--ptdump-only) mode=--ptdump-only ;;
*) fail "unknown argument '$1'" ;;
esac

record_page_size
[ -r "$PTDUMP" ] || fail "no $PTDUMP (CONFIG_PTDUMP_DEBUGFS, debugfs mounted?)"

# 1. Nothing else runs yet.
snapshot before $mode

# 2. Churn: stress-ng's secretmem stressor and ours, together; ours then
#    holds its last population until told to go on.
rm -f /tmp/churn.ready
secretmem-churn --regions 256 --max-pages 128 --rounds 6 --seed 1 \
	--hold /tmp/churn.ready >"$RESULTS/secretmem-churn.txt" 2>&1 &
churn=$!
# secretmem pages are charged to the user's RLIMIT_MEMLOCK (8M by default),
# which secretmem-churn's regions alone exceed.
(ulimit -l unlimited && exec stress-ng --secretmem 2 --secretmem-ops 100 --timeout 10s \
	--metrics-brief) >"$RESULTS/stress-ng.txt" 2>&1
rc=$?
cat "$RESULTS/stress-ng.txt"
[ $rc = 0 ] || fail "stress-ng --secretmem failed (exit $rc)"
grep -qi -e 'skipp' -e 'not implemented' "$RESULTS/stress-ng.txt" &&
	fail "stress-ng skipped the secretmem stressor"

if ! wait_for_file /tmp/churn.ready 300 "$churn"; then
	kill "$churn" 2>/dev/null
	wait "$churn"
	rc=$?
	cat "$RESULTS/secretmem-churn.txt"
	fail "secretmem-churn never reached its hold point (exit status $rc)"
fi
cp /tmp/churn.ready "$RESULTS/secretmem-churn-held.txt"
note "secretmem-churn holds: $(cat /tmp/churn.ready) (pid regions pages bytes)"

# 3. While the regions are held.
snapshot after-hold $mode

# 4. After they are freed.
kill -USR1 "$churn"
wait "$churn"
rc=$?
cat "$RESULTS/secretmem-churn.txt"
[ $rc = 0 ] || fail "secretmem-churn failed (exit $rc)"
snapshot after $mode
note "ok"
