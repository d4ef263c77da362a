// SPDX-License-Identifier: GPL-2.0-only
/*
 * scx_interactive: command line and configuration.
 */
#ifndef SCX_INTERACTIVE_CONFIG_HPP
#define SCX_INTERACTIVE_CONFIG_HPP

#include <algorithm>
#include <cstdint>
#include <string>

namespace interactive {

struct Config {
	uint64_t slice_ns = 10000000;    // --slice-us: base slice, with few tasks waiting
	uint64_t slice_min_ns = 1000000; // --slice-us-min: floor when many wait
	bool partial = false;            // --partial: only SCHED_EXT tasks
	double stats_interval_s = 0;     // --stats SECS; 0: no statistics
	bool stats_json = false;         // --stats-json: one JSON object per interval
	bool verbose = false;            // --verbose: library diagnostics, decisions summary
	uint32_t exit_dump_len = 0;      // --exit-dump-len BYTES
	bool preempt = true;             // --no-preempt clears it
	bool user_wakeups = false;       // --user-wakeups: no wake_to_idle_prev, idle_runs_oldest
	uint32_t behind = 64;            // --behind N: tasks queued behind a CPU's task
	uint32_t linger_ms = 0;          // --linger-ms MS: outlive this process
	bool take_over = false;          // --take-over: take a running one over
	bool host_subs = false;          // --host-subs: sub-schedulers may attach below
	std::string sub_cgroup;          // --sub-cgroup PATH: serve only this cgroup
	std::string name = "interactive"; // --name: the scheduler's name

	// Derived, not options.
	// Longest a task waits here before going to the first free CPU:
	// half of the library's fail-safe threshold (100 ms).
	uint64_t max_wait_ns = 50000000;
	// Longest the loop sleeps without news from the kernel: how late at
	// worst an expired slice or an overdue task is noticed.
	uint32_t idle_wait_ms = 10;
	// Largest latency allowance (virtual ns, before weight scaling): what
	// a CPU hog gets.
	uint64_t allowance_max_ns() const { return 20 * slice_ns; }
	// A task whose typical burst is shorter than this is interactive.
	uint64_t interactive_ns() const { return allowance_max_ns() / 2; }
	// Most credit a task that slept can have against the virtual clock.
	uint64_t wake_credit_ns() const { return slice_ns; }
};

// What parse_args() decided.
enum class ParseResult {
	Run,   // go on with the configuration
	Help,  // --help was printed: exit 0
	Error, // an error was printed: exit 2
};

// Parse argv into @cfg. Prints --help to stdout, errors to stderr.
ParseResult parse_args(int argc, char **argv, Config &cfg);

} // namespace interactive

#endif
