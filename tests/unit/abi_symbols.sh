#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# tests/unit/abi_symbols.sh [LIBRARY [HEADER [system]]]
#
# Checks the shared library's ABI surface:
#  - it exports only scx_* functions, each under the version node that
#    capi/libscxcore.map gives it (LIBSCXCORE_0 for the first release's,
#    one node per later release), and exactly the SCX_API functions the
#    header declares;
#  - its SONAME is libscxcore.so.0;
#  - libbpf is inside it, statically and hidden: no undefined libbpf symbols
#    and no NEEDED libbpf.so; or, with "system" (a LIBBPF=system build, e.g.
#    the Debian package), it NEEDs the system's shared libbpf.so.1.
# Defaults: build/lib/libscxcore.so and include/scx/scxcore.h of this tree.
# Prints PASS/FAIL lines and "N passed, N failed"; exit status 1 on failure.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
lib=${1:-$top/build/lib/libscxcore.so}
hdr=${2:-$top/include/scx/scxcore.h}
libbpf_mode=${3:-static}
map=$top/capi/libscxcore.map
soname=libscxcore.so.0
# "symbol node" for each function the version script names.
want_versions=$(awk '/^[A-Za-z0-9_.]+ *\{/ { node = $1 } /^[ \t]+scx_[a-z_0-9]+;/ { sub(/;/, "", $1); print $1, node }' "$map" | sort)
want_nodes=$(awk '{ print $2 }' <<<"$want_versions" | sort -u)

npass=0 nfail=0
pass() { echo "PASS: $*"; npass=$((npass + 1)); }
fail() { echo "FAIL: $*"; nfail=$((nfail + 1)); }
finish() {
	echo "$npass passed, $nfail failed"
	exit $((nfail > 0))
}
# Print a list indented, for the details of a failure.
show() { sed 's/^/      /'; }

if [ -r "$lib" ] && [ -r "$hdr" ]; then
	pass "inputs exist: $lib, $hdr"
else
	fail "missing $lib or $hdr (run make first)"
	finish
fi

if ! defined=$(nm -D --defined-only "$lib" 2>&1); then
	fail "nm -D --defined-only failed: $defined"
	finish
fi
# "ADDR TYPE NAME[@[@]VERSION]" -> "TYPE NAME"
defined=$(awk 'NF == 3 { sub(/@.*/, "", $3); print $2, $3 }' <<<"$defined")

# The version node shows up as an absolute symbol, and must be the only one.
nodes=$(awk '$1 == "A" { print $2 }' <<<"$defined" | sort -u)
if [ -n "$nodes" ] && [ "$nodes" = "$want_nodes" ] && grep -qx LIBSCXCORE_0 <<<"$nodes"; then
	pass "version nodes are the version script's: $(echo $nodes)"
else
	fail "version nodes are '$(echo $nodes)', want '$(echo $want_nodes)' (capi/libscxcore.map)"
fi

syms=$(awk '$1 != "A"' <<<"$defined")
bad=$(awk '$1 != "T" || $2 !~ /^scx_/' <<<"$syms")
if [ -n "$syms" ] && [ -z "$bad" ]; then
	pass "exports only scx_* functions ($(wc -l <<<"$syms") symbols, all type T)"
else
	fail "exports symbols that are not scx_* functions:"
	show <<<"${bad:-(nothing exported at all)}"
fi
exported=$(awk '{ print $2 }' <<<"$syms" | sort -u)

# Every exported symbol carries the version node (objdump -T has a version
# column whatever nm's defaults are).
got_versions=$(objdump -T "$lib" | awk '$NF ~ /^scx_/ { v = $(NF - 1); gsub(/[()]/, "", v); print $NF, v }' | sort)
if [ "$got_versions" = "$want_versions" ]; then
	pass "every scx_* symbol has the version node the version script gives it"
else
	fail "scx_* symbol versions differ from capi/libscxcore.map (got < > want):"
	diff <(echo "$got_versions") <(echo "$want_versions") | grep '^[<>]' | show
fi

# What the header promises: each "SCX_API <type> name(" declaration.
declared=$(awk '/^[ \t]*SCX_API[ \t]/ {
		sub(/\(.*/, ""); n = split($0, w, /[ \t*]+/); print w[n]
	}' "$hdr" | sort -u)
if [ "$(wc -w <<<"$declared")" -ge 10 ]; then
	pass "header declares $(wc -w <<<"$declared") SCX_API functions"
else
	fail "found only $(wc -w <<<"$declared") SCX_API declarations in $hdr"
fi

missing=$(comm -23 <(echo "$declared") <(echo "$exported") | sed '/^$/d')
if [ -z "$missing" ]; then
	pass "every SCX_API function of the header is exported"
else
	fail "declared SCX_API but not exported:"
	show <<<"$missing"
fi

extra=$(comm -13 <(echo "$declared") <(echo "$exported") | sed '/^$/d')
if [ -z "$extra" ]; then
	pass "nothing is exported that the header does not declare SCX_API"
else
	fail "exported but not declared SCX_API in the header:"
	show <<<"$extra"
fi

dynamic=$(objdump -p "$lib")
got=$(awk '$1 == "SONAME" { print $2 }' <<<"$dynamic")
if [ "$got" = "$soname" ]; then
	pass "SONAME is $soname"
else
	fail "SONAME is '${got}', want $soname"
fi

needed=$(awk '$1 == "NEEDED" { print $2 }' <<<"$dynamic")
if [ "$libbpf_mode" = system ]; then
	if grep -qx 'libbpf\.so\.1' <<<"$needed"; then
		pass "LIBBPF=system build: libbpf.so.1 is NEEDED"
	else
		fail "LIBBPF=system build but libbpf.so.1 is not NEEDED: $(echo $needed)"
	fi
	finish
fi
if [ -n "$needed" ] && ! grep -q 'libbpf' <<<"$needed"; then
	pass "libbpf.so is not NEEDED ($(echo $needed))"
else
	fail "NEEDED libraries include libbpf (or none were found): $(echo $needed)"
fi

# libbpf's API prefixes; none may be left for the dynamic linker to resolve.
libbpf_re='^(bpf_|btf_|btf__|libbpf_|ring_buffer__|user_ring_buffer__|perf_buffer__|bpf_object__|bpf_map__|bpf_program__|bpf_link__|bpf_linker__|bpf_prog_linfo__|btf_dump__)'
undef=$(nm -D --undefined-only "$lib" | awk '{ sub(/@.*/, "", $NF); print $NF }' |
	grep -E "$libbpf_re")
if [ -z "$undef" ]; then
	pass "no undefined libbpf symbols"
else
	fail "undefined libbpf symbols (libbpf is not linked in):"
	show <<<"$undef"
fi

# And libbpf really is inside (so the check above is not vacuous): its code
# appears as local symbols, or, if the symbol table was stripped, its strings.
# (Whole outputs are captured first: grep -q closing a pipe early would make
# nm die of SIGPIPE and, under pipefail, the pipeline fail.)
symtab=$(nm "$lib" 2>&1)
if grep -qE '^[0-9a-f]+ t bpf_object__open_mem$' <<<"$symtab"; then
	pass "libbpf is linked in statically as local (hidden) code"
elif grep -q 'no symbols' <<<"$symtab" && grep -aq 'libbpf: ' "$lib"; then
	pass "libbpf is linked in statically (stripped library: found by its strings)"
else
	fail "libbpf's bpf_object__open_mem is not a local symbol of the library"
fi

finish
