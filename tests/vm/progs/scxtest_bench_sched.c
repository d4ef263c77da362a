// SPDX-License-Identifier: GPL-2.0-only
/*
 * scxtest_bench_sched: scx_rlfifo's policy (FIFO; an idle CPU from
 * scx_select_cpu() else SCX_CPU_ANY; the slice divided by the batch size)
 * with exact counters and two latency histograms, for `make bench`.
 *
 *   enqueue->dequeue  now (CLOCK_MONOTONIC) when scx_dequeue() returns a task
 *                     minus its enqueue_ts (when the BPF side parked it for
 *                     user space): the trip through the ring plus the time
 *                     the scheduler thread took to wake up and get to it.
 *   enqueue->run      the start_ts that the task's *next* record carries
 *                     (when it last started running) minus the enqueue_ts of
 *                     the wait we dispatched: the whole wait, ring, policy,
 *                     decision ring and the CPU picking it up. Counted only
 *                     when that start falls after the enqueue (so not for a
 *                     task that exited, or was re-queued before running).
 *
 * SIGUSR1 prints the counters and histograms and starts new ones; SIGINT or
 * SIGTERM prints them and unloads. Output lines:
 *   bench_sched dequeued=.. dispatched=.. dispatch_errors=.. batches=..
 *   bench_sched hist=enqueue_to_dequeue n=.. mean_us=.. p50_us=.. p90_us=.. p99_us=.. max_us=..
 *   bench_sched hist=enqueue_to_run n=.. ...
 */
#define _GNU_SOURCE
#include <scx/scxcore.h>

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "testutil.h"

#define MAX_BATCH 512
/* Log-linear buckets of microseconds: exact below 1024 us, then 64 per
 * power of two (within 1.6 %), up to 2^40 us. */
#define HIST_EXACT 1024
#define HIST_SUB 64
#define HIST_BUCKETS (HIST_EXACT + 31 * HIST_SUB)
#define PID_SLOTS 65536

struct hist {
	uint32_t bucket[HIST_BUCKETS];
	uint64_t n, sum_ns, max_ns;
};

static struct hist to_dequeue, to_run;
static struct {
	int32_t pid;
	uint64_t enqueue_ts; /* of the wait we dispatched it for; 0: none */
} last_wait[PID_SLOTS];
static uint64_t nr_dequeued, nr_dispatched, nr_errors, nr_batches;
static volatile sig_atomic_t stop, report;

static void on_stop(int sig) { (void)sig; stop = 1; }
static void on_report(int sig) { (void)sig; report = 1; }

static int bucket_of(uint64_t us)
{
	if (us < HIST_EXACT)
		return (int)us;
	int e = 63 - __builtin_clzll(us); /* 10.. */
	int i = HIST_EXACT + (e - 10) * HIST_SUB + (int)((us >> (e - 6)) & (HIST_SUB - 1));
	return i < HIST_BUCKETS ? i : HIST_BUCKETS - 1;
}

/* The largest value (us) that falls in bucket @i. */
static double bucket_top(int i)
{
	if (i < HIST_EXACT)
		return i;
	int e = 10 + (i - HIST_EXACT) / HIST_SUB, m = (i - HIST_EXACT) % HIST_SUB;
	return (double)((((uint64_t)HIST_SUB + (uint64_t)m + 1) << (e - 6)) - 1);
}

static void hist_add(struct hist *h, uint64_t ns)
{
	h->bucket[bucket_of(ns / 1000)]++;
	h->n++;
	h->sum_ns += ns;
	if (ns > h->max_ns)
		h->max_ns = ns;
}

/* The p-th percentile (nearest rank), as the top of its bucket (us),
 * at most the largest value seen. */
static double hist_pct(const struct hist *h, int p)
{
	uint64_t rank = (h->n * (uint64_t)p + 99) / 100, seen = 0;

	if (!rank)
		rank = 1;
	for (int i = 0; i < HIST_BUCKETS; i++) {
		seen += h->bucket[i];
		if (seen >= rank) {
			double top = bucket_top(i) + (i < HIST_EXACT ? 1 : 0);
			return top < h->max_ns / 1e3 ? top : h->max_ns / 1e3;
		}
	}
	return 0;
}

static void hist_print(const char *name, const struct hist *h)
{
	printf("bench_sched hist=%s n=%llu mean_us=%.1f p50_us=%.0f p90_us=%.0f p99_us=%.0f max_us=%.1f\n",
	       name, (unsigned long long)h->n, h->n ? h->sum_ns / 1e3 / (double)h->n : 0.0,
	       hist_pct(h, 50), hist_pct(h, 90), hist_pct(h, 99), h->max_ns / 1e3);
}

static void print_and_reset(void)
{
	printf("bench_sched dequeued=%llu dispatched=%llu dispatch_errors=%llu batches=%llu\n",
	       (unsigned long long)nr_dequeued, (unsigned long long)nr_dispatched,
	       (unsigned long long)nr_errors, (unsigned long long)nr_batches);
	hist_print("enqueue_to_dequeue", &to_dequeue);
	hist_print("enqueue_to_run", &to_run);
	fflush(stdout);
	memset(&to_dequeue, 0, sizeof(to_dequeue));
	memset(&to_run, 0, sizeof(to_run));
	nr_dequeued = nr_dispatched = nr_errors = nr_batches = 0;
}

static void schedule_batch(struct scx_sched *s)
{
	static struct scx_queued_task batch[MAX_BATCH];
	int n = 0;

	while (n < MAX_BATCH) {
		batch[n].sz = sizeof(batch[n]);
		if (scx_dequeue(s, &batch[n]) != 1)
			break;
		uint64_t now = mono_ns();
		const struct scx_queued_task *t = &batch[n];
		if (now > t->enqueue_ts)
			hist_add(&to_dequeue, now - t->enqueue_ts);
		unsigned slot = (uint32_t)t->pid % PID_SLOTS;
		if (last_wait[slot].pid == t->pid && last_wait[slot].enqueue_ts &&
		    t->start_ts > last_wait[slot].enqueue_ts && t->start_ts <= t->enqueue_ts)
			hist_add(&to_run, t->start_ts - last_wait[slot].enqueue_ts);
		last_wait[slot].pid = t->pid;
		last_wait[slot].enqueue_ts = 0;
		n++;
	}
	if (!n)
		return;
	nr_batches++;
	nr_dequeued += (uint64_t)n;
	uint64_t slice = SCX_SLICE_DEFAULT_NS / (uint64_t)n;
	if (slice < SCX_SLICE_MIN_NS)
		slice = SCX_SLICE_MIN_NS;
	for (int i = 0; i < n; i++) {
		struct scx_dispatched_task d;
		int cpu = scx_select_cpu(s, batch[i].pid, batch[i].cpu, 0);

		scx_dispatched_task_init(&d, &batch[i]);
		d.cpu = cpu >= 0 ? cpu : SCX_CPU_ANY;
		d.slice_ns = slice;
		if (scx_dispatch(s, &d)) {
			nr_errors++;
			continue;
		}
		nr_dispatched++;
		last_wait[(uint32_t)batch[i].pid % PID_SLOTS].enqueue_ts = batch[i].enqueue_ts;
	}
}

int main(void)
{
	SCX_OPTS(opts, .name = "bench_sched");
	struct sigaction sa_stop = {.sa_handler = on_stop}, sa_report = {.sa_handler = on_report};
	struct scx_sched *s;

	/* No SA_RESTART: the signal interrupts scx_notify()'s sleep. */
	sigaction(SIGINT, &sa_stop, NULL);
	sigaction(SIGTERM, &sa_stop, NULL);
	sigaction(SIGUSR1, &sa_report, NULL);
	int err = scx_init(&opts, &s);
	if (err) {
		fprintf(stderr, "scxtest_bench_sched: cannot load: %s\n", scx_strerror(err));
		return 1;
	}
	printf("bench_sched: scheduling\n");
	fflush(stdout);
	while (!stop && !scx_exited(s)) {
		schedule_batch(s);
		if (report) {
			report = 0;
			print_and_reset();
		}
		scx_notify(s, 0);
	}
	print_and_reset();
	struct scx_exit_info ei = SCX_EXIT_INFO_INIT;
	scx_shutdown(s, &ei);
	printf("bench_sched exit: %s (kind %lld)\n", ei.reason, (long long)ei.kind);
	scx_destroy(s);
	return ei.kind == SCX_EXIT_UNREG || ei.kind == SCX_EXIT_NONE ? 0 : 1;
}
