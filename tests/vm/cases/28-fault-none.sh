#!/bin/sh
# timeout: 200
# The fail-safe is a safety net, not a crutch: in a normal run (hackbench
# and sleepers under scx_rlfifo) its counters stay at zero, unless the
# guest itself stalled (a host too busy to run the emulator makes a task
# wait past the fail-safe's 100 ms through no fault of user space): then
# the count of stalls a SCHED_FIFO watcher saw is printed and excuses it.
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
check "fail-safe served no task, or the guest stalled (failsafe=$fs, stalls=$stalls)" \
	[ "$fs" = 0 -o "$stalls" -gt 0 ]
check "clean unload" grep -q 'exit: unregistered from user space' /tmp/sched
exit $fail
