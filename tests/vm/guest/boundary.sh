#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# boundary (BBML3 machine): a collapse reports the pkey and realm
# boundaries it did not fold across.  /sys/kernel/debug/linmap/boundary
# (CONFIG_ARM64_LINMAP_DEBUGFS) puts a pkey boundary and a realm
# shared/private boundary into chunks of its own; a collapse after each
# must report non-zero pkey and realm skips (host: check_results.py
# boundary reads collapse-pkey.json and collapse-realm.json); after
# "clear" a collapse reaches the ideal leaf count again (snapshot final).
. /lib/linmap-guest.sh

knob=/sys/kernel/debug/linmap/boundary
record_page_size
[ -w "$knob" ] || fail "no $knob (CONFIG_ARM64_LINMAP_DEBUGFS)"

for kind in pkey realm; do
	echo "$kind" >"$knob" || fail "writing '$kind' to $knob failed"
	note "boundaries: $(tr '\n' ';' <"$knob")"
	collapsectl collapse --json >"$RESULTS/collapse-$kind.json" 2>"$RESULTS/collapse-$kind.err" ||
		fail "collapse after a $kind boundary failed: $(cat "$RESULTS/collapse-$kind.err")"
	collapsectl collapse >"$RESULTS/collapse-$kind.txt" 2>&1 ||
		fail "collapse (text) after a $kind boundary failed"
	cat "$RESULTS/collapse-$kind.txt"
	grep -Eq "$kind[^0-9]*[1-9]" "$RESULTS/collapse-$kind.txt" ||
		fail "collapsectl collapse does not show a non-zero $kind skip count"
done
snapshot bounded

echo clear >"$knob" || fail "writing 'clear' to $knob failed"
[ -z "$(cat "$knob")" ] || fail "boundaries left after clear: $(cat "$knob")"
collapsectl collapse --json >"$RESULTS/collapse-clear.json" 2>"$RESULTS/collapse-clear.err" ||
	fail "collapse after clear failed: $(cat "$RESULTS/collapse-clear.err")"
snapshot final
note "ok"
