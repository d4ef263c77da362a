# Host unit tests (no sched_ext kernel needed): the C API against the built
# library (cmocka), the topology parser compiled in directly (GoogleTest, as
# its symbols are hidden in the library), and the library's exported ABI.

UNIT_BIN      := $(B)/tests
UNIT_CAPI     := $(UNIT_BIN)/capi_test
UNIT_TOPOLOGY := $(UNIT_BIN)/topology_test

.PHONY: test-unit-capi test-unit-topology test-unit-abi
test-unit: test-unit-capi test-unit-topology test-unit-abi

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

test-unit-abi: $(LIB)
	tests/unit/abi_symbols.sh $(B)/lib/libscxcore.so include/scx/scxcore.h $(filter system,$(LIBBPF))
