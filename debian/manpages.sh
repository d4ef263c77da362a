#!/bin/sh
# debian/manpages.sh BINDIR LIBDIR OUTDIR
# A manual page for each program in BINDIR, made by help2man from its --help
# (which needs no kernel), into OUTDIR/PROGRAM.1. The programs run with
# LD_LIBRARY_PATH=LIBDIR (the library just built).
set -eu
bindir=$(cd "$1" && pwd)
libdir=$(cd "$2" && pwd)
out=$3
here=$(cd "$(dirname "$0")" && pwd)
version=$(dpkg-parsechangelog -l "$here/changelog" -S Version)
mkdir -p "$out"
wrap=$(mktemp -d)
trap 'rm -rf "$wrap"' EXIT

for path in "$bindir"/*; do
	prog=$(basename "$path")
	case $prog in
	scx_rlfifo) what="FIFO sched_ext scheduler whose policy runs in user space" ;;
	scx_rlvtime) what="weighted virtual-time sched_ext scheduler in user space (C++)" ;;
	scx_cgfair) what="sched_ext scheduler in user space sharing CPU time across cgroups by cpu.weight and cpu.max (C++)" ;;
	scx_interactive) what="interactive sched_ext scheduler in user space (earliest virtual deadline first)" ;;
	*) what="sched_ext scheduler whose policy runs in user space" ;;
	esac
	# help2man wants "Usage: PROGRAM" to make the synopsis; the programs
	# print "usage: ARGV0".
	cat >"$wrap/$prog" <<WRAP
#!/bin/sh
LD_LIBRARY_PATH="$libdir" "$path" "\$@" | sed '1s/^usage: [^ ]*/Usage: $prog/'
WRAP
	chmod +x "$wrap/$prog"
	help2man --no-info --no-discard-stderr --version-string="$version" --name="$what" \
		--include="$here/examples.h2m" --output="$out/$prog.1" "$wrap/$prog"
done
