#!/bin/sh
# shellcheck disable=SC3045 # busybox ash has ulimit -l
# SPDX-License-Identifier: GPL-2.0
#
# splitwin: the split windows of Linux 7.3 (which linear maps hold blocks,
# which are split on demand) stay sound on this machine and kernel command
# line.  Run three ways (tests/vm/meson.build): nobbml3 (base pages),
# bbml3 with rodata=full (blocks split on demand), bbml3 with rodata=off
# (blocks, split on demand only if KFENCE may still need it).  The boot must be clean (run-guest fails on any
# kernel WARNING/BUG), secretmem must work, and where the linear map is
# block-capable a collapse must bring it to the ideal leaf count.  Saves
# cmdline.txt, snapshots churned and final, collapse.{json,txt}; the host
# checker (check_results.py splitwin) decides by machine and rodata.
. /lib/linmap-guest.sh

record_page_size
cat /proc/cmdline >"$RESULTS/cmdline.txt"
note "cmdline: $(cat /proc/cmdline)"
[ -r "$PTDUMP" ] || fail "no $PTDUMP (CONFIG_PTDUMP_DEBUGFS, debugfs mounted?)"

secretmem-churn --regions 64 --max-pages 64 --rounds 2 --seed 3 \
	>"$RESULTS/secretmem-churn.txt" 2>&1 ||
	fail "secretmem-churn failed: $(tail -n3 "$RESULTS/secretmem-churn.txt")"
(ulimit -l unlimited && exec stress-ng --secretmem 1 --secretmem-ops 20 --timeout 3s) \
	>"$RESULTS/stress-ng.txt" 2>&1 ||
	fail "stress-ng --secretmem failed: $(tail -n3 "$RESULTS/stress-ng.txt")"
snapshot churned

rc=0
collapsectl collapse --json >"$RESULTS/collapse.json" 2>"$RESULTS/collapse.txt" || rc=$?
echo "$rc" >"$RESULTS/collapse.rc"
note "collapse: exit $rc $(cat "$RESULTS/collapse.txt")"
snapshot final
note "ok"
