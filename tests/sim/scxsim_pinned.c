// SPDX-License-Identifier: GPL-2.0-only
/*
 * A careless scheduler for the simulator's tests: every task goes to one CPU
 * (argv[1], default 0), whatever its affinity. A task that may not run there
 * must be bounced to a CPU it may use, never run where it may not.
 */
#include <scx/scxcore.h>

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	int target = argc > 1 ? atoi(argv[1]) : 0;
	SCX_OPTS(opts, .name = "pinall");
	struct scx_sched *s;
	int err = scx_init(&opts, &s);
	if (err) {
		fprintf(stderr, "scxsim_pinned: %s\n", scx_strerror(err));
		return 1;
	}
	while (!scx_exited(s)) {
		struct scx_queued_task t = SCX_QUEUED_TASK_INIT;
		while (scx_dequeue(s, &t) == 1) {
			struct scx_dispatched_task d;
			scx_dispatched_task_init(&d, &t);
			d.cpu = target;
			scx_dispatch(s, &d);
		}
		scx_notify(s, 0);
	}
	scx_destroy(s);
	return 0;
}
