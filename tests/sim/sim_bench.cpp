// SPDX-License-Identifier: GPL-2.0-only
// Google Benchmark of libscxcore-sim: scheduling events per second of wall
// time on one core, for a 64-CPU machine running 10k tasks, driven through
// the C ABI by a FIFO policy in the style of scx_rlfifo (dequeue a batch,
// scx_select_cpu, scx_dispatch, scx_notify). The "events" counter is the
// simulator's count of wake-ups, decisions, context switches and tasks
// leaving a CPU (scx_sim_nr_events()).
#include <scx/scxcore.h>
#include <scxsim.h>

#include <benchmark/benchmark.h>

#include <cstdio>
#include <string>
#include <unistd.h>

namespace {

std::string workload_file(int cpus, int tasks)
{
	char path[] = "/tmp/scxsim-bench-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		return "";
	char text[512];
	int n = snprintf(text, sizeof(text),
			 "machine cpus=%d smt=2 llc=16\n"
			 "task worker count=%d start=0..20ms\n"
			 "  loop\n"
			 "    run 20us..400us\n"
			 "    sleep 5ms..60ms\n"
			 "  end\n"
			 "end\n",
			 cpus, tasks);
	if (write(fd, text, (size_t)n) != n)
		n = -1;
	close(fd);
	return n < 0 ? "" : path;
}

// One simulated run of @secs virtual seconds; returns the events.
uint64_t run_fifo(const std::string &workload, const char *secs, bool builtin_idle)
{
	scx_sim_set("workload", workload.c_str());
	scx_sim_set("duration", secs);
	scx_sim_set("table", "none");
	scx_sim_set("output", "");
	scx_sim_set("clock", "real"); // Google Benchmark times with CLOCK_MONOTONIC
	struct scx_opts opts = {};
	opts.sz = sizeof(opts);
	opts.name = "benchfifo";
	opts.builtin_idle = builtin_idle;
	struct scx_sched *s;
	if (scx_init(&opts, &s))
		return 0;
	static struct scx_queued_task batch[512];
	while (!scx_exited(s)) {
		int n = 0;
		while (n < 512) {
			batch[n].sz = sizeof(batch[n]);
			if (scx_dequeue(s, &batch[n]) != 1)
				break;
			n++;
		}
		uint64_t slice = n ? SCX_SLICE_DEFAULT_NS / (uint64_t)n : SCX_SLICE_DEFAULT_NS;
		for (int i = 0; i < n; i++) {
			struct scx_dispatched_task d;
			int cpu = scx_select_cpu(s, batch[i].pid, batch[i].cpu, 0);
			scx_dispatched_task_init(&d, &batch[i]);
			d.cpu = cpu >= 0 ? cpu : SCX_CPU_ANY;
			d.slice_ns = slice;
			scx_dispatch(s, &d);
		}
		scx_notify(s, 0);
	}
	uint64_t ev = scx_sim_nr_events(s);
	scx_destroy(s);
	return ev;
}

void BM_Fifo64Cpus10kTasks(benchmark::State &state)
{
	std::string wl = workload_file(64, 10000);
	uint64_t events = 0;
	for (auto _ : state)
		events += run_fifo(wl, "1s", state.range(0) != 0);
	unlink(wl.c_str());
	state.counters["events"] = benchmark::Counter((double)events, benchmark::Counter::kIsRate);
	state.counters["events_per_run"] = benchmark::Counter((double)events, benchmark::Counter::kAvgIterations);
}

} // namespace

BENCHMARK(BM_Fifo64Cpus10kTasks)->Arg(0)->Arg(1)->ArgName("builtin_idle")->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
