#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# tests/pkg/install-test.sh VERSION PREFIX LIBDIR INCLUDEDIR BINDIR PKGCONFIGDIR MANDIR PROG...
# (run by `make test-install`, which passes its install directories and
# programs, and $(MAKE) in MAKE)
#
# 1. make install into a scratch DESTDIR with the given directories: the
#    expected files and links, no RPATH, the right SONAME; a C program and a
#    C++ program (scxcore.hpp) built with `pkg-config --cflags --libs scxcore`
#    (PKG_CONFIG_SYSROOT_DIR=DESTDIR) run against the installed library and
#    print scx_version(); the installed programs run (--help); the manual
#    pages of man/ are in MANDIR/man1, man3 and man7, each .so page naming an
#    installed page; make uninstall leaves no file behind.
# 2. The same with every directory overridden (the C program only).
# Prints PASS/FAIL lines and "N passed, N failed"; exit status 1 on failure.
set -uo pipefail

if [ $# -lt 8 ]; then
	echo "usage: $0 VERSION PREFIX LIBDIR INCLUDEDIR BINDIR PKGCONFIGDIR MANDIR PROG..." >&2
	exit 2
fi
version=$1 prefix=$2 libdir=$3 includedir=$4 bindir=$5 pcdir=$6 mandir=$7
shift 7
progs=("$@")
make=${MAKE:-make}
top=$(cd "$(dirname "$0")/../.." && pwd)
cc=${CC:-cc} cxx=${CXX:-c++}

npass=0 nfail=0
pass() { echo "PASS: $*"; npass=$((npass + 1)); }
fail() { echo "FAIL: $*"; nfail=$((nfail + 1)); }
show() { sed 's/^/      /'; }

# The manual pages make install must install: those of the tree, as
# manN/PAGE.N. (A tree without its pages would make the check vacuous.)
manpages=()
for f in "$top"/man/man1/*.1 "$top"/man/man3/*.3 "$top"/man/man7/*.7; do
	[ -f "$f" ] && manpages+=("${f#"$top"/man/}")
done
case " ${manpages[*]} " in
*" man1/scx_rlfifo.1 "*" man3/scx_init.3 "*" man7/libscxcore.7 "*) ;;
*)
	echo "FAIL: no man/man1/scx_rlfifo.1, man/man3/scx_init.3 or man/man7/libscxcore.7 in $top"
	echo "0 passed, 1 failed"
	exit 1
	;;
esac

work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT

cat >"$work/version.c" <<'C'
#include <errno.h>
#include <stdio.h>
#include <scx/scxcore.h>

int main(void)
{
	struct scx_stats st = SCX_STATS_INIT;

	printf("%s\n", scx_version());
	return scx_stats(NULL, &st) == -EINVAL ? 0 : 1; /* no kernel needed */
}
C
cat >"$work/version.cpp" <<'CXX'
#include <iostream>
#include <scx/scxcore.hpp>

int main()
{
	std::cout << scx::version() << '\n';
	return 0;
}
CXX

# do_install DESTDIR [VAR=VALUE...]
do_install() {
	local d=$1
	shift
	if out=$(cd "$top" && $make -s install DESTDIR="$d" "$@" 2>&1); then
		pass "make install DESTDIR=$d $*"
	else
		fail "make install DESTDIR=$d $*:"
		show <<<"$out"
		return 1
	fi
}

# do_uninstall DESTDIR [VAR=VALUE...]: and nothing is left but directories
do_uninstall() {
	local d=$1
	shift
	if ! out=$(cd "$top" && $make -s uninstall DESTDIR="$d" "$@" 2>&1); then
		fail "make uninstall DESTDIR=$d $*:"
		show <<<"$out"
		return
	fi
	left=$(cd "$d" && find . ! -type d)
	if [ -z "$left" ]; then
		pass "make uninstall removed every file ($(cd "$d" && find . -type d | wc -l) directories left)"
	else
		fail "make uninstall left files behind:"
		show <<<"$left"
	fi
}

# check_files DESTDIR LIBDIR INCLUDEDIR BINDIR PKGCONFIGDIR MANDIR
check_files() {
	local d=$1 l=$2 i=$3 b=$4 p=$5 m=$6 f missing="" extra
	local want=("$l/libscxcore.so.$version" "$l/libscxcore.so.0" "$l/libscxcore.so"
		"$i/scx/scxcore.h" "$i/scx/scxcore.hpp" "$p/scxcore.pc")
	for f in "${progs[@]}"; do want+=("$b/$f"); done
	for f in "${manpages[@]}"; do want+=("$m/$f"); done
	for f in "${want[@]}"; do
		[ -e "$d$f" ] || missing="$missing $f"
	done
	extra=$(cd "$d" && find . ! -type d | sed 's|^\.||' | sort |
		comm -23 - <(printf '%s\n' "${want[@]}" | sort))
	if [ -z "$missing" ] && [ -z "$extra" ]; then
		pass "installed exactly ${#want[@]} files and links"
	else
		fail "installed files: missing:${missing:- none}; unexpected: ${extra:-none}"
	fi
	if [ "$(readlink "$d$l/libscxcore.so.0")" = "libscxcore.so.$version" ] &&
		[ "$(readlink "$d$l/libscxcore.so")" = libscxcore.so.0 ] &&
		[ -f "$d$l/libscxcore.so.$version" ] && [ ! -L "$d$l/libscxcore.so.$version" ]; then
		pass "libscxcore.so -> libscxcore.so.0 -> libscxcore.so.$version"
	else
		fail "library links: $(cd "$d$l" && find . -name 'libscxcore.so*' -printf '%p -> %l; ')"
	fi
	soname=$(readelf -d "$d$l/libscxcore.so.$version" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
	if [ "$soname" = libscxcore.so.0 ]; then
		pass "SONAME libscxcore.so.0"
	else
		fail "SONAME is '$soname'"
	fi
	local rpaths=""
	for f in "$d$l/libscxcore.so.$version" "${progs[@]/#/$d$b/}"; do
		readelf -d "$f" | grep -qE '\((RPATH|RUNPATH)\)' && rpaths="$rpaths ${f#"$d"}"
	done
	if [ -z "$rpaths" ]; then
		pass "no RPATH/RUNPATH in the library or the programs"
	else
		fail "RPATH/RUNPATH in:$rpaths"
	fi
	local modes
	modes=$(cd "$d" && stat -c '%a %n' ".$l/libscxcore.so.$version" ".$i/scx/scxcore.h" \
		".$i/scx/scxcore.hpp" ".$p/scxcore.pc" "${progs[@]/#/.$b/}" "${manpages[@]/#/.$m/}")
	if ! grep -qvE '^(644 \..*/(libscxcore\.so\.[0-9.]+|scxcore\.(h|hpp|pc)|man[137]/[^/]+\.[137])|755 \..*)$' <<<"$modes"; then
		pass "modes: 644 for the library, headers, .pc and manual pages; 755 for the programs"
	else
		fail "file modes:"
		show <<<"$modes"
	fi
}

# check_man DESTDIR MANDIR: the pages are there (check_files said which), and
# each .so page names a page installed beside it, as man-db and
# dh_installman need.
check_man() {
	local d=$1 m=$2 f target bad="" n=0
	for f in "${manpages[@]}"; do
		target=$(sed -n '1s/^\.so[[:space:]]\+\([^[:space:]]*\).*/\1/p' "$d$m/$f" 2>/dev/null)
		[ -z "$target" ] && continue
		n=$((n + 1))
		[ -f "$d$m/$target" ] || bad="$bad $f names $target, not installed"
	done
	for f in man1/scx_rlfifo.1 man3/scx_init.3 man7/libscxcore.7; do
		[ -f "$d$m/$f" ] || bad="$bad $f missing"
	done
	if [ -z "$bad" ]; then
		pass "${#manpages[@]} manual pages in $m/man1, man3 and man7; the $n .so pages name installed pages"
	else
		fail "manual pages in $m:$bad"
	fi
}

# build_and_run DESTDIR LIBDIR PKGCONFIGDIR LANG(c|c++)
build_and_run() {
	local d=$1 l=$2 p=$3 lang=$4 flags out src exe
	if ! flags=$(PKG_CONFIG_PATH=$d$p PKG_CONFIG_SYSROOT_DIR=$d pkg-config --cflags --libs scxcore 2>&1); then
		fail "pkg-config --cflags --libs scxcore: $flags"
		return
	fi
	case $flags in
	*"-I$d"*"-L$d$l "*) pass "pkg-config: $flags" ;;
	*) fail "pkg-config flags do not point into DESTDIR: $flags" ;;
	esac
	local compile
	if [ "$lang" = c ]; then
		src=$work/version.c exe=$work/version-c compile="$cc -std=c11"
	else
		src=$work/version.cpp exe=$work/version-cxx compile="$cxx -std=c++17"
	fi
	# shellcheck disable=SC2086 # word splitting of the compiler and pkg-config's flags wanted
	if out=$($compile -Wall -Wextra -Wpedantic -Werror "$src" -o "$exe" $flags 2>&1); then
		pass "$lang program built against the installed headers and library"
	else
		fail "$lang program did not build:"
		show <<<"$out"
		return
	fi
	resolved=$(LD_LIBRARY_PATH=$d$l ldd "$exe" | awk '$1 ~ /^libscxcore/ { print $3 }')
	if [ "$resolved" = "$d$l/libscxcore.so.0" ]; then
		pass "$lang program loads the installed $resolved"
	else
		fail "$lang program loads libscxcore from '$resolved'"
	fi
	if out=$(LD_LIBRARY_PATH=$d$l "$exe" 2>&1) && [ "$out" = "$version" ]; then
		pass "$lang program prints scx_version(): $out"
	else
		fail "$lang program printed '$out' (exit $?), want '$version'"
	fi
}

echo "== install: PREFIX=$prefix LIBDIR=$libdir INCLUDEDIR=$includedir BINDIR=$bindir PKGCONFIGDIR=$pcdir MANDIR=$mandir"
d=$work/destdir
if do_install "$d"; then
	check_files "$d" "$libdir" "$includedir" "$bindir" "$pcdir" "$mandir"
	check_man "$d" "$mandir"
	build_and_run "$d" "$libdir" "$pcdir" c
	build_and_run "$d" "$libdir" "$pcdir" c++
	for p in "${progs[@]}"; do
		if out=$(LD_LIBRARY_PATH=$d$libdir "$d$bindir/$p" --help 2>&1); then
			pass "installed $p --help runs"
		else
			fail "installed $p --help: exit $?:"
			show <<<"$out"
		fi
	done
	do_uninstall "$d"
fi

o=/opt/scxcore
custom=("PREFIX=$o" "LIBDIR=$o/lib64" "INCLUDEDIR=$o/inc" "BINDIR=$o/sbin" "PKGCONFIGDIR=$o/share/pkgconfig"
	"MANDIR=$o/man")
echo "== install: ${custom[*]}"
d=$work/destdir-custom
if do_install "$d" "${custom[@]}"; then
	check_files "$d" $o/lib64 $o/inc $o/sbin $o/share/pkgconfig $o/man
	check_man "$d" $o/man
	pc=$(cat "$d$o/share/pkgconfig/scxcore.pc")
	# shellcheck disable=SC2016 # literal ${...}: pkg-config expands them
	if grep -qx "prefix=$o" <<<"$pc" && grep -qx 'libdir=${exec_prefix}/lib64' <<<"$pc" &&
		grep -qx 'includedir=${prefix}/inc' <<<"$pc"; then
		pass "scxcore.pc: prefix=$o, libdir and includedir relative to it"
	else
		fail "scxcore.pc:"
		show <<<"$pc"
	fi
	build_and_run "$d" $o/lib64 $o/share/pkgconfig c
	do_uninstall "$d" "${custom[@]}"
fi

echo "$npass passed, $nfail failed"
exit $((nfail > 0))
