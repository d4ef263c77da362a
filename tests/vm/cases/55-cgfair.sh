#!/bin/sh
# timeout: 300
# scx_cgfair honours cgroups (counts of CPU time from each cgroup's cpu.stat):
#  - cpu.weight 100 and 300, four CPU hogs each on 4 vCPUs: shares 25/75 +-5;
#  - one hog moved from the 300 cgroup to the 100 one: still 25/75 (a policy
#    that kept the moved task in its old cgroup gives the 100 one ~44 %);
#  - cpu.max 50000 100000 with four hogs: 0.5 +-0.05 CPU. CPU time and
#    elapsed time are both the guest's clock, in which the policy enforces
#    the quota. Host load can only lower C's share (a starved guest's
#    scheduler answers late): the upper bound always holds, the lower one
#    is checked when an uncapped hog in D (weight 10000: it goes first),
#    measured alongside, got a whole CPU (the scheduler kept up).
# The same measures under scx_rlfifo, which ignores cgroups, must come out
# unlike (about 50/50, and over 1 CPU): the checks can fail.
. /tests/cases/lib.sh
cg=/sys/fs/cgroup
check "the cpu controller is enabled for the root's children" sh -c "echo +cpu > $cg/cgroup.subtree_control"
for g in A B C D; do rmdir $cg/$g 2>/dev/null; mkdir $cg/$g; done
echo 100 > $cg/A/cpu.weight
echo 300 > $cg/B/cpu.weight
echo "50000 100000" > $cg/C/cpu.max
echo 10000 > $cg/D/cpu.weight

hogs=""
# hog GROUP: a busy loop in cgroup GROUP
hog() {
	sh -c "echo \$\$ > $cg/$1/cgroup.procs && while :; do :; done" &
	hogs="$hogs $!"
}
stop_hogs() { kill $hogs 2>/dev/null; wait $hogs 2>/dev/null; hogs=""; }
usage() { sed -n 's/^usage_usec //p' $cg/$1/cpu.stat; }
uptime_s() { cut -d' ' -f1 /proc/uptime; }
# measure SECONDS: the usage of A, B, C and D and the elapsed time, in us
measure() {
	a0=$(usage A) b0=$(usage B) c0=$(usage C) d0=$(usage D) t0=$(uptime_s)
	sleep "$1"
	a1=$(usage A) b1=$(usage B) c1=$(usage C) d1=$(usage D) t1=$(uptime_s)
	da=$((a1 - a0)) db=$((b1 - b0)) dc=$((c1 - c0)) dd=$((d1 - d0))
	dt=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%d", (b - a) * 1000000 }')
}
share_a() { awk -v a="$da" -v b="$db" 'BEGIN { printf "%.3f", a / (a + b) }'; }
cpus_c() { awk -v c="$dc" -v t="$dt" 'BEGIN { printf "%.3f", c / t }'; }
cpus_d() { awk -v d="$dd" -v t="$dt" 'BEGIN { printf "%.3f", d / t }'; }
# kept_up: D's one uncapped hog got at least 0.9 CPU
kept_up() { within "$(cpus_d)" 0.9 4; }
within() { awk -v v="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(v >= lo && v <= hi) }'; }

# run_weights SECONDS: four hogs in A and four in B, measured
run_weights() {
	for i in 1 2 3 4; do hog A; hog B; done
	sleep 1
	measure "$1"
	echo "A ${da} us, B ${db} us over ${dt} us: A's share $(share_a)"
}
# run_quota SECONDS: four hogs in C and one in D, measured
run_quota() {
	for i in 1 2 3 4; do hog C; done
	hog D
	sleep 1
	measure "$1"
	echo "C ${dc} us, D ${dd} us over ${dt} us: C $(cpus_c) CPU, D $(cpus_d) CPU"
}

echo "--- scx_cgfair"
scx_cgfair >/tmp/cgfair.log 2>&1 &
pid=$!
check "state becomes enabled" wait_state enabled
check "root/ops shows cgfair (got '$(ops_name)')" [ "$(ops_name)" = cgfair ]
run_weights 6
check "cpu.weight 100 vs 300: A gets 25 +-5 % ($(share_a))" within "$(share_a)" 0.20 0.30
moved=${hogs##* } # the last hog started, one of B's
echo "$moved" > $cg/A/cgroup.procs
check "a hog moved from B to A (pid $moved)" grep -qx "$moved" $cg/A/cgroup.procs
sleep 1
measure 6
echo "after the move: A ${da} us, B ${db} us: A's share $(share_a)"
check "after the move, A still gets 25 +-5 % ($(share_a))" within "$(share_a)" 0.20 0.30
stop_hogs
run_quota 6
check "cpu.max 50000 100000: C gets at most 0.55 CPU ($(cpus_c))" within "$(cpus_c)" 0 0.55
if kept_up; then
	check "... and at least 0.45 ($(cpus_c); D's uncapped hog got $(cpus_d) CPU)" within "$(cpus_c)" 0.45 0.55
else
	echo "the guest was starved (D's uncapped hog got $(cpus_d) CPU): C's lower bound not checked"
fi
stop_hogs
check "scx_cgfair still scheduling (state '$(state)')" [ "$(state)" = enabled ]
sleep 1.2 # one more statistics line
kill -INT $pid
wait $pid
rc=$?
ida=$(stat -c %i $cg/A) idb=$(stat -c %i $cg/B) idc=$(stat -c %i $cg/C)
for id in $ida $idb $idc; do grep "^cgroup $id " /tmp/cgfair.log | tail -n 1; done
tail -n 2 /tmp/cgfair.log
check "scx_cgfair exits 0 after SIGINT (exit $rc)" [ $rc = 0 ]
check "state back to disabled" wait_state disabled 50
check "its statistics show A's tasks dispatched" grep -qE "^cgroup $ida weight 100 .* dispatched [1-9]" /tmp/cgfair.log
check "... and C held for its quota" grep -qE "^cgroup $idc weight 100 quota_us 50000 period_us 100000 .* throttled [1-9]" /tmp/cgfair.log

echo "--- scx_rlfifo (ignores cgroups: the same measures must differ)"
scx_rlfifo >/tmp/rlfifo-cg.log 2>&1 &
pid=$!
check "state becomes enabled" wait_state enabled
run_weights 4
check "under scx_rlfifo A gets 40 to 60 % ($(share_a))" within "$(share_a)" 0.40 0.60
stop_hogs
run_quota 4
check "under scx_rlfifo C gets over 1 CPU ($(cpus_c))" within "$(cpus_c)" 1.0 4.5
stop_hogs
kill -INT $pid
wait $pid
check "state back to disabled" wait_state disabled 50
for g in A B C D; do rmdir $cg/$g; done
exit "$fail"
