# Shared helpers for the VM cases (sourced, not run: not executable).
fail=0
check() { # DESCRIPTION COMMAND...
	d=$1; shift
	if "$@"; then echo "ok: $d"; else echo "FAIL: $d"; fail=1; fi
}
state() { cat /sys/kernel/sched_ext/state; }
ops_name() { cat /sys/kernel/sched_ext/root/ops 2>/dev/null; }
# wait_until TENTHS COMMAND...: until COMMAND succeeds; false if it still
# fails after TENTHS rounds of 'sleep 0.1' and TENTHS tenths of a second of
# the guest's clock, whichever is later. Neither bound alone holds on a
# loaded host: a round can take seconds (a busy guest forking the check
# and sleep; a take-over owner's first line came after 25-30 s in 3-4
# rounds), and 300 rounds once took only 9-16 s (28-fault-none).
wait_until() {
	wu_max=$1 wu_n=0
	shift
	wu_end=$(($(uptime_tenths) + wu_max))
	until "$@"; do
		[ $wu_n -ge "$wu_max" ] && [ "$(uptime_tenths)" -ge $wu_end ] && return 1
		sleep 0.1
		wu_n=$((wu_n + 1))
	done
}
uptime_tenths() { awk '{ printf "%d\n", $1 * 10 }' /proc/uptime; }
state_is() { [ "$(state)" = "$1" ]; }
# wait_state STATE [TENTHS]: until sched_ext is in STATE (default 10 s).
wait_state() { wait_until "${2:-100}" state_is "$1"; }
# last_stat LOG FIELD: FIELD=N from the last statistics line of LOG.
last_stat() { grep "$2=" "$1" | tail -n 1 | sed -n "s/.*[ ]$2=\([0-9]*\).*/\1/p; s/^$2=\([0-9]*\).*/\1/p" | head -n 1; }
# stalls_start / stalls_stop: a SCHED_FIFO watcher on CPU 0 counts the
# times the guest itself did not run for over 100 ms (the host starved the
# emulator); stalls_stop prints its line and sets $stalls. A check that the
# fail-safe stayed idle holds only when the guest did not stall: a starved
# guest makes tasks wait that long through no fault of user space.
stalls_start() {
	scxtest_fault stalls 100 >/tmp/stalls &
	stalls_pid=$!
	wait_log /tmp/stalls '^stalls-ready' 100
}
stalls_stop() {
	kill -TERM "$stalls_pid"
	wait "$stalls_pid"
	cat /tmp/stalls
	stalls=$(sed -n 's/^stalls: \([0-9]*\) .*/\1/p' /tmp/stalls)
	stalls=${stalls:-0}
}
# failsafe_rare FAILSAFE USER: the fail-safe served under 2 % as many
# tasks as user space placed, or the guest stalled (stalls_stop). A host
# that slows the whole guest (no gap over 100 ms, yet a probe's wake-up
# waited 617 ms) makes a few tasks wait past the fail-safe's 100 ms; a user
# space that does not keep up makes it serve many.
failsafe_rare() {
	[ "${1:-1}" -le "$(( ${2:-0} / 50 ))" ] || [ "${stalls:-0}" -gt 0 ]
}
# wait_log FILE PATTERN [TENTHS]: until FILE has a line matching PATTERN
# (default 10 s, see wait_until); a timeout says what it waited for.
log_has() { grep -q "$2" "$1" 2>/dev/null; }
wait_log() {
	wait_until "${3:-100}" log_has "$1" "$2" && return
	echo "wait_log: no '$2' in $1 after $wu_n rounds (uptime $(cut -d' ' -f1 /proc/uptime) s)"
	false
}

# hb_size GROUPS LOOPS: hackbench's "-g GROUPS -l LOOPS" for this guest:
# GROUPS and LOOPS divided (rounding up) by the two numbers of VM_HB_SCALE,
# which tests/vm/run sets for a slower guest architecture.
hb_size() {
	set -- "$1" "$2" ${VM_HB_SCALE:-1 1}
	echo "-g $((($1 + $3 - 1) / $3)) -l $((($2 + $4 - 1) / $4))"
}

# example_case BIN NAME: the FIFO example BIN (a binding's) loads as NAME,
# schedules hackbench (hb_size 8 200) through user space and unloads
# cleanly on SIGINT (40-go, 41-zig, 12-slow-guest). $ENABLE_TENTHS: how
# long loading may take (default 30 s).
example_case() {
	bin=$1 name=$2 log=/tmp/$2.log hb=$(hb_size 8 200)
	command -v $bin >/dev/null || { echo "FAIL: $bin is not in the guest"; exit 1; }
	$bin >"$log" 2>&1 &
	pid=$!
	check "state becomes enabled" wait_state enabled "${ENABLE_TENTHS:-300}"
	check "root/ops shows $name (got '$(ops_name)')" [ "$(ops_name)" = $name ]
	echo "$bin runs $(ls /proc/$pid/task 2>/dev/null | wc -l) threads"
	hackbench $hb >/tmp/hb-$name.log 2>&1
	rc=$?
	grep '^Time:' /tmp/hb-$name.log
	check "hackbench $hb completes (exit $rc)" sh -c "[ $rc = 0 ] && grep -q '^Time:' /tmp/hb-$name.log"
	sleep 1.5 # one more statistics line
	check "$bin still scheduling (state '$(state)')" [ "$(state)" = enabled ]
	kill -INT $pid
	wait $pid
	rc=$?
	tail -n 4 "$log"
	check "$bin exits 0 after SIGINT (exit $rc)" [ $rc = 0 ]
	check "state back to disabled" wait_state disabled 50
	check "exit reason is 'unregistered from user space'" grep -q 'exit: unregistered from user space' "$log"
	echo "last stats: $(grep 'user=' "$log" | tail -n 1)"
	user=$(last_stat "$log" user)
	check "user dispatches > 0 (user=$user)" [ "${user:-0}" -gt 0 ]
}
