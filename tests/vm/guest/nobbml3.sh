#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# nobbml3 (plain -cpu max, no BBML3): collapsectl still reports statistics,
# and the capabilities say why the linear map cannot hold blocks.  The host
# checker (check_results.py nobbml3) checks caps.bbml3 and
# caps.block_capable are false with a reason, that leaves were counted, and
# that the counts match the ptdump.
. /lib/linmap-guest.sh

record_page_size
collapsectl status >"$RESULTS/status-nobbml3.txt" 2>&1 ||
	fail "collapsectl status failed: $(cat "$RESULTS/status-nobbml3.txt")"
cat "$RESULTS/status-nobbml3.txt"
snapshot nobbml3

# Collapse, where the family has it, is refused with the kernel's reason.
if collapsectl --help 2>&1 | grep -q '^ *collapse'; then
	rc=0
	collapsectl collapse >"$RESULTS/collapse-nobbml3.txt" 2>&1 || rc=$?
	cat "$RESULTS/collapse-nobbml3.txt"
	[ $rc = 1 ] || fail "collapse on a non-BBML3 machine: exit $rc, expected 1"
	grep -q "cannot collapse: not every CPU supports BBML3" "$RESULTS/collapse-nobbml3.txt" ||
		fail "collapse on a non-BBML3 machine does not say why"
fi
note "ok"
