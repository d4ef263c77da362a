// SPDX-License-Identifier: GPL-2.0-only
/*
 * scx_interactive: an interactive sched_ext scheduler whose policy runs in
 * user space, on libscxcore's C++ wrapper (scxcore.hpp). The policy is in
 * policy.hpp; `scx_interactive --help` lists the options.
 *
 * Loads the scheduler, runs the policy until SIGINT/SIGTERM or until the
 * kernel stops it, and loads it again when the kernel asks (should_restart,
 * e.g. after CPU hotplug).
 */
#include "config.hpp"
#include "policy.hpp"
#include "stats.hpp"

#include <scx/scxcore.hpp>

#include <csignal>
#include <ctime>
#include <cstdio>
#include <string>

namespace {

volatile std::sig_atomic_t g_stop;

void on_signal(int) { g_stop = 1; }

const char *kProg = "scx_interactive";

uint64_t process_cpu_ns()
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + (uint64_t)ts.tv_nsec;
}

// Runs one load of the scheduler until it exits or a signal comes.
void run(scx::Scheduler &s, const interactive::Config &cfg, unsigned restarts, uint64_t t0)
{
	interactive::Policy policy(s, cfg);
	const uint64_t interval = (uint64_t)(cfg.stats_interval_s * 1e9);
	uint64_t last = interactive::now_ns();
	uint64_t last_cpu = process_cpu_ns();
	uint64_t next = last + interval;

	auto report = [&](uint64_t now) {
		interactive::IntervalStats iv = policy.take_interval();
		scx::Stats st = s.stats();
		uint64_t cpu = process_cpu_ns();
		double pct = now > last ? 100.0 * (double)(cpu - last_cpu) / (double)(now - last) : 0;
		interactive::Report r{(double)(now - t0) / 1e9, (double)(now - last) / 1e9, restarts,
				      st, iv, policy.queue_len(), policy.nr_tasks_known(), pct};
		last_cpu = cpu;
		if (cfg.stats_json)
			interactive::print_json(stdout, r);
		else
			interactive::print_text(stdout, r);
		last = now;
	};

	while (!g_stop && !s.exited()) {
		policy.schedule();
		if (interval) {
			uint64_t now = interactive::now_ns();
			if (now >= next) {
				report(now);
				next = now - next < interval ? next + interval : now + interval;
			}
		}
		policy.wait();
	}
	if (interval)
		report(interactive::now_ns()); // the last (partial) interval
}

} // namespace

int main(int argc, char **argv)
{
	interactive::Config cfg;

	switch (interactive::parse_args(argc, argv, cfg)) {
	case interactive::ParseResult::Run:
		break;
	case interactive::ParseResult::Help:
		return 0;
	case interactive::ParseResult::Error:
		return 2;
	}

	// With --stats-json, stdout carries JSON only.
	FILE *log = cfg.stats_json ? stderr : stdout;
	scx::Options opts;
	opts.name(cfg.name)
		.slice_ns(cfg.slice_ns)        // for the tasks the kernel side places itself
		.exit_dump_len(cfg.exit_dump_len)
		.partial(cfg.partial)
		.idle_wait_ms(cfg.idle_wait_ms)
		// A waking task may preempt a hog: it must reach the policy at
		// once, not in a batch (0: the library's default).
		.wake_batch(cfg.preempt ? 1 : 0)
		.wake_to_idle_prev(!cfg.user_wakeups)
		.idle_runs_oldest(!cfg.user_wakeups)
		.linger_ms(cfg.linger_ms)
		.takeover(cfg.take_over ? SCX_TAKEOVER_OR_LOAD : SCX_TAKEOVER_NEVER)
		.host_subs(cfg.host_subs)
		.debug(cfg.verbose);
	if (!cfg.sub_cgroup.empty())
		opts.sub_cgroup(cfg.sub_cgroup);

	struct sigaction sa = {};
	sa.sa_handler = on_signal; // no SA_RESTART: a signal ends notify()'s sleep
	sigaction(SIGINT, &sa, nullptr);
	sigaction(SIGTERM, &sa, nullptr);

	const uint64_t t0 = interactive::now_ns();
	unsigned restarts = 0;
	try {
		for (;;) { // once per load
			scx::Scheduler s(opts);
			std::fprintf(log,
				     "%s: scheduling with libscxcore %s (slice %llu us, min %llu us%s%s)\n",
				     kProg, std::string(scx::version()).c_str(),
				     (unsigned long long)(cfg.slice_ns / 1000),
				     (unsigned long long)(cfg.slice_min_ns / 1000),
				     cfg.partial ? ", partial" : "", cfg.preempt ? "" : ", no preemption");
			std::fflush(log);
			run(s, cfg, restarts, t0);

			scx::ExitInfo e = s.shutdown();
			std::fprintf(log, "%s: exit: %s (%s)%s%s\n", kProg, e.reason.c_str(),
				     std::string(e.kind_str()).c_str(), e.msg.empty() ? "" : ": ",
				     e.msg.c_str());
			if (!e.dump.empty())
				std::fprintf(log, "%s\n", e.dump.c_str());
			std::fflush(log);
			if (g_stop || !e.should_restart)
				return e.error() ? 1 : 0;
			restarts++;
			std::fprintf(log, "%s: the kernel asks for a restart: loading again (%u)\n",
				     kProg, restarts);
		}
	} catch (const scx::Error &e) {
		std::fprintf(stderr, "%s: %s\n", kProg, e.what());
		return 1;
	}
}
