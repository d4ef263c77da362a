# VM tests: tests/vm/run boots the cached sched_ext kernel under QEMU
# (single-threaded TCG) with a busybox initramfs holding build/bin and
# build/lib. test-vm runs the guest cases (tests/vm/cases/*.sh); test-harness
# checks the harness itself from the host.
.PHONY: test-vm test-harness

test-vm: all kernel
	tests/vm/run --timeout 1500 -- run-cases

test-harness:
	tests/vm/selftest
