#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# tools/cross-deb.sh ARCH OUTDIR SOURCE      (make test-pkg-arm64)
#
# The Debian packages for architecture ARCH (arm64), cross-built the way a
# distribution does it: in a bare Debian 12 root (tools/debroot.sh, kept in
# $SCX_CROSS_ROOT, default /var/tmp/scx-cross-ARCH, and reused) that has
# ARCH added to its dpkg, crossbuild-essential-ARCH, ARCH's libc6-dev and
# libstdc++-dev (as sbuild adds them), and the build dependencies for ARCH
# as `apt-get build-dep -a ARCH -P cross,nocheck` resolves them from
# debian/control (libbpf-dev from bookworm-backports);
# then `dpkg-buildpackage -a ARCH -P cross,nocheck -b` on a copy of SOURCE
# (a source tree, as tests/pkg/build-and-install.sh copies it). The host's
# own dpkg and apt are not touched. Puts the
# .debs, the .changes, the .buildinfo and the build log in OUTDIR. Needs root.
set -uo pipefail
usage="usage: $0 ARCH OUTDIR SOURCE"
arch=${1:?$usage} out=${2:?$usage} source=${3:?$usage}
top=$(cd "$(dirname "$0")/.." && pwd)
[ "$(id -u)" = 0 ] || { echo "cross-deb: needs root (debootstrap, chroot)" >&2; exit 2; }
say() { echo "cross-deb: $*" >&2; }
. "$top/tools/debroot.sh"
dir=${SCX_CROSS_ROOT:-/var/tmp/scx-cross-$arch}
root=$dir/root
mkdir -p "$out" && out=$(cd "$out" && pwd)
log=$out/build.log
t0=$(date +%s)
gnu_type=$(dpkg-architecture -a"$arch" -qDEB_HOST_GNU_TYPE 2>/dev/null)

trap 'debroot_unmount "$root"' EXIT
debroot_unmount "$root"
in_root() { # COMMAND: as root in the root, the output to the build log
	chroot "$root" env -i HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive \
		PATH=/usr/sbin:/usr/bin:/sbin:/bin sh -ec "$1" >>"$log" 2>&1
}
: >"$log"
if [ ! -e "$dir/.ready" ]; then
	rm -rf "$dir" && mkdir -p "$dir"
	debroot_make "$root" "$dir/debootstrap.log" || exit 1
	debroot_mount "$root"
	mirror=$(debroot_mirror)
	say "adding $arch and the cross toolchain to the root"
	if ! in_root "dpkg --add-architecture $arch
		echo 'deb $mirror bookworm-backports main' >/etc/apt/sources.list.d/backports.list
		apt-get update -q
		apt-get install -y -q --no-install-recommends build-essential crossbuild-essential-$arch \
			dpkg-dev debhelper"; then
		tail -n 20 "$log" >&2
		say "could not prepare the root (log: $log)"
		exit 1
	fi
	touch "$dir/.ready"
else
	debroot_mount "$root"
fi

src=$root/build/libscxcore
rm -rf "$root/build" && mkdir -p "$src"
cp -a "$source"/. "$src/" || { say "cannot copy $source"; exit 1; }
say "dpkg-buildpackage -a $arch -P cross,nocheck (log: $log)"
# What sbuild adds to a cross build's dependencies (the C and C++ libraries
# of ARCH, which dpkg-shlibdeps reads), and libbpf-dev (>= 1:1.4), which
# only backports has.
if ! in_root "cd /build/libscxcore
	apt-get install -y -q --no-install-recommends libc6-dev:$arch libstdc++-12-dev:$arch
	apt-get install -y -q --no-install-recommends -t bookworm-backports libbpf-dev:$arch
	apt-get build-dep -y -q -a $arch -P cross,nocheck ./
	export CC=$gnu_type-gcc # (else dpkg-architecture warns that gcc builds for amd64)
	DEB_BUILD_OPTIONS=nocheck dpkg-buildpackage -a $arch --build-profiles=cross,nocheck -us -uc -b"; then
	tail -n 30 "$log" >&2
	say "the cross build failed after $(($(date +%s) - t0)) s (log: $log)"
	exit 1
fi
rm -f "$out"/*.deb "$out"/*.changes "$out"/*.buildinfo
cp "$root"/build/*.deb "$root"/build/*.changes "$root"/build/*.buildinfo "$out/"
say "$(find "$out" -maxdepth 1 -name "*.deb" | wc -l) packages for $arch in $out, $(($(date +%s) - t0)) s"
