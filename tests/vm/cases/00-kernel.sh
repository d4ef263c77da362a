#!/bin/sh
# The guest kernel is a sched_ext kernel with BTF, idle at boot, and init
# mounted what the harness promises.
fail=0
check() { # DESCRIPTION COMMAND...
	d=$1; shift
	if "$@"; then echo "ok: $d"; else echo "not ok: $d"; fail=1; fi
}

machine=$(uname -m)
case ${VM_ARCH:-amd64} in amd64) want=x86_64 ;; arm64) want=aarch64 ;; *) want=? ;; esac
check "kernel $(uname -r) on $machine, the architecture asked for (${VM_ARCH:-amd64})" [ "$machine" = "$want" ]
state=$(cat /sys/kernel/sched_ext/state 2>&1)
check "sched_ext state is disabled (got '$state')" [ "$state" = disabled ]
check "no BPF scheduler registered" [ ! -e /sys/kernel/sched_ext/root/ops ]
check "/sys/kernel/btf/vmlinux exists and is not empty" [ -s /sys/kernel/btf/vmlinux ]

# shellcheck disable=SC2317 # called through check
mounted() { grep -q "^[^ ]* $1 $2 " /proc/mounts; }
for m in /proc:proc /sys:sysfs /dev:devtmpfs /tmp:tmpfs /run:tmpfs \
	/sys/kernel/debug:debugfs /sys/kernel/tracing:tracefs \
	/sys/fs/bpf:bpf /sys/fs/cgroup:cgroup2; do
	check "${m%%:*} is a ${m#*:} mount" mounted "${m%%:*}" "${m#*:}"
done
check "tracefs has the sched_ext events" [ -d /sys/kernel/tracing/events/sched_ext ]
n=$(grep -c ^processor /proc/cpuinfo)
check "$n CPUs online, ${VM_CPUS:-?} asked for" [ "$n" = "${VM_CPUS:-$n}" ]
exit $fail
