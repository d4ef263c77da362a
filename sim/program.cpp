// SPDX-License-Identifier: GPL-2.0-only
// The simulator's workload interpreter: the tasks' programs (run, sleep,
// send, loop, fork, exit steps) and their random draws.
#include "engine_impl.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace scxsim {

void Engine::create_task(int spec, int group, int index, int parent, int cpu)
{
	const TaskSpec &s = w_.specs[spec];
	int32_t ti = (int32_t)tasks_.size();
	tasks_.emplace_back();
	Task &t = tasks_.back();
	t.spec = spec;
	t.group = group;
	t.index = index;
	t.parent = parent;
	t.cls = 0;
	for (size_t c = 0; c < w_.classes.size(); c++)
		if (w_.classes[c] == s.cls)
			t.cls = (int32_t)c;
	t.weight = s.weight;
	t.mask = spec_mask_[spec].empty() ? all_mask_.data() : spec_mask_[spec].data();
	t.nr_allowed = s.cpus.empty() ? (uint32_t)ncpu_ : 0;
	if (!t.nr_allowed)
		for (int w = 0; w < words_; w++)
			t.nr_allowed += (uint32_t)__builtin_popcountll(t.mask[w]);
	t.cpu = cpu;
	if (!allowed(t, cpu))
		for (int c = 0; c < ncpu_; c++)
			if (allowed(t, c)) {
				t.cpu = c;
				break;
			}
	t.rng = cfg_.seed * 0x9e3779b97f4a7c15ULL ^ ((uint64_t)(ti + kPidBase) << 32) ^ (uint64_t)spec;
	splitmix(&t.rng);
	cls_[t.cls].tasks++;
	alive_++;
	if (parent < 0) {
		instances_[spec][group].push_back(ti);
		t.born = sample(t, s.start);
		push_event(t.born, EV_TASK, (uint32_t)ti);
	}
}

uint64_t Engine::sample(Task &t, const Dur &d)
{
	switch (d.kind) {
	case Dur::FIXED:
		return d.lo;
	case Dur::UNIFORM:
		return d.hi == d.lo ? d.lo : d.lo + splitmix(&t.rng) % (d.hi - d.lo + 1);
	case Dur::EXP: {
		double u = (double)(splitmix(&t.rng) >> 11) * (1.0 / 9007199254740992.0);
		double v = -std::log1p(-u) * (double)d.lo;
		double cap = 20.0 * (double)d.lo;
		return (uint64_t)(v > cap ? cap : v);
	}
	}
	return d.lo;
}

// LOOP/END: returns false when the step is not one of them.
bool Engine::loop_control(Task &t, const Step &s)
{
	if (s.op == Op::LOOP) {
		if (t.depth < 8)
			t.loops[t.depth++] = {t.pc, s.count};
		t.pc++;
		return true;
	}
	if (s.op == Op::END) {
		if (!t.depth) {
			t.pc++;
			return true;
		}
		auto &l = t.loops[t.depth - 1];
		if (l.left == 0 || --l.left > 0) {
			t.pc = l.at + 1;
		} else {
			t.depth--;
			t.pc++;
		}
		return true;
	}
	return false;
}

// A task that becomes runnable first needs the CPU for its next run step,
// or briefly to reach its next blocking step.
void Engine::prepare_burst(Task &t)
{
	const std::vector<Step> &prog = w_.specs[t.spec].prog;
	for (int guard = 0; guard < 64 && t.pc < (int32_t)prog.size(); guard++)
		if (!loop_control(t, prog[t.pc]))
			break;
	if (t.pc < (int32_t)prog.size() && prog[t.pc].op == Op::RUN) {
		t.burst = sample(t, prog[t.pc].d);
		t.pc++;
	} else {
		t.burst = kMinBurst;
	}
	if (!t.burst)
		t.burst = 1;
}

// After a burst, on its CPU: runs the steps that take no time until the
// next burst (A_RUN), a block (A_BLOCK) or the end (A_EXIT).
int Engine::advance(Task &t)
{
	const std::vector<Step> &prog = w_.specs[t.spec].prog;
	for (uint32_t guard = 0;; guard++) {
		if (guard > 100000) { // a loop of sends and forks only: let time pass
			t.burst = kMinBurst;
			return A_RUN;
		}
		if (t.pc >= (int32_t)prog.size())
			return A_EXIT;
		const Step &s = prog[t.pc];
		switch (s.op) {
		case Op::RUN:
			t.burst = sample(t, s.d);
			if (!t.burst)
				t.burst = 1;
			t.pc++;
			return A_RUN;
		case Op::SLEEP: {
			uint64_t d = sample(t, s.d);
			t.pc++;
			t.state = T_SLEEPING;
			push_event(now_ + d, EV_TASK, (uint32_t)(&t - tasks_.data()));
			return A_BLOCK;
		}
		case Op::SEND:
			if (!send(t, s))
				return A_BLOCK;
			t.pc++;
			break;
		case Op::RECV:
			if (t.msgs >= s.n) {
				t.msgs -= s.n;
				t.pc++;
				consumed(t);
				break;
			}
			t.need = s.n;
			t.state = T_BLOCKED;
			return A_BLOCK;
		case Op::SPAWN: {
			t.pc++;
			int32_t me = (int32_t)(&t - tasks_.data());
			int cpu = t.cpu, group = t.group;
			for (uint32_t i = 0; i < s.n; i++) {
				create_task(s.target, group, 0, me, cpu);
				int32_t child = (int32_t)tasks_.size() - 1;
				tasks_[child].born = now_;
				prepare_burst(tasks_[child]);
				wake(child, false);
			}
			// tasks_ may have moved: do not touch @t below.
			return advance(tasks_[me]);
		}
		case Op::LOOP:
		case Op::END:
			loop_control(t, s);
			break;
		case Op::EXIT:
			return A_EXIT;
		}
	}
}

// Deliver @s.n messages to each target in turn, from where a blocked send
// left off; false (the task blocks) at a full inbox, as a write to a full
// pipe does.
bool Engine::send(Task &t, const Step &s)
{
	const TaskSpec &me = w_.specs[t.spec], &to = w_.specs[s.target];
	const auto &groups = instances_[s.target];
	int g0 = 0, g1 = to.groups;
	if (to.groups == me.groups) {
		g0 = t.group;
		g1 = t.group + 1;
	}
	int32_t i = 0, me_ti = (int32_t)(&t - tasks_.data());
	for (int g = g0; g < g1; g++) {
		for (int32_t ti : groups[g]) {
			if (i++ < t.send_next)
				continue;
			Task &r = tasks_[ti];
			if (to.inbox && r.state != T_EXITED && r.msgs && r.msgs + s.n > to.inbox) {
				t.send_next = i - 1;
				t.blocked_on = ti;
				t.state = T_BLOCKED;
				r.senders.push_back(me_ti);
				return false;
			}
			deliver(ti, s.n);
		}
	}
	t.send_next = 0;
	return true;
}

// @t took messages from its inbox (or exited): once a sixteenth of a full
// inbox is free (a pipe frees a page at a time), the senders blocked on it
// go on.
void Engine::consumed(Task &t)
{
	if (t.senders.empty())
		return;
	uint32_t cap = w_.specs[t.spec].inbox;
	if (cap && t.msgs + cap / 16 > cap)
		return;
	std::vector<int32_t> waiting;
	waiting.swap(t.senders);
	for (int32_t si : waiting) {
		Task &w = tasks_[si];
		w.blocked_on = -1;
		prepare_burst(w);
		wake(si, true);
	}
}

void Engine::deliver(int32_t ti, uint32_t n)
{
	Task &t = tasks_[ti];
	if (t.state == T_EXITED)
		return;
	t.msgs += n;
	if (t.state == T_BLOCKED && t.blocked_on < 0 && t.msgs >= t.need) {
		t.msgs -= t.need;
		t.need = 0;
		t.pc++;
		prepare_burst(t);
		wake(ti, true);
		consumed(t);
	}
}

void Engine::exit_task(int32_t ti)
{
	Task &t = tasks_[ti];
	t.state = T_EXITED;
	t.died = now_;
	cls_[t.cls].exits++;
	if (completion_.size() < kCompletionMax)
		completion_.push_back(ti);
	if (t.parent >= 0)
		deliver(t.parent, 1);
	t.msgs = 0; // nobody reads its inbox any more: senders blocked on it go on
	consumed(t);
	if (--alive_ == 0) {
		char msg[128];
		snprintf(msg, sizeof(msg), "every task exited at %.6f s (virtual)", (double)now_ / 1e9);
		request_exit(66 /* SCX_EXIT_UNREG_KERN */, "simulation complete", msg);
	}
}

Task *Engine::task_by_pid(int32_t pid)
{
	int64_t i = (int64_t)pid - kPidBase;
	if (i < 0 || i >= (int64_t)tasks_.size() || tasks_[i].state == T_EXITED)
		return nullptr;
	return &tasks_[i];
}

} // namespace scxsim
