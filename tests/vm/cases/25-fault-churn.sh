#!/bin/sh
# timeout: 200
# Fault 6: 32 busy tasks re-pinned every 10 ms for 20 s.
. /tests/cases/lib.sh
check "scxtest_fault churn" scxtest_fault churn
exit $fail
