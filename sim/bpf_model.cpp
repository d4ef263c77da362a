// SPDX-License-Identifier: GPL-2.0-only
// The model of libscxcore's BPF side (bpf/main.bpf.c): one function for each
// of its functions, each saying which one it mirrors, counting into the same
// struct scx_intf_stats.
#include "engine_impl.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace scxsim {

// Mirrors kick_idle_cpu().
void Engine::kick_idle_cpu(int32_t ti)
{
	int c = pick_any_idle(tasks_[ti].mask);
	if (c >= 0)
		kick(c, false);
}

// Mirrors last_slice(): the slice of @t's last decision, else the default.
uint64_t Engine::last_slice(const Task &t) const
{
	return t.user_slice ? t.user_slice : opts_.slice_ns;
}

// Mirrors submit_placed(): @ti runs already, on its t.cpu, placed by the
// kernel side; a PLACED record (with @flags) tells user space.
void Engine::submit_placed(int32_t ti, uint64_t flags)
{
	Task &t = tasks_[ti];
	t.enq_seq++;
	t.queued_ts = now_;
	st_.nr_kernel_dispatches++;
	push_record(ti, flags | SCX_TASK_PLACED);
	if (++placed_unread_ >= std::max(opts_.wake_batch, SCX_WAKE_BATCH_DEFAULT))
		wake_usersched();
}

// Mirrors place_on_idle_prev(): @ti runs on its idle previous CPU at once,
// and a PLACED record tells user space.
bool Engine::place_on_idle_prev(int32_t ti)
{
	Task &t = tasks_[ti];
	int c = t.cpu;
	if (ring_len_ >= ring_cap_ || c < 0 || c >= ncpu_ || !allowed(t, c) || !((idle_[c >> 6] >> (c & 63)) & 1))
		return false;
	set_idle(c, false);
	t.slice = last_slice(t);
	submit_placed(ti, kEnqWakeup);
	dsq_push(2 + ncpu_ + c, ti);
	kick(c, false);
	return true;
}

// A task becomes runnable: mirrors scxcore_runnable(), then
// scxcore_select_cpu() (with wake_to_idle_prev its previous CPU if idle,
// with builtin_idle any idle CPU, at once), then scxcore_enqueue().
void Engine::wake(int32_t ti, bool wakeup)
{
	Task &t = tasks_[ti];
	t.state = T_RUNNABLE;
	t.runnable_since = now_;
	t.exec_runtime = 0;
	t.wakeups++;
	events_++;
	if (nr_pending_ || dsqs_[kParked].n) {
		ops_enqueue(ti, wakeup ? kEnqWakeup : 0);
		return;
	}
	if (opts_.wake_to_idle_prev && place_on_idle_prev(ti))
		return;
	if (opts_.builtin_idle) {
		int c = pick_idle(t.mask, t.cpu, false);
		if (c >= 0) {
			t.cpu = c;
			t.slice = opts_.slice_ns;
			dsq_push(2 + ncpu_ + c, ti);
			st_.nr_kernel_dispatches++;
			kick(c, false);
			return;
		}
	}
	ops_enqueue(ti, wakeup ? kEnqWakeup : 0);
}

// Mirrors insert_shared().
void Engine::insert_shared(int32_t ti)
{
	Task &t = tasks_[ti];
	t.queued_ts = now_;
	t.slice = opts_.slice_ns;
	dsq_push(kShared, ti);
	kick_idle_cpu(ti);
}

// Mirrors scxcore_enqueue() for the tasks user space schedules.
void Engine::ops_enqueue(int32_t ti, uint64_t flags)
{
	Task &t = tasks_[ti];
	if (failsafe_since_) {
		insert_shared(ti);
		st_.nr_failsafe_dispatches++;
		return;
	}
	if (ring_len_ >= ring_cap_) {
		insert_shared(ti);
		st_.nr_sched_congested++;
		return;
	}
	t.enq_seq++;
	t.queued_ts = now_;
	t.slice = opts_.slice_ns;
	dsq_push(kParked, ti);
	push_record(ti, flags);
	st_.nr_queued++;
	// The record goes in without waking user space, which is woken only
	// when that is useful now: a CPU is idle, or a batch waits. Otherwise
	// the next CPU to run dry wakes it (ops_dispatch).
	if (st_.nr_queued >= opts_.wake_batch || any_idle())
		wake_usersched();
}

// The record fill_record() makes, at the ring's tail (there is room).
void Engine::push_record(int32_t ti, uint64_t flags)
{
	Task &t = tasks_[ti];
	if (ring_len_ == ring_.size()) { // grow the circular buffer, up to the capacity
		std::vector<scx_queued_task> r(std::min(ring_cap_, std::max<size_t>(64, ring_.size() * 2)));
		for (size_t i = 0; i < ring_len_; i++)
			r[i] = ring_[(ring_head_ + i) % ring_.size()];
		ring_.swap(r);
		ring_head_ = 0;
	}
	scx_queued_task &rec = ring_[(ring_head_ + ring_len_) % ring_.size()];
	ring_len_++;
	rec.pid = ti + kPidBase;
	rec.cpu = t.cpu;
	rec.nr_cpus_allowed = t.nr_allowed;
	rec.weight = t.weight;
	rec.flags = flags;
	rec.start_ts = t.start_ts ? cfg_.clock_base + t.start_ts : 0;
	rec.stop_ts = t.stop_ts ? cfg_.clock_base + t.stop_ts : 0;
	rec.exec_runtime = t.exec_runtime;
	rec.vtime = t.vtime;
	rec.token = t.enq_seq;
	rec.enqueue_ts = cfg_.clock_base + now_;
}

// Mirrors any_cpu_idle().
bool Engine::any_idle() const
{
	for (uint64_t w : idle_)
		if (w)
			return true;
	return false;
}

// Mirrors wake_usersched(): a WAKE record, counted.
void Engine::wake_usersched()
{
	if (!user_sleeping_)
		return;
	user_sleeping_ = false;
	user_wake_at_ = now_ + cfg_.wake_ns;
	st_.nr_wakeups_sent++;
}

// Mirrors unclaim_view(): the CPU scx_select_cpu() claimed for a decision
// now cancelled is idle again if nothing runs there.
void Engine::unclaim(int c)
{
	if (c >= 0 && c < ncpu_ && cpus_[c].curr < 0 && !cpus_[c].user && !cpus_[c].queued_resched &&
	    !dsqs_[2 + ncpu_ + c].n)
		set_idle(c, true);
}

// Mirrors apply_decision().
void Engine::apply_decision(const scxcore::Decision &d)
{
	events_++;
	Task *t = task_by_pid(d.pid);
	if (!t) {
		st_.nr_failed_dispatches++;
		return;
	}
	int32_t ti = (int32_t)(t - tasks_.data());
	if (t->enq_seq != d.token) {
		st_.nr_cancel_dispatches++;
		unclaim(d.cpu);
		return;
	}
	int target = kShared;
	if (d.cpu >= 0) {
		if (allowed(*t, d.cpu))
			target = 2 + d.cpu;
		else
			st_.nr_bounce_dispatches++;
	}
	if (t->on_dsq != kParked) { // dispatched already, or served by the fail-safe
		st_.nr_cancel_dispatches++;
		return;
	}
	dsq_remove(ti);
	t->slice = d.slice_ns;
	t->user_slice = d.slice_ns;
	t->vtime = d.vtime;
	t->queued_ts = now_;
	dsq_push(target, ti);
	st_.nr_user_dispatches++;
	if (target == kShared)
		kick_idle_cpu(ti);
	else
		kick(d.cpu, d.flags & 1);
}

// Mirrors apply_decisions(): every decision in the ring. (No retry queue:
// in the model a task is parked before its record is made.)
void Engine::apply_decisions()
{
	if (decisions_sent_.empty())
		return;
	std::vector<scxcore::Decision> ds;
	ds.swap(decisions_sent_);
	for (const scxcore::Decision &d : ds)
		apply_decision(d);
}

// Mirrors usersched_late().
bool Engine::usersched_late() const
{
	if (!failsafe_ns_ || !dsqs_[kParked].n)
		return false;
	uint64_t ts = dsq_head_ts(kParked);
	return now_ > ts && now_ - ts > failsafe_ns_;
}

// Mirrors failsafe_enter().
void Engine::failsafe_enter()
{
	if (!failsafe_since_) {
		failsafe_since_ = now_ ? now_ : 1;
		st_.nr_failsafe_entries++;
	}
}

// Mirrors failsafe_leave().
void Engine::failsafe_leave()
{
	if (failsafe_since_) {
		st_.failsafe_ns += now_ - failsafe_since_;
		failsafe_since_ = 0;
	}
}

// Mirrors run_on(): a task that used up its slice and runs on, nothing else
// being here, does so for the slice of its last decision while tasks wait
// for user space (else the kernel refills SCX_SLICE_DFL).
void Engine::run_on(int32_t prev)
{
	Task &p = tasks_[prev];
	if (p.slice || opts_.enq_last || !dsqs_[kParked].n)
		return;
	p.slice = last_slice(p);
}

// Mirrors run_oldest_parked(): @c is about to idle; the first task in
// PARKED_DSQ (of the first 64) that may run on it runs there, and a PLACED
// record tells user space.
int32_t Engine::run_oldest_parked(int c)
{
	if (ring_len_ >= ring_cap_)
		return -1;
	int looked = 0;
	for (int32_t ti = dsqs_[kParked].head; ti >= 0 && looked++ < 64; ti = tasks_[ti].next) {
		Task &t = tasks_[ti];
		if (!allowed(t, c))
			continue;
		dsq_remove(ti);
		t.slice = last_slice(t);
		t.cpu = c;
		submit_placed(ti, 0);
		return ti;
	}
	return -1;
}

// Mirrors scxcore_dispatch(): user space's decisions, the fail-safe, then
// this CPU's DSQ and the shared one, oldest head first; then run_on() or
// run_oldest_parked(). (Its drain of a CPU DSQ that the CPU cannot take is
// not modelled: the model has no hotplug and no affinity changes.)
int32_t Engine::ops_dispatch(int c, bool prev_keeps_running)
{
	apply_decisions();
	if (failsafe_since_ && !usersched_late() && now_ - seen_ns_ < failsafe_ns_)
		failsafe_leave();
	if (usersched_late()) {
		failsafe_enter();
		int32_t ti = dsq_take(kParked, c);
		if (ti >= 0) {
			st_.nr_failsafe_dispatches++;
			return ti;
		}
	}
	int32_t ti;
	if (dsq_head_ts(2 + c) <= dsq_head_ts(kShared)) {
		ti = dsq_take(2 + c, c);
		if (ti < 0)
			ti = dsq_take(kShared, c);
	} else {
		ti = dsq_take(kShared, c);
		if (ti < 0)
			ti = dsq_take(2 + c, c);
	}
	if (ti >= 0)
		return ti;
	// This CPU ran dry: its task runs on (run_on()), or with
	// idle_runs_oldest a waiting task runs now; user space is woken to
	// refill the queues either way.
	if (prev_keeps_running)
		run_on(cpus_[c].curr);
	else if (opts_.idle_runs_oldest)
		ti = run_oldest_parked(c);
	if (nr_pending_ || st_.nr_queued)
		wake_usersched();
	return ti;
}

// Mirrors heartbeat_fn(), the BPF timer: the fail-safe's watch, and a nudge
// to user space (also while the fail-safe serves, so that it shows it is
// alive). (Its moving of CPU DSQs nobody serves is not modelled, as above.)
void Engine::heartbeat()
{
	if (usersched_late()) {
		failsafe_enter();
		kick_idle_cpu(dsqs_[kParked].head);
	} else if (failsafe_since_ && now_ - seen_ns_ < failsafe_ns_) {
		failsafe_leave();
	}
	if (nr_pending_ || failsafe_since_ || dsqs_[kParked].n)
		wake_usersched();
}

} // namespace scxsim
