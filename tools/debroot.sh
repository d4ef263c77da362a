# shellcheck shell=bash
# tools/debroot.sh: sourced by tools/check-fresh.sh and tools/cross-deb.sh.
# A bare Debian 12 root made with debootstrap (minbase) from the archive the
# host's apt uses (tools/apt-private.sh mirror, or $SCX_DEBIAN_MIRROR), with
# what a machine behind an intercepting proxy would have been given: the
# host's extra CA certificates and the proxy settings of its apt.conf.d.
# Needs root and debootstrap (installed through the private apt
# configuration when missing).
#   debroot_make ROOT LOG     debootstrap into ROOT (which must not exist)
#   debroot_mount ROOT        the kernel file systems, a /tmp of 8 GB
#   debroot_unmount ROOT
#   debroot_mirror            the archive's address
debroot_top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

debroot_mirror() {
	echo "${SCX_DEBIAN_MIRROR:-$("$debroot_top/tools/apt-private.sh" mirror | awk '{ print $1 }')}"
}

debroot_make() {
	local root=$1 log=$2 mirror f
	if ! command -v debootstrap >/dev/null; then
		echo "debroot: installing debootstrap" >&2
		if ! { "$debroot_top/tools/apt-private.sh" refresh &&
			DEBIAN_FRONTEND=noninteractive "$debroot_top/tools/apt-private.sh" apt-get -y -q \
				install debootstrap >/dev/null; }; then
			echo "debroot: cannot install debootstrap" >&2
			return 1
		fi
	fi
	mirror=$(debroot_mirror)
	[ -n "$mirror" ] || { echo "debroot: no Debian archive found (set SCX_DEBIAN_MIRROR)" >&2; return 1; }
	echo "debroot: debootstrap --variant=minbase bookworm from $mirror" >&2
	if ! debootstrap --variant=minbase bookworm "$root" "$mirror" >"$log" 2>&1; then
		tail -n 20 "$log" >&2
		echo "debroot: debootstrap failed" >&2
		return 1
	fi
	if ls /usr/local/share/ca-certificates/*.crt >/dev/null 2>&1; then
		mkdir -p "$root/usr/local/share/ca-certificates"
		cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
		echo "debroot: copied the host's extra CA certificates:" /usr/local/share/ca-certificates/*.crt >&2
	fi
	for f in /etc/apt/apt.conf.d/*; do
		if [ -f "$f" ] && grep -qi 'proxy' "$f"; then
			cp "$f" "$root/etc/apt/apt.conf.d/" && echo "debroot: copied apt proxy settings: $f" >&2
		fi
	done
	cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
}

debroot_mount() {
	local root=$1 m
	for m in proc sys dev dev/pts dev/shm run tmp; do mkdir -p "$root/$m"; done
	mount -t proc proc "$root/proc"
	mount -t sysfs sysfs "$root/sys"
	mount --bind /dev "$root/dev"
	mount -t devpts devpts "$root/dev/pts"
	mount -t tmpfs tmpfs "$root/dev/shm"
	mount -t tmpfs tmpfs "$root/run"
	mount -t tmpfs -o size=8g tmpfs "$root/tmp"
}

debroot_unmount() {
	local root=$1 m
	for m in dev/pts dev/shm dev proc sys run tmp; do
		mountpoint -q "$root/$m" 2>/dev/null && umount -l "$root/$m"
	done
	return 0
}
