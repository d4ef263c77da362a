// SPDX-License-Identifier: GPL-2.0-only
/*
 * scxtest_hackstat [-w WORKLOAD] -p -g GROUPS -f FDS -l LOOPS [-s BYTES]: run
 * `hackbench -p -g GROUPS -f FDS -l LOOPS ...` under whatever scheduler is
 * loaded, trace it with tracefs and print, as JSON on stdout, what the
 * simulator reports for the same workload (sim/report.cpp): per class
 * (sender, receiver) context switches (times a task was put on a CPU),
 * migrations and CPU time, and the order in which the tasks exited.
 * -w writes the simulator's model of this run: the same tasks, their CPU
 * cost per message as measured here. The simulator's validation
 * (tests/vm/cases/60-sim-validation.sh) compares the two.
 *
 * hackbench forks, per group, its FDS receivers and then its FDS senders:
 * the fork order tells each child's class and group.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"

#define TRACING "/sys/kernel/tracing"
#define MAX_CHILDREN 4096
#define MAX_CPUS 256

struct child {
	int pid;
	int group;
	bool sender;
	long switches, migrations;
	int last_cpu;
	double runtime_s;
	int exit_rank; /* -1: not seen exiting */
};

static struct child children[MAX_CHILDREN];
static int nr_children, groups, fds, loops, datasize = 100;
static int exit_order[MAX_CHILDREN], nr_exited;

static int write_file(const char *rel, const char *val)
{
	char path[256];
	snprintf(path, sizeof(path), TRACING "/%s", rel);
	return write_text(path, val);
}

static struct child *child_by_pid(int pid)
{
	for (int i = 0; i < nr_children; i++)
		if (children[i].pid == pid)
			return &children[i];
	return NULL;
}

/* The integer after "KEY=" in @line, or -1. */
static long field(const char *line, const char *key)
{
	const char *p = strstr(line, key);
	return p ? strtol(p + strlen(key), NULL, 10) : -1;
}

/* Per CPU: the traced child running there and since when. */
static struct {
	struct child *c;
	double since;
} on_cpu[MAX_CPUS];

static void parse_line(const char *line, int main_pid)
{
	const char *ev = strstr(line, ": sched_");
	const char *br = strstr(line, " [");
	if (!ev || !br || br > ev)
		return;
	int cpu = atoi(br + 2);
	const char *ts = ev;
	while (ts > line && ts[-1] != ' ')
		ts--;
	double t = strtod(ts, NULL);
	if (cpu < 0 || cpu >= MAX_CPUS)
		return;

	if (!strncmp(ev, ": sched_process_fork:", 21)) {
		if (field(ev, " pid=") == main_pid && nr_children < MAX_CHILDREN) {
			struct child *c = &children[nr_children];
			int in_group = nr_children % (2 * fds);
			c->pid = (int)field(ev, "child_pid=");
			c->group = nr_children / (2 * fds);
			c->sender = in_group >= fds;
			c->last_cpu = -1;
			c->exit_rank = -1;
			nr_children++;
		}
	} else if (!strncmp(ev, ": sched_process_exit:", 21)) {
		struct child *c = child_by_pid((int)field(ev, " pid="));
		if (c && c->exit_rank < 0) {
			c->exit_rank = nr_exited;
			exit_order[nr_exited++] = (int)(c - children);
		}
	} else if (!strncmp(ev, ": sched_switch:", 15)) {
		if (on_cpu[cpu].c && on_cpu[cpu].c->pid == field(ev, "prev_pid="))
			on_cpu[cpu].c->runtime_s += t - on_cpu[cpu].since;
		on_cpu[cpu].c = NULL;
		struct child *c = child_by_pid((int)field(ev, "next_pid="));
		if (c) {
			c->switches++;
			c->migrations += c->last_cpu >= 0 && c->last_cpu != cpu;
			c->last_cpu = cpu;
			on_cpu[cpu].c = c;
			on_cpu[cpu].since = t;
		}
	}
}

struct class_totals {
	long tasks, switches, migrations;
	double runtime_s;
};

static struct class_totals class_totals(bool sender)
{
	struct class_totals t = {0};
	for (int i = 0; i < nr_children; i++) {
		if (children[i].sender != sender)
			continue;
		t.tasks++;
		t.switches += children[i].switches;
		t.migrations += children[i].migrations;
		t.runtime_s += children[i].runtime_s;
	}
	return t;
}

static void print_class(bool sender, bool last)
{
	struct class_totals t = class_totals(sender);
	printf("    {\"name\": \"%s\", \"tasks\": %ld, \"context_switches\": %ld, \"migrations\": %ld, "
	       "\"runtime_ms\": %.3f}%s\n",
	       sender ? "sender" : "receiver", t.tasks, t.switches, t.migrations, t.runtime_s * 1000, last ? "" : ",");
}

/* The simulator's model of the run just traced (docs/sim.md has the format):
 * each sender writes one message to each receiver of its group per loop,
 * each receiver reads FDS * LOOPS messages; their CPU time per loop and per
 * message is what they used here, +-20 % per step; a receiver's pipe holds
 * 64 KiB (the default pipe size) of messages. The children start together
 * when hackbench's parent releases them. */
static int write_workload(const char *path)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return -errno;
	double send_us = class_totals(true).runtime_s * 1e6 / (groups * fds) / loops;
	double recv_us = class_totals(false).runtime_s * 1e6 / (groups * fds) / ((double)fds * loops);
	fprintf(f, "# hackbench -p -g %d -f %d -l %d as traced by scxtest_hackstat\n", groups, fds, loops);
	fprintf(f, "machine cpus=%ld smt=1 hz=250\n", sysconf(_SC_NPROCESSORS_ONLN));
	fprintf(f, "task sender count=%d groups=%d class=sender\n  recv\n  loop %d\n"
		   "    run %.1fus..%.1fus\n    send receiver\n  end\nend\n",
		fds, groups, loops, send_us * 0.8, send_us * 1.2);
	fprintf(f, "task receiver count=%d groups=%d class=receiver inbox=%d\n  recv\n  loop %d\n"
		   "    recv\n    run %.1fus..%.1fus\n  end\nend\n",
		fds, groups, 65536 / datasize, fds * loops, recv_us * 0.8, recv_us * 1.2);
	fprintf(f, "task start start=1ms\n  send sender\n  send receiver\nend\n");
	return fclose(f) ? -errno : 0;
}

int main(int argc, char **argv)
{
	const char *workload_out = NULL;
	if (argc > 2 && !strcmp(argv[1], "-w")) {
		workload_out = argv[2];
		argv[2] = argv[0];
		argv += 2;
		argc -= 2;
	}
	for (int i = 1; i + 1 < argc; i++) {
		if (!strcmp(argv[i], "-g"))
			groups = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "-f"))
			fds = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "-l"))
			loops = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "-s"))
			datasize = atoi(argv[i + 1]);
	}
	if (groups <= 0 || fds <= 0 || loops <= 0 || datasize <= 0 || 2 * groups * fds > MAX_CHILDREN) {
		fprintf(stderr, "usage: %s [-w WORKLOAD] -p -g GROUPS -f FDS -l LOOPS [-s BYTES]\n", argv[0]);
		return 2;
	}

	const char *setup[][2] = {
		{"tracing_on", "0"},
		{"trace", ""},
		{"buffer_size_kb", "8192"},
		{"events/sched/sched_switch/filter", "prev_comm == \"hackbench\" || next_comm == \"hackbench\""},
		{"events/sched/sched_switch/enable", "1"},
		{"events/sched/sched_process_fork/filter", "comm == \"hackbench\""},
		{"events/sched/sched_process_fork/enable", "1"},
		{"events/sched/sched_process_exit/filter", "comm == \"hackbench\""},
		{"events/sched/sched_process_exit/enable", "1"},
		{"tracing_on", "1"},
	};
	for (size_t i = 0; i < sizeof(setup) / sizeof(setup[0]); i++) {
		int err = write_file(setup[i][0], setup[i][1]);
		if (err) {
			fprintf(stderr, "%s: %s/%s: %s\n", argv[0], TRACING, setup[i][0], strerror(-err));
			return 1;
		}
	}

	double t0 = now_s();
	pid_t pid = fork();
	if (pid == 0) {
		dup2(2, 1); /* hackbench's own report goes to stderr */
		argv[0] = "hackbench";
		execvp("hackbench", argv);
		_exit(127);
	}
	int status;
	waitpid(pid, &status, 0);
	double t1 = now_s();
	write_file("tracing_on", "0");
	static const char *const events[] = {"sched_switch", "sched_process_fork", "sched_process_exit"};
	for (size_t i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
		char rel[128];
		snprintf(rel, sizeof(rel), "events/sched/%s/enable", events[i]);
		write_file(rel, "0");
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "%s: hackbench failed (status %d)\n", argv[0], status);
		return 1;
	}

	FILE *f = fopen(TRACING "/trace", "r");
	if (!f) {
		perror(TRACING "/trace");
		return 1;
	}
	char line[1024];
	long lost = 0;
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '#') {
			/* "# entries-in-buffer/entries-written: KEPT/WRITTEN   #P:4" */
			const char *p = strstr(line, "entries-written: ");
			long kept, written;
			if (p && sscanf(p + 17, "%ld/%ld", &kept, &written) == 2)
				lost = written - kept;
			continue;
		}
		parse_line(line, pid);
	}
	fclose(f);
	write_file("trace", "");
	if (nr_children != 2 * groups * fds || nr_exited != nr_children || lost) {
		fprintf(stderr, "%s: traced %d forks and %d exits of %d children, %ld events lost\n", argv[0],
			nr_children, nr_exited, 2 * groups * fds, lost);
		return 1;
	}

	if (workload_out) {
		int err = write_workload(workload_out);
		if (err) {
			fprintf(stderr, "%s: %s: %s\n", argv[0], workload_out, strerror(-err));
			return 1;
		}
	}
	printf("{\n  \"source\": \"vm\",\n  \"workload\": \"hackbench");
	for (int i = 1; i < argc; i++)
		printf(" %s", argv[i]);
	printf("\",\n  \"duration_s\": %.6f,\n  \"classes\": [\n", t1 - t0);
	print_class(true, false);
	print_class(false, true);
	printf("  ],\n  \"completion_order\": [");
	for (int i = 0; i < nr_exited; i++) {
		const struct child *c = &children[exit_order[i]];
		printf("%s\n    {\"pid\": %d, \"task\": \"%s\", \"group\": %d}", i ? "," : "", c->pid,
		       c->sender ? "sender" : "receiver", c->group);
	}
	printf("\n  ]\n}\n");
	return 0;
}
