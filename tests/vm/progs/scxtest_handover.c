// SPDX-License-Identifier: GPL-2.0-only
/*
 * scxtest_handover: the C API's hand-over calls on a real sched_ext kernel
 * (opts.takeover, opts.linger_ms, scx_release), for 29-handover.sh.
 *
 *   scxtest_handover errors      what is refused, and how
 *   scxtest_handover requeue     an owner holding undecided tasks is taken
 *                                over: they are queued again to the new owner
 *   scxtest_handover release     scx_release() leaves the scheduler running;
 *                                the same process takes it over again
 *   scxtest_handover version     a successor that finds another BPF side
 *                                refuses (-ENOEXEC), or reloads when asked
 *
 * Prints one line per check; exits non-zero if any failed.
 */
#define _GNU_SOURCE
#include <scx/scxcore.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "../../../bpf/intf.h"
#include "testutil.h"

#define NAME "hotest"
#define PIN_DIR "/sys/fs/bpf/libscxcore/" NAME
#define LINGER_MS 5000

static bool state_is(const char *want)
{
	char st[32];
	read_sched_ext_state(st, sizeof(st));
	return !strcmp(st, want);
}

static bool pinned(void)
{
	struct stat sb;
	return stat(PIN_DIR, &sb) == 0;
}

/* A plain FIFO round: every waiting task to any CPU. Returns how many. */
static int fifo_round(struct scx_sched *s)
{
	struct scx_queued_task t = SCX_QUEUED_TASK_INIT;
	int n = 0;

	while (scx_dequeue(s, &t) == 1) {
		struct scx_dispatched_task d;

		scx_dispatched_task_init(&d, &t);
		d.cpu = SCX_CPU_ANY;
		scx_dispatch(s, &d);
		n++;
	}
	return n;
}

/* Schedule for about @ms (a loop that lets the system run, not a check). */
static void run_for(struct scx_sched *s, int ms)
{
	double end = now_s() + ms / 1000.0;

	while (now_s() < end && !scx_exited(s)) {
		fifo_round(s);
		scx_notify(s, 0);
	}
}

static struct scx_stats stats_of(struct scx_sched *s)
{
	struct scx_stats st = SCX_STATS_INIT;
	scx_stats(s, &st);
	return st;
}

static void test_errors(void)
{
	struct scx_sched *s = NULL;
	int err;

	SCX_OPTS(req, .name = NAME, .takeover = SCX_TAKEOVER_REQUIRED);
	err = scx_init(&req, &s);
	CHECK(err == -ENOENT, "takeover REQUIRED with nothing pinned: -ENOENT (got %d)", err);

	SCX_OPTS(bad, .name = NAME, .takeover = 4);
	CHECK(scx_init(&bad, &s) == -EINVAL, "takeover 4: -EINVAL");
	SCX_OPTS(long_linger, .name = NAME, .linger_ms = SCX_LINGER_MAX_MS + 1);
	CHECK(scx_init(&long_linger, &s) == -EINVAL, "linger_ms above SCX_LINGER_MAX_MS: -EINVAL");
	SCX_OPTS(dot, .name = "..", .linger_ms = 100);
	CHECK(scx_init(&dot, &s) == -EINVAL, "name \"..\" with linger_ms: -EINVAL");

	SCX_OPTS(plain, .name = NAME);
	err = scx_init(&plain, &s);
	CHECK(err == 0, "plain load (%d)", err);
	if (err)
		return;
	CHECK(!pinned(), "without linger_ms nothing is pinned");
	CHECK(scx_release(s) == -EINVAL, "scx_release without linger_ms: -EINVAL");
	CHECK(!scx_exited(s), "... and the scheduler is still ours");
	SCX_OPTS(other, .name = "hotest2", .takeover = SCX_TAKEOVER_REQUIRED);
	struct scx_sched *s2 = NULL;
	err = scx_init(&other, &s2);
	CHECK(err == -ENOENT, "taking over a scheduler without linger_ms: -ENOENT (got %d)", err);
	scx_destroy(s);
	CHECK(state_is("disabled"), "unloaded");
}

/* The owner (a child): holds the first tasks it dequeues, dispatches the
 * rest, until it is taken over. Tells the parent over @fd when it holds
 * some; exits 0 if its exit kind is HANDED_OVER naming @successor. */
static int hold_until_taken(int fd)
{
	/* No fail-safe: the held tasks stay parked, however long the
	 * successor takes to come (the kernel's watchdog bounds it). */
	SCX_OPTS(opts, .name = NAME, .linger_ms = LINGER_MS, .no_failsafe = true,
		 .timeout_ms = SCX_TIMEOUT_MAX_MS);
	struct scx_sched *s;
	pid_t parent = getppid();
	int held = 0, err = scx_init(&opts, &s);

	if (err) {
		printf("owner: scx_init: %s\n", scx_strerror(err));
		return 2;
	}
	while (!scx_exited(s)) {
		struct scx_queued_task t = SCX_QUEUED_TASK_INIT;

		while (scx_dequeue(s, &t) == 1) {
			struct scx_dispatched_task d;

			if (held < 8 && t.pid != parent) {
				held++; /* never dispatched: only a take-over runs it */
				if (held == 8 && write(fd, "h", 1) != 1)
					return 2;
				continue;
			}
			scx_dispatched_task_init(&d, &t);
			d.cpu = SCX_CPU_ANY;
			scx_dispatch(s, &d);
		}
		scx_notify(s, held);
	}
	struct scx_exit_info ei = SCX_EXIT_INFO_INIT;
	scx_shutdown(s, &ei);
	char want[64];
	snprintf(want, sizeof(want), "handed over to process %d", parent);
	printf("owner: exit kind %lld: %s (%s)\n", (long long)ei.kind, ei.reason, ei.msg);
	bool ok = ei.kind == SCX_EXIT_HANDED_OVER && !strcmp(ei.reason, want);
	scx_destroy(s);
	return ok ? 0 : 1;
}

/* Copy /proc/@pid/task/<tid>/@what of every thread of @pid to stdout. */
static void dump_threads(pid_t pid, const char *what)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	DIR *dir = opendir(path);
	struct dirent *e;
	while (dir && (e = readdir(dir))) {
		char file[sizeof(path) + sizeof(e->d_name) + 16], out[2048];
		if (e->d_name[0] == '.')
			continue;
		snprintf(file, sizeof(file), "%s/%s/%s", path, e->d_name, what);
		int fd = open(file, O_RDONLY);
		ssize_t r = fd >= 0 ? read(fd, out, sizeof(out)) : -1;
		if (fd >= 0)
			close(fd);
		if (r > 0)
			printf("%s:\n%.*s\n", file, (int)r, out);
	}
	if (dir)
		closedir(dir);
}

/* A process that, unless killed first, says after @secs where @test and
 * @owner are (their threads' states and kernel stacks), then kills both. */
static pid_t spawn_stuck_watcher(pid_t test, pid_t owner, int secs)
{
	pid_t w = fork();
	if (w)
		return w;
	sleep((unsigned)secs);
	printf("FAIL: stuck for %d s; the threads of the test (%d), then of the owner (%d):\n", secs, test, owner);
	fflush(stdout);
	static const char *const what[] = {"stat", "wchan", "syscall", "stack"};
	for (size_t i = 0; i < sizeof(what) / sizeof(what[0]); i++)
		dump_threads(test, what[i]);
	for (size_t i = 0; i < sizeof(what) / sizeof(what[0]); i++)
		dump_threads(owner, what[i]);
	kill(owner, SIGKILL);
	kill(test, SIGKILL);
	_exit(0);
}

static void test_requeue(void)
{
	int pipefd[2];
	char c;
	/* Tasks to hold: the owner holds each at its first record, and 8 of
	 * them must come from here (kernel threads never reach user space). */
	pid_t tickers[10];

	if (pipe(pipefd))
		return;
	for (int i = 0; i < 10; i++)
		tickers[i] = spawn_ticker();
	pid_t owner = fork();
	if (owner == 0)
		_exit(hold_until_taken(pipefd[1]));
	close(pipefd[1]); /* an owner that dies before it holds 8 ends the read */
	pid_t watcher = spawn_stuck_watcher(getpid(), owner, 120);
	bool holds = read(pipefd[0], &c, 1) == 1;
	CHECK(holds, "the owner loaded and holds 8 undecided tasks");
	CHECK(pinned(), "linger_ms pinned it in " PIN_DIR);

	SCX_OPTS(opts, .name = NAME, .takeover = SCX_TAKEOVER_REQUIRED, .linger_ms = LINGER_MS, .debug = true);
	struct scx_sched *s = NULL;
	int err = scx_init(&opts, &s);
	CHECK(err == 0, "take-over while the owner runs (%s)", scx_strerror(err));
	/* Schedule while the previous owner exits: its threads are ours now. */
	int status = -1;
	while (!err && !scx_exited(s) && waitpid(owner, &status, WNOHANG) == 0) {
		fifo_round(s);
		scx_notify(s, 0);
	}
	if (err)
		waitpid(owner, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "the previous owner saw SCX_EXIT_HANDED_OVER naming us, and exited (status %d)", status);
	if (!err) {
		struct scx_stats st = stats_of(s);
		CHECK(st.nr_handovers == 1, "nr_handovers 1 (got %llu)", (unsigned long long)st.nr_handovers);
		CHECK(st.nr_requeued >= 8, "the 8 held tasks were queued again to us (nr_requeued %llu)",
		      (unsigned long long)st.nr_requeued);
		run_for(s, 500);
		CHECK(state_is("enabled") && !scx_exited(s), "still scheduling under the new owner");
		struct scx_exit_info ei = SCX_EXIT_INFO_INIT;
		scx_shutdown(s, &ei);
		CHECK(ei.kind == SCX_EXIT_UNREG, "the new owner unloads it (kind %lld)", (long long)ei.kind);
		scx_destroy(s);
	}
	CHECK(state_is("disabled"), "sched_ext disabled after the unload");
	CHECK(!pinned(), "the pins are removed with it");
	reap(watcher);
	for (int i = 0; i < 10; i++)
		reap(tickers[i]);
}

static void test_release(void)
{
	SCX_OPTS(opts, .name = NAME, .linger_ms = LINGER_MS);
	struct scx_sched *s = NULL;
	int err = scx_init(&opts, &s);

	CHECK(err == 0, "load with linger_ms (%d)", err);
	if (err)
		return;
	run_for(s, 200);
	CHECK(scx_release(s) == 0, "scx_release");
	CHECK(scx_exited(s), "... then scx_exited() is true");
	CHECK(scx_dequeue(s, &(struct scx_queued_task)SCX_QUEUED_TASK_INIT) == -ENODEV,
	      "... and scx_dequeue() -ENODEV");
	CHECK(scx_release(s) == -ENODEV, "a second scx_release: -ENODEV");
	struct scx_exit_info ei = SCX_EXIT_INFO_INIT;
	scx_shutdown(s, &ei);
	CHECK(ei.kind == SCX_EXIT_RELEASED, "exit kind SCX_EXIT_RELEASED (%lld: %s)", (long long)ei.kind, ei.reason);
	scx_destroy(s);
	sleep_ms(300); /* the heartbeat sees the owner left; tasks run on */
	CHECK(state_is("enabled") && pinned(), "released: sched_ext still enabled, still pinned");

	SCX_OPTS(again, .name = NAME, .takeover = SCX_TAKEOVER_REQUIRED, .linger_ms = LINGER_MS);
	err = scx_init(&again, &s);
	CHECK(err == 0, "the same process takes it over again (%s)", scx_strerror(err));
	if (err)
		return;
	run_for(s, 300);
	struct scx_stats st = stats_of(s);
	CHECK(st.nr_handovers == 1, "nr_handovers 1 (got %llu)", (unsigned long long)st.nr_handovers);
	CHECK(st.nr_failsafe_entries >= 1, "the fail-safe served while it had no owner (entries %llu)",
	      (unsigned long long)st.nr_failsafe_entries);
	CHECK(state_is("enabled") && !scx_exited(s), "scheduling again");
	scx_destroy(s);
	CHECK(state_is("disabled") && !pinned(), "unloaded, pins removed");
}

/* Make the pinned scheduler look like another version's. */
static bool corrupt_meta(void)
{
	union bpf_attr attr;
	struct scx_intf_meta meta;
	uint32_t key = 0;

	memset(&attr, 0, sizeof(attr));
	attr.pathname = (uint64_t)(uintptr_t)(PIN_DIR "/meta");
	int fd = (int)syscall(__NR_bpf, BPF_OBJ_GET, &attr, sizeof(attr));
	if (fd < 0)
		return false;
	memset(&attr, 0, sizeof(attr));
	attr.map_fd = (uint32_t)fd;
	attr.key = (uint64_t)(uintptr_t)&key;
	attr.value = (uint64_t)(uintptr_t)&meta;
	bool ok = syscall(__NR_bpf, BPF_MAP_LOOKUP_ELEM, &attr, sizeof(attr)) == 0;
	meta.object_id ^= 1;
	ok = ok && syscall(__NR_bpf, BPF_MAP_UPDATE_ELEM, &attr, sizeof(attr)) == 0;
	close(fd);
	return ok;
}

static void test_version(void)
{
	SCX_OPTS(opts, .name = NAME, .linger_ms = LINGER_MS);
	struct scx_sched *s = NULL, *s2 = NULL;
	int err = scx_init(&opts, &s);

	CHECK(err == 0, "load with linger_ms (%d)", err);
	if (err)
		return;
	CHECK(corrupt_meta(), "made the pinned scheduler look like another version's");
	SCX_OPTS(req, .name = NAME, .takeover = SCX_TAKEOVER_REQUIRED, .debug = true);
	err = scx_init(&req, &s2);
	CHECK(err == -ENOEXEC, "takeover REQUIRED refuses another version: -ENOEXEC (got %d)", err);
	SCX_OPTS(or_load, .name = NAME, .takeover = SCX_TAKEOVER_OR_LOAD);
	err = scx_init(&or_load, &s2);
	CHECK(err == -ENOEXEC, "takeover OR_LOAD too (got %d)", err);
	run_for(s, 200);
	CHECK(!scx_exited(s) && state_is("enabled"), "the running scheduler was not touched");

	SCX_OPTS(reload, .name = NAME, .takeover = SCX_TAKEOVER_OR_RELOAD, .linger_ms = LINGER_MS);
	err = scx_init(&reload, &s2);
	CHECK(err == 0, "takeover OR_RELOAD unloads it and loads ours (%s)", scx_strerror(err));
	CHECK(scx_exited(s), "the old handle saw its scheduler unloaded");
	struct scx_exit_info ei = SCX_EXIT_INFO_INIT;
	scx_shutdown(s, &ei);
	CHECK(ei.kind == SCX_EXIT_UNREG, "... kind SCX_EXIT_UNREG (%lld)", (long long)ei.kind);
	scx_destroy(s);
	if (err)
		return;
	/* A task for it to decide (kernel threads never reach user space),
	 * until its first decision, for up to 5 s. */
	pid_t ticker = spawn_ticker();
	struct scx_stats st = stats_of(s2);
	for (int i = 0; i < 50 && !st.nr_user_dispatches; i++) {
		run_for(s2, 100);
		st = stats_of(s2);
	}
	reap(ticker);
	CHECK(st.nr_handovers == 0 && st.nr_user_dispatches > 0,
	      "a fresh load (handovers %llu), scheduling (user %llu)", (unsigned long long)st.nr_handovers,
	      (unsigned long long)st.nr_user_dispatches);
	CHECK(pinned(), "pinned again");
	scx_destroy(s2);
	CHECK(state_is("disabled") && !pinned(), "unloaded, pins removed");
}

/* The owner's loop runs on a thread of its own; the main thread exits. */
static void *owner_thread(void *arg)
{
	int fd = *(int *)arg;
	SCX_OPTS(opts, .name = NAME, .linger_ms = 300);
	struct scx_sched *s;
	int err = scx_init(&opts, &s);
	char c = err ? 'e' : 'l';

	if (write(fd, &c, 1) != 1 || err)
		_exit(2);
	/* Three times the linger time with the main thread gone (it exits at
	 * once): an owner taken for dead would have been unregistered. */
	run_for(s, 1000);
	c = scx_exited(s) ? 'x' : 'r';
	struct scx_stats st = stats_of(s);
	printf("owner thread: %s after 1 s without the main thread; user dispatches %llu\n",
	       c == 'r' ? "still scheduling" : "exited", (unsigned long long)st.nr_user_dispatches);
	scx_destroy(s);
	_exit(c == 'r' ? 0 : 1);
}

static void test_thread_owner(void)
{
	int pipefd[2];
	char c = 0;

	if (pipe(pipefd))
		return;
	pid_t owner = fork();
	if (owner == 0) {
		pthread_t th;
		if (pthread_create(&th, NULL, owner_thread, &pipefd[1]))
			_exit(2);
		pthread_exit(NULL); /* the main thread goes; the process stays */
	}
	bool loaded = read(pipefd[0], &c, 1) == 1 && c == 'l';
	CHECK(loaded, "a thread other than the main one loaded it with linger_ms 300");
	int status = -1;
	waitpid(owner, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "it kept scheduling after its main thread exited (status %d)", status);
	CHECK(state_is("disabled"), "and unloaded it at the end");
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc != 2) {
		fprintf(stderr, "usage: %s errors|requeue|release|version|thread-owner\n", argv[0]);
		return 2;
	}
	if (!strcmp(argv[1], "errors"))
		test_errors();
	else if (!strcmp(argv[1], "requeue"))
		test_requeue();
	else if (!strcmp(argv[1], "release"))
		test_release();
	else if (!strcmp(argv[1], "version"))
		test_version();
	else if (!strcmp(argv[1], "thread-owner"))
		test_thread_owner();
	else
		return 2;
	printf("%d checks, %d failed\n", nr_checks, nr_failed);
	return nr_failed ? 1 : 0;
}
