// SPDX-License-Identifier: GPL-2.0-only
// Tests of the C++ wrapper (include/scx/scxcore.hpp).
//
// Most tests run anywhere. NoSchedExt.* expect a kernel without sched_ext
// (the host) and skip otherwise; Kernel.* need sched_ext and root (the VM)
// and skip without it. In Kernel.* the test process itself is the
// scheduler: pump() dequeues and dispatches while the test waits.
#include <scx/scxcore.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <string>
#include <type_traits>

#include <sys/wait.h>
#include <unistd.h>

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

const char kState[] = "/sys/kernel/sched_ext/state";
const char kOps[] = "/sys/kernel/sched_ext/root/ops";
const char kEnableSeq[] = "/sys/kernel/sched_ext/enable_seq";

bool have_sched_ext() { return access(kState, F_OK) == 0; }

std::string read_line(const char *path)
{
	std::ifstream f(path);
	std::string s;
	std::getline(f, s);
	return s;
}

#define REQUIRE_SCHED_EXT()                                                            \
	do {                                                                           \
		if (!have_sched_ext())                                                 \
			GTEST_SKIP() << "this kernel has no sched_ext (runs in the VM)"; \
	} while (0)

// Short idle waits so that the pump loops below notice their deadline.
scx::Options test_opts(const char *name) { return scx::Options().name(name).idle_wait_ms(10); }

// Be the scheduler until @done() or @timeout; returns done(). Each task
// dequeued is shown to @seen() first.
template <typename F, typename G>
bool pump_until(scx::Scheduler &s, std::chrono::milliseconds timeout, F done, G seen)
{
	auto end = Clock::now() + timeout;
	for (;;) {
		while (auto t = s.dequeue()) {
			seen(*t);
			s.dispatch(*t, s.select_cpu(*t).value_or(SCX_CPU_ANY));
		}
		if (done())
			return true;
		if (Clock::now() >= end)
			return false;
		s.notify(0);
	}
}

template <typename F> bool pump_until(scx::Scheduler &s, std::chrono::milliseconds timeout, F done)
{
	return pump_until(s, timeout, done, [](const scx::QueuedTask &) {});
}

void pump(scx::Scheduler &s, std::chrono::milliseconds d)
{
	pump_until(s, d, [] { return false; });
}

// With no scheduler loaded: wait for the state file to read @want.
std::string wait_state(const char *want, std::chrono::milliseconds timeout = 3s)
{
	auto end = Clock::now() + timeout;
	std::string st = read_line(kState);
	while (st != want && Clock::now() < end) {
		usleep(10000);
		st = read_line(kState);
	}
	return st;
}

template <typename F> int thrown_errno(F f)
{
	try {
		f();
	} catch (const scx::Error &e) {
		return e.errno_value();
	}
	return 0;
}

} // namespace

// --- no kernel needed ------------------------------------------------------

TEST(Error, CarriesPositiveErrnoAndLibraryMessage)
{
	scx::Error neg(-EBUSY, "scx_init");
	scx::Error pos(EBUSY, "scx_init");
	for (const scx::Error *e : {&neg, &pos}) {
		EXPECT_EQ(e->errno_value(), EBUSY);
		EXPECT_EQ(e->code().value(), EBUSY);
		EXPECT_EQ(&e->code().category(), &scx::error_category());
		EXPECT_TRUE(e->code() == std::errc::device_or_resource_busy);
		EXPECT_FALSE(e->code() == std::errc::invalid_argument);
		EXPECT_EQ(e->code().message(), scx_strerror(-EBUSY));
		EXPECT_EQ(std::string(e->what()), std::string("scx_init: ") + scx_strerror(-EBUSY));
	}
	EXPECT_STREQ(scx::error_category().name(), "scxcore");
	EXPECT_NE(std::string(scx::Error(-ENODEV).what()).find(scx_strerror(-ENODEV)), std::string::npos);
	static_assert(std::is_base_of_v<std::system_error, scx::Error>);
}

TEST(Error, UnknownErrnoStillDescribed)
{
	scx::Error e(-ENOTDIR);
	EXPECT_EQ(e.errno_value(), ENOTDIR);
	EXPECT_EQ(e.code().message(), scx_strerror(-ENOTDIR));
	EXPECT_TRUE(e.code() == std::errc::not_a_directory);
}

TEST(Options, DefaultsAreAllZeroWithSize)
{
	scx_opts o = scx::Options().raw();
	EXPECT_EQ(o.sz, sizeof(scx_opts));
	EXPECT_EQ(o.name, nullptr);
	EXPECT_EQ(o.slice_ns, 0u);
	EXPECT_EQ(o.timeout_ms, 0u);
	EXPECT_EQ(o.failsafe_ms, 0u);
	EXPECT_EQ(o.idle_wait_ms, 0u);
	EXPECT_FALSE(o.partial || o.builtin_idle || o.no_failsafe || o.no_lock_memory || o.debug ||
		     o.enq_last || o.wake_to_idle_prev || o.idle_runs_oldest || o.host_subs);
	EXPECT_EQ(o.sub_cgroup, nullptr);
	EXPECT_FALSE(scx::Options().name().has_value());
}

TEST(Options, BuilderSetsEveryField)
{
	scx::Options opts;
	opts.name("cxx-test_1")
		.slice_ns(2000000)
		.timeout_ms(3000)
		.exit_dump_len(4096)
		.failsafe_ms(50)
		.idle_wait_ms(7)
		.partial()
		.builtin_idle()
		.no_failsafe()
		.no_lock_memory()
		.debug()
		.ring_size_kb(64)
		.wake_batch(3)
		.takeover(SCX_TAKEOVER_OR_LOAD)
		.linger_ms(900)
		.enq_last()
		.wake_to_idle_prev()
		.idle_runs_oldest()
		.host_subs()
		.sub_cgroup("/sys/fs/cgroup/a");
	scx_opts o = opts.raw();
	EXPECT_STREQ(o.name, "cxx-test_1");
	EXPECT_EQ(o.slice_ns, 2000000u);
	EXPECT_EQ(o.timeout_ms, 3000u);
	EXPECT_EQ(o.exit_dump_len, 4096u);
	EXPECT_EQ(o.failsafe_ms, 50u);
	EXPECT_EQ(o.idle_wait_ms, 7u);
	EXPECT_TRUE(o.partial && o.builtin_idle && o.no_failsafe && o.no_lock_memory && o.debug && o.enq_last &&
		    o.wake_to_idle_prev && o.idle_runs_oldest && o.host_subs);
	EXPECT_STREQ(o.sub_cgroup, "/sys/fs/cgroup/a");
	EXPECT_EQ(o.ring_size_kb, 64u);
	EXPECT_EQ(o.wake_batch, 3u);
	EXPECT_EQ(o.takeover, SCX_TAKEOVER_OR_LOAD);
	EXPECT_EQ(o.linger_ms, 900u);
	EXPECT_FALSE(opts.partial(false).raw().partial);
	ASSERT_TRUE(opts.name().has_value());
	EXPECT_EQ(*opts.name(), "cxx-test_1");
}

TEST(Options, CopiesOwnTheirStrings)
{
	auto copy = std::make_unique<scx::Options>();
	copy->name("a").sub_cgroup("/b");
	scx::Options b = *copy;
	copy.reset();
	EXPECT_STREQ(b.raw().name, "a");
	EXPECT_STREQ(b.raw().sub_cgroup, "/b");
	EXPECT_NE(static_cast<const void *>(b.raw().name), nullptr);
}

TEST(QueuedTask, WrapsTheCStruct)
{
	scx::QueuedTask empty;
	EXPECT_EQ(empty.raw().sz, sizeof(scx_queued_task));
	EXPECT_EQ(empty.comm(), "");

	scx_queued_task t = scx_queued_task();
	t.pid = 42;
	t.cpu = 3;
	t.nr_cpus_allowed = 4;
	t.weight = 100;
	t.flags = SCX_TASK_WAKEUP;
	t.start_ts = 10;
	t.stop_ts = 20;
	t.exec_runtime = 30;
	t.vtime = 40;
	t.enqueue_ts = 50;
	t.token = 60;
	std::strcpy(t.comm, "hackbench");
	scx::QueuedTask q(t);
	EXPECT_EQ(q.raw().sz, sizeof(scx_queued_task)); // set even if the source lacked it
	EXPECT_EQ(q.pid(), 42);
	EXPECT_EQ(q.cpu(), 3);
	EXPECT_EQ(q.nr_cpus_allowed(), 4u);
	EXPECT_EQ(q.weight(), 100u);
	EXPECT_TRUE(q.wakeup());
	EXPECT_FALSE(q.placed());
	EXPECT_EQ(q.start_ts(), 10u);
	EXPECT_EQ(q.stop_ts(), 20u);
	EXPECT_EQ(q.exec_runtime(), 30u);
	EXPECT_EQ(q.vtime(), 40u);
	EXPECT_EQ(q.enqueue_ts(), 50u);
	EXPECT_EQ(q.token(), 60u);
	EXPECT_EQ(q.comm(), "hackbench");
	EXPECT_EQ(q.comm().size(), 9u);

	// A comm without its NUL never reads past the array.
	std::memset(t.comm, 'x', sizeof(t.comm));
	t.flags = 0;
	scx::QueuedTask full(t);
	EXPECT_EQ(full.comm(), std::string(SCX_COMM_LEN, 'x'));
	EXPECT_FALSE(full.wakeup());
	t.flags = SCX_TASK_WAKEUP | SCX_TASK_PLACED;
	EXPECT_TRUE(scx::QueuedTask(t).placed());
}

TEST(DispatchedTask, StartsFromTheQueuedTask)
{
	scx_queued_task t = scx_queued_task();
	t.sz = sizeof(t);
	t.pid = 7;
	t.cpu = 1;
	t.vtime = 99;
	t.token = 5;
	scx::DispatchedTask d{scx::QueuedTask(t)};
	EXPECT_EQ(d.raw().sz, sizeof(scx_dispatched_task));
	EXPECT_EQ(d.pid(), 7);
	EXPECT_EQ(d.cpu(), 1);
	EXPECT_EQ(d.vtime(), 99u);
	EXPECT_EQ(d.token(), 5u);
	EXPECT_EQ(d.slice_ns(), 0u);
	EXPECT_EQ(d.flags(), 0u);
	scx_dispatched_task c; // what the C API would have made
	scx_dispatched_task_init(&c, &t);
	EXPECT_EQ(std::memcmp(&c, &d.raw(), sizeof(c)), 0);

	d.cpu(SCX_CPU_ANY).slice_ns(1000000).vtime(123).preempt();
	EXPECT_EQ(d.cpu(), SCX_CPU_ANY);
	EXPECT_EQ(d.slice_ns(), 1000000u);
	EXPECT_EQ(d.vtime(), 123u);
	EXPECT_EQ(d.flags(), SCX_DISPATCH_PREEMPT);
	EXPECT_EQ(d.preempt(false).flags(), 0u);
	EXPECT_EQ(d.token(), 5u);
}

TEST(ExitInfo, DescribesItsKind)
{
	scx::ExitInfo e;
	EXPECT_EQ(e.kind, SCX_EXIT_NONE);
	EXPECT_FALSE(e.error());
	e.kind = SCX_EXIT_UNREG;
	EXPECT_EQ(e.kind_str(), "unregistered from user space");
	EXPECT_FALSE(e.error());
	e.kind = SCX_EXIT_ERROR_STALL;
	EXPECT_TRUE(e.error());
	EXPECT_EQ(e.kind_str(), scx_exit_kind_str(SCX_EXIT_ERROR_STALL));
}

TEST(Scheduler, TypeTraits)
{
	static_assert(!std::is_copy_constructible_v<scx::Scheduler>);
	static_assert(!std::is_copy_assignable_v<scx::Scheduler>);
	static_assert(std::is_nothrow_move_constructible_v<scx::Scheduler>);
	static_assert(std::is_nothrow_move_assignable_v<scx::Scheduler>);
	static_assert(std::is_nothrow_destructible_v<scx::Scheduler>);
	static_assert(std::is_nothrow_default_constructible_v<scx::Scheduler>);
	static_assert(!std::is_convertible_v<scx::Options, scx::Scheduler>); // explicit: loading is no accident
	static_assert(noexcept(std::declval<const scx::Scheduler &>().exited()));
	static_assert(std::is_nothrow_copy_constructible_v<scx::QueuedTask>);
	static_assert(std::is_nothrow_copy_constructible_v<scx::DispatchedTask>);
	SUCCEED();
}

TEST(Scheduler, EmptyHandle)
{
	scx::Scheduler s;
	EXPECT_FALSE(s);
	EXPECT_EQ(s.get(), nullptr);
	EXPECT_TRUE(s.exited());
	EXPECT_EQ(thrown_errno([&] { s.dequeue(); }), EINVAL);
	EXPECT_EQ(thrown_errno([&] { s.notify(0); }), EINVAL);
	EXPECT_EQ(thrown_errno([&] { s.stats(); }), EINVAL);
	EXPECT_EQ(thrown_errno([&] { s.shutdown(); }), EINVAL);
	EXPECT_EQ(thrown_errno([&] { s.nr_cpus(); }), EINVAL);
	EXPECT_EQ(thrown_errno([&] { s.cpu_info(0); }), EINVAL);
	EXPECT_EQ(thrown_errno([&] { s.cgroup_info(1); }), EINVAL);
	EXPECT_EQ(s.cgroup_generation(), 0u);
	EXPECT_EQ(thrown_errno([&] { s.siblings(0, SCX_TOPO_SMT); }), EINVAL);
	EXPECT_EQ(thrown_errno([&] { s.select_cpu(1, 0); }), EINVAL);
	EXPECT_EQ(thrown_errno([&] { s.dispatch(scx::QueuedTask(), 0); }), EINVAL);
	scx::Scheduler moved(std::move(s));
	EXPECT_FALSE(moved);
	EXPECT_EQ(moved.release(), nullptr);
}

// Options are checked before anything reaches the kernel: EINVAL anywhere.
TEST(Scheduler, BadOptionsThrowEinval)
{
	const scx::Options bad[] = {
		scx::Options().name(""),
		scx::Options().name("has space"),
		scx::Options().name(std::string(64, 'a')),
		scx::Options().slice_ns(SCX_SLICE_MIN_NS - 1),
		scx::Options().slice_ns(SCX_SLICE_MAX_NS + 1),
		scx::Options().timeout_ms(30001),
		scx::Options().exit_dump_len((1u << 20) + 1),
		scx::Options().failsafe_ms(SCX_TIMEOUT_DEFAULT_MS),
		scx::Options().timeout_ms(1000).failsafe_ms(1000),
	};
	for (const scx::Options &o : bad) {
		try {
			scx::Scheduler s(o);
			ADD_FAILURE() << "loaded with a bad option";
		} catch (const scx::Error &e) {
			EXPECT_EQ(e.errno_value(), EINVAL) << e.what();
			EXPECT_TRUE(e.code() == std::errc::invalid_argument);
			EXPECT_NE(std::string(e.what()).find("scx_init"), std::string::npos);
		}
	}
}

TEST(Scheduler, UnknownOptionBytesThrowEinval)
{
	struct {
		scx_opts o;
		uint64_t newer_field;
	} big = {};
	big.o.sz = sizeof(big);
	big.newer_field = 1;
	EXPECT_EQ(thrown_errno([&] { scx::Scheduler s(big.o); }), EINVAL);
}

TEST(CpuChoice, TellsNoIdleCpuFromTaskGone)
{
	scx::CpuChoice got = scx::CpuChoice::idle(3);
	EXPECT_TRUE(got);
	EXPECT_TRUE(got.has_value());
	EXPECT_EQ(*got, 3);
	EXPECT_EQ(got.value_or(SCX_CPU_ANY), 3);
	EXPECT_EQ(got.outcome(), scx::CpuChoice::Outcome::Idle);

	scx::CpuChoice busy = scx::CpuChoice::none(scx::CpuChoice::Outcome::NoIdleCpu);
	scx::CpuChoice gone = scx::CpuChoice::none(scx::CpuChoice::Outcome::TaskGone);
	for (const scx::CpuChoice &c : {busy, gone}) {
		EXPECT_FALSE(c);
		EXPECT_EQ(c.value_or(SCX_CPU_ANY), SCX_CPU_ANY);
	}
	EXPECT_FALSE(busy.task_gone());
	EXPECT_TRUE(gone.task_gone());
}

TEST(Library, Version)
{
	std::string header = std::to_string(SCX_VERSION_MAJOR) + "." + std::to_string(SCX_VERSION_MINOR) +
			     "." + std::to_string(SCX_VERSION_PATCH);
	EXPECT_EQ(scx::version(), header);
	static_assert(noexcept(scx::version()));
}

TEST(NoSchedExt, ConstructThrowsEopnotsupp)
{
	if (have_sched_ext())
		GTEST_SKIP() << "this kernel has sched_ext";
	try {
		scx::Scheduler s(test_opts("cxxtest"));
		FAIL() << "loaded without sched_ext";
	} catch (const scx::Error &e) {
		EXPECT_EQ(e.errno_value(), EOPNOTSUPP) << e.what();
		EXPECT_TRUE(e.code() == std::errc::operation_not_supported);
		EXPECT_EQ(std::string(e.what()), std::string("scx_init: ") + scx_strerror(-EOPNOTSUPP));
	}
}

// --- the real kernel -------------------------------------------------------

TEST(Kernel, LoadShowsEnabledAndName)
{
	REQUIRE_SCHED_EXT();
	ASSERT_EQ(read_line(kState), "disabled");
	scx::Scheduler s(test_opts("cxxtest_load"));
	EXPECT_TRUE(s);
	EXPECT_FALSE(s.exited());
	pump(s, 100ms);
	EXPECT_EQ(read_line(kState), "enabled");
	EXPECT_EQ(read_line(kOps), "cxxtest_load");
	pump(s, 100ms);
	EXPECT_FALSE(s.exited());
}

TEST(Kernel, SchedulesAChildProcess)
{
	REQUIRE_SCHED_EXT();
	scx::Scheduler s(test_opts("cxxtest_child"));
	pid_t child = fork();
	ASSERT_GE(child, 0);
	if (child == 0) { // sleeps and wakes up: each wake-up goes through us
		for (int i = 0; i < 20; i++)
			usleep(1000);
		_exit(7);
	}
	int status = 0;
	uint64_t child_records = 0;
	bool done = pump_until(
		s, 10s, [&] { return waitpid(child, &status, WNOHANG) == child; },
		[&](const scx::QueuedTask &t) { child_records += t.pid() == child; });
	ASSERT_TRUE(done) << "the child did not finish";
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 7);
	scx::Stats st = s.stats();
	EXPECT_EQ(st.sz, sizeof(struct scx_stats));
	// Its start and 20 wake-ups came to us, but for those the fail-safe
	// ran while this loop was slow (a loaded host).
	EXPECT_GE(child_records, 1u);
	EXPECT_GE(child_records + st.nr_failsafe_dispatches + st.nr_sched_congested, 21u)
		<< child_records << " of the child's records";
	EXPECT_GE(st.nr_user_dispatches, child_records);
	EXPECT_GE(st.nr_online_cpus, 1u);
	EXPECT_EQ(st.nr_invalid_dispatches, 0u);
	EXPECT_FALSE(s.exited());
}

TEST(Kernel, MoveKeepsOneLoad)
{
	REQUIRE_SCHED_EXT();
	std::string seq0 = read_line(kEnableSeq);
	scx::Scheduler a(test_opts("cxxtest_move"));
	std::string seq1 = read_line(kEnableSeq);
	EXPECT_NE(seq0, seq1);
	scx_sched *handle = a.get();

	scx::Scheduler b(std::move(a));
	EXPECT_FALSE(a);
	EXPECT_EQ(a.get(), nullptr);
	EXPECT_TRUE(a.exited());
	EXPECT_EQ(thrown_errno([&] { a.dequeue(); }), EINVAL);
	EXPECT_EQ(b.get(), handle);
	pump(b, 100ms);
	EXPECT_EQ(read_line(kState), "enabled");

	scx::Scheduler c;
	c = std::move(b);
	EXPECT_FALSE(b);
	EXPECT_EQ(c.get(), handle);
	pump(c, 100ms);
	EXPECT_FALSE(c.exited());
	EXPECT_EQ(read_line(kState), "enabled");
	EXPECT_EQ(read_line(kOps), "cxxtest_move");
	EXPECT_EQ(read_line(kEnableSeq), seq1); // loaded once

	c = scx::Scheduler(); // move-assigning over a loaded one unloads it
	EXPECT_FALSE(c);
	EXPECT_EQ(wait_state("disabled"), "disabled");
}

TEST(Kernel, DestructorUnloads)
{
	REQUIRE_SCHED_EXT();
	{
		scx::Scheduler s(test_opts("cxxtest_dtor"));
		pump(s, 100ms);
		EXPECT_EQ(read_line(kState), "enabled");
	}
	EXPECT_EQ(wait_state("disabled"), "disabled");
	EXPECT_NE(access(kOps, F_OK), 0);
}

TEST(Kernel, ShutdownReportsUnregistered)
{
	REQUIRE_SCHED_EXT();
	scx::Scheduler s(test_opts("cxxtest_shutdown"));
	pump(s, 100ms);
	scx::ExitInfo e = s.shutdown();
	EXPECT_EQ(e.kind, SCX_EXIT_UNREG);
	EXPECT_EQ(e.reason, "unregistered from user space");
	EXPECT_EQ(e.kind_str(), "unregistered from user space");
	EXPECT_FALSE(e.should_restart);
	EXPECT_FALSE(e.error());
	EXPECT_TRUE(e.dump.empty());
	EXPECT_TRUE(s.exited());
	EXPECT_TRUE(s); // still owns the handle
	EXPECT_EQ(wait_state("disabled"), "disabled");

	// Idempotent, and the exited scheduler answers without throwing.
	scx::ExitInfo again = s.shutdown();
	EXPECT_EQ(again.kind, e.kind);
	EXPECT_EQ(again.reason, e.reason);
	EXPECT_FALSE(s.dequeue().has_value());
	EXPECT_FALSE(s.notify(0));
	EXPECT_FALSE(s.select_cpu(getpid(), 0).has_value());
	EXPECT_EQ(s.select_cpu(getpid(), 0).outcome(), scx::CpuChoice::Outcome::Exited);
	scx::DispatchedTask d{scx::QueuedTask()};
	d.raw().pid = getpid();
	d.cpu(0);
	EXPECT_FALSE(s.dispatch(d));
	EXPECT_NO_THROW(s.stats());
}

TEST(Kernel, SecondSchedulerThrowsEbusy)
{
	REQUIRE_SCHED_EXT();
	scx::Scheduler s(test_opts("cxxtest_first"));
	EXPECT_EQ(thrown_errno([] { scx::Scheduler second(test_opts("cxxtest_second")); }), EBUSY);
	pump(s, 50ms);
	EXPECT_FALSE(s.exited());
	EXPECT_EQ(read_line(kOps), "cxxtest_first");
}

TEST(Kernel, TopologyAndBadArguments)
{
	REQUIRE_SCHED_EXT();
	scx::Scheduler s(test_opts("cxxtest_topo"));
	int n = s.nr_cpus();
	ASSERT_GE(n, 1);
	EXPECT_GE(n, sysconf(_SC_NPROCESSORS_ONLN));
	scx::CpuInfo c0 = s.cpu_info(0);
	EXPECT_EQ(c0.cpu, 0);
	EXPECT_TRUE(c0.online);
	for (scx_topo_level level : {SCX_TOPO_SMT, SCX_TOPO_LLC, SCX_TOPO_NODE}) {
		std::vector<int32_t> sib = s.siblings(0, level);
		EXPECT_NE(std::find(sib.begin(), sib.end(), 0), sib.end()) << "level " << level;
	}
	EXPECT_EQ(thrown_errno([&] { s.cpu_info(n); }), EINVAL);
	// The root cgroup (id 1 on cgroup v2) exists and has the defaults; a
	// made-up id is no cgroup.
	std::optional<scx::CgroupInfo> root = s.cgroup_info(1);
	ASSERT_TRUE(root.has_value());
	EXPECT_EQ(root->weight, 100u);
	EXPECT_EQ(root->quota_us, SCX_CGROUP_NO_QUOTA);
	EXPECT_FALSE(s.cgroup_info(1ULL << 62).has_value());
	EXPECT_EQ(thrown_errno([&] { s.cgroup_info(SCX_CGROUP_UNKNOWN); }), EINVAL);
	EXPECT_EQ(thrown_errno([&] { s.siblings(-1, SCX_TOPO_LLC); }), EINVAL);
	EXPECT_EQ(thrown_errno([&] { s.select_cpu(0, 0); }), EINVAL);
	scx::DispatchedTask d{scx::QueuedTask()};
	d.raw().pid = getpid();
	d.cpu(n);
	EXPECT_EQ(thrown_errno([&] { s.dispatch(d); }), EINVAL);
	EXPECT_EQ(s.stats().nr_invalid_dispatches, 1u);
	pump(s, 50ms);
	EXPECT_FALSE(s.exited());
}
