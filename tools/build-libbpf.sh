#!/bin/sh
# Build a static, position-independent libbpf from Debian trixie's source
# package (1.5.x; builds on Debian 12) so that libscxcore.so can embed it.
# Debian's own libbpf.a is not built with -fPIC and cannot go into a shared library.
#   usage: tools/build-libbpf.sh PREFIX   (installs PREFIX/include, PREFIX/lib/libbpf.a)
# The source is downloaded once into the cache; the build takes ~10 s.
# CROSS_COMPILE=aarch64-linux-gnu- SYSROOT=DIR: for another architecture,
# with its libelf and zlib headers in DIR (tools/foreign-root.sh sysroot).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
prefix=$(mkdir -p "$1" && cd "$1" && pwd)
cache=$("$here/cache-dir.sh")
src=$cache/libbpf-src
mkdir -p "$src"
if ! ls "$src"/libbpf_*.dsc >/dev/null 2>&1; then
	"$here/apt-private.sh" refresh
	(cd "$src" && "$here/apt-private.sh" apt-get -q source --download-only libbpf/trixie >&2)
fi
dsc=$(ls "$src"/libbpf_*.dsc | sort -V | tail -n 1)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
dpkg-source --no-check -x "$dsc" "$work/libbpf" >/dev/null
tools="" cflags="-g -O2 -fPIC"
if [ -n "${CROSS_COMPILE:-}" ]; then
	tools="CC=${CROSS_COMPILE}gcc AR=${CROSS_COMPILE}ar"
	cflags="$cflags -I${SYSROOT:?}/usr/include -I$SYSROOT/usr/include/${CROSS_COMPILE%-}"
fi
# shellcheck disable=SC2086 # $tools: CC=... AR=... or nothing
env -u MAKEFLAGS -u MFLAGS make -s -C "$work/libbpf/src" -j"$(nproc)" BUILD_STATIC_ONLY=1 \
	$tools EXTRA_CFLAGS="$cflags" OBJDIR="$work/obj" DESTDIR="$prefix" \
	PREFIX= LIBDIR=/lib INCLUDEDIR=/include install install_uapi_headers >/dev/null
echo "libbpf: $(basename "$dsc" .dsc) -> $prefix"
