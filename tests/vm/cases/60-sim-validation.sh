#!/bin/sh
# timeout: 300
# The simulator against the kernel: hackbench -p -g 4 -f 10 -l 100 under
# scx_rlfifo, traced (scxtest_hackstat), then the same workload with the CPU
# cost per message measured in that run, simulated by libscxcore-sim behind
# the same scx_rlfifo binary. Judged by scx-sim compare (docs/sim.md,
# "Validation"): context switches per class within x1.6 of the kernel's, and
# the classes finish in the same order. A second kernel run against the
# first is the A/A control (printed, not judged).
. /tests/cases/lib.sh
HB="-p -g 4 -f 10 -l 100"

scx_rlfifo >/tmp/rlfifo.log 2>&1 &
pid=$!
check "state becomes enabled" wait_state enabled
check "kernel run 1 traced" sh -c "scxtest_hackstat -w /tmp/hb.wl $HB >/tmp/vm1.json 2>/tmp/hs.log"
check "kernel run 2 traced" sh -c "scxtest_hackstat $HB >/tmp/vm2.json 2>>/tmp/hs.log"
kill -INT $pid
wait $pid
rc=$?
check "scx_rlfifo exits 0 after SIGINT (exit $rc)" [ $rc = 0 ]
check "state back to disabled" wait_state disabled 50
grep -v '^Running\|^Each' /tmp/hs.log
cat /tmp/hb.wl

# The same binary, the simulator behind it.
mkdir -p /tmp/simlib
ln -sf /usr/local/lib/libscxcore-sim.so /tmp/simlib/libscxcore.so.0
SCX_SIM_WORKLOAD=/tmp/hb.wl SCX_SIM_OUTPUT=/tmp/sim.json SCX_SIM_TABLE=none \
	LD_LIBRARY_PATH=/tmp/simlib scx_rlfifo >/tmp/simrun.log 2>&1
check "the simulated run wrote its metrics" grep -q '"completion_order"' /tmp/sim.json
check "it was simulated (not the kernel)" grep -q '"simulator"' /tmp/sim.json

echo "--- A/A control: kernel run 2 against kernel run 1"
scx-sim compare /tmp/vm1.json /tmp/vm2.json
echo "--- the simulator against kernel run 1"
check "the simulator is within the stated tolerance of the kernel" scx-sim compare /tmp/vm1.json /tmp/sim.json
exit $fail
