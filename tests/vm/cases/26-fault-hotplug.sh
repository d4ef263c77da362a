#!/bin/sh
# timeout: 1800
# Fault 7: CPU hotplug, handled live. For scx_rlfifo, scx_interactive and the
# Go example in turn: HOTPLUG_CYCLES (50) offline/online cycles of a random
# CPU other than 0 under a hackbench loop. Asserts, each time: sched_ext
# stays enabled with the same scheduler throughout (polled after every step;
# enable_seq unchanged: no restart), no ejection, every hackbench run
# completes, the scheduler counted two hotplug events per cycle, tasks still
# go through user space after the cycles, and it unloads cleanly.
. /tests/cases/lib.sh
cycles=${HOTPLUG_CYCLES:-50}
ncpu=$(nproc)
[ "$ncpu" -gt 1 ] && [ -w /sys/devices/system/cpu/cpu1/online ] ||
	{ echo "no hotpluggable CPU"; exit 77; }
seq_now() { cat /sys/kernel/sched_ext/enable_seq; }
# A random CPU in 1..ncpu-1, from the kernel's entropy (busybox sh has no $RANDOM).
random_cpu() { echo $((1 + $(od -An -N2 -tu2 /dev/urandom) % (ncpu - 1))); }

hotplug_run() { # NAME OPS_NAME PROGRAM ARGS...
	name=$1 ops=$2; shift 2
	log=/tmp/hp-$name.log
	echo "--- $name: $cycles hotplug cycles under hackbench"
	"$@" >"$log" 2>&1 &
	spid=$!
	check "$name loads" wait_state enabled 300
	seq0=$(seq_now)
	dmesg -c >/dev/null
	rm -f /tmp/hb-stop; : >/tmp/hb-runs; : >/tmp/hb-fails
	(while [ ! -e /tmp/hb-stop ]; do
		if hackbench $(hb_size 4 100) >/dev/null 2>&1; then echo >>/tmp/hb-runs; else echo >>/tmp/hb-fails; fi
	done) &
	hb=$!
	off=0 not_enabled=0 i=0
	while [ $i -lt "$cycles" ]; do
		c=$(random_cpu)
		f=/sys/devices/system/cpu/cpu$c/online
		echo 0 >"$f" && off=$((off + 1))
		[ "$(state)" = enabled ] && [ "$(ops_name)" = "$ops" ] || not_enabled=$((not_enabled + 1))
		echo 1 >"$f"
		[ "$(state)" = enabled ] && [ "$(ops_name)" = "$ops" ] || not_enabled=$((not_enabled + 1))
		i=$((i + 1))
	done
	online=$(cat /sys/devices/system/cpu/online)
	u0=$(last_stat "$log" user)
	sleep 2 # the hackbench loop goes on, with every CPU back
	touch /tmp/hb-stop
	wait $hb
	sleep 1.5 # one more statistics line
	runs=$(wc -l </tmp/hb-runs) fails=$(wc -l </tmp/hb-fails)
	u1=$(last_stat "$log" user) events=$(last_stat "$log" hotplug)
	echo "$name: $off CPUs taken offline and back; hackbench runs $runs, failed $fails;" \
		"hotplug events counted ${events:-?}; user dispatches ${u0:-?} -> ${u1:-?}"
	check "$name: every offline/online succeeded ($off of $cycles; online now: $online)" \
		sh -c "[ $off = $cycles ] && [ '$online' = '0-$((ncpu - 1))' ]"
	check "$name: enabled, as $ops, after every step ($not_enabled times not)" [ "$not_enabled" = 0 ]
	check "$name: never reloaded (enable_seq $seq0 -> $(seq_now))" [ "$seq0" = "$(seq_now)" ]
	check "$name: no ejection" sh -c '! dmesg | grep -q "sched_ext: .*disabled"'
	check "$name: hackbench ran and completed every time ($runs runs, $fails failed)" \
		sh -c "[ $runs -gt 0 ] && [ $fails = 0 ]"
	check "$name: counted 2 hotplug events per cycle (${events:-?})" [ "${events:-0}" -ge $((2 * cycles)) ]
	check "$name: tasks still go through user space after the cycles (user ${u0:-?} -> ${u1:-?})" \
		[ "${u1:-0}" -gt "${u0:-0}" ]
	kill -INT $spid
	wait $spid
	rc=$?
	check "$name exits 0 after SIGINT (exit $rc)" [ $rc = 0 ]
	check "$name: exit reason is 'unregistered from user space'" \
		sh -c "grep 'exit' '$log' | tail -n 1 | grep -q 'unregistered from user space'"
	check "$name: state back to disabled" wait_state disabled 50
}

hotplug_run rlfifo rlfifo scx_rlfifo
hotplug_run interactive interactive scx_interactive --stats 1
if command -v scx_rlfifo_go >/dev/null; then
	hotplug_run go rlfifo_go scx_rlfifo_go
else
	echo "FAIL: scx_rlfifo_go is not in the guest"
	fail=1
fi
exit $fail
