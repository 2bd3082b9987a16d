#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# systemd/collapsed.catalog: journalctl parses it (into a scratch root, as
# --update-catalog does on install) and it explains every MESSAGE_ID the
# daemon logs (LOG_ID_* in daemon/log.h).  TAP.
#
# usage: check-catalog.sh CATALOG LOG_H

set -u
catalog=$1
log_h=$2
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/usr/lib/systemd/catalog" "$root/var/lib/systemd/catalog"
cp "$catalog" "$root/usr/lib/systemd/catalog/"

ids=$(sed -n 's/^#define LOG_ID_[A-Z_]*[[:space:]]*"\([0-9a-f]\{32\}\)"$/\1/p' "$log_h")
n=$(printf '%s\n' "$ids" | grep -c .)
echo "1..$((n + 2))"
[ "$n" -gt 0 ] && echo "ok 1 - $n MESSAGE_IDs in log.h" || echo "not ok 1 - no MESSAGE_IDs in log.h"
if journalctl --root="$root" --update-catalog 2>"$root/err"; then
	echo "ok 2 - journalctl --update-catalog parses the catalog"
else
	echo "not ok 2 - journalctl --update-catalog"
	sed 's/^/# /' "$root/err"
fi
listed=$(journalctl --root="$root" --list-catalog 2>/dev/null)
i=3
for id in $ids; do
	if printf '%s\n' "$listed" | grep -q "^$id collapsed: "; then
		echo "ok $i - $id is explained"
	else
		echo "not ok $i - $id has no catalog entry"
	fi
	i=$((i + 1))
done
