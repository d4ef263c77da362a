#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# tests/run-parallel.sh LOGDIR NAME COMMAND [NAME COMMAND...]   (make test)
#
# Runs the shell COMMANDs at once, each one's output in LOGDIR/NAME.log,
# and prints each log whole, between two marker lines, as soon as its
# command ends. Exits 1 if any command failed, after all have ended. make
# test runs its two VM suites so: a VM is one single-threaded QEMU, one per
# host core.
set -u
logdir=$1
shift
mkdir -p "$logdir"
declare -A name_of start_of
while [ $# -ge 2 ]; do
	bash -c "$2" >"$logdir/$1.log" 2>&1 &
	name_of[$!]=$1 start_of[$!]=$SECONDS
	echo "=== $1 started: $2 (output when it ends: $logdir/$1.log)"
	shift 2
done
failed=""
while [ ${#name_of[@]} -gt 0 ]; do
	wait -n -p pid "${!name_of[@]}"
	rc=$?
	name=${name_of[$pid]}
	echo "=== $name: output"
	cat "$logdir/$name.log"
	echo "=== $name: exit $rc after $((SECONDS - start_of[$pid])) s"
	[ "$rc" = 0 ] || failed="$failed $name"
	unset "name_of[$pid]"
done
if [ -n "$failed" ]; then
	echo "=== failed:$failed"
	exit 1
fi
