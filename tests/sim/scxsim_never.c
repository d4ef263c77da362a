// SPDX-License-Identifier: GPL-2.0-only
/*
 * A broken scheduler for the simulator's tests: it dequeues every task and
 * never dispatches one. With the fail-safe off (default here) the kernel's
 * watchdog must report a stall after timeout_ms; with -f the fail-safe must
 * serve the tasks instead.
 *   scxsim_never [-f] [-t TIMEOUT_MS]
 */
#include <scx/scxcore.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	SCX_OPTS(opts, .name = "never", .timeout_ms = 1000, .no_failsafe = true);
	int c;

	while ((c = getopt(argc, argv, "ft:")) != -1) {
		if (c == 'f')
			opts.no_failsafe = false;
		else if (c == 't')
			opts.timeout_ms = (uint32_t)atoi(optarg);
		else
			return 2;
	}
	struct scx_sched *s;
	int err = scx_init(&opts, &s);
	if (err) {
		fprintf(stderr, "scxsim_never: %s\n", scx_strerror(err));
		return 1;
	}
	while (!scx_exited(s)) {
		struct scx_queued_task t = SCX_QUEUED_TASK_INIT;
		while (scx_dequeue(s, &t) == 1)
			;
		scx_notify(s, 0);
	}
	struct scx_exit_info ei = SCX_EXIT_INFO_INIT;
	scx_shutdown(s, &ei);
	printf("exit: kind %lld: %s: %s\n", (long long)ei.kind, ei.reason, ei.msg);
	scx_destroy(s);
	return 0;
}
