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
	RunReport r = snapshot();
	json_ = scxsim::report_json(r);
	write_report(r, json_);
	exited_.store(true);
}

RunReport Engine::snapshot() const
{
	RunReport r;
	r.cfg = cfg_;
	r.scheduler = opts_.name;
	r.workload = w_.name;
	r.opts = opts_;
	r.cpus = ncpu_;
	r.smt = w_.smt;
	r.llc_cpus = w_.llc ? w_.llc : ncpu_;
	r.nodes = w_.nodes;
	r.hz = w_.hz;
	r.duration_ns = now_;
	r.events = events_;
	r.tasks = tasks_.size();
	for (const Cpu &c : cpus_)
		r.busy_ns += c.busy;
	r.exit_kind = exit_.kind;
	r.exit_reason = exit_.reason;
	r.exit_msg = exit_.msg;
	r.user_cpu_ns = user_busy_ + (ucpu_ >= 0 ? now_ - user_since_ : 0);
	r.user_wakeups = user_wakeups_;
	r.user_bpf_calls = path_.bpf_calls();
	r.user_epoll_waits = path_.epoll_waits();
	r.user_preemptions = user_preemptions_;
	r.st = st_;
	for (size_t k = 0; k < cls_.size(); k++) {
		ClassSummary o;
		o.name = w_.classes[k];
		o.tasks = cls_[k].tasks;
		o.exits = cls_[k].exits;
		o.wait = cls_[k].wait;
		for (int c = 0; c < ncpu_; c++)
			if (cls_[k].ran_on[c])
				o.ran_on.push_back(c);
		double sx = 0, sxx = 0;
		uint64_t n = 0;
		for (const Task &t : tasks_) {
			if (t.cls != (int32_t)k)
				continue;
			o.runtime += t.runtime;
			o.switches += t.switches;
			o.migrations += t.migrations;
			o.preemptions += t.preemptions;
			o.bursts += t.bursts;
			o.wakeups += t.wakeups;
			uint64_t end = t.died < now_ ? t.died : now_;
			if (t.state == T_NEW || end <= t.born)
				continue;
			// Weight-normalised share of the CPU while it existed.
			double x = (double)t.runtime / (double)t.weight / (double)(end - t.born);
			sx += x;
			sxx += x * x;
			n++;
		}
		o.fairness = n && sxx > 0 ? sx * sx / ((double)n * sxx) : 1.0;
		r.classes.push_back(std::move(o));
	}
	for (int32_t ti : completion_) {
		const Task &t = tasks_[ti];
		r.completion.push_back({ti + kPidBase, t.group, w_.specs[t.spec].name, t.died});
	}
	return r;
}

// ---- the public face -----------------------------------------------------

Sim::Sim(const Config &cfg, const scxcore::Options &opts, Workload &&w) : e_(new Engine(cfg, opts, std::move(w))) {}
Sim::~Sim() { delete e_; }
int Sim::dequeue(scx_queued_task *out) { return e_->dequeue(out); }
int Sim::dispatch(const scxcore::Decision &d) { return e_->dispatch(d); }
int Sim::select_cpu(int32_t pid, int32_t prev_cpu, bool idle_core) { return e_->select_cpu(pid, prev_cpu, idle_core); }
int Sim::task_allows_cpu(int32_t pid, int32_t cpu) { return e_->task_allows_cpu(pid, cpu); }
int Sim::notify(uint64_t nr_pending) { return e_->notify(nr_pending); }
void Sim::unregister() { e_->unregister(); }
bool Sim::exited() const { return e_->exited(); }
scx_intf_stats Sim::stats() const { return e_->stats(); }
uint64_t Sim::nr_scheduled() const { return e_->nr_scheduled(); }
int Sim::nr_cpus() const { return e_->nr_cpus(); }
int64_t Sim::exit_kind() const { return e_->exited() ? e_->exit_info().kind : 0; }
const std::string &Sim::exit_reason() const { return e_->exit_info().reason; }
const std::string &Sim::exit_msg() const { return e_->exit_info().msg; }
uint64_t Sim::now_ns() const { return e_->now_ns(); }
uint64_t Sim::nr_events() const { return e_->nr_events(); }
int Sim::user_cpu() const { return e_->user_cpu(); }
const std::string &Sim::report_json() const { return e_->report_json(); }

bool Sim::cgroup(uint64_t id, CgroupSpec *out) const
{
	const std::vector<CgroupSpec> &cgroups = e_->workload().cgroups;
	if (id == kRootCgroupId) {
		*out = CgroupSpec{};
		return true;
	}
	if (id < kCgroupIdBase || id - kCgroupIdBase >= cgroups.size())
		return false;
	*out = cgroups[id - kCgroupIdBase];
	return true;
}

void Sim::cpu_info(int cpu, int *core, int *llc, int *node) const
{
	*core = e_->cpu(cpu).core;
	*llc = e_->cpu(cpu).llc;
	*node = e_->cpu(cpu).node;
}

std::vector<int> Sim::siblings(int cpu, int level) const
{
	const std::vector<uint64_t> &m = e_->level_mask(cpu, level);
	std::vector<int> out;
	for (int c = 0; c < e_->nr_cpus(); c++)
		if ((m[c >> 6] >> (c & 63)) & 1)
			out.push_back(c);
	return out;
}

} // namespace scxsim
