# libscxcore-sim.so: the C API of capi/ (the same objects as libscxcore.so)
# in front of a discrete-event simulator instead of the kernel (docs/sim.md),
# without libbpf. Same header, same version script plus sim/sim.map, same
# SONAME (libscxcore.so.0): an unmodified scheduler runs under it with
# LD_LIBRARY_PATH=build/lib-sim.
#
#   make sim SCHED=scx_rlfifo WORKLOAD=hackbench [SEED=N] [ARGS='-i']
#        runs the scheduler under the simulator, its output on stderr and
#        the metrics (JSON) on stdout
#   make sim-svg SCHEDS='scx_rlfifo scx_rlvtime' WORKLOAD=mixed [CLASS=interactive]
#        wait-time CDF per scheduler in build/sim/cdf.svg
#   make bench-sim   Google Benchmark: events/s, 64 CPUs, 10k tasks

SIM_CXXFLAGS := $(CXXFLAGS) $(WARN) -std=c++17 -fPIC -fvisibility=hidden \
	-fvisibility-inlines-hidden -Iinclude
SIM_LIB_SOURCES := $(filter-out sim/tool.cpp,$(wildcard sim/*.cpp))
SIM_LIB_OBJECTS := $(patsubst %.cpp,$(B)/obj/%.o,$(SIM_LIB_SOURCES)) $(CAPI_OBJECTS)
SIM_TOOL := $(B)/bin/scx-sim
SIM_TEST := $(B)/tests/sim_test
SIM_BENCH := $(B)/tests/sim_bench
SIM_PROGS := $(B)/tests/sim/scxsim_never $(B)/tests/sim/scxsim_pinned $(B)/tests/sim/scxsim_batch

.PHONY: sim-lib sim sim-svg bench-sim test-unit-sim test-unit-docs
sim-lib: $(SIM_LIB) $(B)/lib/libscxcore-sim.so $(SIM_TOOL)

$(B)/obj/sim/%.o: sim/%.cpp $(wildcard sim/*.h) include/scx/scxcore.h
	@mkdir -p $(@D)
	$(CXX) $(SIM_CXXFLAGS) -MMD -MP -c $< -o $@

$(SIM_REAL): $(SIM_LIB_OBJECTS) capi/libscxcore.map sim/sim.map
	@mkdir -p $(@D)
	$(CXX) -shared -o $@ $(SIM_LIB_OBJECTS) -Wl,-soname,$(LIB_SONAME) \
		-Wl,--version-script=capi/libscxcore.map -Wl,--version-script=sim/sim.map \
		-Wl,-z,defs -Wl,-z,relro -Wl,-z,now $(LDFLAGS)

$(B)/lib/libscxcore-sim.so: $(SIM_REAL)
	ln -sf $(notdir $(SIM_REAL)) $@

# build/lib-sim holds only the simulator under the real library's names.
$(SIM_LIB): $(SIM_REAL) $(B)/lib/libscxcore-sim.so | $(SIM_TOOL)
	@mkdir -p $(@D)
	ln -sf ../lib/$(notdir $(SIM_REAL)) $@
	ln -sf $(notdir $@) $(B)/lib-sim/libscxcore.so

# The workload checker, preset printer and SVG tool (the simulator's parser
# compiled in).
$(SIM_TOOL): sim/tool.cpp sim/json.cpp sim/workload.cpp sim/svg.cpp $(wildcard sim/*.h)
	@mkdir -p $(@D)
	$(CXX) $(CXXFLAGS) $(WARN) -std=c++17 -Iinclude sim/tool.cpp sim/json.cpp sim/workload.cpp \
		sim/svg.cpp -o $@

$(B)/tests/sim/scxsim_%: tests/sim/scxsim_%.c include/scx/scxcore.h $(SIM_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN) -std=gnu11 -Iinclude $< -o $@ -L$(B)/lib-sim -lscxcore

$(SIM_TEST): tests/sim/sim_test.cpp sim/json.cpp sim/workload.cpp $(wildcard sim/*.h)
	@mkdir -p $(@D)
	$(CXX) $(CXXFLAGS) $(WARN) -std=c++17 -Iinclude tests/sim/sim_test.cpp sim/json.cpp \
		sim/workload.cpp -o $@ -lgtest_main -lgtest -pthread

# The policy tests run the example schedulers unmodified under the simulator.
test-unit: test-unit-sim
# CostModel.* holds the model's system calls against the micro-benchmark's.
test-unit-sim: $(SIM_TEST) $(SIM_LIB) $(SIM_PROGS) $(B)/bin/scx_rlfifo $(B)/bin/scx_rlvtime $(B)/bin/scx_cgfair $(MICRO_BENCH)
	$(MICRO_BENCH) --benchmark_filter=BM_DequeueSelectDispatchNotify --benchmark_format=json \
		>$(B)/tests/micro_bench.json
	SCX_SIM_TOP=$(CURDIR) SCX_MICRO_JSON=$(B)/tests/micro_bench.json $(SIM_TEST)

$(SIM_BENCH): tests/sim/sim_bench.cpp sim/scxsim.h include/scx/scxcore.h $(SIM_LIB)
	@mkdir -p $(@D)
	$(CXX) $(CXXFLAGS) $(WARN) -std=c++17 -Iinclude -Isim $< -o $@ -L$(B)/lib-sim -lscxcore \
		-lbenchmark -pthread

bench-sim: $(SIM_BENCH)
	LD_LIBRARY_PATH=$(B)/lib-sim $(SIM_BENCH) $(BENCH_ARGS)

SIM_RESOLVE = case "$(1)" in */*) echo "$(1)" ;; *) if [ -x $(B)/bin/$(1) ]; then echo $(B)/bin/$(1); \
	else echo "$(1)"; fi ;; esac

# Building goes to stderr too: stdout is the JSON alone.
sim:
	@if [ -z "$(SCHED)" ]; then \
		echo "usage: make sim SCHED=<program> WORKLOAD=<preset|file> [SEED=N] [ARGS='...']" >&2; exit 2; fi
	@$(MAKE) --no-print-directory sim-lib >&2
	@prog=$$($(call SIM_RESOLVE,$(SCHED))); out=$$(mktemp); \
	SCX_SIM_WORKLOAD='$(or $(WORKLOAD),mixed)' SCX_SIM_SEED='$(or $(SEED),1)' SCX_SIM_OUTPUT=$$out \
		LD_LIBRARY_PATH=$(abspath $(B)/lib-sim) $$prog $(ARGS) >&2; st=$$?; \
	if [ -s $$out ]; then cat $$out; rm -f $$out; \
	else rm -f $$out; echo "make sim: $$prog wrote no metrics (exit status $$st)" >&2; exit 1; fi

sim-svg: sim-lib
	@mkdir -p $(B)/sim; files=; \
	for p in $(or $(SCHEDS),scx_rlfifo scx_rlvtime); do \
		prog=$$($(call SIM_RESOLVE,$$p)); f=$(B)/sim/$$(basename $$p).json; \
		SCX_SIM_WORKLOAD='$(or $(WORKLOAD),mixed)' SCX_SIM_SEED='$(or $(SEED),1)' SCX_SIM_OUTPUT=$$f \
			SCX_SIM_TABLE=none LD_LIBRARY_PATH=$(abspath $(B)/lib-sim) $$prog >/dev/null || true; \
		test -s $$f || { echo "make sim-svg: $$prog wrote no metrics" >&2; exit 1; }; \
		files="$$files $$f"; \
	done; \
	$(SIM_TOOL) svg $(B)/sim/cdf.svg $(if $(CLASS),--class $(CLASS)) $$files && echo "wrote $(B)/sim/cdf.svg"


# The examples of the header, the README and the manual pages, compiled as
# copied and run under the simulator: they must keep the machine busy.
test-unit: test-unit-docs
test-unit-docs: $(SIM_LIB)
	tests/unit/doc_examples.sh $(CURDIR)
