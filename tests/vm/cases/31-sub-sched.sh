#!/bin/sh
# timeout: 600
# Two libscxcore schedulers at once on 7.3+, a root (--host-subs) and a
# sub-scheduler serving cgroup "sub" (--sub-cgroup; its own process in it
# too), each part under hackbench, alone then together. Counts: each part's
# tasks reach its own scheduler's user space only, neither's fail-safe
# serves more than a few, neither is ejected, both exit 0. First the
# refusals: no root (-ENODEV), a root that hosts none (-EOPNOTSUPP), a
# second sub on the same cgroup (-EBUSY); last, scx_interactive (C++) as
# the sub.
. /tests/cases/lib.sh

if ! grep -q sub_attach /sys/kernel/btf/vmlinux 2>/dev/null; then
	echo "no sub-scheduler support in this kernel (no ops.sub_attach in its BTF)"
	exit 77
fi
CG=/sys/fs/cgroup
[ -f $CG/cgroup.controllers ] || mount -t cgroup2 none $CG
mkdir -p $CG/sub $CG/main
# refused_sub WHY: a sub-scheduler that fails to load, saying WHY (-v).
refused_sub() {
	scx_rlfifo -v --sub-cgroup $CG/sub -N sub2 >/tmp/sub2.log 2>&1
	rc=$?
	[ $rc != 0 ] && grep -q "$1" /tmp/sub2.log || { tail -n 5 /tmp/sub2.log; false; }
}
check "a sub-scheduler with no scheduler enabled is refused (-ENODEV)" refused_sub "no sched_ext scheduler is enabled"
scx_rlfifo -N plain >/tmp/plain.log 2>&1 &
plain=$!
check "a root without --host-subs becomes enabled" wait_state enabled
check "a sub-scheduler under it is refused (-EOPNOTSUPP)" refused_sub "hosts no sub-schedulers"
check "that root still runs" state_is enabled
kill -INT $plain
wait $plain
check "state disabled again" wait_state disabled 50
scx_rlfifo --host-subs -N root -d 16384 >/tmp/root.log 2>&1 &
root=$!
check "the root becomes enabled" wait_state enabled
sh -c "echo \$\$ >$CG/sub/cgroup.procs; exec scx_rlfifo --sub-cgroup $CG/sub -N sub -d 16384" >/tmp/sub.log 2>&1 &
sub=$!
check "the sub-scheduler attaches under the root" wait_until 100 [ -d "/sys/kernel/sched_ext/root/sub/sub-$(stat -c %i $CG/sub)" ]
check "a second one on the same cgroup is refused (-EBUSY)" refused_sub "has a sub-scheduler already"
hb=$(hb_size 4 300)
# in_part PART: run hackbench in cgroup PART; its exit status.
in_part() { sh -c "echo \$\$ >$CG/$1/cgroup.procs; exec hackbench $hb" >"/tmp/hb-$1.log" 2>&1; }
# alone PART: hackbench in PART with the other part idle; sets rc, and dr
# and ds: the root's and the sub's user dispatches over the run.
alone() {
	r0=$(last_stat /tmp/root.log user) s0=$(last_stat /tmp/sub.log user)
	in_part "$1"
	rc=$?
	sleep 1.5 # one more statistics line each
	dr=$(($(last_stat /tmp/root.log user) - r0)) ds=$(($(last_stat /tmp/sub.log user) - s0))
}
# Each part alone: only its scheduler decides for it (the other's count
# moves by its background tasks at most: the sub has none but its own
# process, whose threads BPF places without asking user space).
sleep 1.5
alone sub
check "hackbench in the sub's cgroup completes (exit $rc)" [ $rc = 0 ]
check "its tasks went to the sub's user space ($ds dispatches)" [ $ds -gt 1000 ]
check "not to the root's ($dr)" [ $dr -lt $((ds / 10)) ]
alone main
check "hackbench in the root's part completes (exit $rc)" [ $rc = 0 ]
check "its tasks went to the root's user space ($dr dispatches)" [ $dr -gt 1000 ]
check "not to the sub's ($ds)" [ $ds -lt 10 ]
# Both at once (a guest the host starved excuses the fail-safe: lib.sh).
stalls_start
in_part sub &
hsub=$!
in_part main
rc_main=$?
wait $hsub
rc_sub=$?
check "both at once: hackbench completes in the sub's part (exit $rc_sub)" [ $rc_sub = 0 ]
check "and in the root's (exit $rc_main)" [ $rc_main = 0 ]
stalls_stop
sleep 1.5 # one more statistics line each
for s in root sub; do
	f=$(last_stat /tmp/$s.log failsafe) u=$(last_stat /tmp/$s.log user)
	check "$s's fail-safe served few tasks ($f of $u placed by user space; lib.sh)" failsafe_rare "$f" "$u"
done
kill -INT $sub
wait $sub
rc=$?
check "the sub exits 0 after SIGINT (exit $rc)" [ $rc = 0 ]
check "the root still runs" state_is enabled
# The C++ example as the sub-scheduler, under the same root.
sh -c "echo \$\$ >$CG/sub/cgroup.procs; exec scx_interactive --sub-cgroup $CG/sub -N isub --stats 1" >/tmp/sub.log 2>&1 &
sub=$!
check "scx_interactive attaches as the sub-scheduler" wait_log /tmp/sub.log ' user='
alone sub
check "hackbench in its cgroup completes (exit $rc)" [ $rc = 0 ]
check "its tasks went to scx_interactive's user space ($ds dispatches)" [ $ds -gt 1000 ]
check "not to the root's ($dr)" [ $dr -lt $((ds / 10)) ]
kill -INT $sub
wait $sub
rc=$?
check "scx_interactive exits 0 after SIGINT (exit $rc)" [ $rc = 0 ]
check "the root still runs after it" state_is enabled
kill -INT $root
wait $root
rc=$?
check "the root exits 0 after SIGINT (exit $rc)" [ $rc = 0 ]
check "state back to disabled" wait_state disabled 50
tail -n 2 /tmp/root.log /tmp/sub.log
exit $fail
