// SPDX-License-Identifier: GPL-2.0-only
// The machine and the model of libscxcore's BPF backend (bpf/main.bpf.c).
//
// Virtual time only moves in notify() (and by the modelled cost of user
// space's own calls). Events are processed in (time, sequence) order, every
// random draw comes from the task's own stream seeded by (seed, pid): a run
// is a pure function of the workload, the seed, the options and what user
// space answers.
#include "engine_impl.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace scxsim {

namespace {

constexpr uint64_t kSliceDflKernel = 20000000; // SCX_SLICE_DFL: a kept task's refill
constexpr uint64_t kMinBurst = 1000;           // a wake-up's own CPU time when no run step follows
constexpr uint64_t kEnqWakeup = 1;             // SCX_TASK_WAKEUP
constexpr size_t kCompletionMax = 1000;

enum : uint32_t { EV_TASK, EV_HEARTBEAT, EV_WATCHDOG, EV_END };
enum { A_RUN, A_BLOCK, A_EXIT };

constexpr int kParked = 0, kShared = 1;

uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

} // namespace

// ---- construction --------------------------------------------------------

Engine::Engine(const Config &cfg, const scxcore::Options &opts, Workload &&w)
	: cfg_(cfg), opts_(opts), w_(std::move(w))
{
	ncpu_ = w_.cpus;
	words_ = (ncpu_ + 63) / 64;
	st_.nr_online_cpus = (uint64_t)ncpu_; // the model has no hotplug
	tick_ns_ = w_.hz ? 1000000000ULL / (uint64_t)w_.hz : 0;
	int llc = w_.llc ? w_.llc : ncpu_;
	int per_node = ncpu_ / w_.nodes;
	cpus_.resize(ncpu_);
	auto mask_of = [&](auto same) {
		std::vector<std::vector<uint64_t>> m(ncpu_, std::vector<uint64_t>(words_, 0));
		for (int a = 0; a < ncpu_; a++)
			for (int b = 0; b < ncpu_; b++)
				if (same(a, b))
					m[a][b >> 6] |= 1ULL << (b & 63);
		return m;
	};
	for (int c = 0; c < ncpu_; c++) {
		cpus_[c].core = c / w_.smt;
		cpus_[c].llc = c / llc;
		cpus_[c].node = c / per_node;
	}
	core_mask_ = mask_of([&](int a, int b) { return cpus_[a].core == cpus_[b].core; });
	llc_mask_ = mask_of([&](int a, int b) { return cpus_[a].llc == cpus_[b].llc; });
	node_mask_ = mask_of([&](int a, int b) { return cpus_[a].node == cpus_[b].node; });
	all_mask_.assign(words_, 0);
	for (int c = 0; c < ncpu_; c++)
		all_mask_[c >> 6] |= 1ULL << (c & 63);
	idle_ = all_mask_;
	idle_core_ = all_mask_;

	spec_mask_.resize(w_.specs.size());
	for (size_t s = 0; s < w_.specs.size(); s++) {
		if (w_.specs[s].cpus.empty())
			continue;
		spec_mask_[s].assign(words_, 0);
		for (int c : w_.specs[s].cpus)
			spec_mask_[s][c >> 6] |= 1ULL << (c & 63);
	}

	dsqs_.resize(2 + 2 * (size_t)ncpu_);
	while (tree_n_ < ncpu_)
		tree_n_ *= 2;
	tree_.assign(2 * (size_t)tree_n_, -1);
	cpu_t_.assign(ncpu_, kInf);
	cpu_seq_.assign(ncpu_, 0);
	for (int c = 0; c < ncpu_; c++)
		tree_[tree_n_ + c] = c;
	for (int c = 0; c < ncpu_; c++)
		cpu_set(c, kInf);
	cls_.resize(w_.classes.size());
	for (ClassStats &k : cls_)
		k.ran_on.assign(ncpu_, 0);
	ring_cap_ = cfg_.ring_records ? cfg_.ring_records : (size_t)scx_intf_ring_records(opts_.ring_size_kb);
	failsafe_ns_ = (uint64_t)opts_.failsafe_ms * 1000000;
	end_ns_ = cfg_.duration_ns ? cfg_.duration_ns : w_.duration_ns ? w_.duration_ns : 10000000000ULL;

	instances_.resize(w_.specs.size());
	size_t total = 0;
	for (const TaskSpec &s : w_.specs)
		total += (size_t)s.count * s.groups;
	tasks_.reserve(total + 16);
	heap_.reserve(total + 64);
	for (size_t s = 0; s < w_.specs.size(); s++) {
		instances_[s].resize(w_.specs[s].groups);
		for (int g = 0; g < w_.specs[s].groups; g++)
			for (int i = 0; i < w_.specs[s].count; i++)
				create_task((int)s, g, i, -1, (int)(tasks_.size() % (size_t)ncpu_));
	}
	push_event(end_ns_, EV_END, 0);
	push_event(failsafe_ns_ ? failsafe_ns_ / 2 : 50000000, EV_HEARTBEAT, 0);
	push_event((uint64_t)opts_.timeout_ms * 1000000 / 2, EV_WATCHDOG, 0);
	seen_ns_ = 0;
	set_now(0);
	user_enter_cpu(); // scx_init() runs on the scheduler's thread
}

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

// ---- events and time -----------------------------------------------------

void Engine::set_now(uint64_t t)
{
	now_ = t;
	clock_now_.store(t, std::memory_order_relaxed);
	if (cfg_.clock_out)
		cfg_.clock_out->store(t, std::memory_order_relaxed);
}

void Engine::push_event(uint64_t t, uint32_t kind, uint32_t id)
{
	Ev e{t, seq_++, kind, id};
	size_t i = heap_.size();
	heap_.push_back(e);
	while (i) {
		size_t p = (i - 1) / 4;
		if (!ev_less(e.t, e.seq, heap_[p].t, heap_[p].seq))
			break;
		heap_[i] = heap_[p];
		i = p;
	}
	heap_[i] = e;
}

Ev Engine::pop_event()
{
	Ev top = heap_[0], last = heap_.back();
	heap_.pop_back();
	size_t n = heap_.size();
	if (!n)
		return top;
	size_t i = 0;
	for (;;) {
		size_t c = 4 * i + 1;
		if (c >= n)
			break;
		size_t best = c, end = std::min(c + 4, n);
		for (size_t k = c + 1; k < end; k++)
			if (ev_less(heap_[k].t, heap_[k].seq, heap_[best].t, heap_[best].seq))
				best = k;
		if (!ev_less(heap_[best].t, heap_[best].seq, last.t, last.seq))
			break;
		heap_[i] = heap_[best];
		i = best;
	}
	heap_[i] = last;
	return top;
}

// Set CPU @c's next stop (kInf: none) and fix the tournament tree.
void Engine::cpu_set(int c, uint64_t t)
{
	cpu_t_[c] = t;
	cpu_seq_[c] = seq_++;
	for (size_t i = (size_t)(tree_n_ + c) / 2; i >= 1; i /= 2) {
		int32_t a = tree_[2 * i], b = tree_[2 * i + 1];
		int32_t w = a < 0 ? b
			   : b < 0 ? a
			   : ev_less(cpu_t_[b], cpu_seq_[b], cpu_t_[a], cpu_seq_[a]) ? b : a;
		tree_[i] = w;
	}
}

void Engine::handle(const Ev &e)
{
	switch (e.kind) {
	case EV_TASK: {
		Task &t = tasks_[e.id];
		bool wakeup = t.state != T_NEW;
		prepare_burst(t);
		wake((int32_t)e.id, wakeup);
		break;
	}
	case EV_HEARTBEAT:
		heartbeat();
		push_event(now_ + (failsafe_ns_ ? failsafe_ns_ / 2 : 50000000), EV_HEARTBEAT, 0);
		break;
	case EV_WATCHDOG:
		watchdog();
		push_event(now_ + (uint64_t)opts_.timeout_ms * 1000000 / 2, EV_WATCHDOG, 0);
		break;
	case EV_END: {
		char msg[128];
		snprintf(msg, sizeof(msg), "time limit of %.3f s (virtual) reached", (double)now_ / 1e9);
		request_exit(66 /* SCX_EXIT_UNREG_KERN */, "simulation complete", msg);
		break;
	}
	}
	process_resched();
}

// Process events up to @t (inclusive), then make @t the present. With
// @user_asleep, stop early when user space wakes up.
void Engine::run_until(uint64_t t, bool user_asleep)
{
	while (!exit_pending_) {
		uint64_t lim = t;
		if (user_asleep && user_wake_at_ < lim)
			lim = user_wake_at_;
		int32_t c = tree_[1];
		bool cpu_first = c >= 0 && cpu_t_[c] != kInf &&
				 (heap_.empty() || ev_less(cpu_t_[c], cpu_seq_[c], heap_[0].t, heap_[0].seq));
		uint64_t next = cpu_first ? cpu_t_[c] : heap_.empty() ? kInf : heap_[0].t;
		if (next > lim)
			break;
		set_now(next);
		if (cpu_first) {
			cpu_set(c, kInf);
			on_cpu_event(c);
			process_resched();
		} else {
			handle(pop_event());
		}
	}
	if (exit_pending_) {
		finalize();
		return;
	}
	uint64_t lim = user_asleep && user_wake_at_ < t ? user_wake_at_ : t;
	if (lim > now_)
		set_now(lim);
}

void Engine::request_exit(int64_t kind, const std::string &reason, const std::string &msg)
{
	if (exit_pending_ || exited_.load())
		return;
	exit_pending_ = true;
	exit_.kind = kind;
	exit_.reason = reason;
	exit_.msg = msg;
}

void Engine::finalize()
{
	if (exited_.load())
		return;
	exit_pending_ = true;
	for (int c = 0; c < ncpu_; c++)
		if (cpus_[c].curr >= 0)
			account(c);
	json_ = build_json();
	write_outputs();
	exited_.store(true);
}

// ---- task programs -------------------------------------------------------

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

// ---- DSQs ----------------------------------------------------------------

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

// ---- idle CPUs -----------------------------------------------------------

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

// ---- the BPF backend's model ---------------------------------------------

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

void Engine::kick_idle_cpu(int32_t ti)
{
	int c = pick_any_idle(tasks_[ti].mask);
	if (c >= 0)
		kick(c, false);
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

// A task becomes runnable: ops.runnable, ops.select_cpu, ops.enqueue.
void Engine::wake(int32_t ti, bool wakeup)
{
	Task &t = tasks_[ti];
	t.state = T_RUNNABLE;
	t.runnable_since = now_;
	t.exec_runtime = 0;
	t.wakeups++;
	events_++;
	if (opts_.builtin_idle && !nr_pending_ && !dsqs_[kParked].n) {
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

void Engine::insert_shared(int32_t ti)
{
	Task &t = tasks_[ti];
	t.queued_ts = now_;
	t.slice = opts_.slice_ns;
	dsq_push(kShared, ti);
	kick_idle_cpu(ti);
}

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
	st_.nr_queued++;
	// The record goes in without waking user space, which is woken only
	// when that is useful now: a CPU is idle, or a batch waits. Otherwise
	// the next CPU to run dry wakes it (ops_dispatch).
	if (ring_len_ >= opts_.wake_batch || any_idle())
		wake_usersched();
}

bool Engine::any_idle() const
{
	for (uint64_t w : idle_)
		if (w)
			return true;
	return false;
}

// wake_usersched(): a WAKE record, counted.
void Engine::wake_usersched()
{
	if (!user_sleeping_)
		return;
	user_sleeping_ = false;
	user_wake_at_ = now_ + cfg_.wake_ns;
	st_.nr_wakeups_sent++;
}

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
	t->vtime = d.vtime;
	t->queued_ts = now_;
	dsq_push(target, ti);
	st_.nr_user_dispatches++;
	if (target == kShared)
		kick_idle_cpu(ti);
	else
		kick(d.cpu, d.flags & 1);
}

bool Engine::usersched_late() const
{
	if (!failsafe_ns_ || !dsqs_[kParked].n)
		return false;
	uint64_t ts = dsq_head_ts(kParked);
	return now_ > ts && now_ - ts > failsafe_ns_;
}

void Engine::failsafe_enter()
{
	if (!failsafe_since_) {
		failsafe_since_ = now_ ? now_ : 1;
		st_.nr_failsafe_entries++;
	}
}

void Engine::failsafe_leave()
{
	if (failsafe_since_) {
		st_.failsafe_ns += now_ - failsafe_since_;
		failsafe_since_ = 0;
	}
}

// ops.dispatch(): the fail-safe, then this CPU's DSQ and the shared one,
// oldest head first.
int32_t Engine::ops_dispatch(int c)
{
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
	if (ti < 0 && (nr_pending_ || ring_len_)) // this CPU is about to idle
		wake_usersched();
	return ti;
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
		next = ops_dispatch(c);
	if (next < 0) {
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
	if (prev >= 0 && prev_runnable) {
		Task &p = tasks_[prev];
		stop_running(c);
		p.state = T_RUNNABLE;
		p.runnable_since = now_;
		p.preemptions++;
		ops_enqueue(prev, 0);
	}
	start(c, next);
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

// The BPF timer: the fail-safe's watch, and a nudge to user space.
void Engine::heartbeat()
{
	if (usersched_late()) {
		failsafe_enter();
		kick_idle_cpu(dsqs_[kParked].head);
	} else if (failsafe_since_ && now_ - seen_ns_ < failsafe_ns_) {
		failsafe_leave();
	}
	if (nr_pending_ || dsqs_[kParked].n)
		wake_usersched();
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

// ---- user space's calls --------------------------------------------------

int Engine::dequeue(scx_queued_task *out)
{
	if (exited_.load())
		return -ENODEV;
	if (!ring_len_)
		return 0;
	*out = ring_[ring_head_];
	ring_head_ = (ring_head_ + 1) % ring_.size();
	ring_len_--;
	st_.nr_queued--;
	const std::string &comm = w_.specs[tasks_[out->pid - kPidBase].spec].comm;
	memset(out->comm, 0, sizeof(out->comm));
	memcpy(out->comm, comm.data(), std::min(comm.size(), sizeof(out->comm) - 1));
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
	decisions_.push_back(x);
	user_cost_ += cfg_.dispatch_ns;
	return 0;
}

int Engine::select_cpu(int32_t pid, int32_t prev_cpu, bool idle_core)
{
	if (exited_.load())
		return -ENODEV;
	user_cost_ += cfg_.select_ns;
	Task *t = task_by_pid(pid);
	if (!t)
		return -ESRCH;
	int c = pick_idle(t->mask, prev_cpu, idle_core);
	return c >= 0 ? c : -EBUSY;
}

int Engine::notify(uint64_t nr_pending)
{
	nr_pending_ = nr_pending;
	nr_scheduled_.store(nr_pending, std::memory_order_relaxed);
	if (exited_.load())
		return -ENODEV;
	// The time user space took since it woke up, then its decisions.
	user_cost_ += cfg_.notify_ns;
	run_until(now_ + user_cost_, false);
	user_cost_ = 0;
	if (exited_.load())
		return -ENODEV;
	seen_ns_ = now_;
	for (const scxcore::Decision &d : decisions_)
		apply_decision(d);
	decisions_.clear();
	process_resched();
	if (ring_len_)
		return 0;
	// Sleep until woken or idle_wait_ms; the thread's CPU schedules meanwhile.
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

// ---- the public face -----------------------------------------------------

Sim::Sim(const Config &cfg, const scxcore::Options &opts, Workload &&w) : e_(new Engine(cfg, opts, std::move(w))) {}
Sim::~Sim() { delete e_; }
int Sim::dequeue(scx_queued_task *out) { return e_->dequeue(out); }
int Sim::dispatch(const scxcore::Decision &d) { return e_->dispatch(d); }
int Sim::select_cpu(int32_t pid, int32_t prev_cpu, bool idle_core) { return e_->select_cpu(pid, prev_cpu, idle_core); }
int Sim::notify(uint64_t nr_pending) { return e_->notify(nr_pending); }
void Sim::unregister() { e_->unregister(); }
bool Sim::exited() const { return e_->exited_.load(); }
scx_intf_stats Sim::stats() const { return e_->st_; }
uint64_t Sim::nr_scheduled() const { return e_->nr_scheduled_.load(std::memory_order_relaxed); }
int Sim::nr_cpus() const { return e_->ncpu_; }
int64_t Sim::exit_kind() const { return e_->exited_.load() ? e_->exit_.kind : 0; }
const std::string &Sim::exit_reason() const { return e_->exit_.reason; }
const std::string &Sim::exit_msg() const { return e_->exit_.msg; }
uint64_t Sim::now_ns() const { return e_->clock_now_.load(std::memory_order_relaxed); }
uint64_t Sim::nr_events() const { return e_->events_; }
int Sim::user_cpu() const { return e_->ucpu_seen_.load(std::memory_order_relaxed); }
const std::string &Sim::report_json() const { return e_->json_; }

void Sim::cpu_info(int cpu, int *core, int *llc, int *node) const
{
	*core = e_->cpus_[cpu].core;
	*llc = e_->cpus_[cpu].llc;
	*node = e_->cpus_[cpu].node;
}

std::vector<int> Sim::siblings(int cpu, int level) const
{
	const std::vector<uint64_t> &m =
		level == 0 ? e_->core_mask_[cpu] : level == 1 ? e_->llc_mask_[cpu] : e_->node_mask_[cpu];
	std::vector<int> out;
	for (int c = 0; c < e_->ncpu_; c++)
		if ((m[c >> 6] >> (c & 63)) & 1)
			out.push_back(c);
	return out;
}

} // namespace scxsim
