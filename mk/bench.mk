# Benchmarks; none of them is part of `make test`.
#
#   make bench [QUICK=1] [ICOUNT=0|1] [BENCH_WAKEUPS=N] [CPUS=N]
#       One VM boot: EEVDF (no sched_ext scheduler), scx_rlfifo and, when
#       built, scx_interactive, in alternating rounds (7, QUICK=1: 3), plus
#       EEVDF again as an A/A control; then each scheduler's overheads
#       (bench/guest.sh). bench/report.py turns the guest's lines into a
#       table on stdout, $(B)/bench/results.json and $(B)/bench/chart.svg.
#       ICOUNT=1 (the default) runs QEMU with -icount $(BENCH_ICOUNT): guest
#       time counts instructions, so runs repeat closely; ICOUNT=0 uses the
#       host's clock (noisy on a shared machine). CPUS: the guest's vCPUs
#       (default 4; also for bench-profile).
#   make bench-micro [BENCH_ARGS=...]
#       Google Benchmark of the user-space side alone: 1M tasks through
#       scx_dequeue/scx_select_cpu/scx_dispatch/scx_notify with the BPF ring
#       buffers replaced by in-memory ones (tests/bench/micro_bench.cpp).

BENCH_DIR := $(B)/bench
BENCH_ROUNDS := $(if $(filter 1 yes true,$(QUICK)),3,7)
BENCH_WAKEUPS ?= 2000
ICOUNT ?= 1
BENCH_ICOUNT := shift=0,sleep=off
CPUS ?= 4
BENCH_VM_FLAGS := --timeout 7200 --cpus $(CPUS) $(if $(filter 1 yes true,$(ICOUNT)),--icount $(BENCH_ICOUNT))
BENCH_MODE := $(if $(filter 1 yes true,$(ICOUNT)),icount $(BENCH_ICOUNT),host clock)

.PHONY: bench bench-micro

$(B)/bin/scx-bench: bench/guest.sh
	@mkdir -p $(@D)
	install -m 755 $< $@

# The guest's output is kept in $(BENCH_DIR)/guest.log; the report is made
# from it (python3 bench/report.py $(BENCH_DIR)/guest.log redoes it).
bench: $(VM_GUEST) $(B)/bin/scx-bench
	@mkdir -p $(BENCH_DIR)
	@echo "bench: $(BENCH_ROUNDS) rounds, $(CPUS) vCPUs, timing: $(BENCH_MODE)"
	@{ tests/vm/run $(BENCH_VM_FLAGS) -- scx-bench -r $(BENCH_ROUNDS) -w $(BENCH_WAKEUPS); \
		echo $$? >$(BENCH_DIR)/vm-status; } | tee $(BENCH_DIR)/guest.log
	@st=$$(cat $(BENCH_DIR)/vm-status); if [ "$$st" != 0 ]; then \
		echo "bench: the VM run failed (status $$st)" >&2; exit 1; fi
	python3 bench/report.py --mode '$(BENCH_MODE)' --json $(BENCH_DIR)/results.json \
		--svg $(BENCH_DIR)/chart.svg $(BENCH_DIR)/guest.log

# --- the micro-benchmark ----------------------------------------------------
# The library's objects (not libscxcore.so: its symbols are hidden and it
# cannot be told to skip the kernel) linked with the same libbpf; the
# kernel-facing calls are redirected to the fakes in micro_bench.cpp.
MICRO_OBJS := $(patsubst %.cpp,$(B)/obj/%.o,$(wildcard cxx/*.cpp) $(wildcard capi/*.cpp)) \
	$(B)/obj/cxx/bpf_blob.o
comma := ,
MICRO_WRAP := mmap64 epoll_ctl epoll_wait access bpf_map_get_info_by_fd bpf_object__load bpf_map__fd \
	bpf_map_lookup_elem \
	bpf_object__find_map_fd_by_name bpf_map__attach_struct_ops bpf_link__destroy \
	bpf_prog_test_run_opts btf__load_vmlinux_btf bpf_program__fd

$(MICRO_BENCH): tests/bench/micro_bench.cpp $(MICRO_OBJS) $(LIBBPF)/lib/libbpf.a include/scx/scxcore.h \
		bpf/intf.h cxx/btf_util.h
	@mkdir -p $(@D)
	$(CXX) $(CXXFLAGS) $(WARN) -std=c++17 -Iinclude -I$(LIBBPF)/include $< $(MICRO_OBJS) \
		$(LIBBPF)/lib/libbpf.a -lelf -lz -lbenchmark -pthread -ldl \
		$(addprefix -Wl$(comma)--wrap=,$(MICRO_WRAP)) -o $@

bench-micro: $(MICRO_BENCH)
	$(MICRO_BENCH) $(BENCH_ARGS)

# --- where the CPU goes -----------------------------------------------------
#   make bench-profile [PROFILE='-w pingpong scx_interactive']
#       perf's cpu-clock samples in the VM (icount) while a workload runs
#       under a scheduler (bench/profile.sh); needs the host's perf
#       (Debian: linux-perf), copied into the guest with its libraries.
PROFILE ?= scx_rlfifo
PROFILE_ROOT := $(BENCH_DIR)/profile-root

$(B)/bin/scx-profile: bench/profile.sh
	@mkdir -p $(@D)
	install -m 755 $< $@

.PHONY: bench-profile
bench-profile: $(VM_GUEST) $(B)/bin/scx-profile
	@perf=$$(command -v perf) || { echo "bench-profile: needs perf on the host (apt-get install linux-perf)" >&2; exit 1; }; \
	rm -rf $(PROFILE_ROOT) && mkdir -p $(PROFILE_ROOT)/usr/bin && cp -L $$perf $(PROFILE_ROOT)/usr/bin/perf
	tests/vm/run $(BENCH_VM_FLAGS) --root $(PROFILE_ROOT) -- scx-profile $(PROFILE)
