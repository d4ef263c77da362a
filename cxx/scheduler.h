// SPDX-License-Identifier: GPL-2.0-only
// The kernel scheduler behind libscxcore.so's backend (cxx/backend.cpp): owns
// the BPF object, its ring buffers and the shared state. Reports errors as
// -errno and never throws (allocation failure aside, which the C API catches).
#pragma once

#include "../bpf/intf.h"
#include "../capi/backend.h"
#include "topology.h"

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

struct bpf_object;
struct bpf_link;
struct bpf_map;
struct ring_buffer;
struct user_ring_buffer;

namespace scxcore {

// What the last dequeue told about a task, for scx_select_cpu() without a
// system call. A direct-mapped cache: a miss falls back to the kernel.
struct TaskInfo {
	int32_t pid = 0;
	int32_t selected_cpu = -1; // the CPU select_cpu claimed for it
	uint32_t nr_cpus_allowed = 0;
	uint64_t cpumask[SCX_INTF_MASK_CPUS / 64] = {};
	uint64_t affinity_seq = 0; // valid while the kernel's has not moved
};

class Scheduler {
public:
	~Scheduler();
	Scheduler(const Scheduler &) = delete;
	Scheduler &operator=(const Scheduler &) = delete;

	// Loads and attaches; on success *out owns the new scheduler.
	static int create(const Options &opts, Scheduler **out);

	// 1 and *out filled, 0 when none, -ENODEV after exit.
	int dequeue(scx_intf_queued *out);
	int dispatch(const Decision &d);
	// An idle CPU for @pid from the shared idle view (no system call) when
	// its affinity is known from a dequeue, else from the kernel.
	// @kflags: the kernel's pick flags for the fallback; @whole_core: the
	// same request for the idle view.
	int select_cpu(int32_t pid, int32_t prev_cpu, uint64_t kflags, bool whole_core);
	int notify(uint64_t nr_pending);
	bool exited() const;
	int shutdown(ExitInfo *out);

	// A snapshot of the kernel side's counters.
	scx_intf_stats kernel_stats() const;
	// Whether @cpu is online now, as the kernel side tracks it.
	bool cpu_online(int cpu) const;
	uint64_t nr_scheduled() const { return nr_scheduled_.load(std::memory_order_relaxed); }

	const Topology &topology() const { return topo_; }

private:
	Scheduler() = default;
	int load(const Options &opts);
	int attach();
	bool refill();
	void flush();
	void remember(const scx_intf_queued &rec);
	int select_cpu_syscall(int32_t pid, int32_t prev_cpu, uint64_t flags);
	bool task_allows(const struct TaskInfo &t, int cpu) const;
	bool claim_idle(int cpu, bool whole_core);
	void read_exit_info();
	int map_shared(bpf_map *bss);
	template <typename T> T *shared_var(const char *name) const;
	static int on_queued(void *ctx, void *data, size_t size);

	Options opts_;
	Topology topo_;
	bpf_object *obj_ = nullptr;
	bpf_link *link_ = nullptr;
	ring_buffer *queued_ = nullptr;
	user_ring_buffer *dispatched_ = nullptr;
	int select_cpu_fd_ = -1;
	int flush_fd_ = -1;
	int nr_unflushed_ = 0; // decisions submitted since the last flush()
	int exit_dump_fd_ = -1;

	// Shared with the BPF side: our own mapping of its .bss map.
	void *bss_ = nullptr;
	size_t bss_size_ = 0;
	scx_intf_stats *stats_ = nullptr;
	scx_intf_exit *exit_info_ = nullptr;
	volatile uint64_t *nr_pending_ = nullptr;
	volatile uint32_t *usersched_sleeping_ = nullptr;
	volatile uint64_t *usersched_seen_ns_ = nullptr;
	uint64_t *idle_cpus_ = nullptr; // the idle view, updated by BPF
	volatile uint64_t *affinity_seq_ = nullptr; // bumped by every affinity change
	const uint64_t *online_cpus_ = nullptr;     // updated by BPF on CPU hotplug
	volatile uint64_t *decisions_sent_ = nullptr; // what BPF compares with what it took
	uint64_t nr_dispatched_ = 0;

	static constexpr int kTaskCache = 4096; // a power of two
	std::vector<TaskInfo> tasks_;
	// For each CPU, every CPU in the order select_cpu prefers them from
	// there: itself, its SMT siblings, its LLC, its node, the rest.
	std::vector<std::vector<int32_t>> cpu_order_;

	// Records consumed from the ring and not handed out yet.
	static constexpr int kBatch = 64;
	scx_intf_queued batch_[kBatch];
	int batch_len_ = 0, batch_pos_ = 0;

	std::atomic<uint64_t> nr_scheduled_{0};
	uint64_t exit_code_restart_ = 0; // SCX_ECODE_ACT_RESTART of this kernel
	bool detached_ = false;
	ExitInfo exit_;
};

} // namespace scxcore
