// SPDX-License-Identifier: GPL-2.0-only
/*
 * scxtest_wakebatch: opts.wake_batch on the real kernel.
 *
 * With every CPU busy (one pinned hog per CPU), a task that sleeps 1 ms at a
 * time wakes up over and over. How long its wake-ups wait in the ring before
 * scx_dequeue() sees them is measured once with the default batch (user
 * space is woken when a CPU runs dry or 32 tasks wait) and once with
 * wake_batch = 1 (woken for every task): at the 90th percentile the second
 * must be much shorter (the median is not: many wake-ups come as some CPU
 * passes through the scheduler anyway).
 * The scheduler is loaded twice by this one process, in turn.
 */
#define _GNU_SOURCE
#include <scx/scxcore.h>

#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "testutil.h"

#define MAX_SAMPLES 20000
#define RUN_SECS 4.0

/* Load with @wake_batch, run the hogs and the ticker, return the 90th
 * percentile of the time the ticker's wake-ups waited in the ring (ns), or 0
 * on failure. */
static uint64_t p90_ring_wait(uint32_t wake_batch)
{
	static uint64_t waits[MAX_SAMPLES];
	SCX_OPTS(opts, .name = "scxtest_wakebatch", .wake_batch = wake_batch);
	struct scx_sched *s;
	int err = scx_init(&opts, &s);
	if (err) {
		printf("FAIL: scx_init(wake_batch=%u): %s\n", wake_batch, scx_strerror(err));
		return 0;
	}
	int ncpu = scx_nr_cpus(s);
	pid_t pids[65];
	int n = 0;
	for (int c = 0; c < ncpu && n < 64; c++)
		pids[n++] = spawn_hog(c);
	pid_t ticker = spawn_ticker();
	pids[n++] = ticker;

	size_t nw = 0;
	double end = now_s() + RUN_SECS;
	while (now_s() < end && !scx_exited(s)) {
		struct scx_queued_task t = SCX_QUEUED_TASK_INIT;
		while (scx_dequeue(s, &t) == 1) {
			uint64_t now = mono_ns();
			if (t.pid == ticker && nw < MAX_SAMPLES && now > t.enqueue_ts)
				waits[nw++] = now - t.enqueue_ts;
			struct scx_dispatched_task d;
			scx_dispatched_task_init(&d, &t);
			if (t.pid == ticker)
				d.cpu = SCX_CPU_ANY;
			scx_dispatch(s, &d);
		}
		scx_notify(s, 0);
	}
	for (int i = 0; i < n; i++)
		reap(pids[i]);
	bool ejected = scx_exited(s);
	scx_destroy(s);
	if (ejected || nw < 100) {
		printf("FAIL: wake_batch=%u: %s, %zu samples\n", wake_batch, ejected ? "ejected" : "running", nw);
		return 0;
	}
	sort_u64(waits, nw);
	printf("wake_batch=%u: %zu wake-ups of the ticker, ring wait p50 %.0f us, p90 %.0f us\n", wake_batch, nw,
	       percentile_u64(waits, nw, 50) / 1e3, percentile_u64(waits, nw, 90) / 1e3);
	return percentile_u64(waits, nw, 90);
}

int main(void)
{
	uint64_t batched = p90_ring_wait(0);
	uint64_t eager = p90_ring_wait(1);
	CHECK(batched && eager, "both loads ran 4 s with every CPU busy");
	CHECK(eager && batched >= 2 * eager,
	      "wake_batch=1: the p90 wait in the ring is under half the default's (%.0f vs %.0f us)",
	      eager / 1e3, batched / 1e3);
	printf("wakebatch: %d checks, %d failed\n", nr_checks, nr_failed);
	return nr_failed ? 1 : 0;
}
