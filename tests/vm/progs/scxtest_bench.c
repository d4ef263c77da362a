// SPDX-License-Identifier: GPL-2.0-only
/*
 * scxtest_bench: the guest-side workloads of `make bench` (bench/guest.sh).
 * Runs under whatever scheduler is loaded; not a scheduler itself.
 *
 *   scxtest_bench pingpong [-n ROUNDTRIPS]
 *       Two processes bounce one byte through a pair of pipes ROUNDTRIPS
 *       times (default 5000, after 100 unrecorded ones); every hop is a
 *       wake-up of a sleeping task, so each round trip is two wake-ups and
 *       two context switches. Unpinned: where the woken task runs is the
 *       scheduler's choice. Prints
 *         pingpong n=.. total_s=.. us_per_roundtrip=..
 *
 *   scxtest_bench wakeup [-n COUNT] [-p PERIOD_US] [-w WARMUP]
 *       Sleeps PERIOD_US (default 1000) COUNT times (default 2000, after
 *       WARMUP unrecorded ones, default 20) on an absolute CLOCK_MONOTONIC
 *       deadline and records how late it ran again. Prints
 *         wakeup n=.. period_us=.. mean_us=.. p50_us=.. p90_us=.. p99_us=.. max_us=..
 *       (microseconds with one decimal).
 *
 *   scxtest_bench hogs N
 *       N processes that spin until this one gets SIGTERM/SIGINT (or dies).
 *
 *   scxtest_bench cputime PID
 *       CPU time of process PID, all its threads: utime + stime from
 *       /proc/PID/stat (clock ticks, sampled) and the sum of the threads'
 *       run time from /proc/PID/task/TID/schedstat (exact; -1 if absent)
 *       with the number of times they were switched in (timeslices):
 *         cputime pid=.. ms=.. run_us=.. slices=..
 *
 * Exit status 0, 1 on a failed system call, 2 on bad usage.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"

static void usage(void)
{
	fprintf(stderr, "usage: scxtest_bench pingpong [-n ROUNDTRIPS]\n"
			"       scxtest_bench wakeup [-n COUNT] [-p PERIOD_US] [-w WARMUP]\n"
			"       scxtest_bench hogs N\n"
			"       scxtest_bench cputime PID\n");
	exit(2);
}

static long number(const char *s, long min, long max)
{
	long v;

	if (!parse_long(s, min, max, &v))
		usage();
	return v;
}

/* Options -n/-p/-w into the given variables (NULL: not accepted). */
static void options(int argc, char **argv, long *n, long *period, long *warmup)
{
	int c;

	optind = 2;
	while ((c = getopt(argc, argv, "n:p:w:")) != -1) {
		if (c == 'n' && n)
			*n = number(optarg, 1, 100000000);
		else if (c == 'p' && period)
			*period = number(optarg, 1, 10000000);
		else if (c == 'w' && warmup)
			*warmup = number(optarg, 0, 10000000);
		else
			usage();
	}
	if (optind != argc)
		usage();
}

static int full_read(int fd, char *b)
{
	for (;;) {
		ssize_t r = read(fd, b, 1);
		if (r == 1)
			return 0;
		if (r < 0 && errno == EINTR)
			continue;
		return -1;
	}
}

static int full_write(int fd, char b)
{
	for (;;) {
		ssize_t r = write(fd, &b, 1);
		if (r == 1)
			return 0;
		if (r < 0 && errno == EINTR)
			continue;
		return -1;
	}
}

static int pingpong(int argc, char **argv)
{
	long n = 5000, warmup = 100;
	int ab[2], ba[2];
	char b = 0;

	options(argc, argv, &n, NULL, NULL);
	if (pipe(ab) || pipe(ba)) {
		perror("pipe");
		return 1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) { /* the echo side: until the other end closes */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(ab[1]);
		close(ba[0]);
		while (!full_read(ab[0], &b))
			if (full_write(ba[1], b))
				_exit(1);
		_exit(0);
	}
	close(ab[0]);
	close(ba[1]);
	uint64_t t0 = 0;
	for (long i = -warmup; i < n; i++) {
		if (i == 0)
			t0 = mono_ns();
		if (full_write(ab[1], b) || full_read(ba[0], &b)) {
			perror("pingpong");
			return 1;
		}
	}
	uint64_t dt = mono_ns() - t0;
	close(ab[1]);
	waitpid(pid, NULL, 0);
	printf("pingpong n=%ld total_s=%.3f us_per_roundtrip=%.2f\n", n, dt / 1e9, dt / 1e3 / (double)n);
	return 0;
}

/* Nearest-rank percentile of sorted @v, in microseconds. */
static double pct_us(const uint64_t *v, long n, unsigned p)
{
	return percentile_u64(v, (size_t)n, p) / 1e3;
}

static int wakeup(int argc, char **argv)
{
	long n = 2000, period_us = 1000, warmup = 20;

	options(argc, argv, &n, &period_us, &warmup);
	uint64_t *late = calloc((size_t)n, sizeof(*late));
	if (!late) {
		perror("calloc");
		return 1;
	}
	prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0); /* the default 50 us slack would be measured too */
	uint64_t sum = 0;
	for (long i = -warmup; i < n; i++) {
		uint64_t due = mono_ns() + (uint64_t)period_us * 1000;
		struct timespec ts = {(time_t)(due / 1000000000ULL), (long)(due % 1000000000ULL)};
		int err;

		while ((err = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL)) == EINTR)
			;
		if (err) {
			fprintf(stderr, "clock_nanosleep: %s\n", strerror(err));
			return 1;
		}
		uint64_t now = mono_ns();
		if (i >= 0) {
			late[i] = now > due ? now - due : 0;
			sum += late[i];
		}
	}
	sort_u64(late, (size_t)n);
	printf("wakeup n=%ld period_us=%ld mean_us=%.1f p50_us=%.1f p90_us=%.1f p99_us=%.1f max_us=%.1f\n",
	       n, period_us, sum / 1e3 / (double)n, pct_us(late, n, 50), pct_us(late, n, 90),
	       pct_us(late, n, 99), late[n - 1] / 1e3);
	free(late);
	return 0;
}

static volatile sig_atomic_t stop;
static void on_stop(int sig) { (void)sig; stop = 1; }

static int hogs(int argc, char **argv)
{
	if (argc != 3)
		usage();
	long n = number(argv[2], 1, 1024);
	pid_t *pids = calloc((size_t)n, sizeof(*pids));
	struct sigaction sa = {.sa_handler = on_stop};

	if (!pids) {
		perror("calloc");
		return 1;
	}
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	for (long i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] < 0) {
			perror("fork");
			break;
		}
		if (pids[i] == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			signal(SIGTERM, SIG_DFL);
			signal(SIGINT, SIG_DFL);
			for (;;)
				for (volatile int k = 0; k < 1000000; k++)
					;
		}
	}
	while (!stop)
		pause();
	for (long i = 0; i < n; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGKILL);
	for (long i = 0; i < n; i++)
		if (pids[i] > 0)
			waitpid(pids[i], NULL, 0);
	return 0;
}

static int cputime(int argc, char **argv)
{
	if (argc != 3)
		usage();
	long pid = number(argv[2], 1, 1L << 30);
	char path[64], buf[1024];
	unsigned long long ut, st;

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	FILE *f = fopen(path, "r");
	if (!f) {
		perror(path);
		return 1;
	}
	size_t len = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[len] = '\0';
	/* The command name may hold spaces and ')': fields count from the last ')'. */
	char *p = strrchr(buf, ')');
	/* After ") ": state ppid pgrp session tty_nr tpgid flags minflt cminflt
	 * majflt cmajflt utime stime (fields 3..15). */
	if (!p || sscanf(p + 2, "%*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %llu %llu", &ut, &st) != 2) {
		fprintf(stderr, "%s: cannot parse\n", path);
		return 1;
	}
	long hz = sysconf(_SC_CLK_TCK);

	/* schedstat: "run_ns wait_ns timeslices" per thread (CONFIG_SCHED_INFO). */
	long long run_ns = 0, slices = 0;
	snprintf(path, sizeof(path), "/proc/%ld/task", pid);
	DIR *dir = opendir(path);
	struct dirent *de;
	while (dir && (de = readdir(dir))) {
		char sp[320];
		unsigned long long ns, wait_ns, n;
		if (de->d_name[0] == '.')
			continue;
		snprintf(sp, sizeof(sp), "/proc/%ld/task/%s/schedstat", pid, de->d_name);
		FILE *g = fopen(sp, "r");
		if (!g || fscanf(g, "%llu %llu %llu", &ns, &wait_ns, &n) != 3) {
			run_ns = -1000;
			slices = -1;
			if (g)
				fclose(g);
			break;
		}
		fclose(g);
		run_ns += (long long)ns;
		slices += (long long)n;
	}
	if (dir)
		closedir(dir);
	printf("cputime pid=%ld ms=%llu run_us=%lld slices=%lld\n", pid,
	       (ut + st) * 1000ULL / (unsigned long long)(hz > 0 ? hz : 100), run_ns / 1000, slices);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(argv[1], "pingpong"))
		return pingpong(argc, argv);
	if (!strcmp(argv[1], "wakeup"))
		return wakeup(argc, argv);
	if (!strcmp(argv[1], "hogs"))
		return hogs(argc, argv);
	if (!strcmp(argv[1], "cputime"))
		return cputime(argc, argv);
	usage();
}
