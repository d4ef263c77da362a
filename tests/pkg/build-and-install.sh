#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# tests/pkg/build-and-install.sh [SOURCE_TREE]      (make test-pkg)
# SCX_PKG_ARCH=arm64 tests/pkg/build-and-install.sh  (make test-pkg-arm64)
#
# Builds the Debian packages the way a clean package build would and checks
# them:
#  1. copies SOURCE_TREE (default: this repository), the files git tracks
#     plus the untracked ones it does not ignore (no build/, no .tools/),
#     into an empty directory;
#  2. dpkg-buildpackage -us -uc -b there, without network (unshare -n when
#     permitted), with an empty HOME and cache (so nothing cached, such as
#     the libbpf source, can be used);
#  3. lintian on the result: fails on errors, prints every tag;
#  4. checks the packages' contents (the manual pages too) and the library's
#     dependencies;
#  5. unpacks the .debs into a scratch root with dpkg -x (no install as
#     root) and builds and runs a C and a C++ program against them through
#     pkg-config (PKG_CONFIG_SYSROOT_DIR), and runs the examples' --help;
#  6. on the real kernel: adds the libbpf1 package that libscxcore0 depends
#     on (from the archive, as apt would install it), builds the VM test
#     programs against the installed -dev package with pkg-config only, and
#     boots the sched_ext VM with that root over the guest's (no tree build
#     in it) to run the core cases against the installed library: which
#     library every program loads, scx_rlfifo (the package's) under
#     hackbench with user dispatches, every C API call, SIGKILL, SIGSTOP.
#     SCX_PKG_VM=0 skips this step; SCX_VM_LIGHT (set by make: fewer
#     rounds of the looping cases) is passed to the cases.
# With SCX_PKG_ARCH set to another architecture than the machine's, step 2
# is the cross build of tools/cross-deb.sh (dpkg-buildpackage -a ARCH -P
# cross,nocheck in a Debian 12 root: it runs no test), step 5 builds the
# programs with ARCH's cross compiler and runs none, and step 6 boots the
# ARCH kernel (tests/vm/run --arch ARCH) with ARCH's libbpf1.
# The .debs and the build log are left in build/pkg/ (build/pkg-ARCH/) of
# this tree.
# Prints PASS/FAIL lines, the time each step took and "N passed, N failed".
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
src=$(cd "${1:-$top}" && pwd)
build_arch=$(dpkg-architecture -qDEB_BUILD_ARCH)
arch=${SCX_PKG_ARCH:-$build_arch}
out=$top/build/pkg
cross=""
if [ "$arch" != "$build_arch" ]; then
	out=$top/build/pkg-$arch
	cross=$(dpkg-architecture -a"$arch" -qDEB_HOST_GNU_TYPE 2>/dev/null)-
fi
npass=0 nfail=0
pass() { echo "PASS: $*"; npass=$((npass + 1)); }
fail() { echo "FAIL: $*"; nfail=$((nfail + 1)); }
show() { sed 's/^/      /'; }
finish() {
	echo "$npass passed, $nfail failed"
	exit $((nfail > 0))
}
step() { echo "== $* ($(($(date +%s) - t0)) s so far)"; }
t0=$(date +%s)

for tool in dpkg-buildpackage dpkg-checkbuilddeps lintian pkg-config "${cross}gcc" "${cross}g++"; do
	command -v "$tool" >/dev/null || { fail "$tool not found (make deps)"; finish; }
done
if ! version=$(dpkg-parsechangelog -l "$src/debian/changelog" -S Version) ||
	! name=$(dpkg-parsechangelog -l "$src/debian/changelog" -S Source); then
	fail "cannot read $src/debian/changelog"
	finish
fi
multiarch=$(dpkg-architecture -a"$arch" -qDEB_HOST_MULTIARCH 2>/dev/null)

work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT
tree=$work/$name-$version

step "copying $src"
mkdir -p "$tree"
if git -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	# Tracked files still present, and untracked ones that are not ignored.
	(cd "$src" && git ls-files -z -co --exclude-standard |
		while IFS= read -r -d '' f; do [ -e "$f" ] || [ -L "$f" ] && printf '%s\0' "$f"; done |
		tar --null -T - -cf -) | tar -C "$tree" -xf - ||
		{ fail "copying the tree"; finish; }
else
	(cd "$src" && tar --exclude=./build --exclude=./.tools -cf - .) | tar -C "$tree" -xf - ||
		{ fail "copying the tree"; finish; }
fi
pass "copied $(cd "$tree" && find . -type f | wc -l) files into an empty directory"

mkdir -p "$out"
log=$out/build.log
if [ -n "$cross" ]; then
	step "tools/cross-deb.sh $arch"
	tb=$(date +%s)
	"$top/tools/cross-deb.sh" "$arch" "$work" "$tree" 2>"$work/cross.err"
	rc=$?
	tb=$(($(date +%s) - tb))
	cp "$work/build.log" "$log" 2>/dev/null
	if [ $rc = 0 ]; then
		pass "dpkg-buildpackage -a $arch -P cross,nocheck in a Debian 12 root: ${tb} s (log: ${log#"$top"/})"
	else
		fail "the cross build failed after ${tb} s; end of ${log#"$top"/}:"
		show <"$work/cross.err"
		finish
	fi
else
	step "dpkg-buildpackage -us -uc -b"
	if ! deps=$(cd "$tree" && dpkg-checkbuilddeps 2>&1); then
		fail "build dependencies: $deps"
		finish
	fi
	nonet=()
	if unshare -n true 2>/dev/null; then
		nonet=(unshare -n)
		msg="in a network namespace with no network"
	else
		msg="(could not drop the network here: unshare -n not permitted)"
	fi
	mkdir -p "$work/home"
	tb=$(date +%s)
	# (A calling make's MAKEFLAGS is not the package build's.)
	(cd "$tree" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL HOME="$work/home" \
		XDG_CACHE_HOME="$work/home/.cache" SCX_CACHE_DIR="$work/home/nocache" "${nonet[@]}" \
		dpkg-buildpackage -us -uc -b) >"$log" 2>&1
	rc=$?
	tb=$(($(date +%s) - tb))
	if [ $rc = 0 ]; then
		pass "dpkg-buildpackage -us -uc -b $msg: ${tb} s (log: ${log#"$top"/})"
	else
		fail "dpkg-buildpackage exit status $rc after ${tb} s; end of ${log#"$top"/}:"
		tail -n 30 "$log" | show
		finish
	fi
fi
if grep -E '(^|[^-])warning:' "$log" | grep -v '^dpkg-' >"$work/warnings"; [ -s "$work/warnings" ]; then
	fail "compiler warnings in the package build:"
	show <"$work/warnings"
else
	pass "no compiler warnings in the package build"
fi
# The test targets debian/rules ran (they passed, or the build would have failed).
checks=$(sed -n '/override_dh_auto_test/,/Leaving directory/p' "$log" |
	grep -oE '(^| )test-[a-z-]+' | tr -d ' ' | sort -u | tr '\n' ' ')
if [ -n "$cross" ]; then
	echo "note: a cross build runs no tests (the VM runs the packages below)"
elif grep -q 'nocheck' <<<"${DEB_BUILD_OPTIONS:-}"; then
	echo "note: DEB_BUILD_OPTIONS=nocheck: the package build ran no tests"
elif [ -n "$checks" ]; then
	pass "the package build ran and passed: $checks"
else
	fail "the package build ran no tests"
fi

changes=$work/${name}_${version}_${arch}.changes
debs=("$work"/*.deb)
rm -f "$out"/*.deb
cp "${debs[@]}" "$out"/
step "lintian"
lintian -I --pedantic --fail-on error "$changes" >"$work/lintian" 2>&1
rc=$?
lint=$(grep -v '^running with root privileges is not recommended!$' "$work/lintian")
[ -z "$lint" ] || show <<<"$lint"
if [ $rc = 0 ]; then
	pass "lintian: no errors ($(grep -c '^W: ' <<<"$lint") warnings, $(grep -c '^[IP]: ' <<<"$lint") info/pedantic tags)"
else
	fail "lintian: exit status $rc"
fi

step "package contents"
for p in libscxcore0 libscxcore-dev scxcore-examples; do
	[ -f "$work/${p}_${version}_${arch}.deb" ] || fail "no ${p}_${version}_${arch}.deb"
done
contents() { dpkg-deb -c "$work/${1}_${version}_${arch}.deb" | awk '{ print $6 }' | sed 's|^\./|/|'; }
lib=/usr/lib/$multiarch
check_has() {
	local p=$1 f missing=""
	shift
	for f in "$@"; do
		grep -qx "$f" <<<"$(contents "$p")" || missing="$missing $f"
	done
	if [ -z "$missing" ]; then
		pass "$p has $*"
	else
		fail "$p lacks$missing"
	fi
}
check_has libscxcore0 "$lib/libscxcore.so.$version" "$lib/libscxcore.so.0"
check_has libscxcore-dev "$lib/libscxcore.so" /usr/include/scx/scxcore.h \
	/usr/include/scx/scxcore.hpp "$lib/pkgconfig/scxcore.pc"
check_has scxcore-examples /usr/bin/scx_rlfifo /usr/bin/scx_rlvtime \
	/usr/share/man/man1/scx_rlfifo.1.gz /usr/share/man/man1/scx_rlvtime.1.gz \
	/lib/systemd/system/scx-rlfifo.service
# The unit is an example: installed, never enabled or started by the package.
ex_deb=$work/scxcore-examples_${version}_${arch}.deb
# (dh_installsystemd --no-enable --no-start: it re-enables the unit on an
# upgrade only if the admin had enabled it, and never starts it.)
postinst=$(dpkg-deb --ctrl-tarfile "$ex_deb" | tar -xO ./postinst 2>/dev/null)
unguarded=$(awk '/was-enabled/ { guard = 1 } /deb-systemd-helper enable/ && !guard { print } /^[ \t]*fi/ { guard = 0 }' <<<"$postinst")
if grep -q 'scx-rlfifo' <<<"$postinst" && [ -z "$unguarded" ] && ! grep -q 'deb-systemd-invoke' <<<"$postinst"; then
	pass "scxcore-examples' postinst neither enables nor starts scx-rlfifo.service"
else
	fail "scxcore-examples' postinst enables or starts scx-rlfifo.service:"
	show <<<"${unguarded:-$(grep 'deb-systemd-invoke' <<<"$postinst")}"
fi
# The manual pages of the tree, compressed; a .so page is a symlink to its
# target (dh_installman, then dh_compress), so man finds it.
devlist=$(dpkg-deb -c "$work/libscxcore-dev_${version}_${arch}.deb" |
	awk '{ sub(/^\./, "", $6); print $1, $6, $8 }')
manmissing="" manbad="" nman=0 nlink=0
for f in "$src"/man/man3/*.3 "$src"/man/man7/*.7; do
	[ -f "$f" ] || continue
	page=/usr/share/man/${f#"$src"/man/}.gz
	target=$(sed -n '1s/^\.so[[:space:]]\+man[0-9]\/\([^[:space:]]*\).*/\1/p' "$f")
	nman=$((nman + 1))
	if ! line=$(grep " $page\( \|$\)" <<<"$devlist"); then
		manmissing="$manmissing $page"
	elif [ -n "$target" ]; then
		nlink=$((nlink + 1))
		[ "$line" = "lrwxrwxrwx $page $target.gz" ] || manbad="$manbad $line;"
	elif [ "${line:0:1}" != - ]; then
		manbad="$manbad $line;"
	fi
done
if [ "$nman" -gt 0 ] && [ -z "$manmissing" ] && [ -z "$manbad" ]; then
	pass "libscxcore-dev has the $nman manual pages of man/ ($nlink of them symlinks from .so pages)"
else
	fail "libscxcore-dev manual pages: missing:${manmissing:- none}; wrong:${manbad:- none}"
fi
if contents libscxcore0 | grep -q '\.so$\|/include/'; then
	fail "libscxcore0 holds development files"
else
	pass "libscxcore0 holds no development files"
fi
dep=$(dpkg-deb -f "$work/libscxcore0_${version}_${arch}.deb" Depends)
if grep -qE 'libbpf1 \(>= 1:1\.([4-9]|[1-9][0-9])' <<<"$dep"; then
	pass "libscxcore0 Depends: $dep"
else
	fail "libscxcore0 does not depend on libbpf1 >= 1:1.4: $dep"
fi
dep=$(dpkg-deb -f "$work/scxcore-examples_${version}_${arch}.deb" Depends)
# Its options follow the library's (--take-over needs 0.2's scx_opts):
# the same source's library, exactly.
if grep -qE "libscxcore0 \(= $version\)" <<<"$dep"; then
	pass "scxcore-examples Depends: $dep"
else
	fail "scxcore-examples does not depend on libscxcore0 (= $version): $dep"
fi

step "unpack with dpkg -x and build against the packages"
root=$work/root
for d in "${debs[@]}"; do
	dpkg -x "$d" "$root" || fail "dpkg -x $(basename "$d")"
done
dep=$(dpkg-deb -f "$work/libscxcore0_${version}_${arch}.deb" Depends | grep -o 'libbpf1 ([^)]*)')
mkdir -p "$work/deps"
if (cd "$work/deps" && export SCX_APT_ARCH=$arch && "$top/tools/apt-private.sh" refresh &&
	"$top/tools/apt-private.sh" apt-get -q download "libbpf1/bookworm-backports") >"$work/deps.log" 2>&1 && dpkg -x "$work"/deps/libbpf1_*.deb "$root"; then
	have=$(dpkg-deb -f "$work"/deps/libbpf1_*.deb Version)
	if dpkg --compare-versions "$have" ge "$(sed 's/.*>= *\([^)]*\)).*/\1/' <<<"$dep")"; then
		pass "libbpf1 $have (satisfies $dep) unpacked into the root, as apt would install it"
	else
		fail "libbpf1 $have does not satisfy $dep"
	fi
else
	fail "cannot fetch libbpf1 from bookworm-backports:"
	tail -n 5 "$work/deps.log" | show
fi
# A cross link cannot resolve what libbpf1 needs in turn (libelf, zlib):
# the programs run in the VM, where it is installed.
xlink=()
[ -z "$cross" ] || xlink=("-Wl,--allow-shlib-undefined")
flags=$(PKG_CONFIG_PATH=$root$lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$root \
	pkg-config --cflags --libs scxcore 2>&1)
case $flags in
*"-I$root/usr/include"*"-L$root$lib "*"-lscxcore"*) pass "pkg-config --cflags --libs scxcore: $flags" ;;
*) fail "pkg-config in the unpacked root: $flags" ;;
esac
cat >"$work/t.c" <<'C'
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <scx/scxcore.h>

int main(void)
{
	struct scx_stats st = SCX_STATS_INIT;

	printf("%s\n", scx_version());
	if (scx_stats(NULL, &st) != -EINVAL || strlen(scx_strerror(-EINVAL)) == 0)
		return 1;
	return 0;
}
C
cat >"$work/t.cpp" <<'CXX'
#include <iostream>
#include <scx/scxcore.hpp>

int main()
{
	std::cout << scx::version() << '\n';
	return 0;
}
CXX
cc=${CC:-cc} cxx=${CXX:-c++}
[ -z "$cross" ] || cc=${cross}gcc cxx=${cross}g++
# shellcheck disable=SC2086 # word splitting of pkg-config's flags wanted
if ! o=$($cc -std=c11 -Wall -Wextra -Wpedantic -Werror "$work/t.c" -o "$work/t-c" $flags "${xlink[@]}" 2>&1); then
	fail "C program: $o"
elif [ -n "$cross" ]; then
	pass "C program built against the unpacked packages with $cc"
elif r=$(LD_LIBRARY_PATH=$root$lib "$work/t-c" 2>&1) && [ "$r" = "$version" ]; then
	pass "C program built against the unpacked packages prints scx_version(): $r"
else
	fail "C program: $r"
fi
# shellcheck disable=SC2086
if ! o=$($cxx -std=c++17 -Wall -Wextra -Wpedantic -Werror "$work/t.cpp" -o "$work/t-cxx" $flags "${xlink[@]}" 2>&1); then
	fail "C++ program: $o"
elif [ -n "$cross" ]; then
	pass "C++ program built against the unpacked packages with $cxx"
elif r=$(LD_LIBRARY_PATH=$root$lib "$work/t-cxx" 2>&1) && [ "$r" = "$version" ]; then
	pass "C++ program built against the unpacked packages prints scx::version(): $r"
else
	fail "C++ program: $r"
fi
# What the build machine can run.
if [ -z "$cross" ]; then
	resolved=$(LD_LIBRARY_PATH=$root$lib ldd "$work/t-c" |
		awk '$1 ~ /^lib(scxcore|bpf)\.so/ { printf "%s%s => %s", sep, $1, $3; sep = ", " }')
	if grep -q "libscxcore.so.0 => $root$lib/libscxcore.so.0" <<<"$resolved" &&
		grep -q 'libbpf.so.1 => /' <<<"$resolved"; then
		pass "loads $resolved"
	else
		fail "libraries loaded: $resolved"
	fi
	for p in "$root"/usr/bin/*; do
		if o=$(LD_LIBRARY_PATH=$root$lib "$p" --help 2>&1); then
			pass "unpacked $(basename "$p") --help runs"
		else
			fail "unpacked $(basename "$p") --help:"
			show <<<"$o"
		fi
	done
fi

if [ "${SCX_PKG_VM:-1}" != 0 ]; then
	step "the installed packages on the real kernel (VM)"
	mkdir -p "$root/usr/local/bin"
	built=""
	for prog in scxtest_api scxtest_fault scxtest_wakebatch scxtest_handover scxtest_latency; do
		# shellcheck disable=SC2086 # pkg-config's flags
		if o=$($cc -O2 -std=gnu11 -pthread -I"$src/tests/vm/progs" "$src/tests/vm/progs/$prog.c" \
			-o "$root/usr/local/bin/$prog" $flags "${xlink[@]}" 2>&1); then
			built="$built $prog"
		else
			fail "$prog against the installed -dev package:"
			show <<<"$o"
		fi
	done
	[ -z "$built" ] || pass "built against the installed -dev package with pkg-config only:$built"
	runpaths=$(for f in "$root"/usr/bin/* "$root"/usr/local/bin/*; do
		readelf -d "$f" 2>/dev/null | grep -q 'RUNPATH\|RPATH' && echo " ${f#"$root"}"; done)
	if [ -z "$runpaths" ]; then
		pass "no program in the root carries a RUNPATH: they load what the loader finds installed"
	else
		fail "programs with a RUNPATH:$runpaths"
	fi
	vlog=$out/vm.log
	tv=$(date +%s)
	# shellcheck disable=SC2086 # SCX_VM_LIGHT: NAME=VALUE words
	"$top/tests/vm/run" --arch "$arch" --no-tree --root "$root" --timeout 3000 -- \
		env SCX_EXPECT_LIB="$lib/libscxcore.so.0" ${SCX_VM_LIGHT:-} run-cases 02-libraries 10-rlfifo 11-api \
		21-fault-sigkill 22-fault-sigstop 29-handover 31-sub-sched 55-cgfair >"$vlog" 2>&1
	rc=$?
	tv=$(($(date +%s) - tv))
	grep -E '^(ok|FAIL|PASS|SKIP)|scheduler system calls|last stats|libscxcore.so.0 =>' "$vlog" | show
	summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$vlog" | tail -n 1)
	if [ $rc = 0 ] && grep -q ' 0 failed, 0 skipped' <<<"$summary"; then
		pass "the core VM cases against the installed library: $summary ($tv s; log: ${vlog#"$top"/})"
	else
		fail "the core VM cases against the installed library: exit $rc, ${summary:-no summary} ($tv s; log: ${vlog#"$top"/})"
	fi
fi

echo "total: $(($(date +%s) - t0)) s (dpkg-buildpackage: $tb s); packages in ${out#"$top"/}/"
finish
