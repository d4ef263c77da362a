#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# tools/check-fresh.sh [--dir DIR] [--keep] [--only CMD]
#
# The README's set-up on a fresh machine: builds a bare Debian 12 root with
# debootstrap (minbase: not even make), clones this repository's HEAD into
# it and, chrooted there as root, runs exactly what the README says:
#
#   apt-get install -y make git ca-certificates
#   make run-example
#   make test
#
# printing the tail of each and a summary. Nothing of the host's build or
# caches is visible inside (own HOME, own ~/.cache, own apt state).
#
# The archive is the one the host's apt uses (tools/apt-private.sh mirror),
# or $SCX_DEBIAN_MIRROR. Where the host reaches HTTPS through a proxy with
# its own certificate authority, the root gets the host's extra CA
# certificates (/usr/local/share/ca-certificates) and NODE_EXTRA_CA_CERTS, and
# the proxy variables of the environment; apt proxy settings of the host's
# apt.conf.d are copied too. Needs root and debootstrap (installed through
# the private apt configuration when missing). About an hour and ~4 GB.
#
# --dir DIR   where to build the root (default /var/tmp/scx-fresh; wiped)
# --keep      leave the root there afterwards
# --only CMD  run only this one of the README's commands (run-example or test)
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
dir=/var/tmp/scx-fresh keep=0 only=""
while [ $# -gt 0 ]; do
	case $1 in
	--dir) dir=${2:?}; shift 2 ;;
	--keep) keep=1; shift ;;
	--only) only=${2:?}; shift 2 ;;
	*) echo "usage: $0 [--dir DIR] [--keep] [--only run-example|test]" >&2; exit 2 ;;
	esac
done
[ "$(id -u)" = 0 ] || { echo "check-fresh: needs root (debootstrap, chroot)" >&2; exit 2; }
say() { echo "check-fresh: $*"; }
t0=$(date +%s)
elapsed() { echo "$(($(date +%s) - t0)) s"; }

if ! command -v debootstrap >/dev/null; then
	say "installing debootstrap"
	"$top/tools/apt-private.sh" refresh &&
		DEBIAN_FRONTEND=noninteractive "$top/tools/apt-private.sh" apt-get -y -q install debootstrap >/dev/null ||
		{ say "cannot install debootstrap"; exit 1; }
fi
mirror=${SCX_DEBIAN_MIRROR:-$("$top/tools/apt-private.sh" mirror | awk '{ print $1 }')}
[ -n "$mirror" ] || { say "no Debian archive found (set SCX_DEBIAN_MIRROR)"; exit 1; }

root=$dir/root
unmount() {
	for m in dev/pts dev/shm dev proc sys run tmp; do
		mountpoint -q "$root/$m" 2>/dev/null && umount -l "$root/$m"
	done
}
cleanup() {
	unmount
	[ "$keep" = 1 ] || rm -rf "$dir"
}
trap cleanup EXIT
# Whatever an earlier run left (also one with --keep) goes first.
unmount
rm -rf "$dir"
mkdir -p "$dir"

say "debootstrap --variant=minbase bookworm from $mirror"
if ! debootstrap --variant=minbase bookworm "$root" "$mirror" >"$dir/debootstrap.log" 2>&1; then
	tail -n 20 "$dir/debootstrap.log"
	say "debootstrap failed"
	exit 1
fi
say "root ready ($(elapsed)); it has make: $(chroot "$root" sh -c 'command -v make || echo no')"

# What a machine behind an intercepting proxy would have been given.
if ls /usr/local/share/ca-certificates/*.crt >/dev/null 2>&1; then
	mkdir -p "$root/usr/local/share/ca-certificates"
	cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
	say "copied the host's extra CA certificates: $(ls /usr/local/share/ca-certificates/*.crt | xargs -n1 basename | tr '\n' ' ')"
fi
for f in /etc/apt/apt.conf.d/*; do
	if [ -f "$f" ] && grep -qi 'proxy' "$f"; then
		cp "$f" "$root/etc/apt/apt.conf.d/" && say "copied apt proxy settings: $f"
	fi
done
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true

for m in proc sys dev dev/pts dev/shm run tmp; do mkdir -p "$root/$m"; done
mount -t proc proc "$root/proc"
mount -t sysfs sysfs "$root/sys"
mount --bind /dev "$root/dev"
mount -t devpts devpts "$root/dev/pts"
mount -t tmpfs tmpfs "$root/dev/shm"
mount -t tmpfs tmpfs "$root/run"
mount -t tmpfs -o size=8g tmpfs "$root/tmp"

git clone -q "$top" "$root/root/libscxcore" || { say "cannot clone $top"; exit 1; }
say "cloned $(git -C "$top" rev-parse --short HEAD) into /root/libscxcore"

env_pass=(HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8
	DEBIAN_FRONTEND=noninteractive NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt)
for v in http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY SCX_DEBIAN_MIRROR; do
	[ -z "${!v:-}" ] || env_pass+=("$v=${!v}")
done
inside() { # LOG COMMAND: run COMMAND in the root's /root/libscxcore
	chroot "$root" env -i "${env_pass[@]}" sh -c "cd /root/libscxcore && $2" >"$dir/$1" 2>&1
}

declare -A result
step() { # NAME LOG COMMAND
	local ts=$(date +%s) rc
	say "=== $3"
	inside "$2" "$3"
	rc=$?
	tail -n "${TAIL:-25}" "$dir/$2" | sed 's/^/    /'
	result[$1]="exit $rc after $(($(date +%s) - ts)) s"
	say "--- $3: ${result[$1]} (log: $dir/$2)"
	return $rc
}

step prereq prereq.log "apt-get update -q && apt-get install -y -q make git ca-certificates && update-ca-certificates" ||
	{ say "the README's first step failed"; exit 1; }
rc=0
if [ -z "$only" ] || [ "$only" = run-example ]; then
	step run_example run-example.log "make run-example" || rc=1
fi
if [ -z "$only" ] || [ "$only" = test ]; then
	TAIL=40 step test test.log "make test" || rc=1
fi
say "summary on a fresh Debian 12 (debootstrap minbase), $(elapsed) in all:"
for k in prereq run_example test; do
	[ -z "${result[$k]:-}" ] || say "  $k: ${result[$k]}"
done
[ "$keep" = 0 ] || say "root kept in $root"
exit $rc
