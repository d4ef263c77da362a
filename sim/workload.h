// SPDX-License-Identifier: GPL-2.0-only
// Workloads of the simulator: the machine and the tasks, each described by a
// small program of CPU bursts, sleeps, messages, forks and exits. Read from a
// file (docs/sim.md has the format) or built from a preset.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace scxsim {

// A duration: fixed, uniform in [lo, hi], or exponential with mean lo
// (capped at 20 means).
struct Dur {
	enum Kind : uint8_t { FIXED, UNIFORM, EXP } kind = FIXED;
	uint64_t lo = 0, hi = 0;
};

enum class Op : uint8_t {
	RUN,   // use the CPU for d
	SLEEP, // block for d
	SEND,  // n messages to each instance of spec `target` (of the same group)
	RECV,  // block until n messages arrived, consume them
	SPAWN, // fork n instances of spec `target`; each sends its parent 1 message at exit
	LOOP,  // repeat up to the matching END `count` times (0: forever)
	END,
	EXIT,
};

struct Step {
	Op op = Op::EXIT;
	Dur d;
	int target = -1;    // spec index (SEND, SPAWN)
	uint32_t n = 1;     // messages, forks
	uint64_t count = 0; // LOOP: iterations, 0 = forever
	int match = -1;     // LOOP: index of its END; END: index of its LOOP
	int line = 0;
};

// A cgroup v2 with the cpu controller's settings. Cgroup i of the file has
// id kCgroupIdBase + i; tasks of no cgroup are in the root one (id 1).
struct CgroupSpec {
	std::string name;
	uint32_t weight = 100;     // cpu.weight
	uint64_t quota_us = ~0ULL; // cpu.max: ~0 is "max"
	uint64_t period_us = 100000;
	int line = 0;
};
constexpr uint64_t kRootCgroupId = 1;
constexpr uint64_t kCgroupIdBase = 2;

struct TaskSpec {
	std::string name, cls, comm;
	int cgroup = -1; // index in Workload::cgroups; -1: the root cgroup
	int count = 1;   // instances per group at start (0: only spawned)
	int groups = 1;  // independent copies (SEND stays within a group)
	uint32_t weight = 100;
	uint32_t inbox = 0;    // messages its inbox holds; a send to a full one blocks (0: unbounded)
	std::vector<int> cpus; // affinity; empty: every CPU
	Dur start;             // when each instance starts
	std::vector<Step> prog;
	int line = 0;
	// Unresolved SEND/SPAWN target names, resolved after parsing.
	std::vector<std::pair<int, std::string>> refs;
};

struct Workload {
	std::string name;       // preset name or file path
	int cpus = 4;           // CPUs
	int smt = 2;            // hardware threads per core
	int llc = 0;            // CPUs per last-level cache (0: all)
	int nodes = 1;          // NUMA nodes
	int hz = 250;           // the tick, which ends expired slices (0: they end exactly)
	uint64_t duration_ns = 0; // 0: until every task exited (capped by the run's limit)
	std::vector<TaskSpec> specs;
	std::vector<CgroupSpec> cgroups;
	std::vector<std::string> classes; // in order of first appearance
};

// Parse @text (named @where in messages). On error returns false and sets
// @err to "WHERE:LINE: FIELD: what is wrong".
bool parse_workload(const std::string &text, const std::string &where, Workload *out, std::string *err);

// Read @name: a preset (hogs, sleepers, hackbench, mixed) or a file.
bool load_workload(const std::string &name, int cpus_override, Workload *out, std::string *err);

// The text of a preset, for documentation and `scx-sim-svg --preset`.
bool preset_text(const std::string &name, int cpus, std::string *out);

// "1.5ms", "20us", "3s", "100ns", "250" (ns). Returns false on a bad value.
bool parse_time(const std::string &s, uint64_t *ns);

} // namespace scxsim
