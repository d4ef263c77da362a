// SPDX-License-Identifier: GPL-2.0-only
/*
 * scx_interactive: the scheduling policy.
 *
 * Earliest virtual deadline first, in user space:
 *
 *   vruntime  += runtime * 100 / weight          (weight 100 = nice 0)
 *   deadline   = vruntime + allowance * 100 / weight
 *   allowance  = min(the task's typical burst, 20 base slices)
 *
 * A burst is what a task runs between two sleeps; its typical burst is an
 * average of its last bursts (or the current one, if longer). A task that
 * sleeps after short runs gets an early deadline, a CPU hog a late one.
 *
 * The virtual clock is the lowest vruntime among the tasks waiting here and
 * those running where we put them (counted as running since; the clock
 * never goes back). A waking task's vruntime is raised to at least the
 * clock minus one base slice: a long sleep banks at most one slice of
 * credit. A short-burst task that is not
 * ahead of the clock (it used no more than its share) goes before every
 * task waiting here, so CPU hogs cannot starve it. New tasks start at the
 * clock.
 *
 * Tasks wait here in a set ordered by (deadline, pid, token) and leave in
 * that order, for CPUs that are free:
 *  - a CPU whose task (placed there by us) came back, or was preempted,
 *    and the CPU the loop slept on, once what we put there ran and is not
 *    back (it went to sleep);
 *  - an idle CPU, found by scx_select_cpu() (the previous CPU, its SMT
 *    siblings, its LLC, its node, then any, within the task's affinity);
 *  - a CPU whose task used up its slice, if the best waiting task's
 *    deadline is earlier than the running one's (moved by what it ran):
 *    the kernel lets a task run on while nothing else is queued for its
 *    CPU, so this program preempts it (this is how slices are enforced);
 *    and the CPU this loop runs on, which is free as soon as it sleeps;
 *  - a short-burst task may also preempt the CPU hog with the latest
 *    deadline (its previous CPU first, then its LLC, then any);
 *  - a task that may run on only some CPUs, none of them free, waits in
 *    the queue of one of them behind the short-burst task running there
 *    (up to --behind tasks per CPU, none after a CPU hog): that CPU runs
 *    them at its next switches, instead of idling while this loop learns
 *    that the CPU is free and answers, and a CPU woken from idle has them
 *    all to run.
 * Each only to a task that may run on that CPU: scx_task_allows_cpu() says
 * so for a task bound to some CPUs.
 * Slice = base * CPUs / (CPUs + waiting tasks), at least the minimum.
 * A task that waited max_wait_ns goes to a free CPU or its previous one out
 * of order, so that the kernel's fail-safe never has to step in.
 *
 * Unless --user-wakeups, a waking task whose previous CPU is idle already
 * runs there (opts.wake_to_idle_prev) when its record comes, and a CPU
 * whose task blocked with nothing sent to it ran the task that waited
 * longest (opts.idle_runs_oldest): such a task is charged as any other,
 * its wait here ends, and it holds that CPU's slot as if dispatched there.
 */
#ifndef SCX_INTERACTIVE_POLICY_HPP
#define SCX_INTERACTIVE_POLICY_HPP

#include "config.hpp"

#include <scx/scxcore.hpp>

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

namespace interactive {

uint64_t now_ns();

// Counters of one statistics interval.
struct IntervalStats {
	uint64_t rounds = 0;    // scheduling rounds (wake-ups of the loop)
	uint64_t empty = 0;     // rounds that found no task to take
	uint64_t dispatched = 0;
	uint64_t refill = 0;    // to a CPU whose task came back
	uint64_t to_idle = 0;   // to an idle CPU found by select_cpu
	uint64_t handoff = 0;   // to the CPU this loop runs on
	uint64_t expired = 0;   // preempting a task whose slice is over
	uint64_t preempted = 0; // a short-burst task preempted a hog
	uint64_t overdue = 0;   // waited max_wait_ns: out of order
	uint64_t placed = 0;    // placed by the kernel side (wake_to_idle_prev, idle_runs_oldest)
	uint64_t behind = 0;    // queued behind the running task of a busy CPU
	uint64_t wait_sum_ns = 0, wait_max_ns = 0;
	uint64_t lag_sum_ns = 0, lag_max_ns = 0;
	size_t queue_max = 0;
};

class Policy {
public:
	Policy(scx::Scheduler &s, const Config &cfg);

	// One round: take every task the kernel queued, dispatch what can run.
	void schedule();
	// Sleep until there is work. notify() is told about every held task,
	// those bound to some CPUs included: the kernel then wakes us when a
	// CPU goes idle.
	// False after a signal or once the scheduler exited.
	bool wait();

	size_t queue_len() const { return queue_.size(); }
	size_t nr_tasks_known() const { return tasks_.size(); }
	// This interval's counters; starts a new interval.
	IntervalStats take_interval();

private:
	struct Key {
		uint64_t deadline;
		int32_t pid;
		uint64_t token; // per task: (pid, token) names one wait
		bool operator<(const Key &o) const
		{
			return std::tie(deadline, pid, token) < std::tie(o.deadline, o.pid, o.token);
		}
	};
	struct Held {
		scx::QueuedTask task;
		uint64_t vruntime;
		bool interactive; // its bursts are short
		bool restricted;  // may not run on every online CPU
	};
	using Queue = std::map<Key, Held>;

	// What this program knows about a task between two waits.
	struct TaskState {
		uint64_t last_stop_ts = 0; // the run already charged
		uint64_t burst_ns = 0;     // run since it last woke up
		uint64_t avg_burst_ns = 0; // average of its last bursts
		uint64_t seen_ns = 0;
		uint64_t vruntime = 0;     // as of its last record
		int32_t slot = -1;         // the CPU slot it holds, if any
		std::optional<Key> held;   // its wait in the queue, if any
	};
	// A task this program put on a CPU: its wait, as charged, and its slice.
	struct Placement {
		Key key;
		uint64_t vruntime;
		uint32_t weight;
		bool hog;
		uint64_t slice_ns;
	};
	// The task this program last put on a CPU, until it comes back.
	struct Slot {
		Placement run{};       // run.key.pid 0: none
		uint64_t since_ns = 0; // when it was dispatched
		uint64_t end_ns = 0;   // when its slice is over
		std::vector<Placement> behind; // run there in order once this task leaves
		int32_t pid() const { return run.key.pid; }
	};

	void enqueue(const scx::QueuedTask &t, uint64_t now);
	void update_clock(uint64_t now);
	void dispatch_overdue(uint64_t now);
	void dispatch_refill(uint64_t now);
	void dispatch_idle(uint64_t now);
	void dispatch_expired(uint64_t now);
	void dispatch_preempt(uint64_t now);
	void dispatch_behind(uint64_t now);
	// A busy CPU with room in its queue behind its task that @h may run
	// on: its previous CPU first; -1 if none.
	int behind_cpu(const Held &h) const;
	// How many more tasks may wait behind @s's task.
	size_t behind_room(const Slot &s) const;
	int find_victim(const Key &k, const Held &h, int self_cpu, uint64_t now) const;
	// The first held task in deadline order that may run on @cpu (among
	// the first few), or end().
	Queue::iterator best_for(int cpu);
	// Dispatch the held task @it to @cpu (to run there next; @behind: after
	// the task running there leaves); false (task still held) when the
	// decision could not be queued.
	bool dispatch(Queue::iterator it, int cpu, bool preempt, uint64_t now, bool behind = false);
	// Drop a held wait from the queue and its indexes; the next one.
	Queue::iterator forget(Queue::iterator it);
	// @p's task now runs on @cpu, put there by us or by the kernel side.
	void occupy(int cpu, const Placement &p, uint64_t now);
	uint64_t slice_ns() const;
	// @h's task may run on @cpu (its affinity, for a restricted one).
	bool may_run(const Held &h, int cpu) const;
	// @cpu's task has used up its slice, or we do not know what runs there.
	bool expired(int cpu, uint64_t now) const;
	// @pid came back: the CPU we put it on is free, or runs the task
	// queued behind it.
	void release_slot(int32_t pid, uint64_t now);
	// A task that ran on @cpu since @start_ts was preempted there.
	void cpu_left(int cpu, uint64_t start_ts, uint64_t now);
	// What we put on @cpu left it: the task queued behind runs, else the
	// CPU is free.
	void vacate(int cpu, uint64_t now);
	// @pid holds @cpu (runs or waits there), or no longer does.
	void take_slot(int32_t pid, int cpu);
	void unslot(int32_t pid, int cpu);
	void mark_free(int cpu);
	void forget_old_tasks(uint64_t now);
	bool valid_cpu(int cpu) const { return cpu >= 0 && cpu < nr_cpus_ && llc_of_[(size_t)cpu] >= 0; }

	scx::Scheduler &s_;
	Config cfg_;
	int nr_cpus_ = 0;
	int nr_online_ = 0;
	std::vector<int> llc_of_;   // by CPU id; -1 for an offline CPU
	std::vector<Slot> slots_;   // by CPU id
	std::vector<int> freed_;    // CPUs freed in this round, in order
	uint64_t clock_ = 0;        // the virtual clock
	Queue queue_;
	std::set<std::pair<uint64_t, Key>> by_age_; // (enqueue_ts, key)
	std::multiset<uint64_t> vruntimes_;         // of the held tasks
	std::unordered_map<int32_t, TaskState> tasks_;
	uint64_t next_gc_ns_ = 0;
	// The CPU the loop last slept on, and when it went to sleep (0: it
	// did not sleep: notify() found work at once).
	int slept_cpu_ = -1;
	uint64_t slept_ns_ = 0;
	IntervalStats iv_;
};

} // namespace interactive

#endif
