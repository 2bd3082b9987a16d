#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ynl (full-system guest, BBML3): the kernel's own YNL CLI
# (tools/net/ynl/pyynl/cli.py) drives the "linmap" family from our YAML spec
# alone: get-caps, get-stats (with the walk flag: the ideal leaf count), a
# collapse, and a subscription to the events group that sees the split
# notification of a secretmem churn and the notification of the collapse.
# Unprivileged (linmap-user): a collapse and a get-stats with the walk flag
# are refused with EPERM (the walk's extack names CAP_SYS_ADMIN); a plain
# whole-map get-stats is answered from the kernel's counters, with the
# leaves and without ideal-leaves or invalid.
. /usr/lib/linmap-guest.sh

ynl_dir=/usr/local/lib/linmap-tests/ynl
# --no-schema: the spec is validated against genetlink.yaml on the host
# (tools/kernel-check); the guest has no jsonschema.
ynl() {
	python3 "$ynl_dir/pyynl/cli.py" --spec "$ynl_dir/specs/linmap.yaml" \
		--no-schema --output-json "$@"
}

ynl --do get-caps >"$RESULTS/ynl-caps.json" || fail "ynl --do get-caps failed"
cat "$RESULTS/ynl-caps.json"
[ "$(json "$RESULTS/ynl-caps.json" 'bool(j.get("bbml3"))')" = True ] ||
	fail "get-caps through ynl does not report BBML3"

# Events, from before the churn until after the collapse.  The subscriber
# is YNL's own library (cli.py's YnlFamily and poll_ntf()), driven so that
# nothing depends on how fast python runs under TCG: it says when it has
# joined the group (the churn starts only then), prints each notification
# unbuffered, and ends when both the split and the collapse notification
# have arrived; the shell gives it 30 s after the collapse to see them.
rm -f "$RESULTS/ynl-events.ready"
python3 -u - "$ynl_dir/pyynl" "$ynl_dir/specs/linmap.yaml" "$RESULTS/ynl-events.ready" \
	>"$RESULTS/ynl-events.jsonl" 2>"$RESULTS/ynl-events.err" <<'PY' &
import json, sys
sys.path.insert(0, sys.argv[1])
from lib import YnlFamily
ynl = YnlFamily(sys.argv[2], schema='')
ynl.ntf_subscribe('events')
open(sys.argv[3], 'w').close()
seen = set()
for msg in ynl.poll_ntf(duration=600):
    print(json.dumps(msg, default=str), flush=True)
    seen.add(msg.get('name'))
    if {'split-ntf', 'collapse-ntf'} <= seen:
        break
PY
sub=$!
for _ in $(seq 1200); do
	[ -e "$RESULTS/ynl-events.ready" ] && break
	kill -0 "$sub" 2>/dev/null || break
	sleep 0.1
done
[ -e "$RESULTS/ynl-events.ready" ] ||
	fail "the ynl subscriber did not join the events group: $(cat "$RESULTS/ynl-events.err")"

secretmem-churn --regions 64 --max-pages 64 --rounds 3 --seed 5 \
	>"$RESULTS/secretmem-churn.txt" 2>&1 || fail "secretmem-churn failed"
sleep 1.5	# split notifications are coalesced over one second

# The walk flag: without it the whole map comes from the counters, which
# have no ideal leaf count.
ynl --do get-stats --json '{"walk": true}' >"$RESULTS/ynl-stats-churned.json" ||
	fail "ynl --do get-stats (walk) failed"

# Unprivileged: the CLI reports the kernel's EPERM.  On a netlink error
# cli.py prints str(NlError), "Netlink error: [EXTACK: ]STRERROR", and exits
# 1: os.strerror(1) is "Operation not permitted" (EPERM, errno 1), and no
# other errno's text contains it.
runuser -u linmap-user -- python3 "$ynl_dir/pyynl/cli.py" \
	--spec "$ynl_dir/specs/linmap.yaml" --no-schema --do collapse --json '{}' \
	>"$RESULTS/ynl-collapse-user.txt" 2>&1
rc=$?
echo "exit $rc" >>"$RESULTS/ynl-collapse-user.txt"
[ "$rc" != 0 ] || fail "an unprivileged collapse through ynl succeeded"
[ "$rc" = 1 ] || fail "unprivileged ynl collapse exited $rc, not 1 (a crash?): $(cat "$RESULTS/ynl-collapse-user.txt")"
eperm=$(python3 -c 'import errno, os; print(os.strerror(errno.EPERM))')
grep -Eq "^Netlink error: (.*: )?$eperm( |\$)" "$RESULTS/ynl-collapse-user.txt" ||
	fail "unprivileged ynl collapse did not fail with EPERM ($eperm): $(cat "$RESULTS/ynl-collapse-user.txt")"

ynl --do collapse --json '{}' >"$RESULTS/ynl-collapse.json" || fail "ynl --do collapse failed"
cat "$RESULTS/ynl-collapse.json"
ynl --do get-stats --json '{"walk": true}' >"$RESULTS/ynl-stats-collapsed.json" ||
	fail "ynl --do get-stats (walk) failed"

for _ in $(seq 300); do
	kill -0 "$sub" 2>/dev/null || break
	sleep 0.1
done
kill "$sub" 2>/dev/null && note "the ynl subscriber did not see both notifications in 30 s"
wait "$sub"
note "subscriber exit status $?"

# Unprivileged get-stats: a walk (ideal leaves, invalid entries) needs
# CAP_SYS_ADMIN, and the kernel says so in its extack ("Netlink error:
# EXTACK: STRERROR", the extack before the errno's text); the whole map's
# counters are world-readable.
ynl_user() {
	runuser -u linmap-user -- python3 "$ynl_dir/pyynl/cli.py" \
		--spec "$ynl_dir/specs/linmap.yaml" --no-schema --output-json "$@"
}
ynl_user --do get-stats --json '{"walk": true}' >"$RESULTS/ynl-stats-walk-user.txt" 2>&1
rc=$?
echo "exit $rc" >>"$RESULTS/ynl-stats-walk-user.txt"
[ "$rc" != 0 ] || fail "an unprivileged get-stats with the walk flag succeeded: $(cat "$RESULTS/ynl-stats-walk-user.txt")"
[ "$rc" = 1 ] || fail "unprivileged ynl get-stats (walk) exited $rc, not 1 (a crash?): $(cat "$RESULTS/ynl-stats-walk-user.txt")"
grep -Eq "^Netlink error: .*CAP_SYS_ADMIN.*: $eperm( |\$)" "$RESULTS/ynl-stats-walk-user.txt" ||
	fail "unprivileged ynl get-stats (walk) not refused with EPERM ($eperm) and an extack naming CAP_SYS_ADMIN: $(cat "$RESULTS/ynl-stats-walk-user.txt")"
ynl_user --do get-stats >"$RESULTS/ynl-stats-user.json" 2>"$RESULTS/ynl-stats-user.err" ||
	fail "an unprivileged whole-map get-stats failed: $(cat "$RESULTS/ynl-stats-user.json" "$RESULTS/ynl-stats-user.err")"
cat "$RESULTS/ynl-stats-user.json"
cat "$RESULTS/ynl-events.jsonl"

python3 - "$RESULTS" <<'PY' || fail "ynl results do not add up"
import json, sys
r = sys.argv[1]
def load(name):
    with open(f"{r}/{name}") as f:
        return json.load(f)
def total(stats):
    return sum(v for k, v in stats.items() if k.startswith("leaves-"))
churned = load("ynl-stats-churned.json")
collapsed = load("ynl-stats-collapsed.json")
user = load("ynl-stats-user.json")
reply = load("ynl-collapse.json")
events = [json.loads(l) for l in open(f"{r}/ynl-events.jsonl") if l.strip()]
names = [e.get("name") for e in events]
ok = True
def check(cond, what):
    global ok
    print(("ok   " if cond else "FAIL ") + what)
    ok = ok and cond
check("split-ntf" in names, f"a split notification arrived (got {names})")
check("collapse-ntf" in names, f"a collapse notification arrived (got {names})")
check(reply.get("tables-freed", 0) > 0, f"the collapse freed tables ({reply.get('tables-freed')})")
check(total(collapsed) < total(churned),
      f"leaves went down: {total(churned)} -> {total(collapsed)}")
check(total(collapsed) == collapsed.get("ideal-leaves"),
      f"leaves {total(collapsed)} == ideal {collapsed.get('ideal-leaves')}")
levels = ("leaves-pud", "leaves-cont-pmd", "leaves-pmd", "leaves-cont-pte", "leaves-pte")
check(all(isinstance(user.get(k), int) for k in levels) and total(user) > 0,
      f"unprivileged get-stats: the counters' leaves ({ {k: user.get(k) for k in levels} })")
check("ideal-leaves" not in user and "invalid" not in user,
      f"unprivileged get-stats: no ideal-leaves, no invalid (no walk): {sorted(user)}")
sys.exit(0 if ok else 1)
PY
note "ok"
