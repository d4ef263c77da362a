#!/bin/sh
# timeout: 300
# scx_rlfifo loads, schedules hackbench (hb_size 8 200) through user space
# and unloads cleanly on SIGINT; before 7.3 it refuses --host-subs.
. /tests/cases/lib.sh

# Before 7.3 no sub-schedulers: the options are refused, naming why
# (31-sub-sched runs them where they exist).
if ! grep -q sub_attach /sys/kernel/btf/vmlinux; then
	scx_rlfifo -v --host-subs >/tmp/subs.log 2>&1
	rc=$?
	check "--host-subs is refused before Linux 7.3 (exit $rc)" \
		sh -c "[ $rc != 0 ] && grep -q 'no sub-schedulers.*7.3' /tmp/subs.log"
fi
scx_rlfifo -d 16384 >/tmp/rlfifo.log 2>&1 &
pid=$!
check "state becomes enabled" wait_state enabled
check "root/ops shows rlfifo (got '$(ops_name)')" [ "$(ops_name)" = rlfifo ]
# System calls of the scheduler during the run (tracefs hist trigger): the
# BPF ones (flushes, scx_select_cpu() asking the kernel instead of reading
# the shared idle mask) must stay rare: about 0.004 per task here, 1 if
# every select_cpu() went to the kernel. The whole count (mostly
# epoll_wait) is printed, not judged; make bench measures it under icount.
T=/sys/kernel/tracing HIST='hist:keys=common_pid,id.syscall:vals=hitcount:size=8192'
hb=$(hb_size 8 200)
sleep 1.5
u0=$(last_stat /tmp/rlfifo.log user)
echo "$HIST" >$T/events/raw_syscalls/sys_enter/trigger
hackbench $hb >/tmp/hb.log 2>&1
rc=$?
sed -n "s/.*common_pid: *$pid, *id: *\([^ ]*\).*hitcount: *\([0-9]*\).*/\1 \2/p" \
	$T/events/raw_syscalls/sys_enter/hist >/tmp/rlfifo-syscalls
echo "!$HIST" >$T/events/raw_syscalls/sys_enter/trigger
tail -n 1 /tmp/hb.log
check "hackbench $hb completes (exit $rc)" sh -c "[ $rc = 0 ] && grep -q '^Time:' /tmp/hb.log"
sleep 1.5 # one more statistics line
d=$(($(last_stat /tmp/rlfifo.log user) - ${u0:-0}))
all=$(awk '{ s += $2 } END { print s + 0 }' /tmp/rlfifo-syscalls)
bpf=$(awk '$1 == "sys_bpf" { s += $2 } END { print s + 0 }' /tmp/rlfifo-syscalls)
echo "scheduler system calls during hackbench: $all ($(tr '\n' ' ' </tmp/rlfifo-syscalls)) for $d user dispatches"
check "BPF system calls per user dispatch below 0.02 ($bpf / $d)" \
	awk -v b="$bpf" -v d="$d" 'BEGIN { exit !(d > 1000 && b / d < 0.02) }'
kill -INT $pid
wait $pid
rc=$?
cat /tmp/rlfifo.log | tail -n 4
check "scx_rlfifo exits 0 after SIGINT (exit $rc)" [ $rc = 0 ]
check "state back to disabled" wait_state disabled 50
check "exit reason is 'unregistered from user space'" grep -q 'exit: unregistered from user space' /tmp/rlfifo.log
user=$(last_stat /tmp/rlfifo.log user)
check "user dispatches > 0 (user=$user)" [ "${user:-0}" -gt 0 ]
exit $fail
