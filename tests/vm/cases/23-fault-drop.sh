#!/bin/sh
# timeout: 200
# Fault 4: a scheduler that never dispatches every 10th task: the fail-safe
# serves it, no ejection.
. /tests/cases/lib.sh
check "scxtest_fault drop" scxtest_fault drop
exit $fail
