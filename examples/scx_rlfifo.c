// SPDX-License-Identifier: GPL-2.0-only
/*
 * scx_rlfifo: a FIFO scheduler in user space, on libscxcore's C API.
 *
 * Every task that wants to run is dequeued, sent to an idle CPU if there is
 * one (else to the first CPU that frees up), with a slice that shrinks as
 * more tasks wait. A wake-up whose previous CPU is idle runs there at once
 * (opts.wake_to_idle_prev), and a CPU that runs dry runs the task that has
 * waited longest (opts.idle_runs_oldest: the order of a FIFO anyway); -u
 * sends every task through this loop.
 * Statistics once a second; Ctrl-C to stop.
 */
#include <scx/scxcore.h>

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define MAX_BATCH 512

static volatile sig_atomic_t stop;

static void on_signal(int sig) { (void)sig; stop = 1; }

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void print_stats(struct scx_sched *s)
{
	struct scx_stats st = SCX_STATS_INIT;

	if (scx_stats(s, &st))
		return;
	printf("cpus=%llu running=%llu queued=%llu user=%llu kernel=%llu cancel=%llu bounce=%llu "
	       "failed=%llu congested=%llu failsafe=%llu hotplug=%llu handovers=%llu requeued=%llu\n",
	       (unsigned long long)st.nr_online_cpus, (unsigned long long)st.nr_running,
	       (unsigned long long)st.nr_queued, (unsigned long long)st.nr_user_dispatches,
	       (unsigned long long)st.nr_kernel_dispatches, (unsigned long long)st.nr_cancel_dispatches,
	       (unsigned long long)st.nr_bounce_dispatches, (unsigned long long)st.nr_failed_dispatches,
	       (unsigned long long)st.nr_sched_congested, (unsigned long long)st.nr_failsafe_dispatches,
	       (unsigned long long)st.nr_hotplug_events, (unsigned long long)st.nr_handovers,
	       (unsigned long long)st.nr_requeued);
	fflush(stdout);
}

/* Dispatch everything that waits, FIFO. Returns how many tasks ran. */
static int schedule_batch(struct scx_sched *s, uint64_t slice_ns)
{
	static struct scx_queued_task batch[MAX_BATCH];
	int n = 0;

	while (n < MAX_BATCH) {
		batch[n].sz = sizeof(batch[n]);
		if (scx_dequeue(s, &batch[n]) != 1)
			break;
		if (!(batch[n].flags & SCX_TASK_PLACED)) /* runs already: a FIFO has nothing to note */
			n++;
	}
	uint64_t slice = n ? slice_ns / (uint64_t)n : slice_ns; /* more waiting, shorter turns */

	if (slice < SCX_SLICE_MIN_NS)
		slice = SCX_SLICE_MIN_NS;
	for (int i = 0; i < n; i++) {
		struct scx_dispatched_task d;
		int cpu = scx_select_cpu(s, batch[i].pid, batch[i].cpu, 0);

		scx_dispatched_task_init(&d, &batch[i]);
		d.cpu = cpu >= 0 ? cpu : SCX_CPU_ANY;
		d.slice_ns = slice;
		scx_dispatch(s, &d);
	}
	return n;
}

static void usage(const char *prog)
{
	printf("usage: %s [-s SLICE_US] [-p] [-i] [-u] [-d BYTES] [-l MS] [-t] [-H] [-C CGROUP] [-N NAME] [-v]\n"
	       "  -s, --slice-us N       longest slice in microseconds (default 5000)\n"
	       "  -p, --partial          only schedule tasks set to SCHED_EXT\n"
	       "  -i, --builtin-idle     wake-ups go straight to an idle CPU in the kernel\n"
	       "  -u, --user-wakeups     every task waits for this loop (by default a wake-up\n"
	       "                         whose previous CPU is idle runs there at once, and a\n"
	       "                         CPU that runs dry takes the oldest waiting task)\n"
	       "  -d, --exit-dump-len N  keep N bytes of the kernel's dump on an error exit\n"
	       "  -l, --linger-ms N      outlive this process: if it dies, the kernel side runs\n"
	       "                         tasks for up to N ms, waiting for a successor (-t)\n"
	       "  -t, --take-over        take over the running scheduler of this name, started\n"
	       "                         with -l (by this program or another), else load\n"
	       "  -H, --host-subs        let sub-schedulers serve cgroups below this one (7.3+)\n"
	       "  -C, --sub-cgroup PATH  schedule only this cgroup's tasks, as a sub-scheduler of\n"
	       "                         the one serving its parent (7.3+; run it in PATH)\n"
	       "  -N, --name NAME        the scheduler's name (default rlfifo)\n"
	       "  -v, --verbose          print libbpf's diagnostics\n"
	       "  -h, --help             this text\n", prog);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"slice-us", required_argument, 0, 's'}, {"partial", no_argument, 0, 'p'},
		{"builtin-idle", no_argument, 0, 'i'}, {"user-wakeups", no_argument, 0, 'u'},
		{"exit-dump-len", required_argument, 0, 'd'},
		{"linger-ms", required_argument, 0, 'l'}, {"take-over", no_argument, 0, 't'},
		{"host-subs", no_argument, 0, 'H'}, {"sub-cgroup", required_argument, 0, 'C'},
		{"name", required_argument, 0, 'N'},
		{"verbose", no_argument, 0, 'v'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0},
	};
	SCX_OPTS(opts, .name = "rlfifo", .wake_to_idle_prev = true, .idle_runs_oldest = true);
	uint64_t slice_ns = SCX_SLICE_DEFAULT_NS;
	int c;

	while ((c = getopt_long(argc, argv, "s:piud:l:tHC:N:vh", longopts, NULL)) != -1) {
		char *end;
		switch (c) {
		case 's':
			slice_ns = strtoull(optarg, &end, 10) * 1000;
			if (*end || slice_ns < SCX_SLICE_MIN_NS || slice_ns > SCX_SLICE_MAX_NS) {
				fprintf(stderr, "%s: --slice-us must be 10..1000000\n", argv[0]);
				return 2;
			}
			break;
		case 'p': opts.partial = true; break;
		case 'i': opts.builtin_idle = true; break;
		case 'u': opts.wake_to_idle_prev = opts.idle_runs_oldest = false; break;
		case 'd': opts.exit_dump_len = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'l': opts.linger_ms = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 't': opts.takeover = SCX_TAKEOVER_OR_LOAD; break;
		case 'H': opts.host_subs = true; break;
		case 'C': opts.sub_cgroup = optarg; break;
		case 'N': opts.name = optarg; break;
		case 'v': opts.debug = true; break;
		case 'h': usage(argv[0]); return 0;
		default: usage(argv[0]); return 2;
		}
	}
	opts.slice_ns = slice_ns;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	for (;;) { /* once per load; again when the kernel asks for a restart */
		struct scx_exit_info ei = SCX_EXIT_INFO_INIT;
		struct scx_sched *s;
		int err = scx_init(&opts, &s);

		if (err) {
			fprintf(stderr, "scx_rlfifo: cannot load: %s\n", scx_strerror(err));
			return 1;
		}
		printf("scx_rlfifo: scheduling with libscxcore %s\n", scx_version());
		double next_stats = now_s() + 1;
		while (!stop && !scx_exited(s)) {
			schedule_batch(s, slice_ns);
			if (now_s() >= next_stats) {
				print_stats(s);
				next_stats += 1;
			}
			scx_notify(s, 0);
		}
		print_stats(s);
		scx_shutdown(s, &ei);
		printf("scx_rlfifo: exit: %s (kind %lld)%s%s\n", ei.reason, (long long)ei.kind, ei.msg[0] ? ": " : "", ei.msg);
		if (ei.dump && ei.dump[0])
			printf("%s\n", ei.dump);
		scx_destroy(s);
		if (stop || !ei.should_restart)
			return ei.kind == SCX_EXIT_UNREG || ei.kind == SCX_EXIT_NONE ||
			       ei.kind == SCX_EXIT_HANDED_OVER ? 0 : 1;
		printf("scx_rlfifo: restarting\n");
	}
}
