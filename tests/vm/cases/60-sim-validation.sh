#!/bin/sh
# timeout: 300
# The simulator against the kernel: hackbench -p -g 4 -f 10 -l 100 under
# scx_rlfifo, traced three times (scxtest_hackstat), then the same workload
# with the CPU cost per message of the run that measured the least (host
# load only ever inflates it), simulated by libscxcore-sim behind the same
# scx_rlfifo binary, seeds 1-5. Judged by
# scx-sim compare (docs/sim.md, "Validation against the kernel"): the mean
# context switches per class within x2.5 of the kernel runs' mean, and the
# classes finish in the same order (correlation >= 0.85). The third kernel
# run against the first two is the A/A control (printed, not judged).
. /tests/cases/lib.sh
HB="-p -g 4 -f 10 -l 100"

scx_rlfifo >/tmp/rlfifo.log 2>&1 &
pid=$!
check "state becomes enabled" wait_state enabled
: >/tmp/hs.log
for i in 1 2 3; do
	check "kernel run $i traced" sh -c "scxtest_hackstat -w /tmp/hb$i.wl $HB >/tmp/vm$i.json 2>>/tmp/hs.log"
done
kill -INT $pid
wait $pid
rc=$?
check "scx_rlfifo exits 0 after SIGINT (exit $rc)" [ $rc = 0 ]
check "state back to disabled" wait_state disabled 50
grep -v '^Running\|^Each' /tmp/hs.log
# The senders' least CPU per message (the first "run LOW..HIGH" line), in us.
sender_cost() { sed -n 's/^ *run \([0-9.]*\)us\.\..*/\1/p' "$1" | head -n 1; }
wl=$(for i in 1 2 3; do echo "$(sender_cost /tmp/hb$i.wl) /tmp/hb$i.wl"; done | sort -n | head -n 1 | cut -d' ' -f2)
echo "senders' CPU per message from: $(for i in 1 2 3; do printf ' run %s %sus' $i "$(sender_cost /tmp/hb$i.wl)"; done); simulating $wl"
cat "$wl"

# The same binary, the simulator behind it.
mkdir -p /tmp/simlib
ln -sf /usr/local/lib/libscxcore-sim.so /tmp/simlib/libscxcore.so.0
sims=
for seed in 1 2 3 4 5; do
	SCX_SIM_SEED=$seed SCX_SIM_WORKLOAD=$wl SCX_SIM_OUTPUT=/tmp/sim$seed.json SCX_SIM_TABLE=none \
		LD_LIBRARY_PATH=/tmp/simlib scx_rlfifo >/tmp/simrun.log 2>&1
	check "simulated run $seed wrote its metrics" grep -q '"completion_order"' /tmp/sim$seed.json
	sims="$sims /tmp/sim$seed.json"
done
check "they were simulated (not the kernel)" grep -q '"simulator"' /tmp/sim1.json

echo "--- A/A control: kernel run 3 against kernel runs 1-2"
scx-sim compare /tmp/vm1.json /tmp/vm2.json /tmp/vm3.json
echo "--- the simulator (seeds 1-5) against kernel runs 1-3"
check "the simulator is within the stated tolerance of the kernel" \
	scx-sim compare /tmp/vm1.json /tmp/vm2.json /tmp/vm3.json -- $sims
exit $fail
