#!/bin/sh
# Run apt-get or apt-cache against a private configuration: our own sources
# list, package lists and download cache under $SCX_CACHE_DIR/apt. The
# machine's own apt sources are neither read nor modified.
#   usage: tools/apt-private.sh apt-get|apt-cache ARGS...
#          tools/apt-private.sh refresh   (apt-get update unless the lists are < 1 day old)
set -eu
cache=${SCX_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/libscxcore}
dir=$cache/apt
mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
mirror=${SCX_DEBIAN_MIRROR:-http://deb.debian.org}
cat > "$dir/sources.list" <<SRC
deb [signed-by=$keyring] $mirror/debian bookworm main
deb [signed-by=$keyring] $mirror/debian bookworm-updates main
deb [signed-by=$keyring] $mirror/debian-security bookworm-security main
deb [signed-by=$keyring] $mirror/debian bookworm-backports main
deb-src [signed-by=$keyring] $mirror/debian trixie main
deb [signed-by=$keyring] $mirror/debian trixie-backports main
SRC
[ $# -ge 1 ] || { echo "usage: $0 apt-get|apt-cache ARGS... | refresh" >&2; exit 2; }
tool=$1; shift
set -- -o Dir::Etc::SourceList="$dir/sources.list" -o Dir::Etc::SourceParts=/dev/null \
       -o Dir::State::Lists="$dir/lists" -o Dir::Cache="$dir/cache" \
       -o APT::Default-Release=bookworm -o Acquire::Retries=3 -o APT::Sandbox::User=root "$@"
case $tool in
refresh)
	stamp=$dir/lists/.updated
	if [ -z "$(find "$stamp" -mmin -1440 2>/dev/null)" ]; then
		apt-get -q "$@" --error-on=any update >&2
		touch "$stamp"
	fi ;;
apt-get|apt-cache) exec "$tool" "$@" ;;
*) echo "$0: unknown tool '$tool'" >&2; exit 2 ;;
esac
