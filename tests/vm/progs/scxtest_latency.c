// SPDX-License-Identifier: GPL-2.0-only
/*
 * scxtest_latency: workloads that measure what a scheduler gives interactive
 * tasks and how it honours nice. Runs under whatever scheduler is loaded.
 *
 *   scxtest_latency [-n COUNT] [-p PERIOD_US] [-w WARMUP] [-l LABEL] [-o FILE]
 *       Sleep PERIOD_US (default 1000) COUNT times (default 2000, after
 *       WARMUP unrecorded ones, default 20) and measure each wake-up's
 *       lateness: when the sleeper ran again minus when its timer was due.
 *       Prints one line:
 *         latency LABEL: n=.. period_us=.. mean_us=.. p50_us=.. p90_us=..
 *                        p99_us=.. max_us=..
 *       and appends the samples (ns, one per line) to FILE.
 *
 *   scxtest_latency stats LABEL FILE...
 *       The same line for the samples of all FILEs together (so that runs
 *       under two schedulers can be interleaved and pooled).
 *
 *   scxtest_latency share SECS CPU NICE_A NICE_B
 *       Two CPU hogs pinned to CPU, at NICE_A and NICE_B, spin for SECS
 *       seconds from the same start; prints the CPU time each got and its
 *       share in per mille, with the share their sched_ext weights predict:
 *         share cpu=.. nice_a=.. nice_b=.. weight_a=.. weight_b=.. ms_a=..
 *               ms_b=.. share_a_pm=.. share_b_pm=.. expected_a_pm=..
 *
 * Exit status 0, or 1 on a failed system call, 2 on bad usage.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"

static uint64_t ts_ns(clockid_t clk)
{
	struct timespec ts;
	clock_gettime(clk, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void usage(void)
{
	fprintf(stderr, "usage: scxtest_latency [-n COUNT] [-p PERIOD_US] [-w WARMUP] [-l LABEL] [-o FILE]\n"
			"       scxtest_latency stats LABEL FILE...\n"
			"       scxtest_latency share SECS CPU NICE_A NICE_B\n");
	exit(2);
}

static long number(const char *s, long min, long max)
{
	long v;

	if (!parse_long(s, min, max, &v))
		usage();
	return v;
}


/* Sort @late and print its summary line. */
static void report(const char *label, uint64_t *late, size_t n, long period_us)
{
	uint64_t sum = 0;

	if (!n) {
		printf("latency %s: n=0\n", label);
		return;
	}
	for (size_t i = 0; i < n; i++)
		sum += late[i];
	sort_u64(late, n);
	printf("latency %s: n=%zu ", label, n);
	if (period_us > 0)
		printf("period_us=%ld ", period_us);
	printf("mean_us=%llu p50_us=%llu p90_us=%llu p99_us=%llu max_us=%llu\n",
	       (unsigned long long)(sum / n / 1000),
	       (unsigned long long)(percentile_u64(late, n, 50) / 1000),
	       (unsigned long long)(percentile_u64(late, n, 90) / 1000),
	       (unsigned long long)(percentile_u64(late, n, 99) / 1000),
	       (unsigned long long)(late[n - 1] / 1000));
}

static int pooled(int argc, char **argv)
{
	size_t n = 0, cap = 4096;
	uint64_t *late = malloc(cap * sizeof(*late));

	if (argc < 4)
		usage();
	for (int a = 3; a < argc; a++) {
		FILE *f = fopen(argv[a], "r");
		unsigned long long v;

		if (!f) {
			perror(argv[a]);
			return 1;
		}
		while (fscanf(f, "%llu", &v) == 1) {
			if (n == cap && !(late = realloc(late, (cap *= 2) * sizeof(*late)))) {
				perror("realloc");
				return 1;
			}
			late[n++] = v;
		}
		fclose(f);
	}
	report(argv[2], late, n, 0);
	free(late);
	return 0;
}

static int probe(int argc, char **argv)
{
	long count = 2000, period_us = 1000, warmup = 20;
	const char *label = "probe", *out = NULL;
	int c;

	while ((c = getopt(argc, argv, "n:p:w:l:o:")) != -1) {
		switch (c) {
		case 'n': count = number(optarg, 1, 10000000); break;
		case 'p': period_us = number(optarg, 1, 10000000); break;
		case 'w': warmup = number(optarg, 0, 10000000); break;
		case 'l': label = optarg; break;
		case 'o': out = optarg; break;
		default: usage();
		}
	}
	if (optind != argc)
		usage();

	uint64_t *late = calloc((size_t)count, sizeof(*late));
	if (!late) {
		perror("calloc");
		return 1;
	}
	prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0); /* no slack on top of what we measure */

	for (long i = -warmup; i < count; i++) {
		uint64_t due = ts_ns(CLOCK_MONOTONIC) + (uint64_t)period_us * 1000;
		struct timespec ts = {(time_t)(due / 1000000000ULL), (long)(due % 1000000000ULL)};
		int err;

		while ((err = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL)) == EINTR)
			;
		if (err) {
			fprintf(stderr, "clock_nanosleep: %s\n", strerror(err));
			return 1;
		}
		uint64_t now = ts_ns(CLOCK_MONOTONIC);
		if (i >= 0)
			late[i] = now > due ? now - due : 0;
	}
	if (out) {
		FILE *f = fopen(out, "a");
		if (!f) {
			perror(out);
			return 1;
		}
		for (long i = 0; i < count; i++)
			fprintf(f, "%llu\n", (unsigned long long)late[i]);
		if (fclose(f)) {
			perror(out);
			return 1;
		}
	}
	report(label, late, (size_t)count, period_us);
	free(late);
	return 0;
}

/* The kernel's nice -> load weight table (kernel/sched/core.c), nice -20..19. */
static const unsigned prio_to_weight[40] = {
	88761, 71755, 56483, 46273, 36291, 29154, 23254, 18705, 14949, 11916,
	9548,  7620,  6100,  4904,  3906,  3121,  2501,  1991,  1586,  1277,
	1024,  820,   655,   526,   423,   335,   272,   215,   172,   137,
	110,   87,    70,    56,    45,    36,    29,    23,    18,    15,
};

/* sched_ext's weight for @nice: load weight * 100 / 1024, rounded (1..10000). */
static unsigned scx_weight(int nice)
{
	unsigned w = (prio_to_weight[nice + 20] * 100 + 512) / 1024;
	return w < 1 ? 1 : w;
}

/* A hog: waits for the start, spins SECS seconds, writes its CPU time (ns). */
static void hog(int go_fd, int out_fd, int cpu, int nice, long secs)
{
	char b;

	if (pin_to_cpu(cpu) || setpriority(PRIO_PROCESS, 0, nice)) {
		perror("hog setup");
		_exit(1);
	}
	if (read(go_fd, &b, 1) != 1)
		_exit(1);
	uint64_t end = ts_ns(CLOCK_MONOTONIC) + (uint64_t)secs * 1000000000ULL;
	uint64_t cpu0 = ts_ns(CLOCK_THREAD_CPUTIME_ID);
	while (ts_ns(CLOCK_MONOTONIC) < end)
		for (volatile int i = 0; i < 10000; i++)
			;
	uint64_t used = ts_ns(CLOCK_THREAD_CPUTIME_ID) - cpu0;
	_exit(write(out_fd, &used, sizeof(used)) == sizeof(used) ? 0 : 1);
}

static int share(int argc, char **argv)
{
	if (argc != 6)
		usage();
	long secs = number(argv[2], 1, 3600);
	int cpu = (int)number(argv[3], 0, CPU_SETSIZE - 1);
	int nice[2] = {(int)number(argv[4], -20, 19), (int)number(argv[5], -20, 19)};
	int go[2], out[2][2];
	pid_t pid[2];
	uint64_t used[2] = {0, 0};

	if (pipe(go) || pipe(out[0]) || pipe(out[1])) {
		perror("pipe");
		return 1;
	}
	for (int i = 0; i < 2; i++) {
		pid[i] = fork();
		if (pid[i] < 0) {
			perror("fork");
			return 1;
		}
		if (pid[i] == 0) {
			close(go[1]);
			hog(go[0], out[i][1], cpu, nice[i], secs);
		}
		close(out[i][1]);
	}
	usleep(200000); /* both set up (pinned, niced) and waiting */
	if (write(go[1], "gg", 2) != 2) {
		perror("write");
		return 1;
	}
	int ok = 1;
	for (int i = 0; i < 2; i++) {
		int status;
		if (read(out[i][0], &used[i], sizeof(used[i])) != sizeof(used[i]))
			ok = 0;
		if (waitpid(pid[i], &status, 0) != pid[i] || !WIFEXITED(status) || WEXITSTATUS(status))
			ok = 0;
	}
	if (!ok) {
		fprintf(stderr, "share: a hog failed\n");
		return 1;
	}
	unsigned wa = scx_weight(nice[0]), wb = scx_weight(nice[1]);
	uint64_t total = used[0] + used[1] ? used[0] + used[1] : 1;
	printf("share cpu=%d secs=%ld nice_a=%d nice_b=%d weight_a=%u weight_b=%u ms_a=%llu "
	       "ms_b=%llu share_a_pm=%llu share_b_pm=%llu expected_a_pm=%u\n",
	       cpu, secs, nice[0], nice[1], wa, wb, (unsigned long long)(used[0] / 1000000),
	       (unsigned long long)(used[1] / 1000000),
	       (unsigned long long)((used[0] * 1000 + total / 2) / total),
	       (unsigned long long)((used[1] * 1000 + total / 2) / total),
	       (wa * 1000 + (wa + wb) / 2) / (wa + wb));
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1 && !strcmp(argv[1], "share"))
		return share(argc, argv);
	if (argc > 1 && !strcmp(argv[1], "stats"))
		return pooled(argc, argv);
	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")))
		usage();
	return probe(argc, argv);
}
