#!/bin/sh
# timeout: 300
# scx_rlfifo_zig (the FIFO scheduler written in Zig on bindings/zig) loads,
# schedules hackbench -g 8 -l 200 through user space,
# and unloads cleanly on SIGINT.
. /tests/cases/lib.sh
example_case scx_rlfifo_zig rlfifo_zig
exit $fail
