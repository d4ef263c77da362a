#!/bin/sh
# timeout: 120
# Which libscxcore and libbpf the guest's programs load (ldd), and that a
# running scheduler maps the same file. With SCX_EXPECT_LIB (the package
# test sets the installed library's path), every program must load that one.
. /tests/cases/lib.sh
for p in scx_rlfifo scxtest_api scxtest_fault; do
	bin=$(command -v $p) || { echo "FAIL: $p is not in the guest"; fail=1; continue; }
	lib=$(ldd "$bin" | awk '$1 == "libscxcore.so.0" { print $3 }')
	bpf=$(ldd "$bin" | awk '$1 == "libbpf.so.1" { print $3 }')
	echo "$bin: libscxcore.so.0 => ${lib:-not found}${bpf:+, libbpf.so.1 => $bpf}"
	check "$p finds libscxcore.so.0 (${lib:-not found})" sh -c "[ -n '$lib' ] && [ -e '$lib' ]"
	if [ -n "${SCX_EXPECT_LIB:-}" ]; then
		check "$p loads $SCX_EXPECT_LIB" [ "$(readlink -f "$lib")" = "$(readlink -f "$SCX_EXPECT_LIB")" ]
	fi
done
scx_rlfifo >/tmp/lib-rlfifo.log 2>&1 &
pid=$!
check "scx_rlfifo loads" wait_state enabled
mapped=$(grep -o '/[^ ]*libscxcore[^ ]*' /proc/$pid/maps | sort -u | head -n 1)
echo "scx_rlfifo maps $mapped"
want=$(ldd "$(command -v scx_rlfifo)" | awk '$1 == "libscxcore.so.0" { print $3 }')
check "the running scheduler maps the library ldd named" [ "$(readlink -f "$mapped")" = "$(readlink -f "$want")" ]
kill -INT $pid
wait $pid
check "state back to disabled" wait_state disabled 50
exit $fail
