// SPDX-License-Identifier: GPL-2.0-only
// The seam between the C API (capi/, the only implementation of scx_*) and
// what runs the scheduler: one class, declared here once and defined once
// per library, bound at link time (no virtual call):
//   libscxcore.so      cxx/backend.cpp, over the kernel (cxx/, bpf/);
//   libscxcore-sim.so  sim/backend.cpp, over the simulator (sim/);
//   the unit tests     tests/unit/fake_backend.cpp, a fake.
// Everything crosses it in public terms (the structs and flags of
// <scx/scxcore.h>), already checked by the C API: kernel knowledge (BTF,
// kernel flags, the BPF records) stays below it. Calls are made as the C
// API's documentation allows (one thread at a time for the loop's calls).
// Nothing here throws except std::bad_alloc, which the C API catches.
#pragma once

#include <scx/scxcore.h>

#include <cstdint>
#include <string>
#include <vector>

namespace scxcore {

// Options after capi/options.cpp checked them; the defaults are the
// public ones.
struct Options {
	std::string name = "scxcore";
	uint64_t slice_ns = SCX_SLICE_DEFAULT_NS;
	uint32_t timeout_ms = SCX_TIMEOUT_DEFAULT_MS;
	uint32_t exit_dump_len = 0;
	uint32_t failsafe_ms = SCX_FAILSAFE_DEFAULT_MS; // 0 = off
	uint32_t idle_wait_ms = SCX_IDLE_WAIT_DEFAULT_MS;
	uint32_t ring_size_kb = SCX_RING_DEFAULT_KB;
	uint32_t wake_batch = SCX_WAKE_BATCH_DEFAULT;
	uint32_t takeover = SCX_TAKEOVER_NEVER;
	uint32_t linger_ms = 0; // 0 = nothing pinned
	bool partial = false;
	bool enq_last = false;
	bool builtin_idle = false;
	bool wake_to_idle_prev = false;
	bool idle_runs_oldest = false;
	bool host_subs = false;
	std::string sub_cgroup; // empty: not a sub-scheduler
	bool lock_memory = true;
	bool debug = false;
};

// A decision, checked: cpu in range or SCX_CPU_ANY, flags SCX_DISPATCH_*,
// slice_ns 0 (the default) or clamped to SCX_SLICE_MIN_NS..SCX_SLICE_MAX_NS.
struct Decision {
	int32_t pid;
	int32_t cpu;
	uint64_t flags;
	uint64_t slice_ns;
	uint64_t vtime;
	uint64_t token;
};

// For opts.debug: "libscxcore: scx_init: <message>\n" on stderr when @on,
// nothing otherwise (capi/diag.cpp). Both sides of the seam say why
// scx_init() refused or failed with it.
void diag(bool on, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

struct ExitInfo {
	int64_t kind = SCX_EXIT_NONE;
	int64_t exit_code = 0;
	bool should_restart = false;
	std::string reason, msg, dump;
};

class Backend {
public:
	// Load (or start simulating) a scheduler: 0 and *out (the caller's, to
	// delete), or -errno as scx_init() documents it.
	static int create(const Options &opts, Backend **out);
	~Backend();
	Backend(const Backend &) = delete;
	Backend &operator=(const Backend &) = delete;

	// 1 and *out filled (every field but sz), 0 when no task waits, -ENODEV
	// once the scheduler has exited.
	int dequeue(scx_queued_task *out);
	// 0 when queued, -EAGAIN, -ENODEV.
	int dispatch(const Decision &d);
	// The CPU, -EBUSY, -ESRCH, -ENODEV or another -errno of the kernel.
	int select_cpu(int32_t pid, int32_t prev_cpu, bool whole_core);
	// 1 if task @pid may run on @cpu (in range), 0 if not, -ESRCH, -ENODEV.
	int task_allows_cpu(int32_t pid, int32_t cpu);
	// 1 slept, 0 returned at once, -EINTR, -ENODEV.
	int notify(uint64_t nr_pending);
	bool exited() const;
	// Every counter but the C API's own (nr_invalid_dispatches,
	// nr_slice_clamped); sz untouched. Any thread.
	void stats(struct scx_stats *out) const;
	// Leave the scheduler to the kernel side (scx_release): 0, -EINVAL
	// (nothing keeps it), -ENODEV, -EOPNOTSUPP.
	int release();
	// Detach if still attached and owned, then report why it stopped. Idempotent.
	void shutdown(ExitInfo *out);

	// @out: every field but sz and id. 0, -ENOENT, -ENODEV, -EOPNOTSUPP
	// or another -errno of cgroupfs (scx_cgroup_info). Any thread.
	int cgroup_info(uint64_t id, struct scx_cgroup_info *out) const;
	// scx_cgroup_generation(). Any thread.
	uint64_t cgroup_generation() const;

	int nr_cpus() const;
	// @cpu in 0..nr_cpus()-1: every field but sz.
	void cpu_info(int cpu, struct scx_cpu_info *out) const;
	std::vector<int32_t> siblings(int cpu, scx_topo_level level) const;

	struct State; // each implementation's own
	State *state() const { return st_; }

private:
	explicit Backend(State *st) : st_(st) {}
	State *st_;
};

// The backend behind a handle, for a library's own extra calls (the
// simulator's scx_sim_*); NULL for NULL.
Backend *backend_of(const struct scx_sched *s);

} // namespace scxcore
