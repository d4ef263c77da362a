#!/bin/sh
# scx-bench [-r ROUNDS] [-w WAKEUPS] [-i IDLE_SECS]: the guest side of `make bench`
# (installed as build/bin/scx-bench; runs as root in the VM).
#
# Rounds: each round runs every scheduler once, in the same order
#   EEVDF  scx_rlfifo  [scx_interactive]  EEVDF-bis
# (EEVDF = no sched_ext scheduler loaded; EEVDF-bis is EEVDF again, the A/A
# control; scx_interactive only if it is installed). Per scheduler and round:
#   hackbench -g 8 -l 200 (sockets) and hackbench -p -g 8 -l 200 (pipes),
#   a pipe ping-pong (scxtest_bench pingpong),
#   a wake-up lateness probe (1 ms sleeps, WAKEUPS samples, default 2000)
#   beside 4 CPU hogs,
#   the CPU stress-ng's processes get in upstream's CI mix over 8 s.
# Then the overheads of each user-space scheduler, one at a time: system
# calls per scheduled task during a hackbench run (tracefs hist trigger on
# raw_syscalls:sys_enter, summed over the scheduler's threads), its CPU time
# per 1,000 scheduled tasks, and its CPU use over IDLE_SECS (default 10) idle
# seconds; scxtest_bench_sched (scx_rlfifo's policy, instrumented) adds the
# enqueue->dequeue and enqueue->run latency histograms.
#
# Machine-readable lines start with "@bench " followed by key=value words
# (bench/report.py reads them); everything else is for people.
rounds=7 idle_secs=10 WK_N=2000
while getopts r:w:i: o; do
	case $o in
	r) rounds=$OPTARG ;;
	w) WK_N=$OPTARG ;;
	i) idle_secs=$OPTARG ;;
	*) echo "usage: scx-bench [-r ROUNDS] [-w WAKEUPS] [-i IDLE_SECS]" >&2; exit 2 ;;
	esac
done

HB_GROUPS=8 HB_LOOPS=200
PP_N=5000
HOGS=4
# Upstream sched_ext CI's stress-ng mix, for STRESS_S seconds of guest time.
STRESS_MIX='--aggressive -c 4 -f 4 --affinity 4 --pipe 2'
STRESS_S=8
T=/sys/kernel/tracing
HIST='hist:keys=common_pid,id.syscall:vals=hitcount:size=8192'

emit() { echo "@bench $*"; }
uptime_s() { cut -d' ' -f1 /proc/uptime; }
state() { cat /sys/kernel/sched_ext/state 2>/dev/null; }
wait_state() { # STATE TENTHS
	i=0
	while [ "$(state)" != "$1" ] && [ $i -lt "$2" ]; do sleep 0.1; i=$((i + 1)); done
	[ "$(state)" = "$1" ]
}
field() { # TEXT KEY: KEY=VALUE from a line of key=value words
	echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -n 1
}
# The library's counters, from its BPF .bss (JSON with BTF), into $bss.
read_bss() { bss=$(bpftool -j map dump name scxcore.bss 2>/dev/null); }
bss_field() { # NAME (after read_bss)
	echo "$bss" | grep -o "\"$1\":[0-9]*" | head -n 1 | cut -d: -f2
}
dispatches() { read_bss; bss_field nr_user_dispatches; }
delta_us() { # NEW OLD: NEW - OLD, or -1 when schedstat was unreadable
	if [ "$1" -ge 0 ] && [ "$2" -ge 0 ]; then echo $(($1 - $2)); else echo -1; fi
}
cpu_read() { # PID: its CPU time so far into $c_ms (stat, ticks) and $c_us (schedstat)
	c_line=$(scxtest_bench cputime "$1" 2>/dev/null)
	c_ms=$(field "$c_line" ms) c_us=$(field "$c_line" run_us)
	c_ms=${c_ms:-0} c_us=${c_us:--1}
}

spid='' slog=''
start_sched() { # LABEL PROGRAM: loads it; sets spid (empty for EEVDF)
	spid=''
	[ -n "$2" ] || return 0
	slog=/tmp/sched-$1.log
	"$2" >"$slog" 2>&1 &
	spid=$!
	if ! wait_state enabled 300; then
		emit error sched="$1" what=load
		echo "bench: $2 did not load; its output:"
		cat "$slog"
		kill -INT "$spid" 2>/dev/null
		wait "$spid" 2>/dev/null
		spid=''
		return 1
	fi
}
stop_sched() { # LABEL
	[ -n "$spid" ] || return 0
	if ! kill -0 "$spid" 2>/dev/null || [ "$(state)" != enabled ]; then
		emit error sched="$1" what=exited_during_run
		echo "bench: $1 was no longer running; its output:"
		tail -n 20 "$slog"
	fi
	kill -INT "$spid" 2>/dev/null
	wait "$spid" 2>/dev/null
	wait_state disabled 100 || emit error sched="$1" what=unload
	spid=''
}

hb() { # [-p]: hackbench -g 8 -l 200 (sockets, or pipes with -p)
	hackbench "$@" -g "$HB_GROUPS" -l "$HB_LOOPS"
}
hackbench_time() { # [-p]: prints hackbench's Time: value, or nothing
	hb "$@" 2>&1 | sed -n 's/^Time: *\([0-9.]*\).*/\1/p' | tail -n 1
}

# The library's counters now, into s_user s_kernel s_failsafe s_congested
# s_cancel s_bounce (all 0 under EEVDF).
snap() {
	s_user=0 s_kernel=0 s_failsafe=0 s_congested=0 s_cancel=0 s_bounce=0
	[ -n "$spid" ] || return 0
	read_bss
	s_user=$(bss_field nr_user_dispatches) s_kernel=$(bss_field nr_kernel_dispatches)
	s_failsafe=$(bss_field nr_failsafe_dispatches) s_congested=$(bss_field nr_sched_congested)
	s_cancel=$(bss_field nr_cancel_dispatches) s_bounce=$(bss_field nr_bounce_dispatches)
}
snap_begin() { snap; b_user=$s_user b_kernel=$s_kernel b_failsafe=$s_failsafe b_congested=$s_congested; }
snap_end() { # ROUND LABEL TEST: what the library did during TEST
	snap
	[ -n "$spid" ] || return 0
	emit counts round="$1" sched="$2" test="$3" user=$((s_user - b_user)) \
		kernel=$((s_kernel - b_kernel)) failsafe=$((s_failsafe - b_failsafe)) \
		congested=$((s_congested - b_congested))
}

run_block() { # LABEL PROGRAM ROUND
	label=$1 prog=$2 round=$3
	echo "== round $round: $label (guest time $(uptime_s) s)"
	start_sched "$label" "$prog" || return 0
	for variant in sockets pipes; do
		set --
		[ $variant = pipes ] && set -- -p
		[ -z "$spid" ] || cpu_read "$spid"
		c0=$c_ms u0=$c_us
		snap_begin
		t=$(hackbench_time "$@")
		if [ -n "$spid" ]; then
			cpu_read "$spid"
			snap_end "$round" "$label" hackbench-$variant
			emit cpu round="$round" sched="$label" test=hackbench-$variant \
				cpu_ms=$((c_ms - c0)) run_us="$(delta_us "$c_us" "$u0")" dispatches=$((s_user - b_user))
		fi
		if [ -n "$t" ]; then
			emit result round="$round" sched="$label" test=hackbench-$variant metric=time_s value="$t"
		else
			emit error sched="$label" what=hackbench-$variant
		fi
	done
	snap_begin
	out=$(scxtest_bench pingpong -n $PP_N)
	snap_end "$round" "$label" pingpong
	v=$(field "$out" us_per_roundtrip)
	[ -z "$v" ] || emit result round="$round" sched="$label" test=pingpong metric=us_per_roundtrip value="$v"
	scxtest_bench hogs $HOGS &
	hogs=$!
	sleep 0.2
	snap_begin
	out=$(scxtest_bench wakeup -n "$WK_N")
	snap_end "$round" "$label" wakeup
	kill -TERM $hogs
	wait $hogs
	for p in p50 p99; do
		v=$(field "$out" ${p}_us)
		[ -z "$v" ] || emit result round="$round" sched="$label" test=wakeup-$p metric=lateness_us value="$v"
	done
	# The CPU stress-ng's processes got (usr + sys of its metrics).
	snap_begin
	v=$(stress-ng -t "$STRESS_S" $STRESS_MIX -M 2>&1 |
		awk '$2 == "metrc:" && $5 ~ /^[0-9]+$/ && $6 ~ /^[0-9.]+$/ { s += $7 + $8 }
		     END { if (s > 0) printf "%.2f", s }')
	snap_end "$round" "$label" stress
	if [ -n "$v" ]; then
		emit result round="$round" sched="$label" test=stress metric=cpu_s value="$v"
	else
		emit error sched="$label" what=stress
	fi
	if [ -n "$spid" ]; then
		snap
		emit sched_stats round="$round" sched="$label" user="$s_user" kernel="$s_kernel" \
			cancel="$s_cancel" bounce="$s_bounce" congested="$s_congested" failsafe="$s_failsafe"
	fi
	stop_sched "$label"
}

# System calls of the scheduler's threads during one hackbench run, its CPU
# time per 1,000 user dispatches, then its CPU use while the machine idles.
overheads() { # LABEL PROGRAM
	echo "== overheads: $1 (guest time $(uptime_s) s)"
	start_sched "$1" "$2" || return 0
	sleep 1
	echo "$HIST" >$T/events/raw_syscalls/sys_enter/trigger
	cpu_read "$spid"; c0=$c_ms u0=$c_us d0=$(dispatches)
	hb >/dev/null 2>&1
	cpu_read "$spid"; d1=$(dispatches)
	# "{ common_pid: 146, id: sys_epoll_wait [232] } hitcount: 539" per thread
	# and system call: keep the scheduler's threads, sum per call.
	for t in /proc/"$spid"/task/*; do
		tid=${t##*/}
		sed -n "s/.*common_pid: *$tid, *id: *\([^ ]*\).*hitcount: *\([0-9]*\).*/\1 \2/p" \
			$T/events/raw_syscalls/sys_enter/hist
	done | awk '{ n[$1] += $2 } END { for (k in n) print n[k], k }' | sort -rn >/tmp/syscalls
	echo "!$HIST" >$T/events/raw_syscalls/sys_enter/trigger
	sys=$(awk '{ s += $1 } END { print s + 0 }' /tmp/syscalls)
	d=$((d1 - d0))
	emit overhead sched="$1" syscalls="$sys" dispatches=$d cpu_ms=$((c_ms - c0)) run_us="$(delta_us "$c_us" "$u0")"
	# shellcheck disable=SC2046 # one word per system call
	emit syscalls sched="$1" $(head -n 8 /tmp/syscalls | awk '{ printf "%s=%s ", $2, $1 }')
	echo "syscalls per scheduled task: $(awk -v s="$sys" -v d="$d" 'BEGIN { printf "%.4f", d ? s / d : 0 }')"
	echo "  ($sys system calls / $d user dispatches; most frequent: $(head -n 4 /tmp/syscalls | \
		awk '{ printf "%s%s %s", (NR > 1 ? ", " : ""), $2, $1 }'))"
	echo "scheduler CPU per 1,000 scheduled tasks (traced run): $(awk -v c=$((c_ms - c0)) -v d=$d \
		'BEGIN { printf "%.2f ms", d ? c * 1000 / d : 0 }')"
	if [ "$1" = scxtest_bench_sched ]; then
		# The latency histograms over an untraced hackbench run.
		kill -USR1 "$spid"
		sleep 0.5
		hb >/dev/null 2>&1
		kill -USR1 "$spid"
		sleep 0.5
		# Lines printed since the last marker: the second report is ours.
		grep '^bench_sched ' "$slog" | tail -n 3 | while read -r line; do
			# shellcheck disable=SC2086 # its key=value words
			emit latency sched="$1" ${line#bench_sched }
			echo "$line"
		done
	fi
	sleep 2
	cpu_read "$spid"; c0=$c_ms u0=$c_us
	sleep "$idle_secs"
	cpu_read "$spid"
	emit idle sched="$1" secs="$idle_secs" cpu_ms=$((c_ms - c0)) run_us="$(delta_us "$c_us" "$u0")"
	echo "idle CPU over $idle_secs s: $((c_ms - c0)) ms by utime+stime, $(delta_us "$c_us" "$u0") us by schedstat"
	stop_sched "$1"
}

labels="EEVDF scx_rlfifo"
command -v scx_interactive >/dev/null 2>&1 && labels="$labels scx_interactive"
labels="$labels EEVDF-bis"
prog_of() { case $1 in EEVDF*) echo '' ;; *) echo "$1" ;; esac; }

emit meta rounds="$rounds" cpus="$(nproc)" kernel="$(uname -r)" hackbench=-g_${HB_GROUPS}_-l_$HB_LOOPS \
	pingpong_n=$PP_N wakeup_n="$WK_N" hogs=$HOGS idle_secs="$idle_secs" \
	scheds="$(echo "$labels" | tr ' ' ,)"
echo "bench: $rounds rounds of: $labels"
[ "$(state)" = disabled ] || { echo "bench: a sched_ext scheduler is already loaded" >&2; exit 1; }

t0=$(uptime_s)
r=1
while [ $r -le "$rounds" ]; do
	for l in $labels; do run_block "$l" "$(prog_of "$l")" $r; done
	r=$((r + 1))
done
for l in $labels; do
	[ -z "$(prog_of "$l")" ] || overheads "$l" "$(prog_of "$l")"
done
overheads scxtest_bench_sched scxtest_bench_sched
emit end guest_s="$(awk -v a="$t0" -v b="$(uptime_s)" 'BEGIN { printf "%.1f", b - a }')"
