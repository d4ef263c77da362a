# The C++ wrapper (include/scx/scxcore.hpp): the example schedulers built on it
# and its GoogleTest suite. Both link libscxcore dynamically, like any user.
# scxtest_cxx lives in $(B)/bin so that the VM has it on PATH (30-cxx.sh).

CXX_APP_FLAGS := $(CXXFLAGS) $(WARN) -std=c++17 -Iinclude
CXX_HEADERS   := include/scx/scxcore.hpp include/scx/scxcore.h

.PHONY: test-unit-cxx
test-unit: test-unit-cxx

$(B)/bin/scx_rlvtime $(B)/bin/scx_cgfair: $(B)/bin/%: examples/%.cpp $(CXX_HEADERS) $(LIB)
	@mkdir -p $(@D)
	$(CXX) $(CXX_APP_FLAGS) $< -o $@ $(LINK_SCXCORE)

# Stricter warnings here: the header must stay clean in users' builds.
$(B)/bin/scxtest_cxx: tests/unit/cxx_wrapper_test.cpp $(CXX_HEADERS) $(LIB)
	@mkdir -p $(@D)
	$(CXX) $(CXX_APP_FLAGS) -Wpedantic -Wconversion -Wsign-conversion $< -o $@ \
		$(LINK_SCXCORE) -lgtest -lgtest_main -pthread

test-unit-cxx: $(B)/bin/scxtest_cxx
	LD_LIBRARY_PATH=$(B)/lib $(B)/bin/scxtest_cxx
