#!/bin/sh
# timeout: 300
# Fault 3: SIGSTOP the scheduler for 10 s under load: no ejection, the
# workload keeps moving (a probe sleeping 1 ms at a time keeps waking up:
# counted over the 10 s), the fail-safe counters move, and after SIGCONT
# user space schedules again.
. /tests/cases/lib.sh
scx_rlfifo >/tmp/sched 2>&1 &
s=$!
check "loaded" wait_state enabled
stress-ng --quiet --cpu 4 --timeout 20s &
load=$!
hackbench $(hb_size 2 2000) >/tmp/hb 2>&1 &
hb=$!
scxtest_fault probe 250 >/tmp/probe &
probe=$!
check "probe started" wait_log /tmp/probe '^probe-ready' 300
sleep 2
before=$(last_stat /tmp/sched user)
probe_counted() { [ "$(grep -c '^probe-count' /tmp/probe)" != "$1" ]; }
probe_count() { # the probe's wake-ups so far: it prints them on SIGUSR1 when it next runs
	n0=$(grep -c '^probe-count' /tmp/probe)
	kill -USR1 $probe
	wait_until 100 probe_counted "$n0"
	sed -n 's/^probe-count //p' /tmp/probe | tail -n 1
}
p0=$(probe_count)
kill -STOP $s
sleep 10
p1=$(probe_count)
check "still enabled after 10 s stopped (state $(state))" [ "$(state)" = enabled ]
kill -CONT $s
sleep 3
after=$(last_stat /tmp/sched user)
kill -TERM $probe
wait $probe
cat /tmp/probe
check "the probe kept waking up while the scheduler was stopped: at least 20 times (${p0:-?} -> ${p1:-?})" \
	[ $((${p1:-0} - ${p0:-0})) -ge 20 ]
check "user dispatches grow after SIGCONT ($before -> $after)" [ "${after:-0}" -gt "${before:-0}" ]
fs=$(last_stat /tmp/sched failsafe)
check "fail-safe served tasks while stopped (failsafe=$fs)" [ "${fs:-0}" -gt 0 ]
wait $load
kill -INT $s
wait $s
check "clean unload afterwards" grep -q 'exit: unregistered from user space' /tmp/sched
kill $hb 2>/dev/null
wait $hb 2>/dev/null
grep failsafe= /tmp/sched | tail -n 1
exit $fail
