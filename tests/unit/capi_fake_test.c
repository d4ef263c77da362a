// SPDX-License-Identifier: GPL-2.0-only
/*
 * The C API (capi/) through a handle, on the host: linked with a fake
 * backend (fake_backend.cpp) instead of the kernel or the simulator, so
 * that the rules of every call on a live handle are tested without a VM:
 * argument checks, the counters the C API keeps, what it hands the backend,
 * and structs of other sizes (an older header's, smaller; a newer one's,
 * larger).
 */
#include <scx/scxcore.h>

#include "fake_backend.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <setjmp.h> /* cmocka.h needs these first */
#include <cmocka.h>

#define OFFSETOFEND(T, m) (offsetof(T, m) + sizeof(((T *)0)->m))

static int setup(void **state)
{
	fake_reset();
	struct scx_sched *s = NULL;
	if (scx_init(NULL, &s))
		return -1;
	*state = s;
	return 0;
}

static int teardown(void **state)
{
	scx_destroy(*state);
	return 0;
}

static struct scx_stats stats_of(struct scx_sched *s)
{
	struct scx_stats st = SCX_STATS_INIT;
	assert_int_equal(scx_stats(s, &st), 0);
	return st;
}

/* scx_init() hands the backend the public defaults, or what was set. */
static void test_init_options(void **state)
{
	(void)state;
	fake_reset();
	struct scx_sched *s = NULL;
	assert_int_equal(scx_init(NULL, &s), 0);
	assert_int_equal(fake.opt_slice_ns, SCX_SLICE_DEFAULT_NS);
	assert_int_equal(fake.opt_timeout_ms, SCX_TIMEOUT_DEFAULT_MS);
	assert_int_equal(fake.opt_failsafe_ms, SCX_FAILSAFE_DEFAULT_MS);
	assert_int_equal(fake.opt_ring_size_kb, SCX_RING_DEFAULT_KB);
	assert_int_equal(fake.opt_wake_batch, SCX_WAKE_BATCH_DEFAULT);
	scx_destroy(s);

	assert_false(fake.opt_enq_last);
	assert_false(fake.opt_wake_to_idle_prev);
	assert_false(fake.opt_idle_runs_oldest);
	SCX_OPTS(o, .slice_ns = 2000000, .wake_batch = 7, .partial = true, .enq_last = true,
		 .wake_to_idle_prev = true, .idle_runs_oldest = true);
	assert_int_equal(scx_init(&o, &s), 0);
	assert_int_equal(fake.opt_slice_ns, 2000000);
	assert_int_equal(fake.opt_wake_batch, 7);
	assert_true(fake.opt_partial);
	assert_true(fake.opt_enq_last);
	assert_true(fake.opt_wake_to_idle_prev);
	assert_true(fake.opt_idle_runs_oldest);
	scx_destroy(s);

	/* Hand-over options (0.2): passed on; checked before the backend. */
	assert_int_equal(fake.opt_takeover, SCX_TAKEOVER_NEVER);
	assert_int_equal(fake.opt_linger_ms, 0);
	SCX_OPTS(h, .name = "h", .takeover = SCX_TAKEOVER_OR_RELOAD, .linger_ms = SCX_LINGER_MAX_MS);
	assert_int_equal(scx_init(&h, &s), 0);
	assert_int_equal(fake.opt_takeover, SCX_TAKEOVER_OR_RELOAD);
	assert_int_equal(fake.opt_linger_ms, SCX_LINGER_MAX_MS);
	scx_destroy(s);
	int before = fake.creates;
	SCX_OPTS(bad_takeover, .takeover = SCX_TAKEOVER_OR_RELOAD + 1);
	assert_int_equal(scx_init(&bad_takeover, &s), -EINVAL);
	SCX_OPTS(bad_linger, .linger_ms = SCX_LINGER_MAX_MS + 1);
	assert_int_equal(scx_init(&bad_linger, &s), -EINVAL);
	SCX_OPTS(dot, .name = ".", .takeover = SCX_TAKEOVER_REQUIRED);
	assert_int_equal(scx_init(&dot, &s), -EINVAL);
	SCX_OPTS(dot_plain, .name = ".");
	assert_int_equal(scx_init(&dot_plain, &s), 0); /* no pin directory: allowed */
	scx_destroy(s);
	assert_int_equal(fake.creates, before + 1);

	/* Sub-schedulers (0.7): passed on; a relative path, both options
	 * at once, or one with a hand-over option, refused before the
	 * backend. */
	SCX_OPTS(host, .host_subs = true);
	assert_int_equal(scx_init(&host, &s), 0);
	assert_true(fake.opt_host_subs);
	scx_destroy(s);
	SCX_OPTS(sub, .sub_cgroup = "/sys/fs/cgroup/a");
	assert_int_equal(scx_init(&sub, &s), 0);
	assert_false(fake.opt_host_subs);
	assert_string_equal(fake.opt_sub_cgroup, "/sys/fs/cgroup/a");
	scx_destroy(s);
	before = fake.creates;
	SCX_OPTS(nested, .host_subs = true, .sub_cgroup = "/sys/fs/cgroup/a");
	assert_int_equal(scx_init(&nested, &s), -EINVAL);
	SCX_OPTS(relative, .sub_cgroup = "a");
	assert_int_equal(scx_init(&relative, &s), -EINVAL);
	SCX_OPTS(sub_linger, .sub_cgroup = "/sys/fs/cgroup/a", .linger_ms = 1);
	assert_int_equal(scx_init(&sub_linger, &s), -EINVAL);
	SCX_OPTS(host_takeover, .host_subs = true, .takeover = SCX_TAKEOVER_OR_LOAD);
	assert_int_equal(scx_init(&host_takeover, &s), -EINVAL);
	assert_int_equal(fake.creates, before);

	/* A newer header's larger struct: zero tail accepted, else refused. */
	struct {
		struct scx_opts o;
		uint64_t newer;
	} big = {.o = {.sz = sizeof(big)}};
	int creates = fake.creates;
	assert_int_equal(scx_init(&big.o, &s), 0);
	scx_destroy(s);
	big.newer = 1;
	assert_int_equal(scx_init(&big.o, &s), -EINVAL);
	assert_null(s);
	assert_int_equal(fake.creates, creates + 1); /* refused before the backend */
}

static void test_dequeue(void **state)
{
	struct scx_sched *s = *state;
	struct scx_queued_task t = SCX_QUEUED_TASK_INIT;

	assert_int_equal(scx_dequeue(s, &t), 0); /* nothing waits */
	fake.next_pid = 42;
	fake.next_cpu = 3;
	fake.next_flags = SCX_TASK_WAKEUP;
	assert_int_equal(scx_dequeue(s, &t), 1);
	assert_int_equal(t.pid, 42);
	assert_int_equal(t.cpu, 3);
	assert_int_equal(t.flags, SCX_TASK_WAKEUP);
	assert_int_equal(t.token, 7);
	assert_int_equal(t.tgid, 41);
	assert_int_equal(t.cgroup_id, 0xc9);
	assert_int_equal(t.sz, sizeof(t)); /* never written */
	assert_int_equal(t.comm[SCX_COMM_LEN - 1], '\0'); /* always ended */

	assert_int_equal(scx_dequeue(NULL, &t), -EINVAL);
	assert_int_equal(scx_dequeue(s, NULL), -EINVAL);
	t.sz = OFFSETOFEND(struct scx_queued_task, comm) - 1; /* below the first release */
	fake.next_pid = 43;
	assert_int_equal(scx_dequeue(s, &t), -EINVAL);
	assert_int_equal(fake.next_pid, 43); /* nothing taken */

	/* An older header's (0.1, 0.2): filled up to comm, nothing after. */
	struct {
		struct scx_queued_task t;
		uint64_t canary;
	} old = {.t = SCX_QUEUED_TASK_INIT};
	memset((char *)&old.t + OFFSETOFEND(struct scx_queued_task, comm), 0x5a,
	       sizeof(old) - OFFSETOFEND(struct scx_queued_task, comm));
	old.t.sz = OFFSETOFEND(struct scx_queued_task, comm);
	assert_int_equal(scx_dequeue(s, &old.t), 1);
	assert_int_equal(old.t.pid, 43);
	for (size_t i = OFFSETOFEND(struct scx_queued_task, comm); i < sizeof(old); i++)
		assert_int_equal(((unsigned char *)&old)[i], 0x5a);
	fake.next_pid = 43;

	/* A newer header's larger struct: its tail is left alone. */
	struct {
		struct scx_queued_task t;
		uint64_t newer;
	} big = {.t = SCX_QUEUED_TASK_INIT, .newer = 0x5555};
	big.t.sz = sizeof(big);
	assert_int_equal(scx_dequeue(s, &big.t), 1);
	assert_int_equal(big.t.pid, 43);
	assert_int_equal(big.newer, 0x5555);

	fake.exited = true;
	assert_int_equal(scx_dequeue(s, &t), -EINVAL); /* sz still too small */
	t.sz = sizeof(t);
	assert_int_equal(scx_dequeue(s, &t), -ENODEV);
}

static void test_dispatch_rules(void **state)
{
	struct scx_sched *s = *state;
	struct scx_dispatched_task d;
	scx_dispatched_task_init(&d, NULL);

	struct {
		int32_t pid, cpu;
		uint64_t flags;
	} bad[] = {
		{0, 0, 0},                                /* pid 0 */
		{-5, 0, 0},                               /* negative pid */
		{1, 4, 0},                                /* cpu = nr_cpus */
		{1, -2, 0},                               /* below SCX_CPU_ANY */
		{1, 0, 1ULL << 9},                        /* unknown flag */
		{1, SCX_CPU_ANY, SCX_DISPATCH_PREEMPT},   /* preempt nowhere */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		d.pid = bad[i].pid;
		d.cpu = bad[i].cpu;
		d.flags = bad[i].flags;
		assert_int_equal(scx_dispatch(s, &d), -EINVAL);
	}
	assert_int_equal(scx_dispatch(s, NULL), -EINVAL);
	assert_int_equal(scx_dispatch(NULL, &d), -EINVAL);
	assert_int_equal(fake.dispatches, 0); /* none reached the backend */
	/* Counted as invalid on the handle (the NULL handle has no counter). */
	assert_int_equal(stats_of(s).nr_invalid_dispatches, 7);

	d.pid = 9;
	d.cpu = 3;
	d.flags = SCX_DISPATCH_PREEMPT;
	d.vtime = 11;
	d.token = 12;
	assert_int_equal(scx_dispatch(s, &d), 0);
	assert_int_equal(fake.last_pid, 9);
	assert_int_equal(fake.last_cpu, 3);
	assert_int_equal(fake.last_flags, SCX_DISPATCH_PREEMPT);
	assert_int_equal(fake.last_slice_ns, 0); /* the default: the backend's to apply */
	assert_int_equal(fake.last_vtime, 11);
	assert_int_equal(fake.last_token, 12);
}

static void test_dispatch_slices_and_sizes(void **state)
{
	struct scx_sched *s = *state;
	struct scx_dispatched_task d;
	scx_dispatched_task_init(&d, NULL);
	d.pid = 5;
	d.cpu = SCX_CPU_ANY;

	d.slice_ns = 1;
	assert_int_equal(scx_dispatch(s, &d), 0);
	assert_int_equal(fake.last_slice_ns, SCX_SLICE_MIN_NS);
	d.slice_ns = UINT64_MAX;
	assert_int_equal(scx_dispatch(s, &d), 0);
	assert_int_equal(fake.last_slice_ns, SCX_SLICE_MAX_NS);
	d.slice_ns = 3000000;
	assert_int_equal(scx_dispatch(s, &d), 0);
	assert_int_equal(fake.last_slice_ns, 3000000);
	assert_int_equal(stats_of(s).nr_slice_clamped, 2);

	struct {
		struct scx_dispatched_task d;
		uint64_t newer;
	} big = {.newer = 0};
	scx_dispatched_task_init(&big.d, NULL);
	big.d.sz = sizeof(big);
	big.d.pid = 6;
	big.d.cpu = 1;
	assert_int_equal(scx_dispatch(s, &big.d), 0);
	assert_int_equal(fake.last_pid, 6);
	big.newer = 1;
	assert_int_equal(scx_dispatch(s, &big.d), -EINVAL);
	d.sz = OFFSETOFEND(struct scx_dispatched_task, token) - 8;
	assert_int_equal(scx_dispatch(s, &d), -EINVAL);
	assert_int_equal(stats_of(s).nr_invalid_dispatches, 2);
}

static void test_select_cpu(void **state)
{
	struct scx_sched *s = *state;

	fake.select_ret = 2;
	assert_int_equal(scx_select_cpu(s, 100, 1, 0), 2);
	assert_int_equal(fake.select_pid, 100);
	assert_int_equal(fake.select_prev, 1);
	assert_false(fake.select_whole_core);
	fake.select_ret = -EBUSY;
	assert_int_equal(scx_select_cpu(s, 100, -1, SCX_SELECT_IDLE_CORE), -EBUSY);
	assert_true(fake.select_whole_core);
	fake.select_ret = -ESRCH;
	assert_int_equal(scx_select_cpu(s, 100, 0, 0), -ESRCH);

	fake.select_pid = 0;
	assert_int_equal(scx_select_cpu(s, 0, 0, 0), -EINVAL);
	assert_int_equal(scx_select_cpu(s, 100, -2, 0), -EINVAL);
	assert_int_equal(scx_select_cpu(s, 100, 4, 0), -EINVAL);
	assert_int_equal(scx_select_cpu(s, 100, 0, 1ULL << 5), -EINVAL);
	assert_int_equal(scx_select_cpu(NULL, 100, 0, 0), -EINVAL);
	assert_int_equal(fake.select_pid, 0); /* none reached the backend */
}

/* The backend's answer passes through; a CPU outside 0..nr_cpus-1 does
 * not reach it. */
static void test_task_allows_cpu(void **state)
{
	struct scx_sched *s = *state;

	fake.allows_ret = 1;
	assert_int_equal(scx_task_allows_cpu(s, 100, 3), 1);
	assert_int_equal(fake.allows_pid, 100);
	assert_int_equal(fake.allows_cpu, 3);
	fake.allows_ret = 0;
	assert_int_equal(scx_task_allows_cpu(s, 100, 0), 0);
	fake.allows_ret = -ESRCH;
	assert_int_equal(scx_task_allows_cpu(s, 100, 0), -ESRCH);

	fake.allows_pid = 0;
	assert_int_equal(scx_task_allows_cpu(s, 0, 0), -EINVAL);
	assert_int_equal(scx_task_allows_cpu(s, 100, -1), -EINVAL);
	assert_int_equal(scx_task_allows_cpu(s, 100, 4), -EINVAL);
	assert_int_equal(scx_task_allows_cpu(NULL, 100, 0), -EINVAL);
	assert_int_equal(fake.allows_pid, 0); /* none reached the backend */
	fake.exited = true;
	assert_int_equal(scx_task_allows_cpu(s, 100, 0), -ENODEV);
}

/* scx_release() reaches the backend for a handle, never for NULL. */
static void test_release(void **state)
{
	struct scx_sched *s = *state;
	assert_int_equal(scx_release(NULL), -EINVAL);
	assert_int_equal(fake.releases, 0);
	assert_int_equal(scx_release(s), 0);
	assert_int_equal(fake.releases, 1);
	fake.exited = true;
	assert_int_equal(scx_release(s), -ENODEV);
}

static void test_notify(void **state)
{
	struct scx_sched *s = *state;

	assert_int_equal(scx_notify(s, 17), 1);
	assert_int_equal(fake.notified_pending, 17);
	assert_int_equal(scx_notify(NULL, 0), -EINVAL);
	fake.exited = true;
	assert_int_equal(scx_notify(s, 0), -ENODEV);
	assert_true(scx_exited(s));
	assert_true(scx_exited(NULL));
}

/* A caller built against the first release's smaller scx_stats gets its
 * fields and nothing past its size. */
static void test_stats_sizes(void **state)
{
	struct scx_sched *s = *state;
	struct scx_stats st = stats_of(s);

	assert_int_equal(st.sz, sizeof(st));
	assert_int_equal(st.nr_online_cpus, 1000);
	assert_int_equal(st.nr_idle_misses, 1000 + 15);
	assert_int_equal(st.nr_hotplug_moves, 1000 + 17);
	assert_int_equal(st.nr_invalid_dispatches, 0); /* the C API's, not the backend's */

	union {
		struct scx_stats st;
		unsigned char bytes[sizeof(struct scx_stats)];
	} old;
	size_t first = OFFSETOFEND(struct scx_stats, nr_idle_misses);
	assert_true(first < sizeof(struct scx_stats));
	memset(&old, 0xa5, sizeof(old));
	old.st.sz = first;
	assert_int_equal(scx_stats(s, &old.st), 0);
	assert_int_equal(old.st.sz, first);
	assert_int_equal(old.st.nr_idle_misses, 1000 + 15);
	for (size_t i = first; i < sizeof(old); i++)
		assert_int_equal(old.bytes[i], 0xa5);

	old.st.sz = first - 1;
	assert_int_equal(scx_stats(s, &old.st), -EINVAL);
	assert_int_equal(scx_stats(s, NULL), -EINVAL);
	assert_int_equal(scx_stats(NULL, &st), -EINVAL);
}

static void test_topology(void **state)
{
	struct scx_sched *s = *state;
	struct scx_cpu_info ci = SCX_CPU_INFO_INIT;
	int32_t cpus[8];

	assert_int_equal(scx_nr_cpus(s), 4);
	assert_int_equal(scx_cpu_info(s, 3, &ci), 0);
	assert_int_equal(ci.cpu, 3);
	assert_int_equal(ci.core_id, 1);
	assert_true(ci.online);
	assert_int_equal(scx_cpu_info(s, 4, &ci), -EINVAL);
	assert_int_equal(scx_cpu_info(s, -1, &ci), -EINVAL);
	ci.sz = 8;
	assert_int_equal(scx_cpu_info(s, 0, &ci), -EINVAL);

	assert_int_equal(scx_cpu_siblings(s, 2, SCX_TOPO_SMT, cpus, 8), 2);
	assert_int_equal(cpus[0], 2);
	assert_int_equal(cpus[1], 3);
	assert_int_equal(scx_cpu_siblings(s, 2, SCX_TOPO_LLC, cpus, 1), 4); /* how many there are */
	assert_int_equal(scx_cpu_siblings(s, 2, SCX_TOPO_LLC, NULL, 0), 4);
	assert_int_equal(scx_cpu_siblings(s, 2, SCX_TOPO_LLC, NULL, 1), -EINVAL);
	assert_int_equal(scx_cpu_siblings(s, 2, (enum scx_topo_level)3, cpus, 8), -EINVAL);
}

static void test_cgroup_info(void **state)
{
	struct scx_sched *s = *state;
	struct scx_cgroup_info ci = SCX_CGROUP_INFO_INIT;
	/* A caller built against a later header: a longer struct whose
	 * unknown tail is left alone. */
	struct {
		struct scx_cgroup_info ci;
		uint64_t later;
	} big = { .ci = { .sz = sizeof(big) }, .later = 77 };

	fake.cgroup_generation = 5;
	assert_int_equal(scx_cgroup_generation(s), 5);
	assert_int_equal(scx_cgroup_generation(NULL), 0);
	assert_int_equal(scx_cgroup_info(s, 41, &ci), 0);
	assert_int_equal(fake.cgroup_asked, 41);
	assert_int_equal(ci.id, 41);
	assert_int_equal(ci.weight, 42);
	assert_true(ci.quota_us == SCX_CGROUP_NO_QUOTA);
	assert_int_equal(ci.generation, 5);
	assert_int_equal(ci.flags, SCX_CGROUP_READ_IDLE);
	assert_int_equal(ci.sz, sizeof(ci));
	assert_int_equal(scx_cgroup_info(s, 9, &big.ci), 0);
	assert_int_equal(big.ci.weight, 10);
	assert_int_equal(big.later, 77);

	fake.cgroup_asked = 0;
	assert_int_equal(scx_cgroup_info(s, SCX_CGROUP_UNKNOWN, &ci), -EINVAL);
	assert_int_equal(scx_cgroup_info(s, 41, NULL), -EINVAL);
	assert_int_equal(scx_cgroup_info(NULL, 41, &ci), -EINVAL);
	ci.sz = offsetof(struct scx_cgroup_info, flags); /* smaller than the first release */
	assert_int_equal(scx_cgroup_info(s, 41, &ci), -EINVAL);
	assert_int_equal(fake.cgroup_asked, 0);

	ci.sz = sizeof(ci);
	ci.weight = 7;
	fake.cgroup_ret = -ENOENT;
	assert_int_equal(scx_cgroup_info(s, 41, &ci), -ENOENT);
	assert_int_equal(ci.weight, 7); /* not written on error */
}

static void test_shutdown(void **state)
{
	struct scx_sched *s = *state;
	struct scx_exit_info ei = SCX_EXIT_INFO_INIT;

	assert_int_equal(scx_shutdown(s, &ei), 0);
	assert_int_equal(ei.kind, SCX_EXIT_UNREG);
	assert_string_equal(ei.reason, "unregistered from user space");
	assert_string_equal(ei.dump, "fake dump");
	const char *dump = ei.dump;
	assert_int_equal(scx_shutdown(s, &ei), 0); /* idempotent; the dump stays the handle's */
	assert_ptr_equal(ei.dump, dump);
	assert_int_equal(scx_shutdown(s, NULL), 0);
	ei.sz = 16;
	assert_int_equal(scx_shutdown(s, &ei), -EINVAL);
	assert_int_equal(scx_shutdown(NULL, NULL), -EINVAL);
	scx_destroy(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_options),
		cmocka_unit_test_setup_teardown(test_dequeue, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dispatch_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dispatch_slices_and_sizes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_select_cpu, setup, teardown),
		cmocka_unit_test_setup_teardown(test_task_allows_cpu, setup, teardown),
		cmocka_unit_test_setup_teardown(test_notify, setup, teardown),
		cmocka_unit_test_setup_teardown(test_release, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stats_sizes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_topology, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cgroup_info, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shutdown, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
