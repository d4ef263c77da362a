// SPDX-License-Identifier: GPL-2.0-only
/*
 * scxtest_wakebatch: opts.wake_batch on the real kernel.
 *
 * With every CPU busy (one pinned hog per CPU), a task that sleeps 1 ms at a
 * time wakes up over and over; the scheduler is loaded with the default
 * batch, then with wake_batch = 1, each until user space has seen the
 * ticker wake up TICKS times (at most MAX_SECS: a slowed guest takes
 * longer, it does not fail). Checked, by counts: neither load is ejected,
 * both schedule the ticker's wake-ups through user space and sleep in
 * scx_notify() between rounds. Printed, not judged: the scx_notify()
 * sleeps per task. On the kernel a CPU running dry wakes user space as often
 * as the batch rule would, so the ratio says little here; the rule itself is
 * tested in the simulator (Sim.WakeBatchWakesPerTask), where it is exact,
 * and how much sooner tasks are seen is a latency, for make bench.
 */
#define _GNU_SOURCE
#include <scx/scxcore.h>

#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "testutil.h"

#define TICKS 100
#define MAX_SECS 60.0

struct counts {
	uint64_t tasks, ticks, sleeps;
	double secs;
	bool ejected;
};

/* Load with @wake_batch and run the hogs and the ticker until TICKS. */
static bool run(uint32_t wake_batch, struct counts *c)
{
	SCX_OPTS(opts, .name = "scxtest_wakebatch", .wake_batch = wake_batch);
	struct scx_sched *s;
	int err = scx_init(&opts, &s);
	if (err) {
		printf("FAIL: scx_init(wake_batch=%u): %s\n", wake_batch, scx_strerror(err));
		return false;
	}
	int ncpu = scx_nr_cpus(s);
	pid_t pids[65];
	int n = 0;
	for (int cpu = 0; cpu < ncpu && n < 64; cpu++)
		pids[n++] = spawn_hog(cpu);
	pid_t ticker = spawn_ticker();
	pids[n++] = ticker;

	*c = (struct counts){0, 0, 0, 0.0, false};
	double start = now_s();
	while (c->ticks < TICKS && now_s() < start + MAX_SECS && !scx_exited(s)) {
		struct scx_queued_task t = SCX_QUEUED_TASK_INIT;
		while (scx_dequeue(s, &t) == 1) {
			struct scx_dispatched_task d;
			scx_dispatched_task_init(&d, &t);
			c->tasks++;
			if (t.pid == ticker) {
				c->ticks++;
				d.cpu = SCX_CPU_ANY;
			}
			scx_dispatch(s, &d);
		}
		if (scx_notify(s, 0) == 1)
			c->sleeps++;
	}
	c->secs = now_s() - start;
	for (int i = 0; i < n; i++)
		reap(pids[i]);
	c->ejected = scx_exited(s);
	scx_destroy(s);
	printf("wake_batch=%u: %llu tasks (%llu of them the ticker's wake-ups) in %.1f s, %llu sleeps: %.3f per task\n",
	       wake_batch ? wake_batch : SCX_WAKE_BATCH_DEFAULT, (unsigned long long)c->tasks,
	       (unsigned long long)c->ticks, c->secs, (unsigned long long)c->sleeps,
	       c->tasks ? (double)c->sleeps / (double)c->tasks : 0.0);
	return true;
}

int main(void)
{
	struct counts batched, eager;
	bool ok1 = run(0, &batched), ok2 = run(1, &eager);
	CHECK(ok1 && ok2 && !batched.ejected && !eager.ejected, "both loads ran with every CPU busy, not ejected");
	CHECK(batched.ticks >= TICKS && eager.ticks >= TICKS,
	      "the ticker's wake-ups went through user space: %d within %.0f s (%llu and %llu)", TICKS, MAX_SECS,
	      (unsigned long long)batched.ticks, (unsigned long long)eager.ticks);
	CHECK(batched.sleeps > 0 && eager.sleeps > 0, "scx_notify() slept between rounds (%llu and %llu times)",
	      (unsigned long long)batched.sleeps, (unsigned long long)eager.sleeps);
	printf("wakebatch: %d checks, %d failed\n", nr_checks, nr_failed);
	return nr_failed ? 1 : 0;
}
