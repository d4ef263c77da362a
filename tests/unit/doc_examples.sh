#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# tests/unit/doc_examples.sh TOP    (make test-unit-docs)
#
# The example code users copy first, compiled as they would copy it and run
# under the simulator (build/lib-sim: libscxcore.so.0 in front of a simulated
# machine): the scheduling loops of include/scx/scxcore.h's opening comment,
# of libscxcore(7), of the README, and the whole program of scx_init(3).
# Each must build warning-free and, on the `mixed` workload (4 CPUs, build
# jobs and interactive sleepers), keep the machine busy: the build jobs
# migrate between CPUs and use at least 90 % of it. A loop that leaves every
# task on its previous CPU gets about 25 %, with no migration.
# Prints PASS/FAIL lines and "N passed, N failed".
set -uo pipefail

top=$(cd "${1:-$(dirname "$0")/../..}" && pwd)
cc=${CC:-cc}
npass=0 nfail=0
pass() { echo "PASS: $*"; npass=$((npass + 1)); }
fail() { echo "FAIL: $*"; nfail=$((nfail + 1)); }
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT

# A loop fragment as a program: what the fragment needs around it.
wrap() { # FRAGMENT_FILE
	echo '#include <scx/scxcore.h>'
	echo 'int main(void)'
	echo '{'
	cat "$1"
	echo '	return 0;'
	echo '}'
}
# The text of a manual page's Nth .EX block, roff escapes undone.
man_example() { # PAGE N
	awk -v n="$2" '/^\.EX/ { k++; next } /^\.EE/ { if (k == n) exit; next } k == n' "$1" |
		sed -e 's/\\-/-/g' -e 's/\\e/\\/g'
}

sed -n '/^ \*     struct scx_sched \*s;/,/^ \*     scx_destroy(s);/p' "$top/include/scx/scxcore.h" |
	sed 's/^ \*     //' >"$work/header.frag"
wrap "$work/header.frag" >"$work/header.c"
man_example "$top/man/man7/libscxcore.7" 1 >"$work/man7.frag"
wrap "$work/man7.frag" >"$work/libscxcore.7.c"
n=$(grep -c '^\.EX' "$top/man/man3/scx_init.3")
for i in $(seq "$n"); do
	if man_example "$top/man/man3/scx_init.3" "$i" | grep -q '^int main'; then
		man_example "$top/man/man3/scx_init.3" "$i" >"$work/scx_init.3.c"
	fi
done
sed -n '/^```c$/,/^```$/p' "$top/README.md" | sed '1d;$d' | sed -n '/struct scx_sched \*s;/,/scx_destroy(s);/p' \
	>"$work/readme.frag"
wrap "$work/readme.frag" >"$work/README.c"

for src in header.c libscxcore.7.c scx_init.3.c README.c; do
	name=${src%.c}
	if [ ! -s "$work/$src" ] || [ "$(wc -l <"$work/$src")" -lt 10 ]; then
		fail "$name: no example found"
		continue
	fi
	if ! o=$($cc -std=c11 -Wall -Wextra -Werror -I"$top/include" "$work/$src" -o "$work/$name" \
		-L"$top/build/lib-sim" -lscxcore 2>&1); then
		fail "$name: does not build as copied:"
		sed 's/^/      /' <<<"$o"
		continue
	fi
	SCX_SIM_WORKLOAD=mixed SCX_SIM_DURATION=2s SCX_SIM_OUTPUT="$work/$name.json" SCX_SIM_TABLE=none \
		LD_LIBRARY_PATH="$top/build/lib-sim" "$work/$name" >"$work/$name.out" 2>&1
	rc=$?
	build=$(sed -n '/"name": "build"/,/"name": "interactive"/p' "$work/$name.json" 2>/dev/null | tr -d '\n')
	util=$(grep -o '"utilisation": [0-9.]*' <<<"$build" | head -n 1 | cut -d' ' -f2)
	migr=$(grep -o '"migrations": [0-9]*' <<<"$build" | head -n 1 | cut -d' ' -f2)
	if [ $rc = 0 ] && [ -n "$util" ] && [ "${migr:-0}" -gt 0 ] &&
		awk -v u="$util" 'BEGIN { exit !(u >= 0.9) }'; then
		pass "$name: builds as copied; under the simulator the build jobs migrate ($migr times) and use $util of the machine"
	else
		fail "$name: exit $rc, build jobs' utilisation ${util:-?}, migrations ${migr:-?}"
		sed 's/^/      /' "$work/$name.out" | tail -n 5
	fi
done
echo "$npass passed, $nfail failed"
[ "$nfail" = 0 ]
