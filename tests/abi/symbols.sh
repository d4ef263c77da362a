#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# tests/abi/symbols.sh LIBRARY VERSION [SYMBOLS_FILE]     (part of make abi-baseline)
# Brings the Debian symbols file (default debian/libscxcore0.symbols) in line
# with the symbols LIBRARY exports: a symbol already listed keeps the version
# that introduced it, a new one gets VERSION, one no longer exported is
# dropped (with a warning: that is an incompatible change).
set -euo pipefail
export LC_ALL=C

top=$(cd "$(dirname "$0")/../.." && pwd)
lib=${1:?usage: symbols.sh LIBRARY VERSION [SYMBOLS_FILE]}
version=${2:?usage: symbols.sh LIBRARY VERSION [SYMBOLS_FILE]}
file=${3:-$top/debian/libscxcore0.symbols}
rel=${file#"$top"/}

# "name@VERSION_NODE" of every exported symbol, the version node included.
exported=$(nm -D --defined-only "$lib" | awk '
	$2 == "A" { print $3 "@" $3; next }
	{ sub(/@@/, "@", $3); print $3 }' | sort -u)
[ -n "$exported" ] || { echo "symbols: nothing exported by $lib" >&2; exit 1; }

old=$(mktemp)
trap 'rm -f "$old" "$old.new"' EXIT
if [ -f "$file" ]; then
	sed -n 's/^ //p' "$file" >"$old"
fi

{
	echo "libscxcore.so.0 libscxcore0 #MINVER#"
	echo "* Build-Depends-Package: libscxcore-dev"
	while read -r sym; do
		v=$(awk -v s="$sym" '$1 == s { print $2 }' "$old")
		echo " $sym ${v:-$version}"
	done <<<"$exported"
} >"$old.new"

gone=$(awk '{ print $1 }' "$old" | sort | comm -23 - <(echo "$exported"))
if [ -n "$gone" ]; then
	echo "symbols: WARNING: no longer exported (an incompatible change): $(echo "$gone" | tr '\n' ' ')" >&2
fi
if [ -f "$file" ] && cmp -s "$old.new" "$file"; then
	echo "symbols: $rel is unchanged"
else
	cp "$old.new" "$file"
	echo "symbols: wrote $rel ($(grep -c '^ ' "$file") symbols); commit it"
fi
