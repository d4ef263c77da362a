// SPDX-License-Identifier: GPL-2.0-only
// The simulated machine: DSQs, idle masks, and what the kernel does on a CPU
// (its balance and pick, a task starting and stopping, slices ending at the
// tick, kicks, the watchdog). The BPF side's callbacks are bpf_model.cpp's.
#include "engine_impl.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace scxsim {

void Engine::dsq_push(int q, int32_t ti)
{
	Task &t = tasks_[ti];
	Dsq &d = dsqs_[q];
	t.on_dsq = q;
	t.next = -1;
	t.prev = d.tail;
	if (d.tail >= 0)
		tasks_[d.tail].next = ti;
	else
		d.head = ti;
	d.tail = ti;
	d.n++;
}

void Engine::dsq_remove(int32_t ti)
{
	Task &t = tasks_[ti];
	Dsq &d = dsqs_[t.on_dsq];
	if (t.prev >= 0)
		tasks_[t.prev].next = t.next;
	else
		d.head = t.next;
	if (t.next >= 0)
		tasks_[t.next].prev = t.prev;
	else
		d.tail = t.prev;
	d.n--;
	t.on_dsq = t.prev = t.next = -1;
}

// scx_bpf_dsq_move_to_local(): the first task of @q that may run on @c.
int32_t Engine::dsq_take(int q, int c)
{
	for (int32_t ti = dsqs_[q].head; ti >= 0; ti = tasks_[ti].next)
		if (allowed(tasks_[ti], c)) {
			dsq_remove(ti);
			return ti;
		}
	return -1;
}

uint64_t Engine::dsq_head_ts(int q) const
{
	int32_t h = dsqs_[q].head;
	return h >= 0 ? tasks_[h].queued_ts : kInf;
}

void Engine::set_idle(int c, bool idle)
{
	uint64_t bit = 1ULL << (c & 63);
	bool was = idle_[c >> 6] & bit;
	if (was == idle)
		return;
	if (idle)
		idle_[c >> 6] |= bit;
	else
		idle_[c >> 6] &= ~bit;
	// A core is idle when all its CPUs are.
	const std::vector<uint64_t> &core = core_mask_[c];
	bool all = true;
	for (int w = 0; w < words_ && all; w++)
		all = (core[w] & ~idle_[w]) == 0;
	for (int w = 0; w < words_; w++)
		idle_core_[w] = all ? (idle_core_[w] | core[w]) : (idle_core_[w] & ~core[w]);
}

// The first CPU from @start (wrapping) in @idle & @allowed & @within.
int Engine::find_idle(const std::vector<uint64_t> &idle, const uint64_t *allowed, const uint64_t *within,
		      int start) const
{
	if (start < 0 || start >= ncpu_)
		start = 0;
	int sw = start >> 6;
	for (int k = 0; k <= words_; k++) {
		int w = (sw + k) % words_;
		uint64_t m = idle[w] & allowed[w] & within[w];
		if (k == 0)
			m &= ~0ULL << (start & 63);
		else if (k == words_)
			m &= (start & 63) ? ~(~0ULL << (start & 63)) : 0;
		if (m)
			return w * 64 + __builtin_ctzll(m);
	}
	return -1;
}

// scx_bpf_select_cpu_dfl()'s order: @prev's core if all idle, an idle core
// in @prev's LLC, node, anywhere; then @prev, an idle CPU of its core, LLC,
// node, anywhere. The CPU found is claimed (no longer idle to others).
int Engine::pick_idle(const uint64_t *allowed, int prev, bool core_only)
{
	bool prev_ok = prev >= 0 && prev < ncpu_ && ((allowed[prev >> 6] >> (prev & 63)) & 1);
	int start = prev >= 0 ? (prev + 1) % ncpu_ : 0;
	int c = -1;
	if (w_.smt > 1 || core_only) {
		if (prev_ok && ((idle_core_[prev >> 6] >> (prev & 63)) & 1))
			c = prev;
		if (c < 0 && prev >= 0)
			c = find_idle(idle_core_, allowed, llc_mask_[prev].data(), start);
		if (c < 0 && prev >= 0)
			c = find_idle(idle_core_, allowed, node_mask_[prev].data(), start);
		if (c < 0)
			c = find_idle(idle_core_, allowed, all_mask_.data(), start);
		if (c < 0 && core_only)
			return -1;
	}
	if (c < 0 && prev_ok && ((idle_[prev >> 6] >> (prev & 63)) & 1))
		c = prev;
	if (c < 0 && prev >= 0) {
		c = find_idle(idle_, allowed, core_mask_[prev].data(), start);
		if (c < 0)
			c = find_idle(idle_, allowed, llc_mask_[prev].data(), start);
		if (c < 0)
			c = find_idle(idle_, allowed, node_mask_[prev].data(), start);
	}
	if (c < 0)
		c = find_idle(idle_, allowed, all_mask_.data(), start);
	if (c >= 0)
		set_idle(c, false);
	return c;
}

// scx_bpf_pick_idle_cpu(mask, 0): an idle core first, spread round-robin.
int Engine::pick_any_idle(const uint64_t *allowed)
{
	int start = (int)(pick_cursor_ % (uint32_t)ncpu_);
	int c = -1;
	if (w_.smt > 1)
		c = find_idle(idle_core_, allowed, all_mask_.data(), start);
	if (c < 0)
		c = find_idle(idle_, allowed, all_mask_.data(), start);
	if (c >= 0) {
		set_idle(c, false);
		pick_cursor_ = (uint32_t)c + 1;
	}
	return c;
}

void Engine::kick(int c, bool preempt)
{
	Cpu &cpu = cpus_[c];
	if (cpu.user)
		return; // it schedules when the scheduler's thread sleeps
	if (cpu.curr >= 0 && !preempt)
		return; // SCX_KICK_IDLE: only wakes an idle CPU
	if (cpu.curr >= 0)
		cpu.preempt = true;
	if (!cpu.queued_resched) {
		cpu.queued_resched = true;
		resched_.push_back(c);
	}
}

void Engine::process_resched()
{
	for (size_t i = 0; i < resched_.size(); i++) {
		int c = resched_[i];
		Cpu &cpu = cpus_[c];
		cpu.queued_resched = false;
		if (cpu.user) {
			cpu.preempt = false;
		} else if (cpu.curr < 0) {
			cpu.preempt = false;
			reschedule(c, false);
		} else if (cpu.preempt) {
			cpu.preempt = false;
			account(c);
			tasks_[cpu.curr].slice = 0;
			reschedule(c, true);
		}
	}
	resched_.clear();
}

// The kernel's balance and pick: the local DSQ, then ops.dispatch(); a
// runnable previous task keeps its CPU when nothing else is found.
void Engine::reschedule(int c, bool prev_runnable)
{
	Cpu &cpu = cpus_[c];
	int32_t prev = cpu.curr;
	if (prev >= 0 && prev_runnable && tasks_[prev].slice > 0) {
		arm(c);
		return;
	}
	int32_t next = dsq_take(2 + ncpu_ + c, c);
	if (next < 0)
		next = ops_dispatch(c, prev >= 0 && prev_runnable);
	if (next < 0) {
		if (prev >= 0 && prev_runnable && opts_.enq_last) {
			// SCX_OPS_ENQ_LAST: back to user space; the CPU idles meanwhile.
			put_prev(c, prev);
			set_idle(c, true);
			return;
		}
		if (prev >= 0 && prev_runnable) {
			Task &p = tasks_[prev];
			if (!p.slice)
				p.slice = kSliceDflKernel;
			events_++;
			arm(c);
			return;
		}
		if (prev < 0)
			set_idle(c, true);
		return;
	}
	if (prev >= 0 && prev_runnable)
		put_prev(c, prev);
	start(c, next);
}

// @c's task @prev, still runnable, leaves the CPU through ops.enqueue().
void Engine::put_prev(int c, int32_t prev)
{
	Task &p = tasks_[prev];
	stop_running(c);
	p.state = T_RUNNABLE;
	p.runnable_since = now_;
	p.preemptions++;
	ops_enqueue(prev, 0);
}

void Engine::start(int c, int32_t ti)
{
	Cpu &cpu = cpus_[c];
	Task &t = tasks_[ti];
	cpu.curr = ti;
	t.state = T_RUNNING;
	if (t.last_ran >= 0 && t.last_ran != c)
		t.migrations++;
	t.last_ran = c;
	t.cpu = c;
	t.start_ts = now_;
	cls_[t.cls].wait.add(now_ - t.runnable_since);
	cls_[t.cls].ran_on[c] = 1;
	t.switches++;
	events_++;
	st_.nr_running++;
	set_idle(c, false);
	cpu.seg = now_;
	arm(c);
}

void Engine::account(int c)
{
	Cpu &cpu = cpus_[c];
	Task &t = tasks_[cpu.curr];
	uint64_t ran = now_ - cpu.seg;
	cpu.seg = now_;
	t.burst = t.burst > ran ? t.burst - ran : 0;
	t.slice = t.slice > ran ? t.slice - ran : 0;
	t.runtime += ran;
	cpu.busy += ran;
}

// ops.stopping(): the task leaves the CPU (already accounted).
void Engine::stop_running(int c)
{
	Cpu &cpu = cpus_[c];
	Task &t = tasks_[cpu.curr];
	t.stop_ts = now_;
	t.exec_runtime += now_ - t.start_ts;
	cpu.curr = -1;
	cpu_set(c, kInf);
	st_.nr_running--;
	events_++;
}

// The next event of @c's task: the end of its burst, or the tick that finds
// its slice over (the kernel ends an expired slice at a tick only).
void Engine::arm(int c)
{
	Cpu &cpu = cpus_[c];
	const Task &t = tasks_[cpu.curr];
	uint64_t slice_end = now_ + t.slice;
	if (tick_ns_)
		slice_end = (slice_end + tick_ns_ - 1) / tick_ns_ * tick_ns_;
	cpu_set(c, std::min(now_ + t.burst, slice_end));
}

bool Engine::slice_over(const Task &t) const
{
	return t.slice == 0 && (!tick_ns_ || now_ % tick_ns_ == 0);
}

void Engine::on_cpu_event(int c)
{
	Cpu &cpu = cpus_[c];
	if (cpu.curr < 0)
		return;
	account(c);
	int32_t ti = cpu.curr;
	if (tasks_[ti].burst == 0) {
		tasks_[ti].bursts++;
		int a = advance(tasks_[ti]);
		if (a != A_RUN) {
			stop_running(c);
			if (a == A_EXIT)
				exit_task(ti);
			reschedule(c, false);
			return;
		}
	}
	if (!slice_over(tasks_[ti])) {
		arm(c);
		return;
	}
	reschedule(c, true); // the slice expired
}

// The kernel's watchdog: a runnable task that did not run for timeout_ms.
void Engine::watchdog()
{
	uint64_t timeout = (uint64_t)opts_.timeout_ms * 1000000;
	int32_t worst = -1;
	for (size_t i = 0; i < tasks_.size(); i++) {
		const Task &t = tasks_[i];
		if (t.state == T_RUNNABLE && now_ - t.runnable_since > timeout &&
		    (worst < 0 || t.runnable_since < tasks_[worst].runnable_since))
			worst = (int32_t)i;
	}
	if (worst < 0)
		return;
	uint64_t waited = now_ - tasks_[worst].runnable_since;
	char msg[256];
	snprintf(msg, sizeof(msg), "%s[%d] failed to run for %llu.%03llus",
		 w_.specs[tasks_[worst].spec].comm.c_str(), worst + kPidBase,
		 (unsigned long long)(waited / 1000000000), (unsigned long long)(waited / 1000000 % 1000));
	request_exit(1026 /* SCX_EXIT_ERROR_STALL */, "runnable task stall", msg);
}

} // namespace scxsim
