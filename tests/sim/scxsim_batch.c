// SPDX-License-Identifier: GPL-2.0-only
/*
 * FIFO with a given opts.wake_batch (argv[1], default 0 = the library's),
 * for the simulator's test of the wake-up rule: while no CPU is idle, a
 * sleeping scx_notify() is woken once wake_batch tasks wait.
 */
#include <scx/scxcore.h>

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	SCX_OPTS(opts, .name = "batch", .wake_batch = argc > 1 ? (uint32_t)atoi(argv[1]) : 0);
	struct scx_sched *s;
	int err = scx_init(&opts, &s);
	if (err) {
		fprintf(stderr, "scxsim_batch: %s\n", scx_strerror(err));
		return 1;
	}
	while (!scx_exited(s)) {
		struct scx_queued_task t = SCX_QUEUED_TASK_INIT;
		while (scx_dequeue(s, &t) == 1) {
			struct scx_dispatched_task d;
			int cpu = scx_select_cpu(s, t.pid, t.cpu, 0);
			scx_dispatched_task_init(&d, &t);
			d.cpu = cpu >= 0 ? cpu : SCX_CPU_ANY;
			scx_dispatch(s, &d);
		}
		scx_notify(s, 0);
	}
	scx_destroy(s);
	return 0;
}
