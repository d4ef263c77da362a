#!/bin/sh
# tools/kernel-elf.sh VMLINUZ OUT: write the kernel ELF (vmlinux) that the
# bzImage VMLINUZ holds compressed to OUT. Tries each known compression
# format at each offset where its magic appears until one decompresses to an
# ELF. Prints "FORMAT OFFSET" on success.
set -eu
vmlinuz=$1 out=$2
# magic (grep -P syntax) and decompressor of each format
for fmt in 'zstd \x28\xb5\x2f\xfd' 'xz \xfd\x37\x7a\x58\x5a\x00' 'gzip \x1f\x8b\x08'; do
	tool=${fmt%% *} magic=${fmt#* }
	for off in $(LC_ALL=C grep -obUaP "$magic" "$vmlinuz" | cut -d: -f1); do
		tail -c +$((off + 1)) "$vmlinuz" | $tool -dc >"$out" 2>/dev/null || true
		if [ "$(head -c 4 "$out" | od -An -tx1 | tr -d ' ')" = 7f454c46 ]; then
			echo "$tool $off"
			exit 0
		fi
	done
done
rm -f "$out"
echo "kernel-elf: no compressed ELF found in $vmlinuz" >&2
exit 1
