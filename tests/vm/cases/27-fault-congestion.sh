#!/bin/sh
# timeout: 300
# Fault 8: a storm of 5,000 short-lived threads woken in one burst against a
# small ring: congestion is counted, nothing stalls.
. /tests/cases/lib.sh
check "scxtest_fault congestion" scxtest_fault congestion
exit $fail
