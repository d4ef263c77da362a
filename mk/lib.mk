# libscxcore.so: the BPF backend embedded in the C++ core behind the C API.

# libbpf: by default the private, static, -fPIC build in $(LIBBPF) (Makefile,
# tools/build-libbpf.sh), hidden inside the library. LIBBPF=system instead
# links the distribution's shared libbpf (>= 1.4, found by pkg-config) and
# downloads nothing: the Debian package build (debian/rules) uses it, with
# its PKG_CONFIG (the host architecture's, when cross-building).
PKG_CONFIG ?= pkg-config
ifeq ($(LIBBPF),system)
ifneq ($(shell $(PKG_CONFIG) --atleast-version=1.4 libbpf && echo ok),ok)
$(error LIBBPF=system needs libbpf >= 1.4 and its pkg-config file (Debian 12: libbpf-dev from bookworm-backports))
endif
LIBBPF_DEP    :=
LIBBPF_CFLAGS := $(shell $(PKG_CONFIG) --cflags libbpf)
LIBBPF_LIBS   := $(shell $(PKG_CONFIG) --libs libbpf)
else
LIBBPF_DEP    := $(LIBBPF)/lib/libbpf.a
LIBBPF_CFLAGS := -I$(LIBBPF)/include
LIBBPF_LIBS   := $(LIBBPF_DEP) -lelf -lz
endif

# The BPF side of one architecture: its kernel types (bpf/include/ARCH/
# vmlinux.h, from that architecture's kernel BTF) and libbpf's target macro.
# CO-RE relocates field offsets at load, so only types and the few
# arch-dependent helpers differ. Paths in its debug information are
# relative to the tree: the object is embedded in the library, which must
# not name the directory it was built in.
BPF_ARCH ?= x86
bpf_cflags = -g -O2 -target bpf -D__TARGET_ARCH_$(1) -mcpu=v3 -ffile-prefix-map=$(CURDIR)=. \
	-fms-extensions -Wno-microsoft-anon-tag $(WARN) -Wno-unused-parameter \
	-Ibpf/include/$(1) -Ibpf/include $(LIBBPF_CFLAGS)
BPF_HEADERS := bpf/intf.h $(wildcard bpf/include/*.h)
# The C API (capi/) knows neither libbpf nor the kernel: the simulator's
# library links the same objects without either.
CAPI_CXXFLAGS := $(CXXFLAGS) $(WARN) -std=c++17 -fPIC -fvisibility=hidden \
	-fvisibility-inlines-hidden -Iinclude
LIB_CXXFLAGS := $(CAPI_CXXFLAGS) $(LIBBPF_CFLAGS)
KERNEL_OBJECTS := $(patsubst %.cpp,$(B)/obj/%.o,$(wildcard cxx/*.cpp)) $(B)/obj/cxx/bpf_blob.o
LIB_OBJECTS := $(CAPI_OBJECTS) $(KERNEL_OBJECTS)

.PHONY: lib
lib: $(LIB)

$(B)/bpf/main.bpf.o: bpf/main.bpf.c $(BPF_HEADERS) bpf/include/$(BPF_ARCH)/vmlinux.h $(LIBBPF_DEP)
	@mkdir -p $(@D)
	$(CLANG) $(call bpf_cflags,$(BPF_ARCH)) -c $< -o $@

# The BPF side for arm64, compiled only as a check (test-unit): no x86-only
# assumption in it, and an arm64 vmlinux.h that has what it uses.
$(B)/bpf/main.arm64.bpf.o: bpf/main.bpf.c $(BPF_HEADERS) bpf/include/arm64/vmlinux.h $(LIBBPF_DEP)
	@mkdir -p $(@D)
	$(CLANG) $(call bpf_cflags,arm64) -Werror -c $< -o $@

.PHONY: test-unit-bpf-arm64
test-unit: test-unit-bpf-arm64
test-unit-bpf-arm64: $(B)/bpf/main.arm64.bpf.o
	@echo "PASS: the BPF side compiles for arm64 against its kernel's types"


# The same source as sched_ext_ops_cid, for sub-schedulers (7.3+).
$(B)/bpf/main.cid.bpf.o: bpf/main.bpf.c $(BPF_HEADERS) bpf/include/$(BPF_ARCH)/vmlinux.h $(LIBBPF_DEP)
	@mkdir -p $(@D)
	$(CLANG) $(call bpf_cflags,$(BPF_ARCH)) -DSCXCORE_CID_FORM -c $< -o $@

$(B)/obj/cxx/bpf_blob.o: cxx/bpf_blob.S $(B)/bpf/main.bpf.o $(B)/bpf/main.cid.bpf.o
	@mkdir -p $(@D)
	$(CC) -c -DSCXCORE_BPF_OBJ='"$(B)/bpf/main.bpf.o"' -DSCXCORE_BPF_CID_OBJ='"$(B)/bpf/main.cid.bpf.o"' $< -o $@

$(B)/obj/capi/%.o: capi/%.cpp
	@mkdir -p $(@D)
	$(CXX) $(CAPI_CXXFLAGS) -MMD -MP -c $< -o $@

$(B)/obj/cxx/%.o: cxx/%.cpp $(LIBBPF_DEP)
	@mkdir -p $(@D)
	$(CXX) $(LIB_CXXFLAGS) -MMD -MP -c $< -o $@

$(LIB_REAL): $(LIB_OBJECTS) $(LIBBPF_DEP) capi/libscxcore.map
	@mkdir -p $(@D)
	$(CXX) -shared -o $@ $(LIB_OBJECTS) $(LIBBPF_LIBS) \
		-Wl,-soname,$(LIB_SONAME) -Wl,--version-script=capi/libscxcore.map \
		-Wl,--exclude-libs,ALL -Wl,-z,defs -Wl,-z,relro -Wl,-z,now $(LDFLAGS)

$(LIB): $(LIB_REAL)
	ln -sf $(notdir $(LIB_REAL)) $(B)/lib/$(LIB_SONAME)
	ln -sf $(LIB_SONAME) $@

-include $(wildcard $(B)/obj/*/*.d)
