#!/bin/sh
# shellcheck disable=SC3045 # busybox ash has ulimit -l
# SPDX-License-Identifier: GPL-2.0
#
# collapse (BBML3 machine): secretmem churn splits the linear map, then
# `collapsectl collapse` must bring it back to the ideal leaf count.  The
# host checker (check_results.py collapse) compares every snapshot with its
# ptdump and requires restoration 1.00 after the collapse.  Also: an
# unprivileged collapse and events subscription are refused with EPERM, the
# family is absent from a new network namespace, a dry run changes nothing,
# and `collapsectl watch` sees the split and collapse events.
. /lib/linmap-guest.sh

record_page_size
[ -r "$PTDUMP" ] || fail "no $PTDUMP (CONFIG_PTDUMP_DEBUGFS, debugfs mounted?)"

# The boot map, before anything split it (the host compares the collapsed
# map with it level by level).
snapshot before

# Events: listen from the start, until the end of the test.
collapsectl watch --json >"$RESULTS/watch.jsonl" 2>"$RESULTS/watch.err" &
watch=$!
sleep 0.5

# 1. Churn: ours (random sizes, random order) and stress-ng's.
secretmem-churn --regions 256 --max-pages 128 --rounds 6 --seed 2 \
	>"$RESULTS/secretmem-churn.txt" 2>&1 || fail "secretmem-churn failed"
(ulimit -l unlimited && exec stress-ng --secretmem 2 --secretmem-ops 50 --timeout 5s) \
	>"$RESULTS/stress-ng.txt" 2>&1 || fail "stress-ng --secretmem failed"
sleep 1.5	# the split event is coalesced over one second
snapshot churned

# 2. Unprivileged: refused, and nothing changes.
if su -s /bin/sh -c 'exec collapsectl collapse' nobody \
	>"$RESULTS/collapse-user.txt" 2>&1; then
	fail "an unprivileged collapse succeeded"
else
	echo "exit $?" >>"$RESULTS/collapse-user.txt"
fi

# 2b. Nor may an unprivileged user listen to the events (when others'
#     secretmem splits the map is a side channel), and the family exists
#     in the initial network namespace only; whole-map counts stay
#     world-readable: nobody's status succeeds, answered from the kernel's
#     counters (a walk needs CAP_SYS_ADMIN), so the host requires walked
#     false, the leaves and no ideal (check_results.py collapse).
if su -s /bin/sh -c 'exec collapsectl watch --count 1' nobody \
	>"$RESULTS/watch-user.txt" 2>&1; then
	fail "an unprivileged watch joined the events group"
else
	echo "exit $?" >>"$RESULTS/watch-user.txt"
fi
su -s /bin/sh -c 'exec collapsectl status --json' nobody >"$RESULTS/status-user.json" 2>&1 ||
	fail "an unprivileged status failed: $(cat "$RESULTS/status-user.json")"
if unshare -n collapsectl status >"$RESULTS/status-netns.txt" 2>&1; then
	fail "the linmap family answered in a new network namespace"
else
	echo "exit $?" >>"$RESULTS/status-netns.txt"
fi

# 3. A dry run counts and changes nothing.
collapsectl collapse --dry-run --json >"$RESULTS/collapse-dry.json" 2>"$RESULTS/collapse-dry.err" ||
	fail "collapsectl collapse --dry-run failed: $(cat "$RESULTS/collapse-dry.err")"
snapshot dry-run

# 4. The collapse, the whole map in one request.
collapsectl collapse --json >"$RESULTS/collapse.json" 2>"$RESULTS/collapse.err" ||
	fail "collapsectl collapse failed: $(cat "$RESULTS/collapse.err")"
cat "$RESULTS/collapse.json"
snapshot collapsed

# 5. The watcher has seen both kinds of event (the host checks).
sleep 0.5
kill "$watch" 2>/dev/null
wait "$watch"
note "watch exit status $?"
cat "$RESULTS/watch.jsonl"
note "ok"
