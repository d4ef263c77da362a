#!/bin/sh
# timeout: 400
# Every C API call on the real kernel (tests/vm/progs/scxtest_api.c).
. /tests/cases/lib.sh
for t in select-cpu slice cpu-any pinned partial bad-input helper-thread notify records self-cpu cgroups enq-last kthreads wake-idle-prev idle-runs-oldest busy-loop allows-cpu handoff; do
	echo "--- scxtest_api $t"
	check "scxtest_api $t" scxtest_api $t
	check "state disabled after $t" wait_state disabled 50
done
echo "--- scxtest_wakebatch"
check "opts.wake_batch: 1 and the default carry hogs and a ticker through user space" scxtest_wakebatch
check "state disabled after scxtest_wakebatch" wait_state disabled 50
exit $fail
