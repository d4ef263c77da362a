// SPDX-License-Identifier: GPL-2.0-only
// User space's calls, as the scheduler program makes them, and what each
// costs it in virtual time (the cost model): the scheduler's thread runs on a
// CPU of the machine and sleeps in scx_notify().
#include "engine_impl.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace scxsim {

int Engine::dequeue(scx_queued_task *out)
{
	if (exited_.load())
		return -ENODEV;
	if (!ring_len_)
		return 0;
	*out = ring_[ring_head_];
	ring_head_ = (ring_head_ + 1) % ring_.size();
	ring_len_--;
	if (out->flags & SCX_TASK_PLACED)
		placed_unread_--;
	else
		st_.nr_queued--;
	const TaskSpec &spec = w_.specs[tasks_[out->pid - kPidBase].spec];
	const std::string &comm = spec.comm;
	memset(out->comm, 0, sizeof(out->comm));
	memcpy(out->comm, comm.data(), std::min(comm.size(), sizeof(out->comm) - 1));
	// Every simulated task is a process of its own.
	out->tgid = out->pid;
	out->cgroup_id = spec.cgroup < 0 ? kRootCgroupId : kCgroupIdBase + (uint64_t)spec.cgroup;
	path_.dequeued(out->pid);
	user_cost_ += cfg_.dequeue_ns;
	return 1;
}

int Engine::dispatch(const scxcore::Decision &d)
{
	if (exited_.load())
		return -ENODEV;
	scxcore::Decision x = d;
	if (!x.slice_ns)
		x.slice_ns = opts_.slice_ns;
	decisions_made_.push_back(x);
	path_.dispatched();
	user_cost_ += cfg_.dispatch_ns;
	return 0;
}

int Engine::select_cpu(int32_t pid, int32_t prev_cpu, bool idle_core)
{
	if (exited_.load())
		return -ENODEV;
	user_cost_ += path_.select_cpu(pid) ? cfg_.syscall_ns : cfg_.select_ns;
	Task *t = task_by_pid(pid);
	if (!t)
		return -ESRCH;
	int c = pick_idle(t->mask, prev_cpu, idle_core);
	return c >= 0 ? c : -EBUSY;
}

int Engine::task_allows_cpu(int32_t pid, int32_t cpu)
{
	if (exited_.load())
		return -ENODEV;
	user_cost_ += path_.task_allows_cpu(pid) ? cfg_.syscall_ns : cfg_.select_ns;
	Task *t = task_by_pid(pid);
	if (!t)
		return -ESRCH;
	return allowed(*t, cpu) ? 1 : 0;
}

int Engine::notify(uint64_t nr_pending)
{
	nr_pending_ = nr_pending;
	nr_scheduled_.store(nr_pending, std::memory_order_relaxed);
	if (exited_.load())
		return -ENODEV;
	// The time user space took since it woke up; its decisions reach the
	// ring at the end of it. A CPU passing through ops.dispatch applies
	// them, or the flush program past the backlog.
	bool flush = path_.notify();
	user_cost_ += cfg_.notify_ns + (flush ? cfg_.syscall_ns : 0);
	run_until(now_ + user_cost_, false);
	user_cost_ = 0;
	if (exited_.load())
		return -ENODEV;
	seen_ns_ = now_;
	decisions_sent_.insert(decisions_sent_.end(), decisions_made_.begin(), decisions_made_.end());
	decisions_made_.clear();
	if (flush)
		apply_decisions();
	process_resched();
	if (ring_len_)
		return 0;
	// Sleep in epoll_wait until woken or idle_wait_ms; the thread's CPU
	// goes through ops.dispatch (which takes the decisions) and schedules.
	path_.sleeps();
	user_cost_ += cfg_.syscall_ns;
	run_until(now_ + user_cost_, false);
	user_cost_ = 0;
	if (exited_.load())
		return -ENODEV;
	user_sleeping_ = true;
	user_wake_at_ = kInf;
	uint64_t deadline = now_ + (uint64_t)opts_.idle_wait_ms * 1000000;
	user_leave_cpu();
	process_resched();
	run_until(deadline, true);
	user_sleeping_ = false;
	user_wake_at_ = kInf;
	seen_ns_ = now_;
	if (exited_.load())
		return -ENODEV;
	user_enter_cpu();
	process_resched();
	return 1;
}

// The scheduler's thread wakes up: BPF places it at once, on an idle CPU
// (its last one first), else at the head of its last CPU, preempting the
// task there (which goes back to user space as any preempted task).
void Engine::user_enter_cpu()
{
	user_wakeups_++;
	int c = pick_idle(all_mask_.data(), ulast_, false);
	if (c < 0) {
		c = ulast_;
		Cpu &cpu = cpus_[c];
		if (cpu.curr >= 0) {
			account(c);
			int32_t p = cpu.curr;
			stop_running(c);
			Task &t = tasks_[p];
			t.state = T_RUNNABLE;
			t.runnable_since = now_;
			t.preemptions++;
			user_preemptions_++;
			ops_enqueue(p, 0);
		}
	}
	cpus_[c].user = true;
	set_idle(c, false);
	ucpu_ = ulast_ = c;
	ucpu_seen_.store(c, std::memory_order_relaxed);
	if (cfg_.cpu_out)
		cfg_.cpu_out->store(c, std::memory_order_relaxed);
	user_since_ = now_;
}

// The scheduler's thread blocks: its CPU goes through the scheduler.
void Engine::user_leave_cpu()
{
	int c = ucpu_;
	if (c < 0)
		return;
	cpus_[c].user = false;
	user_busy_ += now_ - user_since_;
	ucpu_ = -1;
	reschedule(c, false);
}

void Engine::unregister()
{
	if (exited_.load())
		return;
	request_exit(64 /* SCX_EXIT_UNREG */, "unregistered from user space", "");
	finalize();
}

} // namespace scxsim
