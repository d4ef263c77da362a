#!/bin/sh
# tools/fetch-kernel.sh [newest|oldest|X.Y|X.Y.Z|list]
#
# Downloads a Debian trixie-backports cloud kernel with sched_ext into the
# cache ($SCX_CACHE_DIR/kernel/VERSION) and prints its directory (vmlinuz,
# config). Both package namings are handled: linux-image-VERSION-cloud-amd64
# (up to 6.18: image and config in one package) and linux-binary-VERSION-
# cloud-amd64 plus linux-base-VERSION-cloud-amd64 (6.19 on). Only the kernel
# image and its config are unpacked, not the modules.
#
#   newest  the newest kernel (default); $SCX_CACHE_DIR/kernel/current points at it
#   oldest  the newest release of the oldest series that has sched_ext
#   X.Y     the newest release of that series;  X.Y.Z  that release
#   list    the newest release of every series that has sched_ext, oldest first
#           (downloads what it must check)
#
# A kernel without CONFIG_SCHED_CLASS_EXT=y (or without BTF) is refused with
# a message and remembered as such. Works offline with what is cached.
# SCX_KERNEL_ARCH=arm64: the arm64 cloud kernels instead (cached apart, in
# $SCX_CACHE_DIR/kernel-arm64), through tools/apt-private.sh's lists of that
# architecture.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cache=$("$here/cache-dir.sh")
arch=${SCX_KERNEL_ARCH:-amd64}
kdir=$cache/kernel
if [ "$arch" != amd64 ]; then
	kdir=$cache/kernel-$arch
	export SCX_APT_ARCH=$arch
fi
mkdir -p "$kdir"
spec=${1:-newest}
t0=$(date +%s.%N)
say() { echo "kernel: $*" >&2; }
elapsed() { awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

# Package names in the Packages lists of the suites given (default:
# trixie-backports). The lists may be stored compressed (Acquire::GzipIndexes):
# apt-helper reads any.
packages() {
	lists=$("$here/apt-private.sh" lists-dir)
	for suite in ${*:-trixie-backports}; do
		for f in "$lists"/*_"$suite"_main_binary-${arch}_Packages*; do
			[ -f "$f" ] && /usr/lib/apt/apt-helper cat-file "$f"
		done
	done | sed -n 's/^Package: //p'
}

# Every cloud kernel version (X.Y.Z+debNN) of the suites given, with the
# package naming it uses: "VERSION binary" or "VERSION image".
available() {
	packages "$@" | sed -n "s/^linux-\(image\|binary\)-\([0-9][0-9.]*+deb[0-9.]*\)-cloud-${arch}\$/\2 \1/p" |
		sort -u | awk '{ kind[$1] = (kind[$1] == "binary" || $2 == "binary") ? "binary" : "image" }
			END { for (v in kind) print v, kind[v] }' | sort -V
}

# Newest release of each series: "X.Y VERSION KIND" lines, oldest series first.
series() {
	available | awk '{ split($1, n, "."); s = n[1] "." n[2]; last[s] = $0; if (!(s in seen)) { seen[s] = 1; order[++k] = s } }
		END { for (i = 1; i <= k; i++) print order[i], last[order[i]] }' | sort -V
}

# has_scx DIR CONFIG: whether the kernel in DIR has sched_ext and BTF. From
# its config when the packages ship one (linux-image, linux-base); else
# (6.19 to 7.1 have no linux-base in the archive) from its own BTF. Prints
# how it knows, or why not.
has_scx() {
	if [ -n "$2" ]; then
		ln -sf "${2#"$1"/}" "$1/config"
		for opt in SCHED_CLASS_EXT DEBUG_INFO_BTF; do
			grep -qx "CONFIG_$opt=y" "$1/config" || { echo "no sched_ext: its config lacks CONFIG_$opt=y"; return 1; }
		done
		echo "config: CONFIG_SCHED_CLASS_EXT=y, CONFIG_DEBUG_INFO_BTF=y"
		return 0
	fi
	tmp=$(mktemp -d)
	if "$here/kernel-btf.sh" "$1/vmlinuz" "$tmp/vmlinux.btf" >/dev/null &&
		bpftool btf dump file "$tmp/vmlinux.btf" format raw 2>/dev/null | grep -q "STRUCT 'sched_ext_ops'"; then
		rm -rf "$tmp"
		echo "no config package; its BTF has struct sched_ext_ops"
		return 0
	fi
	rm -rf "$tmp"
	echo "no sched_ext: no config package, and no struct sched_ext_ops in its BTF"
	return 1
}

# fetch VERSION KIND: the kernel's directory on stdout, or exit 1 (not sched_ext).
fetch() {
	v=$1 kind=$2 dest=$kdir/$1 t0=$(date +%s.%N)
	if [ -e "$dest/.no-scx" ]; then
		say "$v: $(cat "$dest/.no-scx")"
		return 1
	fi
	if [ ! -e "$dest/.complete" ]; then
		say "downloading $v ($kind package)"
		rm -rf "$dest" && mkdir -p "$dest/debs" "$dest/root"
		if [ "$kind" = binary ]; then
			pkgs="linux-binary-$v-cloud-$arch"
			# Its config; the archive lists no linux-base for 6.19 to 7.1.
			! packages | grep -qx "linux-base-$v-cloud-$arch" || pkgs="$pkgs linux-base-$v-cloud-$arch"
		else
			pkgs="linux-image-$v-cloud-$arch"
		fi
		# shellcheck disable=SC2086 # two package names
		(cd "$dest/debs" && "$here/apt-private.sh" apt-get -q download $pkgs >&2) ||
			{ say "error: cannot download $pkgs"; exit 1; }
		for deb in "$dest"/debs/*.deb; do
			dpkg-deb --fsys-tarfile "$deb" |
				tar -x -C "$dest/root" --wildcards '*/vmlinuz*' '*/config*' 2>/dev/null || true
		done
		rm -rf "$dest/debs"
		vmlinuz=$(find "$dest/root" -name 'vmlinuz*' -type f | head -n 1)
		config=$(find "$dest/root" -name 'config*' -type f | head -n 1)
		[ -n "$vmlinuz" ] || { say "error: $v: no vmlinuz in $pkgs"; exit 1; }
		ln -sf "${vmlinuz#"$dest"/}" "$dest/vmlinuz"
		if ! why=$(has_scx "$dest" "$config"); then
			echo "$why" >"$dest/.no-scx"
			rm -rf "$dest/root" "$dest/vmlinuz"
			say "$v: $why"
			return 1
		fi
		echo "$why" >"$dest/sched_ext"
		touch "$dest/.complete"
		say "downloaded $v in $(elapsed) s"
	else
		say "cached $v ($(elapsed) s)"
	fi
	echo "$dest"
}

# The cached kernel a spec names, when the archive cannot be reached.
offline() {
	case $spec in
	newest) d=$kdir/current ;;
	oldest) d=$kdir/oldest ;;
	*) d=$(ls -d "$kdir/$spec"* 2>/dev/null | grep -v '\.no-scx' | sort -V | tail -n 1) ;;
	esac
	if [ -n "$d" ] && [ -e "$d/.complete" ]; then
		readlink -f "$d"
		exit 0
	fi
	say "error: no network and no cached kernel for '$spec' in $kdir."
	say "       Run 'tools/fetch-kernel.sh $spec' once on a machine that reaches the Debian archive."
	exit 1
}

# Serialised: two runs refreshing the private apt state at once saw an
# empty package list ("parameter not set" below).
if ! flock "$kdir/.apt.lock" "$here/apt-private.sh" refresh 2>"$kdir/apt.log"; then
	say "warning: cannot reach the Debian archive ($(tail -n 1 "$kdir/apt.log")); using the cache"
	offline
fi
[ -n "$(available)" ] || { say "error: trixie-backports offers no linux-image/linux-binary-*-cloud-$arch kernel"; exit 1; }

case $spec in
newest)
	set -- $(available | tail -n 1)
	d=$(fetch "$1" "$2") || { say "error: the newest kernel $1 has no sched_ext"; exit 1; }
	ln -sfn "$1" "$kdir/current"
	echo "$d" ;;
oldest)
	d=$(series | while read -r _ v kind; do
		if fetch "$v" "$kind"; then break; fi
	done)
	[ -n "$d" ] || { say "error: no trixie-backports cloud kernel has sched_ext"; exit 1; }
	ln -sfn "$(basename "$d")" "$kdir/oldest"
	echo "$d" ;;
list)
	series | while read -r _ v kind; do
		if fetch "$v" "$kind" >/dev/null; then echo "$v"; fi
	done ;;
[0-9]*.[0-9]*)
	# Named kernels may also come from bookworm-backports (6.12, without
	# sched_ext: refused below with the reason).
	suites="bookworm-backports trixie-backports"
	case $spec in
	*.*.*) line=$(available $suites | awk -v v="$spec" '$1 == v || index($1, v "+") == 1' | tail -n 1) ;;
	*) line=$(available $suites | awk -v s="$spec" 'index($1, s ".") == 1' | tail -n 1) ;;
	esac
	[ -n "$line" ] || { say "error: Debian's backports have no cloud kernel '$spec' (tools/fetch-kernel.sh list)"; exit 1; }
	set -- $line
	fetch "$1" "$2" || { say "error: kernel $1 cannot run libscxcore"; exit 1; } ;;
*)
	echo "usage: $0 [newest|oldest|X.Y|X.Y.Z|list]" >&2
	exit 2 ;;
esac
