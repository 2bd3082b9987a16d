#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# meson install script: put the commented example configuration in place
# unless a collapsed.conf is there already, so that a reinstall from source
# never overwrites an edited file (a package marks the file a conffile and
# dpkg asks instead).  The example itself always goes to datadir.
#
# usage: install-config.sh EXAMPLE SYSCONFDIR/linmap

set -eu
src=$1
dir="${DESTDIR:-}$2"
mkdir -p "$dir"
if [ -e "$dir/collapsed.conf" ]; then
	echo "collapsed.conf: $dir/collapsed.conf exists, kept (the example is in the documentation directory)"
else
	install -m 644 "$src" "$dir/collapsed.conf"
fi
