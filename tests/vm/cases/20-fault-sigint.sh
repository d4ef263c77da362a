#!/bin/sh
# timeout: 400
# Fault 1: SIGINT under load, 20 times: every time a clean unload (state
# disabled, "unregistered from user space") and the workload completes.
. /tests/cases/lib.sh
ok=0
for i in $(seq 20); do
	hackbench -g 1 -l 100 >/tmp/hb 2>&1 &
	hb=$!
	scx_rlfifo >/tmp/sched 2>&1 &
	s=$!
	wait_state enabled 100 && sleep 0.3
	kill -INT $s
	wait $s
	rc=$?
	wait $hb
	hb_rc=$?
	if wait_state disabled 50 && [ $rc = 0 ] && grep -q 'exit: unregistered from user space' /tmp/sched &&
		[ $hb_rc = 0 ] && grep -q '^Time:' /tmp/hb; then
		ok=$((ok + 1))
	else
		echo "round $i: scheduler exit $rc, hackbench exit $hb_rc, state $(state)"
		tail -n 3 /tmp/sched /tmp/hb
	fi
done
echo "SIGINT under load: $ok/20 clean unloads with the workload completed"
check "20/20 clean" [ $ok = 20 ]
exit $fail
