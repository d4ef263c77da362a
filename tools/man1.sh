#!/bin/sh
# tools/man1.sh VERSION OUTDIR PROGRAM...   (make man1)
# A manual page for each example PROGRAM (a path; it finds its library
# through its RUNPATH), made by help2man from its --help, which needs no
# kernel, with man/examples.h2m, into OUTDIR/NAME.1. The pages are kept in
# man/man1, so that building the packages, also for another architecture,
# runs no program; test-unit-man checks they match the programs.
set -eu
version=$1 out=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
wrap=$(mktemp -d)
trap 'rm -rf "$wrap"' EXIT

for path; do
	path=$(cd "$(dirname "$path")" && pwd)/$(basename "$path")
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
"$path" "\$@" | sed '1s/^usage: [^ ]*/Usage: $prog/'
WRAP
	chmod +x "$wrap/$prog"
	help2man --no-info --no-discard-stderr --version-string="$version" --name="$what" \
		--include="$here/../man/examples.h2m" --output="$out/$prog.1" "$wrap/$prog"
done
