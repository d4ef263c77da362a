#!/bin/sh
# timeout: 200
# Fault 5: bad dispatches (unknown pid, exited pid, duplicate, CPU out of
# range, CPU outside the affinity, slice 0 and UINT64_MAX): counted, no stall.
. /tests/cases/lib.sh
check "bad input is refused or counted" scxtest_api bad-input
check "CPU outside the affinity is bounced" scxtest_api pinned
exit $fail
