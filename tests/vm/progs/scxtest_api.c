// SPDX-License-Identifier: GPL-2.0-only
/*
 * scxtest_api: end-to-end tests of the C API on a real sched_ext kernel.
 *
 *   scxtest_api TEST      (select-cpu, slice, cpu-any, pinned, partial,
 *                          bad-input, helper-thread, notify, records,
 *                          self-cpu, cgroups, enq-last, kthreads,
 *                          wake-idle-prev, busy-loop, allows-cpu, handoff)
 *
 * The process is the scheduler: its main thread runs a FIFO loop whose
 * placement of chosen pids a test can override, while the test itself runs in
 * a second thread (threads of the scheduler's process never wait for user
 * space). Prints one line per check and exits non-zero if any failed.
 */
#define _GNU_SOURCE
#include <scx/scxcore.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"

#define SCHED_EXT 7
#define MAX_OVERRIDES 16
#define PID_BITS (1 << 22)

static struct scx_sched *sched;
static atomic_int test_done;

/* Placement a test forces on one pid; cpu -2 = leave the default. */
static struct {
	atomic_int pid;
	int cpu;
	uint64_t slice_ns;
	bool twice; /* dispatch each wait twice (the second must be cancelled) */
} overrides[MAX_OVERRIDES];

static unsigned char seen_pids[PID_BITS / 8];
static atomic_bool force_any;  /* place every task on SCX_CPU_ANY */
static atomic_long nr_self_cpu; /* scx_select_cpu() answers: the loop's own CPU */
/* What the records said about the threads of process watch_tgid: its main
 * thread's cgroup, and another thread's pid and tgid. */
static atomic_int watch_tgid;
static _Atomic uint64_t main_cgroup = ~0ULL, other_cgroup = ~0ULL;
static atomic_int other_pid, other_tgid;
/* The cgroup records gave a task of process root_tgid (in the root cgroup). */
static atomic_int root_tgid;
static _Atomic uint64_t root_cgroup = ~0ULL;
static atomic_int inject_pid;  /* the loop sends one decision for this pid */
/* SCX_TASK_PLACED records (opts.wake_to_idle_prev): how many; of count_pid's,
 * how many also had SCX_TASK_WAKEUP, and of those that directly followed
 * another placed one (no decision of ours in between), how many named the
 * same CPU. The loop dispatches such a record only while dispatch_placed
 * is set. */
static atomic_long nr_placed, nr_placed_counted, nr_placed_wakeup, nr_placed_dispatched;
static atomic_long nr_placed_followed, nr_placed_same_cpu;
static atomic_bool dispatch_placed;
/* idle-runs-oldest: while holding is set, the loop never answers the waits
 * of the NR_HELD workers (held_pid), so that they run only when their CPU
 * runs dry and takes them itself. Of their SCX_TASK_PLACED records it
 * counts those naming held_cpu, those with SCX_TASK_WAKEUP, and those whose
 * task had not waited longest of the held ones (a held wait older than
 * the fail-safe period is left out: the fail-safe may have run it). */
#define NR_HELD 3
static atomic_bool holding;
static atomic_int held_pid[NR_HELD], held_cpu;
static uint64_t held_since[NR_HELD]; /* the loop's: when each held wait began, 0 if none */
static atomic_long nr_pulled, nr_pulled_on_cpu, nr_pulled_wakeup, nr_pulled_not_oldest;
/* busy-loop: while set, the scheduling loop spins on CPU 1 without calling
 * the library (the test thread still runs: the fail-safe places it). */
static atomic_bool loop_spins;
static atomic_int loop_spun_on = -1;
/* allows-cpu: the loop answers scx_task_allows_cpu(allows_pid, allows_cpu)
 * in allows_answer (its thread is the one the call is made on). */
static atomic_int allows_pid, allows_cpu;
static atomic_int allows_answer;
static atomic_int count_pid;   /* the loop counts the records of this pid */
static atomic_long nr_counted;

/* What scx_notify() said, against whether the loop's thread really blocked. */
static atomic_bool watch_notify;
static struct {
	atomic_long slept, at_once, other;
	atomic_long blocked_but_at_once; /* a voluntary switch, yet "returned at once" */
	atomic_long slept_not_blocked;   /* "slept", yet no voluntary switch (allowed) */
} notify_seen;

static void set_override(int slot, pid_t pid, int cpu, uint64_t slice_ns, bool twice)
{
	overrides[slot].cpu = cpu;
	overrides[slot].slice_ns = slice_ns;
	overrides[slot].twice = twice;
	atomic_store(&overrides[slot].pid, pid);
}

static struct scx_stats stats_now(void)
{
	struct scx_stats st = SCX_STATS_INIT;
	scx_stats(sched, &st);
	return st;
}

/* idle-runs-oldest: the record @t of held worker @h, seen by the loop. */
static void note_held(int h, const struct scx_queued_task *t)
{
	if (!(t->flags & SCX_TASK_PLACED)) {
		held_since[h] = t->enqueue_ts;
		return;
	}
	atomic_fetch_add(&nr_pulled, 1);
	atomic_fetch_add(&nr_pulled_on_cpu, t->cpu == atomic_load(&held_cpu));
	atomic_fetch_add(&nr_pulled_wakeup, !!(t->flags & SCX_TASK_WAKEUP));
	for (int j = 0; j < NR_HELD; j++)
		if (j != h && held_since[j] && held_since[j] < held_since[h] &&
		    t->enqueue_ts - held_since[j] < SCX_FAILSAFE_DEFAULT_MS * 1000000ULL) {
			atomic_fetch_add(&nr_pulled_not_oldest, 1);
			break;
		}
	held_since[h] = 0;
}

/* handoff: what the test's processes and the loop share (MAP_SHARED). */
struct handoff {
	atomic_int pids[2];        /* the ping-pong's two processes */
	atomic_int waker_cpu;      /* where the last byte was written */
	atomic_long wakeups;       /* their wake-up records the loop read... */
	atomic_long loop_on_waker; /* ...running on the writer's CPU */
	atomic_long acked;         /* bytes the spinning wakers saw read */
	atomic_long stuck;         /* bytes not read within 10 s */
};
static _Atomic(struct handoff *) handoff; /* while handoff runs */

/* The FIFO loop with overrides. */
static void schedule_all(void)
{
	struct scx_queued_task t = SCX_QUEUED_TASK_INIT;

	while (scx_dequeue(sched, &t) == 1) {
		struct scx_dispatched_task d;
		bool twice = false;

		if (t.pid > 0 && t.pid < PID_BITS)
			seen_pids[t.pid / 8] |= 1 << (t.pid % 8);
		if (t.pid == atomic_load(&watch_tgid)) {
			atomic_store(&main_cgroup, t.cgroup_id);
		} else if (t.tgid == atomic_load(&watch_tgid)) {
			atomic_store(&other_cgroup, t.cgroup_id);
			atomic_store(&other_pid, t.pid);
			atomic_store(&other_tgid, t.tgid);
		}
		if (atomic_load(&holding)) {
			int h = -1;
			for (int j = 0; j < NR_HELD; j++)
				if (atomic_load(&held_pid[j]) == t.pid)
					h = j;
			if (h >= 0) {
				note_held(h, &t);
				continue;
			}
		}
		static int placed_cpu = -1; /* count_pid's last record was placed on it */
		bool counted = t.pid == atomic_load(&count_pid);
		if (counted)
			atomic_fetch_add(&nr_counted, 1);
		if (t.flags & SCX_TASK_PLACED) {
			atomic_fetch_add(&nr_placed, 1);
			if (counted) {
				atomic_fetch_add(&nr_placed_counted, 1);
				atomic_fetch_add(&nr_placed_wakeup, !!(t.flags & SCX_TASK_WAKEUP));
				if (placed_cpu >= 0) {
					atomic_fetch_add(&nr_placed_followed, 1);
					atomic_fetch_add(&nr_placed_same_cpu, t.cpu == placed_cpu);
				}
				placed_cpu = t.cpu;
			}
			if (!atomic_load(&dispatch_placed))
				continue;
			atomic_fetch_add(&nr_placed_dispatched, 1);
		} else if (counted) {
			placed_cpu = -1;
		}
		if (t.pid == atomic_load(&root_tgid))
			atomic_store(&root_cgroup, t.cgroup_id);
		struct handoff *h = atomic_load(&handoff);
		if (h && (t.flags & SCX_TASK_WAKEUP) &&
		    (t.pid == atomic_load(&h->pids[0]) || t.pid == atomic_load(&h->pids[1]))) {
			atomic_fetch_add(&h->wakeups, 1);
			atomic_fetch_add(&h->loop_on_waker, sched_getcpu() == atomic_load(&h->waker_cpu));
		}
		scx_dispatched_task_init(&d, &t);
		int cpu = atomic_load(&force_any) ? -1 : scx_select_cpu(sched, t.pid, t.cpu, 0);
		if (cpu >= 0 && cpu == sched_getcpu())
			atomic_fetch_add(&nr_self_cpu, 1);
		d.cpu = cpu >= 0 ? cpu : SCX_CPU_ANY;
		for (int i = 0; i < MAX_OVERRIDES; i++) {
			if (atomic_load(&overrides[i].pid) != t.pid)
				continue;
			if (overrides[i].cpu != -2)
				d.cpu = overrides[i].cpu;
			d.slice_ns = overrides[i].slice_ns;
			twice = overrides[i].twice;
		}
		scx_dispatch(sched, &d);
		if (twice)
			scx_dispatch(sched, &d);
	}
}

static long proc_status_field(pid_t pid, const char *field)
{
	char path[64], line[256];
	long v = -1;
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, field, strlen(field)))
			v = atol(line + strlen(field) + 1);
	fclose(f);
	return v;
}

/* Field @nr (1-based, as in proc(5)) of /proc/PID/stat, or -1. */
static long proc_stat_field(pid_t pid, int nr)
{
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	char *p = strrchr(buf, ')'); /* the end of field 2, comm */
	for (int field = 2; p && field < nr; field++)
		p = strchr(p + 1, ' ');
	return p ? atol(p + 1) : -1;
}

/* CPU a task last ran on. */
static int proc_cpu(pid_t pid)
{
	return (int)proc_stat_field(pid, 39);
}

/* ---- tests (run in the test thread) ---- */

static void test_select_cpu(void)
{
	int nr = scx_nr_cpus(sched), here = sched_getcpu();
	pid_t sleeper = fork();
	if (sleeper == 0) {
		pause();
		_exit(0);
	}
	sleep_ms(200);
	/* A CPU that is neither ours nor, likely, the scheduler loop's. On a
	 * busy host something else may be running there for a while: asked
	 * again every 50 ms, for up to 2 s, until it is idle. */
	int prev = (here + 2) % nr, got = -1;
	for (int i = 0; i < 40 && got != prev; i++) {
		if (i)
			sleep_ms(50);
		got = scx_select_cpu(sched, sleeper, prev, 0);
	}
	CHECK(got == prev, "select_cpu prefers an idle prev_cpu %d: got %d", prev, got);
	/* A claimed CPU may be idle again by the next call (it went through
	 * idle once more), so only the kind of answer is fixed. */
	int again = scx_select_cpu(sched, sleeper, prev, 0);
	CHECK(again == -EBUSY || (again >= 0 && again < nr), "second answer is a CPU or -EBUSY: %d", again);

	pid_t pinned = spawn_hog(3);
	sleep_ms(100);
	int bad = 0, ok = 0;
	for (int i = 0; i < 200; i++) {
		int c = scx_select_cpu(sched, pinned, i % nr, 0);
		if (c >= 0 && c != 3)
			bad++;
		if (c == 3 || c == -EBUSY)
			ok++;
		if (i % 20 == 0)
			sleep_ms(5);
	}
	CHECK(bad == 0 && ok == 200, "task pinned to CPU 3: 200 answers, %d outside its affinity", bad);
	reap(pinned);

	CHECK(scx_select_cpu(sched, 0, 0, 0) == -EINVAL, "pid 0 -> -EINVAL");
	CHECK(scx_select_cpu(sched, 4000000, 0, 0) == -ESRCH, "unknown pid -> -ESRCH");
	CHECK(scx_select_cpu(sched, sleeper, nr, 0) == -EINVAL, "prev_cpu >= nr_cpus -> -EINVAL");
	CHECK(scx_select_cpu(sched, sleeper, 0, 1ULL << 40) == -EINVAL, "unknown flag -> -EINVAL");
	int core = scx_select_cpu(sched, sleeper, 0, SCX_SELECT_IDLE_CORE);
	CHECK(core >= -EBUSY && core < nr, "SCX_SELECT_IDLE_CORE answers a CPU or -EBUSY: %d", core);
	reap(sleeper);
}

/* CPU time a task has used, in clock ticks (utime + stime). */
static long cpu_ticks(pid_t pid)
{
	return proc_stat_field(pid, 14) + proc_stat_field(pid, 15);
}

#define SLICE_HOGS 8

/* Involuntary switches of SLICE_HOGS hogs sharing CPU 1 at @slice_ns while
 * they use @ticks clock ticks of CPU time together: a count over the same
 * work, not a rate, so that a slower guest changes neither side's count.
 * Several hogs, so that when one's slice ends another already waits on the
 * CPU and the loop has the slices of all the others to send it back: with
 * the local queue empty the kernel would refill the slice instead (no
 * switch), and a loop slowed by host load would hide the shorter slices. */
static long hogs_switched(const pid_t *hogs)
{
	long n = 0;
	for (int i = 0; i < SLICE_HOGS; i++)
		n += proc_status_field(hogs[i], "nonvoluntary_ctxt_switches");
	return n;
}

static long hogs_ticks(const pid_t *hogs)
{
	long n = 0;
	for (int i = 0; i < SLICE_HOGS; i++)
		n += cpu_ticks(hogs[i]);
	return n;
}

static long switches_per_work(const pid_t *hogs, uint64_t slice_ns, long ticks)
{
	for (int i = 0; i < SLICE_HOGS; i++)
		set_override(i, hogs[i], 1, slice_ns, false);
	sleep_ms(300);
	long s0 = hogs_switched(hogs), c0 = hogs_ticks(hogs);
	double give_up = now_s() + 120;
	while (hogs_ticks(hogs) - c0 < ticks && now_s() < give_up)
		sleep_ms(50);
	return hogs_switched(hogs) - s0;
}

static void test_slice(void)
{
	pid_t hogs[SLICE_HOGS];
	for (int i = 0; i < SLICE_HOGS; i++)
		hogs[i] = spawn_hog(1);
	long work = 2 * sysconf(_SC_CLK_TCK); /* 2 s of CPU */
	long fast = switches_per_work(hogs, 1000000, work);
	long slow = switches_per_work(hogs, 20000000, work);
	long fast2 = switches_per_work(hogs, 1000000, work);
	printf("involuntary switches of %d hogs on CPU 1 per 2 s of their CPU time: slice 1 ms %ld, "
	       "20 ms %ld, 1 ms again %ld (HZ=250 ticks bound 1 ms slices to 4 ms: ideal 500 vs 100)\n",
	       SLICE_HOGS, fast, slow, fast2);
	/* Ideal 5x; other tasks' wake-ups on CPU 1 add switches to both sides
	 * under load, so only a clear majority of that margin is required. */
	CHECK(slow > 0 && fast > 2 * slow && fast2 > 2 * slow,
	      "1 ms slices switch > 2x as often as 20 ms ones over the same CPU time (%ld, %ld vs %ld)",
	      fast, fast2, slow);
	for (int i = 0; i < SLICE_HOGS; i++) {
		set_override(i, 0, -2, 0, false);
		reap(hogs[i]);
	}
}

static void test_cpu_any(void)
{
	struct scx_stats before = stats_now();
	char *argv[] = {"hackbench", "-g", "2", "-l", "50", NULL};
	atomic_store(&force_any, true);
	int rc = run_cmd(argv);
	atomic_store(&force_any, false);
	struct scx_stats after = stats_now();
	CHECK(rc == 0, "hackbench with every task on SCX_CPU_ANY exits 0 (got %d)", rc);
	CHECK(after.nr_user_dispatches > before.nr_user_dispatches + 100,
	      "user dispatches grew by %llu", (unsigned long long)(after.nr_user_dispatches - before.nr_user_dispatches));
}

static void test_pinned(void)
{
	pid_t hog = spawn_hog(2);
	sleep_ms(100); /* the child pins itself after fork */
	struct scx_stats before = stats_now();
	set_override(0, hog, 0, 0, false); /* CPU 0 is outside its affinity */
	int wrong = 0, samples = 0;
	for (int i = 0; i < 200; i++) {
		int c = proc_cpu(hog);
		samples++;
		if (c != 2)
			wrong++;
		/* The only task of its CPU has its slice refilled by the kernel
		 * without ops.enqueue, so unless something else came to CPU 2 it
		 * would never ask user space: stopped and continued, it wakes
		 * up through user space, which the override sends to CPU 0. */
		if (i % 50 == 25) {
			kill(hog, SIGSTOP);
			sleep_ms(5);
			kill(hog, SIGCONT);
		}
		sleep_ms(10);
	}
	struct scx_stats after = stats_now();
	CHECK(wrong == 0, "hog pinned to CPU 2 and dispatched to CPU 0 ran only on CPU 2 (%d/%d samples elsewhere)", wrong, samples);
	CHECK(after.nr_bounce_dispatches > before.nr_bounce_dispatches,
	      "dispatches outside the affinity were bounced: %llu",
	      (unsigned long long)(after.nr_bounce_dispatches - before.nr_bounce_dispatches));
	set_override(0, 0, -2, 0, false);
	reap(hog);

	char *argv[] = {"taskset", "-c", "3", "hackbench", "-g", "1", "-l", "20", NULL};
	CHECK(run_cmd(argv) == 0, "hackbench under taskset -c 3 completes");
}

/* A child that sleeps 1 ms 200 times, under SCHED_EXT if @ext. */
static pid_t spawn_sleeper(bool ext)
{
	pid_t pid = fork();
	if (pid == 0) {
		if (ext) {
			struct sched_param sp = {0};
			if (sched_setscheduler(0, SCHED_EXT, &sp))
				_exit(3);
		}
		for (int i = 0; i < 200; i++)
			sleep_ms(1);
		_exit(0);
	}
	return pid;
}

static void test_partial(void)
{
	pid_t ext = spawn_sleeper(true), fair = spawn_sleeper(false);
	int st_ext, st_fair;
	waitpid(ext, &st_ext, 0);
	waitpid(fair, &st_fair, 0);
	CHECK(WIFEXITED(st_ext) && WEXITSTATUS(st_ext) == 0, "child switched itself to SCHED_EXT");
	CHECK(seen_pids[ext / 8] & (1 << (ext % 8)), "the SCHED_EXT task went through user space");
	CHECK(!(seen_pids[fair / 8] & (1 << (fair % 8))), "the SCHED_NORMAL task did not");
}

static void test_bad_input(void)
{
	struct scx_queued_task q = SCX_QUEUED_TASK_INIT;
	struct scx_dispatched_task d;
	int nr = scx_nr_cpus(sched);
	struct scx_stats before = stats_now();

	/* Rejected by the C API itself (this thread must not race the loop's
	 * dequeue, so only the argument checks are exercised here). */
	CHECK(scx_dequeue(NULL, &q) == -EINVAL, "dequeue(NULL handle) -> -EINVAL");
	CHECK(scx_dispatch(NULL, &d) == -EINVAL, "dispatch(NULL handle) -> -EINVAL");
	CHECK(scx_dispatch(sched, NULL) == -EINVAL, "dispatch(NULL task) -> -EINVAL");
	scx_dispatched_task_init(&d, NULL);
	d.pid = getpid();
	d.sz = 8;
	CHECK(scx_dispatch(sched, &d) == -EINVAL, "dispatch(sz 8) -> -EINVAL");
	d.sz = sizeof(d);
	d.cpu = nr;
	CHECK(scx_dispatch(sched, &d) == -EINVAL, "dispatch(cpu = nr_cpus) -> -EINVAL");
	d.cpu = -7;
	CHECK(scx_dispatch(sched, &d) == -EINVAL, "dispatch(cpu = -7) -> -EINVAL");
	d.cpu = 0;
	d.flags = 1ULL << 33;
	CHECK(scx_dispatch(sched, &d) == -EINVAL, "dispatch(unknown flag) -> -EINVAL");
	d.flags = 0;
	d.pid = 0;
	CHECK(scx_dispatch(sched, &d) == -EINVAL, "dispatch(pid 0) -> -EINVAL");
	CHECK(scx_notify(NULL, 0) == -EINVAL, "notify(NULL) -> -EINVAL");
	struct scx_stats st = {.sz = 3};
	CHECK(scx_stats(sched, &st) == -EINVAL, "stats(sz 3) -> -EINVAL");
	struct scx_stats mid = stats_now();
	CHECK(mid.nr_invalid_dispatches - before.nr_invalid_dispatches == 6,
	      "6 invalid dispatches counted: %llu",
	      (unsigned long long)(mid.nr_invalid_dispatches - before.nr_invalid_dispatches));

	/* Accepted by the API, refused by the kernel side (counted). Unknown
	 * and exited pids are sent by the scheduling loop's thread through
	 * an override of a live task, so they enter the ring in order. */
	pid_t gone = fork();
	if (gone == 0)
		_exit(0);
	waitpid(gone, NULL, 0);
	/* One at a time: the loop may sleep in scx_notify() for up to 1 s. */
	pid_t inject[] = {4000000, gone};
	for (int i = 0; i < 2; i++) {
		atomic_store(&inject_pid, inject[i]);
		for (int ms = 0; ms < 3000 && atomic_load(&inject_pid); ms += 10)
			sleep_ms(10);
	}
	sleep_ms(300); /* the kernel side applies them at its next dispatch */

	/* Two hogs share CPU 1, so each slice end brings them back through
	 * user space (a lone hog keeps its CPU without being enqueued). Until
	 * a duplicate was cancelled, or 5 s. */
	pid_t hog = spawn_hog(1), rival = spawn_hog(1);
	set_override(0, hog, -2, 0, true); /* every decision sent twice */
	for (int ms = 0; ms < 5000 && stats_now().nr_cancel_dispatches == mid.nr_cancel_dispatches; ms += 50)
		sleep_ms(50);
	set_override(1, 0, -2, 0, false);
	pid_t hog2 = spawn_ticker();
	set_override(0, hog, -2, 0, false);
	set_override(1, hog2, 1, 1, false); /* slice 1 ns: raised */
	sleep_ms(300);
	set_override(1, hog2, 1, UINT64_MAX, false); /* cut */
	sleep_ms(300);
	set_override(1, hog2, SCX_CPU_ANY, 0, false); /* 0: default */
	sleep_ms(300);
	set_override(0, 0, -2, 0, false);
	set_override(1, 0, -2, 0, false);
	reap(hog);
	reap(rival);
	reap(hog2);

	struct scx_stats after = stats_now();
	CHECK(after.nr_failed_dispatches - mid.nr_failed_dispatches >= 2,
	      "unknown and exited pids counted as failed: %llu",
	      (unsigned long long)(after.nr_failed_dispatches - mid.nr_failed_dispatches));
	CHECK(after.nr_cancel_dispatches > mid.nr_cancel_dispatches,
	      "duplicate dispatches cancelled: %llu",
	      (unsigned long long)(after.nr_cancel_dispatches - mid.nr_cancel_dispatches));
	CHECK(after.nr_slice_clamped - mid.nr_slice_clamped >= 2, "slices of 1 ns and UINT64_MAX clamped: %llu",
	      (unsigned long long)(after.nr_slice_clamped - mid.nr_slice_clamped));

	sleep_ms(5000);
	char state[32];
	read_sched_ext_state(state, sizeof(state));
	CHECK(!scx_exited(sched) && !strcmp(state, "enabled"), "still enabled 5 s later (state %s)", state);
}

static atomic_long helper_wakeups;
static atomic_int helper_stop;
static double helper_max_gap;

static void *helper_thread(void *arg)
{
	(void)arg;
	double last = now_s();
	while (!atomic_load(&helper_stop)) {
		sleep_ms(1);
		double t = now_s();
		if (t - last > helper_max_gap)
			helper_max_gap = t - last;
		last = t;
		atomic_fetch_add(&helper_wakeups, 1);
	}
	return NULL;
}

static void test_helper_thread(void)
{
	pthread_t th;
	pthread_create(&th, NULL, helper_thread, NULL);
	double t0 = now_s();
	char hb[32];
	int rc = run_hackbench(8, 200, hb);
	double secs = now_s() - t0;
	atomic_store(&helper_stop, 1);
	pthread_join(th, NULL);
	printf("helper thread: %ld wake-ups in %.1f s (%.0f/s), longest gap %.0f ms\n",
	       atomic_load(&helper_wakeups), secs, atomic_load(&helper_wakeups) / secs, helper_max_gap * 1000);
	CHECK(rc == 0, "hackbench %s completes while a scheduler thread wakes every 1 ms", hb);
	CHECK(!scx_exited(sched), "no stall: the scheduler is still running");
	CHECK(atomic_load(&helper_wakeups) >= 100, "the helper thread kept waking up (%ld times)",
	      atomic_load(&helper_wakeups));
}

static void *tick_thread(void *arg)
{
	(void)arg;
	for (;;)
		sleep_ms(1);
	return NULL;
}

/* A process of two threads that wake every millisecond, in its own cgroup:
 * its records carry its tgid and that cgroup's id (the inode number of its
 * directory); a task in the root cgroup carries the root's. */
static void test_records(void)
{
	const char *dir = "/sys/fs/cgroup/scxtest-records";
	struct stat cg, root;
	int ready[2];

	rmdir(dir);
	if (mkdir(dir, 0755) || stat(dir, &cg) || stat("/sys/fs/cgroup", &root) || pipe(ready)) {
		CHECK(false, "a cgroup v2 directory for the test: %s", strerror(errno));
		return;
	}
	pid_t child = fork();
	if (child == 0) {
		pthread_t th;
		if (write_text("/sys/fs/cgroup/scxtest-records/cgroup.procs", "0\n") ||
		    pthread_create(&th, NULL, tick_thread, NULL))
			_exit(1);
		if (write(ready[1], "r", 1) != 1)
			_exit(1);
		tick_thread(NULL);
	}
	char c;
	bool moved = read(ready[0], &c, 1) == 1;
	pid_t ticker = spawn_ticker();
	atomic_store(&root_tgid, ticker);
	atomic_store(&watch_tgid, child);
	sleep_ms(500);
	atomic_store(&watch_tgid, 0);
	atomic_store(&root_tgid, 0);
	reap(ticker);
	reap(child);
	rmdir(dir);

	CHECK(moved, "the child moved itself into %s and started a thread", dir);
	CHECK(atomic_load(&main_cgroup) == (uint64_t)cg.st_ino,
	      "its main thread's records carry the cgroup's inode number %llu (got %llu)",
	      (unsigned long long)cg.st_ino, (unsigned long long)atomic_load(&main_cgroup));
	CHECK(atomic_load(&other_pid) != 0 && atomic_load(&other_pid) != child && atomic_load(&other_tgid) == child,
	      "its other thread %d's records carry tgid %d (the process)", atomic_load(&other_pid), child);
	CHECK(atomic_load(&other_cgroup) == (uint64_t)cg.st_ino,
	      "... and the same cgroup id (got %llu)", (unsigned long long)atomic_load(&other_cgroup));
	CHECK(atomic_load(&root_cgroup) == (uint64_t)root.st_ino,
	      "a task in the root cgroup carries the root's inode number %llu (got %llu)",
	      (unsigned long long)root.st_ino, (unsigned long long)atomic_load(&root_cgroup));
}

/* scx_cgroup_info() of a cgroup made for the test: what was written to its
 * files, every change of a tracked field moves the generation, a removed
 * cgroup is ENOENT. Fields this kernel does not report to sched_ext must be
 * flagged as read from cgroupfs. */
static void test_cgroups(void)
{
	const char *dir = "/sys/fs/cgroup/scxtest-cg";
	struct scx_cgroup_info ci = SCX_CGROUP_INFO_INIT;
	struct stat cg, root;
	char path[128];
	int err;

	rmdir(dir);
	err = write_text("/sys/fs/cgroup/cgroup.subtree_control", "+cpu");
	CHECK(!err, "the cpu controller is enabled for the root's children (%s)", strerror(-err));
	if (mkdir(dir, 0755) || stat(dir, &cg) || stat("/sys/fs/cgroup", &root)) {
		CHECK(false, "a cgroup v2 directory for the test: %s", strerror(errno));
		return;
	}
	uint64_t g0 = scx_cgroup_generation(sched);
	snprintf(path, sizeof(path), "%s/cpu.weight", dir);
	err = write_text(path, "300");
	snprintf(path, sizeof(path), "%s/cpu.max", dir);
	err = err ? err : write_text(path, "50000 100000");
	snprintf(path, sizeof(path), "%s/cpu.idle", dir);
	err = err ? err : write_text(path, "1");
	CHECK(!err, "cpu.weight 300, cpu.max 50000 100000 and cpu.idle 1 written (%s)", strerror(-err));

	err = scx_cgroup_info(sched, cg.st_ino, &ci);
	printf("     cgroup %llu: weight %u quota %llu period %llu burst %llu flags 0x%x generation %llu (%llu before)\n",
	       (unsigned long long)ci.id, ci.weight, (unsigned long long)ci.quota_us,
	       (unsigned long long)ci.period_us, (unsigned long long)ci.burst_us, ci.flags,
	       (unsigned long long)ci.generation, (unsigned long long)g0);
	CHECK(err == 0 && ci.id == (uint64_t)cg.st_ino, "scx_cgroup_info() of the new cgroup (%d)", err);
	CHECK(ci.weight == 300, "its weight is 300");
	CHECK(ci.quota_us == 50000 && ci.period_us == 100000 && ci.burst_us == 0,
	      "its cpu.max is 50000 per 100000 us, no burst");
	CHECK(ci.flags & SCX_CGROUP_IDLE, "it is flagged idle");
	bool tracked = !(ci.flags & SCX_CGROUP_READ_WEIGHT);
	CHECK(!tracked || (ci.generation > g0 && scx_cgroup_generation(sched) >= ci.generation),
	      "a tracked cgroup's generation is past the one before its changes");

	uint64_t g1 = scx_cgroup_generation(sched);
	snprintf(path, sizeof(path), "%s/cpu.idle", dir); /* first: an idle cgroup's weight is fixed */
	err = write_text(path, "0");
	snprintf(path, sizeof(path), "%s/cpu.weight", dir);
	err = err ? err : write_text(path, "50");
	snprintf(path, sizeof(path), "%s/cpu.max", dir);
	err = err ? err : write_text(path, "max");
	err = err ? err : scx_cgroup_info(sched, cg.st_ino, &ci);
	CHECK(err == 0 && ci.weight == 50 && ci.quota_us == SCX_CGROUP_NO_QUOTA && !(ci.flags & SCX_CGROUP_IDLE),
	      "after the changes: weight 50, no quota, not idle (%d: weight %u quota %llu flags 0x%x)", err,
	      ci.weight, (unsigned long long)ci.quota_us, ci.flags);
	CHECK(!tracked || (scx_cgroup_generation(sched) > g1 && ci.generation > g1),
	      "the changes moved the generation (%llu -> %llu)", (unsigned long long)g1,
	      (unsigned long long)scx_cgroup_generation(sched));

	err = scx_cgroup_info(sched, root.st_ino, &ci);
	CHECK(err == 0 && ci.weight == 100 && ci.quota_us == SCX_CGROUP_NO_QUOTA,
	      "the root cgroup has the defaults (%d: weight %u)", err, ci.weight);

	uint64_t g2 = scx_cgroup_generation(sched);
	CHECK(rmdir(dir) == 0, "the cgroup is removed");
	/* The kernel releases a removed cgroup (ops.cgroup_exit) from a work
	 * item, after rmdir() returned: wait for that state. */
	for (int i = 0; i < 1000; i++) {
		err = scx_cgroup_info(sched, cg.st_ino, &ci);
		if (err && (!tracked || scx_cgroup_generation(sched) > g2))
			break;
		sleep_ms(10);
	}
	CHECK(err == -ENOENT, "then scx_cgroup_info() says ENOENT (%d)", err);
	CHECK(!tracked || scx_cgroup_generation(sched) > g2, "and the generation moved");
	CHECK(scx_cgroup_info(sched, SCX_CGROUP_UNKNOWN, &ci) == -EINVAL, "SCX_CGROUP_UNKNOWN is EINVAL");
	CHECK(tracked, "this kernel reports cpu.weight to sched_ext (CONFIG_EXT_GROUP_SCHED)");
}

/* opts.enq_last: a CPU hog alone on its CPU comes back to user space at
 * its slice ends, instead of running on with refilled slices (without the
 * option it is reported about once). Waits for 20 of its records, up to 20 s. */
static void test_enq_last(void)
{
	int cpu = scx_nr_cpus(sched) - 1;
	pid_t hog = spawn_hog(cpu);
	atomic_store(&count_pid, hog);
	for (int i = 0; i < 2000 && atomic_load(&nr_counted) < 20; i++)
		sleep_ms(10);
	atomic_store(&count_pid, 0);
	reap(hog);
	long n = atomic_load(&nr_counted);
	CHECK(n >= 20, "a hog alone on CPU %d came back to user space at its slice ends (%ld records)", cpu, n);
}

#define MAX_KTHREADS 1024
#define PF_KTHREAD 0x00200000 /* /proc/PID/stat field 9 */

/* The context switches of task @pid so far. */
static long ctx_switches(pid_t pid)
{
	return proc_status_field(pid, "voluntary_ctxt_switches") + proc_status_field(pid, "nonvoluntary_ctxt_switches");
}

/* The kernel threads that exist now, and their context switches so far. */
static int list_kthreads(pid_t *pids, long *switches, bool *unbound)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int n = 0;

	while (d && n < MAX_KTHREADS && (e = readdir(d))) {
		pid_t pid = atoi(e->d_name);
		cpu_set_t set;
		if (pid <= 0 || pid >= PID_BITS || !(proc_stat_field(pid, 9) & PF_KTHREAD))
			continue;
		pids[n] = pid;
		switches[n] = ctx_switches(pid);
		unbound[n] = !sched_getaffinity(pid, sizeof(set), &set) && CPU_COUNT(&set) > 1;
		n++;
	}
	if (d)
		closedir(d);
	return n;
}

/* Kernel threads never wait for user space, per-CPU and unbound ones alike
 * (rcu_preempt, the kworker that runs the sched_ext watchdog): none of
 * them may reach scx_dequeue(). Waits until the unbound ones switched 20
 * times, up to 30 s (the watchdog's kworker alone runs every 2.5 s). */
static void test_kthreads(void)
{
	static pid_t pids[MAX_KTHREADS];
	static long before[MAX_KTHREADS];
	static bool unbound[MAX_KTHREADS];
	int n = list_kthreads(pids, before, unbound), nr_unbound = 0;
	long ran = 0;

	for (int i = 0; i < n; i++)
		nr_unbound += unbound[i];
	for (int t = 0; t < 3000 && ran < 20; t++) {
		sleep_ms(10);
		ran = 0;
		for (int i = 0; i < n; i++)
			if (unbound[i])
				ran += ctx_switches(pids[i]) - before[i];
	}
	int seen = 0;
	for (int i = 0; i < n; i++) {
		if (!(seen_pids[pids[i] / 8] & (1 << (pids[i] % 8))))
			continue;
		char path[64], comm[32];
		snprintf(path, sizeof(path), "/proc/%d/comm", pids[i]);
		read_first_line(path, comm, sizeof(comm));
		if (seen++ < 5)
			printf("  kernel thread %d %s (%s) reached user space\n", pids[i], comm,
			       unbound[i] ? "unbound" : "per-CPU");
	}
	CHECK(nr_unbound > 0 && ran >= 20, "%d of %d kernel threads are unbound; they switched %ld times", nr_unbound, n,
	      ran);
	CHECK(seen == 0, "no kernel thread reached user space (%d did)", seen);
}

/* opts.wake_to_idle_prev: a ticker (1 ms sleeps) alone wakes to its idle
 * previous CPU and runs there at once; the loop gets SCX_TASK_PLACED
 * records, with SCX_TASK_WAKEUP, and no task changes CPU without it; a
 * decision for such a record is cancelled, never applied. Waits for 50 of
 * the ticker's placed records, up to 20 s. */
static void test_wake_idle_prev(void)
{
	pid_t ticker = spawn_ticker();
	atomic_store(&count_pid, ticker);
	for (int i = 0; i < 2000 && atomic_load(&nr_placed_counted) < 50; i++)
		sleep_ms(10);
	struct scx_stats before = stats_now();
	long dispatched0 = atomic_load(&nr_placed_dispatched);
	atomic_store(&dispatch_placed, true);
	for (int i = 0; i < 2000 && atomic_load(&nr_placed_dispatched) - dispatched0 < 20; i++)
		sleep_ms(10);
	atomic_store(&dispatch_placed, false);
	sleep_ms(200); /* the decisions sent meet ops.dispatch */
	struct scx_stats after = stats_now();
	atomic_store(&count_pid, 0);
	reap(ticker);

	long placed = atomic_load(&nr_placed_counted), sent = atomic_load(&nr_placed_dispatched) - dispatched0;
	long followed = atomic_load(&nr_placed_followed);
	CHECK(placed >= 50, "the ticker's wake-ups to its idle CPU were placed and reported (%ld records)", placed);
	CHECK(atomic_load(&nr_placed_wakeup) == placed, "each with SCX_TASK_WAKEUP (%ld of %ld)",
	      atomic_load(&nr_placed_wakeup), placed);
	CHECK(followed > 0 && atomic_load(&nr_placed_same_cpu) == followed,
	      "placed again, it stayed on its CPU: %ld of %ld named the CPU of the one before",
	      atomic_load(&nr_placed_same_cpu), followed);
	CHECK(sent >= 20 && after.nr_cancel_dispatches - before.nr_cancel_dispatches >= (uint64_t)sent,
	      "decisions for placed records are cancelled (%llu cancelled of %ld sent)",
	      (unsigned long long)(after.nr_cancel_dispatches - before.nr_cancel_dispatches), sent);
	CHECK(after.nr_kernel_dispatches > before.nr_kernel_dispatches, "placed tasks count as kernel dispatches");
}

/* A child pinned to @cpu that spins for 1 ms of its CPU time, then sleeps
 * 100 us, until killed. */
static pid_t spawn_spin_sleeper(int cpu)
{
	pid_t pid = fork();
	if (pid == 0) {
		pin_to_cpu(cpu);
		for (;;) {
			struct timespec t0, t;
			clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
			do
				clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
			while ((t.tv_sec - t0.tv_sec) * 1000000000L + (t.tv_nsec - t0.tv_nsec) < 1000000L);
			struct timespec nap = {0, 100000};
			nanosleep(&nap, NULL);
		}
	}
	return pid;
}

/* opts.idle_runs_oldest: three workers pinned to CPU 2 (spin 1 ms, sleep
 * 100 us) whose waits the loop never answers still run: each time the one
 * running sleeps, CPU 2 runs the one that waited longest, and the loop gets
 * an SCX_TASK_PLACED record naming CPU 2, without SCX_TASK_WAKEUP (that
 * wait was reported before). Waits for 200 such records, up to 20 s. */
static void test_idle_runs_oldest(void)
{
	pid_t w[NR_HELD];
	atomic_store(&held_cpu, 2);
	for (int i = 0; i < NR_HELD; i++)
		atomic_store(&held_pid[i], w[i] = spawn_spin_sleeper(2));
	sleep_ms(200); /* pinned, and running on the loop's decisions */
	struct scx_stats before = stats_now();
	atomic_store(&holding, true);
	for (int i = 0; i < 2000 && atomic_load(&nr_pulled) < 200; i++)
		sleep_ms(10);
	atomic_store(&holding, false);
	struct scx_stats after = stats_now();
	for (int i = 0; i < NR_HELD; i++)
		reap(w[i]);

	long pulled = atomic_load(&nr_pulled);
	CHECK(pulled >= 200, "workers whose waits the loop never answered ran when CPU 2 ran dry (%ld records)",
	      pulled);
	CHECK(atomic_load(&nr_pulled_on_cpu) == pulled, "each record names CPU 2, theirs (%ld of %ld)",
	      atomic_load(&nr_pulled_on_cpu), pulled);
	CHECK(atomic_load(&nr_pulled_wakeup) == 0, "none has SCX_TASK_WAKEUP (%ld)", atomic_load(&nr_pulled_wakeup));
	CHECK(atomic_load(&nr_pulled_not_oldest) == 0,
	      "each time, the worker that had waited longest ran (%ld times another)",
	      atomic_load(&nr_pulled_not_oldest));
	CHECK(after.nr_kernel_dispatches - before.nr_kernel_dispatches >= (uint64_t)pulled,
	      "they count as kernel dispatches (%llu)",
	      (unsigned long long)(after.nr_kernel_dispatches - before.nr_kernel_dispatches));
}

/* The scheduling loop busy on CPU 1 (a loop that loads a successor, or
 * has more work than CPU) must not starve the per-CPU kernel threads
 * there. Reading /proc/sys/vm/stat_refresh runs work on every CPU's kworker
 * and waits for all of it: it must return while the loop spins (the loop
 * stops only when this test says so), and the scheduler must not be
 * ejected (a kworker on CPU 1 left waiting for the 5 s watchdog). */
static void test_busy_loop(void)
{
	char buf[16];
	atomic_store(&loop_spins, true);
	while (atomic_load(&loop_spun_on) < 0) /* the loop took the flag */
		sleep_ms(10);
	int fd = open("/proc/sys/vm/stat_refresh", O_RDONLY);
	ssize_t r = fd >= 0 ? read(fd, buf, sizeof(buf)) : -1;
	if (fd >= 0)
		close(fd);
	atomic_store(&loop_spins, false);
	CHECK(atomic_load(&loop_spun_on) == 1, "the loop spins on CPU 1 (on %d)", atomic_load(&loop_spun_on));
	CHECK(r >= 0, "stat_refresh ran on every CPU while the loop spun (%s)", r >= 0 ? "read" : strerror(errno));
	CHECK(!scx_exited(sched), "no ejection");
}

/* scx_task_allows_cpu(@pid, @cpu), asked of the scheduling loop. */
static int ask_allows(pid_t pid, int cpu)
{
	atomic_store(&allows_cpu, cpu);
	atomic_store(&allows_pid, pid);
	while (atomic_load(&allows_pid))
		sleep_ms(5);
	return atomic_load(&allows_answer);
}

/* The affinity a record carried, and a change made after it: the answer
 * follows the task's affinity, not the last record's. */
static void test_allows_cpu(void)
{
	int nr = scx_nr_cpus(sched);
	pid_t hog = spawn_hog(3);
	atomic_store(&count_pid, hog);
	while (atomic_load(&nr_counted) < 1) /* its record was dequeued */
		sleep_ms(10);
	atomic_store(&count_pid, 0);
	int on3 = ask_allows(hog, 3), on1 = ask_allows(hog, 1);
	CHECK(on3 == 1 && on1 == 0, "a task pinned to CPU 3: allowed there (%d), not on CPU 1 (%d)", on3, on1);

	cpu_set_t two;
	CPU_ZERO(&two);
	CPU_SET(2, &two);
	CHECK(sched_setaffinity(hog, sizeof(two), &two) == 0, "moved to CPU 2 (%s)", strerror(errno));
	int on2 = ask_allows(hog, 2);
	on3 = ask_allows(hog, 3);
	CHECK(on2 == 1 && on3 == 0, "after sched_setaffinity: allowed on CPU 2 (%d), no longer on 3 (%d)", on2, on3);

	int all = 0;
	for (int c = 0; c < nr; c++)
		all += ask_allows(getpid(), c) == 1;
	CHECK(all == nr, "a task of any CPU: allowed on each (%d of %d)", all, nr);
	CHECK(ask_allows(hog, -1) == -EINVAL && ask_allows(hog, nr) == -EINVAL, "cpu -1 or nr_cpus: -EINVAL");
	CHECK(ask_allows(4000000, 0) == -ESRCH, "an unknown pid: -ESRCH");
	CHECK(scx_task_allows_cpu(NULL, hog, 0) == -EINVAL, "NULL handle: -EINVAL");
	reap(hog);
}

/* Two processes (not of the scheduler's own, which BPF places itself)
 * bounce a byte @n times through two pipes. With @h, each notes its CPU
 * before it writes and the loop counts their wake-ups (schedule_all). 0
 * when done. */
static int pingpong(int n, struct handoff *h)
{
	int ab[2], ba[2];

	if (pipe(ab) || pipe(ba))
		return -1;
	pid_t kids[2];
	for (int k = 0; k < 2; k++) {
		kids[k] = fork();
		if (kids[k] == 0) {
			int in = k ? ab[0] : ba[0], out = k ? ba[1] : ab[1];
			char c = 'x';
			for (int i = 0; i < n; i++) {
				if (k && read(in, &c, 1) != 1)
					_exit(1);
				if (h)
					atomic_store(&h->waker_cpu, sched_getcpu());
				if (write(out, &c, 1) != 1 || (!k && read(in, &c, 1) != 1))
					_exit(1);
			}
			_exit(0);
		}
		if (h)
			atomic_store(&h->pids[k], kids[k]);
	}
	int bad = 0;
	for (int k = 0; k < 2; k++) {
		int status;
		waitpid(kids[k], &status, 0);
		bad |= !WIFEXITED(status) || WEXITSTATUS(status);
		if (h)
			atomic_store(&h->pids[k], 0);
	}
	close(ab[0]), close(ab[1]), close(ba[0]), close(ba[1]);
	return bad ? -1 : 0;
}

/* A pipe ping-pong: each wake-up is the only task of its round, and
 * scx_select_cpu() on the loop's thread may give it the loop's own CPU,
 * free as soon as the loop sleeps. Counts, not times. */
static void test_self_cpu(void)
{
	struct scx_stats before = stats_now();
	long self0 = atomic_load(&nr_self_cpu);
	int rc = pingpong(2000, NULL);
	struct scx_stats after = stats_now();
	long self = atomic_load(&nr_self_cpu) - self0;

	CHECK(rc == 0, "a ping-pong of 2,000 round trips completes (no wake-up was lost)");
	CHECK(self > 0, "scx_select_cpu() gave the loop's own CPU %ld times", self);
	/* Each task given the loop's CPU was dispatched there by user space.
	 * (Not "2,000 dispatches": a child that reads before it blocks is not
	 * woken at all; under load that happened 14 times in 2,000.) */
	unsigned long long user = after.nr_user_dispatches - before.nr_user_dispatches;
	CHECK(user >= (unsigned long long)self, "user space placed at least those %ld tasks (%llu)", self, user);
}

static void test_notify(void)
{
	atomic_store(&watch_notify, true);
	char hb[32];
	int rc = run_hackbench(4, 100, hb);
	sleep_ms(200); /* a few idle sleeps too */
	atomic_store(&watch_notify, false);
	long slept = atomic_load(&notify_seen.slept), at_once = atomic_load(&notify_seen.at_once);
	printf("notify: slept %ld, at once %ld, other %ld; blocked but 'at once' %ld, 'slept' without blocking %ld\n",
	       slept, at_once, atomic_load(&notify_seen.other), atomic_load(&notify_seen.blocked_but_at_once),
	       atomic_load(&notify_seen.slept_not_blocked));
	CHECK(rc == 0, "hackbench %s completes", hb);
	CHECK(slept > 0 && at_once > 0, "scx_notify() returned both 1 (slept) and 0 (work was waiting)");
	CHECK(atomic_load(&notify_seen.other) == 0, "scx_notify() returned nothing but 0 or 1");
	/* Not checked: that a call returning 0 never switched out. It did not
	 * wait for work, but a system call in it (the flush of a backlog of
	 * decisions) may wait for memory or a lock: once in 117 calls, in the
	 * package run on a loaded host. */
	CHECK(slept > atomic_load(&notify_seen.slept_not_blocked),
	      "the thread blocked in calls that returned 1 (it sleeps there)");
}

/* @n wakers, one after the other, that hand off once and then do not: each
 * writes a byte and sleeps (it now hands off), is woken with the longest
 * slice there is, writes a second byte and spins until the reader has it
 * (at most 10 s). */
static void spinning_wakers(struct handoff *h, int n)
{
	int p[2], go[2];
	char c = 'x';

	if (pipe(p) || pipe(go))
		return;
	pid_t reader = fork();
	if (reader == 0) {
		for (int i = 0; i < 2 * n; i++)
			if (read(p[0], &c, 1) == 1 && i % 2)
				atomic_fetch_add(&h->acked, 1);
		_exit(0);
	}
	for (int i = 0; i < n; i++) {
		pid_t waker = fork();
		if (waker == 0) {
			if (write(p[1], &c, 1) != 1 || read(go[0], &c, 1) != 1)
				_exit(1);
			uint64_t t0 = mono_ns();
			if (write(p[1], &c, 1) != 1)
				_exit(1);
			while (atomic_load(&h->acked) <= i && mono_ns() - t0 < 10000000000ULL)
				;
			atomic_fetch_add(&h->stuck, atomic_load(&h->acked) <= i);
			_exit(0);
		}
		set_override(0, waker, -2, SCX_SLICE_MAX_NS, false);
		sleep_ms(20); /* it wrote the first byte and sleeps on go */
		if (write(go[1], &c, 1) != 1)
			break;
		waitpid(waker, NULL, 0);
	}
	set_override(0, 0, -2, 0, false);
	close(p[0]), close(p[1]), close(go[0]), close(go[1]);
	waitpid(reader, NULL, 0);
}

/* Hand-offs, with every wake-up decided by user space: the wake-up of a
 * pipe's reader by a writer that sleeps after such wake-ups wakes the loop
 * behind the writer, on its CPU (which scx_select_cpu() then gives the
 * reader); a writer that runs on instead holds the loop up no longer than
 * the first tick 0.5 ms later (its slice is ended), not for its own slice
 * nor until the fail-safe takes the reader. Counts, not times. */
static void test_handoff(void)
{
	struct handoff *h = mmap(NULL, sizeof(*h), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (h == MAP_FAILED) {
		CHECK(0, "mmap: %s", strerror(errno));
		return;
	}
	const int n = 2000, spins = 50;
	atomic_store(&handoff, h);
	long self0 = atomic_load(&nr_self_cpu);
	int rc = pingpong(n, h);
	long wakeups = atomic_load(&h->wakeups), on_waker = atomic_load(&h->loop_on_waker);
	long self = atomic_load(&nr_self_cpu) - self0;
	CHECK(rc == 0, "a ping-pong of %d round trips completes", n);
	CHECK(wakeups >= n && on_waker >= wakeups / 2,
	      "the loop read %ld of the %ld wake-ups on the writer's CPU (at least half of at least %d)", on_waker,
	      wakeups, n);
	CHECK(self >= on_waker / 2, "scx_select_cpu() gave the loop's own CPU %ld times (at least half of %ld)",
	      self, on_waker);

	struct scx_stats before = stats_now();
	spinning_wakers(h, spins);
	struct scx_stats after = stats_now();
	unsigned long long failsafe = after.nr_failsafe_dispatches - before.nr_failsafe_dispatches;
	CHECK(atomic_load(&h->acked) == spins && atomic_load(&h->stuck) == 0,
	      "a reader woken by writers that spin read all %d bytes (%ld; %ld not within 10 s)", spins,
	      atomic_load(&h->acked), atomic_load(&h->stuck));
	CHECK(failsafe < spins / 2, "the fail-safe served fewer than half of them (%llu)", failsafe);
	atomic_store(&handoff, NULL);
	/* Not unmapped: the loop may still be looking at it. */
}

/* Each test, and the options it loads the scheduler with. */
static const struct {
	const char *name;
	void (*fn)(void);
	bool partial;
	bool enq_last;
	bool wake_to_idle_prev;
	bool idle_runs_oldest;
} tests[] = {
	{.name = "select-cpu", .fn = test_select_cpu},
	{.name = "slice", .fn = test_slice},
	{.name = "cpu-any", .fn = test_cpu_any},
	{.name = "pinned", .fn = test_pinned},
	{.name = "partial", .fn = test_partial, .partial = true},
	{.name = "bad-input", .fn = test_bad_input},
	{.name = "helper-thread", .fn = test_helper_thread},
	{.name = "notify", .fn = test_notify},
	{.name = "records", .fn = test_records},
	{.name = "self-cpu", .fn = test_self_cpu},
	{.name = "cgroups", .fn = test_cgroups},
	{.name = "enq-last", .fn = test_enq_last, .enq_last = true},
	{.name = "kthreads", .fn = test_kthreads},
	{.name = "wake-idle-prev", .fn = test_wake_idle_prev, .wake_to_idle_prev = true},
	{.name = "idle-runs-oldest", .fn = test_idle_runs_oldest, .idle_runs_oldest = true},
	{.name = "busy-loop", .fn = test_busy_loop},
	{.name = "allows-cpu", .fn = test_allows_cpu},
	{.name = "handoff", .fn = test_handoff},
};

/* One scx_notify() call of the main loop, checked while a test watches;
 * returns what it returned. */
static int notify_once(void)
{
	struct rusage before, after;
	bool watch = atomic_load(&watch_notify);

	if (watch)
		getrusage(RUSAGE_THREAD, &before);
	int ret = scx_notify(sched, 0);
	if (!watch)
		return ret;
	getrusage(RUSAGE_THREAD, &after);
	bool blocked = after.ru_nvcsw != before.ru_nvcsw;
	if (ret == 1) {
		atomic_fetch_add(&notify_seen.slept, 1);
		atomic_fetch_add(&notify_seen.slept_not_blocked, !blocked);
	} else if (ret == 0) {
		atomic_fetch_add(&notify_seen.at_once, 1);
		atomic_fetch_add(&notify_seen.blocked_but_at_once, blocked);
	} else {
		atomic_fetch_add(&notify_seen.other, 1);
	}
	return ret;
}

static void *test_main(void *arg)
{
	((void (*)(void))arg)();
	atomic_store(&test_done, 1);
	return NULL;
}

int main(int argc, char **argv)
{
	int which = -1;
	for (size_t i = 0; argc == 2 && i < sizeof(tests) / sizeof(tests[0]); i++)
		if (!strcmp(argv[1], tests[i].name))
			which = (int)i;
	if (which < 0) {
		fprintf(stderr, "usage: %s TEST\ntests:", argv[0]);
		for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
			fprintf(stderr, " %s", tests[i].name);
		fprintf(stderr, "\n");
		return 2;
	}
	SCX_OPTS(opts, .name = "scxtest_api", .partial = tests[which].partial, .enq_last = tests[which].enq_last,
		 .wake_to_idle_prev = tests[which].wake_to_idle_prev, .idle_runs_oldest = tests[which].idle_runs_oldest,
		 .exit_dump_len = 4096);
	int err = scx_init(&opts, &sched);
	if (err) {
		printf("FAIL: scx_init: %s\n", scx_strerror(err));
		return 1;
	}
	pthread_t th;
	pthread_create(&th, NULL, test_main, (void *)tests[which].fn);
	while (!atomic_load(&test_done) && !scx_exited(sched)) {
		schedule_all();
		int ask = atomic_load(&allows_pid);
		if (ask) {
			atomic_store(&allows_answer, scx_task_allows_cpu(sched, ask, atomic_load(&allows_cpu)));
			atomic_store(&allows_pid, 0);
		}
		int inject = atomic_exchange(&inject_pid, 0);
		if (inject) {
			struct scx_dispatched_task d = {.sz = sizeof(d), .pid = inject, .cpu = SCX_CPU_ANY, .token = 1};
			scx_dispatch(sched, &d);
		}
		/* While the notify test watches, a wake-up is followed by a
		 * second call before anything is dequeued: what woke the
		 * first (a task, or BPF's wake record) still waits, so the
		 * second must return at once. */
		if (notify_once() == 1 && atomic_load(&watch_notify))
			notify_once();
		if (atomic_load(&loop_spins)) {
			cpu_set_t all;
			sched_getaffinity(0, sizeof(all), &all);
			pin_to_cpu(1);
			atomic_store(&loop_spun_on, sched_getcpu());
			while (atomic_load(&loop_spins))
				;
			sched_setaffinity(0, sizeof(all), &all);
		}
	}
	bool ejected = scx_exited(sched);
	struct scx_exit_info ei = SCX_EXIT_INFO_INIT;
	if (ejected) {
		scx_shutdown(sched, &ei);
		printf("FAIL: the scheduler exited during the test: %s: %s\n%s\n", ei.reason, ei.msg, ei.dump);
		return 1;
	}
	pthread_join(th, NULL);
	scx_shutdown(sched, &ei);
	struct scx_stats st = stats_now();
	printf("stats: user=%llu kernel=%llu cancel=%llu bounce=%llu failed=%llu invalid=%llu clamped=%llu failsafe=%llu\n",
	       (unsigned long long)st.nr_user_dispatches, (unsigned long long)st.nr_kernel_dispatches,
	       (unsigned long long)st.nr_cancel_dispatches, (unsigned long long)st.nr_bounce_dispatches,
	       (unsigned long long)st.nr_failed_dispatches, (unsigned long long)st.nr_invalid_dispatches,
	       (unsigned long long)st.nr_slice_clamped, (unsigned long long)st.nr_failsafe_dispatches);
	CHECK(ei.kind == SCX_EXIT_UNREG, "clean unload: %s", ei.reason);
	if (!tests[which].wake_to_idle_prev && !tests[which].idle_runs_oldest)
		CHECK(atomic_load(&nr_placed) == 0,
		      "no SCX_TASK_PLACED record without opts.wake_to_idle_prev or idle_runs_oldest (%ld)",
		      atomic_load(&nr_placed));
	scx_destroy(sched);
	printf("%s: %d checks, %d failed\n", argv[1], nr_checks, nr_failed);
	return nr_failed ? 1 : 0;
}
