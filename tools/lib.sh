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
