#!/bin/sh
# The bpf() syscall works from the guest: bpftool talks to the kernel, sees
# the vmlinux BTF with struct sched_ext_ops, and can create, pin, update,
# read back and remove a map in the bpffs at /sys/fs/bpf.
# timeout: 120
set -e
bpftool prog list >/dev/null
echo "ok: bpftool prog list"

bpftool btf list | tee /tmp/btf.list
grep -q 'name \[vmlinux\]' /tmp/btf.list
echo "ok: vmlinux BTF is loaded"

bpftool btf dump file /sys/kernel/btf/vmlinux format raw | grep -q "STRUCT 'sched_ext_ops'"
echo "ok: vmlinux BTF has struct sched_ext_ops"

pin=/sys/fs/bpf/vm_selftest_map
rm -f "$pin"
bpftool map create "$pin" type array key 4 value 4 entries 1 name vm_selftest
bpftool map update pinned "$pin" key 0 0 0 0 value 42 0 0 0
bpftool map lookup pinned "$pin" key 0 0 0 0 | tee /tmp/lookup
grep -q '"value": 42' /tmp/lookup || grep -q 'value: 2a 00 00 00' /tmp/lookup
rm "$pin"
[ ! -e "$pin" ]
echo "ok: a pinned array map round-trips a value"
