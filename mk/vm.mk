# VM tests: tests/vm/run boots a cached sched_ext kernel under QEMU
# (single-threaded TCG) with a busybox initramfs holding build/bin and
# build/lib. test-harness checks the harness itself from the host.
#
#   test-vm          every case (tests/vm/cases/*.sh) on $(SCX_KERNEL), by
#                    default the newest kernel of trixie-backports
#   test-vm-oldest   the core cases on the oldest kernel with sched_ext, with
#                    fewer rounds of their loops ($$SCX_VM_LIGHT): the newest
#                    kernel's run gives the depth, this one shows they work
#   test-vm-slow     12-slow-guest on a guest slowed down by -icount (guest
#                    time from instructions executed: host load cannot make
#                    it pass or fail)
#   test-kernels     every case on the newest release of every series with
#                    sched_ext (slow: one full run per series), then a table
.PHONY: test-vm test-vm-oldest test-vm-slow test-kernels test-harness

export SCX_KERNEL ?= newest
VM_CORE_CASES := 10-rlfifo 11-api 21-fault-sigkill 22-fault-sigstop 26-fault-hotplug 29-handover 40-go 55-cgfair
# Rounds of the looping cases for the runs that repeat the newest kernel's
# (read by tests/pkg/build-and-install.sh too).
export SCX_VM_LIGHT := HOTPLUG_CYCLES=10 HANDOVER_ROUNDS=4 SIGKILL_ROUNDS=5

test-vm: $(VM_GUEST)
	tests/vm/run --timeout 3600 -- run-cases

test-vm-oldest: $(VM_GUEST)
	tests/vm/run --kernel oldest --timeout 2400 -- env $(SCX_VM_LIGHT) run-cases $(VM_CORE_CASES)

test-vm-slow: $(VM_GUEST)
	tests/vm/run --icount shift=5,sleep=off --timeout 900 -- run-cases 12-slow-guest

test-kernels: $(VM_GUEST)
	@mkdir -p $(B)/kernels
	@kernels=$$(tools/fetch-kernel.sh list) || exit 1; rc=0; \
	for k in $$kernels; do \
		echo "=== kernel $$k"; \
		tests/vm/run --kernel $$k --timeout 3600 -- run-cases >$(B)/kernels/$$k.log 2>&1 || rc=1; \
		grep -E '^(PASS|FAIL|SKIP) ' $(B)/kernels/$$k.log; \
	done; \
	echo; echo "| kernel | passed | failed | skipped |"; echo "|---|---|---|---|"; \
	for k in $$kernels; do \
		line=$$(grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped' $(B)/kernels/$$k.log | tail -n 1); \
		set -- $$line; echo "| $$k | $${1:-?} | $${3:-?} | $${5:-?} |"; \
		grep -E '^FAIL ' $(B)/kernels/$$k.log | sed 's/^/  /'; \
	done; exit $$rc

test-harness:
	tests/vm/selftest
