# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the developer scripts in tools/.  Sourced, not run.

TOP=${TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
# Build trees live outside git: build/ in the checkout unless told otherwise.
BUILD=${LINMAP_BUILD:-$TOP/build}
mkdir -p "$BUILD"

info() { echo "linmap: $*" >&2; }
die() {
	echo "linmap: error: $*" >&2
	exit 1
}

debian_mirror() {
	# The first deb.* "debian" archive URI in the machine's apt sources
	# (one-line and deb822 formats), not the security archive.
	local f
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
		/etc/apt/sources.list.d/*.sources; do
		[ -r "$f" ] || continue
		sed -nE -e 's/^deb(\s+\[[^]]*\])?\s+(\S+)\s+\S+.*/\2/p' \
			-e 's/^URIs:\s*(\S+).*/\1/p' "$f"
	done | grep -E '/debian/?$' | grep -v -- '-security' | head -n1
}
