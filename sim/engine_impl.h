// SPDX-License-Identifier: GPL-2.0-only
// The simulator's internals, shared by engine.cpp (the machine and the BPF
// backend's model) and report.cpp (metrics, JSON, table, SVG).
#pragma once

#include "engine.h"
#include "hist.h"
#include "report.h"
#include "user_path.h"

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace scxsim {

constexpr uint64_t kInf = UINT64_MAX;
constexpr int32_t kPidBase = 1000;
constexpr uint64_t kSliceDflKernel = 20000000; // SCX_SLICE_DFL: a kept task's refill
constexpr uint64_t kMinBurst = 1000;           // a wake-up's own CPU time when no run step follows
constexpr uint64_t kEnqWakeup = 1;             // SCX_TASK_WAKEUP
constexpr size_t kCompletionMax = 1000;

enum : uint32_t { EV_TASK, EV_HEARTBEAT, EV_WATCHDOG, EV_END };
enum { A_RUN, A_BLOCK, A_EXIT };

constexpr int kParked = 0, kShared = 1;

inline uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}


enum TState : uint8_t { T_NEW, T_RUNNABLE, T_RUNNING, T_SLEEPING, T_BLOCKED, T_EXITED };

struct Task {
	// Intrusive link of the DSQ it waits in (on_dsq), FIFO.
	int32_t prev = -1, next = -1, on_dsq = -1;
	int32_t spec = 0, group = 0, cls = 0, parent = -1, index = 0;
	int32_t cpu = 0;       // scx_bpf_task_cpu(): where it is queued or last ran
	int32_t last_ran = -1; // where it last ran (migrations)
	int32_t pc = 0;
	uint32_t weight = 100, nr_allowed = 0;
	uint32_t msgs = 0, need = 0;
	int32_t send_next = 0;    // SEND: the next of its targets to deliver to
	int32_t blocked_on = -1;  // SEND: the task whose full inbox it waits on
	std::vector<int32_t> senders; // tasks blocked on this one's full inbox
	uint8_t state = T_NEW, depth = 0;
	const uint64_t *mask = nullptr;
	uint64_t rng = 0;
	uint64_t enq_seq = 0, start_ts = 0, stop_ts = 0, exec_runtime = 0, vtime = 0, queued_ts = 0;
	uint64_t runnable_since = 0, slice = 0, burst = 0;
	uint64_t user_slice = 0; // the slice of user space's last decision, 0: none yet
	struct {
		int32_t at;
		uint64_t left;
	} loops[8];
	// Metrics.
	uint64_t runtime = 0, born = 0, died = kInf;
	uint64_t switches = 0, migrations = 0, preemptions = 0, bursts = 0, wakeups = 0;
};

struct Cpu {
	int32_t curr = -1;
	bool queued_resched = false, preempt = false;
	bool user = false; // the user-space scheduler's thread runs here
	uint64_t seg = 0, busy = 0;
	int core = 0, llc = 0, node = 0;
};

struct Dsq {
	int32_t head = -1, tail = -1;
	uint32_t n = 0;
};

struct Ev {
	uint64_t t, seq;
	uint32_t kind, id;
};

inline bool ev_less(uint64_t t1, uint64_t s1, uint64_t t2, uint64_t s2)
{
	return t1 != t2 ? t1 < t2 : s1 < s2;
}

struct ClassStats {
	Hist wait;
	std::vector<uint8_t> ran_on; // per CPU: a task of the class ran there
	uint64_t tasks = 0, exits = 0, runtime = 0, switches = 0, migrations = 0, preemptions = 0,
		 bursts = 0, wakeups = 0;
};

struct Exit {
	int64_t kind = 0;
	std::string reason, msg;
};

class Engine {
public:
	Engine(const Config &cfg, const scxcore::Options &opts, Workload &&w);

	// The C API's operations.
	int dequeue(scx_queued_task *out);
	int dispatch(const scxcore::Decision &d);
	int select_cpu(int32_t pid, int32_t prev_cpu, bool idle_core);
	int task_allows_cpu(int32_t pid, int32_t cpu);
	int notify(uint64_t nr_pending);
	void unregister();

	// What the public face (Sim) reads.
	bool exited() const { return exited_.load(); }
	const scx_intf_stats &stats() const { return st_; }
	uint64_t nr_scheduled() const { return nr_scheduled_.load(std::memory_order_relaxed); }
	int nr_cpus() const { return ncpu_; }
	const Workload &workload() const { return w_; }
	const Exit &exit_info() const { return exit_; }
	uint64_t now_ns() const { return clock_now_.load(std::memory_order_relaxed); }
	uint64_t nr_events() const { return events_; }
	int user_cpu() const { return ucpu_seen_.load(std::memory_order_relaxed); }
	const std::string &report_json() const { return json_; }
	const Cpu &cpu(int c) const { return cpus_[c]; }
	// CPUs sharing @level (0 core, 1 LLC, 2 node) with @c.
	const std::vector<uint64_t> &level_mask(int c, int level) const
	{
		return level == 0 ? core_mask_[c] : level == 1 ? llc_mask_[c] : node_mask_[c];
	}

private:
	Config cfg_;
	scxcore::Options opts_;
	Workload w_;
	int ncpu_ = 0, words_ = 0;

	// Topology: CPU masks per core, LLC and node, all CPUs.
	std::vector<std::vector<uint64_t>> core_mask_, llc_mask_, node_mask_;
	std::vector<uint64_t> all_mask_;
	std::vector<std::vector<uint64_t>> spec_mask_; // per spec (empty: all)
	std::vector<uint64_t> idle_, idle_core_;       // claimable idle CPUs; ... whose core is all idle
	uint32_t pick_cursor_ = 0;

	std::vector<Task> tasks_;
	std::vector<Cpu> cpus_;
	std::vector<Dsq> dsqs_; // 0 parked, 1 shared, 2 + cpu: CPU DSQs, 2 + ncpu + cpu: local DSQs
	std::vector<std::vector<std::vector<int32_t>>> instances_; // [spec][group] -> tasks
	std::vector<int32_t> resched_;

	// The ring to user space.
	std::vector<scx_queued_task> ring_;
	size_t ring_head_ = 0, ring_len_ = 0, ring_cap_ = 0;
	uint64_t placed_unread_ = 0; // PLACED records in the ring
	// The ring from user space: decisions made since user space last let
	// time pass (not yet visible: they are made over that time), and those
	// in the ring, which the next ops.dispatch on any CPU or a flush applies.
	std::vector<scxcore::Decision> decisions_made_, decisions_sent_;

	// Timed events (4-ary min-heap on (t, seq)); each CPU's next stop
	// (slice or burst end) is kept apart, in a tournament tree over CPUs.
	std::vector<Ev> heap_;
	uint64_t seq_ = 0;
	std::vector<uint64_t> cpu_t_, cpu_seq_;
	std::vector<int32_t> tree_;
	int tree_n_ = 1;

	uint64_t now_ = 0, end_ns_ = 0;
	uint64_t tick_ns_ = 0; // 0: no tick, slices end exactly
	std::atomic<uint64_t> clock_now_{0};
	uint64_t events_ = 0;
	uint64_t nr_pending_ = 0;
	std::atomic<uint64_t> nr_scheduled_{0};
	bool user_sleeping_ = false;
	uint64_t user_wake_at_ = kInf, user_cost_ = 0, seen_ns_ = 0;
	uint64_t failsafe_ns_ = 0, failsafe_since_ = 0;
	uint64_t alive_ = 0;
	// The scheduler's own thread: the CPU it runs on while awake (-1 asleep).
	int ucpu_ = -1, ulast_ = 0;
	std::atomic<int> ucpu_seen_{0};
	uint64_t user_since_ = 0, user_busy_ = 0, user_wakeups_ = 0, user_preemptions_ = 0;
	UserPath path_; // which of its calls are system calls

	scx_intf_stats st_{}; // the BPF side's counters, as the model keeps them
	mutable std::atomic<bool> exited_{false};
	bool exit_pending_ = false;
	Exit exit_;
	std::vector<ClassStats> cls_;
	std::vector<int32_t> completion_; // task indexes in exit order (first 1000)
	std::string json_;

	// engine.cpp
	void push_event(uint64_t t, uint32_t kind, uint32_t id);
	Ev pop_event();
	void cpu_set(int c, uint64_t t);
	void set_now(uint64_t t);
	void handle(const Ev &e);
	void run_until(uint64_t t, bool user_asleep);
	void request_exit(int64_t kind, const std::string &reason, const std::string &msg);
	void finalize();

	uint64_t sample(Task &t, const Dur &d);
	void create_task(int spec, int group, int index, int parent, int cpu);
	void prepare_burst(Task &t);
	bool loop_control(Task &t, const Step &s);
	int advance(Task &t);
	bool send(Task &t, const Step &s);
	void deliver(int32_t ti, uint32_t n);
	void consumed(Task &t);
	void exit_task(int32_t ti);

	void wake(int32_t ti, bool wakeup);
	void ops_enqueue(int32_t ti, uint64_t flags);
	uint64_t last_slice(const Task &t) const;
	void submit_placed(int32_t ti, uint64_t flags);
	bool place_on_idle_prev(int32_t ti);
	int32_t run_oldest_parked(int c);
	void run_on(int32_t prev);
	void unclaim(int c);
	void push_record(int32_t ti, uint64_t flags);
	void insert_shared(int32_t ti);
	void apply_decision(const scxcore::Decision &d);
	void apply_decisions();
	int32_t ops_dispatch(int c, bool prev_keeps_running);
	void reschedule(int c, bool prev_runnable);
	void start(int c, int32_t ti);
	void account(int c);
	void stop_running(int c);
	void put_prev(int c, int32_t prev);
	void arm(int c);
	void kick(int c, bool preempt);
	void kick_idle_cpu(int32_t ti);
	void process_resched();
	void on_cpu_event(int c);
	void heartbeat();
	void watchdog();
	bool usersched_late() const;
	void failsafe_enter();
	void failsafe_leave();
	void wake_usersched();
	bool any_idle() const;
	bool slice_over(const Task &t) const;
	void user_enter_cpu();
	void user_leave_cpu();

	void dsq_push(int q, int32_t ti);
	void dsq_remove(int32_t ti);
	int32_t dsq_take(int q, int c);
	uint64_t dsq_head_ts(int q) const;

	bool allowed(const Task &t, int c) const { return (t.mask[c >> 6] >> (c & 63)) & 1; }
	void set_idle(int c, bool idle);
	int pick_idle(const uint64_t *allowed, int prev, bool core_only);
	int pick_any_idle(const uint64_t *allowed);
	int find_idle(const std::vector<uint64_t> &idle, const uint64_t *allowed, const uint64_t *within,
		      int start) const;
	Task *task_by_pid(int32_t pid);

	// What the report is made of, when the run ends (report.h).
	RunReport snapshot() const;
};

} // namespace scxsim
