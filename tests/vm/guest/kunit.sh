#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# kunit: every KUnit suite that ran at boot passed.  Reads
# /sys/kernel/debug/kunit/SUITE/results (CONFIG_KUNIT_DEBUGFS), saves each as
# kunit-SUITE.txt, and fails on any "not ok" line.  Skips are counted and
# named, not passed: the host (check_results.py kunit) fails every skip
# the test's registration does not allow (vm-test --allow-skip).
#
#   kunit.sh [--require-suite PREFIX]...
#       PREFIX: at least one suite whose name starts with PREFIX must have
#       run (e.g. --require-suite linmap once the series is applied).
. /lib/linmap-guest.sh

required=
while [ $# -gt 0 ]; do
	case "$1" in
	--require-suite) required="$required $2"; shift 2 ;;
	--require-suite=*) required="$required ${1#*=}"; shift ;;
	*) fail "unknown argument '$1'" ;;
	esac
done

dir=/sys/kernel/debug/kunit
[ -d "$dir" ] || fail "no $dir: kernel without CONFIG_KUNIT_DEBUGFS, or debugfs not mounted"

suites=0 failed=
for d in "$dir"/*/; do
	[ -d "$d" ] || continue
	suite=$(basename "$d")
	suites=$((suites + 1))
	# debugfs reports size 0: read it to know whether it is empty.
	results="$RESULTS/kunit-$suite.txt"
	cat "$d/results" >"$results"
	if [ ! -s "$results" ]; then
		failed="$failed $suite(no-results)"
		continue
	fi
	# Cases are the indented result lines; "# SKIP" marks a skipped one.
	passed=$(grep '^[[:space:]][[:space:]]*ok ' "$results" | grep -vc '# SKIP' || true)
	skipped=$(grep '^[[:space:]][[:space:]]*ok .*# SKIP' "$results" |
		sed 's/^[[:space:]]*ok [0-9]* \(-[[:space:]]*\)\{0,1\}\([^[:space:]#]*\).*/\2/' |
		tr '\n' ' ' | sed 's/ $//')
	nskipped=$(grep -c '^[[:space:]][[:space:]]*ok .*# SKIP' "$results" || true)
	if grep -q '^[[:space:]]*not ok ' "$results"; then
		failed="$failed $suite"
		note "suite $suite FAILED:"
		grep '^[[:space:]]*not ok ' "$results" | sed 's/^/    /'
	else
		note "suite $suite: $passed passed, $nskipped skipped${skipped:+ ($skipped)}"
	fi
done
note "$suites suites"

for prefix in $required; do
	found=
	for d in "$dir/$prefix"*/; do
		[ -d "$d" ] && found=1
	done
	[ -n "$found" ] || fail "no KUnit suite named $prefix* ran (is the series applied and its KUnit config enabled?)"
done
# After the suites split and folded the linear map: the kernel's leaf
# counters, /proc/meminfo's DirectMap lines, a walk and ptdump must agree
# (check_results.py kunit), on every granule this test runs on.
if [ -n "$required" ]; then
	record_page_size
	snapshot after-kunit
fi
[ -z "$failed" ] || fail "failing suites:$failed"
note "ok"
