# libscxcore: user-space sched_ext schedulers as ordinary programs.
# `make help` lists the targets; README.md explains them.

# The release, from the public header (SCX_VERSION_*): one place to change.
VERSION   := $(shell sed -n 's/^\#define SCX_VERSION_\(MAJOR\|MINOR\|PATCH\) \([0-9]*\)$$/\2/p' \
		include/scx/scxcore.h | paste -sd.)
SOVERSION := 0

SCX_CACHE_DIR ?=
ifeq ($(SCX_CACHE_DIR),)
SCX_CACHE_DIR := $(shell tools/cache-dir.sh)
endif
export SCX_CACHE_DIR
KERNEL_DIR := $(SCX_CACHE_DIR)/kernel/current

B        := build
CLANG    ?= clang-19
CC       ?= gcc
CXX      ?= g++
CFLAGS   ?= -O2 -g
CXXFLAGS ?= -O2 -g
WARN     := -Wall -Wextra
# Where a private, static, -fPIC libbpf is built (tools/build-libbpf.sh).
LIBBPF   := $(B)/libbpf

# What the fragments in mk/ build, named here so that any fragment may use
# another's products in its rules whatever order make reads them in.
LIB_SONAME := libscxcore.so.$(SOVERSION)
LIB_REAL   := $(B)/lib/libscxcore.so.$(VERSION)
LIB        := $(B)/lib/libscxcore.so
SIM_REAL   := $(B)/lib/libscxcore-sim.so.$(VERSION)
SIM_LIB    := $(B)/lib-sim/$(LIB_SONAME)
CAPI_OBJECTS := $(patsubst %.cpp,$(B)/obj/%.o,$(wildcard capi/*.cpp))
EXAMPLES   := $(patsubst examples/%.c,$(B)/bin/%,$(wildcard examples/*.c)) \
	$(B)/bin/scx_rlvtime $(B)/bin/scx_cgfair $(B)/bin/scx_interactive $(B)/bin/scx-demo
BINDING_EXAMPLES := $(B)/bin/scx_rlfifo_go $(B)/bin/scx_rlfifo_zig
# What the VM cases run besides the examples.
VM_TEST_PROGS := $(patsubst tests/vm/progs/%.c,$(B)/bin/%,$(wildcard tests/vm/progs/*.c)) \
	$(B)/bin/scxtest_cxx
VM_GUEST := $(LIB) $(SIM_LIB) $(EXAMPLES) $(BINDING_EXAMPLES) $(VM_TEST_PROGS)
# The library's user-space side on a fake kernel (mk/bench.mk).
MICRO_BENCH := $(B)/tests/micro_bench
# How programs built here link the library: with a RUNPATH relative to
# themselves, so that $(B)/bin/X runs against $(B)/lib (and, in the VM, a
# program in /usr/local/bin against /usr/local/lib) without LD_LIBRARY_PATH.
# make install removes it (chrpath -d).
TREE_RUNPATH := $$ORIGIN/../lib
# A cross build (mk/cross.mk) adds where the target's libraries are.
LINK_SCXCORE := -L$(B)/lib -Wl,-rpath,'$(TREE_RUNPATH)' -lscxcore $(CROSS_LDFLAGS)

.PHONY: all help deps kernel vmlinux test test-unit test-vm vm run-example clean
.DEFAULT_GOAL := all

# The two libraries and the examples; bindings, test programs and
# benchmarks are built by the targets that use them.
all: $(LIB) $(SIM_LIB) $(EXAMPLES)

help:
	@echo "make deps      install build/test dependencies (root; Debian 12)"
	@echo "make           build libscxcore.so, libscxcore-sim.so and the examples"
	@echo "make test      build, unit tests, VM tests (newest and oldest kernel), packages in the VM"
	@echo "make test-kernels      the VM tests on every sched_ext kernel series (SCX_KERNEL=X.Y for one)"
	@echo "make vm CMD='...'  run a command in the VM (programs in $(B)/bin are on PATH)"
	@echo "make run-example   the main job: scx_rlfifo under a workload in the VM"
	@echo "make kernel    download/cache the sched_ext kernel; make vmlinux regenerates bpf/include/{x86,arm64}/vmlinux.h"
	@echo "make cross-arm64   the library, examples and VM test programs for arm64 in build-arm64/ (needs g++-aarch64-linux-gnu)"
	@echo "make test-arm64    the core VM cases on the arm64 kernel (needs qemu-system-arm too)"
	@echo "make test-pkg-arm64    the arm64 Debian packages: cross-built, checked, run in the arm64 VM"
	@echo "make man1      regenerate the examples' manual pages (man/man1) from their --help"
	@echo "make install [PREFIX=... DESTDIR=...] / make uninstall"
	@echo "make sim SCHED=prog WORKLOAD=preset|file [SEED=N]   run a scheduler under the simulator"
	@echo "make soak      5 minutes of stress-ng under scx_rlfifo in the VM"
	@echo "make bench [QUICK=1]   scheduler benchmarks in the VM"
	@echo "make bench-profile [PROFILE=...]   where the CPU goes under a scheduler (bench/README.md)"
	@echo "make test-pkg  build the Debian packages and install them into a scratch root"
	@echo "make abi-baseline      accept the current ABI (after a deliberate change)"

deps:
	@tools/deps.sh

kernel:
	@tools/fetch-kernel.sh >/dev/null

# Regenerate the committed BTF headers from the newest kernel of each
# architecture.
vmlinux: kernel
	tools/gen-vmlinux.sh $(KERNEL_DIR) bpf/include/x86/vmlinux.h
	tools/gen-vmlinux.sh $$(SCX_KERNEL_ARCH=arm64 tools/fetch-kernel.sh newest) bpf/include/arm64/vmlinux.h

$(LIBBPF)/lib/libbpf.a:
	tools/build-libbpf.sh $(LIBBPF)

vm: $(VM_GUEST)
	tests/vm/run -- $(CMD)

# make test = everything CI runs: build, host unit tests, the VM harness,
# every VM case on the newest kernel, the core cases on the oldest one, a
# slowed-down guest, and the Debian packages on the real kernel. Fragments
# in mk/ add their suites as prerequisites of test-unit. A VM is one
# single-threaded QEMU, so the newest kernel's run goes beside the others,
# one branch per host core (tests/run-parallel.sh prints each one's output
# whole when it ends).
test: deps
	$(MAKE) all $(VM_GUEST)
	$(MAKE) test-unit
	$(MAKE) test-harness
	tests/run-parallel.sh $(B)/test-logs test-vm '$(MAKE) test-vm' \
		test-vm-oldest+test-vm-slow+test-pkg \
		'rc=0; for t in test-vm-oldest test-vm-slow test-pkg; do $(MAKE) $$t || rc=1; done; exit $$rc'

clean:
	rm -rf $(B)

-include mk/*.mk
