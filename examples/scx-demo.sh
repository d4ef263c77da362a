#!/bin/sh
# scx-demo [SECONDS]: the main job, run inside the VM by `make run-example`.
# Loads scx_rlfifo, runs a mixed workload through it (hackbench, CPU hogs,
# sleepers), prints its statistics and why it exited, and unloads it.
secs=${1:-10}
echo "== kernel $(uname -r), $(nproc) CPUs, sched_ext: $(cat /sys/kernel/sched_ext/state)"
scx_rlfifo &
sched=$!
i=0
while [ "$(cat /sys/kernel/sched_ext/state)" != enabled ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
echo "== sched_ext: $(cat /sys/kernel/sched_ext/state), scheduler: $(cat /sys/kernel/sched_ext/root/ops 2>/dev/null)"

echo "== workload for $secs s: 2 CPU hogs, 4 sleepers (1 ms naps), hackbench in a loop"
stress-ng --quiet --cpu 2 --timeout "${secs}s" &
hogs=$!
for n in 1 2 3 4; do
	( end=$(($(date +%s) + secs)); while [ "$(date +%s)" -lt $end ]; do usleep 1000; done ) &
done
end=$(($(date +%s) + secs))
runs=0
while [ "$(date +%s)" -lt $end ]; do
	hackbench -g 4 -l 50 | grep Time
	runs=$((runs + 1))
done
wait $hogs
echo "== $runs hackbench runs done; stopping the scheduler (SIGINT)"
kill -INT $sched
wait $sched
echo "== scx_rlfifo exited with status $?; sched_ext: $(cat /sys/kernel/sched_ext/state)"
