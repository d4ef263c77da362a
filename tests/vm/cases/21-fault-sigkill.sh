#!/bin/sh
# timeout: 400
# Fault 2: SIGKILL under load, 20 times: the kernel reverts to the fair class
# and hackbench still completes with its result.
. /tests/cases/lib.sh
ok=0
for i in $(seq 20); do
	hackbench -g 1 -l 100 >/tmp/hb 2>&1 &
	hb=$!
	scx_rlfifo >/tmp/sched 2>&1 &
	s=$!
	wait_state enabled 100 && sleep 0.3
	kill -KILL $s
	wait $s 2>/dev/null
	wait $hb
	hb_rc=$?
	if wait_state disabled 100 && [ $hb_rc = 0 ] && grep -q '^Time:' /tmp/hb; then
		ok=$((ok + 1))
	else
		echo "round $i: hackbench exit $hb_rc, state $(state)"
		tail -n 3 /tmp/hb
	fi
done
echo "SIGKILL under load: $ok/20 reverted to the fair class with the workload completed"
check "20/20 reverted" [ $ok = 20 ]
exit $fail
