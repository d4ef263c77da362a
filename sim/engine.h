// SPDX-License-Identifier: GPL-2.0-only
// The discrete-event simulator behind libscxcore-sim.so: a machine of CPUs
// running a workload's tasks, with a model of libscxcore's BPF backend
// (bpf/main.bpf.c) in between. User space drives it through the same calls
// as the real library; scx_notify() is where virtual time passes.
#pragma once

#include "../bpf/intf.h"
#include "../capi/backend.h"
#include "workload.h"

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace scxsim {

// How a run is set up: SCX_SIM_* environment variables or scx_sim_set().
struct Config {
	std::string workload = "mixed";
	uint64_t seed = 1;
	int cpus = 0;              // 0: the workload's
	uint64_t duration_ns = 0;  // 0: the workload's, else 10 s
	std::string output;        // JSON: a path, "-" = stdout, "" = none
	std::string table = "stderr"; // the table: "stderr", "stdout", a path or "none"
	std::string svg;           // wait-time CDF of this run (per class)
	bool virtual_clock = true; // CLOCK_MONOTONIC of the process is virtual time
	uint64_t ring_records = 0; // capacity of the ring to user space; 0: as opts.ring_size_kb holds
	// User space's costs in virtual time (ns).
	uint64_t wake_ns = 5000;   // from a wake-up to user space running
	uint64_t dequeue_ns = 100;
	uint64_t dispatch_ns = 150;
	uint64_t select_ns = 100;  // from the shared idle view
	uint64_t notify_ns = 100;
	uint64_t syscall_ns = 1000; // BPF_PROG_TEST_RUN (flush, select_cpu of an unknown task), epoll_wait
	uint64_t clock_base = 0;   // CLOCK_MONOTONIC of virtual time 0 (timestamps given to user space)
	std::atomic<uint64_t> *clock_out = nullptr; // also gets the virtual time, for other threads
	std::atomic<int> *cpu_out = nullptr;        // also gets the scheduler thread's CPU
};


class Engine;

// The simulation of one scx_init() .. scx_destroy().
class Sim {
public:
	Sim(const Config &cfg, const scxcore::Options &opts, Workload &&w);
	~Sim();
	Sim(const Sim &) = delete;
	Sim &operator=(const Sim &) = delete;

	int dequeue(scx_queued_task *out);
	int dispatch(const scxcore::Decision &d);
	int select_cpu(int32_t pid, int32_t prev_cpu, bool idle_core);
	int task_allows_cpu(int32_t pid, int32_t cpu);
	int notify(uint64_t nr_pending);
	// Stop as user space asked (SCX_EXIT_UNREG) unless stopped already.
	void unregister();

	bool exited() const;
	// The model's counters of the BPF side (its .bss stats).
	scx_intf_stats stats() const;
	uint64_t nr_scheduled() const;
	int nr_cpus() const;
	// The workload's cgroup of id @id (kRootCgroupId: the defaults); false
	// when there is none.
	bool cgroup(uint64_t id, CgroupSpec *out) const;
	void cpu_info(int cpu, int *core, int *llc, int *node) const;
	std::vector<int> siblings(int cpu, int level) const;

	int64_t exit_kind() const;
	const std::string &exit_reason() const;
	const std::string &exit_msg() const;

	uint64_t now_ns() const;        // virtual time since scx_init
	uint64_t clock_ns() const;      // what CLOCK_MONOTONIC reads in the process
	uint64_t nr_events() const;
	int user_cpu() const; // the CPU the scheduler's thread runs on (sched_getcpu())
	const std::string &report_json() const; // "" until the run ended

private:
	Engine *e_;
};

} // namespace scxsim
