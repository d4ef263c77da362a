# libscxcore.so: the BPF backend embedded in the C++ core behind the C API.

BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_x86 -mcpu=v3 \
	-fms-extensions -Wno-microsoft-anon-tag $(WARN) -Wno-unused-parameter \
	-Ibpf/include -I$(LIBBPF)/include
LIB_CXXFLAGS := $(CXXFLAGS) $(WARN) -std=c++17 -fPIC -fvisibility=hidden \
	-fvisibility-inlines-hidden -Iinclude -I$(LIBBPF)/include
LIB_SOURCES := $(wildcard cxx/*.cpp) $(wildcard capi/*.cpp)
LIB_OBJECTS := $(patsubst %.cpp,$(B)/obj/%.o,$(LIB_SOURCES)) $(B)/obj/cxx/bpf_blob.o
LIB_REAL    := $(B)/lib/libscxcore.so.$(VERSION)
LIB_SONAME  := libscxcore.so.$(SOVERSION)

.PHONY: lib
all: lib
lib: $(B)/lib/libscxcore.so

$(B)/bpf/main.bpf.o: bpf/main.bpf.c bpf/intf.h $(wildcard bpf/include/*.h) $(LIBBPF)/lib/libbpf.a
	@mkdir -p $(@D)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(B)/obj/cxx/bpf_blob.o: cxx/bpf_blob.S $(B)/bpf/main.bpf.o
	@mkdir -p $(@D)
	$(CC) -c -DSCXCORE_BPF_OBJ='"$(B)/bpf/main.bpf.o"' $< -o $@

$(B)/obj/%.o: %.cpp $(LIBBPF)/lib/libbpf.a
	@mkdir -p $(@D)
	$(CXX) $(LIB_CXXFLAGS) -MMD -MP -c $< -o $@

$(LIB_REAL): $(LIB_OBJECTS) $(LIBBPF)/lib/libbpf.a capi/libscxcore.map
	@mkdir -p $(@D)
	$(CXX) -shared -o $@ $(LIB_OBJECTS) $(LIBBPF)/lib/libbpf.a -lelf -lz \
		-Wl,-soname,$(LIB_SONAME) -Wl,--version-script=capi/libscxcore.map \
		-Wl,--exclude-libs,ALL -Wl,-z,defs -Wl,-z,relro -Wl,-z,now $(LDFLAGS)

$(B)/lib/libscxcore.so: $(LIB_REAL)
	ln -sf $(notdir $(LIB_REAL)) $(B)/lib/$(LIB_SONAME)
	ln -sf $(LIB_SONAME) $@

-include $(wildcard $(B)/obj/*/*.d)
