#!/bin/sh
# tools/kernel-btf.sh VMLINUZ OUT: write the kernel's BTF (raw, as
# /sys/kernel/btf/vmlinux holds it) to OUT, from either kind of image
# Debian ships: an x86 bzImage holds a compressed ELF (tools/kernel-elf.sh)
# whose .BTF section is copied; an arm64 Image is the kernel itself,
# uncompressed and without ELF headers, where the BTF is found by its header
# (magic 0xeB9F, version 1, a 24-byte header whose string section follows
# its type section) and cut out. Prints where it came from.
set -eu
vmlinuz=$1 out=$2
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# valid FILE: bpftool reads FILE as BTF with a struct sched_ext_ops or not;
# either way it is BTF.
valid() { bpftool btf dump file "$1" format raw >/dev/null 2>&1; }

if found=$("$here/kernel-elf.sh" "$vmlinuz" "$tmp/vmlinux" 2>/dev/null); then
	objcopy -O binary --only-section=.BTF "$tmp/vmlinux" "$out"
	valid "$out" || { echo "kernel-btf: the ELF in $vmlinuz has no readable .BTF" >&2; exit 1; }
	echo ".BTF of the ELF in the bzImage ($found)"
	exit 0
fi
# magic, version 1, flags 0, hdr_len 24
for off in $(LC_ALL=C grep -obUaP '\x9f\xeb\x01\x00\x18\x00\x00\x00' "$vmlinuz" | cut -d: -f1); do
	# type_off type_len str_off str_len, little-endian u32s after hdr_len
	set -- $(od -An -v -tu4 -j $((off + 8)) -N 16 "$vmlinuz")
	[ $# = 4 ] && [ "$1" = 0 ] && [ "$3" = "$2" ] && [ "$2" -gt 0 ] && [ "$4" -gt 0 ] || continue
	len=$((24 + $3 + $4))
	dd if="$vmlinuz" of="$out" bs=1M iflag=skip_bytes,count_bytes skip="$off" count="$len" status=none
	if valid "$out"; then
		echo "BTF at byte $off of the Image ($len bytes)"
		exit 0
	fi
done
rm -f "$out"
echo "kernel-btf: no BTF found in $vmlinuz" >&2
exit 1
