// SPDX-License-Identifier: GPL-2.0-only
/*
 * scxcore.hpp: a header-only C++17 wrapper over libscxcore's C API.
 *
 * Everything here is inline and calls only the functions of <scx/scxcore.h>,
 * so a C++ program depends on the library's stable C ABI, nothing more.
 *
 *     scx::Scheduler s(scx::Options().name("myfifo"));     // loads; may throw
 *     while (!s.exited()) {
 *             while (auto t = s.dequeue())
 *                     s.dispatch(*t, s.select_cpu(*t).value_or(SCX_CPU_ANY));
 *             s.notify(0);                              // sleep until there is work
 *     }
 *     scx::ExitInfo e = s.shutdown();                    // or let ~Scheduler unload
 *
 * Ownership: a Scheduler owns its scx_sched handle. It is move-only; the
 * destructor calls scx_destroy(), which detaches the scheduler if it still
 * runs and frees everything. A default-constructed or moved-from Scheduler is
 * empty (no handle): exited() is true and every other call throws EINVAL.
 * QueuedTask, DispatchedTask, Options and ExitInfo are plain values.
 *
 * Errors: a failing call throws scx::Error, a std::system_error whose code()
 * holds the positive errno (comparable with std::errc) and whose what() reads
 * "<C function>: <scx_strerror() text>". Expected outcomes are not errors:
 * no task waiting, no idle CPU (or the task gone), a signal, or the scheduler
 * having exited are reported through return values (std::nullopt, an empty
 * CpuChoice, false), so a loop winds down through its exited() check.
 *
 * Threads: as in C. One thread at a time uses a Scheduler (the "scheduler
 * thread"); stats(), exited() and the topology queries only read shared state
 * and may be called from any thread at any time. Every thread of the
 * scheduler's process is scheduled by the kernel side directly and never
 * waits for user space. One Scheduler per process can be loaded at a time.
 */
#ifndef SCX_SCXCORE_HPP
#define SCX_SCXCORE_HPP

#include <scx/scxcore.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace scx {

namespace detail {

class ErrorCategory final : public std::error_category {
public:
	const char *name() const noexcept override { return "scxcore"; }
	std::string message(int ev) const override { return scx_strerror(-ev); }
	// Our codes are plain errno values: compare equal to std::errc.
	std::error_condition default_error_condition(int ev) const noexcept override
	{
		return std::error_condition(ev, std::generic_category());
	}
};

} // namespace detail

// The category of scx::Error codes: errno values described by scx_strerror().
inline const std::error_category &error_category() noexcept
{
	static const detail::ErrorCategory category;
	return category;
}

// A failed call: code().value() is the positive errno.
class Error : public std::system_error {
public:
	// @err: an errno, negative (as the C API returns it) or positive.
	// @func: what failed, e.g. "scx_init" (may be NULL).
	explicit Error(int err, const char *func = nullptr)
		: std::system_error(err < 0 ? -err : err, error_category(), func ? func : "scxcore")
	{
	}
	int errno_value() const noexcept { return code().value(); }
};

namespace detail {

// Returns @ret, or throws for a negative @ret.
inline int check(int ret, const char *func)
{
	if (ret < 0)
		throw Error(ret, func);
	return ret;
}

} // namespace detail

// Load options, as a builder: Options().name("x").slice_ns(2000000).partial().
// Validation is the library's: a bad value makes the Scheduler constructor
// throw EINVAL before anything is loaded. See struct scx_opts for each field.
class Options {
public:
	Options() noexcept : o_() { o_.sz = sizeof(o_); }

	Options &name(std::string n)
	{
		name_ = std::move(n);
		return *this;
	}
	Options &slice_ns(uint64_t v) noexcept { o_.slice_ns = v; return *this; }
	Options &timeout_ms(uint32_t v) noexcept { o_.timeout_ms = v; return *this; }
	Options &exit_dump_len(uint32_t v) noexcept { o_.exit_dump_len = v; return *this; }
	Options &failsafe_ms(uint32_t v) noexcept { o_.failsafe_ms = v; return *this; }
	Options &idle_wait_ms(uint32_t v) noexcept { o_.idle_wait_ms = v; return *this; }
	Options &ring_size_kb(uint32_t v) noexcept { o_.ring_size_kb = v; return *this; }
	Options &wake_batch(uint32_t v) noexcept { o_.wake_batch = v; return *this; }
	Options &partial(bool v = true) noexcept { o_.partial = v; return *this; }
	Options &builtin_idle(bool v = true) noexcept { o_.builtin_idle = v; return *this; }
	Options &no_failsafe(bool v = true) noexcept { o_.no_failsafe = v; return *this; }
	Options &no_lock_memory(bool v = true) noexcept { o_.no_lock_memory = v; return *this; }
	Options &debug(bool v = true) noexcept { o_.debug = v; return *this; }
	Options &takeover(uint32_t v) noexcept { o_.takeover = v; return *this; } // SCX_TAKEOVER_*
	Options &linger_ms(uint32_t v) noexcept { o_.linger_ms = v; return *this; }
	Options &enq_last(bool v = true) noexcept { o_.enq_last = v; return *this; }
	Options &wake_to_idle_prev(bool v = true) noexcept { o_.wake_to_idle_prev = v; return *this; }
	Options &idle_runs_oldest(bool v = true) noexcept { o_.idle_runs_oldest = v; return *this; }
	Options &host_subs(bool v = true) noexcept { o_.host_subs = v; return *this; }
	Options &sub_cgroup(std::string path)
	{
		sub_cgroup_ = std::move(path);
		return *this;
	}

	// The name set, if any (none: the library's default, "scxcore").
	const std::optional<std::string> &name() const noexcept { return name_; }

	// The C struct. Its .name and .sub_cgroup point into *this: valid while *this lives
	// and is not modified.
	scx_opts raw() const noexcept
	{
		scx_opts o = o_;
		o.name = name_ ? name_->c_str() : nullptr;
		o.sub_cgroup = sub_cgroup_ ? sub_cgroup_->c_str() : nullptr;
		return o;
	}

private:
	std::optional<std::string> name_;
	std::optional<std::string> sub_cgroup_;
	scx_opts o_;
};

// What Scheduler::select_cpu() found. Used like std::optional<int> (true,
// *c, value_or()) when only the CPU matters; outcome() says why there is
// none: no CPU this task may use is idle right now (-EBUSY: dispatch it to
// SCX_CPU_ANY or hold it), the task is gone (-ESRCH: it exited; drop it), or
// the scheduler has exited (-ENODEV).
class CpuChoice {
public:
	enum class Outcome { Idle, NoIdleCpu, TaskGone, Exited };

	static CpuChoice idle(int cpu) noexcept { return CpuChoice(Outcome::Idle, cpu); }
	static CpuChoice none(Outcome why) noexcept { return CpuChoice(why, -1); }

	Outcome outcome() const noexcept { return outcome_; }
	bool has_value() const noexcept { return outcome_ == Outcome::Idle; }
	explicit operator bool() const noexcept { return has_value(); }
	// The CPU, claimed for the task; -1 when there is none.
	int operator*() const noexcept { return cpu_; }
	int value_or(int fallback) const noexcept { return has_value() ? cpu_ : fallback; }
	bool task_gone() const noexcept { return outcome_ == Outcome::TaskGone; }

private:
	CpuChoice(Outcome o, int cpu) noexcept : outcome_(o), cpu_(cpu) {}
	Outcome outcome_;
	int cpu_;
};

// A task that wants to run, as Scheduler::dequeue() reports it.
class QueuedTask {
public:
	QueuedTask() noexcept : t_() { t_.sz = sizeof(t_); }
	explicit QueuedTask(const scx_queued_task &t) noexcept : t_(t) { t_.sz = sizeof(t_); }

	int32_t pid() const noexcept { return t_.pid; }
	int32_t cpu() const noexcept { return t_.cpu; } // the CPU it last ran on
	uint32_t nr_cpus_allowed() const noexcept { return t_.nr_cpus_allowed; }
	uint32_t weight() const noexcept { return t_.weight; } // 100 = nice 0
	uint64_t flags() const noexcept { return t_.flags; }
	bool wakeup() const noexcept { return t_.flags & SCX_TASK_WAKEUP; }
	// It runs already, on cpu() (opts.wake_to_idle_prev, opts.idle_runs_oldest):
	// account, do not dispatch.
	bool placed() const noexcept { return t_.flags & SCX_TASK_PLACED; }
	uint64_t start_ts() const noexcept { return t_.start_ts; }
	uint64_t stop_ts() const noexcept { return t_.stop_ts; }
	uint64_t exec_runtime() const noexcept { return t_.exec_runtime; }
	uint64_t vtime() const noexcept { return t_.vtime; }
	uint64_t enqueue_ts() const noexcept { return t_.enqueue_ts; }
	uint64_t token() const noexcept { return t_.token; }
	// Points into *this.
	std::string_view comm() const noexcept { return {t_.comm, strnlen(t_.comm, sizeof(t_.comm))}; }
	int32_t tgid() const noexcept { return t_.tgid; } // its process
	// Its cgroup v2 (the inode number of its cgroupfs directory), or
	// SCX_CGROUP_UNKNOWN.
	uint64_t cgroup_id() const noexcept { return t_.cgroup_id; }

	const scx_queued_task &raw() const noexcept { return t_; }
	scx_queued_task &raw() noexcept { return t_; }

private:
	scx_queued_task t_;
};

// A decision for Scheduler::dispatch(). Made from a QueuedTask, it runs the
// task on its previous CPU for the default slice, keeping its vtime; the
// setters change that: DispatchedTask(t).cpu(SCX_CPU_ANY).slice_ns(1000000).
class DispatchedTask {
public:
	// What scx_dispatched_task_init() does, but sized by this header's
	// struct (the library's function fills its own sizeof).
	explicit DispatchedTask(const QueuedTask &t) noexcept : d_()
	{
		d_.sz = sizeof(d_);
		d_.pid = t.pid();
		d_.cpu = t.cpu();
		d_.vtime = t.vtime();
		d_.token = t.token();
	}
	explicit DispatchedTask(const scx_dispatched_task &d) noexcept : d_(d) { d_.sz = sizeof(d_); }

	DispatchedTask &cpu(int32_t v) noexcept { d_.cpu = v; return *this; }
	DispatchedTask &slice_ns(uint64_t v) noexcept { d_.slice_ns = v; return *this; }
	DispatchedTask &vtime(uint64_t v) noexcept { d_.vtime = v; return *this; }
	DispatchedTask &flags(uint64_t v) noexcept { d_.flags = v; return *this; }
	// Preempt what runs on cpu() now (needs a CPU, not SCX_CPU_ANY).
	DispatchedTask &preempt(bool v = true) noexcept
	{
		d_.flags = v ? d_.flags | SCX_DISPATCH_PREEMPT : d_.flags & ~SCX_DISPATCH_PREEMPT;
		return *this;
	}

	int32_t pid() const noexcept { return d_.pid; }
	int32_t cpu() const noexcept { return d_.cpu; }
	uint64_t slice_ns() const noexcept { return d_.slice_ns; }
	uint64_t vtime() const noexcept { return d_.vtime; }
	uint64_t flags() const noexcept { return d_.flags; }
	uint64_t token() const noexcept { return d_.token; }

	const scx_dispatched_task &raw() const noexcept { return d_; }
	scx_dispatched_task &raw() noexcept { return d_; }

private:
	scx_dispatched_task d_;
};

// Why the scheduler stopped (Scheduler::shutdown()).
struct ExitInfo {
	int64_t kind = SCX_EXIT_NONE; // SCX_EXIT_*
	int64_t exit_code = 0;
	bool should_restart = false;  // the kernel asks to load again (CPU hotplug)
	std::string reason;           // e.g. "unregistered from user space"
	std::string msg;              // details, e.g. which task stalled
	std::string dump;             // the kernel's debug dump (Options::exit_dump_len)

	// A static description of kind.
	std::string_view kind_str() const noexcept { return scx_exit_kind_str(kind); }
	// The kernel's error kinds (the library's own, SCX_EXIT_HANDED_OVER
	// and SCX_EXIT_RELEASED, are not errors).
	bool error() const noexcept { return kind >= SCX_EXIT_ERROR && kind < SCX_EXIT_HANDED_OVER; }
};

// "struct": the C API has functions of the same names.
using Stats = struct scx_stats;
using CpuInfo = struct scx_cpu_info;
using CgroupInfo = struct scx_cgroup_info;

class Scheduler {
public:
	// Empty: no scheduler loaded.
	Scheduler() noexcept = default;

	// Load and attach (needs CAP_SYS_ADMIN); call from the thread that will
	// run the scheduling loop. Throws Error: EINVAL for bad options (before
	// touching the kernel), EPERM, EOPNOTSUPP (no sched_ext), EBUSY (another
	// sched_ext scheduler is loaded), or what the BPF loader reports.
	explicit Scheduler(const Options &opts) : Scheduler(opts.raw()) {}
	explicit Scheduler(const scx_opts &opts) { detail::check(scx_init(&opts, &s_), "scx_init"); }

	Scheduler(const Scheduler &) = delete;
	Scheduler &operator=(const Scheduler &) = delete;
	Scheduler(Scheduler &&o) noexcept : s_(std::exchange(o.s_, nullptr)) {}
	Scheduler &operator=(Scheduler &&o) noexcept
	{
		if (this != &o) {
			scx_destroy(s_);
			s_ = std::exchange(o.s_, nullptr);
		}
		return *this;
	}
	// Detaches the scheduler if it still runs and frees everything.
	~Scheduler() { scx_destroy(s_); }

	explicit operator bool() const noexcept { return s_ != nullptr; }
	scx_sched *get() const noexcept { return s_; }
	// Gives up ownership: the caller must scx_destroy() the handle.
	scx_sched *release() noexcept { return std::exchange(s_, nullptr); }

	// The next task that wants to run; never blocks. std::nullopt when no
	// task waits or the scheduler has exited.
	std::optional<QueuedTask> dequeue()
	{
		QueuedTask t;
		int ret = scx_dequeue(s_, &t.raw());
		if (ret == 1)
			return t;
		if (ret == 0 || ret == -ENODEV)
			return std::nullopt;
		throw Error(ret, "scx_dequeue");
	}

	// Queue a decision to the kernel (applied later; see scx_dispatch()).
	// True when queued; false when it was not and the task is still the
	// caller's: the ring to the kernel stayed full for 100 ms (EAGAIN: retry
	// after notify()) or the scheduler has exited. Throws EINVAL for a bad
	// decision (pid, cpu, flags).
	bool dispatch(const DispatchedTask &d)
	{
		int ret = scx_dispatch(s_, &d.raw());
		if (ret == 0)
			return true;
		if (ret == -EAGAIN || ret == -ENODEV)
			return false;
		throw Error(ret, "scx_dispatch");
	}
	// Run @t on @cpu (SCX_CPU_ANY: the first CPU available) for @slice_ns
	// (0: the default slice), keeping its vtime.
	bool dispatch(const QueuedTask &t, int32_t cpu, uint64_t slice_ns = 0)
	{
		return dispatch(DispatchedTask(t).cpu(cpu).slice_ns(slice_ns));
	}

	// Find and claim an idle CPU that task @pid may use, preferring
	// @prev_cpu (flags: SCX_SELECT_IDLE_CORE); see CpuChoice for what an
	// empty answer means. Throws EINVAL for bad arguments.
	CpuChoice select_cpu(int32_t pid, int32_t prev_cpu, uint64_t flags = 0)
	{
		int ret = scx_select_cpu(s_, pid, prev_cpu, flags);
		if (ret >= 0)
			return CpuChoice::idle(ret);
		if (ret == -EBUSY)
			return CpuChoice::none(CpuChoice::Outcome::NoIdleCpu);
		if (ret == -ESRCH)
			return CpuChoice::none(CpuChoice::Outcome::TaskGone);
		if (ret == -ENODEV)
			return CpuChoice::none(CpuChoice::Outcome::Exited);
		throw Error(ret, "scx_select_cpu");
	}
	CpuChoice select_cpu(const QueuedTask &t, uint64_t flags = 0)
	{
		return select_cpu(t.pid(), t.cpu(), flags);
	}

	// Whether task @pid may run on @cpu (scx_task_allows_cpu(3)); false
	// also once the task is gone or the scheduler has exited. Throws EINVAL
	// for a CPU outside 0..nr_cpus()-1.
	bool allows_cpu(int32_t pid, int32_t cpu)
	{
		int ret = scx_task_allows_cpu(s_, pid, cpu);
		if (ret >= 0)
			return ret == 1;
		if (ret == -ESRCH || ret == -ENODEV)
			return false;
		throw Error(ret, "scx_task_allows_cpu");
	}
	bool allows_cpu(const QueuedTask &t, int32_t cpu) { return allows_cpu(t.pid(), cpu); }

	// Say that @nr_pending dequeued tasks are still held, hand queued
	// decisions over and sleep until there is work (or idle_wait_ms).
	// True after a normal wake-up; false when a signal interrupted the sleep
	// or the scheduler has exited. @slept, if given, tells whether it slept
	// (false: tasks were waiting already; see scx_notify()).
	bool notify(uint64_t nr_pending = 0, bool *slept = nullptr)
	{
		int ret = scx_notify(s_, nr_pending);
		if (slept)
			*slept = ret == 1;
		if (ret >= 0)
			return true;
		if (ret == -EINTR || ret == -ENODEV)
			return false;
		throw Error(ret, "scx_notify");
	}

	// Counters since the load (see struct scx_stats). Any thread; works
	// after exit too.
	Stats stats() const
	{
		Stats st = Stats();
		st.sz = sizeof(st);
		detail::check(scx_stats(s_, &st), "scx_stats");
		return st;
	}

	// True once the kernel has stopped the scheduler, this handle no longer
	// owns it (handed over, released), or when empty. Any thread.
	bool exited() const noexcept { return scx_exited(s_); }

	// scx_release(): leave the scheduler running without this process (it
	// needs Options::linger_ms). Throws Error (EINVAL, ENODEV). Loop thread.
	// (release() is the handle's, as std::unique_ptr::release().)
	void leave() { detail::check(scx_release(s_), "scx_release"); }

	// Detach the scheduler if it still runs (tasks go back to the fair class)
	// and tell why it stopped. Idempotent; the handle stays owned.
	ExitInfo shutdown()
	{
		scx_exit_info e = scx_exit_info();
		e.sz = sizeof(e);
		detail::check(scx_shutdown(s_, &e), "scx_shutdown");
		ExitInfo out;
		out.kind = e.kind;
		out.exit_code = e.exit_code;
		out.should_restart = e.should_restart;
		out.reason.assign(e.reason, strnlen(e.reason, sizeof(e.reason)));
		out.msg.assign(e.msg, strnlen(e.msg, sizeof(e.msg)));
		if (e.dump)
			out.dump = e.dump;
		return out;
	}

	// The CPU settings of cgroup @cgroup_id (QueuedTask::cgroup_id());
	// std::nullopt when no such cgroup exists (ENOENT). Throws Error for the
	// rest (see scx_cgroup_info(3)). Any thread.
	std::optional<CgroupInfo> cgroup_info(uint64_t cgroup_id) const
	{
		CgroupInfo c = CgroupInfo();
		c.sz = sizeof(c);
		int ret = scx_cgroup_info(s_, cgroup_id, &c);
		if (ret == -ENOENT)
			return std::nullopt;
		detail::check(ret, "scx_cgroup_info");
		return c;
	}
	// Moves whenever a cgroup's tracked settings change (a memory read).
	uint64_t cgroup_generation() const noexcept { return scx_cgroup_generation(s_); }

	// Topology, read at load; any thread. CPU ids are 0..nr_cpus()-1.
	int nr_cpus() const { return detail::check(scx_nr_cpus(s_), "scx_nr_cpus"); }
	CpuInfo cpu_info(int32_t cpu) const
	{
		CpuInfo c = CpuInfo();
		c.sz = sizeof(c);
		detail::check(scx_cpu_info(s_, cpu, &c), "scx_cpu_info");
		return c;
	}
	// The CPUs sharing @level with @cpu, itself included.
	std::vector<int32_t> siblings(int32_t cpu, scx_topo_level level) const
	{
		std::vector<int32_t> v(
			static_cast<size_t>(detail::check(scx_cpu_siblings(s_, cpu, level, nullptr, 0),
							  "scx_cpu_siblings")));
		int n = detail::check(scx_cpu_siblings(s_, cpu, level, v.data(), v.size()),
				      "scx_cpu_siblings");
		if (static_cast<size_t>(n) < v.size())
			v.resize(static_cast<size_t>(n));
		return v;
	}

private:
	scx_sched *s_ = nullptr;
};

// "MAJOR.MINOR.PATCH" of the library loaded at run time (SCX_VERSION_* give
// the header's).
inline std::string_view version() noexcept { return scx_version(); }

} // namespace scx

#endif // SCX_SCXCORE_HPP
