// SPDX-License-Identifier: GPL-2.0-only

//! scx_rlfifo_zig: a FIFO scheduler in user space, in Zig, on libscxcore
//! (the Zig twin of examples/scx_rlfifo.c; its ops name is "rlfifo_zig").
//!
//! Every task that wants to run is dequeued, sent to an idle CPU if there
//! is one (else to the first CPU that frees up), with a slice that shrinks
//! as more tasks wait. A wake-up whose previous CPU is idle runs there at
//! once (wake_to_idle_prev), and a CPU that runs dry runs the task that has
//! waited longest (idle_runs_oldest: the order of a FIFO anyway); -u sends
//! every task through this loop.
//! Statistics once a second; Ctrl-C to stop.

const std = @import("std");
const scx = @import("scxcore");

const prog = "scx_rlfifo_zig";
const max_batch = 512;

var stop = std.atomic.Atomic(bool).init(false);

fn onSignal(_: c_int) callconv(.C) void {
    stop.store(true, .SeqCst);
}

fn printStats(s: scx.Scheduler) void {
    const st = s.stats() catch return;
    std.io.getStdOut().writer().print(
        "cpus={d} running={d} queued={d} user={d} kernel={d} cancel={d} bounce={d} " ++
            "failed={d} congested={d} failsafe={d} hotplug={d}\n",
        .{
            st.nr_online_cpus,         st.nr_running,           st.nr_queued,
            st.nr_user_dispatches,     st.nr_kernel_dispatches, st.nr_cancel_dispatches,
            st.nr_bounce_dispatches,   st.nr_failed_dispatches, st.nr_sched_congested,
            st.nr_failsafe_dispatches, st.nr_hotplug_events,
        },
    ) catch {};
}

var batch: [max_batch]scx.QueuedTask = undefined;

/// Dispatch everything that waits, FIFO. Returns how many tasks ran.
fn scheduleBatch(s: scx.Scheduler, slice_ns: u64) usize {
    var n: usize = 0;
    while (n < max_batch) {
        batch[n] = scx.queuedTask();
        const got = s.dequeue(&batch[n]) catch false;
        if (!got) break;
        // Runs already (wake_to_idle_prev, idle_runs_oldest): a FIFO has
        // nothing to note.
        if (batch[n].flags & scx.task_placed == 0) n += 1;
    }
    // More waiting, shorter turns.
    const slice = @max(if (n > 0) slice_ns / n else slice_ns, scx.slice_min_ns);
    for (batch[0..n]) |*t| {
        var d = scx.dispatchedTask(t);
        const idle = s.selectCpu(t.pid, t.cpu, 0) catch null;
        d.cpu = idle orelse scx.cpu_any;
        d.slice_ns = slice;
        s.dispatch(&d) catch {}; // counted in the stats
    }
    return n;
}

fn usage(out: anytype) void {
    out.print(
        \\usage: {s} [-s SLICE_US] [-p] [-i] [-u] [-d BYTES] [-v]
        \\  -s, --slice-us N       longest slice in microseconds (default 5000)
        \\  -p, --partial          only schedule tasks set to SCHED_EXT
        \\  -i, --builtin-idle     wake-ups go straight to an idle CPU in the kernel
        \\  -u, --user-wakeups     every task waits for this loop (by default a wake-up
        \\                         whose previous CPU is idle runs there at once, and a
        \\                         CPU that runs dry takes the oldest waiting task)
        \\  -d, --exit-dump-len N  keep N bytes of the kernel's dump on an error exit
        \\  -v, --verbose          print libbpf's diagnostics
        \\  -h, --help             this text
        \\
    , .{prog}) catch {};
}

fn is(arg: []const u8, short: []const u8, long: []const u8) bool {
    return std.mem.eql(u8, arg, short) or std.mem.eql(u8, arg, long);
}

pub fn main() u8 {
    const stdout = std.io.getStdOut().writer();
    const stderr = std.io.getStdErr().writer();
    var opts = scx.Options{ .name = "rlfifo_zig", .wake_to_idle_prev = true, .idle_runs_oldest = true };
    var slice_ns: u64 = scx.slice_default_ns;

    var args = std.process.args();
    _ = args.skip();
    while (args.next()) |arg| {
        if (is(arg, "-s", "--slice-us") or is(arg, "-d", "--exit-dump-len")) {
            const val = args.next() orelse {
                usage(stderr);
                return 2;
            };
            const n = std.fmt.parseUnsigned(u64, val, 10) catch {
                stderr.print("{s}: {s}: not a number: {s}\n", .{ prog, arg, val }) catch {};
                return 2;
            };
            if (is(arg, "-s", "--slice-us")) {
                slice_ns = n *| 1000;
                if (slice_ns < scx.slice_min_ns or slice_ns > scx.slice_max_ns) {
                    stderr.print("{s}: --slice-us must be 10..1000000\n", .{prog}) catch {};
                    return 2;
                }
            } else {
                opts.exit_dump_len = std.math.cast(u32, n) orelse std.math.maxInt(u32);
            }
        } else if (is(arg, "-p", "--partial")) {
            opts.partial = true;
        } else if (is(arg, "-i", "--builtin-idle")) {
            opts.builtin_idle = true;
        } else if (is(arg, "-u", "--user-wakeups")) {
            opts.wake_to_idle_prev = false;
            opts.idle_runs_oldest = false;
        } else if (is(arg, "-v", "--verbose")) {
            opts.debug = true;
        } else if (is(arg, "-h", "--help")) {
            usage(stdout);
            return 0;
        } else {
            usage(stderr);
            return 2;
        }
    }
    opts.slice_ns = slice_ns;

    // No SA_RESTART: a signal cuts notify()'s sleep short.
    const sa = std.os.Sigaction{
        .handler = .{ .handler = onSignal },
        .mask = std.os.empty_sigset,
        .flags = 0,
    };
    std.os.sigaction(std.os.SIG.INT, &sa, null) catch {};
    std.os.sigaction(std.os.SIG.TERM, &sa, null) catch {};

    while (true) { // once per load; again when the kernel asks for a restart
        var s = scx.Scheduler.init(opts) catch |err| {
            stderr.print("{s}: cannot load: {s}\n", .{ prog, scx.describe(err) }) catch {};
            return 1;
        };
        stdout.print("{s}: scheduling with libscxcore {s}\n", .{ prog, scx.version() }) catch {};
        var timer = std.time.Timer.start() catch unreachable; // CLOCK_MONOTONIC exists
        var next_stats: u64 = std.time.ns_per_s;
        while (!stop.load(.SeqCst) and !s.exited()) {
            _ = scheduleBatch(s, slice_ns);
            if (timer.read() >= next_stats) {
                printStats(s);
                next_stats += std.time.ns_per_s;
            }
            _ = s.notify(0) catch |err| switch (err) {
                error.Interrupted, error.NoDevice => false,
                else => blk: {
                    stderr.print("{s}: notify: {s}\n", .{ prog, scx.describe(err) }) catch {};
                    break :blk false;
                },
            };
        }
        printStats(s);
        const ei = s.shutdown() catch |err| {
            stderr.print("{s}: shutdown: {s}\n", .{ prog, scx.describe(err) }) catch {};
            s.deinit();
            return 1;
        };
        stdout.print("{s}: exit: {s} ({s}) {s}\n", .{
            prog, scx.exitReason(&ei), scx.exitKindStr(ei.kind), scx.exitMsg(&ei),
        }) catch {};
        const dump = scx.exitDump(&ei);
        if (dump.len > 0) stdout.print("{s}\n", .{dump}) catch {};
        s.deinit();
        if (stop.load(.SeqCst) or !ei.should_restart)
            return if (ei.kind == scx.ExitKind.unreg or ei.kind == scx.ExitKind.none) 0 else 1;
        stdout.print("{s}: restarting\n", .{prog}) catch {};
    }
}
