#!/bin/sh
# timeout: 200
# The fail-safe is a safety net, not a crutch: in a normal run (hackbench
# and sleepers under scx_rlfifo) it serves almost nothing (0 on a quiet
# host). A host too busy to run the emulator at speed makes a few tasks
# wait past its 100 ms through no fault of user space: under 2 % of the
# tasks user space placed, or a guest stall (lib.sh, failsafe_rare).
. /tests/cases/lib.sh
stalls_start
scx_rlfifo >/tmp/sched 2>&1 &
s=$!
check "loaded" wait_state enabled
scxtest_fault probe 150 >/tmp/probe &
probe=$!
check "probe started" wait_log /tmp/probe '^probe-ready' 300
hackbench -g 4 -l 50 | grep Time
hackbench -g 4 -l 50 | grep Time
kill -TERM $probe
wait $probe
sleep 1.2
kill -INT $s
wait $s
stalls_stop
tail -n 2 /tmp/sched
cat /tmp/probe
fs=$(last_stat /tmp/sched failsafe)
user=$(last_stat /tmp/sched user)
check "the fail-safe served under 2 % of the tasks, or the guest stalled (failsafe=$fs, user=$user, stalls=$stalls)" \
	failsafe_rare "$fs" "$user"
check "clean unload" grep -q 'exit: unregistered from user space' /tmp/sched
exit $fail
