#!/bin/sh
# shellcheck disable=SC3043 # busybox ash has local
# SPDX-License-Identifier: GPL-2.0
#
# nlfuzz: generated well-formed and malformed requests to the linmap family
# (tests/stress/nl-fuzz.c), as root while secretmem churn splits the linear
# map and real collapses run between the requests, then as an unprivileged
# user; nl-fuzz fails on any answer its classes do not allow (an error
# without an extack message that the netlink core does not explain,
# silence, a privileged request that succeeds).  The host checks the kernel
# log (no oops, no WARN) and that a final collapse still reaches the ideal.
#
#   nlfuzz.sh [ROOT_COUNT [USER_COUNT [SEED]]]   (defaults 4000 2000 1)
. /lib/linmap-guest.sh

root_count=${1:-4000}
user_count=${2:-2000}
seed=${3:-1}

record_page_size
ulimit -l unlimited
secretmem-churn --regions 32 --max-pages 32 --rounds 0 --duration 600 \
	--seed 21 --quiet >"$RESULTS/nlfuzz-churn.txt" 2>&1 &
churn=$!

bad=''
nl-fuzz --seed "$seed" --count "$root_count" >"$RESULTS/nlfuzz-root.txt" 2>&1 ||
	bad="$bad as-root"
kill "$churn" 2>/dev/null
wait "$churn"
churn_rc=$?
cat "$RESULTS/nlfuzz-root.txt"
# secretmem-churn ends on SIGTERM with 143 (killed) or 0 (between rounds)
case $churn_rc in
0 | 143) ;;
*) fail "secretmem-churn failed beside the fuzzer (exit $churn_rc): $(cat "$RESULTS/nlfuzz-churn.txt")" ;;
esac

# the unprivileged run even when the first failed: both verdicts at once
nl-fuzz --seed "$((seed + 1))" --count "$user_count" --as-user 65534 \
	>"$RESULTS/nlfuzz-user.txt" 2>&1 || bad="$bad unprivileged"
cat "$RESULTS/nlfuzz-user.txt"
[ -z "$bad" ] || fail "nl-fuzz found violations or an exchange failed:$bad (above)"

collapsectl collapse --full --json >"$RESULTS/collapse.json" ||
	fail "the final collapse failed"
snapshot final
note "ok"
