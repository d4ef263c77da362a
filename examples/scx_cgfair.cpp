// SPDX-License-Identifier: GPL-2.0-only
/*
 * scx_cgfair: CPU time shared across cgroups by their cpu.weight, then
 * across the tasks of each cgroup by their weight (nice), with each
 * cgroup's cpu.max honoured; on the C++ wrapper of libscxcore.
 *
 * Two levels of virtual time. A cgroup's vtime grows by the time its tasks
 * ran, scaled by 100 / its cpu.weight; a task's by the time it ran, scaled
 * by 100 / its weight. Whenever a CPU is idle, the cgroup with the lowest
 * vtime that has a task waiting runs its task with the lowest vtime there.
 * Tasks wait here otherwise: with enq_last, every slice end comes back to
 * this loop (the CPU idles for the round trip), so that the CPU time each
 * cgroup gets follows its weight whatever its number of tasks. A cgroup
 * that had nothing to run for 100 ms starts again one slice behind the
 * others, so that idling earns no credit. Cgroups are peers: a nested cgroup's weight is not
 * scaled by its parent's. A cgroup with cpu.idle 1 has weight 1.
 *
 * cpu.max: what a cgroup's tasks run is charged to the cgroup's period (a
 * slice is charged at its dispatch and corrected to what the task ran when
 * it comes back); once
 * the quota is used, its tasks wait here until the period ends (a timer
 * signal interrupts notify() then). A slice never exceeds the quota left,
 * and an overrun is carried into the next period, so that over many periods
 * the cgroup gets its quota per period. cpu.max.burst is not used.
 *
 * Settings come from scx_cgroup_info(3), cached and read again when
 * scx_cgroup_generation() moves (or each second for fields this kernel does
 * not report). Each second it prints a line per cgroup.
 */
#include <scx/scxcore.hpp>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <set>
#include <string>
#include <tuple>
#include <unistd.h>
#include <unordered_map>

namespace {

volatile std::sig_atomic_t g_stop;

uint64_t now_ns()
{
	using namespace std::chrono; // steady_clock is CLOCK_MONOTONIC, like the task timestamps
	return (uint64_t)duration_cast<nanoseconds>(steady_clock::now().time_since_epoch()).count();
}

constexpr uint64_t kSecond = 1000000000;
constexpr uint64_t kMinSliceNs = 250000; // shorter turns cost more than they share
constexpr uint32_t kFailsafeMs = 1500;   // above cpu.max's longest period (1 s)
// A cgroup with nothing waiting and nothing dispatched for this long is
// idle (its tasks sleep): it competes again from one slice behind the others.
constexpr uint64_t kIdleAfterNs = 100000000;

struct Config {
	uint64_t slice_ns = 5000000;
};

class CgroupFair {
public:
	CgroupFair(scx::Scheduler &s, const Config &cfg) : s_(s), cfg_(cfg)
	{
		for (int cpu = 0; cpu < s.nr_cpus(); cpu++)
			nr_online_ += s.cpu_info(cpu).online;
		struct sigevent ev = {};
		ev.sigev_notify = SIGEV_THREAD_ID;
		ev.sigev_signo = SIGALRM;
		ev._sigev_un._tid = gettid(); // this thread's notify() returns (glibc 2.36 names no macro)
		if (timer_create(CLOCK_MONOTONIC, &ev, &timer_))
			throw scx::Error(errno, "timer_create");
	}
	~CgroupFair() { timer_delete(timer_); }
	CgroupFair(const CgroupFair &) = delete;
	CgroupFair &operator=(const CgroupFair &) = delete;

	void run()
	{
		uint64_t next_stats = now_ns() + kSecond;
		while (!g_stop && !s_.exited()) {
			uint64_t now = now_ns();
			refresh_settings(now);
			while (auto t = s_.dequeue())
				enqueue(*t, now);
			place(now);
			if (now >= next_stats) {
				print_stats();
				forget_idle(now);
				next_stats += kSecond;
			}
			arm_timer();
			// Only what could run now: a throttled cgroup's tasks wait for
			// their period, not for a CPU to go idle.
			s_.notify(nr_runnable_);
		}
	}

	void print_stats() const
	{
		for (const auto &[id, g] : groups_)
			std::printf("cgroup %llu weight %u quota_us %lld period_us %llu waiting %zu ran_ms %llu "
				    "dispatched %llu throttled %llu\n",
				    (unsigned long long)id, g.weight, g.quota_ns ? (long long)(g.quota_ns / 1000) : -1LL,
				    (unsigned long long)(g.period_ns / 1000), g.waiting.size(),
				    (unsigned long long)(g.ran_ns / 1000000), (unsigned long long)g.nr_dispatched,
				    (unsigned long long)g.nr_throttled);
		scx::Stats st = s_.stats();
		std::printf("stats: user=%llu kernel=%llu cancel=%llu failsafe=%llu cgroup_generation=%llu\n",
			    (unsigned long long)st.nr_user_dispatches, (unsigned long long)st.nr_kernel_dispatches,
			    (unsigned long long)st.nr_cancel_dispatches, (unsigned long long)st.nr_failsafe_dispatches,
			    (unsigned long long)s_.cgroup_generation());
		std::fflush(stdout);
	}

private:
	struct Waiting {
		uint64_t vtime;
		scx::QueuedTask task;
		bool operator<(const Waiting &o) const // (pid, token) names one wait
		{
			return std::make_tuple(vtime, task.pid(), task.token()) <
			       std::make_tuple(o.vtime, o.task.pid(), o.task.token());
		}
	};
	struct Group {
		uint32_t weight = 100;
		uint64_t quota_ns = 0;     // 0: no limit
		uint64_t period_ns = 100000000;
		bool polled = false;       // some setting was read from cgroupfs: re-read each second
		uint64_t read_ns = 0;
		uint64_t vtime = 0;
		uint64_t task_vtime = 0;   // of its last task dispatched
		uint64_t last_dispatch_ns = 0;
		std::set<Waiting> waiting;
		uint64_t period_end = 0;
		uint64_t used_ns = 0;      // in this period, with the overrun carried over
		uint64_t ran_ns = 0, nr_dispatched = 0, nr_throttled = 0;
	};

	Group &group(uint64_t id, uint64_t now)
	{
		auto [it, fresh] = groups_.try_emplace(id);
		if (fresh) {
			read_settings(id, it->second, now);
			it->second.vtime = reference_vtime(&it->second);
		}
		return it->second;
	}

	void read_settings(uint64_t id, Group &g, uint64_t now)
	{
		g.read_ns = now;
		std::optional<scx::CgroupInfo> ci;
		if (id != SCX_CGROUP_UNKNOWN) {
			try {
				ci = s_.cgroup_info(id);
			} catch (const scx::Error &) {
				// The simulator, or cgroupfs unreadable: the defaults.
			}
		}
		if (!ci)
			return; // removed: its tasks show up in their new cgroup
		g.weight = (ci->flags & SCX_CGROUP_IDLE) ? 1 : std::max(ci->weight, 1u);
		g.quota_ns = ci->quota_us == SCX_CGROUP_NO_QUOTA ? 0 : ci->quota_us * 1000;
		g.period_ns = std::max<uint64_t>(ci->period_us * 1000, 1000000);
		g.polled = ci->flags & (SCX_CGROUP_READ_WEIGHT | SCX_CGROUP_READ_MAX | SCX_CGROUP_READ_IDLE);
	}

	void refresh_settings(uint64_t now)
	{
		uint64_t gen = s_.cgroup_generation();
		bool moved = gen != generation_;
		generation_ = gen;
		for (auto &[id, g] : groups_)
			if (moved || (g.polled && now - g.read_ns >= kSecond))
				read_settings(id, g, now);
	}

	// Charge what the task ran to its cgroup (the one it is in now: a move
	// is followed from its next run) and queue it there.
	void enqueue(const scx::QueuedTask &t, uint64_t now)
	{
		uint64_t ran = t.stop_ts() > t.start_ts() ? t.stop_ts() - t.start_ts() : 0;
		auto given = inflight_.find(t.pid());
		if (given != inflight_.end()) {
			// Its slice was charged at dispatch: give it back there.
			Group &was = group(given->second.cgroup, now);
			charge(was, -(int64_t)given->second.slice_ns, now);
			inflight_.erase(given);
		}
		Group &g = group(t.cgroup_id(), now);
		charge(g, (int64_t)ran, now);
		g.ran_ns += ran;
		if (g.waiting.empty() && now - g.last_dispatch_ns > kIdleAfterNs) {
			uint64_t ref = reference_vtime(&g); // idling earns no credit
			if (ref > cfg_.slice_ns)
				g.vtime = std::max(g.vtime, ref - cfg_.slice_ns);
		}
		uint64_t v = t.vtime() + ran * 100 / std::max(t.weight(), 1u);
		if ((t.wakeup() || t.vtime() == 0) && g.task_vtime > cfg_.slice_ns)
			v = std::max(v, g.task_vtime - cfg_.slice_ns);
		g.waiting.insert({v, t});
		if (throttled(g, now))
			g.nr_throttled++;
	}

	// The vtime a cgroup that starts to compete is held to: the lowest of
	// the others that have tasks waiting (the ones it competes with), else
	// the highest dispatched.
	uint64_t reference_vtime(const Group *except) const
	{
		uint64_t ref = ~0ULL;
		for (const auto &[id, g] : groups_)
			if (&g != except && !g.waiting.empty())
				ref = std::min(ref, g.vtime);
		return ref == ~0ULL ? vtime_now_ : ref;
	}

	// @ns of CPU time to @g's vtime and quota (negative: given back).
	void charge(Group &g, int64_t ns, uint64_t now)
	{
		auto add = [](uint64_t v, int64_t d) { return d >= 0 ? v + (uint64_t)d : v - std::min(v, (uint64_t)-d); };
		g.vtime = add(g.vtime, ns * 100 / (int64_t)g.weight);
		if (g.quota_ns) {
			roll_period(g, now);
			g.used_ns = add(g.used_ns, ns);
		}
	}

	void roll_period(Group &g, uint64_t now)
	{
		if (!g.period_end) {
			g.period_end = now + g.period_ns;
			return;
		}
		if (now < g.period_end)
			return;
		uint64_t periods = (now - g.period_end) / g.period_ns + 1;
		uint64_t allowance = periods * g.quota_ns;
		g.used_ns = g.used_ns > allowance ? g.used_ns - allowance : 0;
		g.period_end += periods * g.period_ns;
	}

	static bool over_quota(const Group &g) { return g.quota_ns && g.used_ns >= g.quota_ns; }

	bool throttled(Group &g, uint64_t now)
	{
		if (g.quota_ns)
			roll_period(g, now);
		return over_quota(g);
	}

	// While a CPU is idle: the lowest-vtime task of the lowest-vtime cgroup
	// that may run.
	void place(uint64_t now)
	{
		nr_runnable_ = 0;
		for (;;) {
			Group *best = nullptr;
			uint64_t best_id = 0;
			for (auto &[id, g] : groups_)
				if (!g.waiting.empty() && !throttled(g, now) && (!best || g.vtime < best->vtime)) {
					best = &g;
					best_id = id;
				}
			if (!best)
				break;
			auto it = best->waiting.begin();
			scx::CpuChoice cpu = s_.select_cpu(it->task);
			if (cpu.task_gone()) {
				best->waiting.erase(it); // it exited
				continue;
			}
			bool restricted = (int)it->task.nr_cpus_allowed() < nr_online_;
			if (!cpu && !restricted)
				break; // no CPU is idle: it waits for one
			// A task that may not use every CPU waits for its own in the kernel.
			if (!dispatch(*it, *best, best_id, cpu.value_or(SCX_CPU_ANY), now))
				break;
			best->waiting.erase(it);
		}
		for (auto &[id, g] : groups_)
			if (!throttled(g, now))
				nr_runnable_ += g.waiting.size();
	}

	bool dispatch(const Waiting &w, Group &g, uint64_t id, int cpu, uint64_t now)
	{
		uint64_t slice = cfg_.slice_ns;
		if (g.quota_ns)
			slice = std::min(slice, g.quota_ns - g.used_ns);
		slice = std::max(slice, kMinSliceNs);
		if (!s_.dispatch(scx::DispatchedTask(w.task).cpu(cpu).vtime(w.vtime).slice_ns(slice)))
			return false;
		inflight_[w.task.pid()] = {id, slice, now};
		charge(g, (int64_t)slice, now);
		g.task_vtime = std::max(g.task_vtime, w.vtime);
		g.last_dispatch_ns = now;
		g.nr_dispatched++;
		vtime_now_ = std::max(vtime_now_, g.vtime);
		return true;
	}

	// Cgroups with nothing waiting nor dispatched: forgotten (their state is
	// rebuilt when a task shows up there again); so are slices given 10 s
	// ago to tasks that never came back (they exited).
	void forget_idle(uint64_t now)
	{
		std::set<uint64_t> busy;
		for (auto it = inflight_.begin(); it != inflight_.end();) {
			if (now - it->second.at_ns > 10 * kSecond) {
				it = inflight_.erase(it);
				continue;
			}
			busy.insert(it->second.cgroup);
			++it;
		}
		for (auto it = groups_.begin(); it != groups_.end();)
			if (it->second.waiting.empty() && !busy.count(it->first))
				it = groups_.erase(it);
			else
				++it;
	}

	// Wake the loop when the first cgroup that holds tasks starts a period.
	void arm_timer()
	{
		uint64_t at = 0;
		for (const auto &[id, g] : groups_)
			if (!g.waiting.empty() && over_quota(g) && (!at || g.period_end < at))
				at = g.period_end;
		if (at == armed_at_)
			return;
		armed_at_ = at;
		struct itimerspec its = {};
		its.it_value.tv_sec = (time_t)(at / kSecond);
		its.it_value.tv_nsec = (long)(at % kSecond);
		timer_settime(timer_, TIMER_ABSTIME, &its, nullptr); // at 0: disarmed
	}

	struct Given {
		uint64_t cgroup;
		uint64_t slice_ns;
		uint64_t at_ns;
	};

	scx::Scheduler &s_;
	Config cfg_;
	int nr_online_ = 0;
	timer_t timer_{};
	uint64_t armed_at_ = 0;
	uint64_t generation_ = ~0ULL;
	uint64_t vtime_now_ = 0; // the highest cgroup vtime dispatched
	uint64_t nr_runnable_ = 0;
	std::unordered_map<uint64_t, Group> groups_;
	std::unordered_map<int32_t, Given> inflight_; // by pid: what its running slice was charged
};

void usage(const char *prog)
{
	std::printf("usage: %s [-s SLICE_US] [-v]\n"
		    "  -s SLICE_US   slice in microseconds (default 5000)\n"
		    "  -v            print libbpf's diagnostics\n"
		    "  -h, --help    this text\n", prog);
}

// A positive number, else 0.
uint64_t number(const char *s)
{
	char *end;
	uint64_t v = std::strtoull(s, &end, 10);
	return *s && !*end ? v : 0;
}

} // namespace

int main(int argc, char **argv)
{
	Config cfg;
	scx::Options opts;
	opts.name("cgfair");
	for (int i = 1; i < argc; i++) {
		std::string a = argv[i];
		bool has_value = i + 1 < argc && number(argv[i + 1]);
		if (a == "-h" || a == "--help") {
			usage(argv[0]);
			return 0;
		} else if (a == "-v") {
			opts.debug();
		} else if (a == "-s" && has_value) {
			cfg.slice_ns = number(argv[++i]) * 1000;
		} else {
			usage(argv[0]);
			return 2;
		}
	}
	// Every slice end is a decision here (enq_last): without it a task
	// alone on its CPU runs on with fresh slices we never hear of, past
	// its cgroup's quota and its share. Tasks of a cgroup over its quota
	// wait here up to a period (1 s at most): the fail-safe must not serve
	// them before.
	opts.slice_ns(cfg.slice_ns).enq_last().failsafe_ms(kFailsafeMs);

	struct sigaction sa = {};
	sa.sa_handler = [](int) { g_stop = 1; };
	sigaction(SIGINT, &sa, nullptr);
	sigaction(SIGTERM, &sa, nullptr);
	sa.sa_handler = [](int) {}; // the period timer: only interrupts notify()
	sigaction(SIGALRM, &sa, nullptr);

	try {
		for (;;) { // once per load; again when the kernel asks for a restart
			scx::Scheduler s(opts);
			std::printf("scx_cgfair: scheduling with libscxcore %s\n", std::string(scx::version()).c_str());
			CgroupFair cf(s, cfg);
			cf.run();
			cf.print_stats();
			scx::ExitInfo e = s.shutdown();
			std::printf("scx_cgfair: exit: %s (%s) %s\n", e.reason.c_str(), std::string(e.kind_str()).c_str(),
				    e.msg.c_str());
			std::fflush(stdout);
			if (g_stop || !e.should_restart)
				return e.error() ? 1 : 0;
			std::printf("scx_cgfair: restarting\n");
		}
	} catch (const scx::Error &e) {
		std::fprintf(stderr, "scx_cgfair: %s\n", e.what());
		return 1;
	}
}
