#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# tests/unit/man_pages.sh [LIBRARY [HEADER [MANDIR [PROGRAM...]]]]
#                                                          (make test-unit-man)
#
# Checks the manual pages of the source tree (MANDIR/man1/*.1, man3/*.3,
# man7/*.7):
#  - every page renders without a warning, both as
#    `groff -man -ww -z -t` (with soelim, from MANDIR, so that a .so page
#    includes its target) and as lintian runs it (`man --warnings -Tutf8` at
#    80 columns); anything on stderr is a failure;
#  - .TH names the file and its section; a .so page is the one line
#    `.so manN/PAGE.N` naming a page that exists (dh_installman turns it into
#    a symlink);
#  - every scx_* function LIBRARY exports (nm -D) and every static inline
#    function of HEADER has a page in man3, whose NAME line names it and whose
#    SYNOPSIS shows the header's prototype;
#  - a function page has the sections NAME, LIBRARY, SYNOPSIS (with
#    #include <scx/scxcore.h>), DESCRIPTION, RETURN VALUE, THREADS, SEE ALSO;
#  - every scx_*(3) or libscxcore(7) a page refers to exists;
#  - man1 holds a page for each example PROGRAM, and it is what tools/man1.sh
#    makes of the program's --help now (the .TH line, with the date and
#    $VERSION, aside).
# Defaults: build/lib/libscxcore.so, include/scx/scxcore.h and man/ of this tree.
# Prints PASS/FAIL lines and "N passed, N failed"; exit status 1 on failure.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
lib=${1:-$top/build/lib/libscxcore.so}
hdr=${2:-$top/include/scx/scxcore.h}
mandir=$(cd "${3:-$top/man}" && pwd) || exit 1
shift $(($# < 3 ? $# : 3))
progs=()
for p; do progs+=("$(realpath "$p")"); done

npass=0 nfail=0
pass() { echo "PASS: $*"; npass=$((npass + 1)); }
fail() { echo "FAIL: $*"; nfail=$((nfail + 1)); }
finish() {
	echo "$npass passed, $nfail failed"
	exit $((nfail > 0))
}
show() { sed 's/^/      /'; }
export LC_ALL=C.UTF-8 MANROFFSEQ=''

for tool in groff man nm; do
	command -v $tool >/dev/null || { fail "$tool not found"; finish; }
done
if [ ! -r "$lib" ] || [ ! -r "$hdr" ]; then
	fail "missing $lib or $hdr (run make first)"
	finish
fi

lib=$(realpath "$lib") hdr=$(realpath "$hdr")
cd "$mandir" || exit 1
pages=(man1/*.1 man3/*.3 man7/*.7)
if [ ! -e "${pages[0]}" ]; then
	fail "no manual pages in $mandir"
	finish
fi

# so_target PAGE: the page a .so page includes (empty for a real page).
so_target() { sed -n '1s/^\.so[[:space:]]\+\([^[:space:]]*\).*/\1/p' "$1"; }

# --- rendering and form ------------------------------------------------------
bad=0
for p in "${pages[@]}"; do
	err=$(groff -s -man -ww -z -t "$p" 2>&1 >/dev/null)
	if [ -n "$err" ]; then
		fail "groff -man -ww -z -t $p:"
		show <<<"$err"
		bad=1
	fi
	target=$(so_target "$p")
	if [ -n "$target" ]; then
		if [ "$(wc -l <"$p")" -ne 1 ] || [ ! -f "$target" ] || [ -n "$(so_target "$target")" ]; then
			fail "$p: a .so page must be the one line '.so manN/PAGE.N' naming a real page"
			bad=1
		fi
		continue
	fi
	err=$(MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z "$p" 2>&1 >/dev/null)
	if [ -n "$err" ]; then
		fail "man --warnings -l $p (as lintian runs it):"
		show <<<"$err"
		bad=1
	fi
	name=$(basename "$p")
	# (help2man writes the name in capitals and quotes the section.)
	th=$(sed -n 's/^\.TH[[:space:]]\+\([^[:space:]]*\)[[:space:]]\+"\{0,1\}\([^[:space:]"]*\).*/\1.\2/p' "$p")
	if [ "${th,,}" != "${name,,}" ]; then
		fail "$p: .TH says '$th'"
		bad=1
	fi
done
[ $bad = 0 ] && pass "${#pages[@]} pages render without warnings (groff -ww; man --warnings at 80 columns), .TH and .so lines right"

# --- every function has a page ---------------------------------------------
# Exported functions, and the header's inline ones (the library cannot export those).
exported=$(nm -D --defined-only "$lib" | awk '$3 ~ /^scx_/ { sub(/@.*/, "", $3); print $3 }' | sort -u)
inline=$(sed -n 's/^static inline [^(]*[ *]\(scx_[a-z0-9_]*\)(.*/\1/p' "$hdr" | sort -u)
if [ -z "$exported" ] || [ -z "$inline" ]; then
	fail "found no exported scx_* functions in $lib or no inline ones in $hdr"
	finish
fi

# The header's prototypes, one per line, whitespace normalised, without SCX_API.
protos=$(awk '/^(SCX_API|static inline) / { p = 1; s = "" }
	p { s = s " " $0; if ($0 !~ /,[ \t]*$/) { print s; p = 0 } }' "$hdr" |
	sed -e 's/SCX_API //' -e 's|/\*.*\*/||g' -e 's/[[:space:]]\+/ /g' -e 's/^ //' -e 's/ *[;{]* *$//' \
		-e 's/( /(/g' -e 's/ )/)/g')

# section PAGE TITLE: the text of one section as plain text, lines that end
# in a comma joined to the next, whitespace normalised.
section() {
	groff -s -man -Tutf8 -P-cbou -rLL=250n -t "$1" 2>/dev/null |
		awk -v t="$2" '/^[A-Z]/ { on = ($0 == t); next } on' |
		sed -e 's/[[:space:]]\+/ /g' -e 's/^ //' -e '/^$/d' | sed -e ':a' -e '/,$/N; s/,\n/, /; ta'
}

missing="" unnamed="" noproto=""
for f in $exported $inline; do
	p=man3/$f.3
	if [ ! -f "$p" ]; then
		missing="$missing $f"
		continue
	fi
	real=$(so_target "$p")
	real=${real:-$p}
	names=$(section "$real" NAME | sed 's/ - .*//' | tr -d ' ' | tr ',' '\n')
	grep -qx "$f" <<<"$names" || unnamed="$unnamed $f($real)"
	proto=$(grep -E "[ *]$f\(" <<<"$protos")
	syn=$(section "$real" SYNOPSIS | sed 's/;$//')
	if [ -z "$proto" ] || ! grep -qxF "$proto" <<<"$syn"; then
		noproto="$noproto $f"
	fi
done
nf=$(wc -w <<<"$exported $inline")
if [ -z "$missing" ]; then
	pass "all $nf functions have a page in man3 ($(wc -w <<<"$exported") exported by $(basename "$lib"), $(wc -w <<<"$inline") inline in the header)"
else
	fail "functions without a page in man3:$missing"
fi
if [ -z "$unnamed" ]; then
	pass "each function is named in its page's NAME section"
else
	fail "not in the NAME section of their page:$unnamed"
fi
if [ -z "$noproto" ]; then
	pass "each page's SYNOPSIS shows the header's prototype"
else
	fail "SYNOPSIS does not show the header's prototype of:$noproto"
	grep -E "[ *]($(tr ' ' '|' <<<"${noproto# }"))\(" <<<"$protos" | show
fi

# --- sections and cross-references ------------------------------------------
nosec=""
for p in man3/*.3; do
	[ -n "$(so_target "$p")" ] && continue
	for s in NAME LIBRARY SYNOPSIS DESCRIPTION 'RETURN VALUE' THREADS 'SEE ALSO'; do
		grep -qx "\\.SH \"\\?$s\"\\?" "$p" || nosec="$nosec $p:'$s'"
	done
	grep -q '^\.B #include <scx/scxcore.h>$' "$p" || nosec="$nosec $p:#include"
done
if [ -z "$nosec" ]; then
	pass "function pages have NAME, LIBRARY, SYNOPSIS (#include), DESCRIPTION, RETURN VALUE, THREADS, SEE ALSO"
else
	fail "missing sections:$nosec"
fi
refs=$(grep -ohE '\b(scx_[a-z0-9_]+|libscxcore) \([37]\)' "${pages[@]}" | sort -u)
dangling=""
while read -r name sec; do
	sec=${sec//[()]/}
	[ -f "man$sec/$name.$sec" ] || dangling="$dangling $name($sec)"
done <<<"$refs"
if [ -z "$dangling" ]; then
	pass "all $(wc -l <<<"$refs") scx_*(3) and libscxcore(7) references name existing pages"
else
	fail "references to pages that do not exist:$dangling"
fi

if [ ${#progs[@]} -gt 0 ]; then
	fresh=$(mktemp -d)
	trap 'rm -rf "$fresh"' EXIT
	stale=""
	if ! out=$("$top/tools/man1.sh" "${VERSION:-0}" "$fresh" "${progs[@]}" 2>&1); then
		fail "tools/man1.sh failed:"
		show <<<"$out"
	else
		for f in "$fresh"/*.1; do
			diff -q -I "^\.TH " "$f" "man1/${f##*/}" >/dev/null 2>&1 || stale="$stale ${f##*/}"
		done
		extra=$(comm -13 <(cd "$fresh" && ls) <(cd man1 && ls))
		if [ -z "$stale$extra" ]; then
			pass "man1 has the ${#progs[@]} examples' pages as their --help makes them now"
		else
			fail "man1 out of date (make man1):${stale:- } ${extra:+not an example: $extra}"
		fi
	fi
fi
finish
