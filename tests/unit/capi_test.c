/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host unit tests of the C API: everything that needs no sched_ext kernel.
 * Linked against build/lib/libscxcore.so like any user program; run with
 * LD_LIBRARY_PATH=build/lib (make test-unit-capi).
 *
 * On a kernel without sched_ext, scx_init() validates its options first and
 * then returns -EOPNOTSUPP, so "accepted" options are told apart from
 * rejected ones by that error. Where sched_ext does exist, an accepted
 * option set may load for real (root) or fail for another reason; the
 * helper below then only checks that validation did not reject it.
 */
#include <scx/scxcore.h>
#include "../../bpf/intf.h" /* the kernel <-> user records */

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <setjmp.h> /* cmocka.h needs these first */
#include <cmocka.h>

/* A value scx_init() must overwrite with NULL on failure. */
static struct scx_sched *const POISON = (struct scx_sched *)(uintptr_t)0x5c5c5c5c;

static bool have_sched_ext(void)
{
	return access("/sys/kernel/sched_ext/state", F_OK) == 0;
}

/* scx_init() must reject @opts with @want and leave *out NULL. */
static void expect_rejected(const struct scx_opts *opts, int want)
{
	struct scx_sched *s = POISON;
	int err = scx_init(opts, &s);
	assert_int_equal(err, want);
	assert_null(s);
}

/* scx_init() must accept @opts: -EOPNOTSUPP here (no sched_ext), *out NULL. */
static void expect_accepted(const struct scx_opts *opts)
{
	struct scx_sched *s = POISON;
	int err = scx_init(opts, &s);
	if (!have_sched_ext()) {
		assert_int_equal(err, -EOPNOTSUPP);
		assert_null(s);
		return;
	}
	/* A real sched_ext kernel: anything but a validation error. */
	assert_int_not_equal(err, -EINVAL);
	assert_int_not_equal(err, -E2BIG);
	if (err == 0) {
		assert_non_null(s);
		scx_destroy(s);
	} else {
		assert_null(s);
	}
}

/* ---- scx_init() argument and option validation ------------------------ */

static void test_init_null_out(void **state)
{
	(void)state;
	SCX_OPTS(opts, .name = "t");
	assert_int_equal(scx_init(&opts, NULL), -EINVAL);
	assert_int_equal(scx_init(NULL, NULL), -EINVAL);
}

static void test_init_defaults(void **state)
{
	(void)state;
	SCX_OPTS(opts);
	expect_accepted(NULL); /* NULL opts: all defaults */
	expect_accepted(&opts);
}

static void test_init_sz_too_small(void **state)
{
	(void)state;
	SCX_OPTS(opts, .name = "t");
	opts.sz = 0;
	expect_rejected(&opts, -EINVAL);
	opts.sz = sizeof(size_t);
	expect_rejected(&opts, -EINVAL);
	/* A 0.1.0 caller's struct ends with wake_batch. */
	opts.sz = offsetof(struct scx_opts, takeover) - 1;
	expect_rejected(&opts, -EINVAL);
	opts.sz = offsetof(struct scx_opts, takeover);
	expect_accepted(&opts);
	opts.sz = sizeof(struct scx_opts);
	expect_accepted(&opts);
}

/* A caller built against a newer header passes a bigger struct. */
static void test_init_bigger_struct(void **state)
{
	(void)state;
	struct {
		struct scx_opts o;
		unsigned char tail[24];
	} big;
	memset(&big, 0, sizeof(big));
	big.o.sz = sizeof(big);
	big.o.name = "newer";
	assert_true(sizeof(big) > sizeof(struct scx_opts));

	/* Unknown bytes all zero: accepted. */
	expect_accepted(&big.o);

	/* Any non-zero unknown byte: -EINVAL (as in libbpf), first and last alike. */
	big.tail[0] = 1;
	expect_rejected(&big.o, -EINVAL);
	big.tail[0] = 0;
	big.tail[sizeof(big.tail) - 1] = 0x80;
	expect_rejected(&big.o, -EINVAL);
	big.tail[sizeof(big.tail) - 1] = 0;

	/* Bytes beyond the caller's sz are not looked at. */
	big.o.sz = sizeof(struct scx_opts) + 8;
	big.tail[8] = 1;
	expect_accepted(&big.o);
	big.tail[7] = 1;
	expect_rejected(&big.o, -EINVAL);
}

/* What scx_init() prints on stderr for @opts (debug set), and its result. */
static int init_stderr(struct scx_opts *opts, char *buf, size_t n)
{
	fflush(stderr);
	int saved = dup(STDERR_FILENO);
	FILE *tmp = tmpfile();
	assert_non_null(tmp);
	dup2(fileno(tmp), STDERR_FILENO);
	struct scx_sched *s = POISON;
	opts->debug = true;
	int err = scx_init(opts, &s);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	rewind(tmp);
	size_t got = fread(buf, 1, n - 1, tmp);
	buf[got] = '\0';
	fclose(tmp);
	return err;
}

/* With .debug, every refusal names the field and the rule; without, silence. */
static void test_init_debug_names_the_field(void **state)
{
	(void)state;
	char out[1024];
	struct {
		struct scx_opts o;
		const char *field, *rule;
	} cases[] = {
		{{.sz = sizeof(struct scx_opts), .slice_ns = 5}, "opts.slice_ns", "10000..1000000000"},
		{{.sz = sizeof(struct scx_opts), .timeout_ms = 30001}, "opts.timeout_ms", "30000"},
		{{.sz = sizeof(struct scx_opts), .name = "my-fifo"}, "opts.name", "'_' or '.'"},
		{{.sz = sizeof(struct scx_opts), .failsafe_ms = 6000}, "opts.failsafe_ms", "below opts.timeout_ms"},
		{{.sz = sizeof(struct scx_opts), .ring_size_kb = 100}, "opts.ring_size_kb", "power of two"},
		{{.sz = sizeof(struct scx_opts), .wake_batch = 5000}, "opts.wake_batch", "4096"},
		{{.sz = sizeof(struct scx_opts), .idle_wait_ms = 70000}, "opts.idle_wait_ms", "60000"},
		{{.sz = sizeof(struct scx_opts), .exit_dump_len = (1u << 20) + 1}, "opts.exit_dump_len", "1048576"},
		{{.sz = sizeof(struct scx_opts), .__reserved = {1}}, "opts.__reserved", "zero"},
		{{.sz = sizeof(struct scx_opts), .__reserved2 = {0, 0, 0, 0, 1}}, "opts.__reserved2", "zero"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(init_stderr(&cases[i].o, out, sizeof(out)), -EINVAL);
		if (!strstr(out, cases[i].field) || !strstr(out, cases[i].rule))
			fail_msg("case %zu: stderr \"%s\" lacks \"%s\" or \"%s\"", i, out, cases[i].field,
				 cases[i].rule);
	}
	/* Without .debug: the same refusal, nothing printed. */
	SCX_OPTS(quiet, .slice_ns = 5);
	fflush(stderr);
	int saved = dup(STDERR_FILENO);
	FILE *tmp = tmpfile();
	dup2(fileno(tmp), STDERR_FILENO);
	struct scx_sched *s = POISON;
	assert_int_equal(scx_init(&quiet, &s), -EINVAL);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	assert_int_equal(ftell(tmp), 0);
	fclose(tmp);
	/* And -EOPNOTSUPP says what is missing, where it is missing. */
	if (!have_sched_ext()) {
		SCX_OPTS(ok);
		assert_int_equal(init_stderr(&ok, out, sizeof(out)), -EOPNOTSUPP);
		if (!strstr(out, "sched_ext") || !strstr(out, "CONFIG_SCHED_CLASS_EXT"))
			fail_msg("-EOPNOTSUPP without saying why: \"%s\"", out);
	}
}

/* The bytes after the last field are declared (__reserved) and must be
 * zero, so a newer header's fields there are refused, not ignored. */
static void test_init_trailing_padding(void **state)
{
	(void)state;
	union {
		struct scx_opts o;
		unsigned char b[sizeof(struct scx_opts)];
	} u;
	memset(&u, 0, sizeof(u));
	u.o.sz = sizeof(u.o);
	u.b[offsetof(struct scx_opts, debug) + 1] = 1;
	expect_rejected(&u.o, -EINVAL);
	u.b[offsetof(struct scx_opts, debug) + 1] = 0;
	u.b[sizeof(u.o) - 1] = 1; /* the last byte: __reserved2 */
	expect_rejected(&u.o, -EINVAL);
}

static void test_init_name(void **state)
{
	(void)state;
	char name[80];
	SCX_OPTS(opts);

	const char *bad[] = {
		"", "a b", "a-b", "a/b", "tab\t", "new\nline", "semi;colon",
		"\xc3\xa9t\xc3\xa9", /* non-ASCII */ "quote\"",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		opts.name = bad[i];
		expect_rejected(&opts, -EINVAL);
	}

	/* 64 characters is one too many, 63 is fine. */
	memset(name, 'a', 64);
	name[64] = '\0';
	opts.name = name;
	expect_rejected(&opts, -EINVAL);
	memset(name, 'b', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	expect_rejected(&opts, -EINVAL);
	name[63] = '\0';
	assert_int_equal(strlen(name), 63);
	expect_accepted(&opts);

	const char *good[] = { "x", "my_sched.1", "ABC_xyz.09", ".", "_" };
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		opts.name = good[i];
		expect_accepted(&opts);
	}
	opts.name = NULL; /* "scxcore" */
	expect_accepted(&opts);
}

static void test_init_slice(void **state)
{
	(void)state;
	SCX_OPTS(opts);
	opts.slice_ns = SCX_SLICE_MIN_NS - 1;
	expect_rejected(&opts, -EINVAL);
	opts.slice_ns = 1;
	expect_rejected(&opts, -EINVAL);
	opts.slice_ns = SCX_SLICE_MAX_NS + 1;
	expect_rejected(&opts, -EINVAL);
	opts.slice_ns = UINT64_MAX;
	expect_rejected(&opts, -EINVAL);

	opts.slice_ns = SCX_SLICE_MIN_NS;
	expect_accepted(&opts);
	opts.slice_ns = SCX_SLICE_MAX_NS;
	expect_accepted(&opts);
	opts.slice_ns = 0; /* default */
	expect_accepted(&opts);
}

static void test_init_timeout(void **state)
{
	(void)state;
	SCX_OPTS(opts);
	opts.timeout_ms = 30001;
	expect_rejected(&opts, -EINVAL);
	opts.timeout_ms = UINT32_MAX;
	expect_rejected(&opts, -EINVAL);
	opts.timeout_ms = 30000;
	expect_accepted(&opts);
}

static void test_init_exit_dump_len(void **state)
{
	(void)state;
	SCX_OPTS(opts);
	opts.exit_dump_len = (1u << 20) + 1;
	expect_rejected(&opts, -EINVAL);
	opts.exit_dump_len = UINT32_MAX;
	expect_rejected(&opts, -EINVAL);
	opts.exit_dump_len = 1u << 20;
	expect_accepted(&opts);
	opts.exit_dump_len = 4096;
	expect_accepted(&opts);
}

static void test_init_failsafe(void **state)
{
	(void)state;
	SCX_OPTS(opts);

	/* Against the default timeout. */
	opts.failsafe_ms = SCX_TIMEOUT_DEFAULT_MS;
	expect_rejected(&opts, -EINVAL);
	opts.failsafe_ms = SCX_TIMEOUT_DEFAULT_MS + 1;
	expect_rejected(&opts, -EINVAL);
	opts.failsafe_ms = SCX_TIMEOUT_DEFAULT_MS - 1;
	expect_accepted(&opts);

	/* Against an explicit timeout. */
	opts.timeout_ms = 1000;
	opts.failsafe_ms = 1000;
	expect_rejected(&opts, -EINVAL);
	opts.failsafe_ms = 999;
	expect_accepted(&opts);

	/* The default fail-safe (100 ms) against a timeout that is not above it. */
	opts.failsafe_ms = 0;
	opts.timeout_ms = SCX_FAILSAFE_DEFAULT_MS;
	expect_rejected(&opts, -EINVAL);
	opts.timeout_ms = SCX_FAILSAFE_DEFAULT_MS + 1;
	expect_accepted(&opts);

	/* With the fail-safe disabled its value does not matter. */
	opts.timeout_ms = 1000;
	opts.failsafe_ms = 2000;
	opts.no_failsafe = true;
	expect_accepted(&opts);
}

static void test_init_other_options(void **state)
{
	(void)state;
	SCX_OPTS(opts, .idle_wait_ms = 60000, .partial = true, .builtin_idle = true,
		 .no_lock_memory = true, .wake_to_idle_prev = true, .idle_runs_oldest = true);
	expect_accepted(&opts);
	opts.idle_wait_ms = 60001;
	expect_rejected(&opts, -EINVAL);
	opts.idle_wait_ms = 1;
	expect_accepted(&opts);

	/* Ring sizes: powers of two from 16 KiB to 64 MiB. */
	static const uint32_t good[] = {16, 32, 1024, 65536};
	static const uint32_t bad[] = {8, 15, 17, 1000, 131072, UINT32_MAX};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		opts.ring_size_kb = good[i];
		expect_accepted(&opts);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		opts.ring_size_kb = bad[i];
		expect_rejected(&opts, -EINVAL);
	}
	opts.ring_size_kb = 0;

	/* Wake batches: 1..4096. */
	opts.wake_batch = 1;
	expect_accepted(&opts);
	opts.wake_batch = 4096;
	expect_accepted(&opts);
	opts.wake_batch = 4097;
	expect_rejected(&opts, -EINVAL);
	opts.wake_batch = 0;
	opts.partial = false;
	opts.builtin_idle = false;
	opts.no_lock_memory = false;
	opts.wake_to_idle_prev = false;
	opts.idle_runs_oldest = false;
	expect_accepted(&opts);
}

/* ---- NULL handles ------------------------------------------------------- */

static void test_null_handle(void **state)
{
	(void)state;
	struct scx_queued_task qt = SCX_QUEUED_TASK_INIT;
	struct scx_dispatched_task dt;
	struct scx_stats st = SCX_STATS_INIT;
	struct scx_exit_info ei = SCX_EXIT_INFO_INIT;
	struct scx_cpu_info ci = SCX_CPU_INFO_INIT;
	int32_t cpus[4] = { 0 };

	qt.pid = 1;
	scx_dispatched_task_init(&dt, &qt);

	assert_int_equal(scx_dequeue(NULL, &qt), -EINVAL);
	assert_int_equal(scx_dequeue(NULL, NULL), -EINVAL);
	assert_int_equal(scx_dispatch(NULL, &dt), -EINVAL);
	assert_int_equal(scx_dispatch(NULL, NULL), -EINVAL);
	assert_int_equal(scx_select_cpu(NULL, 1, 0, 0), -EINVAL);
	assert_int_equal(scx_select_cpu(NULL, 1, -1, SCX_SELECT_IDLE_CORE), -EINVAL);
	assert_int_equal(scx_notify(NULL, 0), -EINVAL);
	assert_int_equal(scx_notify(NULL, 5), -EINVAL);
	assert_int_equal(scx_stats(NULL, &st), -EINVAL);
	assert_int_equal(scx_stats(NULL, NULL), -EINVAL);
	assert_true(scx_exited(NULL));
	assert_int_equal(scx_shutdown(NULL, NULL), -EINVAL);
	assert_int_equal(scx_shutdown(NULL, &ei), -EINVAL);
	assert_int_equal(scx_nr_cpus(NULL), -EINVAL);
	assert_int_equal(scx_cpu_info(NULL, 0, &ci), -EINVAL);
	assert_int_equal(scx_cpu_info(NULL, 0, NULL), -EINVAL);
	assert_int_equal(scx_cpu_siblings(NULL, 0, SCX_TOPO_SMT, cpus, 4), -EINVAL);
	assert_int_equal(scx_cpu_siblings(NULL, 0, SCX_TOPO_NODE, NULL, 0), -EINVAL);
	scx_destroy(NULL); /* no-op, must not crash */

	/* The caller's structs were not written to. */
	assert_int_equal(st.sz, sizeof(st));
	assert_int_equal(st.nr_online_cpus, 0);
	assert_int_equal(ei.kind, 0);
	assert_null(ei.dump);
	assert_int_equal(ci.cpu, 0);
	assert_int_equal(cpus[0], 0);
}

/* ---- scx_dispatched_task_init() ----------------------------------------- */

static void test_dispatched_task_init(void **state)
{
	(void)state;
	struct scx_queued_task t = SCX_QUEUED_TASK_INIT;
	struct scx_dispatched_task d;

	t.pid = 4242;
	t.cpu = 7;
	t.nr_cpus_allowed = 3;
	t.weight = 100;
	t.flags = SCX_TASK_WAKEUP;
	t.start_ts = 11;
	t.stop_ts = 22;
	t.exec_runtime = 33;
	t.vtime = 0x123456789abcdef0ULL;
	t.enqueue_ts = 44;
	t.token = 0xfedcba9876543210ULL;
	strcpy(t.comm, "worker");

	memset(&d, 0xa5, sizeof(d)); /* garbage the function must overwrite */
	scx_dispatched_task_init(&d, &t);
	assert_int_equal(d.sz, sizeof(struct scx_dispatched_task));
	assert_int_equal(d.pid, 4242);
	assert_int_equal(d.cpu, 7);
	assert_int_equal(d.vtime, 0x123456789abcdef0ULL);
	assert_int_equal(d.token, 0xfedcba9876543210ULL);
	assert_int_equal(d.flags, 0);    /* no preemption */
	assert_int_equal(d.slice_ns, 0); /* the default slice */

	/* Negative and extreme values copied verbatim. */
	t.pid = INT32_MAX;
	t.cpu = SCX_CPU_ANY;
	t.vtime = 0;
	t.token = UINT64_MAX;
	scx_dispatched_task_init(&d, &t);
	assert_int_equal(d.pid, INT32_MAX);
	assert_int_equal(d.cpu, SCX_CPU_ANY);
	assert_int_equal(d.vtime, 0);
	assert_int_equal(d.token, UINT64_MAX);

	/* The source is not modified. */
	assert_int_equal(t.sz, sizeof(struct scx_queued_task));
	assert_string_equal(t.comm, "worker");
}

/* ---- static strings ------------------------------------------------------ */

static void test_exit_kind_str(void **state)
{
	(void)state;
	static const struct {
		int64_t kind;
		const char *str;
	} kinds[] = {
		{ SCX_EXIT_NONE, "still running" },
		{ SCX_EXIT_DONE, "done" },
		{ SCX_EXIT_UNREG, "unregistered from user space" },
		{ SCX_EXIT_UNREG_BPF, "unregistered by the BPF scheduler" },
		{ SCX_EXIT_UNREG_KERN, "unregistered by the kernel" },
		{ SCX_EXIT_SYSRQ, "disabled by sysrq-S" },
		{ SCX_EXIT_ERROR, "runtime error" },
		{ SCX_EXIT_ERROR_BPF, "scx_bpf_error" },
		{ SCX_EXIT_ERROR_STALL, "runnable task stall" },
	};
	size_t n = sizeof(kinds) / sizeof(kinds[0]);

	for (size_t i = 0; i < n; i++) {
		const char *s = scx_exit_kind_str(kinds[i].kind);
		assert_non_null(s);
		assert_string_equal(s, kinds[i].str);
		assert_string_not_equal(s, "unknown");
		/* Static: the same pointer every time. */
		assert_ptr_equal(s, scx_exit_kind_str(kinds[i].kind));
		/* Distinct kinds, distinct descriptions. */
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(s, scx_exit_kind_str(kinds[j].kind));
	}

	const int64_t unknown[] = { -1, 2, 63, 68, 1023, 1027, INT64_MAX, INT64_MIN };
	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		const char *s = scx_exit_kind_str(unknown[i]);
		assert_non_null(s);
		assert_string_equal(s, "unknown");
	}
}

static void test_strerror(void **state)
{
	(void)state;
	/* Every errno the header documents, plus 0. */
	const int errs[] = {
		0, -EINVAL, -E2BIG, -EPERM, -EOPNOTSUPP, -EBUSY, -ENODEV,
		-ESRCH, -EAGAIN, -EINTR, -ENOMEM,
	};
	const size_t n = sizeof(errs) / sizeof(errs[0]);

	for (size_t i = 0; i < n; i++) {
		const char *s = scx_strerror(errs[i]);
		assert_non_null(s);
		assert_true(strlen(s) > 0);
		assert_string_not_equal(s, "unknown error");
		assert_ptr_equal(s, scx_strerror(errs[i])); /* static */
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(s, scx_strerror(errs[j]));
	}
	/* A few whose wording the API leans on. */
	assert_non_null(strstr(scx_strerror(-EOPNOTSUPP), "sched_ext"));
	assert_non_null(strstr(scx_strerror(-ENODEV), "exited"));
	assert_non_null(strstr(scx_strerror(-EPERM), "CAP_SYS_ADMIN"));

	/* Other errnos from the loader still get a description. */
	const char *s = scx_strerror(-EACCES);
	assert_non_null(s);
	assert_true(strlen(s) > 0);

	/* Unknown values: never NULL. */
	const int unknown[] = { -4095, -99999, 1, 12345, INT_MAX, -INT_MAX };
	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		s = scx_strerror(unknown[i]);
		assert_non_null(s);
		assert_true(strlen(s) > 0);
	}
}

static void test_version(void **state)
{
	(void)state;
	char want[64];
	snprintf(want, sizeof(want), "%d.%d.%d", SCX_VERSION_MAJOR, SCX_VERSION_MINOR,
		 SCX_VERSION_PATCH);
	const char *v = scx_version();
	assert_non_null(v);
	assert_string_equal(v, want);
	assert_ptr_equal(v, scx_version());
	/* The header this test was written against. */
	assert_string_equal(v, "0.7.0");
}

/* ---- ABI constants -------------------------------------------------------- */

static void test_constants(void **state)
{
	(void)state;
	assert_int_equal(SCX_CPU_ANY, -1);
	assert_int_equal(SCX_COMM_LEN, 16);
	assert_int_equal(SCX_TASK_WAKEUP, 1);
	assert_int_equal(SCX_TASK_PLACED, 2);
	assert_int_equal(SCX_DISPATCH_PREEMPT, 1);
	assert_int_equal(SCX_SELECT_IDLE_CORE, 1);
	assert_int_equal(SCX_TOPO_SMT, 0);
	assert_int_equal(SCX_TOPO_LLC, 1);
	assert_int_equal(SCX_TOPO_NODE, 2);
	/* The kernel's enum scx_exit_kind values. */
	assert_int_equal(SCX_EXIT_NONE, 0);
	assert_int_equal(SCX_EXIT_DONE, 1);
	assert_int_equal(SCX_EXIT_UNREG, 64);
	assert_int_equal(SCX_EXIT_UNREG_BPF, 65);
	assert_int_equal(SCX_EXIT_UNREG_KERN, 66);
	assert_int_equal(SCX_EXIT_SYSRQ, 67);
	assert_int_equal(SCX_EXIT_ERROR, 1024);
	assert_int_equal(SCX_EXIT_ERROR_BPF, 1025);
	assert_int_equal(SCX_EXIT_ERROR_STALL, 1026);
	/* The intf's comm buffer is what the public one copies. */
	assert_int_equal(SCX_INTF_COMM_LEN, SCX_COMM_LEN);
}

/* ---- struct layouts --------------------------------------------------------
 * Expected sizes and offsets are written as numbers (LP64: 8-byte size_t,
 * pointers and uint64_t alignment), so any change of the public ABI or of the
 * kernel <-> user records fails here instead of passing silently.
 */
#define LP64 (__SIZEOF_POINTER__ == 8 && __SIZEOF_LONG__ == 8 && __SIZEOF_SIZE_T__ == 8)

#define OFF(T, f, n) assert_int_equal(offsetof(struct T, f), n)
#define SIZE(T, n) assert_int_equal(sizeof(struct T), n)
#define FSIZE(T, f, n) assert_int_equal(sizeof(((struct T *)0)->f), n)

static void test_public_layout(void **state)
{
	(void)state;
	if (!LP64)
		skip();

	/* Every public struct starts with size_t sz. */
	OFF(scx_opts, sz, 0);
	OFF(scx_queued_task, sz, 0);
	OFF(scx_dispatched_task, sz, 0);
	OFF(scx_stats, sz, 0);
	OFF(scx_exit_info, sz, 0);
	OFF(scx_cpu_info, sz, 0);
	OFF(scx_cgroup_info, sz, 0);
	FSIZE(scx_opts, sz, 8);
	FSIZE(scx_queued_task, sz, 8);
	FSIZE(scx_dispatched_task, sz, 8);
	FSIZE(scx_stats, sz, 8);
	FSIZE(scx_exit_info, sz, 8);
	FSIZE(scx_cpu_info, sz, 8);

	SIZE(scx_opts, 88);
	OFF(scx_opts, name, 8);
	OFF(scx_opts, slice_ns, 16);
	OFF(scx_opts, timeout_ms, 24);
	OFF(scx_opts, exit_dump_len, 28);
	OFF(scx_opts, failsafe_ms, 32);
	OFF(scx_opts, idle_wait_ms, 36);
	OFF(scx_opts, ring_size_kb, 40);
	OFF(scx_opts, partial, 44);
	OFF(scx_opts, builtin_idle, 45);
	OFF(scx_opts, no_failsafe, 46);
	OFF(scx_opts, no_lock_memory, 47);
	OFF(scx_opts, debug, 48);
	OFF(scx_opts, wake_batch, 52);
	OFF(scx_opts, takeover, 56);
	OFF(scx_opts, linger_ms, 60);
	OFF(scx_opts, enq_last, 64); /* 0.4 */
	OFF(scx_opts, wake_to_idle_prev, 65); /* 0.5 */
	OFF(scx_opts, idle_runs_oldest, 66); /* 0.6 */
	OFF(scx_opts, sub_cgroup, 72); /* 0.7 */
	OFF(scx_opts, host_subs, 80); /* 0.7 */
	OFF(scx_opts, __reserved2, 67);

	SIZE(scx_queued_task, 112);
	OFF(scx_queued_task, pid, 8);
	OFF(scx_queued_task, cpu, 12);
	OFF(scx_queued_task, nr_cpus_allowed, 16);
	OFF(scx_queued_task, weight, 20);
	OFF(scx_queued_task, flags, 24);
	OFF(scx_queued_task, start_ts, 32);
	OFF(scx_queued_task, stop_ts, 40);
	OFF(scx_queued_task, exec_runtime, 48);
	OFF(scx_queued_task, vtime, 56);
	OFF(scx_queued_task, enqueue_ts, 64);
	OFF(scx_queued_task, token, 72);
	OFF(scx_queued_task, comm, 80);
	FSIZE(scx_queued_task, comm, 16);
	OFF(scx_queued_task, cgroup_id, 96); /* 0.3 */
	OFF(scx_queued_task, tgid, 104);

	SIZE(scx_dispatched_task, 48);
	OFF(scx_dispatched_task, pid, 8);
	OFF(scx_dispatched_task, cpu, 12);
	OFF(scx_dispatched_task, flags, 16);
	OFF(scx_dispatched_task, slice_ns, 24);
	OFF(scx_dispatched_task, vtime, 32);
	OFF(scx_dispatched_task, token, 40);

	SIZE(scx_stats, 168);
	OFF(scx_stats, nr_online_cpus, 8);
	OFF(scx_stats, nr_running, 16);
	OFF(scx_stats, nr_queued, 24);
	OFF(scx_stats, nr_scheduled, 32);
	OFF(scx_stats, nr_user_dispatches, 40);
	OFF(scx_stats, nr_kernel_dispatches, 48);
	OFF(scx_stats, nr_cancel_dispatches, 56);
	OFF(scx_stats, nr_bounce_dispatches, 64);
	OFF(scx_stats, nr_failed_dispatches, 72);
	OFF(scx_stats, nr_invalid_dispatches, 80);
	OFF(scx_stats, nr_slice_clamped, 88);
	OFF(scx_stats, nr_sched_congested, 96);
	OFF(scx_stats, nr_failsafe_entries, 104);
	OFF(scx_stats, nr_failsafe_dispatches, 112);
	OFF(scx_stats, failsafe_ns, 120);
	OFF(scx_stats, nr_idle_misses, 128);
	OFF(scx_stats, nr_hotplug_events, 136);
	OFF(scx_stats, nr_hotplug_moves, 144);
	OFF(scx_stats, nr_handovers, 152);
	OFF(scx_stats, nr_requeued, 160);

	SIZE(scx_exit_info, 1192);
	OFF(scx_exit_info, kind, 8);
	OFF(scx_exit_info, exit_code, 16);
	OFF(scx_exit_info, should_restart, 24);
	OFF(scx_exit_info, reason, 25);
	FSIZE(scx_exit_info, reason, 128);
	OFF(scx_exit_info, msg, 153);
	FSIZE(scx_exit_info, msg, 1024);
	OFF(scx_exit_info, dump, 1184);

	SIZE(scx_cpu_info, 32);
	OFF(scx_cpu_info, cpu, 8);
	OFF(scx_cpu_info, core_id, 12);
	OFF(scx_cpu_info, llc_id, 16);
	OFF(scx_cpu_info, node, 20);
	OFF(scx_cpu_info, online, 24);

	SIZE(scx_cgroup_info, 56); /* 0.4 */
	OFF(scx_cgroup_info, id, 8);
	OFF(scx_cgroup_info, quota_us, 16);
	OFF(scx_cgroup_info, period_us, 24);
	OFF(scx_cgroup_info, burst_us, 32);
	OFF(scx_cgroup_info, generation, 40);
	OFF(scx_cgroup_info, weight, 48);
	OFF(scx_cgroup_info, flags, 52);

	/* The *_INIT macros set sz to the struct's size. */
	struct scx_queued_task qt = SCX_QUEUED_TASK_INIT;
	struct scx_stats st = SCX_STATS_INIT;
	struct scx_exit_info ei = SCX_EXIT_INFO_INIT;
	struct scx_cpu_info ci = SCX_CPU_INFO_INIT;
	SCX_OPTS(o, .debug = false);
	assert_int_equal(qt.sz, 112);
	assert_int_equal(st.sz, 168);
	assert_int_equal(ei.sz, 1192);
	assert_int_equal(ci.sz, 32);
	assert_int_equal(o.sz, 88);
}

/* bpf/intf.h as the C compiler lays it out: every record a multiple of 8
 * (BPF ring buffers and .bss) and identical to the BPF and C++ views. */
static void test_intf_layout(void **state)
{
	(void)state;
	if (!LP64)
		skip();

	assert_int_equal(sizeof(struct scx_intf_queued) % 8, 0);
	assert_int_equal(sizeof(struct scx_intf_dispatched) % 8, 0);
	assert_int_equal(sizeof(struct scx_intf_select_cpu) % 8, 0);
	assert_int_equal(sizeof(struct scx_intf_stats) % 8, 0);
	assert_int_equal(sizeof(struct scx_intf_exit) % 8, 0);

	SIZE(scx_intf_queued, 144);
	OFF(scx_intf_queued, kind, 0);
	OFF(scx_intf_queued, pid, 4);
	OFF(scx_intf_queued, cpu, 8);
	OFF(scx_intf_queued, nr_cpus_allowed, 12);
	OFF(scx_intf_queued, flags, 16);
	OFF(scx_intf_queued, start_ts, 24);
	OFF(scx_intf_queued, stop_ts, 32);
	OFF(scx_intf_queued, exec_runtime, 40);
	OFF(scx_intf_queued, weight, 48);
	OFF(scx_intf_queued, tgid, 52);
	OFF(scx_intf_queued, vtime, 56);
	OFF(scx_intf_queued, enq_seq, 64);
	OFF(scx_intf_queued, enqueue_ts, 72);
	OFF(scx_intf_queued, comm, 80);
	FSIZE(scx_intf_queued, comm, 16);
	OFF(scx_intf_queued, cpumask, 96);
	FSIZE(scx_intf_queued, cpumask, 32);
	OFF(scx_intf_queued, affinity_seq, 128);
	OFF(scx_intf_queued, cgroup_id, 136);

	SIZE(scx_intf_dispatched, 40);
	OFF(scx_intf_dispatched, pid, 0);
	OFF(scx_intf_dispatched, cpu, 4);
	OFF(scx_intf_dispatched, flags, 8);
	OFF(scx_intf_dispatched, slice_ns, 16);
	OFF(scx_intf_dispatched, vtime, 24);
	OFF(scx_intf_dispatched, enq_seq, 32);

	SIZE(scx_intf_select_cpu, 24);
	OFF(scx_intf_select_cpu, pid, 0);
	OFF(scx_intf_select_cpu, prev_cpu, 4);
	OFF(scx_intf_select_cpu, flags, 8);
	OFF(scx_intf_select_cpu, cpu, 16);
	OFF(scx_intf_select_cpu, pad, 20);

	SIZE(scx_intf_stats, 144);
	OFF(scx_intf_stats, nr_running, 0);
	OFF(scx_intf_stats, nr_queued, 8);
	OFF(scx_intf_stats, nr_user_dispatches, 16);
	OFF(scx_intf_stats, nr_kernel_dispatches, 24);
	OFF(scx_intf_stats, nr_cancel_dispatches, 32);
	OFF(scx_intf_stats, nr_bounce_dispatches, 40);
	OFF(scx_intf_stats, nr_failed_dispatches, 48);
	OFF(scx_intf_stats, nr_sched_congested, 56);
	OFF(scx_intf_stats, nr_failsafe_entries, 64);
	OFF(scx_intf_stats, nr_failsafe_dispatches, 72);
	OFF(scx_intf_stats, failsafe_ns, 80);
	OFF(scx_intf_stats, nr_wakeups_sent, 88);
	OFF(scx_intf_stats, nr_idle_misses, 96);
	OFF(scx_intf_stats, nr_online_cpus, 104);
	OFF(scx_intf_stats, nr_hotplug_events, 112);
	OFF(scx_intf_stats, nr_hotplug_moves, 120);
	OFF(scx_intf_stats, nr_handovers, 128);
	OFF(scx_intf_stats, nr_handover_requeues, 136);

	SIZE(scx_intf_exit, 1176);
	OFF(scx_intf_exit, kind, 0);
	OFF(scx_intf_exit, exit_code, 8);
	OFF(scx_intf_exit, dump_len, 16);
	OFF(scx_intf_exit, reason, 24);
	OFF(scx_intf_exit, msg, 152);
	assert_int_equal(SCX_INTF_EXIT_REASON_LEN, 128);
	assert_int_equal(SCX_INTF_EXIT_MSG_LEN, 1024);

	/* The public exit info holds what the kernel side reports. */
	FSIZE(scx_exit_info, reason, SCX_INTF_EXIT_REASON_LEN);
	FSIZE(scx_exit_info, msg, SCX_INTF_EXIT_MSG_LEN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_null_out),
		cmocka_unit_test(test_init_defaults),
		cmocka_unit_test(test_init_sz_too_small),
		cmocka_unit_test(test_init_bigger_struct),
		cmocka_unit_test(test_init_debug_names_the_field),
		cmocka_unit_test(test_init_trailing_padding),
		cmocka_unit_test(test_init_name),
		cmocka_unit_test(test_init_slice),
		cmocka_unit_test(test_init_timeout),
		cmocka_unit_test(test_init_exit_dump_len),
		cmocka_unit_test(test_init_failsafe),
		cmocka_unit_test(test_init_other_options),
		cmocka_unit_test(test_null_handle),
		cmocka_unit_test(test_dispatched_task_init),
		cmocka_unit_test(test_exit_kind_str),
		cmocka_unit_test(test_strerror),
		cmocka_unit_test(test_version),
		cmocka_unit_test(test_constants),
		cmocka_unit_test(test_public_layout),
		cmocka_unit_test(test_intf_layout),
	};
	return cmocka_run_group_tests_name("libscxcore C API", tests, NULL, NULL);
}
