#!/bin/sh
# shellcheck disable=SC3043 # busybox ash has local
# SPDX-License-Identifier: GPL-2.0
#
# badinput: `collapsectl status --range` refuses ranges the kernel cannot
# report on, with exit status 1 and a message naming the operation, and
# accepts a good one.  Each case is saved as badinput-CASE.{out,err,rc}.
#
#   badinput.sh [--op-pattern REGEX]   what stderr must mention (get-stats)
. /lib/linmap-guest.sh

op=get-stats
case "${1:-}" in
"") ;;
--op-pattern) op=$2 ;;
*) fail "unknown argument '$1'" ;;
esac

# End of RAM from /proc/iomem (physical; readable as root).
ram_end=$(sed -n 's/^\([0-9a-f]*\)-\([0-9a-f]*\) : System RAM$/\2/p' /proc/iomem | tail -n1)
[ -n "$ram_end" ] || fail "no System RAM in /proc/iomem"
beyond=$(printf '0x%x' $((0x$ram_end + 1 + 0x40000000)))
beyond_end=$(printf '0x%x' $((beyond + 0x200000)))
note "RAM ends at 0x$ram_end; 'beyond RAM' is $beyond-$beyond_end"

bad=0
# case NAME WANT_RC RANGE
run_case() {
	local name="$1" want="$2" range="$3" rc
	collapsectl status --range "$range" >"$RESULTS/badinput-$name.out" \
		2>"$RESULTS/badinput-$name.err"
	rc=$?
	echo "$rc" >"$RESULTS/badinput-$name.rc"
	note "$name: status --range $range -> exit $rc: $(cat "$RESULTS/badinput-$name.err")"
	if [ "$rc" != "$want" ]; then
		echo "FAIL: $name: exit status $rc, expected $want" >&2
		bad=1
	fi
	[ "$want" = 0 ] && return
	if [ ! -s "$RESULTS/badinput-$name.err" ]; then
		echo "FAIL: $name: nothing on stderr" >&2
		bad=1
	elif ! grep -qiE -e "$op" "$RESULTS/badinput-$name.err"; then
		echo "FAIL: $name: stderr does not mention '$op'" >&2
		bad=1
	fi
}

run_case beyond-ram 1 "$beyond-$beyond_end"
run_case unaligned-start 1 0x40000001-0x40200000
run_case empty 1 0x40200000-0x40200000
run_case reversed 1 0x40400000-0x40200000
# A good range, so that the failures above are about the input.
run_case good 0 0x40000000-0x40200000

[ $bad = 0 ] || fail "collapsectl accepted or misreported bad input"
note "ok"
