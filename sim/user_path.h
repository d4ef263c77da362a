// SPDX-License-Identifier: GPL-2.0-only
// Which of user space's calls make a system call on the kernel backend
// (cxx/scheduler.cpp), call by call: the part of the cost model that the
// micro-benchmark can check (tests/sim/sim_test.cpp, CostModel*). The engine
// charges each call by what this says.
#pragma once

#include "../bpf/intf.h"

#include <cstdint>
#include <vector>

namespace scxsim {

class UserPath {
public:
	// scx_dequeue() handed out @pid's record: the library keeps its affinity.
	void dequeued(int32_t pid)
	{
		if (pid < 0)
			return;
		if ((size_t)pid >= known_.size())
			known_.resize((size_t)pid + 1);
		known_[(size_t)pid] = true;
	}

	// scx_select_cpu(): answered from the shared idle view when the task's
	// affinity is known, else by a BPF_PROG_TEST_RUN. (The library's task
	// cache has 4096 slots by pid; the simulator's pids are consecutive and
	// fewer, and their affinity never changes, so a dequeued task stays
	// known.) Returns true for a system call.
	bool select_cpu(int32_t pid)
	{
		if (known(pid))
			return false;
		bpf_calls_++;
		return true;
	}

	// scx_task_allows_cpu(): from the same cache, else sched_getaffinity()
	// (not a bpf() call). Returns true for a system call.
	bool task_allows_cpu(int32_t pid) const { return !known(pid); }

	// scx_dispatch(): a record in the user ring, no system call.
	void dispatched() { unflushed_++; }

	// scx_notify(): the flush program runs only past the backlog. Returns
	// true for a system call.
	bool notify()
	{
		if (unflushed_ < SCX_INTF_FLUSH_BACKLOG)
			return false;
		unflushed_ = 0;
		bpf_calls_++;
		return true;
	}

	// scx_notify() found nothing to do and sleeps in epoll_wait().
	void sleeps() { epoll_waits_++; }

	uint64_t bpf_calls() const { return bpf_calls_; }
	uint64_t epoll_waits() const { return epoll_waits_; }

private:
	bool known(int32_t pid) const { return pid >= 0 && (size_t)pid < known_.size() && known_[(size_t)pid]; }

	std::vector<bool> known_;
	uint64_t unflushed_ = 0, bpf_calls_ = 0, epoll_waits_ = 0;
};

} // namespace scxsim
