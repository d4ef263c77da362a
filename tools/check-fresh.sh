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
# The root comes from tools/debroot.sh (the archive the host's apt uses, or
# $SCX_DEBIAN_MIRROR; the host's extra CA certificates and apt proxy
# settings); the commands also get NODE_EXTRA_CA_CERTS and the proxy
# variables of the environment. Needs root. About an hour and ~4 GB.
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

. "$top/tools/debroot.sh"
root=$dir/root
cleanup() {
	debroot_unmount "$root"
	[ "$keep" = 1 ] || rm -rf "$dir"
}
trap cleanup EXIT
# Whatever an earlier run left (also one with --keep) goes first.
debroot_unmount "$root"
rm -rf "$dir"
mkdir -p "$dir"

debroot_make "$root" "$dir/debootstrap.log" || exit 1
say "root ready ($(elapsed)); it has make: $(chroot "$root" sh -c 'command -v make || echo no')"
debroot_mount "$root"

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
