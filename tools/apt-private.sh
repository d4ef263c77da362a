#!/bin/sh
# Run apt-get or apt-cache against a private configuration: our own sources
# list, package lists and download cache under $SCX_CACHE_DIR/apt. The
# machine's apt sources are read (to learn which Debian archive it uses) but
# never modified; its apt.conf (proxies, ...) applies as usual.
#   usage: tools/apt-private.sh apt-get|apt-cache ARGS...
#          tools/apt-private.sh refresh     (apt-get update unless the lists are < 1 day old)
#          tools/apt-private.sh lists-dir   (where the package lists are)
#          tools/apt-private.sh mirror      (the archive used, and where it came from)
#
# SCX_APT_ARCH=arm64 (a Debian architecture other than the machine's):
# the lists and packages of that architecture, in lists of their own (for
# foreign kernels and cross-build libraries; the machine's dpkg is not told
# of the architecture).
#
# The archive: $SCX_DEBIAN_MIRROR if set (the URL of a Debian archive, the
# one holding dists/bookworm; "-security" is appended for the security
# archive unless $SCX_DEBIAN_SECURITY names it); else the URI that the
# machine's own apt sources (/etc/apt/sources.list, sources.list.d/*.list
# and deb822 *.sources) use for Debian's bookworm or trixie, and for
# bookworm-security.
set -eu
cache=$("$(dirname "$0")/cache-dir.sh")
dir=$cache/apt
etc=${SCX_APT_ETC:-/etc/apt} # a test may point this at a fake configuration
native=$(dpkg --print-architecture)
arch=${SCX_APT_ARCH:-$native}
lists=$dir/lists
[ "$arch" = "$native" ] || lists=$dir/lists-$arch
mkdir -p "$lists/partial" "$dir/cache/archives/partial"

# "TYPE URI SUITE" for every enabled source of the machine, both formats.
machine_sources() {
	for f in "$etc/sources.list" "$etc"/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		sed -e 's/#.*//' -e 's/\[[^]]*\]//' "$f" | awk '$1 == "deb" || $1 == "deb-src" { print $1, $2, $3 }'
	done
	for f in "$etc"/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		sed -e '/^[[:space:]]*#/d' -e 's/#.*//' "$f" | awk '
			function flush() { if (types != "" && enabled != "no") {
				nt = split(types, t, " "); nu = split(uris, u, " "); ns = split(suites, s, " ")
				for (i = 1; i <= nt; i++) for (j = 1; j <= nu; j++) for (k = 1; k <= ns; k++) print t[i], u[j], s[k] }
				types = uris = suites = ""; enabled = "" }
			/^[ \t]*$/ { flush(); next }
			{ key = tolower($1); sub(/:.*/, "", key); val = $0; sub(/^[^:]*:[ \t]*/, "", val) }
			key == "types" { types = val } key == "uris" { uris = val }
			key == "suites" { suites = val } key == "enabled" { enabled = tolower(val) }
			END { flush() }'
	done
}

# The first URI the machine uses for one of the suites matching REGEX.
machine_uri() {
	machine_sources | awk -v re="$1" '$1 == "deb" && $3 ~ re { sub(/\/+$/, "", $2); print $2; exit }'
}

origin=""
if [ -n "${SCX_DEBIAN_MIRROR:-}" ]; then
	main=${SCX_DEBIAN_MIRROR%/}
	security=${SCX_DEBIAN_SECURITY:-$main-security}
	origin="SCX_DEBIAN_MIRROR"
else
	main=$(machine_uri '^(bookworm|trixie|stable|testing|sid|unstable)(-updates|-backports)?$')
	security=${SCX_DEBIAN_SECURITY:-$(machine_uri '^(bookworm|trixie)-security$')}
	[ -n "$security" ] || security=${main:+$main-security}
	origin="the machine's apt sources ($etc)"
fi
if [ -z "$main" ]; then
	echo "apt-private: the machine's apt sources ($etc) name no Debian archive for bookworm or trixie;" >&2
	echo "apt-private: set SCX_DEBIAN_MIRROR to one (the URL that holds dists/bookworm)." >&2
	exit 1
fi

keyring=/usr/share/keyrings/debian-archive-keyring.gpg
# A file of its own: make test runs two VM suites, whose kernel fetches
# call this at the same moment.
new=$(mktemp "$dir/sources.list.XXXXXX")
cat >"$new" <<SRC
deb [signed-by=$keyring] $main bookworm main
deb [signed-by=$keyring] $main bookworm-updates main
deb [signed-by=$keyring] $security bookworm-security main
deb [signed-by=$keyring] $main bookworm-backports main
deb-src [signed-by=$keyring] $main trixie main
deb [signed-by=$keyring] $main trixie-backports main
SRC
# A changed archive invalidates the lists fetched from the old one.
if ! cmp -s "$new" "$dir/sources.list" 2>/dev/null; then
	chmod 644 "$new"
	mv "$new" "$dir/sources.list"
	rm -f "$dir"/lists*/.updated
else
	rm -f "$new"
fi

[ $# -ge 1 ] || { echo "usage: $0 apt-get|apt-cache ARGS... | refresh | lists-dir | mirror" >&2; exit 2; }
tool=$1; shift
set -- -o Dir::Etc::SourceList="$dir/sources.list" -o Dir::Etc::SourceParts=/dev/null \
       -o Dir::State::Lists="$lists" -o Dir::Cache="$dir/cache" \
       -o APT::Architecture="$arch" -o APT::Architectures::="$arch" \
       -o APT::Default-Release=bookworm -o Acquire::Retries=3 -o APT::Sandbox::User=root "$@"
case $tool in
refresh)
	stamp=$lists/.updated
	if [ -z "$(find "$stamp" -mmin -1440 2>/dev/null)" ]; then
		apt-get -q "$@" --error-on=any update >&2
		touch "$stamp"
	fi ;;
lists-dir) echo "$lists" ;;
mirror) echo "$main (security: $security), from $origin" ;;
apt-get|apt-cache) exec "$tool" "$@" ;;
*) echo "$0: unknown tool '$tool'" >&2; exit 2 ;;
esac
