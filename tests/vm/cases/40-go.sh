#!/bin/sh
# timeout: 300
# scx_rlfifo_go (the FIFO scheduler written in Go on bindings/go) loads,
# schedules hackbench -g 8 -l 200 through user space while the Go runtime
# runs its many threads, and unloads cleanly on SIGINT.
. /tests/cases/lib.sh
bin=scx_rlfifo_go name=rlfifo_go log=/tmp/$name.log

command -v $bin >/dev/null || { echo "FAIL: $bin is not in the guest"; exit 1; }
$bin >"$log" 2>&1 &
pid=$!
check "state becomes enabled" wait_state enabled 300
check "root/ops shows $name (got '$(ops_name)')" [ "$(ops_name)" = $name ]
echo "$bin runs $(ls /proc/$pid/task 2>/dev/null | wc -l) threads"
hackbench -g 8 -l 200 >/tmp/hb-$name.log 2>&1
rc=$?
grep '^Time:' /tmp/hb-$name.log
check "hackbench -g 8 -l 200 completes (exit $rc)" sh -c "[ $rc = 0 ] && grep -q '^Time:' /tmp/hb-$name.log"
sleep 1.5 # one more statistics line
check "$bin still scheduling (state '$(state)')" [ "$(state)" = enabled ]
kill -INT $pid
wait $pid
rc=$?
tail -n 4 "$log"
check "$bin exits 0 after SIGINT (exit $rc)" [ $rc = 0 ]
check "state back to disabled" wait_state disabled 50
check "exit reason is 'unregistered from user space'" grep -q 'exit: unregistered from user space' "$log"
echo "last stats: $(grep 'user=' "$log" | tail -n 1)"
user=$(last_stat "$log" user)
check "user dispatches > 0 (user=$user)" [ "${user:-0}" -gt 0 ]
exit $fail
