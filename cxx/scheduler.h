// SPDX-License-Identifier: GPL-2.0-only
// The kernel scheduler behind libscxcore.so's backend (cxx/backend.cpp): owns
// the BPF object, its ring buffers and the shared state. Reports errors as
// -errno and never throws (allocation failure aside, which the C API catches).
#pragma once

#include "../bpf/intf.h"
#include "../capi/backend.h"
#include "topology.h"

#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <pthread.h>
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
	bool handoff = false;      // its record has SCX_INTF_Q_HANDOFF
};

class Scheduler {
public:
	~Scheduler();
	Scheduler(const Scheduler &) = delete;
	Scheduler &operator=(const Scheduler &) = delete;

	// Loads and attaches, or takes a running scheduler over
	// (opts.takeover); on success *out owns the new scheduler.
	static int create(const Options &opts, Scheduler **out);

	// 1 and *out filled, 0 when none, -ENODEV after exit.
	int dequeue(scx_intf_queued *out);
	int dispatch(const Decision &d);
	// An idle CPU for @pid from the shared idle view (no system call) when
	// its affinity is known from a dequeue, else from the kernel.
	// @kflags: the kernel's pick flags for the fallback; @whole_core: the
	// same request for the idle view.
	int select_cpu(int32_t pid, int32_t prev_cpu, uint64_t kflags, bool whole_core);
	// 1 if @pid may run on @cpu, 0 if not, -ESRCH: from its last dequeue
	// while its affinity has not moved, else sched_getaffinity().
	int task_allows_cpu(int32_t pid, int32_t cpu);
	int notify(uint64_t nr_pending);
	// Stopped, or no longer ours (handed over, released). Any thread.
	bool exited() const;
	// Leave the scheduler to the BPF side (scx_release).
	int release();
	// The kernel side's entry for cgroup @id: 0, -ENOENT (none: removed,
	// never seen, or the map was full), -ENODEV after exit. Any thread.
	int cgroup_entry(uint64_t id, scx_intf_cgroup *out) const;
	// Changes of the "cgroups" map so far. Any thread.
	uint64_t cgroup_seq() const { return __atomic_load_n(cgroup_seq_, __ATOMIC_ACQUIRE); }
	int shutdown(ExitInfo *out);

	// A snapshot of the kernel side's counters.
	scx_intf_stats kernel_stats() const;
	// Whether @cpu is online now, as the kernel side tracks it.
	bool cpu_online(int cpu) const;
	uint64_t nr_scheduled() const { return nr_scheduled_.load(std::memory_order_relaxed); }

	const Topology &topology() const { return topo_; }

	// What is pinned in bpffs for a scheduler that outlives its owner, in
	// the order of Fds (cxx/handover.cpp).
	enum class Pin { Bss, Queued, Dispatched, ExitDump, Heartbeat, Meta, Cgroups, SelectCpu, Flush, TakeOver, Count };
	static constexpr size_t kNrPins = (size_t)Pin::Count;
	struct PinSpec {
		const char *file;        // in the pin directory
		const char *object_name; // the map or program in the BPF object
		bool is_prog;
	};
	static const std::array<PinSpec, kNrPins> kPins; // the link is pinned apart
	struct Fds {
		std::array<int, kNrPins> fd{};
		int get(Pin p) const { return fd[(size_t)p]; }
	};

private:
	Scheduler() = default;
	int load(const Options &opts);
	int open_object();
	int associate_syscall_programs();
	const char *ops_type() const { return cid_form_ ? "sched_ext_ops_cid" : "sched_ext_ops"; }
	Fds object_fds() const;
	int setup(const Fds &f);
	void write_settings();
	int attach();
	bool gone();
	bool owned() const;
	void let_go();
	// cxx/handover.cpp
	static std::string pin_dir(const std::string &name);
	static void remove_pins(const std::string &dir);
	bool pins_are_ours() const;
	static int unload_pinned(const Options &opts);
	int prepare_pin_dir();
	int pin();
	int take_over(const Options &opts);
	int run_take_over(scx_intf_take_over *a);
	void discard_queued();
	bool refill();
	void flush();
	void remember(const scx_intf_queued &rec);
	int select_cpu_syscall(int32_t pid, int32_t prev_cpu, uint64_t flags);
	bool last_of_round();
	bool task_allows(const struct TaskInfo &t, int cpu) const;
	// @pid's cache entry while it holds @pid's affinity as the kernel has
	// it, else nullptr.
	TaskInfo *known_task(int32_t pid);
	bool claim_idle(int cpu, bool whole_core);
	void read_exit_info();
	int map_shared(int bss_fd, size_t value_size);
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
	int take_over_fd_ = -1;
	std::vector<int> pinned_fds_; // opened from bpffs by a take-over; ours to close
	int nr_unflushed_ = 0; // decisions submitted since the last flush()
	int exit_dump_fd_ = -1;
	int cgroups_fd_ = -1;

	// Shared with the BPF side: our own mapping of its .bss map.
	void *bss_ = nullptr;
	size_t bss_size_ = 0;
	scx_intf_stats *stats_ = nullptr;
	scx_intf_exit *exit_info_ = nullptr;
	volatile uint64_t *nr_pending_ = nullptr;
	volatile uint32_t *usersched_sleeping_ = nullptr;
	volatile uint64_t *usersched_seen_ns_ = nullptr;
	uint64_t *idle_cpus_ = nullptr; // the idle view, updated by BPF
	volatile uint32_t *affinity_gen_ = nullptr; // per pid slot, bumped by affinity changes
	const uint64_t *online_cpus_ = nullptr;     // updated by BPF on CPU hotplug
	volatile uint64_t *decisions_sent_ = nullptr; // what BPF compares with what it took
	volatile uint32_t *dispatch_waiters_ = nullptr; // threads waiting for room to dispatch
	volatile uint64_t *placed_unread_ = nullptr;  // PLACED records not read yet
	const uint64_t *decisions_taken_ = nullptr;
	const uint64_t *cgroup_seq_ = nullptr;
	scx_intf_config *settings_ = nullptr;
	scx_intf_owner *owner_ = nullptr;
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
	int batch_placed_ = 0; // how many of the batch are PLACED records
	// The thread that loads the scheduler runs its loop (owner.pid); the
	// CPU it runs on is free as soon as it sleeps: select_cpu may give it
	// to the last task of a round, once (self_given_), which then runs
	// there without any CPU being woken.
	pthread_t loop_thread_{};
	bool self_given_ = false;

	std::atomic<uint64_t> nr_scheduled_{0};
	uint64_t exit_code_restart_ = 0; // SCX_ECODE_ACT_RESTART of this kernel
	bool detached_ = false;
	bool cid_form_ = false;
	bool attached_ = false;    // we attached it, or took it over: ours to unload
	// Hand-over (cxx/handover.cpp).
	bool pinned_ = false;      // outlives us in bpffs (opts.linger_ms, or taken over)
	uint64_t epoch_ = 0;       // the owner epoch in which we own it
	bool handed_over_ = false; // a successor has it: we let go
	bool released_ = false;    // scx_release()
	uint64_t discard_bytes_ = 0; // on_queued() drops this many bytes of records (a take-over)
	uint64_t nr_discarded_ = 0;
	uint32_t bss_id_ = 0;      // the kernel's id of our .bss map
	ExitInfo exit_;
};

} // namespace scxcore
