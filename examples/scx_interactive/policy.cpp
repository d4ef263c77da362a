// SPDX-License-Identifier: GPL-2.0-only
/*
 * scx_interactive: the scheduling policy (see policy.hpp).
 */
#include "policy.hpp"

#include <algorithm>
#include <ctime>
#include <iterator>
#include <sched.h>

namespace interactive {

namespace {

// How many held tasks a placement looks at when the first ones may not run
// on the CPU at hand, and how many select_cpu() calls (system calls) a
// round may spend on tasks that cannot run everywhere.
constexpr int kMaxScan = 16;
constexpr int kMaxRestrictedProbes = 64;
// How many held tasks a round looks at for a place behind a busy CPU's task.
constexpr int kMaxBehindScan = 256;
// Forget tasks not seen for this long (they exited, or sleep for long: seen
// again, such a task starts afresh at the virtual clock).
constexpr uint64_t kForgetNs = 10ULL * 1000000000;

uint64_t scale_by_weight(uint64_t ns, uint32_t weight)
{
	return ns * 100 / std::max<uint32_t>(weight, 1);
}

} // namespace

uint64_t now_ns()
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts); // the clock of the task timestamps
	return (uint64_t)ts.tv_sec * 1000000000 + (uint64_t)ts.tv_nsec;
}

Policy::Policy(scx::Scheduler &s, const Config &cfg) : s_(s), cfg_(cfg)
{
	nr_cpus_ = s.nr_cpus();
	llc_of_.assign((size_t)nr_cpus_, -1);
	slots_.assign((size_t)nr_cpus_, Slot());
	for (int cpu = 0; cpu < nr_cpus_; cpu++) {
		scx::CpuInfo ci = s.cpu_info(cpu);
		if (ci.online) {
			nr_online_++;
			llc_of_[(size_t)cpu] = ci.llc_id;
		}
	}
	nr_online_ = std::max(nr_online_, 1);
}

IntervalStats Policy::take_interval()
{
	IntervalStats out = iv_;
	iv_ = IntervalStats();
	iv_.queue_max = queue_.size();
	return out;
}

void Policy::schedule()
{
	uint64_t now = now_ns();

	iv_.rounds++;
	freed_.clear();
	// The loop's CPU ran what we had put there when the loop slept: if
	// that task is not back, it went to sleep and the CPU is free.
	if (slept_ns_ && valid_cpu(slept_cpu_)) {
		const Slot &s = slots_[(size_t)slept_cpu_];
		if (s.pid() && s.since_ns < slept_ns_)
			vacate(slept_cpu_, now); // also if we forgot that task
	}
	update_clock(now);
	size_t taken = 0;
	while (auto t = s_.dequeue()) {
		enqueue(*t, now);
		taken++;
	}
	iv_.empty += !taken;
	iv_.queue_max = std::max(iv_.queue_max, queue_.size());
	update_clock(now);

	dispatch_overdue(now);
	dispatch_refill(now);
	dispatch_idle(now);
	dispatch_expired(now);
	if (cfg_.preempt)
		dispatch_preempt(now);
	dispatch_behind(now);

	if (now >= next_gc_ns_) {
		forget_old_tasks(now);
		next_gc_ns_ = now + 1000000000;
	}
}

void Policy::enqueue(const scx::QueuedTask &t, uint64_t now)
{
	auto [it, is_new] = tasks_.try_emplace(t.pid());
	TaskState &st = it->second;
	uint32_t w = t.weight();

	release_slot(t.pid(), now);
	if (!t.wakeup())
		cpu_left(t.cpu(), t.start_ts(), now);
	st.seen_ns = now;

	// Charge the last run once (a task can be queued again without having
	// run, e.g. after a change of affinity).
	uint64_t ran = 0;
	if (t.stop_ts() > t.start_ts() && t.stop_ts() != st.last_stop_ts)
		ran = t.stop_ts() - t.start_ts();
	st.last_stop_ts = t.stop_ts();

	// A task new to this program (new, or last seen before a restart or
	// long ago) starts at the clock. (Not t.vtime(): a placed run had no
	// decision to carry its vruntime.)
	uint64_t vruntime = is_new ? clock_ : st.vruntime;
	if (is_new)
		st.avg_burst_ns = cfg_.slice_min_ns; // neutral until it shows its bursts
	vruntime += scale_by_weight(ran, w);

	st.burst_ns += ran;
	if (t.wakeup()) {
		// The run just charged ended its last burst.
		st.avg_burst_ns = (3 * st.avg_burst_ns + st.burst_ns) / 4;
		st.burst_ns = 0;
		// At most one slice of credit for the time it slept.
		uint64_t credit = cfg_.wake_credit_ns();
		if (clock_ > credit)
			vruntime = std::max(vruntime, clock_ - credit);
	}

	uint64_t typical = std::max(st.avg_burst_ns, st.burst_ns);
	uint64_t allowance = std::min(typical, cfg_.allowance_max_ns());
	Key k{vruntime + scale_by_weight(allowance, w), t.pid(), t.token()};
	Held h{t, vruntime, typical < cfg_.interactive_ns(),
	       (int)t.nr_cpus_allowed() < nr_online_};
	st.vruntime = vruntime;
	// A new record of a task held here replaces its old wait (it was
	// queued again, its affinity changed, say, or the fail-safe ran it and
	// it woke again): a decision for that one would be cancelled and leave
	// the CPU chosen for it idle.
	if (st.held && st.held->token != t.token()) {
		auto old = queue_.find(*st.held);
		if (old != queue_.end())
			forget(old);
	}
	if (t.placed()) { // it runs already: nothing to decide
		if (valid_cpu(t.cpu()))
			slots_[(size_t)t.cpu()].behind.clear(); // the CPU was idle: those ran
		occupy(t.cpu(), Placement{k, vruntime, w, !h.interactive, slice_ns()}, now);
		iv_.placed++;
		return;
	}
	// A short-burst task not ahead of the clock (it used no more than its
	// share) goes before every task waiting here.
	if (h.interactive && vruntime <= clock_ && !queue_.empty() && queue_.begin()->first.deadline)
		k.deadline = std::min(k.deadline, queue_.begin()->first.deadline - 1);

	if (queue_.emplace(k, h).second) { // else: the same wait reported twice
		by_age_.emplace(t.enqueue_ts(), k);
		vruntimes_.insert(vruntime);
		st.held = k;
	}
}

bool Policy::wait()
{
	bool slept = false;
	int cpu = sched_getcpu();
	uint64_t start = now_ns();
	bool ok = s_.notify(queue_.size(), &slept);
	slept_cpu_ = cpu;
	slept_ns_ = slept ? start : 0;
	return ok;
}

void Policy::update_clock(uint64_t now)
{
	// The lowest vruntime of the tasks that wait here and of those that
	// run where we put them, counting these as running ever since (one
	// that went to sleep instead soon stops holding the clock back).
	uint64_t low = vruntimes_.empty() ? UINT64_MAX : *vruntimes_.begin();
	for (const Slot &s : slots_) {
		if (s.pid())
			low = std::min(low, s.run.vruntime + scale_by_weight(now - s.since_ns, s.run.weight));
		for (const Placement &n : s.behind)
			low = std::min(low, n.vruntime);
	}
	if (low != UINT64_MAX)
		clock_ = std::max(clock_, low);
}

// Tasks that waited too long, oldest first, out of deadline order: to a CPU
// freed in this round, else to the CPU they last ran on (preempting what
// runs there if its slice is over, else next in line).
void Policy::dispatch_overdue(uint64_t now)
{
	while (!by_age_.empty()) {
		auto [since, key] = *by_age_.begin();
		if (now <= since || now - since < cfg_.max_wait_ns)
			return;
		auto it = queue_.find(key);
		if (it == queue_.end()) { // cannot happen; do not loop on it
			by_age_.erase(by_age_.begin());
			continue;
		}
		const Held &h = it->second;
		int prev = h.task.cpu();
		int cpu = valid_cpu(prev) && may_run(h, prev) ? prev : SCX_CPU_ANY;
		bool preempt = cpu != SCX_CPU_ANY && expired(cpu, now) && cpu != sched_getcpu() &&
			       slots_[(size_t)cpu].behind.empty(); // those run first anyway
		for (int f : freed_) {
			if (!slots_[(size_t)f].pid() && may_run(h, f)) {
				cpu = f;
				preempt = false;
				break;
			}
		}
		if (!dispatch(it, cpu, preempt, now))
			return;
		iv_.overdue++;
	}
}

Policy::Queue::iterator Policy::best_for(int cpu)
{
	int scanned = 0;
	for (auto it = queue_.begin(); it != queue_.end() && scanned < kMaxScan; ++it, scanned++)
		if (may_run(it->second, cpu))
			return it;
	return queue_.end();
}

// CPUs whose task came back this round: the best task for each, the CPU
// this loop runs on first (the best task runs there as soon as we sleep,
// without waking another CPU).
void Policy::dispatch_refill(uint64_t now)
{
	auto self = std::find(freed_.begin(), freed_.end(), sched_getcpu());
	if (self != freed_.end())
		std::rotate(freed_.begin(), self, self + 1);
	for (int cpu : freed_) {
		if (queue_.empty())
			return;
		if (slots_[(size_t)cpu].pid())
			continue; // taken already
		auto it = best_for(cpu);
		if (it == queue_.end())
			continue;
		if (!dispatch(it, cpu, false, now))
			return;
		iv_.refill++;
	}
}

// Earliest deadline first, to idle CPUs, while there are some.
void Policy::dispatch_idle(uint64_t now)
{
	int probes = 0;

	for (auto it = queue_.begin(); it != queue_.end();) {
		const Held &h = it->second;

		if (h.restricted && ++probes > kMaxRestrictedProbes)
			return;
		scx::CpuChoice cpu = s_.select_cpu(h.task); // prefers its previous CPU
		if (cpu.task_gone()) {
			it = forget(it); // it exited: nothing to run
			continue;
		}
		if (!cpu) {
			if (!h.restricted)
				return; // no CPU is idle at all
			++it;       // none it may use is: try the next task
			continue;
		}
		auto next = std::next(it);
		slots_[(size_t)*cpu].behind.clear(); // the CPU is idle: those ran
		if (!dispatch(it, *cpu, false, now))
			return;
		iv_.to_idle++;
		it = next;
	}
}

// CPUs whose task used up its slice (or whose task we do not know): the
// best task for each preempts it, if its deadline is earlier than the
// running task's now is. The CPU this loop runs on needs no preemption: it
// is free as soon as the loop sleeps.
void Policy::dispatch_expired(uint64_t now)
{
	int self = sched_getcpu();

	for (int i = -1; i < nr_cpus_ && !queue_.empty(); i++) {
		int cpu = i < 0 ? self : i; // this loop's CPU first
		if (!valid_cpu(cpu) || (i >= 0 && cpu == self) || !expired(cpu, now) ||
		    !slots_[(size_t)cpu].behind.empty())
			continue; // (a task queued behind takes over when the slice ends)
		auto it = best_for(cpu);
		if (it == queue_.end())
			continue;
		Slot &s = slots_[(size_t)cpu];
		if (s.pid() && cpu != self &&
		    it->first.deadline >= s.run.key.deadline + scale_by_weight(now - s.since_ns, s.run.weight)) {
			// What runs there is still the better choice (its deadline
			// moved by what it ran since): another slice.
			s.end_ns = now + slice_ns();
			continue;
		}
		if (!dispatch(it, cpu, cpu != self, now))
			return;
		if (cpu == self)
			iv_.handoff++;
		else
			iv_.expired++;
	}
}

// Short-burst tasks that still wait, in deadline order: each may take
// the CPU of the running hog with the latest deadline after its own.
void Policy::dispatch_preempt(uint64_t now)
{
	int self = sched_getcpu();
	int scanned = 0;

	for (auto it = queue_.begin(); it != queue_.end() && scanned < nr_online_; scanned++) {
		auto next = std::next(it);
		if (it->second.interactive) {
			int cpu = find_victim(it->first, it->second, self, now);
			if (cpu < 0)
				return; // the next ones have later deadlines: no victim either
			if (!dispatch(it, cpu, true, now))
				return;
			iv_.preempted++;
		}
		it = next;
	}
}

int Policy::find_victim(const Key &k, const Held &h, int self_cpu, uint64_t now) const
{
	auto eligible = [&](int cpu) {
		if (!valid_cpu(cpu) || cpu == self_cpu)
			return false;
		const Slot &s = slots_[(size_t)cpu];
		// A hog that has run a little, with a later deadline.
		return s.pid() && s.behind.empty() && s.run.hog && now - s.since_ns >= cfg_.slice_min_ns / 8 &&
		       s.run.key.deadline > k.deadline && may_run(h, cpu);
	};
	int prev = h.task.cpu();

	if (eligible(prev))
		return prev;
	int prev_llc = valid_cpu(prev) ? llc_of_[(size_t)prev] : -1;
	int best = -1, best_same_llc = -1;
	for (int cpu = 0; cpu < nr_cpus_; cpu++) {
		if (!eligible(cpu))
			continue;
		uint64_t dl = slots_[(size_t)cpu].run.key.deadline;
		if (best < 0 || dl > slots_[(size_t)best].run.key.deadline)
			best = cpu;
		if (llc_of_[(size_t)cpu] == prev_llc &&
		    (best_same_llc < 0 || dl > slots_[(size_t)best_same_llc].run.key.deadline))
			best_same_llc = cpu;
	}
	return best_same_llc >= 0 ? best_same_llc : best;
}

// Held tasks that may run on only some CPUs, none of them free (they are
// still held after the passes above), in deadline order: each may wait
// behind the task running on one of its CPUs, up to --behind per CPU.
void Policy::dispatch_behind(uint64_t now)
{
	int scanned = 0;
	size_t room = 0;

	for (const Slot &s : slots_)
		room += behind_room(s);
	for (auto it = queue_.begin(); it != queue_.end() && scanned < kMaxBehindScan && room; scanned++) {
		auto next = std::next(it);
		if (it->second.restricted) {
			int cpu = behind_cpu(it->second);
			if (cpu >= 0) {
				if (!dispatch(it, cpu, false, now, true))
					return;
				iv_.behind++;
				room--;
			}
		}
		it = next;
	}
}

int Policy::behind_cpu(const Held &h) const
{
	auto open = [&](int cpu) { return valid_cpu(cpu) && behind_room(slots_[(size_t)cpu]) && may_run(h, cpu); };
	int prev = h.task.cpu();

	if (open(prev))
		return prev;
	for (int cpu = 0; cpu < nr_cpus_; cpu++)
		if (cpu != prev && open(cpu))
			return cpu;
	return -1;
}

size_t Policy::behind_room(const Slot &s) const
{
	// Not behind a CPU hog: the CPU is not about to idle, and a FIFO of
	// hogs would share it by turns, not by weight and deadline.
	if (!s.pid() || s.run.hog || (!s.behind.empty() && s.behind.back().hog) || s.behind.size() >= cfg_.behind)
		return 0;
	return cfg_.behind - s.behind.size();
}

bool Policy::may_run(const Held &h, int cpu) const
{
	return !h.restricted || s_.allows_cpu(h.task, cpu);
}

bool Policy::expired(int cpu, uint64_t now) const
{
	const Slot &s = slots_[(size_t)cpu];
	return !s.pid() || now >= s.end_ns;
}

uint64_t Policy::slice_ns() const
{
	// The base slice while at most as many tasks wait as there are CPUs,
	// then shorter in proportion, so that the queue drains in about one
	// base slice.
	uint64_t n = queue_.size();
	uint64_t cpus = (uint64_t)nr_online_;
	uint64_t slice = cfg_.slice_ns * cpus / (cpus + n);
	return std::max(slice, cfg_.slice_min_ns);
}

bool Policy::dispatch(Queue::iterator it, int cpu, bool preempt, uint64_t now, bool behind)
{
	const Key k = it->first;
	const Held h = it->second;
	uint64_t slice = slice_ns();
	scx::DispatchedTask d(h.task);

	d.cpu(cpu).slice_ns(slice).vtime(h.vruntime).preempt(preempt);
	if (!s_.dispatch(d))
		return false;
	uint64_t since = h.task.enqueue_ts();
	uint64_t wait = now > since ? now - since : 0;
	uint64_t lag = clock_ > k.deadline ? clock_ - k.deadline : 0;
	iv_.dispatched++;
	iv_.wait_sum_ns += wait;
	iv_.wait_max_ns = std::max(iv_.wait_max_ns, wait);
	iv_.lag_sum_ns += lag;
	iv_.lag_max_ns = std::max(iv_.lag_max_ns, lag);

	forget(it);
	Placement p{k, h.vruntime, h.task.weight(), !h.interactive, slice};
	if (behind && valid_cpu(cpu)) {
		slots_[(size_t)cpu].behind.push_back(p);
		take_slot(k.pid, cpu);
	} else {
		occupy(cpu, p, now);
	}
	return true;
}

void Policy::occupy(int cpu, const Placement &p, uint64_t now)
{
	if (!valid_cpu(cpu))
		return;
	Slot &s = slots_[(size_t)cpu];
	if (s.pid() != p.key.pid) // preempted, queued behind, or gone to sleep
		unslot(s.pid(), cpu);
	s.run = p;
	s.since_ns = now;
	s.end_ns = now + p.slice_ns;
	take_slot(p.key.pid, cpu);
}

Policy::Queue::iterator Policy::forget(Queue::iterator it)
{
	by_age_.erase({it->second.task.enqueue_ts(), it->first});
	auto vr = vruntimes_.find(it->second.vruntime);
	if (vr != vruntimes_.end())
		vruntimes_.erase(vr);
	auto ts = tasks_.find(it->first.pid);
	if (ts != tasks_.end() && ts->second.held && ts->second.held->token == it->first.token)
		ts->second.held.reset();
	return queue_.erase(it);
}

void Policy::mark_free(int cpu)
{
	if (valid_cpu(cpu) && std::find(freed_.begin(), freed_.end(), cpu) == freed_.end())
		freed_.push_back(cpu);
}

void Policy::release_slot(int32_t pid, uint64_t now)
{
	auto it = tasks_.find(pid);
	if (it == tasks_.end() || it->second.slot < 0)
		return;
	int cpu = it->second.slot;
	it->second.slot = -1;
	Slot &s = slots_[(size_t)cpu];
	auto n = std::find_if(s.behind.begin(), s.behind.end(), [&](const Placement &b) { return b.key.pid == pid; });
	if (n != s.behind.end()) {
		// A task queued behind came back: it ran, so those before it
		// left too.
		for (auto b = s.behind.begin(); b != n; ++b)
			unslot(b->key.pid, cpu);
		s.behind.erase(s.behind.begin(), n + 1);
		vacate(cpu, now);
		return;
	}
	if (s.pid() == pid)
		vacate(cpu, now);
}

void Policy::cpu_left(int cpu, uint64_t start_ts, uint64_t now)
{
	if (!valid_cpu(cpu))
		return;
	const Slot &s = slots_[(size_t)cpu];
	if (s.pid() && s.since_ns > start_ts)
		return; // the task we put there since runs next
	if (s.pid())
		vacate(cpu, now);
	else
		mark_free(cpu);
}

void Policy::vacate(int cpu, uint64_t now)
{
	Slot &s = slots_[(size_t)cpu];
	unslot(s.pid(), cpu);
	std::vector<Placement> behind = std::move(s.behind);
	s = Slot();
	if (behind.empty()) {
		mark_free(cpu);
		return;
	}
	Placement next = behind.front();
	behind.erase(behind.begin());
	occupy(cpu, next, now);
	s.behind = std::move(behind);
}

void Policy::take_slot(int32_t pid, int cpu)
{
	auto it = tasks_.find(pid);
	if (it != tasks_.end())
		it->second.slot = cpu;
}

void Policy::unslot(int32_t pid, int cpu)
{
	auto it = pid ? tasks_.find(pid) : tasks_.end();
	if (it != tasks_.end() && it->second.slot == cpu)
		it->second.slot = -1;
}

void Policy::forget_old_tasks(uint64_t now)
{
	for (auto it = tasks_.begin(); it != tasks_.end();) {
		if (now - it->second.seen_ns < kForgetNs) {
			++it;
			continue;
		}
		int cpu = it->second.slot;
		if (cpu >= 0) {
			Slot &s = slots_[(size_t)cpu];
			if (s.pid() == it->first)
				vacate(cpu, now);
			else
				s.behind.erase(std::remove_if(s.behind.begin(), s.behind.end(),
							      [&](const Placement &b) { return b.key.pid == it->first; }),
					       s.behind.end());
		}
		it = tasks_.erase(it);
	}
}

} // namespace interactive
