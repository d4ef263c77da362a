#!/bin/sh
# scx-profile [-c] [-w WORKLOAD] [SCHEDULER [ARGS...]]: the guest side of
# `make bench-profile` (installed as build/bin/scx-profile; root in the VM).
#
# Samples every CPU with perf's cpu-clock event (no PMU under TCG) while
# WORKLOAD runs under SCHEDULER (default scx_rlfifo; "eevdf" for none), then
# prints where the samples fell: by command, then the scheduler process's own
# samples by object and symbol (user space and the kernel work done on its
# behalf: system calls, BPF programs run in its context, interrupts taken
# while it ran), then all samples by symbol. A sample stands for 1 ms of its
# vCPU executing, or less: after a stretch in which TCG ran the other vCPUs,
# the timer fires once, however short the run that follows.
#
# WORKLOAD: hackbench (default; hackbench -g 8 -l 200), pingpong
# (scxtest_bench pingpong -n 5000) or stress (stress-ng's CPU, fork, pipe
# and affinity mix, 8 s, with its metrics). -c: only the event counts, no sampling
# (perf's own timer interrupts then stay out of them).
workload=hackbench sample=1
while getopts cw: o; do
	case $o in
	c) sample=0 ;;
	w) workload=$OPTARG ;;
	*) echo "usage: scx-profile [-c] [-w hackbench|pingpong|stress] [SCHEDULER [ARGS...]]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
sched=${1:-scx_rlfifo}
[ $# -gt 0 ] && shift
case $workload in
hackbench) cmd='hackbench -g 8 -l 200' ;;
pingpong) cmd='scxtest_bench pingpong -n 5000' ;;
stress) cmd='stress-ng -t 8 --aggressive -M -c 4 -f 4 --affinity 4 --pipe 2' ;;
*) echo "scx-profile: unknown workload $workload" >&2; exit 2 ;;
esac

echo 0 >/proc/sys/kernel/kptr_restrict
echo -1 >/proc/sys/kernel/perf_event_paranoid
pid=''
if [ "$sched" != eevdf ]; then
	"$sched" "$@" >/tmp/sched.log 2>&1 &
	pid=$!
	i=0
	while [ "$(cat /sys/kernel/sched_ext/state)" != enabled ] && [ $i -lt 300 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	echo "profile: $sched: sched_ext $(cat /sys/kernel/sched_ext/state)"
	sleep 1
fi
# System-wide event counts: context switches and the interrupts that carry
# wake-ups between CPUs (reschedule and function-call IPIs, irq_work) or
# the tick (LOC). Per round trip, they do not depend on the host's load.
counts() {
	awk '/^ctxt/ { print "ctxt", $2 }
	     /^cpu / { print "busy_ticks", $2 + $3 + $4 + $7 + $8; print "idle_ticks", $5 + $6 }' /proc/stat
	awk '$1 ~ /^(RES|CAL|IWI|LOC):$/ { n = 0; for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) n += $i; print substr($1, 1, 3), n }' /proc/interrupts
}
ticks() { [ -n "$pid" ] && awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
# Its exact run time in us and how often it was switched in (schedstat, all
# threads), and the tasks it dispatched (the BPF side's count in its .bss):
# its CPU per task, and per timeslice (the TCG charge grows with the latter).
usage() {
	[ -n "$pid" ] || return 0
	c=$(scxtest_bench cputime "$pid" | tr ' ' '\n')
	echo "$(echo "$c" | sed -n 's/^run_us=//p') $(echo "$c" | sed -n 's/^slices=//p')" \
		"$(bpftool -j map dump name scxcore.bss | grep -o '"nr_user_dispatches":[0-9]*' | cut -d: -f2)"
}
t0=$(ticks)
u0=$(usage)
counts >/tmp/counts0
# shellcheck disable=SC2086 # $cmd is words
if [ $sample = 1 ]; then
	perf record -q -e cpu-clock -F 1000 -a -o /tmp/perf.data -- $cmd 2>&1 | tail -n 14
else
	$cmd 2>&1 | tail -n 14
fi
t1=$(ticks)
u1=$(usage)
counts >/tmp/counts1
echo "profile: events during the workload: $(paste /tmp/counts0 /tmp/counts1 | awk '{ printf "%s=%d ", $1, $4 - $2 }')"
if [ -n "$pid" ]; then
	echo "profile: $sched used $((t1 - t0)) clock ticks of CPU during the workload"
	echo "$u0 $u1" | awk -v s="$sched" '{ us = $4 - $1; k = $5 - $2; n = $6 - $3
		printf "profile: %s ran %.1f ms (schedstat) in %d timeslices (%.0f us each) for %d user dispatches: %.1f ms per 1,000\n",
			s, us / 1000, k, k ? us / k : 0, n, n ? us / n : 0 }'
	# schedstat counts the time the scheduler was current on its vCPU,
	# also while TCG ran the other vCPUs (as steal time would be on a real
	# host); the samples count only stretches in which its vCPU executed.
	if [ $sample = 1 ]; then
		ns=$(perf script -i /tmp/perf.data -F pid 2>/dev/null | awk -v p="$pid" '$1 == p' | wc -l)
		echo "$u0 $u1 $ns" | awk -v s="$sched" '{ n = $6 - $3
			printf "profile: %s was sampled %d times (1 ms executed each, or less): %.1f ms per 1,000 user dispatches\n",
				s, $7, n ? $7 * 1000 / n : 0 }'
	fi
	kill -INT "$pid"
	wait "$pid"
	tail -n 4 /tmp/sched.log
fi
[ $sample = 1 ] || exit 0
report() { perf report -i /tmp/perf.data --stdio --no-children -q "$@" 2>/dev/null | sed '/^$/d'; }
echo "=== samples by command"
report --sort comm | head -n 15
if [ -n "$pid" ]; then
	echo "=== the scheduler process ($(basename "$sched")) by object and symbol"
	report --pid "$pid" --sort dso,sym | head -n 45
fi
echo "=== all samples by symbol"
report --sort sym | head -n 30
