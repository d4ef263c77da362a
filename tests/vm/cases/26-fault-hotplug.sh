#!/bin/sh
# timeout: 200
# Fault 7: CPU hotplug while running: the kernel stops the scheduler and asks
# for a restart; scx_rlfifo restarts itself each time and keeps scheduling.
. /tests/cases/lib.sh
cpu=/sys/devices/system/cpu/cpu3/online
[ -w $cpu ] || { echo "no hotpluggable cpu3"; exit 77; }
scx_rlfifo >/tmp/sched 2>&1 &
s=$!
check "loaded" wait_state enabled
echo 0 >$cpu
check "CPU 3 offline: scx_rlfifo restarts" wait_log /tmp/sched restarting 100
check "enabled again" wait_state enabled
echo 1 >$cpu
i=0; while [ "$(grep -c restarting /tmp/sched)" -lt 2 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
check "CPU 3 online: restarted again ($(grep -c restarting /tmp/sched) restarts) ($(grep -c restarting /tmp/sched))" [ "$(grep -c restarting /tmp/sched)" -ge 2 ]
check "enabled after both" wait_state enabled
hackbench -g 2 -l 50 >/tmp/hb 2>&1
check "hackbench runs under the restarted scheduler" grep -q '^Time:' /tmp/hb
grep 'exit:' /tmp/sched
kill -INT $s
wait $s
check "clean unload at the end" sh -c 'grep "exit:" /tmp/sched | tail -n 1 | grep -q "unregistered from user space"'
exit $fail
