#!/bin/sh
# timeout: 240
# The C++ wrapper on the real kernel: scxtest_cxx's kernel tests all run (none
# skipped), then scx_rlvtime loads, schedules hackbench -g 4 -l 100 and
# unloads cleanly on SIGINT.
. /tests/cases/lib.sh

# NoSchedExt.* are the host's tests (they skip on a sched_ext kernel).
scxtest_cxx --gtest_filter='-NoSchedExt.*' >/tmp/cxxtest.log 2>&1
rc=$?
grep -E '^\[ *(FAILED|SKIPPED|PASSED) *\]|^\[=+\]|Failure' /tmp/cxxtest.log
check "scxtest_cxx passes (exit $rc)" [ $rc = 0 ]
n=$(grep -c '^\[  SKIPPED \]' /tmp/cxxtest.log)
check "no test skipped ($n SKIPPED lines)" [ "$n" = 0 ]
n=$(grep -c '^\[       OK \] Kernel\.' /tmp/cxxtest.log)
check "the Kernel.* tests ran ($n passed)" [ "$n" -ge 7 ]
check "state disabled after the tests" wait_state disabled 30
[ $rc = 0 ] || tail -n 40 /tmp/cxxtest.log

scx_rlvtime >/tmp/rlvtime.log 2>&1 &
pid=$!
check "state becomes enabled" wait_state enabled
check "root/ops shows rlvtime (got '$(ops_name)')" [ "$(ops_name)" = rlvtime ]
hackbench $(hb_size 4 100) >/tmp/hb.log 2>&1
rc=$?
tail -n 1 /tmp/hb.log
check "hackbench $(hb_size 4 100) completes (exit $rc)" sh -c "[ $rc = 0 ] && grep -q '^Time:' /tmp/hb.log"
sleep 1.5 # one more statistics line
kill -INT $pid
wait $pid
rc=$?
tail -n 4 /tmp/rlvtime.log
check "scx_rlvtime exits 0 after SIGINT (exit $rc)" [ $rc = 0 ]
check "state back to disabled" wait_state disabled 50
check "exit reason is 'unregistered from user space'" grep -q 'exit: unregistered from user space' /tmp/rlvtime.log
user=$(last_stat /tmp/rlvtime.log user)
check "user dispatches > 0 (user=$user)" [ "${user:-0}" -gt 0 ]
exit "$fail"
