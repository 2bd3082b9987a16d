#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# boot: the guest environment works on any kernel, with or without the
# linmap series: debugfs and the page-table dump, memfd_secret(2) through
# secretmem-churn, and the results share.  Saves ptdump-boot.txt.
. /lib/linmap-guest.sh

record_page_size
note "kernel $(uname -r), $(grep -c ^processor /proc/cpuinfo) CPUs, $(sed -n 's/^MemTotal: *//p' /proc/meminfo)"
note "cmdline: $(cat /proc/cmdline)"
[ -r "$PTDUMP" ] || fail "no $PTDUMP"
snapshot boot --ptdump-only
grep -q -- '---\[ Linear Mapping start \]---' "$RESULTS/ptdump-boot.txt" ||
	fail "the ptdump has no linear map section"
secretmem-churn --regions 32 --max-pages 16 --rounds 2 --seed 1 ||
	fail "secretmem-churn failed"
note "ok"
