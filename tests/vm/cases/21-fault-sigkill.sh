#!/bin/sh
# timeout: 400
# Fault 2: SIGKILL under load, SIGKILL_ROUNDS (20) times: the kernel reverts
# to the fair class and hackbench still completes with its result.
. /tests/cases/lib.sh
rounds=${SIGKILL_ROUNDS:-20}
ok=0
for i in $(seq "$rounds"); do
	hackbench $(hb_size 1 100) >/tmp/hb 2>&1 &
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
echo "SIGKILL under load: $ok/$rounds reverted to the fair class with the workload completed"
check "$rounds/$rounds reverted" [ $ok = "$rounds" ]
exit $fail
