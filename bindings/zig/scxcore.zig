// SPDX-License-Identifier: GPL-2.0-only

//! libscxcore for Zig: make a program a Linux sched_ext scheduler whose
//! policy runs in user space.
//!
//! A thin layer over the C API (include/scx/scxcore.h, imported as `c`):
//! the same structs, with negative errno returns turned into the error set
//! `Error`, and sizes (`sz`) filled in for you.
//!
//!     const scx = @import("scxcore");
//!     var s = try scx.Scheduler.init(.{ .name = "myfifo" });
//!     defer s.deinit();
//!     while (!s.exited()) {
//!         var t = scx.queuedTask();
//!         while (try s.dequeue(&t)) {
//!             var d = scx.dispatchedTask(&t); // same CPU, default slice
//!             if (try s.selectCpu(t.pid, t.cpu, 0)) |cpu| d.cpu = cpu;
//!             try s.dispatch(&d);
//!         }
//!         _ = s.notify(0) catch |err| switch (err) {
//!             error.Interrupted => false, // a signal: look at your flags
//!             else => return err,
//!         };
//!     }
//!
//! Threads: as in C, one thread drives a Scheduler (init, dequeue, dispatch,
//! selectCpu, taskAllowsCpu, notify, shutdown, deinit); stats, exited and the topology
//! queries may be called from any thread.
//!
//! Build: link libc and libscxcore, with scx/scxcore.h on the include path
//! (pkg-config scxcore gives both; see build.zig).

const std = @import("std");

/// The C API, as translated from scx/scxcore.h.
pub const c = @cImport({
    @cInclude("scx/scxcore.h");
});

/// The errors of the C API, one per errno it documents.
pub const Error = error{
    /// EINVAL: a bad argument or option, a NULL or too-small struct, or
    /// one that sets fields this library does not know.
    InvalidArgument,
    /// E2BIG: the kernel's verifier found the BPF backend too complex.
    TooBig,
    /// EPROTO: the library cannot share memory with its BPF backend.
    ProtocolError,
    /// EPERM: loading a scheduler needs CAP_SYS_ADMIN (or CAP_BPF and
    /// CAP_PERFMON).
    PermissionDenied,
    /// EOPNOTSUPP: the kernel lacks sched_ext or BTF (or sub-schedulers),
    /// or libbpf is too old.
    NotSupported,
    /// EBUSY: another sched_ext scheduler is loaded (scx_select_cpu's
    /// "no idle CPU" is not an error: selectCpu returns null).
    Busy,
    /// ENODEV: the scheduler has exited (or a sub-scheduler found none to
    /// attach under).
    NoDevice,
    /// ESRCH: no such task.
    NoSuchTask,
    /// EAGAIN: the ring to the kernel stayed full; notify() and retry.
    WouldBlock,
    /// EINTR: a signal interrupted notify()'s sleep.
    Interrupted,
    /// ENOMEM: out of memory.
    OutOfMemory,
    /// ENOENT: the BPF backend lacks an expected map, program or variable;
    /// cgroupInfo(): no such cgroup.
    NotFound,
    /// Any other errno (from the BPF loader, for example); `last_errno`
    /// has its value and `describeErrno` its description.
    Unexpected,
};

const E = std.os.linux.E;

/// The errnos that have an error of their own, in both directions.
const errno_map = [_]struct { errno: E, err: Error }{
    .{ .errno = .INVAL, .err = error.InvalidArgument },
    .{ .errno = .@"2BIG", .err = error.TooBig },
    .{ .errno = .PROTO, .err = error.ProtocolError },
    .{ .errno = .PERM, .err = error.PermissionDenied },
    .{ .errno = .OPNOTSUPP, .err = error.NotSupported },
    .{ .errno = .BUSY, .err = error.Busy },
    .{ .errno = .NODEV, .err = error.NoDevice },
    .{ .errno = .SRCH, .err = error.NoSuchTask },
    .{ .errno = .AGAIN, .err = error.WouldBlock },
    .{ .errno = .INTR, .err = error.Interrupted },
    .{ .errno = .NOMEM, .err = error.OutOfMemory },
    .{ .errno = .NOENT, .err = error.NotFound },
};

/// The (positive) errno of the last failure of a call of this module on
/// this thread, whichever error it became.
pub threadlocal var last_errno: i32 = 0;

/// The error for a (positive) errno; error.Unexpected for one the C API
/// does not document.
pub fn errorFromErrno(errno: i32) Error {
    for (errno_map) |m| {
        if (@intFromEnum(m.errno) == errno) return m.err;
    }
    return error.Unexpected;
}

/// The (positive) errno of an error; null for error.Unexpected.
pub fn errnoFromError(err: Error) ?i32 {
    for (errno_map) |m| {
        if (m.err == err) return @intFromEnum(m.errno);
    }
    return null;
}

/// A C return value as an error union: rc itself when it is >= 0, else the
/// error for -rc (and last_errno = -rc).
pub fn check(rc: c_int) Error!c_int {
    if (rc >= 0) return rc;
    last_errno = -rc;
    return errorFromErrno(-rc);
}

/// libscxcore's description of an errno (scx_strerror), e.g. "the
/// scheduler has exited" for ENODEV.
pub fn describeErrno(errno: i32) [:0]const u8 {
    return std.mem.span(c.scx_strerror(-errno));
}

/// libscxcore's description of an error; for error.Unexpected, that of
/// last_errno.
pub fn describe(err: Error) [:0]const u8 {
    return describeErrno(errnoFromError(err) orelse last_errno);
}

/// Options of Scheduler.init; every field's zero is the default. Each is
/// the field of struct scx_opts of the same name: its meaning, default and
/// limits are in scx_init(3), the one place they are written.
pub const Options = struct {
    /// Shown in /sys/kernel/sched_ext/root/ops. null: the library's default.
    name: ?[*:0]const u8 = null,
    /// Slice of tasks dispatched with slice_ns 0.
    slice_ns: u64 = 0,
    /// Kernel watchdog.
    timeout_ms: u32 = 0,
    /// Bytes of the kernel's debug dump kept on an error exit.
    exit_dump_len: u32 = 0,
    /// How long a task may wait for user space before the fail-safe.
    failsafe_ms: u32 = 0,
    /// Longest notify() sleep.
    idle_wait_ms: u32 = 0,
    /// KiB per ring between the kernel and user space.
    ring_size_kb: u32 = 0,
    /// Queued tasks that wake a sleeping notify() while no CPU is idle.
    wake_batch: u32 = 0,
    /// Only schedule tasks set to SCHED_EXT.
    partial: bool = false,
    /// Wake-ups go straight to an idle CPU in the kernel.
    builtin_idle: bool = false,
    /// No fail-safe.
    no_failsafe: bool = false,
    /// Do not mlockall() the process.
    no_lock_memory: bool = false,
    /// Print libbpf's and the library's diagnostics to stderr.
    debug: bool = false,
    /// Take over the running scheduler of this name (takeover_*).
    takeover: u32 = 0,
    /// Outlive this process for up to this long, waiting for a successor.
    linger_ms: u32 = 0,
    /// Every slice end comes back to the policy (scx_init(3): enq_last).
    enq_last: bool = false,
    /// A waking task whose previous CPU is idle runs there at once, reported
    /// afterwards with task_placed (scx_init(3): wake_to_idle_prev).
    wake_to_idle_prev: bool = false,
    /// A CPU about to idle runs the task that has waited longest among those
    /// allowed there, reported afterwards with task_placed
    /// (scx_init(3): idle_runs_oldest).
    idle_runs_oldest: bool = false,
    /// Load as a sub-scheduler serving only this cgroup v2 (an absolute
    /// path); Linux 7.3+ (scx_init(3): sub_cgroup, "Sub-schedulers").
    sub_cgroup: ?[*:0]const u8 = null,
    /// Let sub-schedulers attach below this scheduler; Linux 7.3+
    /// (scx_init(3): host_subs).
    host_subs: bool = false,

    /// The struct scx_opts for these options.
    pub fn toC(self: Options) c.struct_scx_opts {
        return std.mem.zeroInit(c.struct_scx_opts, .{
            .sz = @sizeOf(c.struct_scx_opts),
            .name = self.name,
            .slice_ns = self.slice_ns,
            .timeout_ms = self.timeout_ms,
            .exit_dump_len = self.exit_dump_len,
            .failsafe_ms = self.failsafe_ms,
            .idle_wait_ms = self.idle_wait_ms,
            .ring_size_kb = self.ring_size_kb,
            .wake_batch = self.wake_batch,
            .partial = self.partial,
            .builtin_idle = self.builtin_idle,
            .no_failsafe = self.no_failsafe,
            .no_lock_memory = self.no_lock_memory,
            .debug = self.debug,
            .takeover = self.takeover,
            .linger_ms = self.linger_ms,
            .enq_last = self.enq_last,
            .wake_to_idle_prev = self.wake_to_idle_prev,
            .idle_runs_oldest = self.idle_runs_oldest,
            .sub_cgroup = self.sub_cgroup,
            .host_subs = self.host_subs,
        });
    }
};

/// A task that wants to run (struct scx_queued_task).
pub const QueuedTask = c.struct_scx_queued_task;
/// Where and how long to run a task (struct scx_dispatched_task).
pub const DispatchedTask = c.struct_scx_dispatched_task;
/// The scheduler's counters (struct scx_stats).
pub const Stats = c.struct_scx_stats;
/// Why the scheduler stopped (struct scx_exit_info).
pub const ExitInfo = c.struct_scx_exit_info;
/// One CPU's place in the topology (struct scx_cpu_info).
pub const CpuInfo = c.struct_scx_cpu_info;
/// A cgroup's CPU controller settings (struct scx_cgroup_info; its flags
/// are c.SCX_CGROUP_*, its quota_us c.SCX_CGROUP_NO_QUOTA for "max").
pub const CgroupInfo = c.struct_scx_cgroup_info;

/// Let the first CPU that becomes available run the task.
pub const cpu_any: i32 = c.SCX_CPU_ANY;
/// QueuedTask.flags: it just woke up.
pub const task_wakeup: u64 = c.SCX_TASK_WAKEUP;
/// QueuedTask.flags: it runs already, on its idle previous CPU: account for
/// it, do not dispatch it (scx_dequeue(3)).
pub const task_placed: u64 = c.SCX_TASK_PLACED;
/// QueuedTask.cgroup_id when the kernel side could not read it.
pub const cgroup_unknown: u64 = c.SCX_CGROUP_UNKNOWN;
/// DispatchedTask.flags: preempt what runs on .cpu now.
pub const dispatch_preempt: u64 = c.SCX_DISPATCH_PREEMPT;
/// selectCpu() flags: only a CPU whose SMT siblings are idle too.
pub const select_idle_core: u64 = c.SCX_SELECT_IDLE_CORE;
pub const slice_default_ns: u64 = c.SCX_SLICE_DEFAULT_NS;
pub const slice_min_ns: u64 = c.SCX_SLICE_MIN_NS;
pub const slice_max_ns: u64 = c.SCX_SLICE_MAX_NS;

/// Options.takeover values (see scx_init(3), "Hand-over").
pub const takeover_never: u32 = c.SCX_TAKEOVER_NEVER;
pub const takeover_required: u32 = c.SCX_TAKEOVER_REQUIRED;
pub const takeover_or_load: u32 = c.SCX_TAKEOVER_OR_LOAD;
pub const takeover_or_reload: u32 = c.SCX_TAKEOVER_OR_RELOAD;

/// Exit kinds (ExitInfo.kind).
pub const ExitKind = struct {
    pub const none: i64 = c.SCX_EXIT_NONE;
    pub const done: i64 = c.SCX_EXIT_DONE;
    pub const unreg: i64 = c.SCX_EXIT_UNREG;
    pub const unreg_bpf: i64 = c.SCX_EXIT_UNREG_BPF;
    pub const unreg_kern: i64 = c.SCX_EXIT_UNREG_KERN;
    pub const sysrq: i64 = c.SCX_EXIT_SYSRQ;
    pub const err: i64 = c.SCX_EXIT_ERROR;
    pub const err_bpf: i64 = c.SCX_EXIT_ERROR_BPF;
    pub const err_stall: i64 = c.SCX_EXIT_ERROR_STALL;
    pub const handed_over: i64 = c.SCX_EXIT_HANDED_OVER;
    pub const released: i64 = c.SCX_EXIT_RELEASED;
};

/// Topology levels, for Scheduler.cpuSiblings.
pub const TopoLevel = enum(c_uint) {
    smt = c.SCX_TOPO_SMT,
    llc = c.SCX_TOPO_LLC,
    node = c.SCX_TOPO_NODE,
};

/// An empty QueuedTask, ready for Scheduler.dequeue.
pub fn queuedTask() QueuedTask {
    return std.mem.zeroInit(QueuedTask, .{ .sz = @sizeOf(QueuedTask) });
}

/// A decision to run t on its previous CPU with the default slice, keeping
/// its vtime (scx_dispatched_task_init).
pub fn dispatchedTask(t: *const QueuedTask) DispatchedTask {
    var d: DispatchedTask = undefined;
    c.scx_dispatched_task_init(&d, t);
    return d;
}

/// The task's name.
pub fn comm(t: *const QueuedTask) []const u8 {
    return std.mem.sliceTo(&t.comm, 0);
}

/// ExitInfo.reason as a slice, e.g. "unregistered from user space".
pub fn exitReason(e: *const ExitInfo) []const u8 {
    return std.mem.sliceTo(&e.reason, 0);
}

/// ExitInfo.msg as a slice.
pub fn exitMsg(e: *const ExitInfo) []const u8 {
    return std.mem.sliceTo(&e.msg, 0);
}

/// ExitInfo.dump as a slice ("" if none); valid until Scheduler.deinit.
pub fn exitDump(e: *const ExitInfo) []const u8 {
    return if (e.dump) |d| std.mem.span(d) else "";
}

/// A description of an exit kind (scx_exit_kind_str).
pub fn exitKindStr(kind: i64) [:0]const u8 {
    return std.mem.span(c.scx_exit_kind_str(kind));
}

/// The version of the loaded library, "MAJOR.MINOR.PATCH".
pub fn version() [:0]const u8 {
    return std.mem.span(c.scx_version());
}

/// A loaded and attached scheduler (a libscxcore handle).
pub const Scheduler = struct {
    handle: *c.struct_scx_sched,

    /// Load and attach the scheduler. Call from the thread that will run
    /// the scheduling loop. Errors: InvalidArgument (bad option), TooBig,
    /// PermissionDenied, NotSupported (no sched_ext), Busy (another
    /// sched_ext scheduler is loaded), others from the BPF loader.
    pub fn init(opts: Options) Error!Scheduler {
        const copts = opts.toC();
        var h: ?*c.struct_scx_sched = null;
        _ = try check(c.scx_init(&copts, &h));
        return .{ .handle = h orelse return error.Unexpected };
    }

    /// Shut down (if still running) and free everything.
    pub fn deinit(self: *Scheduler) void {
        c.scx_destroy(self.handle);
        self.* = undefined;
    }

    /// Take the next task that wants to run into out (from queuedTask()).
    /// Never blocks: false when none is waiting. NoDevice once the
    /// scheduler has exited.
    pub fn dequeue(self: Scheduler, out: *QueuedTask) Error!bool {
        out.sz = @sizeOf(QueuedTask);
        return try check(c.scx_dequeue(self.handle, out)) == 1;
    }

    /// Run a dequeued task on d.cpu (cpu_any: the first CPU available) for
    /// d.slice_ns. Errors: InvalidArgument, WouldBlock (ring full for
    /// 100 ms: notify() and retry), NoDevice.
    pub fn dispatch(self: Scheduler, d: *const DispatchedTask) Error!void {
        _ = try check(c.scx_dispatch(self.handle, d));
    }

    /// Find and claim an idle CPU that task pid may use, preferring
    /// prev_cpu; null when none is idle. Errors: NoSuchTask,
    /// InvalidArgument, NoDevice.
    pub fn selectCpu(self: Scheduler, pid: i32, prev_cpu: i32, flags: u64) Error!?i32 {
        const rc = c.scx_select_cpu(self.handle, pid, prev_cpu, flags);
        if (rc == -@as(c_int, @intFromEnum(E.BUSY))) return null;
        return try check(rc);
    }

    /// Whether task pid may run on cpu (scx_task_allows_cpu(3)). Errors:
    /// NoSuchTask, InvalidArgument, NoDevice.
    pub fn taskAllowsCpu(self: Scheduler, pid: i32, cpu: i32) Error!bool {
        return try check(c.scx_task_allows_cpu(self.handle, pid, cpu)) == 1;
    }

    /// Tell the kernel side how many dequeued tasks user space still holds
    /// and sleep until there is work. True when it slept (its thread's CPU
    /// was free meanwhile), false when tasks were waiting already.
    /// Errors: Interrupted (a signal), NoDevice (exited).
    pub fn notify(self: Scheduler, nr_pending: u64) Error!bool {
        return try check(c.scx_notify(self.handle, nr_pending)) == 1;
    }

    /// The counters since init. Any thread.
    pub fn stats(self: Scheduler) Error!Stats {
        var st = std.mem.zeroInit(Stats, .{ .sz = @sizeOf(Stats) });
        _ = try check(c.scx_stats(self.handle, &st));
        return st;
    }

    /// Leave the scheduler running without this process (needs
    /// Options.linger_ms; scx_release(3)). Errors: InvalidArgument,
    /// NoDevice. Loop thread.
    pub fn release(self: Scheduler) Error!void {
        _ = try check(c.scx_release(self.handle));
    }

    /// True once the kernel has stopped the scheduler, or this handle no
    /// longer owns it (handed over, released). Any thread.
    pub fn exited(self: Scheduler) bool {
        return c.scx_exited(self.handle);
    }

    /// Detach the scheduler if it still runs and tell why it stopped.
    /// Idempotent. The dump (exitDump) lives until deinit.
    pub fn shutdown(self: Scheduler) Error!ExitInfo {
        var e = std.mem.zeroInit(ExitInfo, .{ .sz = @sizeOf(ExitInfo) });
        _ = try check(c.scx_shutdown(self.handle, &e));
        return e;
    }

    /// Number of possible CPU ids. Any thread.
    pub fn nrCpus(self: Scheduler) Error!u31 {
        return @intCast(try check(c.scx_nr_cpus(self.handle)));
    }

    /// Where cpu sits in the topology. Any thread.
    pub fn cpuInfo(self: Scheduler, cpu: i32) Error!CpuInfo {
        var info = std.mem.zeroInit(CpuInfo, .{ .sz = @sizeOf(CpuInfo) });
        _ = try check(c.scx_cpu_info(self.handle, cpu, &info));
        return info;
    }

    /// The CPU settings of cgroup cgroup_id (QueuedTask.cgroup_id); see
    /// scx_cgroup_info(3). NotFound when no such cgroup exists. Any thread.
    pub fn cgroupInfo(self: Scheduler, cgroup_id: u64) Error!CgroupInfo {
        var info = std.mem.zeroInit(CgroupInfo, .{ .sz = @sizeOf(CgroupInfo) });
        _ = try check(c.scx_cgroup_info(self.handle, cgroup_id, &info));
        return info;
    }

    /// Moves whenever a cgroup's tracked settings change (a memory read).
    /// Any thread.
    pub fn cgroupGeneration(self: Scheduler) u64 {
        return c.scx_cgroup_generation(self.handle);
    }

    /// Write the CPUs that share level with cpu (itself included) to buf
    /// and return how many there are (may exceed buf.len). Any thread.
    pub fn cpuSiblings(self: Scheduler, cpu: i32, level: TopoLevel, buf: []i32) Error!usize {
        const rc = c.scx_cpu_siblings(self.handle, cpu, @intFromEnum(level), buf.ptr, buf.len);
        return @intCast(try check(rc));
    }
};

// --- tests (run on any host; no sched_ext needed) ---------------------------

const testing = std.testing;

fn haveSchedExt() bool {
    std.fs.accessAbsolute("/sys/kernel/sched_ext/state", .{}) catch return false;
    return true;
}

test "each documented errno maps to its error and back" {
    const cases = .{
        .{ E.INVAL, error.InvalidArgument },
        .{ E.@"2BIG", error.TooBig },
        .{ E.PERM, error.PermissionDenied },
        .{ E.OPNOTSUPP, error.NotSupported },
        .{ E.BUSY, error.Busy },
        .{ E.NODEV, error.NoDevice },
        .{ E.SRCH, error.NoSuchTask },
        .{ E.AGAIN, error.WouldBlock },
        .{ E.INTR, error.Interrupted },
        .{ E.NOMEM, error.OutOfMemory },
        .{ E.NOENT, error.NotFound },
    };
    inline for (cases) |case| {
        const errno: i32 = @intFromEnum(case[0]);
        try testing.expectEqual(@as(Error, case[1]), errorFromErrno(errno));
        try testing.expectEqual(@as(?i32, errno), errnoFromError(case[1]));
        try testing.expectError(case[1], check(-errno));
        try testing.expectEqual(errno, last_errno);
    }
}

test "other errnos are Unexpected and keep their value" {
    try testing.expectEqual(@as(Error, error.Unexpected), errorFromErrno(@intFromEnum(E.ACCES)));
    try testing.expectEqual(@as(?i32, null), errnoFromError(error.Unexpected));
    try testing.expectError(error.Unexpected, check(-@as(c_int, @intFromEnum(E.EXIST))));
    try testing.expectEqual(@as(i32, @intFromEnum(E.EXIST)), last_errno);
    try testing.expectEqualStrings("File exists", describe(error.Unexpected));
}

test "non-negative returns pass through" {
    try testing.expectEqual(@as(c_int, 0), try check(0));
    try testing.expectEqual(@as(c_int, 1), try check(1));
    try testing.expectEqual(@as(c_int, 17), try check(17));
}

test "descriptions come from scx_strerror" {
    try testing.expect(std.mem.startsWith(u8, describe(error.NoDevice), "the scheduler has exited"));
    try testing.expectEqualStrings("interrupted by a signal", describe(error.Interrupted));
    try testing.expect(std.mem.startsWith(u8, describe(error.InvalidArgument), "invalid argument"));
}

test "options reach struct scx_opts" {
    const o = (Options{ .takeover = takeover_or_load, .linger_ms = 5000, .enq_last = true, .wake_to_idle_prev = true, .idle_runs_oldest = true, .sub_cgroup = "/sys/fs/cgroup/a", .host_subs = true }).toC();
    try testing.expectEqual(@as(u32, 2), o.takeover);
    try testing.expectEqual(@as(u32, 5000), o.linger_ms);
    try testing.expect(o.enq_last);
    try testing.expect(o.wake_to_idle_prev);
    try testing.expect(o.idle_runs_oldest);
    try testing.expectEqualStrings("/sys/fs/cgroup/a", std.mem.span(o.sub_cgroup.?));
    try testing.expect(o.host_subs);
}

test "CgroupInfo is the C struct" {
    const info = std.mem.zeroInit(CgroupInfo, .{ .sz = @sizeOf(CgroupInfo), .quota_us = c.SCX_CGROUP_NO_QUOTA });
    try testing.expectEqual(@as(usize, 56), info.sz);
    try testing.expectEqual(@as(u64, std.math.maxInt(u64)), info.quota_us);
}

test "bad options are InvalidArgument" {
    const bad = [_]Options{
        .{ .name = "my fifo" },
        .{ .name = "n" ** 64 },
        .{ .name = "" },
        .{ .sub_cgroup = "relative" },
        .{ .slice_ns = slice_min_ns - 1 },
        .{ .slice_ns = slice_max_ns + 1 },
        .{ .timeout_ms = 30001 },
        .{ .timeout_ms = 1000, .failsafe_ms = 1000 },
        .{ .exit_dump_len = (1 << 20) + 1 },
        .{ .idle_wait_ms = 60001 },
        .{ .ring_size_kb = 8 },
        .{ .ring_size_kb = 48 },
        .{ .ring_size_kb = 131072 },
        .{ .wake_batch = 4097 },
        .{ .takeover = 4 },
        .{ .linger_ms = 600001 },
    };
    for (bad) |o| {
        try testing.expectError(error.InvalidArgument, Scheduler.init(o));
    }
}

test "init without sched_ext is NotSupported" {
    if (haveSchedExt()) return error.SkipZigTest;
    try testing.expectError(error.NotSupported, Scheduler.init(.{ .name = "rlfifo_zig" }));
    try testing.expectError(error.NotSupported, Scheduler.init(.{}));
    try testing.expectError(error.NotSupported, Scheduler.init(.{
        .slice_ns = slice_max_ns,
        .timeout_ms = 30000,
        .failsafe_ms = 29999,
        .idle_wait_ms = 60000,
        .ring_size_kb = 65536,
        .wake_batch = 4096,
        .exit_dump_len = 1 << 20,
    }));
}

test "dispatchedTask keeps pid, cpu, vtime and token" {
    var t = queuedTask();
    t.pid = 4242;
    t.cpu = 3;
    t.vtime = 77;
    t.token = 0xdeadbeefcafe;
    t.flags = task_wakeup;
    @memcpy(t.comm[0..9], "hackbench");
    const d = dispatchedTask(&t);
    try testing.expectEqual(@as(usize, @sizeOf(DispatchedTask)), d.sz);
    try testing.expectEqual(@as(i32, 4242), d.pid);
    try testing.expectEqual(@as(i32, 3), d.cpu);
    try testing.expectEqual(@as(u64, 77), d.vtime);
    try testing.expectEqual(@as(u64, 0xdeadbeefcafe), d.token);
    try testing.expectEqual(@as(u64, 0), d.slice_ns);
    try testing.expectEqual(@as(u64, 0), d.flags);
    try testing.expectEqualStrings("hackbench", comm(&t));
}

test "version and exit kinds" {
    var buf: [32]u8 = undefined;
    const hdr = try std.fmt.bufPrint(&buf, "{d}.{d}.{d}", .{
        c.SCX_VERSION_MAJOR, c.SCX_VERSION_MINOR, c.SCX_VERSION_PATCH,
    });
    try testing.expectEqualStrings(hdr, version());
    try testing.expectEqualStrings("unregistered from user space", exitKindStr(ExitKind.unreg));
    try testing.expectEqualStrings("unknown", exitKindStr(12345));
    try testing.expectEqual(@as(i32, -1), cpu_any);
}
