// SPDX-License-Identifier: GPL-2.0-only
/*
 * scxtest_fault: fault injection on a real sched_ext kernel.
 *
 *   scxtest_fault drop        a scheduler that never dispatches every 10th task
 *   scxtest_fault congestion  a small ring under a storm of 5,000 short-lived
 *                             threads woken in one burst
 *   scxtest_fault churn       32 busy tasks re-pinned every 10 ms for 20 s
 *   scxtest_fault probe SECS  not a scheduler: sleeps 1 ms at a time until
 *                             SIGTERM or SECS pass, prints its wake-ups and
 *                             longest gap (for SIGSTOP tests)
 *   scxtest_fault stalls GAP_MS  not a scheduler: until SIGTERM, counts the
 *                             times CPU 0 did not run a SCHED_FIFO thread for
 *                             over GAP_MS (the host starved the emulator)
 *
 * The schedulers run the test in a child process or a second thread while
 * the main thread schedules. Prints one line per check and a count; exits
 * non-zero if a check failed.
 */
#define _GNU_SOURCE
#include <scx/scxcore.h>

#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

static struct scx_sched *sched;
static atomic_int test_done;
static int drop_every;    /* 0: dispatch everything */

static struct scx_stats stats_now(void)
{
	struct scx_stats st = SCX_STATS_INIT;
	scx_stats(sched, &st);
	return st;
}

static void print_stats(const char *when)
{
	struct scx_stats st = stats_now();
	printf("%s: user=%llu kernel=%llu cancel=%llu bounce=%llu failed=%llu congested=%llu "
	       "failsafe_entries=%llu failsafe_tasks=%llu failsafe_ms=%llu\n",
	       when, (unsigned long long)st.nr_user_dispatches,
	       (unsigned long long)st.nr_kernel_dispatches, (unsigned long long)st.nr_cancel_dispatches,
	       (unsigned long long)st.nr_bounce_dispatches, (unsigned long long)st.nr_failed_dispatches,
	       (unsigned long long)st.nr_sched_congested, (unsigned long long)st.nr_failsafe_entries,
	       (unsigned long long)st.nr_failsafe_dispatches,
	       (unsigned long long)(st.failsafe_ns / 1000000));
}

/* FIFO, except that every drop_every-th task is never dispatched. */
static void schedule_all(void)
{
	static unsigned long seen;
	struct scx_queued_task t = SCX_QUEUED_TASK_INIT;

	while (scx_dequeue(sched, &t) == 1) {
		struct scx_dispatched_task d;

		if (drop_every && ++seen % drop_every == 0)
			continue;
		scx_dispatched_task_init(&d, &t);
		int cpu = scx_select_cpu(sched, t.pid, t.cpu, 0);
		d.cpu = cpu >= 0 ? cpu : SCX_CPU_ANY;
		scx_dispatch(sched, &d);
	}
}

static void test_drop(void)
{
	char *argv[] = {"hackbench", "-g", "4", "-l", "50", NULL};
	int rc = run_cmd(argv);
	struct scx_stats st = stats_now();
	CHECK(rc == 0, "hackbench completes while every 10th task is dropped (exit %d)", rc);
	CHECK(st.nr_failsafe_dispatches > 0, "the fail-safe served the dropped tasks: %llu",
	      (unsigned long long)st.nr_failsafe_dispatches);
	CHECK(st.nr_failsafe_entries > 0, "fail-safe entries counted: %llu",
	      (unsigned long long)st.nr_failsafe_entries);
}

#define STORM_THREADS 5000

static pthread_barrier_t storm_start;

/* Wait until all are created, then exit: 5,000 wake-ups in one burst. */
static void *short_thread(void *arg)
{
	pthread_barrier_wait(&storm_start);
	return arg;
}

static void test_congestion(void)
{
	static pthread_t th[STORM_THREADS];
	pthread_attr_t attr;
	double t0 = now_s();
	int created = 0;

	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	pthread_barrier_init(&storm_start, NULL, STORM_THREADS + 1);
	for (int i = 0; i < STORM_THREADS; i++)
		if (!pthread_create(&th[created], &attr, short_thread, NULL))
			created++;
	if (created != STORM_THREADS) {
		CHECK(false, "created %d of %d threads", created, STORM_THREADS);
		_exit(1);
	}
	double t1 = now_s();
	pthread_barrier_wait(&storm_start);
	for (int i = 0; i < created; i++)
		pthread_join(th[i], NULL);
	printf("fork storm: %d threads created in %.1f s, released and joined in %.1f s\n", created,
	       t1 - t0, now_s() - t1);
	CHECK(created == STORM_THREADS, "5,000 short-lived threads created, released at once and joined");
}

/* The storm runs in a child: threads of the scheduler's own process skip
 * user space, and it is other processes' tasks that fill the ring. */
static void test_congestion_child(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		test_congestion();
		_exit(nr_failed ? 1 : 0);
	}
	int status;
	waitpid(pid, &status, 0);
	struct scx_stats st = stats_now();
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the fork storm completed");
	CHECK(st.nr_sched_congested > 0, "congestion counted: %llu", (unsigned long long)st.nr_sched_congested);
}

#define CHURN_TASKS 32

static void test_churn(void)
{
	int nr = scx_nr_cpus(sched);
	volatile unsigned long *progress =
		mmap(NULL, sizeof(long) * CHURN_TASKS, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid_t kids[CHURN_TASKS];
	for (int i = 0; i < CHURN_TASKS; i++) {
		kids[i] = fork();
		if (kids[i] == 0)
			for (;;)
				progress[i]++;
	}
	unsigned long before[CHURN_TASKS];
	long repins = 0;
	double end = now_s() + 20, mid = now_s() + 15;
	bool sampled = false;
	for (unsigned round = 0; now_s() < end; round++) {
		for (int i = 0; i < CHURN_TASKS; i++) {
			cpu_set_t set;
			CPU_ZERO(&set);
			/* one CPU, two CPUs or all of them, varying by task and round */
			int c = (int)((round + i) % nr);
			CPU_SET(c, &set);
			if ((round + i) % 3 == 1)
				CPU_SET((c + 1) % nr, &set);
			if ((round + i) % 3 == 2)
				for (int k = 0; k < nr; k++)
					CPU_SET(k, &set);
			if (!sched_setaffinity(kids[i], sizeof(set), &set))
				repins++;
		}
		if (!sampled && now_s() >= mid) {
			for (int i = 0; i < CHURN_TASKS; i++)
				before[i] = progress[i];
			sampled = true;
		}
		sleep_ms(10);
	}
	int stuck = 0;
	for (int i = 0; i < CHURN_TASKS; i++)
		if (!sampled || progress[i] == before[i])
			stuck++;
	for (int i = 0; i < CHURN_TASKS; i++) {
		kill(kids[i], SIGKILL);
		waitpid(kids[i], NULL, 0);
	}
	printf("affinity churn: %ld re-pins in 20 s\n", repins);
	CHECK(repins > 1000, "re-pinned the tasks continuously (%ld times)", repins);
	CHECK(stuck == 0, "all %d tasks progressed in the last 5 s (%d did not)", CHURN_TASKS, stuck);
}

static volatile sig_atomic_t probe_asked, probe_stop;
static void on_usr1(int sig) { (void)sig; probe_asked = 1; }
static void on_term(int sig) { (void)sig; probe_stop = 1; }

/* Sleeps 1 ms at a time until SIGTERM (or, as a bound, @secs); SIGUSR1 makes
 * it print its count so far ("probe-count N"), which a test reads around a
 * window it cares about. The test ends it: a slow guest must not outlive it. */
static int probe(int secs)
{
	double start = now_s(), end = start + secs, last = start, max_gap = 0;
	long n = 0;
	signal(SIGUSR1, on_usr1);
	signal(SIGTERM, on_term);
	printf("probe-ready\n"); /* signals may be sent from now on */
	fflush(stdout);
	while (!probe_stop && now_s() < end) {
		sleep_ms(1);
		double t = now_s();
		if (t - last > max_gap)
			max_gap = t - last;
		last = t;
		n++;
		if (probe_asked) {
			probe_asked = 0;
			printf("probe-count %ld\n", n);
			fflush(stdout);
		}
	}
	printf("probe: %ld wake-ups in %.0f s, longest gap %.0f ms\n", n, now_s() - start,
	       max_gap * 1000);
	return 0;
}

/* Host stalls, seen from inside the guest: as SCHED_FIFO on CPU 0 (above
 * sched_ext, so no scheduler of ours delays it), sleeps 10 ms at a time; a
 * gap of more than @gap_ms means the CPU itself did not run: the host
 * starved the emulator, whose one thread runs every vCPU (single-threaded
 * TCG), so one CPU sees it. CPU 0 only: tests pin their own tasks to the
 * other CPUs. */
static int stalls(long gap_ms)
{
	struct sched_param sp = {.sched_priority = 1};
	long nr_stalls = 0;
	double longest = 0;

	signal(SIGTERM, on_term);
	if (pin_to_cpu(0) || sched_setscheduler(0, SCHED_FIFO, &sp)) {
		perror("stalls");
		return 1;
	}
	printf("stalls-ready\n");
	fflush(stdout);
	for (double last = now_s(); !probe_stop;) {
		sleep_ms(10);
		double t = now_s(), gap = t - last;
		nr_stalls += gap > (gap_ms + 10) / 1000.0;
		if (gap > longest)
			longest = gap;
		last = t;
	}
	printf("stalls: %ld gaps of CPU 0 over %ld ms (longest %.0f ms)\n", nr_stalls, gap_ms, longest * 1000);
	return 0;
}

static void *test_main(void *arg)
{
	((void (*)(void))arg)();
	atomic_store(&test_done, 1);
	return NULL;
}

int main(int argc, char **argv)
{
	SCX_OPTS(opts, .name = "scxtest_fault", .exit_dump_len = 8192);
	void (*fn)(void) = NULL;

	if (argc == 3 && !strcmp(argv[1], "probe"))
		return probe(atoi(argv[2]));
	if (argc == 3 && !strcmp(argv[1], "stalls"))
		return stalls(atol(argv[2]));
	if (argc == 2 && !strcmp(argv[1], "drop")) {
		fn = test_drop;
		drop_every = 10;
	} else if (argc == 2 && !strcmp(argv[1], "congestion")) {
		fn = test_congestion_child;
		opts.ring_size_kb = 16; /* ~150 records: the burst overflows it */
	} else if (argc == 2 && !strcmp(argv[1], "churn")) {
		fn = test_churn;
	} else {
		fprintf(stderr, "usage: %s drop|congestion|churn|probe SECS|stalls GAP_MS\n", argv[0]);
		return 2;
	}

	int err = scx_init(&opts, &sched);
	if (err) {
		printf("FAIL: scx_init: %s\n", scx_strerror(err));
		return 1;
	}
	pthread_t th;
	pthread_create(&th, NULL, test_main, (void *)fn);
	while (!atomic_load(&test_done) && !scx_exited(sched)) {
		schedule_all();
		scx_notify(sched, 0);
	}
	struct scx_exit_info ei = SCX_EXIT_INFO_INIT;
	if (scx_exited(sched)) {
		scx_shutdown(sched, &ei);
		printf("FAIL: the scheduler was ejected: %s: %s\n%s\n", ei.reason, ei.msg, ei.dump);
		return 1;
	}
	pthread_join(th, NULL);
	print_stats("stats");
	scx_shutdown(sched, &ei);
	CHECK(ei.kind == SCX_EXIT_UNREG, "no ejection, clean unload: %s", ei.reason);
	scx_destroy(sched);
	printf("%s: %d checks, %d failed\n", argv[1], nr_checks, nr_failed);
	return nr_failed ? 1 : 0;
}
