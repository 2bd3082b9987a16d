#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The metrics collapsed writes (and collapsectl prints), checked by the
# tools a fleet uses: promtool (Debian's prometheus package; tools/setup
# extracts it) lints the Prometheus text format node_exporter reads, and
# python3-prometheus-client's OpenMetrics parser, which is strict (names,
# TYPE/UNIT lines, the "# EOF" end), parses the OpenMetrics dialect.  TAP.
#
# usage: check-metrics.sh TEST-METRICS PROMTOOL

set -u
gen=$1
promtool=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

echo "1..5"
if "$gen" --dump "$dir"; then
	echo "ok 1 - documents written"
else
	echo "not ok 1 - documents written"
fi
n=1
# The daemon's file, and collapsectl status's from the counters (a user's).
for doc in daemon counts; do
	n=$((n + 1))
	if out=$("$promtool" check metrics <"$dir/$doc.prom" 2>&1); then
		echo "ok $n - promtool check metrics: $doc.prom: no problems"
	else
		echo "not ok $n - promtool check metrics: $doc.prom"
		printf '%s\n' "$out" | sed 's/^/# /'
	fi
	n=$((n + 1))
	case $doc in
	daemon) want="linmap_leaves linmap_splits linmap_ideal_leaves linmap_marked_regions linmap_region_bytes collapsed_state collapsed_freed_bytes collapsed_regions_scanned collapsed_last_collapse_longest_hold_seconds" ;;
	counts) want="linmap_leaves linmap_splits linmap_mapped_bytes linmap_marked_regions linmap_region_bytes" ;;
	esac
	# Debian's python3 (its dist-packages has prometheus_client).
	if out=$(/usr/bin/python3 - "$dir/$doc.om" $want 2>&1 <<'PY'
import sys
from prometheus_client.openmetrics.parser import text_string_to_metric_families
text = open(sys.argv[1]).read()
families = list(text_string_to_metric_families(text))
names = {f.name for f in families}
for want in sys.argv[2:]:
    assert want in names, f"{want} missing from {sorted(names)}"
print(f"{len(families)} families")
PY
	); then
		echo "ok $n - OpenMetrics parser: $doc.om: $out"
	else
		echo "not ok $n - OpenMetrics parser: $doc.om"
		printf '%s\n' "$out" | sed 's/^/# /'
	fi
done
