# Host unit tests (no sched_ext kernel needed): the C API against the built
# library (cmocka), the topology parser compiled in directly (GoogleTest, as
# its symbols are hidden in the library), and the library's exported ABI.

UNIT_BIN      := $(B)/tests
UNIT_CAPI     := $(UNIT_BIN)/capi_test
UNIT_TOPOLOGY := $(UNIT_BIN)/topology_test
UNIT_FAKE     := $(UNIT_BIN)/capi_fake_test

.PHONY: test-unit-capi test-unit-capi-fake test-unit-topology test-unit-abi test-unit-layers
test-unit: test-unit-capi test-unit-capi-fake test-unit-topology test-unit-abi test-unit-layers

$(UNIT_CAPI): tests/unit/capi_test.c include/scx/scxcore.h bpf/intf.h $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN) -std=gnu11 -Iinclude $< -o $@ $(LINK_SCXCORE) -lcmocka

$(UNIT_TOPOLOGY): tests/unit/topology_test.cpp cxx/topology.cpp cxx/topology.h
	@mkdir -p $(@D)
	$(CXX) $(CXXFLAGS) $(WARN) -std=c++17 tests/unit/topology_test.cpp cxx/topology.cpp \
		-o $@ -lgtest_main -lgtest -pthread

# cmocka prints its standard [ RUN ] / [ PASSED ] lines to stdout.
test-unit-capi: $(UNIT_CAPI)
	LD_LIBRARY_PATH=$(B)/lib CMOCKA_MESSAGE_OUTPUT=stdout $(UNIT_CAPI)

test-unit-topology: $(UNIT_TOPOLOGY)
	$(UNIT_TOPOLOGY)

# Each layer includes only what HACKING.md lets it see.
test-unit-layers:
	tests/unit/layers.sh $(CURDIR)

test-unit-abi: $(LIB)
	tests/unit/abi_symbols.sh $(B)/lib/libscxcore.so include/scx/scxcore.h $(filter system,$(LIBBPF))

# The C API through a handle on the host: its objects linked with a fake
# backend (tests/unit/fake_backend.cpp) in place of the kernel's.
$(B)/obj/tests/fake_backend.o: tests/unit/fake_backend.cpp tests/unit/fake_backend.h capi/backend.h
	@mkdir -p $(@D)
	$(CXX) $(CAPI_CXXFLAGS) -c $< -o $@

$(UNIT_FAKE): tests/unit/capi_fake_test.c tests/unit/fake_backend.h $(CAPI_OBJECTS) $(B)/obj/tests/fake_backend.o
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN) -std=gnu11 -Iinclude -c $< -o $@.o
	$(CXX) $@.o $(CAPI_OBJECTS) $(B)/obj/tests/fake_backend.o -o $@ -lcmocka

test-unit-capi-fake: $(UNIT_FAKE)
	CMOCKA_MESSAGE_OUTPUT=stdout $(UNIT_FAKE)
