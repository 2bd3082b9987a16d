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

echo "1..3"
if "$gen" --dump "$dir"; then
	echo "ok 1 - documents written"
else
	echo "not ok 1 - documents written"
fi
if out=$("$promtool" check metrics <"$dir/daemon.prom" 2>&1); then
	echo "ok 2 - promtool check metrics: no problems"
else
	echo "not ok 2 - promtool check metrics"
	printf '%s\n' "$out" | sed 's/^/# /'
fi
# Debian's python3 (its dist-packages has prometheus_client).
if out=$(/usr/bin/python3 - "$dir/daemon.om" 2>&1 <<'PY'
import sys
from prometheus_client.openmetrics.parser import text_string_to_metric_families
text = open(sys.argv[1]).read()
families = list(text_string_to_metric_families(text))
names = {f.name for f in families}
for want in ("linmap_leaves", "linmap_splits", "collapsed_state", "collapsed_freed_bytes"):
    assert want in names, f"{want} missing from {sorted(names)}"
print(f"{len(families)} families")
PY
); then
	echo "ok 3 - OpenMetrics parser: $out"
else
	echo "not ok 3 - OpenMetrics parser"
	printf '%s\n' "$out" | sed 's/^/# /'
fi
