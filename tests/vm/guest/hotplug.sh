#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# hotplug (BBML3 machine, hotplug kernel, 2 GiB of RAM booted with mem=1G):
# memory that was hot-added block by block stays removable after a
# collapse.  The hidden gigabyte at 0x80000000 is added one memory block
# at a time (as DIMMs are), onlined, split to pages and collapsed; a
# collapse must not build a leaf across memory blocks of hot-added memory
# (a PUD block across all of them would keep every one from being
# offlined).  Then the first block is offlined and removed.  The host
# checks (check_results.py hotplug) that the range holds no PUD leaf and
# its leaves are the largest that fit in one block.
. /lib/linmap-guest.sh

knob=/sys/kernel/debug/linmap/hotplug
mem=/sys/devices/system/memory
start=$((0x80000000))
end=$((0xc0000000))
record_page_size
[ -w "$knob" ] || fail "no $knob (CONFIG_MEMORY_HOTREMOVE and CONFIG_ARM64_LINMAP_DEBUGFS)"
bs=$((0x$(cat "$mem/block_size_bytes")))
note "memory block size $bs"
echo "$bs" >"$RESULTS/block-size.txt"
# The kernel's leaf counters follow hot-add and hot-remove: each snapshot
# compares them (and /proc/meminfo's DirectMap lines) with a walk and with
# ptdump on the host.
snapshot hp-boot

addr=$start
while [ $addr -lt $end ]; do
	printf 'add 0x%x 0x%x\n' $addr $bs >"$knob" || fail "adding the block at $(printf 0x%x $addr) failed"
	# movable, as hot-pluggable DIMMs are onlined: no unmovable kernel
	# allocation (a page table of a later split, say) may land in them
	echo online_movable >"$mem/memory$((addr / bs))/state" || fail "onlining memory$((addr / bs)) (movable) failed"
	addr=$((addr + bs))
done
note "added and onlined $(((end - start) / bs)) blocks"
snapshot hp-added
printf '0x%x 0x%x\n' $start $end >/sys/kernel/debug/linmap/split_to_ptes ||
	fail "splitting the hot-added range failed"
snapshot hp-split
collapsectl collapse --json >"$RESULTS/collapse.json" 2>"$RESULTS/collapse.err" ||
	fail "collapse failed: $(cat "$RESULTS/collapse.err")"
collapsectl status --range "$(printf '0x%x-0x%x' $start $end)" --json >"$RESULTS/status-hotplug.json" \
	2>"$RESULTS/status.err" || fail "collapsectl status --range failed: $(cat "$RESULTS/status.err")"
snapshot hp-collapsed

first=memory$((start / bs))
echo offline >"$mem/$first/state" 2>"$RESULTS/offline.err" ||
	fail "offlining $first after a collapse failed: $(cat "$RESULTS/offline.err")"
printf 'remove 0x%x 0x%x\n' $start $bs >"$knob" || fail "removing the offlined block failed"
[ -e "$mem/$first" ] && fail "$first still exists after its removal"
note "offlined and removed $first after the collapse"
snapshot hp-removed
note "ok"
