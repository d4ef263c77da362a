# scx_interactive (examples/scx_interactive/): an interactive vruntime/deadline
# scheduler on the C++ wrapper, linked against the library like any user
# program. Its host tests check the command line (no kernel needed: bad values
# are refused before anything is loaded) and the JSON checker that the VM case
# (tests/vm/cases/50-interactive.sh) runs on its --stats-json output.

INTERACTIVE_SRCS := $(wildcard examples/scx_interactive/*.cpp)
INTERACTIVE_HDRS := $(wildcard examples/scx_interactive/*.hpp) \
	include/scx/scxcore.hpp include/scx/scxcore.h

.PHONY: test-unit-interactive
test-unit: test-unit-interactive

$(B)/bin/scx_interactive: $(INTERACTIVE_SRCS) $(INTERACTIVE_HDRS) $(LIB)
	@mkdir -p $(@D)
	$(CXX) $(CXXFLAGS) $(WARN) -std=c++17 -Iinclude $(INTERACTIVE_SRCS) -o $@ \
		$(LINK_SCXCORE)

test-unit-interactive: $(B)/bin/scx_interactive $(B)/bin/scxtest_jsoncheck
	LD_LIBRARY_PATH=$(B)/lib examples/scx_interactive/cli_test.sh $(B)/bin
