#!/bin/sh
# tools/foreign-root.sh sysroot|guest ARCH DIR: unpack into DIR bookworm's
# packages of Debian architecture ARCH (arm64), through the private apt
# lists; the machine's dpkg is not told of ARCH. Absolute symbolic links are
# made relative, so that they resolve inside DIR.
#   sysroot  what a cross build of libscxcore links against besides glibc
#            (which the cross compiler brings): libelf and zlib (for
#            libbpf) and zstd (libelf's), with their -dev packages, and
#            GoogleTest (scxtest_cxx)
#   guest    what a test VM of ARCH runs besides the tree's build
#            (tests/vm/run --arch ARCH): busybox-static, hackbench
#            (rt-tests), stress-ng, bpftool, libstdc++, and the shared
#            libraries they depend on (apt-cache depends --recurse, library
#            packages only: the interpreters some of them pull in are not
#            needed). tests/vm/run copies from DIR only what the guest's
#            programs link.
set -eu
kind=$1 arch=$2 dir=$3
here=$(cd "$(dirname "$0")" && pwd)
case $kind in
sysroot) named="libelf1 libelf-dev zlib1g zlib1g-dev libzstd1 libzstd-dev libgtest-dev" ;;
guest) named="busybox-static rt-tests stress-ng bpftool libstdc++6 libgcc-s1" ;;
*) echo "usage: $0 sysroot|guest ARCH DIR" >&2; exit 2 ;;
esac
# DIR/.complete names what DIR was made from: another list makes it again.
[ "$(cat "$dir/.complete" 2>/dev/null)" = "$kind $arch: $named" ] && exit 0
export SCX_APT_ARCH="$arch"
"$here/apt-private.sh" refresh
pkgs=$named
if [ "$kind" = guest ]; then
	# shellcheck disable=SC2046 # the package list
	pkgs="$named $("$here/apt-private.sh" apt-cache depends --recurse --no-recommends \
		--no-suggests --no-conflicts --no-breaks --no-replaces --no-enhances \
		$(for p in $named; do echo "$p:$arch"; done) |
		sed -n 's/^\(lib[^ :<]*\|zlib1g\).*/\1/p' | grep -vE 'python|perl|-data$|-common$|-modules' |
		grep -v 't64$' | sort -u)" # (t64: trixie's renamed alternatives)
fi
rm -rf "$dir" && mkdir -p "$dir/.debs"
for p in $pkgs; do
	# One at a time: a dependency may be an alternative that only a newer
	# suite has. Skipped; whatever is then missing shows when linking (sysroot)
	# or in tests/vm/run's check of the guest's libraries.
	(cd "$dir/.debs" && "$here/apt-private.sh" apt-get -q download "$p:$arch" >/dev/null 2>&1) ||
		echo "foreign-root: $p:$arch not downloaded (skipped)" >&2
done
for deb in "$dir"/.debs/*.deb; do
	dpkg-deb -x "$deb" "$dir"
done
rm -rf "$dir/.debs"
find "$dir" -type l | while read -r link; do
	target=$(readlink "$link")
	case $target in
	/*) ln -sfn "$(realpath -m --relative-to="$(dirname "$link")" "$dir$target")" "$link" ;;
	esac
done
echo "$kind $arch: $named" >"$dir/.complete"
echo "foreign-root: $kind for $arch in $dir" >&2
