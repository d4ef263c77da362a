#!/bin/sh
# timeout: 1200
# Live hand-over (opts.takeover, opts.linger_ms), under hackbench:
#  1. HANDOVER_ROUNDS (20, even) hand-overs between scx_rlfifo and
#     scx_interactive: each previous owner exits 0 with "handed over to
#     process N", sched_ext is enabled once and never disabled until the
#     last owner unloads it, every hackbench run completes; a 1 ms
#     sleeper's wake-up lateness across the hand-overs is printed (a
#     number to read, not a check);
#  2. SIGKILL of the owner, a successor started afterwards takes over;
#  3. SIGKILL with no successor: the scheduler unregisters itself, saying so;
#  4. two successors race while the owner is stopped: exactly one wins;
#  5. the C API's rules (scxtest_handover).
# Counts and states only: no duration is asserted.
. /tests/cases/lib.sh
rounds=${HANDOVER_ROUNDS:-20}
[ $((rounds % 2)) = 0 ] || { echo "HANDOVER_ROUNDS must be even (the last owner is scx_rlfifo)"; exit 1; }
NAME=ho
PINS=/sys/fs/bpf/libscxcore/$NAME
LINGER=10000

# dmesg lines of sched_ext about scheduler $NAME: "enabled" / "disabled".
nr_dmesg() { dmesg | grep -c "sched_ext: BPF scheduler \"$NAME\" $1"; }
# wait_exit PID [TENTHS]: until PID is gone (default 10 s, see wait_until).
gone() { ! kill -0 "$1" 2>/dev/null; }
wait_exit() { wait_until "${2:-100}" gone "$1"; }
# Any state but "enabled" seen while /tmp/watching exists goes to /tmp/not-enabled.
watch_state() {
	: >/tmp/not-enabled
	touch /tmp/watching
	(while [ -e /tmp/watching ]; do
		s=$(state)
		[ "$s" = enabled ] || echo "$s" >>/tmp/not-enabled
		sleep 0.02
	done) &
	watcher=$!
}
unwatch() { rm -f /tmp/watching; wait $watcher; }
# hackbench in a loop while /tmp/hb-loop exists; failures to /tmp/hb-fail.
start_load() {
	: >/tmp/hb-fail
	: >/tmp/hb-runs
	touch /tmp/hb-loop
	(while [ -e /tmp/hb-loop ]; do
		if hackbench $(hb_size 4 200) >/tmp/hb-out 2>&1 && grep -q '^Time:' /tmp/hb-out; then
			echo ok >>/tmp/hb-runs
		else
			echo fail >>/tmp/hb-fail
		fi
	done) &
	loader=$!
}
stop_load() { rm -f /tmp/hb-loop; wait $loader; }
# A 1 ms sleeper, 200 wake-ups at a time while /tmp/probe-loop exists; its
# samples go to /tmp/lat-probe.
start_probe() {
	rm -f /tmp/lat-probe
	touch /tmp/probe-loop
	(while [ -e /tmp/probe-loop ]; do
		scxtest_latency -n 200 -p 1000 -w 0 -l probe -o /tmp/lat-probe >/dev/null || break
	done) &
	prober=$!
}
stop_probe() { rm -f /tmp/probe-loop; wait $prober; }
# start_owner LOG PROGRAM ARGS...: started in the background as $owner;
# true once it says it schedules.
start_owner() {
	log=$1; shift
	"$@" >"$log" 2>&1 &
	owner=$!
	wait_log "$log" "scheduling with" 300
}

dmesg -c >/dev/null

echo "--- 1. $rounds hand-overs under hackbench"
start_load
# -d: every owner keeps the first one's exit_dump_len, so an ejection says
# what each CPU ran.
start_owner /tmp/ho-0.log scx_rlfifo -N $NAME -l $LINGER -d 65536
check "scx_rlfifo -l loads (state $(state))" wait_state enabled 100
check "pinned in $PINS" [ -e $PINS/link ]
watch_state
start_probe
prev=$owner ok=0
for round in $(seq 1 "$rounds"); do
	if [ $((round % 2)) = 1 ]; then
		start_owner /tmp/ho-$round.log scx_interactive -N $NAME -t -l $LINGER -S 1 -v
	else
		start_owner /tmp/ho-$round.log scx_rlfifo -N $NAME -t -l $LINGER -v
	fi
	started=$?
	if wait_exit $prev 100; then
		wait $prev
		rc=$?
	else
		rc="still running"
		kill -KILL $prev
	fi
	if [ $started = 0 ] && [ "$rc" = 0 ] && grep -q "handed over to process $owner" /tmp/ho-$((round - 1)).log; then
		ok=$((ok + 1))
	else
		echo "hand-over $round: successor started: $started, previous owner exit: $rc"
		for f in /tmp/ho-$((round - 1)).log /tmp/ho-$round.log; do
			echo "  $f:"
			grep -v '^libbpf: ' $f | tail -n 4 | sed 's/^/    /'
			# An ejection's dump follows its exit line.
			sed -n '/exit: /,$p' $f | sed '1d; s/^/    /'
		done
	fi
	prev=$owner
done
sleep 1.2 # one more statistics line of the last owner (scx_rlfifo)
unwatch
stop_probe
stop_load
echo "wake-up lateness of a 1 ms sleeper across the $rounds hand-overs (not checked):"
scxtest_latency stats probe /tmp/lat-probe
check "$rounds/$rounds hand-overs: each previous owner exited 0, 'handed over to process N' (got $ok)" [ $ok = "$rounds" ]
check "sched_ext stayed enabled throughout (other states seen: $(sort -u /tmp/not-enabled | tr '\n' ' '))" \
	[ ! -s /tmp/not-enabled ]
check "the kernel enabled '$NAME' once and never disabled it ($(nr_dmesg enabled) enabled, $(nr_dmesg disabled) disabled)" \
	[ "$(nr_dmesg enabled)" = 1 ] && [ "$(nr_dmesg disabled)" = 0 ]
check "every hackbench run completed ($(wc -l </tmp/hb-runs) runs, $(wc -l </tmp/hb-fail) failed)" \
	[ -s /tmp/hb-runs ] && [ ! -s /tmp/hb-fail ]
last=/tmp/ho-$rounds.log
handovers=$(last_stat $last handovers)
check "the last owner counts $rounds hand-overs (handovers=$handovers)" [ "$handovers" = "$rounds" ]
echo "last owner: $(grep 'user=' $last | tail -n 1)"
kill -INT $prev
wait $prev
rc=$?
check "the last owner unloads on SIGINT (exit $rc)" [ $rc = 0 ]
check "exit reason 'unregistered from user space'" grep -q 'exit: unregistered from user space' $last
check "state back to disabled" wait_state disabled 50
check "its pins are removed" [ ! -e $PINS ]

echo "--- 2. SIGKILL of the owner; a successor takes over"
dmesg -c >/dev/null
start_load
# The orphan waits 60 s: a successor slowed by host load (its BPF object is
# checked under TCG) is still a successor.
start_owner /tmp/ho-kill.log scx_rlfifo -N $NAME -l 60000
check "loaded" wait_state enabled 100
kill -KILL $owner
wait $owner 2>/dev/null
echo "after SIGKILL: state $(state)" # the dmesg count below is the check
sleep 0.5 # the fail-safe runs every task meanwhile
start_owner /tmp/ho-succ.log scx_rlfifo -N $NAME -t -l $LINGER
check "a successor takes the orphaned scheduler over" [ $? = 0 ]
sleep 1.2
stop_load
handovers=$(last_stat /tmp/ho-succ.log handovers)
check "it counts 1 hand-over (handovers=$handovers)" [ "$handovers" = 1 ]
[ "$handovers" = 1 ] || { dmesg | grep sched_ext; grep -v '^libbpf: ' /tmp/ho-succ.log | head -n 5; }
user=$(last_stat /tmp/ho-succ.log user)
check "and schedules (user=$user)" [ "${user:-0}" -gt 0 ]
check "never disabled in between ($(nr_dmesg disabled) disabled)" [ "$(nr_dmesg disabled)" = 0 ]
check "every hackbench run completed ($(wc -l </tmp/hb-runs) runs, $(wc -l </tmp/hb-fail) failed)" \
	[ -s /tmp/hb-runs ] && [ ! -s /tmp/hb-fail ]
kill -INT $owner
wait $owner
check "unloads on SIGINT (exit $?)" wait_state disabled 50

echo "--- 3. SIGKILL with no successor"
dmesg -c >/dev/null
start_load
start_owner /tmp/ho-alone.log scx_rlfifo -N $NAME -l 1500
kill -KILL $owner
wait $owner 2>/dev/null
echo "after SIGKILL: state $(state)"
check "then disabled, with no successor" wait_state disabled 300
stop_load
check "every hackbench run completed ($(wc -l </tmp/hb-runs) runs, $(wc -l </tmp/hb-fail) failed)" \
	[ -s /tmp/hb-runs ] && [ ! -s /tmp/hb-fail ]
# Not when the owner died (that would be "from user space": the link
# closing) but by the BPF side's own decision, after the linger time.
check "the kernel says the BPF side unregistered it ($(dmesg | grep -c "\"$NAME\" disabled (unregistered from BPF)"))" \
	sh -c "dmesg | grep -q '\"$NAME\" disabled (unregistered from BPF)'"
check "its pins are still there (with why it ended)" [ -e $PINS ]
# A successor that comes too late learns why (-v), and loads anew.
start_owner /tmp/ho-late.log scx_rlfifo -N $NAME -t -v
grep 'no longer runs' /tmp/ho-late.log
check "a late successor is told: 'owner N gone, no successor within 1500 ms'" \
	grep -q 'no successor within 1500 ms' /tmp/ho-late.log
check "... and loads anew (state $(state))" wait_state enabled 100
kill -INT $owner
wait $owner
check "the old pins were removed, and no new ones made (no -l)" [ ! -e $PINS ]
wait_state disabled 50

echo "--- 4. two successors race while the owner is stopped"
start_owner /tmp/ho-stopped.log scx_rlfifo -N $NAME -l $LINGER
stopped=$owner
kill -STOP $stopped
scx_rlfifo -N $NAME -t -l $LINGER -v >/tmp/ho-a.log 2>&1 &
a=$!
scx_rlfifo -N $NAME -t -l $LINGER -v >/tmp/ho-b.log 2>&1 &
b=$!
# The loser fails at once; the winner waits for the stopped owner.
one_gone() { gone $a || gone $b; }
wait_until 40 one_gone
kill -KILL $stopped
wait $stopped 2>/dev/null
sleep 1
alive=0
for p in $a $b; do kill -0 $p 2>/dev/null && alive=$((alive + 1)); done
check "exactly one successor runs ($alive)" [ $alive = 1 ]
check "the other refused: 'taking' in its diagnostics" sh -c "grep -q 'is taking' /tmp/ho-a.log /tmp/ho-b.log"
for p in $a $b; do kill -INT $p 2>/dev/null; wait $p; done
check "unloaded" wait_state disabled 50

echo "--- 5. the C API"
for t in errors requeue release version thread-owner; do
	echo "== scxtest_handover $t"
	scxtest_handover $t
	check "scxtest_handover $t" [ $? = 0 ]
done
exit $fail
