// SPDX-License-Identifier: GPL-2.0-only
// What a finished run's report is made of (sim/report.cpp), taken from the
// engine once when the run ends: the report reads nothing else.
#pragma once

#include "../bpf/intf.h"
#include "engine.h"
#include "hist.h"

#include <cstdint>
#include <string>
#include <vector>

namespace scxsim {

struct ClassSummary {
	std::string name;
	uint64_t tasks = 0, exits = 0, runtime = 0, switches = 0, migrations = 0, preemptions = 0,
		 bursts = 0, wakeups = 0;
	double fairness = 1.0; // Jain's index of the weight-normalised CPU shares
	Hist wait;             // how long its tasks waited to run
	std::vector<int> ran_on; // CPUs its tasks ran on
};

struct Completion {
	int32_t pid, group;
	std::string task;
	uint64_t died_ns;
};

struct RunReport {
	Config cfg;
	std::string scheduler, workload;
	scxcore::Options opts;
	int cpus = 0, smt = 0, llc_cpus = 0, nodes = 0, hz = 0;
	uint64_t duration_ns = 0, events = 0, tasks = 0, busy_ns = 0;
	int64_t exit_kind = 0;
	std::string exit_reason, exit_msg;
	uint64_t user_cpu_ns = 0, user_wakeups = 0, user_preemptions = 0, user_bpf_calls = 0, user_epoll_waits = 0;
	scx_intf_stats st{};
	std::vector<ClassSummary> classes;
	std::vector<Completion> completion; // the first tasks to exit, in order
};

std::string report_json(const RunReport &r);
std::string report_table(const RunReport &r);
// The JSON (already made), the table and the SVG where r.cfg asks for them.
void write_report(const RunReport &r, const std::string &json);

} // namespace scxsim
