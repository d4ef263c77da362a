#!/bin/sh
# timeout: 300
# scx_rlfifo_go (the FIFO scheduler written in Go on bindings/go) loads,
# schedules hackbench -g 8 -l 200 through user space while the Go runtime
# runs its many threads, and unloads cleanly on SIGINT.
. /tests/cases/lib.sh
example_case scx_rlfifo_go rlfifo_go
exit $fail
