// SPDX-License-Identifier: GPL-2.0-only
/*
 * scx_interactive: command-line parsing. Every value is checked here, before
 * anything is loaded into the kernel.
 */
#include "config.hpp"

#include <scx/scxcore.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <getopt.h>

namespace interactive {

namespace {

constexpr uint64_t kSliceMinUs = SCX_SLICE_MIN_NS / 1000; // the library's range
constexpr uint64_t kSliceMaxUs = SCX_SLICE_MAX_NS / 1000;
constexpr uint64_t kExitDumpMax = 1 << 20;
constexpr double kStatsMaxS = 3600;
constexpr uint64_t kBehindMax = 1024;

void usage(const char *prog, FILE *f)
{
	Config d;
	std::fprintf(f,
		"usage: %s [OPTIONS]\n"
		"\n"
		"An interactive sched_ext scheduler whose policy runs in user space: tasks run\n"
		"earliest virtual deadline first, where deadline = vruntime + a latency\n"
		"allowance that is small for tasks that sleep often. Needs root and a kernel\n"
		"with sched_ext. Ctrl-C (SIGINT) or SIGTERM unloads it.\n"
		"\n"
		"options:\n"
		"  -s, --slice-us US        base time slice, in microseconds, given when few\n"
		"                           tasks wait; it shrinks as the queue grows\n"
		"                           (%llu..%llu, default %llu)\n"
		"  -m, --slice-us-min US    shortest slice, in microseconds, however long the\n"
		"                           queue (%llu..--slice-us, default %llu)\n"
		"  -p, --partial            schedule only tasks set to SCHED_EXT; the others\n"
		"                           stay with the fair class (default: all tasks)\n"
		"  -S, --stats SECS         print statistics every SECS seconds (decimals\n"
		"                           allowed, 0.1..%g; default: none)\n"
		"  -j, --stats-json         print the statistics as one JSON object per\n"
		"                           interval on stdout, other messages on stderr\n"
		"                           (interval: --stats, default 1 s)\n"
		"  -d, --exit-dump-len BYTES  keep this many bytes of the kernel's debug dump\n"
		"                           when the scheduler is ejected, and print them\n"
		"                           (0..%llu, default 0)\n"
		"  -n, --no-preempt         never preempt a CPU hog for a short-burst task\n"
		"                           (slices are still enforced)\n"
		"  -u, --user-wakeups       every task waits for this program (default: a\n"
		"                           wake-up whose previous CPU is idle runs there at\n"
		"                           once, and a CPU whose task blocked, with nothing\n"
		"                           sent to it, runs the task waiting longest; the\n"
		"                           policy accounts for them afterwards)\n"
		"  -b, --behind N           at most N tasks wait in a busy CPU's queue behind\n"
		"                           its task: tasks that may run on only some CPUs,\n"
		"                           none of them free, so that the CPU runs them at\n"
		"                           its next switches instead of idling until this\n"
		"                           program answers (0..%llu, default %u; 0: none)\n"
		"  -l, --linger-ms MS       outlive this process: if it dies, the kernel side\n"
		"                           runs tasks for up to MS ms (0..%u), waiting for a\n"
		"                           successor (--take-over); default 0: unload with it\n"
		"  -t, --take-over          take over the running scheduler of this --name\n"
		"                           (started with --linger-ms, by this program or\n"
		"                           another, e.g. scx_rlfifo -l), else load one\n"
		"  -H, --host-subs          let sub-schedulers serve cgroups below this one\n"
		"                           (Linux 7.3+)\n"
		"  -C, --sub-cgroup PATH    schedule only this cgroup's tasks (an absolute\n"
		"                           path), as a sub-scheduler of the one serving its\n"
		"                           parent (Linux 7.3+; run this program in PATH)\n"
		"  -N, --name NAME          the scheduler's name (default interactive)\n"
		"  -v, --verbose            print the library's and libbpf's diagnostics\n"
		"  -h, --help               this text\n"
		"\n"
		"Tasks whose typical burst (run between two sleeps) is under %llu ms are\n"
		"short-burst tasks; a CPU hog's latency allowance is %llu ms (weight 100).\n"
		"A task waiting %llu ms here is dispatched out of order.\n"
		"\n"
		"statistics: the library's counters (see scx_stats(): user, kernel,\n"
		"cancel, bounce, failed, invalid, clamped, congested, failsafe...; totals\n"
		"since the load), restarts, and per interval:\n"
		"  rounds       wake-ups of the scheduling loop; cpu_pct: its CPU use (%%)\n"
		"  queue        tasks waiting here at the end; queue_max: most at once\n"
		"  dispatched   tasks placed: refill (on a CPU whose task came back),\n"
		"               idle (idle CPU), handoff (the loop's own CPU), expired\n"
		"               (preempting a task whose slice is over), preempted (a\n"
		"               short-burst task preempting a hog), overdue, behind\n"
		"               (queued behind the task running on a busy CPU); placed:\n"
		"               ran at once on its idle previous CPU\n"
		"  wait_*_us    mean/max time a task waited here, microseconds\n"
		"  lag_*_us     deadline lag: by how much the virtual clock had passed a\n"
		"               task's deadline when it was dispatched (mean/max, us)\n"
		"\n"
		"exit status: 0 after SIGINT/SIGTERM or a hand-over, 1 when the kernel ejected the\n"
		"scheduler or it could not load, 2 for bad options.\n",
		prog, (unsigned long long)kSliceMinUs, (unsigned long long)kSliceMaxUs,
		(unsigned long long)(d.slice_ns / 1000), (unsigned long long)kSliceMinUs,
		(unsigned long long)(d.slice_min_ns / 1000), kStatsMaxS,
		(unsigned long long)kExitDumpMax, (unsigned long long)kBehindMax, d.behind, SCX_LINGER_MAX_MS,
		(unsigned long long)(d.interactive_ns() / 1000000),
		(unsigned long long)(d.allowance_max_ns() / 1000000),
		(unsigned long long)(d.max_wait_ns / 1000000));
}

// A whole decimal number without sign, else false.
bool parse_u64(const char *s, uint64_t &out)
{
	if (!s || *s < '0' || *s > '9')
		return false;
	errno = 0;
	char *end;
	unsigned long long v = std::strtoull(s, &end, 10);
	if (errno || *end)
		return false;
	out = v;
	return true;
}

bool parse_seconds(const char *s, double &out)
{
	if (!s || !*s)
		return false;
	errno = 0;
	char *end;
	double v = std::strtod(s, &end);
	if (errno || *end || !std::isfinite(v))
		return false;
	out = v;
	return true;
}

ParseResult bad(const char *prog, const char *opt, const char *value, const char *expect)
{
	std::fprintf(stderr, "%s: invalid %s '%s': expected %s\n", prog, opt, value, expect);
	return ParseResult::Error;
}

// @opt's value (optarg): a whole number of @unit in @lo..@hi into @out,
// else false after the message.
bool parse_in_range(const char *prog, const char *opt, const char *unit, uint64_t lo, uint64_t hi, uint64_t &out)
{
	if (parse_u64(optarg, out) && out >= lo && out <= hi)
		return true;
	char range[96];
	std::snprintf(range, sizeof(range), "%s, %llu..%llu", unit, (unsigned long long)lo, (unsigned long long)hi);
	bad(prog, opt, optarg, range);
	return false;
}

} // namespace

ParseResult parse_args(int argc, char **argv, Config &cfg)
{
	static const struct option longopts[] = {
		{"slice-us", required_argument, nullptr, 's'},
		{"slice-us-min", required_argument, nullptr, 'm'},
		{"partial", no_argument, nullptr, 'p'},
		{"stats", required_argument, nullptr, 'S'},
		{"stats-json", no_argument, nullptr, 'j'},
		{"exit-dump-len", required_argument, nullptr, 'd'},
		{"no-preempt", no_argument, nullptr, 'n'},
		{"linger-ms", required_argument, nullptr, 'l'},
		{"take-over", no_argument, nullptr, 't'},
		{"host-subs", no_argument, nullptr, 'H'},
		{"sub-cgroup", required_argument, nullptr, 'C'},
		{"name", required_argument, nullptr, 'N'},
		{"verbose", no_argument, nullptr, 'v'},
		{"user-wakeups", no_argument, nullptr, 'u'},
		{"behind", required_argument, nullptr, 'b'},
		{"help", no_argument, nullptr, 'h'},
		{nullptr, 0, nullptr, 0},
	};
	const char *prog = argc > 0 ? argv[0] : "scx_interactive";
	bool slice_min_set = false;
	int c;

	opterr = 0; // our own messages
	while ((c = getopt_long(argc, argv, ":s:m:pS:jd:nl:tHC:N:ub:vh", longopts, nullptr)) != -1) {
		uint64_t v = 0;
		double secs = 0;

		switch (c) {
		case 's':
			if (!parse_in_range(prog, "--slice-us", "microseconds", kSliceMinUs, kSliceMaxUs, v))
				return ParseResult::Error;
			cfg.slice_ns = v * 1000;
			break;
		case 'm':
			if (!parse_in_range(prog, "--slice-us-min", "microseconds", kSliceMinUs, kSliceMaxUs, v))
				return ParseResult::Error;
			cfg.slice_min_ns = v * 1000;
			slice_min_set = true;
			break;
		case 'p':
			cfg.partial = true;
			break;
		case 'S':
			if (!parse_seconds(optarg, secs) || secs < 0.1 || secs > kStatsMaxS) {
				char range[32];
				std::snprintf(range, sizeof(range), "seconds, 0.1..%g", kStatsMaxS);
				return bad(prog, "--stats", optarg, range);
			}
			cfg.stats_interval_s = secs;
			break;
		case 'j':
			cfg.stats_json = true;
			break;
		case 'd':
			if (!parse_in_range(prog, "--exit-dump-len", "bytes", 0, kExitDumpMax, v))
				return ParseResult::Error;
			cfg.exit_dump_len = (uint32_t)v;
			break;
		case 'n':
			cfg.preempt = false;
			break;
		case 'l':
			if (!parse_in_range(prog, "--linger-ms", "milliseconds", 0, SCX_LINGER_MAX_MS, v))
				return ParseResult::Error;
			cfg.linger_ms = (uint32_t)v;
			break;
		case 't':
			cfg.take_over = true;
			break;
		case 'H':
			cfg.host_subs = true;
			break;
		case 'C':
			if (optarg[0] != '/')
				return bad(prog, "--sub-cgroup", optarg, "an absolute cgroup v2 path");
			cfg.sub_cgroup = optarg;
			break;
		case 'N':
			cfg.name = optarg; // the library checks it
			break;
		case 'u':
			cfg.user_wakeups = true;
			break;
		case 'b':
			if (!parse_in_range(prog, "--behind", "tasks per CPU", 0, kBehindMax, v))
				return ParseResult::Error;
			cfg.behind = (uint32_t)v;
			break;
		case 'v':
			cfg.verbose = true;
			break;
		case 'h':
			usage(prog, stdout);
			return ParseResult::Help;
		case ':':
			std::fprintf(stderr, "%s: option '%s' needs a value (see --help)\n", prog,
				     argv[optind - 1]);
			return ParseResult::Error;
		default:
			if (optopt)
				std::fprintf(stderr, "%s: unknown option '-%c' (see --help)\n", prog, optopt);
			else
				std::fprintf(stderr, "%s: unknown option '%s' (see --help)\n", prog,
					     argv[optind - 1]);
			return ParseResult::Error;
		}
	}
	if (optind < argc) {
		std::fprintf(stderr, "%s: unexpected argument '%s' (see --help)\n", prog, argv[optind]);
		return ParseResult::Error;
	}
	if (!slice_min_set && cfg.slice_min_ns > cfg.slice_ns)
		cfg.slice_min_ns = cfg.slice_ns; // a short --slice-us lowers the default floor
	if (cfg.slice_min_ns > cfg.slice_ns) {
		std::fprintf(stderr, "%s: --slice-us-min (%llu) must not exceed --slice-us (%llu)\n",
			     prog, (unsigned long long)(cfg.slice_min_ns / 1000),
			     (unsigned long long)(cfg.slice_ns / 1000));
		return ParseResult::Error;
	}
	if ((cfg.host_subs || !cfg.sub_cgroup.empty()) && (cfg.take_over || cfg.linger_ms)) {
		std::fprintf(stderr, "%s: %s cannot be combined with --take-over or --linger-ms\n", prog,
			     cfg.host_subs ? "--host-subs" : "--sub-cgroup");
		return ParseResult::Error;
	}
	if (cfg.host_subs && !cfg.sub_cgroup.empty()) {
		std::fprintf(stderr, "%s: --host-subs and --sub-cgroup together: nested sub-schedulers are not supported\n",
			     prog);
		return ParseResult::Error;
	}
	if (cfg.stats_json && cfg.stats_interval_s == 0)
		cfg.stats_interval_s = 1;
	return ParseResult::Run;
}

} // namespace interactive
