#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# tests/unit/layers.sh [TOP]                               (make test-unit-layers)
#
# The layers of HACKING.md, checked on the #include lines of the tree: each
# directory includes only what its layer may see.
#
#   include/scx/   system headers and itself
#   capi/          capi/ and <scx/...>: no libbpf, nothing of cxx/, sim/, bpf/
#   cxx/           cxx/, capi/backend.h, bpf/intf.h, bpf/intf_public.h, libbpf
#   sim/           sim/, capi/backend.h, bpf/intf.h, bpf/intf_public.h; no libbpf
#   bpf/           bpf/ only (and the BPF toolchain's <bpf/...>); intf.h may add
#                  system headers, intf_public.h (user space only) <scx/...>
#   examples/, bindings/   the public headers only
#
# A violation prints the file, the line and the rule; the script also shows
# that it catches one (an include written for the purpose). Prints PASS/FAIL
# lines and "N passed, N failed"; exit status 1 on failure.
set -uo pipefail

top=$(cd "${1:-$(dirname "$0")/../..}" && pwd)
cd "$top" || exit 1
npass=0 nfail=0
pass() { echo "PASS: $*"; npass=$((npass + 1)); }
fail() { echo "FAIL: $*"; nfail=$((nfail + 1)); }

# violations DIR ALLOWED_REGEX FILES...: the #include lines of FILES whose
# target does not match ALLOWED_REGEX ("FILE:LINE: #include X").
violations() {
	local allowed=$1
	shift
	grep -Hn -E '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]' "$@" 2>/dev/null |
		while IFS= read -r hit; do
			target=$(sed -E 's/.*#[[:space:]]*include[[:space:]]*([<"][^>"]*[>"]).*/\1/' <<<"${hit#*:*:}")
			[[ $target =~ $allowed ]] || echo "${hit%%:*#*}: #include $target"
		done
}

# The C and C++ standard and system headers: <name>, <name.h>, <sys/...>,
# <linux/...> (kernel UAPI), <asm/...>.
sys='^<([a-z_0-9]+(\.h)?|(sys|linux|asm|asm-generic|bits|netinet|arpa)/[a-z_0-9/]+\.h)>$'

check() { # NAME ALLOWED FILES...
	local name=$1 allowed=$2
	shift 2
	local bad
	bad=$(violations "$allowed" "$@")
	if [ -z "$bad" ]; then
		pass "$name ($# files)"
	else
		fail "$name:"$'\n'"$bad"
	fi
}

shopt -s nullglob globstar
check "include/scx/ includes only system headers and itself" \
	"$sys|^<scx/scxcore\\.h>$" include/scx/*.h include/scx/*.hpp
check "capi/ sees only capi/ and the public header (no libbpf, cxx/, sim/, bpf/)" \
	"$sys|^<scx/scxcore\\.h>$|^\"[a-z_]+\\.h\"$" capi/*.h capi/*.cpp
check "cxx/ sees the seam (capi/backend.h), bpf/intf*.h, libbpf and itself" \
	"$sys|^<scx/scxcore\\.h>$|^<bpf/(bpf|btf|libbpf)\\.h>$|^\"[a-z_]+\\.h\"$|^\"\\.\\./capi/backend\\.h\"$|^\"\\.\\./bpf/intf(_public)?\\.h\"$" \
	cxx/*.h cxx/*.cpp
check "sim/ sees the seam (capi/backend.h), bpf/intf*.h and itself; no libbpf" \
	"$sys|^<scx/scxcore\\.h>$|^\"[a-z_]+\\.h\"$|^\"\\.\\./capi/backend\\.h\"$|^\"\\.\\./bpf/intf(_public)?\\.h\"$" \
	sim/*.h sim/*.cpp
bpf_own='^<bpf/bpf_(helpers|tracing|core_read|endian)\.h>$|^"[a-z_]+\.h"$'
check "the BPF program includes only bpf/ and the BPF toolchain's headers" \
	"$bpf_own" bpf/*.bpf.c bpf/include/*.h bpf/include/*/*.h
check "bpf/intf.h (both sides) adds only system headers" "$bpf_own|$sys" bpf/intf.h
check "bpf/intf_public.h (user space's translation) adds only the public header" \
	"$bpf_own|^<scx/scxcore\\.h>$" bpf/intf_public.h
check "examples/ use only the public headers" \
	"$sys|^<scx/scxcore\\.h(pp)?>$|^\"[a-z_]+\\.h(pp)?\"$" examples/**/*.c examples/**/*.cpp examples/**/*.h
check "bindings/ (cgo) use only the public header" \
	"$sys|^<scx/scxcore\\.h>$" bindings/go/*.go

# The check catches a violation: capi/ reaching into the kernel backend.
probe=$(mktemp -d)
mkdir -p "$probe/capi"
printf '#include "backend.h"\n#include "../cxx/scheduler.h"\n#include <bpf/libbpf.h>\n' >"$probe/capi/probe.cpp"
caught=$(cd "$probe" && violations "$sys|^<scx/scxcore\\.h>$|^\"[a-z_]+\\.h\"$" capi/probe.cpp)
rm -rf "$probe"
if [ "$(grep -c . <<<"$caught")" = 2 ]; then
	pass "a capi/ file including ../cxx/scheduler.h and <bpf/libbpf.h> is caught (2 lines)"
else
	fail "the probe violations were not caught as 2 lines: '$caught'"
fi

echo "$npass passed, $nfail failed"
[ "$nfail" = 0 ]
