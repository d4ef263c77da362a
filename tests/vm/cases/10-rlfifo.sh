#!/bin/sh
# timeout: 300
# scx_rlfifo loads, schedules hackbench -g 8 -l 200 through user space and
# unloads cleanly on SIGINT.
. /tests/cases/lib.sh

scx_rlfifo -d 16384 >/tmp/rlfifo.log 2>&1 &
pid=$!
check "state becomes enabled" wait_state enabled
check "root/ops shows rlfifo (got '$(ops_name)')" [ "$(ops_name)" = rlfifo ]
hackbench -g 8 -l 200 >/tmp/hb.log 2>&1
rc=$?
tail -n 1 /tmp/hb.log
check "hackbench -g 8 -l 200 completes (exit $rc)" sh -c "[ $rc = 0 ] && grep -q '^Time:' /tmp/hb.log"
sleep 1.5 # one more statistics line
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
