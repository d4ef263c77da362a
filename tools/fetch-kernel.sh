#!/bin/sh
# Download the newest sched_ext-enabled Debian kernel (trixie-backports
# linux-binary-*-cloud-amd64 and its linux-base-* for the config) into the
# cache and point $SCX_CACHE_DIR/kernel/current at it. Works offline once a
# kernel is cached. Prints the kernel directory on stdout.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cache=${SCX_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/libscxcore}
kdir=$cache/kernel
mkdir -p "$kdir"
t0=$(date +%s.%N)
say() { echo "kernel: $*" >&2; }
elapsed() { awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

newest=""
if "$here/apt-private.sh" refresh 2>"$kdir/apt.log"; then
	newest=$("$here/apt-private.sh" apt-cache search --names-only '^linux-binary-[0-9].*-cloud-amd64$' |
		awk '{ print $1 }' | sed 's/^linux-binary-//; s/-cloud-amd64$//' | sort -V | tail -n 1)
	[ -n "$newest" ] || { say "error: trixie-backports offers no linux-binary-*-cloud-amd64 kernel"; exit 1; }
else
	say "warning: cannot reach the Debian archive ($(tail -n 1 "$kdir/apt.log")); using the cache"
fi

if [ -z "$newest" ]; then
	[ -e "$kdir/current/config" ] || {
		say "error: no network and no cached kernel in $kdir."
		say "       Run 'make kernel' once on a machine that reaches deb.debian.org."
		exit 1
	}
	readlink -f "$kdir/current"
	exit 0
fi

dest=$kdir/$newest
if [ ! -e "$dest/.complete" ]; then
	say "downloading $newest"
	rm -rf "$dest" && mkdir -p "$dest/debs" "$dest/root"
	(cd "$dest/debs" && "$here/apt-private.sh" apt-get -q download \
		"linux-binary-$newest-cloud-amd64" "linux-base-$newest-cloud-amd64" >&2)
	for deb in "$dest"/debs/*.deb; do dpkg-deb -x "$deb" "$dest/root"; done
	vmlinuz=$(find "$dest/root" -name 'vmlinuz*' -type f | head -n 1)
	config=$(find "$dest/root" -name 'config*' -type f | head -n 1)
	[ -n "$vmlinuz" ] && [ -n "$config" ] || { say "error: vmlinuz or config missing in the packages"; exit 1; }
	ln -sf "${vmlinuz#$dest/}" "$dest/vmlinuz"
	ln -sf "${config#$dest/}" "$dest/config"
	grep -qx 'CONFIG_SCHED_CLASS_EXT=y' "$dest/config" ||
		{ say "error: $newest lacks CONFIG_SCHED_CLASS_EXT=y"; exit 1; }
	grep -qx 'CONFIG_DEBUG_INFO_BTF=y' "$dest/config" ||
		{ say "error: $newest lacks CONFIG_DEBUG_INFO_BTF=y"; exit 1; }
	rm -rf "$dest/debs"
	touch "$dest/.complete"
	say "downloaded $newest in $(elapsed) s"
else
	say "cached $newest ($(elapsed) s)"
fi
ln -sfn "$newest" "$kdir/current"
echo "$dest"
