#!/bin/sh
# tools/cross-sysroot.sh ARCH DIR: unpack into DIR what a cross build of
# libscxcore for Debian architecture ARCH (arm64) links against besides
# glibc (which the cross compiler brings): libelf and zlib (for libbpf), and
# zstd (libelf's), their -dev packages from bookworm, through the private
# apt lists of ARCH. The machine's dpkg is not told of ARCH. Absolute
# symbolic links are made relative, so that they resolve inside DIR.
set -eu
arch=$1 dir=$2
here=$(cd "$(dirname "$0")" && pwd)
[ -e "$dir/.complete" ] && exit 0
rm -rf "$dir" && mkdir -p "$dir/.debs"
export SCX_APT_ARCH="$arch"
"$here/apt-private.sh" refresh
(cd "$dir/.debs" && "$here/apt-private.sh" apt-get -q download \
	libelf1:"$arch" libelf-dev:"$arch" zlib1g:"$arch" zlib1g-dev:"$arch" libzstd1:"$arch" libzstd-dev:"$arch" >&2)
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
touch "$dir/.complete"
echo "cross-sysroot: $arch libelf, zlib and zstd in $dir"
