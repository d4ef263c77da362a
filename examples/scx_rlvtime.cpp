// SPDX-License-Identifier: GPL-2.0-only
/*
 * scx_rlvtime: a weighted virtual-time scheduler in user space, on the C++
 * wrapper of libscxcore (scxcore.hpp).
 *
 * A task's vtime grows by the time it ran, scaled by 100 / its weight; the
 * task with the lowest vtime runs first. Woken tasks start no earlier than
 * one slice behind the current vtime, so sleepers cannot hoard credit.
 * Tasks go to an idle CPU while there is one; the others wait here, and
 * notify() tells the kernel side how many, so that it wakes us when a CPU
 * goes idle. No task waits here long: past --max-wait-ms, or when more than
 * --max-held wait, they go to the first CPU that frees up.
 */
#include <scx/scxcore.hpp>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <tuple>

namespace {

volatile std::sig_atomic_t g_stop;

uint64_t now_ns()
{
	using namespace std::chrono; // steady_clock is CLOCK_MONOTONIC, like the task timestamps
	return (uint64_t)duration_cast<nanoseconds>(steady_clock::now().time_since_epoch()).count();
}

struct Config {
	uint64_t slice_ns = 5000000;
	uint64_t max_wait_ns = 5000000;
	size_t max_held = 32;
};

class VtimeScheduler {
public:
	VtimeScheduler(scx::Scheduler &s, const Config &cfg) : s_(s), cfg_(cfg)
	{
		for (int cpu = 0; cpu < s.nr_cpus(); cpu++)
			nr_online_ += s.cpu_info(cpu).online;
	}

	void run()
	{
		uint64_t next_stats = now_ns() + 1000000000;
		while (!g_stop && !s_.exited()) {
			while (auto t = s_.dequeue())
				enqueue(*t);
			place_on_idle_cpus();
			release_overdue();
			if (now_ns() >= next_stats) {
				print_stats();
				next_stats += 1000000000;
			}
			s_.notify(held_.size());
		}
	}

	void print_stats() const
	{
		scx::Stats st = s_.stats();
		std::printf("held=%zu vtime=%llu running=%llu user=%llu kernel=%llu cancel=%llu "
			    "bounce=%llu failed=%llu failsafe=%llu\n",
			    held_.size(), (unsigned long long)vtime_now_, (unsigned long long)st.nr_running,
			    (unsigned long long)st.nr_user_dispatches, (unsigned long long)st.nr_kernel_dispatches,
			    (unsigned long long)st.nr_cancel_dispatches, (unsigned long long)st.nr_bounce_dispatches,
			    (unsigned long long)st.nr_failed_dispatches,
			    (unsigned long long)st.nr_failsafe_dispatches);
		std::fflush(stdout);
	}

private:
	struct Held {
		uint64_t vtime;
		scx::QueuedTask task;
		bool operator<(const Held &o) const // (pid, token) names one wait
		{
			return std::make_tuple(vtime, task.pid(), task.token()) <
			       std::make_tuple(o.vtime, o.task.pid(), o.task.token());
		}
	};

	void enqueue(const scx::QueuedTask &t)
	{
		// Charge the last run, weighted: vruntime += runtime * 100 / weight.
		uint64_t ran = t.stop_ts() > t.start_ts() ? t.stop_ts() - t.start_ts() : 0;
		uint64_t vtime = t.vtime() + ran * 100 / std::max(t.weight(), 1u);
		if ((t.wakeup() || t.vtime() == 0) && vtime_now_ > cfg_.slice_ns)
			vtime = std::max(vtime, vtime_now_ - cfg_.slice_ns);
		held_.insert({vtime, t});
	}

	// Lowest vtime first, while there are idle CPUs.
	void place_on_idle_cpus()
	{
		for (auto it = held_.begin(); it != held_.end();) {
			scx::CpuChoice cpu = s_.select_cpu(it->task);
			if (cpu.task_gone()) {
				it = held_.erase(it); // it exited: nothing to run
				continue;
			}
			if (!cpu) {
				if ((int)it->task.nr_cpus_allowed() >= nr_online_)
					return; // no CPU is idle at all
				++it;       // none of its CPUs is: try the next task
				continue;
			}
			if (!dispatch(*it, *cpu))
				return;
			it = held_.erase(it);
		}
	}

	// Tasks that waited too long, or too many waiting: the first free CPU.
	void release_overdue()
	{
		uint64_t now = now_ns();
		for (auto it = held_.begin(); it != held_.end();) {
			uint64_t since = it->task.enqueue_ts();
			bool overdue = now > since && now - since > cfg_.max_wait_ns;
			if (!overdue && held_.size() <= cfg_.max_held) {
				++it;
				continue;
			}
			if (!dispatch(*it, SCX_CPU_ANY))
				return;
			it = held_.erase(it);
		}
	}

	bool dispatch(const Held &h, int cpu)
	{
		vtime_now_ = std::max(vtime_now_, h.vtime);
		return s_.dispatch(scx::DispatchedTask(h.task).cpu(cpu).vtime(h.vtime).slice_ns(cfg_.slice_ns));
	}

	scx::Scheduler &s_;
	Config cfg_;
	int nr_online_ = 0;
	uint64_t vtime_now_ = 0;
	std::set<Held> held_;
};

void usage(const char *prog)
{
	std::printf("usage: %s [-s SLICE_US] [-w MAX_WAIT_MS] [-n MAX_HELD] [-v]\n"
		    "  -s SLICE_US     slice in microseconds (default 5000)\n"
		    "  -w MAX_WAIT_MS  longest a task waits here before any CPU takes it (default 5)\n"
		    "  -n MAX_HELD     most tasks held here at once (default 32)\n"
		    "  -v              print libbpf's diagnostics\n"
		    "  -h, --help      this text\n", prog);
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
	opts.name("rlvtime");
	for (int i = 1; i < argc; i++) {
		std::string a = argv[i];
		bool has_value = i + 1 < argc;
		if (a == "-h" || a == "--help") {
			usage(argv[0]);
			return 0;
		} else if (a == "-v") {
			opts.debug();
		} else if (a == "-s" && has_value && number(argv[i + 1])) {
			cfg.slice_ns = number(argv[++i]) * 1000;
		} else if (a == "-w" && has_value && number(argv[i + 1])) {
			cfg.max_wait_ns = number(argv[++i]) * 1000000;
		} else if (a == "-n" && has_value) {
			cfg.max_held = number(argv[++i]);
		} else {
			usage(argv[0]);
			return 2;
		}
	}
	// Wake up at least every 20 ms even when nothing happens, so that held
	// tasks never wait for long; the library rejects a bad slice.
	opts.slice_ns(cfg.slice_ns).idle_wait_ms(20);

	struct sigaction sa = {};
	sa.sa_handler = [](int) { g_stop = 1; };
	sigaction(SIGINT, &sa, nullptr);
	sigaction(SIGTERM, &sa, nullptr);

	try {
		for (;;) { // once per load; again when the kernel asks for a restart
			scx::Scheduler s(opts);
			std::printf("scx_rlvtime: scheduling with libscxcore %s\n",
				    std::string(scx::version()).c_str());
			VtimeScheduler vs(s, cfg);
			vs.run();
			vs.print_stats();
			scx::ExitInfo e = s.shutdown();
			std::printf("scx_rlvtime: exit: %s (%s) %s\n", e.reason.c_str(),
				    std::string(e.kind_str()).c_str(), e.msg.c_str());
			if (!e.dump.empty())
				std::printf("%s\n", e.dump.c_str());
			std::fflush(stdout);
			if (g_stop || !e.should_restart)
				return e.error() ? 1 : 0;
			std::printf("scx_rlvtime: restarting\n");
		}
	} catch (const scx::Error &e) {
		std::fprintf(stderr, "scx_rlvtime: %s\n", e.what());
		return 1;
	}
}
