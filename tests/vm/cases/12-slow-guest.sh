#!/bin/sh
# timeout: 1500
# A slow machine (make test-vm-slow: tests/vm/run --icount shift=5,sleep=off,
# so guest time advances 32 ns per instruction, all vCPUs together, and
# host load cannot change what the guest sees): scx_rlfifo carries
# hackbench -g 8 -l 200, some 3 minutes of guest time with hundreds of tasks
# in its FIFO, and is not ejected. The kernel's sched_ext watchdog is an
# unbound kworker that must run every timeout/2; while kernel threads waited
# in user space like other tasks, it came late ("watchdog failed to check
# in for 5.0s") in each of 4 runs. Skipped on a guest without icount, where
# 10-rlfifo is the same run.
. /tests/cases/lib.sh
[ -n "${VM_ICOUNT:-}" ] || { echo "not a slowed guest: make test-vm-slow runs this case"; exit 77; }
ENABLE_TENTHS=3000 example_case scx_rlfifo rlfifo
exit $fail
