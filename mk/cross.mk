# arm64, from this x86-64 machine (README, "Architectures"):
#   make cross-arm64     libscxcore.so, the C and C++ example schedulers, the
#                        Go and Zig ones and the VM test programs for arm64,
#                        from the same sources, with Debian's cross compiler
#                        (g++-aarch64-linux-gnu), into build-arm64/. The BPF
#                        side is compiled against bpf/include/arm64/vmlinux.h;
#                        libbpf is built for arm64 like the native one;
#                        libelf, zlib, zstd and GoogleTest come from
#                        bookworm's arm64 packages (tools/foreign-root.sh
#                        sysroot). Zig 0.11 targets glibc 2.34 at most: its
#                        program runs on 2.36.
#   make test-arm64      the core VM cases on the arm64 kernel
#   make test-pkg-arm64  the arm64 Debian packages, cross-built and tested
# None of them is part of make test.
CROSS_ARM64 := build-arm64
CROSS_ARM64_SYSROOT := $(abspath $(CROSS_ARM64))/sysroot
CROSS_ARM64_LIBDIRS := $(CROSS_ARM64_SYSROOT)/usr/lib/aarch64-linux-gnu $(CROSS_ARM64_SYSROOT)/lib/aarch64-linux-gnu
CROSS_ARM64_OUT := $(CROSS_ARM64)/lib/libscxcore.so.$(VERSION) \
	$(patsubst $(B)/%,$(CROSS_ARM64)/%,$(filter-out $(B)/bin/scx-demo,$(EXAMPLES))) \
	$(CROSS_ARM64)/bin/scx_rlfifo_go $(CROSS_ARM64)/bin/scx_rlfifo_zig \
	$(patsubst $(B)/%,$(CROSS_ARM64)/%,$(VM_TEST_PROGS))

.PHONY: cross-arm64
cross-arm64:
	@command -v aarch64-linux-gnu-g++ >/dev/null || \
		{ echo "cross-arm64: needs Debian's g++-aarch64-linux-gnu (apt-get install g++-aarch64-linux-gnu)"; exit 1; }
	tools/foreign-root.sh sysroot arm64 $(CROSS_ARM64_SYSROOT)
	$(MAKE) B=$(CROSS_ARM64) CC=aarch64-linux-gnu-gcc CXX=aarch64-linux-gnu-g++ BPF_ARCH=arm64 \
		CROSS_COMPILE=aarch64-linux-gnu- SYSROOT=$(CROSS_ARM64_SYSROOT) GO_CROSS=GOARCH=arm64 \
		ZIG_TARGET=-Dtarget=aarch64-linux-gnu.2.34 \
		CXXFLAGS="$(CXXFLAGS) -isystem $(CROSS_ARM64_SYSROOT)/usr/include" \
		LDFLAGS="$(addprefix -L,$(CROSS_ARM64_LIBDIRS))" \
		CROSS_LDFLAGS="$(addprefix -L,$(CROSS_ARM64_LIBDIRS)) -Wl,-rpath-link,$(subst $(eval) ,:,$(CROSS_ARM64_LIBDIRS))" \
		$(CROSS_ARM64_OUT)
	@for f in $(CROSS_ARM64_OUT); do \
		file -L $$f | grep -q 'ARM aarch64' || { echo "cross-arm64: $$f is not an arm64 ELF"; exit 1; }; \
	done; echo "cross-arm64: $(words $(CROSS_ARM64_OUT)) arm64 ELF files in $(CROSS_ARM64)/"

# The core VM cases on the newest arm64 sched_ext kernel under
# qemu-system-aarch64 (tests/vm/run --arch arm64), with the light rounds of
# the oldest kernel's run: the emulated guest is some 20 times slower.
ARM64_CASES = 00-kernel 01-bpf 02-libraries $(VM_CORE_CASES) 30-cxx 41-zig
.PHONY: test-arm64
test-arm64: cross-arm64
	tests/vm/run --arch arm64 --timeout 3000 -- env $(SCX_VM_LIGHT) run-cases $(ARM64_CASES)

# The Debian packages for arm64: dpkg-buildpackage -a arm64 -P cross,nocheck
# in a Debian 12 root (tools/cross-deb.sh), lintian, their contents, a C and
# a C++ program cross-built against them, then the core VM cases against
# them on the arm64 kernel (tests/pkg/build-and-install.sh).
.PHONY: test-pkg-arm64
test-pkg-arm64:
	SCX_PKG_ARCH=arm64 tests/pkg/build-and-install.sh
