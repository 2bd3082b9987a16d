#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# boundary (BBML3 machine): a collapse reports the pkey boundaries it did
# not fold across.  /sys/kernel/debug/linmap/boundary
# (CONFIG_ARM64_LINMAP_DEBUGFS) puts a pkey boundary into a chunk of its
# own; a collapse after it must report non-zero pkey skips (host:
# check_results.py boundary reads collapse-pkey.json); after "clear" a
# collapse reaches the ideal leaf count again (snapshot final).  Outside a
# realm there is no NS_SHARED bit, and no other bit may stand in for it in
# live descriptors: writing "realm" must be refused with EOPNOTSUPP (the
# realm rules are covered by KUnit on synthetic descriptors).
. /lib/linmap-guest.sh

knob=/sys/kernel/debug/linmap/boundary
record_page_size
[ -w "$knob" ] || fail "no $knob (CONFIG_ARM64_LINMAP_DEBUGFS)"

if echo realm 2>"$RESULTS/realm.err" >"$knob"; then
	fail "'realm' was accepted outside a realm"
fi
grep -q 'not supported' "$RESULTS/realm.err" ||
	fail "'realm' outside a realm: expected EOPNOTSUPP, got: $(cat "$RESULTS/realm.err")"

for kind in pkey; do
	echo "$kind" >"$knob" || fail "writing '$kind' to $knob failed"
	note "boundaries: $(tr '\n' ';' <"$knob")"
	collapsectl collapse --json >"$RESULTS/collapse-$kind.json" 2>"$RESULTS/collapse-$kind.err" ||
		fail "collapse after a $kind boundary failed: $(cat "$RESULTS/collapse-$kind.err")"
	# The first collapse completed the region and cleared its mark (split
	# tracking): a second one visits it only with a full scan.
	collapsectl collapse --full >"$RESULTS/collapse-$kind.txt" 2>&1 ||
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
