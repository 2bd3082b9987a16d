#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# demo (BBML3 machine), what tools/demo shows a new user: the linear map
# before secretmem churn, after it, and - on a kernel with the collapse
# operation - after `collapsectl collapse`.
. /lib/linmap-guest.sh

step() { printf '\n===== %s =====\n' "$*"; }

step "collapsectl status: freshly booted"
collapsectl status || fail "collapsectl status failed"

step "secretmem churn: secretmem-churn holds and frees 256 regions, 6 rounds"
secretmem-churn --regions 256 --max-pages 128 --rounds 6 --seed 1 ||
	fail "secretmem-churn failed"

step "collapsectl status: after the churn (the linear map stayed split)"
collapsectl status || fail "collapsectl status failed"

if collapsectl --help 2>&1 | grep -q '^ *collapse'; then
	step "collapsectl collapse"
	collapsectl collapse || fail "collapsectl collapse failed"
	step "collapsectl status: after the collapse"
	collapsectl status || fail "collapsectl status failed"
fi
