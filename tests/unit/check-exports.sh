#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# libcollapse exports exactly the symbols libcollapse.sym lists, all at a
# LIBCOLLAPSE_* version, under SONAME libcollapse.so.1, and exactly the
# symbol@version pairs the committed ABI list holds: a change to the ABI
# must be a deliberate edit of that list.  TAP output.
#
# usage: check-exports.sh LIBRARY SYMFILE EXPORTS

set -u
lib=$1
sym=$2
abi=$3
nm=${NM:-nm}
readelf=${READELF:-readelf}

echo "1..4"

# Defined dynamic symbols with their version, e.g. "lc_open@@LIBCOLLAPSE_1".
exported=$("$nm" -D --defined-only --with-symbol-versions "$lib" |
	awk '$2 ~ /^[TDRB]$/ { print $3 }' | sort)
names=$(printf '%s\n' "$exported" | sed 's/@.*//' | sort)
listed=$(sed -e '/\/\*/,/\*\//d' "$sym" |
	awk '/global:/ { g = 1; next } /local:/ || /^}/ { g = 0 } g && /;/ { gsub(/[;[:space:]]/, ""); if ($0 != "") print }' |
	sort)

if [ "$names" = "$listed" ]; then
	echo "ok 1 - exported symbols match libcollapse.sym"
else
	echo "not ok 1 - exported symbols match libcollapse.sym"
	printf '%s\n' "$names" > "${TMPDIR:-/tmp}/lc-exported.$$"
	printf '%s\n' "$listed" > "${TMPDIR:-/tmp}/lc-listed.$$"
	diff -u "${TMPDIR:-/tmp}/lc-listed.$$" "${TMPDIR:-/tmp}/lc-exported.$$" | sed 's/^/# /'
	rm -f "${TMPDIR:-/tmp}/lc-exported.$$" "${TMPDIR:-/tmp}/lc-listed.$$"
fi

unversioned=$(printf '%s\n' "$exported" | grep -v '@@\?LIBCOLLAPSE_[0-9]' || true)
if [ -z "$unversioned" ] && [ -n "$exported" ]; then
	echo "ok 2 - every export carries a LIBCOLLAPSE_ version"
else
	echo "not ok 2 - every export carries a LIBCOLLAPSE_ version"
	printf '# %s\n' $unversioned
fi

soname=$("$readelf" -d "$lib" | sed -n 's/.*Library soname: \[\(.*\)\].*/\1/p')
if [ "$soname" = "libcollapse.so.1" ]; then
	echo "ok 3 - SONAME is libcollapse.so.1"
else
	echo "not ok 3 - SONAME is libcollapse.so.1 (got '$soname')"
fi

frozen=$(grep -v '^#' "$abi" | grep -v '^[[:space:]]*$' | sort)
if [ "$exported" = "$frozen" ]; then
	echo "ok 4 - exports match the committed ABI list $(basename "$abi")"
else
	echo "not ok 4 - exports match the committed ABI list $(basename "$abi")"
	printf '%s\n' "$exported" > "${TMPDIR:-/tmp}/lc-exported.$$"
	printf '%s\n' "$frozen" > "${TMPDIR:-/tmp}/lc-frozen.$$"
	diff -u "${TMPDIR:-/tmp}/lc-frozen.$$" "${TMPDIR:-/tmp}/lc-exported.$$" | sed 's/^/# /'
	rm -f "${TMPDIR:-/tmp}/lc-exported.$$" "${TMPDIR:-/tmp}/lc-frozen.$$"
	echo "# a changed ABI: LIBCOLLAPSE_1 is frozen; add symbols under a new version block and to the list"
fi
