# Soak (make soak; not in CI): scx_rlfifo under a stress-ng mix of CPU,
# fork, context-switch and pipe stressors for SOAK_SECS (default 300 s),
# checking every 10 s that it is still the scheduler. Sourced by sh, not run
# by run-cases (not executable).
. /tests/cases/lib.sh
secs=${SOAK_SECS:-300}
scx_rlfifo >/tmp/sched 2>&1 &
s=$!
check "loaded" wait_state enabled
stress-ng --cpu 4 --fork 4 --switch 4 --pipe 4 --timeout "${secs}s" --metrics-brief >/tmp/stress 2>&1 &
load=$!
ejections=0 t=0
while kill -0 $load 2>/dev/null; do
	sleep 10
	t=$((t + 10))
	if [ "$(state)" != enabled ] || ! kill -0 $s 2>/dev/null; then
		ejections=$((ejections + 1))
		echo "t=${t}s: scheduler gone (state $(state))"
		break
	fi
	[ $((t % 60)) = 0 ] && echo "t=${t}s: $(grep user= /tmp/sched | tail -n 1)"
done
wait $load
stress_rc=$?
kill -INT $s
wait $s
tail -n 3 /tmp/sched
grep -A20 'stressor' /tmp/stress | head -8
echo "soak: ${secs} s of stress-ng --cpu 4 --fork 4 --switch 4 --pipe 4: $ejections ejections, stress-ng exit $stress_rc"
check "no ejection" [ $ejections = 0 ]
check "stress-ng completed" [ $stress_rc = 0 ]
check "clean unload" grep -q 'exit: unregistered from user space' /tmp/sched
exit $fail
