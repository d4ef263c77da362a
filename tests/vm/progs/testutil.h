/* SPDX-License-Identifier: GPL-2.0-only */
/* Small helpers shared by the VM test programs (which define _GNU_SOURCE:
 * spawn_hog() needs sched_setaffinity()). */
#ifndef SCXTEST_TESTUTIL_H
#define SCXTEST_TESTUTIL_H

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int nr_failed __attribute__((unused)), nr_checks __attribute__((unused));

/* Print "ok: ..." or "FAIL: ..." and count it. */
#define CHECK(cond, ...)                                      \
	do {                                                  \
		bool ok_ = (cond);                            \
		nr_checks++;                                  \
		if (!ok_)                                     \
			nr_failed++;                          \
		printf("%s: ", ok_ ? "ok" : "FAIL");          \
		printf(__VA_ARGS__);                          \
		printf("\n");                                 \
		fflush(stdout);                               \
	} while (0)

static inline double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* @s as a whole decimal number in min..max into *v; false otherwise. */
static inline bool parse_long(const char *s, long min, long max, long *v)
{
	char *end;

	errno = 0;
	*v = strtol(s, &end, 10);
	return !errno && *s && !*end && *v >= min && *v <= max;
}

/* CLOCK_MONOTONIC in ns: the clock of the library's task timestamps. */
static inline uint64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static inline int testutil_cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static inline void sort_u64(uint64_t *v, size_t n)
{
	qsort(v, n, sizeof(*v), testutil_cmp_u64);
}

/* The p-th percentile (nearest rank) of @v, sorted, n > 0. */
static inline uint64_t percentile_u64(const uint64_t *v, size_t n, unsigned p)
{
	size_t rank = (n * p + 99) / 100;
	return v[rank ? rank - 1 : 0];
}

static inline void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* The first line of the file @path into @buf, without its newline ("" if
 * unreadable). */
static inline void read_first_line(const char *path, char *buf, size_t n)
{
	FILE *f = fopen(path, "r");
	buf[0] = '\0';
	if (f) {
		if (!fgets(buf, (int)n, f))
			buf[0] = '\0';
		fclose(f);
	}
	buf[strcspn(buf, "\n")] = '\0';
}

/* /sys/kernel/sched_ext/state into @buf ("" if unreadable). */
static inline void read_sched_ext_state(char *buf, size_t n)
{
	read_first_line("/sys/kernel/sched_ext/state", buf, n);
}

/* Run argv (PATH lookup) and wait: its exit status, 128 + signal, or 127. */
static inline int run_cmd(char *const argv[])
{
	pid_t pid = fork();
	if (pid == 0) {
		execvp(argv[0], argv);
		_exit(127);
	}
	int status;
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* hackbench -g @groups -l @loops sized for this guest as the cases'
 * hb_size (lib.sh) does: divided, rounding up, by the two numbers of
 * VM_HB_SCALE (tests/vm/run). Its status as run_cmd's; the arguments used
 * go to @args for the checks' messages. */
static inline int run_hackbench(int groups, int loops, char args[32])
{
	const char *scale = getenv("VM_HB_SCALE");
	int gdiv = 1, ldiv = 1;
	if (scale && sscanf(scale, "%d %d", &gdiv, &ldiv) == 2 && gdiv > 0 && ldiv > 0) {
		groups = (groups + gdiv - 1) / gdiv;
		loops = (loops + ldiv - 1) / ldiv;
	}
	char g[12], l[12];
	snprintf(g, sizeof(g), "%d", groups);
	snprintf(l, sizeof(l), "%d", loops);
	snprintf(args, 32, "-g %d -l %d", groups, loops);
	char *argv[] = {"hackbench", "-g", g, "-l", l, NULL};
	return run_cmd(argv);
}

/* Write @text to the file @path (a cgroupfs or sysfs knob): 0 or -errno. */
static inline int write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return -errno;
	int err = fputs(text, f) < 0 ? -errno : 0;
	if (fclose(f) && !err)
		err = -errno;
	return err;
}

static inline int pin_to_cpu(int cpu)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

/* A child that spins (pinned to @cpu if >= 0) until killed. */
static inline pid_t spawn_hog(int cpu)
{
	pid_t pid = fork();
	if (pid == 0) {
		if (cpu >= 0)
			pin_to_cpu(cpu);
		for (volatile unsigned long i = 0;; i++)
			;
	}
	return pid;
}

/* A child that sleeps 1 ms at a time until killed: it is enqueued often. */
static inline pid_t spawn_ticker(void)
{
	pid_t pid = fork();
	if (pid == 0)
		for (;;)
			sleep_ms(1);
	return pid;
}

/* Kill and wait for a child of spawn_hog() or spawn_ticker(). */
static inline void reap(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

#endif
