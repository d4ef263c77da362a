# Shared helpers for the VM cases (sourced, not run: not executable).
fail=0
check() { # DESCRIPTION COMMAND...
	d=$1; shift
	if "$@"; then echo "ok: $d"; else echo "FAIL: $d"; fail=1; fi
}
state() { cat /sys/kernel/sched_ext/state; }
ops_name() { cat /sys/kernel/sched_ext/root/ops 2>/dev/null; }
# wait_state STATE [TENTHS]: until sched_ext is in STATE (default 10 s).
wait_state() {
	i=0
	while [ "$(state)" != "$1" ] && [ $i -lt "${2:-100}" ]; do sleep 0.1; i=$((i + 1)); done
	[ "$(state)" = "$1" ]
}
# last_stat LOG FIELD: FIELD=N from the last statistics line of LOG.
last_stat() { grep "$2=" "$1" | tail -n 1 | sed -n "s/.*[ ]$2=\([0-9]*\).*/\1/p; s/^$2=\([0-9]*\).*/\1/p" | head -n 1; }
# wait_log FILE PATTERN [TENTHS]: until FILE has a line matching PATTERN.
wait_log() {
	i=0
	while ! grep -q "$2" "$1" 2>/dev/null && [ $i -lt "${3:-100}" ]; do sleep 0.1; i=$((i + 1)); done
	grep -q "$2" "$1" 2>/dev/null
}
