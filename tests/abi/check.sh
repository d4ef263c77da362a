#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# tests/abi/check.sh [LIBRARY]            check LIBRARY's ABI against the baseline
# tests/abi/check.sh --update [LIBRARY]   write LIBRARY's ABI as the new baseline
#
# The baseline, tests/abi/libscxcore.abi, is abidw's description of the
# library restricted to what include/scx/ declares: the exported scx_*
# functions and the types reachable from them (no libbpf, no C++ core, no
# paths or line numbers: it is the same from any tree, and with the private
# or the system libbpf). `make abi-baseline` regenerates it; commit it with
# the change it records.
#
# The check (abidiff) fails on
#  - an incompatible change (abidiff's ABIDIFF_ABI_INCOMPATIBLE_CHANGE bit):
#    an exported function removed;
#  - any other change to an existing interface: a function's parameters or
#    return type, a public struct's layout (a member inserted, moved,
#    resized, retyped or removed), an enumerator's value;
# and passes, printing the report, when the changes are only additions:
#  - new exported functions;
#  - members appended at the end of a struct that starts with `size_t sz`:
#    its caller's sizeof(), so the library tells an older, smaller struct
#    apart and accepts it (capi/sized.h reads and writes such structs up to
#    the caller's size; tests/unit/capi_fake_test.c proves it with a first-
#    release scx_stats; include/scx/scxcore.h, "Conventions"). A member
#    put in the old struct's tail padding does not count: the size would not
#    change and old callers' padding would be read as the new member.
# New enumerators pass silently (abidiff deems them harmless). Macros (the
# SCX_* constants) are not in the binary: abidiff cannot see them.
# The library must have its debug info (-g). LIBRARY defaults to this tree's
# build/lib/libscxcore.so.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
update=0
if [ "${1:-}" = --update ]; then
	update=1
	shift
fi
lib=${1:-$(readlink -f "$top/build/lib/libscxcore.so")}
baseline=$top/tests/abi/libscxcore.abi
headers=$top/include/scx
rel=${baseline#"$top"/}

for tool in abidw abidiff; do
	command -v $tool >/dev/null ||
		{ echo "abi: $tool not found (Debian: abigail-tools; make deps)" >&2; exit 1; }
done
if [ ! -r "$lib" ]; then
	echo "abi: no library '${lib}' (run make first)" >&2
	exit 1
fi
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# LIBRARY's ABI as abixml, in the baseline's form.
dump() {
	abidw --headers-dir "$headers" --drop-private-types --exported-interfaces-only \
		--no-corpus-path --no-comp-dir-path --no-show-locs --no-elf-needed \
		--out-file "$1" "$lib" || { echo "abi: abidw failed on $lib" >&2; exit 1; }
	grep -q "<function-decl name='scx_" "$1" ||
		{ echo "abi: no scx_* function with debug info in $lib (built without -g?)" >&2; exit 1; }
}

if [ $update = 1 ]; then
	dump "$tmp/new.abi"
	if [ -f "$baseline" ] && cmp -s "$tmp/new.abi" "$baseline"; then
		echo "abi: $rel is unchanged"
	else
		cp "$tmp/new.abi" "$baseline"
		echo "abi: wrote $rel from $lib ($(grep -c '<function-decl' "$baseline") functions); commit it"
	fi
	exit 0
fi
if [ ! -r "$baseline" ]; then
	echo "abi: no baseline $rel: make abi-baseline" >&2
	exit 1
fi

# abidiff's exit status is a bit set: 1 error, 2 usage error, 4 the ABIs
# differ, 8 the difference is incompatible. The library is compared whole
# (no --headers-dir2: the baseline has no source locations, and abidiff would
# then take all its types for private and hide their changes); only public
# types are reachable from the scx_* functions anyway.
report=$(abidiff --exported-interfaces-only --fail-no-debug-info --no-show-locs "$baseline" "$lib" 2>&1)
rc=$?
if [ $rc = 0 ]; then
	echo "abi: PASS: $lib has the ABI of $rel"
	exit 0
fi
echo "$report"
if [ $((rc & 3)) != 0 ]; then
	echo "abi: FAIL: abidiff could not compare (exit status $rc)"
	exit 1
fi
if [ $((rc & 8)) != 0 ]; then
	echo "abi: FAIL: incompatible ABI change (abidiff exit status $rc):"
	echo "abi: programs built against $rel would break"
	exit 1
fi

# Different, not incompatible for abidiff: only additions? Cut every struct
# that starts with `sz` and grew back to its baseline size (members at or past
# the old end dropped) and compare again, added functions aside: whatever
# is left changed an existing interface.
dump "$tmp/new.abi"
awk -v base="$baseline" -v q="'" '
	# the value of attribute NAME on an abixml LINE ("" if none)
	function attr(line, name) {
		if (!match(line, " " name "=" q "[^" q "]*" q))
			return ""
		return substr(line, RSTART + length(name) + 3, RLENGTH - length(name) - 4)
	}
	BEGIN {
		# baseline sizes of the structs whose first member is sz
		while ((getline line < base) > 0) {
			if (line ~ /<class-decl /) {
				cur = attr(line, "name"); size = attr(line, "size-in-bits"); first = 1
			} else if (line ~ /<var-decl / && cur != "") {
				if (first && attr(line, "name") == "sz")
					old[cur] = size
				first = 0
			} else if (line ~ /<\/class-decl>/) {
				cur = ""
			}
		}
	}
	/<class-decl / {
		cut = ""; n = attr($0, "name"); s = attr($0, "size-in-bits")
		if ((n in old) && s + 0 > old[n] + 0) {
			cut = old[n]
			sub(" size-in-bits=" q s q, " size-in-bits=" q cut q)
		}
	}
	/<\/class-decl>/ { cut = "" }
	cut != "" && /<data-member / && attr($0, "layout-offset-in-bits") + 0 >= cut + 0 { skip = 1 }
	!skip { print }
	skip && /<\/data-member>/ { skip = 0 }
' "$tmp/new.abi" >"$tmp/cut.abi" || { echo "abi: awk failed" >&2; exit 1; }
if abidiff --no-added-syms "$baseline" "$tmp/cut.abi" >/dev/null 2>&1; then
	echo "abi: PASS: compatible additions only (above); make abi-baseline records them"
	exit 0
fi
echo "abi: FAIL: an existing interface changed (abidiff exit status $rc), not only"
echo "abi: functions added or members appended to structs that start with sz;"
echo "abi: if that is deliberate: make abi-baseline, and commit $rel with it"
exit 1
