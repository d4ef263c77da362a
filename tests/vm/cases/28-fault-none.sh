#!/bin/sh
# timeout: 200
# The fail-safe is a safety net, not a crutch: in a normal run (hackbench
# and sleepers under scx_rlfifo) its counters stay at zero.
. /tests/cases/lib.sh
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
tail -n 2 /tmp/sched
cat /tmp/probe
fs=$(last_stat /tmp/sched failsafe)
check "fail-safe served no task (failsafe=$fs)" [ "$fs" = 0 ]
check "clean unload" grep -q 'exit: unregistered from user space' /tmp/sched
exit $fail
