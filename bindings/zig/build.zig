// SPDX-License-Identifier: GPL-2.0-only
//
// Zig 0.11 build of the libscxcore bindings: the module "scxcore", the FIFO
// example (installed as bin/scx_rlfifo_zig) and the module's tests.
//
//   zig build [-Doptimize=ReleaseSafe] [--prefix DIR]   the example
//   zig build test                                      the tests (host)
//
// libscxcore is found with pkg-config (PKG_CONFIG_PATH=<tree>/build/pkgconfig
// for an uninstalled tree), or at -Dscxcore-include=DIR / -Dscxcore-lib=DIR.
// -Drunpath=DIR sets the example's RUNPATH (the tree's build passes
// $ORIGIN/../lib); none by default, as for an installed library.

const std = @import("std");

const Paths = struct {
    include: ?[]const u8,
    lib: ?[]const u8,
};

fn linkScxcore(step: *std.Build.Step.Compile, paths: Paths) void {
    step.linkLibC();
    if (paths.include) |dir| step.addIncludePath(.{ .cwd_relative = dir });
    if (paths.lib) |dir| step.addLibraryPath(.{ .cwd_relative = dir });
    if (paths.include == null and paths.lib == null) {
        step.linkSystemLibrary("scxcore"); // pkg-config's --cflags --libs
    } else {
        step.linkSystemLibrary2("scxcore", .{ .use_pkg_config = .no });
    }
    step.each_lib_rpath = false;
}

pub fn build(b: *std.Build) void {
    // The baseline x86-64 CPU by default, not the build machine's: the
    // programs run in VMs (QEMU's emulated CPU lacks AVX and friends) and on
    // other machines. -Dcpu=native for the build machine's.
    const target = b.standardTargetOptions(.{
        .default_target = .{ .cpu_model = .baseline },
    });
    const optimize = b.standardOptimizeOption(.{});
    const paths = Paths{
        .include = b.option([]const u8, "scxcore-include", "directory holding scx/scxcore.h (default: pkg-config)"),
        .lib = b.option([]const u8, "scxcore-lib", "directory holding libscxcore.so (default: pkg-config)"),
    };

    const scxcore = b.addModule("scxcore", .{
        .source_file = .{ .path = "scxcore.zig" },
    });

    const exe = b.addExecutable(.{
        .name = "scx_rlfifo_zig",
        .root_source_file = .{ .path = "examples/rlfifo.zig" },
        .target = target,
        .optimize = optimize,
    });
    exe.addModule("scxcore", scxcore);
    linkScxcore(exe, paths);
    if (b.option([]const u8, "runpath", "RUNPATH of the example (e.g. $ORIGIN/../lib)")) |dir| {
        // A LazyPath of any other kind would be resolved against a
        // directory, turning $ORIGIN/.. into a path of this machine.
        const none = b.allocator.create(std.Build.Step) catch @panic("OOM");
        none.* = std.Build.Step.init(.{ .id = .custom, .name = "runpath", .owner = b });
        const literal = b.allocator.create(std.Build.GeneratedFile) catch @panic("OOM");
        literal.* = .{ .step = none, .path = dir };
        exe.addRPath(.{ .generated = literal });
    }
    b.installArtifact(exe);

    const run = b.addRunArtifact(exe);
    if (b.args) |args| run.addArgs(args);
    b.step("run", "run the FIFO example (needs root and sched_ext)").dependOn(&run.step);

    const tests = b.addTest(.{
        .root_source_file = .{ .path = "scxcore.zig" },
        .target = target,
        .optimize = optimize,
    });
    linkScxcore(tests, paths);
    b.step("test", "run the module's tests").dependOn(&b.addRunArtifact(tests).step);
}
