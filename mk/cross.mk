# make cross-arm64: libscxcore.so, the C and C++ example schedulers and the
# Go and Zig ones for arm64, from the same sources, with Debian's cross
# compiler (Zig 0.11 targets glibc 2.34 at most: its programs run on 2.36)
# (g++-aarch64-linux-gnu) into build-arm64/. The BPF side is compiled
# against bpf/include/arm64/vmlinux.h; libbpf is built for arm64 like the
# native one; libelf, zlib and zstd come from bookworm's arm64 packages
# (tools/cross-sysroot.sh). Not run by make test (see README, "arm64").
CROSS_ARM64 := build-arm64
CROSS_ARM64_SYSROOT := $(abspath $(CROSS_ARM64))/sysroot
CROSS_ARM64_LIBDIRS := $(CROSS_ARM64_SYSROOT)/usr/lib/aarch64-linux-gnu $(CROSS_ARM64_SYSROOT)/lib/aarch64-linux-gnu
CROSS_ARM64_OUT := $(CROSS_ARM64)/lib/libscxcore.so.$(VERSION) \
	$(patsubst $(B)/%,$(CROSS_ARM64)/%,$(filter-out $(B)/bin/scx-demo,$(EXAMPLES))) \
	$(CROSS_ARM64)/bin/scx_rlfifo_go $(CROSS_ARM64)/bin/scx_rlfifo_zig

.PHONY: cross-arm64
cross-arm64:
	@command -v aarch64-linux-gnu-g++ >/dev/null || \
		{ echo "cross-arm64: needs Debian's g++-aarch64-linux-gnu (apt-get install g++-aarch64-linux-gnu)"; exit 1; }
	tools/cross-sysroot.sh arm64 $(CROSS_ARM64_SYSROOT)
	$(MAKE) B=$(CROSS_ARM64) CC=aarch64-linux-gnu-gcc CXX=aarch64-linux-gnu-g++ BPF_ARCH=arm64 \
		CROSS_COMPILE=aarch64-linux-gnu- SYSROOT=$(CROSS_ARM64_SYSROOT) GO_CROSS=GOARCH=arm64 \
		ZIG_TARGET=-Dtarget=aarch64-linux-gnu.2.34 \
		CXXFLAGS="$(CXXFLAGS) -I$(CROSS_ARM64_SYSROOT)/usr/include" \
		LDFLAGS="$(addprefix -L,$(CROSS_ARM64_LIBDIRS))" \
		CROSS_LDFLAGS="-Wl,-rpath-link,$(subst $(eval) ,:,$(CROSS_ARM64_LIBDIRS))" \
		$(CROSS_ARM64_OUT)
	@for f in $(CROSS_ARM64_OUT); do \
		file -L $$f | grep -q 'ARM aarch64' || { echo "cross-arm64: $$f is not an arm64 ELF"; exit 1; }; \
	done; echo "cross-arm64: $(words $(CROSS_ARM64_OUT)) arm64 ELF files in $(CROSS_ARM64)/"

# The arm64 build on the arm64 sched_ext kernel under qemu-system-aarch64:
# scx_rlfifo schedules hackbench (tests/vm/arm64-smoke.sh).
.PHONY: test-arm64-smoke
test-arm64-smoke: cross-arm64
	tests/vm/arm64-smoke.sh $(CROSS_ARM64)
