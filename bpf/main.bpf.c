// SPDX-License-Identifier: GPL-2.0-only
/*
 * libscxcore's kernel side: a sched_ext scheduler that hands every task to a
 * user-space policy and applies its decisions.
 *
 *   ops.enqueue   parks the task in PARKED_DSQ and tells user space about it
 *                 through the "queued" ring buffer;
 *   ops.dispatch  drains user space's decisions from the "dispatched" user
 *                 ring buffer and moves each task out of PARKED_DSQ to the CPU
 *                 (or the shared DSQ) it was given.
 *
 * A parked task is always in a DSQ the kernel knows, so nothing user space
 * does or fails to do can lose it: a stale or duplicate decision simply finds
 * the task gone, and when user space stops answering, the fail-safe serves
 * PARKED_DSQ itself, oldest first.
 */
#define BPF_NO_KFUNC_PROTOTYPES
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "scx_kfuncs.h"
#include "intf.h"
#include "cid_form.h"

char _license[] SEC("license") = "GPL";

#define PF_KTHREAD 0x00200000 /* include/linux/sched.h; ABI-stable */
#define CLOCK_MONOTONIC 1
#define ENOMEM 12
#define ESRCH 3
#define EBUSY 16
#define EINVAL 22
#define PF_EXITING 0x00000004 /* include/linux/sched.h */

#define BPF_STRUCT_OPS(name, args...) SEC("struct_ops/" #name) BPF_PROG(name, ##args)
#define BPF_STRUCT_OPS_SLEEPABLE(name, args...) SEC("struct_ops.s/" #name) BPF_PROG(name, ##args)

/* Fixed at load: the size of the "exit_dump" map's value. */
const volatile u32 exit_dump_len;

/* Shared with user space through the mmap()ed .bss. */
struct scx_intf_config settings;  /* written by the owner (intf.h) */
struct scx_intf_owner owner;
struct scx_intf_stats stats;
struct scx_intf_exit exit_info;
volatile u64 nr_pending;          /* tasks user space holds undecided (scx_notify) */
volatile u32 usersched_sleeping;  /* user space is (about to be) blocked on the ring */
volatile u64 usersched_seen_ns;   /* last time user space showed it is alive */
/* Written by user space only, at scx_init(), to prove its mapping of this
 * memory is the kernel's (a process taking over must not touch the others). */
volatile u64 shm_probe;
u64 failsafe_since_ns;            /* non-zero while BPF serves tasks by itself */
/* Which CPUs are idle, kept by ops.update_idle(): user space picks CPUs from
 * it without a system call (scx_select_cpu) and claims them with an atomic
 * clear; BPF confirms the claim when it applies the decision. */
u64 idle_cpus[SCX_INTF_MAX_CPUS / 64];
/* Decisions user space has submitted (written by it before it sleeps) and
 * the ones BPF has taken from the ring: while they differ, decisions wait. */
volatile u64 decisions_sent;
u64 decisions_taken;
/* Threads of user space waiting in scx_dispatch() for room in "dispatched"
 * (it was full): only then does a drain need to wake anyone. */
volatile u32 dispatch_waiters;
/* PLACED records (opts.wake_to_idle_prev, opts.idle_runs_oldest) user
 * space has not read yet. */
volatile u64 placed_unread;
/* Which CPUs are online, kept by ops.cpu_online/offline(): user space picks
 * only online CPUs, and a decision naming an offline one goes to the shared
 * DSQ. CPUs past SCX_INTF_MAX_CPUS count as online. */
u64 online_cpus[SCX_INTF_MAX_CPUS / 64];
/* Bumped by every affinity change of a task user space has seen
 * (ops.set_cpumask), in the task's slot: a queued record's mask is current
 * only while its slot has not moved since the record was made. Per slot,
 * not one counter: a task that keeps changing its own affinity (stress-ng's
 * affinity stressor) turned every scx_select_cpu() of every task into a
 * system call. */
volatile u32 affinity_gen[SCX_INTF_AFFINITY_SLOTS];

static __always_inline volatile u32 *affinity_slot(const struct task_struct *p)
{
	return &affinity_gen[(u32)p->pid % SCX_INTF_AFFINITY_SLOTS];
}

struct task_ctx {
	u64 enq_seq;
	u64 start_ts;
	u64 stop_ts;
	u64 exec_runtime;
	u64 queued_ts;   /* when it entered the DSQ it waits in */
	u64 slice_ns;    /* the slice of user space's last decision for it, 0: none yet */
	/* Hand-offs (see handoff_cpu). As a waker: */
	bool sync_woke;   /* it woke a task synchronously and has not stopped since */
	bool sync_sleeps; /* its last such wake-up was followed by its sleep */
	/* As a wakee: */
	bool handoff;     /* woken by a hand-off: the loop waits behind its waker */
	s32 prev_cpu;     /* where it ran before a hand-off parked it on its waker's CPU */
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct task_ctx);
} task_ctxs SEC(".maps");

/* Sizes are set by user space before load. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
} queued SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_USER_RINGBUF);
	__uint(max_entries, 1 << 20);
} dispatched SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__uint(value_size, 1); /* exit_dump_len, set at load */
} exit_dump SEC(".maps");

struct heartbeat {
	struct bpf_timer timer;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct heartbeat);
} heartbeat_map SEC(".maps");

/* What a process needs to know before it takes the scheduler over: written
 * by the loading process, never read here. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct scx_intf_meta);
} meta SEC(".maps");

/* Each cgroup's CPU settings as the kernel gives them to ops.cgroup_*, for
 * scx_cgroup_info(); cgroup_seq counts the changes, so that user space
 * learns of one with a memory read. A cgroup that finds the map full is
 * left out (user space then reads cgroupfs): failing ops.cgroup_init()
 * would eject the scheduler. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SCX_INTF_MAX_CGROUPS);
	__type(key, u64);
	__type(value, struct scx_intf_cgroup);
} cgroups SEC(".maps");

volatile u64 cgroup_seq;

/* The DSQ of tasks user space placed on @cpu. */
#define CPU_DSQ(cpu) (SCX_INTF_CPU_DSQ_BASE + (u64)(cpu))

/* How often the heartbeat looks for work user space left waiting. */
#define HEARTBEAT_NS (settings.failsafe_ns ? settings.failsafe_ns / 2 : 50000000)

/* Enum values from the running kernel's BTF (CO-RE), not from our vmlinux.h. */
#define DSQ_LOCAL     bpf_core_enum_value(enum scx_dsq_id_flags, SCX_DSQ_LOCAL)
#define ENQ_HEAD      bpf_core_enum_value(enum scx_enq_flags, SCX_ENQ_HEAD)
#define ENQ_PREEMPT   bpf_core_enum_value(enum scx_enq_flags, SCX_ENQ_PREEMPT)
#define ENQ_LAST      bpf_core_enum_value(enum scx_enq_flags, SCX_ENQ_LAST)
#define ENQ_WAKEUP    bpf_core_enum_value(enum scx_enq_flags, SCX_ENQ_WAKEUP)
#define WAKE_SYNC     bpf_core_enum_value(enum scx_wake_flags, SCX_WAKE_SYNC)
#define TASK_QUEUED   bpf_core_enum_value(enum scx_ent_flags, SCX_TASK_QUEUED)
#define KICK_IDLE     bpf_core_enum_value(enum scx_kick_flags, SCX_KICK_IDLE)
#define KICK_PREEMPT  bpf_core_enum_value(enum scx_kick_flags, SCX_KICK_PREEMPT)

static __always_inline void stat_inc(u64 *counter)
{
	__sync_fetch_and_add(counter, 1);
}

static __always_inline bool is_usersched_thread(const struct task_struct *p)
{
	return p->tgid == owner.tgid || (owner.next_tgid && p->tgid == owner.next_tgid);
}

/* The owner's scheduling loop (or, during a take-over, the successor's). */
static __always_inline bool is_loop_thread(const struct task_struct *p)
{
	return p->pid == owner.pid || (owner.next_pid && p->pid == owner.next_pid);
}

/* Tasks the kernel side places at once, never asking user space: the
 * scheduler's own threads (waiting for user space would deadlock it) and
 * kernel threads. These do the kernel's housekeeping, and some are what
 * user space or the watchdog waits on: per-CPU ones (ksoftirqd, a CPU
 * going offline) and unbound ones alike (rcu_preempt; the kworker that
 * runs the kernel's sched_ext watchdog every timeout/2: a FIFO policy
 * with hundreds of tasks queued on a slow machine made it late and got
 * the scheduler ejected). */
static __always_inline bool placed_by_kernel(const struct task_struct *p)
{
	return is_usersched_thread(p) || (p->flags & PF_KTHREAD);
}

/* Whether @p may run on @cpu. Outside struct_ops callbacks, call it under
 * bpf_rcu_read_lock() so that p->cpus_ptr is trusted. */
static __always_inline bool task_allows_cpu(struct task_struct *p, s32 cpu)
{
	return cpu >= 0 && (u32)cpu < scx_bpf_nr_cpu_ids() && bpf_cpumask_test_cpu(cpu, p->cpus_ptr);
}

static __always_inline struct task_ctx *task_ctx_of(struct task_struct *p)
{
	return bpf_task_storage_get(&task_ctxs, p, 0, 0);
}

static __always_inline bool cpu_is_online(s32 cpu)
{
	u32 c = cpu;

	return c >= SCX_INTF_MAX_CPUS || (online_cpus[c / 64] & (1ULL << (c & 63)));
}

/* Whether BPF running on this CPU may queue irq_work (a kick, a ring
 * buffer wake-up): not once the CPU went offline for us. Seen on 7.3: ring
 * wake-ups from the cpuhp thread and the idle task of a CPU going down
 * left an irq_work that never ran; x86 raises the irq_work IPI only when a
 * CPU's list goes from empty to non-empty, so every later irq_work there
 * (the kernel's kicks too) queued behind it unseen, user space stopped
 * being woken, and unloading spun forever in free_kick_syncs(). */
static __always_inline bool here_online(void)
{
	return cpu_is_online(bpf_get_smp_processor_id());
}

static bool any_cpu_idle(void)
{
	u32 i, words = (scx_bpf_nr_cpu_ids() + 63) / 64;

	bpf_for(i, 0, SCX_INTF_MAX_CPUS / 64) {
		if (i >= words)
			break;
		if (idle_cpus[i])
			return true;
	}
	return false;
}

/* Where the loop should wake, plus one (0: no preference): the CPU where
 * the task that woke it last ran, if that is idle when the loop wakes. There the loop can hand it that CPU
 * when it sleeps (scx_select_cpu() gives the loop's own CPU to the last
 * task of a round), instead of waking a second CPU for it. */
volatile u32 loop_wake_cpu;

/* Set with loop_wake_cpu for a hand-off: the loop queues behind the waker
 * on that CPU (this one) instead of looking for an idle CPU. */
volatile bool loop_wake_behind;

/* The CPU where the loop waits behind a waker, plus one (0: none), and
 * since when. */
volatile u32 loop_behind_cpu;
volatile u64 loop_behind_ns;

/* Whether the loop waits behind the task running on this CPU. */
static __always_inline bool loop_behind_here(void)
{
	return loop_behind_cpu == bpf_get_smp_processor_id() + 1;
}

/* Whether this caller is the one to wake the user-space scheduler, which
 * sleeps on the ring: then it must submit a record with BPF_RB_FORCE_WAKEUP.
 * Rate-limited by the sleeping flag, which we clear. @near: a CPU to wake
 * it on if that is idle, or -1; @behind: see loop_wake_behind. */
static bool take_usersched_wake(s32 near, bool behind)
{
	if (!here_online() || !usersched_sleeping || !__sync_bool_compare_and_swap(&usersched_sleeping, 1, 0))
		return false;
	loop_wake_cpu = near >= 0 ? near + 1 : 0; /* used if still idle then */
	loop_wake_behind = behind;
	return true;
}

/* Wake the user-space scheduler if it sleeps on the ring: a WAKE record
 * makes its poll() return. */
static void wake_usersched_near(s32 near, bool behind)
{
	struct scx_intf_queued *rec;

	if (!take_usersched_wake(near, behind))
		return;
	rec = bpf_ringbuf_reserve(&queued, sizeof(*rec), 0);
	if (!rec)
		return; /* full: user space has plenty to read and will wake anyway */
	__builtin_memset(rec, 0, sizeof(*rec));
	rec->kind = SCX_REC_WAKE;
	bpf_ringbuf_submit(rec, BPF_RB_FORCE_WAKEUP);
	stat_inc(&stats.nr_wakeups_sent);
}

static void wake_usersched(void)
{
	wake_usersched_near(-1, false);
}

static void kick_idle_cpu(const struct task_struct *p)
{
	s32 cpu = ext_pick_idle_cpu(p);

	if (cpu >= 0 && here_online())
		ext_kick_cpu(cpu, KICK_IDLE);
}

/* An idle CPU, any of them, from the idle view; it runs ops.dispatch. */
static void kick_any_idle_cpu(void)
{
	u32 i, words = (scx_bpf_nr_cpu_ids() + 63) / 64;

	bpf_for(i, 0, SCX_INTF_MAX_CPUS / 64) {
		u64 w;

		if (i >= words)
			break;
		w = idle_cpus[i];
		if (w && here_online()) {
			ext_kick_cpu(i * 64 + __builtin_ctzll(w), KICK_IDLE);
			return;
		}
	}
}

/* The same, for an idle CPU other than @self (which just found it cannot
 * run @p): the first pick may claim @self itself. */
static void kick_idle_cpu_but(const struct task_struct *p, s32 self)
{
	s32 cpu = ext_pick_idle_cpu(p);

	if (cpu == self)
		cpu = ext_pick_idle_cpu(p);
	if (cpu >= 0 && here_online())
		ext_kick_cpu(cpu, KICK_IDLE);
}

static __always_inline bool failsafe_active(void)
{
	return failsafe_since_ns != 0;
}

static void failsafe_enter(u64 now)
{
	if (__sync_bool_compare_and_swap(&failsafe_since_ns, 0, now))
		stat_inc(&stats.nr_failsafe_entries);
}

static void failsafe_leave(u64 now)
{
	u64 since = failsafe_since_ns;

	if (since && __sync_bool_compare_and_swap(&failsafe_since_ns, since, 0))
		__sync_fetch_and_add(&stats.failsafe_ns, now - since);
}

/* When the first task of @dsq_id entered it; ~0 when it is empty. */
static u64 dsq_head_ts(u64 dsq_id)
{
	struct task_struct *p;
	u64 ts = ~0ULL;

	bpf_rcu_read_lock(); /* the iterator needs it in the timer callback */
	bpf_for_each(scx_dsq, p, dsq_id, 0) {
		struct task_ctx *tctx = task_ctx_of(p);

		ts = tctx ? tctx->queued_ts : 0;
		break;
	}
	bpf_rcu_read_unlock();
	return ts;
}

/* User space is late when a task waited longer than the threshold for it. */
static bool usersched_late(u64 now)
{
	u64 ts;

	if (owner.orphan_since_ns)
		return true; /* no owner: the fail-safe serves until a successor comes */
	if (!settings.failsafe_ns)
		return false;
	ts = dsq_head_ts(SCX_INTF_PARKED_DSQ);
	return ts != ~0ULL && now > ts && now - ts > settings.failsafe_ns;
}

/* User space showed it is alive recently (or, with the fail-safe off, has
 * an owner again after a take-over). */
static bool user_space_fresh(u64 now)
{
	return !settings.failsafe_ns || now - usersched_seen_ns < settings.failsafe_ns;
}

/* Put @p at the tail of the shared DSQ (FIFO with the per-CPU ones). */
static void insert_shared(struct task_struct *p, u64 enq_flags, u64 now)
{
	struct task_ctx *tctx = task_ctx_of(p);

	if (tctx)
		tctx->queued_ts = now;
	compat_dsq_insert(p, SCX_INTF_SHARED_DSQ, settings.slice_dfl_ns, enq_flags);
	kick_idle_cpu(p);
}

/* Move every task user space placed on @cpu to the shared DSQ, where any
 * CPU the task may use takes it: @cpu cannot (it is going offline, or the
 * tasks' affinity moved away from it). */
static void drain_cpu_dsq(s32 cpu)
{
	struct bpf_iter_scx_dsq it;
	struct task_struct *p;
	bool kicked = false; /* a count here would keep the verifier's states apart */

	bpf_rcu_read_lock(); /* the iterator needs it in the timer callback */
	if (bpf_iter_scx_dsq_new(&it, CPU_DSQ(cpu), 0) == 0) {
		while ((p = bpf_iter_scx_dsq_next(&it))) {
			if (!compat_dsq_move(&it, p, SCX_INTF_SHARED_DSQ, 0))
				continue;
			stat_inc(&stats.nr_hotplug_moves);
			if (!kicked) {
				kick_idle_cpu_but(p, cpu);
				kicked = true;
			}
		}
	}
	bpf_iter_scx_dsq_destroy(&it);
	bpf_rcu_read_unlock();
}

/* The id of @p's cgroup v2, the inode number of its directory in cgroupfs:
 * the cgroup's kernfs node id, on every kernel with sched_ext. 0 if not
 * known (read through the RCU-protected css_set, with fault-safe loads). */
static __always_inline u64 task_cgroup_id(struct task_struct *p)
{
	return BPF_CORE_READ(p, cgroups, dfl_cgrp, kn, id);
}

/* The record that tells user space about @p, parked at @now. */
static void fill_record(struct scx_intf_queued *rec, struct task_struct *p, struct task_ctx *tctx,
			u64 enq_flags, u64 now)
{
	rec->kind = SCX_REC_TASK;
	rec->hints = 0;
	rec->pid = p->pid;
	rec->cpu = ext_task_cpu(p);
	rec->nr_cpus_allowed = p->nr_cpus_allowed;
	rec->flags = enq_flags;
	rec->start_ts = tctx->start_ts;
	rec->stop_ts = tctx->stop_ts;
	rec->exec_runtime = tctx->exec_runtime;
	rec->weight = p->scx.weight;
	rec->tgid = p->tgid;
	rec->vtime = p->scx.dsq_vtime;
	rec->enq_seq = tctx->enq_seq;
	rec->enqueue_ts = now;
	__builtin_memcpy(rec->comm, p->comm, sizeof(rec->comm));
	if ((u32)p->nr_cpus_allowed < scx_bpf_nr_cpu_ids()) {
		const struct cpumask *mask = p->cpus_ptr;

		/* Constant offsets only: the verifier refuses a variable one. */
		_Static_assert(SCX_INTF_MASK_CPUS / 64 == 4, "unrolled below");
		rec->cpumask[0] = mask->bits[0];
		rec->cpumask[1] = mask->bits[1];
		rec->cpumask[2] = mask->bits[2];
		rec->cpumask[3] = mask->bits[3];
	} else {
		__builtin_memset(rec->cpumask, 0, sizeof(rec->cpumask));
	}
	rec->affinity_seq = *affinity_slot(p);
	rec->cgroup_id = task_cgroup_id(p);
}

/* The slice of user space's last decision for @tctx's task, else the default. */
static __always_inline u64 last_slice(const struct task_ctx *tctx)
{
	return tctx->slice_ns ? tctx->slice_ns : settings.slice_dfl_ns;
}

/* Tell user space, in @rec (reserved by the caller), that @p now runs on
 * @cpu, placed there by this side: a PLACED record, to account for. Any
 * decision for its last wait is stale from now on. */
static __always_inline void submit_placed(struct scx_intf_queued *rec, struct task_struct *p, struct task_ctx *tctx,
					  s32 cpu, u64 enq_flags, u64 now)
{
	u64 unread;

	tctx->enq_seq++;
	tctx->queued_ts = now;
	stat_inc(&stats.nr_kernel_dispatches);
	fill_record(rec, p, tctx, enq_flags, now);
	rec->kind = SCX_REC_PLACED;
	rec->cpu = cpu;
	/* Counted before user space can read it (it subtracts what it read).
	 * Nothing waits on these: user space reads them with its next tasks,
	 * or once a batch of them could otherwise fill the ring. */
	unread = __sync_add_and_fetch(&placed_unread, 1);
	bpf_ringbuf_submit(rec, BPF_RB_NO_WAKEUP);
	if (unread >= settings.placed_wake_batch && usersched_sleeping)
		wake_usersched();
}

/* opts.wake_to_idle_prev: run waking @p on @prev_cpu at once if that CPU
 * is idle, for the slice user space gave it last, and tell user space
 * afterwards. False (nothing done) when the CPU is busy, or the ring is
 * full: then it waits for user space as usual. */
static bool place_on_idle_prev(struct task_struct *p, s32 prev_cpu)
{
	struct task_ctx *tctx = task_ctx_of(p);
	struct scx_intf_queued *rec;

	if (!tctx || !task_allows_cpu(p, prev_cpu) || !cpu_is_online(prev_cpu))
		return false;
	rec = bpf_ringbuf_reserve(&queued, sizeof(*rec), 0);
	if (!rec)
		return false;
	if (!ext_test_and_clear_idle(prev_cpu)) {
		bpf_ringbuf_discard(rec, BPF_RB_NO_WAKEUP);
		return false;
	}
	compat_dsq_insert(p, DSQ_LOCAL, last_slice(tctx), 0);
	tctx->exec_runtime = 0; /* as ops.runnable() is about to make it */
	submit_placed(rec, p, tctx, prev_cpu, ENQ_WAKEUP, bpf_ktime_get_ns());
	return true;
}

/* Whether the task waking @p synchronously (SCX_WAKE_SYNC: a pipe or
 * socket writer that is about to read, say) slept right after its previous
 * such wake-up, with no other in between: a waker that hands off. A
 * hackbench sender, which writes on to its next reader, never is. */
static bool waker_hands_off(u64 wake_flags)
{
	struct task_struct *waker = bpf_get_current_task_btf();
	struct task_ctx *wctx;
	bool earned;

	if (!(wake_flags & WAKE_SYNC) || !waker->pid || placed_by_kernel(waker))
		return false;
	wctx = task_ctx_of(waker);
	if (!wctx)
		return false;
	earned = wctx->sync_sleeps && !wctx->sync_woke;
	if (wctx->sync_woke) /* a second one before it stopped */
		wctx->sync_sleeps = false;
	wctx->sync_woke = true;
	return earned;
}

/* A hand-off: @p, going to user space, is woken by a waker that hands off
 * (the caller asked waker_hands_off()) while the loop sleeps with nothing
 * else to decide and nothing else waits on this CPU. Then @p is parked on
 * this CPU (no remote wake-up) and the loop is woken here, behind the
 * waker (scxcore_enqueue): when the waker sleeps the loop runs here, and
 * scx_select_cpu() gives @p this CPU as the loop leaves it
 * (SCX_INTF_Q_HANDOFF). A round trip of a ping-pong then sends no IPI. A
 * waker that runs on instead has its slice ended at the first tick
 * LOOP_BEHIND_MAX_NS later (scxcore_tick), and loses the hand-off until it
 * sleeps after one again. Returns this CPU, or -1. */
static s32 handoff_cpu(struct task_struct *p, s32 prev_cpu)
{
	s32 here = bpf_get_smp_processor_id();
	struct task_ctx *tctx;

	if (!usersched_sleeping || !here_online() ||
	    !task_allows_cpu(p, here) || scx_bpf_dsq_nr_queued(DSQ_LOCAL))
		return -1;
	tctx = task_ctx_of(p);
	if (!tctx)
		return -1;
	tctx->handoff = true;
	tctx->prev_cpu = prev_cpu;
	return here;
}

static __always_inline s32 do_select_cpu(struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	bool is_idle = false;
	s32 cpu;

	/* The loop goes where loop_wake_cpu says: behind the waker on this CPU
	 * (a hand-off), else there if that CPU is still idle. */
	if (is_loop_thread(p) && loop_wake_cpu) {
		cpu = (s32)loop_wake_cpu - 1;
		loop_wake_cpu = 0;
		if (loop_wake_behind && cpu == (s32)bpf_get_smp_processor_id() && task_allows_cpu(p, cpu)) {
			loop_behind_ns = bpf_ktime_get_ns();
			loop_behind_cpu = cpu + 1;
			compat_dsq_insert(p, DSQ_LOCAL, settings.slice_dfl_ns, ENQ_HEAD);
			stat_inc(&stats.nr_kernel_dispatches);
			return cpu;
		}
		is_idle = task_allows_cpu(p, cpu) && cpu_is_online(cpu) && ext_test_and_clear_idle(cpu);
	}
	if (!is_idle) {
		/* With builtin_idle, a wake-up that finds an idle CPU runs there at
		 * once, and with wake_to_idle_prev one whose previous CPU is idle,
		 * unless user space has tasks waiting that would be overtaken. */
		if (!placed_by_kernel(p)) {
			bool handoff = waker_hands_off(wake_flags);

			if (nr_pending || scx_bpf_dsq_nr_queued(SCX_INTF_PARKED_DSQ))
				return prev_cpu;
			if (settings.wake_to_idle_prev && place_on_idle_prev(p, prev_cpu))
				return prev_cpu;
			if (!settings.builtin_idle) {
				cpu = handoff ? handoff_cpu(p, prev_cpu) : -1;
				return cpu >= 0 ? cpu : prev_cpu;
			}
		}
		cpu = ext_select_cpu_dfl(p, prev_cpu, wake_flags, &is_idle);
	}
	if (is_idle) {
		compat_dsq_insert(p, DSQ_LOCAL, settings.slice_dfl_ns, 0);
		stat_inc(&stats.nr_kernel_dispatches);
	}
	return cpu;
}

void BPF_STRUCT_OPS(scxcore_enqueue, struct task_struct *p, u64 enq_flags)
{
	struct scx_intf_queued *rec;
	struct task_ctx *tctx;
	bool handoff;
	u64 now;

	/* The scheduling loop itself goes first and preempts: every task it
	 * has not placed yet waits for it. */
	if (placed_by_kernel(p)) {
		u64 flags = enq_flags;

		if (is_loop_thread(p))
			flags |= ENQ_HEAD | ENQ_PREEMPT;
		compat_dsq_insert(p, DSQ_LOCAL, settings.slice_dfl_ns, flags);
		stat_inc(&stats.nr_kernel_dispatches);
		return;
	}

	now = bpf_ktime_get_ns();
	if (failsafe_active()) {
		insert_shared(p, enq_flags, now);
		stat_inc(&stats.nr_failsafe_dispatches);
		return;
	}

	tctx = task_ctx_of(p);
	rec = tctx ? bpf_ringbuf_reserve(&queued, sizeof(*rec), 0) : NULL;
	if (!rec) {
		/* Ring full (or no context): run it without asking user space. */
		insert_shared(p, enq_flags, now);
		stat_inc(&stats.nr_sched_congested);
		return;
	}

	tctx->enq_seq++;
	tctx->queued_ts = now;
	compat_dsq_insert(p, SCX_INTF_PARKED_DSQ, settings.slice_dfl_ns, enq_flags);

	handoff = tctx->handoff && (enq_flags & ENQ_WAKEUP);
	tctx->handoff = false;
	fill_record(rec, p, tctx, enq_flags, now);
	if (handoff)
		rec->cpu = tctx->prev_cpu; /* where it ran, not where it waits */
	/* A hand-off (handoff_cpu) still the only task waiting, with nothing
	 * else for this CPU: the loop goes behind the waker, woken by this
	 * record. */
	if (__sync_add_and_fetch(&stats.nr_queued, 1) == 1 && handoff && !scx_bpf_dsq_nr_queued(DSQ_LOCAL) &&
	    take_usersched_wake(bpf_get_smp_processor_id(), true)) {
		rec->hints = SCX_INTF_Q_HANDOFF;
		bpf_ringbuf_submit(rec, BPF_RB_FORCE_WAKEUP);
		stat_inc(&stats.nr_wakeups_sent);
		return;
	}
	/* Wake user space only when it is useful now: a CPU is idle, or a
	 * batch is waiting. Otherwise the next CPU to run dry wakes it (see
	 * scxcore_dispatch), and it finds several tasks at once. A task that
	 * comes with SCX_ENQ_LAST (opts.enq_last) leaves its CPU about to idle,
	 * after that CPU's ops.dispatch found nothing. */
	bpf_ringbuf_submit(rec, BPF_RB_NO_WAKEUP);
	if (usersched_sleeping &&
	    (stats.nr_queued >= settings.wake_batch || (enq_flags & ENQ_LAST) || any_cpu_idle()))
		wake_usersched_near(ext_task_cpu(p), false);
}

/* Decisions that found their task not parked yet: ops.enqueue() submits the
 * record before the kernel commits the task to PARKED_DSQ, so a fast user
 * space can answer first. The enqueuing CPU can be held up inside that
 * window (an interrupt, a vCPU descheduled by its host), so each is tried
 * again at later dispatches until the task turns up, is enqueued anew (its
 * enq_seq moves on), or has waited half the fail-safe period: then the
 * fail-safe is near and the decision is cancelled. */
struct retry {
	struct scx_intf_dispatched d;
	u64 tried_ns; /* the apply_decisions() call that last tried it */
};

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, 4096);
	__type(value, struct retry);
} retry_queue SEC(".maps");

#define RETRY_WINDOW_NS HEARTBEAT_NS

/* A decision cancelled before it claimed its CPU: give back to the idle
 * view the CPU that scx_select_cpu() took out of it for the task, if that
 * CPU is still idle (else no task but this one would be sent there by user
 * space before it next goes idle). */
static void unclaim_view(const struct scx_intf_dispatched *d)
{
	u32 c = d->cpu;

	if (d->cpu < 0 || !(d->flags & SCX_INTF_DSP_IDLE_HINT) || c >= SCX_INTF_MAX_CPUS)
		return;
	if (ext_cpu_idle(c))
		__sync_fetch_and_or(&idle_cpus[c / 64], 1ULL << (c & 63));
}

/* Where decisions are applied: when, and the CPU whose ops.dispatch
 * applies them (-1: a SYSCALL program). */
struct apply_ctx {
	u64 now;
	s32 here;
};

/* Move @d's task from PARKED_DSQ to where user space placed it. */
static void apply_decision(struct scx_intf_dispatched *d, const struct apply_ctx *ac)
{
	u64 now = ac->now;
	struct bpf_iter_scx_dsq it;
	struct task_struct *p;
	struct task_ctx *tctx;
	u64 target = SCX_INTF_SHARED_DSQ;
	s32 claimed = -1; /* an idle CPU taken out of the kernel's idle mask */
	bool moved;

	p = bpf_task_from_pid(d->pid);
	if (!p) {
		stat_inc(&stats.nr_failed_dispatches);
		return;
	}
	/* This also runs in a SYSCALL program, where p->cpus_ptr and the DSQ
	 * iterator are only usable inside an RCU read-side section. */
	bpf_rcu_read_lock();
	tctx = task_ctx_of(p);
	if (!tctx || tctx->enq_seq != d->enq_seq) {
		stat_inc(&stats.nr_cancel_dispatches);
		unclaim_view(d);
		goto out;
	}
	if (d->cpu >= 0) {
		if (!task_allows_cpu(p, d->cpu) || !cpu_is_online(d->cpu)) {
			stat_inc(&stats.nr_bounce_dispatches);
		} else if ((d->flags & SCX_INTF_DSP_IDLE_HINT) &&
			   !ext_test_and_clear_idle(d->cpu)) {
			/* Taken since user space looked: another idle CPU, or any. */
			s32 cpu = ext_pick_idle_cpu(p);

			stat_inc(&stats.nr_idle_misses);
			if (cpu >= 0) {
				d->cpu = claimed = cpu;
				target = CPU_DSQ(cpu);
			}
		} else {
			if (d->flags & SCX_INTF_DSP_IDLE_HINT)
				claimed = d->cpu;
			target = CPU_DSQ(d->cpu);
			/* For the CPU applying it, with nothing ahead of it there
			 * nor in the shared DSQ (which it would serve first): to
			 * the local DSQ at once, one move instead of two. */
			if (d->cpu == ac->here && !scx_bpf_dsq_nr_queued(target) &&
			    !scx_bpf_dsq_nr_queued(SCX_INTF_SHARED_DSQ) && !scx_bpf_dsq_nr_queued(DSQ_LOCAL))
				target = DSQ_LOCAL;
		}
	}

	/* Only a task parked before this iterator began can be moved: one that
	 * left PARKED_DSQ (dispatched already, dequeued, migrated) is not found. */
	bpf_iter_scx_dsq_new(&it, SCX_INTF_PARKED_DSQ, 0);
	compat_dsq_move_set_slice(&it, d->slice_ns);
	compat_dsq_move_set_vtime(&it, d->vtime);
	moved = compat_dsq_move(&it, p, target, 0);
	bpf_iter_scx_dsq_destroy(&it);

	if (!moved) {
		struct retry r = { .d = *d, .tried_ns = now };

		/* The CPU claimed for it idles on, out of the idle mask: wake it,
		 * so that it goes idle again, back in the mask and the view. */
		if (claimed >= 0 && here_online())
			ext_kick_cpu(claimed, KICK_IDLE);
		if (now - tctx->queued_ts >= RETRY_WINDOW_NS || bpf_map_push_elem(&retry_queue, &r, 0))
			stat_inc(&stats.nr_cancel_dispatches);
		goto out;
	}
	tctx->queued_ts = now;
	tctx->slice_ns = d->slice_ns;
	stat_inc(&stats.nr_user_dispatches);
	if (target == SCX_INTF_SHARED_DSQ)
		kick_idle_cpu(p);
	else if (here_online() && (d->cpu != (s32)bpf_get_smp_processor_id() || (d->flags & SCX_INTF_DSP_PREEMPT)))
		/* Not this CPU: its ops.dispatch serves its queue next. */
		ext_kick_cpu(d->cpu, (d->flags & SCX_INTF_DSP_PREEMPT) ? KICK_PREEMPT : KICK_IDLE);
out:
	bpf_rcu_read_unlock();
	bpf_task_release(p);
}

static long apply_dispatched_record(struct bpf_dynptr *dynptr, void *data)
{
	struct scx_intf_dispatched d;

	__sync_fetch_and_add(&decisions_taken, 1);
	if (bpf_dynptr_read(&d, sizeof(d), dynptr, 0, 0))
		stat_inc(&stats.nr_failed_dispatches);
	else
		apply_decision(&d, data);
	return 0;
}

/* Apply user space's decisions: the retried ones, then the new ones. */
static void apply_decisions(u64 now, s32 here)
{
	struct apply_ctx ac = { .now = now, .here = here };
	struct retry r;
	int i;

	bpf_for(i, 0, 64) {
		if (bpf_map_pop_elem(&retry_queue, &r))
			break;
		if (r.tried_ns == now) { /* came back in this very call */
			if (bpf_map_push_elem(&retry_queue, &r, 0))
				stat_inc(&stats.nr_cancel_dispatches);
			break;
		}
		apply_decision(&r.d, &ac);
	}
	/* A drain's wake-up is an irq_work on this CPU, an interrupt for every
	 * batch of decisions: only a thread waiting for room gets one (an
	 * empty second drain; see here_online). The atomic read orders the
	 * check after the drain's release of the room, as user space orders
	 * its count before its look at the ring (Scheduler::dispatch). */
	if (bpf_user_ringbuf_drain(&dispatched, apply_dispatched_record, &ac, BPF_RB_NO_WAKEUP) > 0 &&
	    __sync_fetch_and_add(&dispatch_waiters, 0) && here_online())
		bpf_user_ringbuf_drain(&dispatched, apply_dispatched_record, &ac, BPF_RB_FORCE_WAKEUP);
}

/* Whether @prev runs on when this ops.dispatch finds nothing for @cpu: it
 * used up its slice (or yielded) and is still runnable there. That is the
 * policy's moment to choose, not an idle CPU. */
static bool keeps_running(struct task_struct *prev, s32 cpu)
{
	return prev && (prev->scx.flags & TASK_QUEUED) && ext_task_cpu(prev) == cpu;
}

/* @prev used up its slice and runs on, nothing else being dispatched to
 * its CPU (without opts.enq_last). While tasks wait for user space, for the
 * slice user space gave it last rather than the kernel's default 20 ms:
 * what user space sends to this CPU for them then waits no longer. */
static void run_on(struct task_struct *prev)
{
	struct task_ctx *tctx;

	if (prev->scx.slice || settings.enq_last || !scx_bpf_dsq_nr_queued(SCX_INTF_PARKED_DSQ))
		return;
	tctx = task_ctx_of(prev);
	ext_set_slice(prev, tctx && !placed_by_kernel(prev) ? last_slice(tctx) : settings.slice_dfl_ns);
}

/* opts.idle_runs_oldest: @cpu is about to idle; run the task that has
 * waited longest in PARKED_DSQ among those allowed on it, for the slice
 * user space gave it last, and tell user space afterwards. Nothing happens
 * if none may run here, or the ring is full. */
static void run_oldest_parked(s32 cpu, u64 now)
{
	struct bpf_iter_scx_dsq it;
	struct scx_intf_queued *rec;
	struct task_struct *p;
	struct task_ctx *tctx;
	bool taken = false;
	int i;

	if (!cpu_is_online(cpu))
		return;
	rec = bpf_ringbuf_reserve(&queued, sizeof(*rec), 0);
	if (!rec)
		return;
	bpf_rcu_read_lock(); /* for p->cpus_ptr */
	bpf_iter_scx_dsq_new(&it, SCX_INTF_PARKED_DSQ, 0);
	/* PARKED_DSQ is FIFO: the first allowed here waited longest. Looking
	 * no deeper than 64 keeps an idle entry cheap. */
	bpf_for(i, 0, 64) {
		p = bpf_iter_scx_dsq_next(&it);
		if (!p)
			break;
		if (!task_allows_cpu(p, cpu))
			continue;
		tctx = task_ctx_of(p);
		if (!tctx)
			continue;
		compat_dsq_move_set_slice(&it, last_slice(tctx));
		if (!compat_dsq_move(&it, p, DSQ_LOCAL, 0))
			continue;
		submit_placed(rec, p, tctx, cpu, 0, now);
		taken = true;
		break;
	}
	bpf_iter_scx_dsq_destroy(&it);
	bpf_rcu_read_unlock();
	if (!taken)
		bpf_ringbuf_discard(rec, BPF_RB_NO_WAKEUP);
}

static __always_inline void do_dispatch(s32 cpu, struct task_struct *prev)
{
	u64 now = bpf_ktime_get_ns();

	if (ext_sub_turn(cpu))
		return;
	apply_decisions(now, cpu);
	if (failsafe_active() && !usersched_late(now) && user_space_fresh(now))
		failsafe_leave(now);

	/* A task that waited too long for user space goes first: user space
	 * is stuck, or lost track of it. */
	if (usersched_late(now)) {
		failsafe_enter(now);
		if (compat_dsq_move_to_local(SCX_INTF_PARKED_DSQ)) {
			stat_inc(&stats.nr_failsafe_dispatches);
			return;
		}
	}
	/* A decision for this CPU went straight to its local DSQ. */
	if (scx_bpf_dsq_nr_queued(DSQ_LOCAL))
		return;

	/* Serve this CPU's queue and the shared one oldest first: neither
	 * may starve the other. */
	if (dsq_head_ts(CPU_DSQ(cpu)) <= dsq_head_ts(SCX_INTF_SHARED_DSQ)) {
		if (compat_dsq_move_to_local(CPU_DSQ(cpu)) ||
		    compat_dsq_move_to_local(SCX_INTF_SHARED_DSQ))
			return;
	} else if (compat_dsq_move_to_local(SCX_INTF_SHARED_DSQ) ||
		   compat_dsq_move_to_local(CPU_DSQ(cpu))) {
		return;
	}
	/* Tasks placed here that this CPU cannot take. The case that matters:
	 * a CPU going offline stops taking tasks from other CPUs as soon as
	 * it is inactive, then hotplug waits for an RCU grace period before
	 * ops.cpu_offline(); if rcu_preempt waits here, that never ends. */
	if (scx_bpf_dsq_nr_queued(CPU_DSQ(cpu)))
		drain_cpu_dsq(cpu);
	else if (keeps_running(prev, cpu))
		run_on(prev);
	else if (settings.idle_runs_oldest)
		run_oldest_parked(cpu, now);

	/* This CPU ran dry: user space may have work for it, or for the next. */
	if (nr_pending || stats.nr_queued)
		wake_usersched();
	ext_sub_idle_turn(cpu);
}

void BPF_STRUCT_OPS(scxcore_runnable, struct task_struct *p, u64 enq_flags)
{
	struct task_ctx *tctx = task_ctx_of(p);

	if (tctx)
		tctx->exec_runtime = 0;
}

void BPF_STRUCT_OPS(scxcore_running, struct task_struct *p)
{
	struct task_ctx *tctx = task_ctx_of(p);

	if (tctx)
		tctx->start_ts = bpf_ktime_get_ns();
	__sync_fetch_and_add(&stats.nr_running, 1);
	if (is_loop_thread(p))
		loop_behind_cpu = 0;
}

/* The loop queued behind a waker (a hand-off) that has run on for
 * LOOP_BEHIND_MAX_NS since: end the waker's slice, so that the loop runs
 * now. (Ending it at the first tick would also preempt wakers a few
 * microseconds from sleeping, and send each back through user space.) */
#define LOOP_BEHIND_MAX_NS 500000ULL

void BPF_STRUCT_OPS(scxcore_tick, struct task_struct *p)
{
	if (loop_behind_here() && !is_loop_thread(p) &&
	    bpf_ktime_get_ns() - loop_behind_ns >= LOOP_BEHIND_MAX_NS) {
		loop_behind_cpu = 0;
		ext_set_slice(p, 0);
	}
}

void BPF_STRUCT_OPS(scxcore_stopping, struct task_struct *p, bool runnable)
{
	struct task_ctx *tctx = task_ctx_of(p);
	u64 now = bpf_ktime_get_ns();

	if (tctx) {
		tctx->stop_ts = now;
		if (now > tctx->start_ts)
			tctx->exec_runtime += now - tctx->start_ts;
		/* A synchronous waker that stops: it hands off if it sleeps. */
		if (tctx->sync_woke) {
			tctx->sync_sleeps = !runnable;
			tctx->sync_woke = false;
		}
	}
	__sync_fetch_and_sub(&stats.nr_running, 1);

	/* The scheduling loop goes to sleep and leaves decisions in the ring.
	 * This CPU applies them in its next ops.dispatch, unless a task placed
	 * on it directly (another thread of the scheduler's process) runs
	 * first while other CPUs may idle: then make an idle CPU look. Kicking
	 * one every time cost an idle CPU a useless wake-up per decision (14 %
	 * of the ping-pong's round trip). A task of a higher class that takes
	 * this CPU first is rare and brief; the heartbeat covers it. */
	if (is_loop_thread(p) && !runnable && decisions_sent != decisions_taken &&
	    scx_bpf_dsq_nr_queued(DSQ_LOCAL))
		kick_any_idle_cpu();
}

static __always_inline void do_update_idle(s32 cpu, bool idle)
{
	u32 c = cpu;
	u64 bit = 1ULL << (c & 63);

	if (c >= SCX_INTF_MAX_CPUS)
		return;
	/* A CPU going offline passes through idle after ops.cpu_offline(). */
	idle = idle && cpu_is_online(cpu);
	ext_note_idle(cpu, idle);
	if (idle)
		__sync_fetch_and_or(&idle_cpus[c / 64], bit);
	else
		__sync_fetch_and_and(&idle_cpus[c / 64], ~bit);
}

static __always_inline void do_set_cpumask(struct task_struct *p)
{
	struct task_ctx *tctx = task_ctx_of(p);

	/* A task never queued for user space (a fork being enabled) has no
	 * record whose mask could be stale: hackbench's forks alone used to
	 * turn most scx_select_cpu() answers into system calls. */
	if (!tctx || tctx->enq_seq)
		__sync_fetch_and_add(affinity_slot(p), 1);
}

/* CPU hotplug is handled live (without these two callbacks the kernel
 * unloads the scheduler on every hotplug and asks for a restart). */
static __always_inline void do_cpu_online(s32 cpu)
{
	u32 c = cpu;

	if (c < SCX_INTF_MAX_CPUS)
		__sync_fetch_and_or(&online_cpus[c / 64], 1ULL << (c & 63));
	__sync_fetch_and_add(&stats.nr_online_cpus, 1);
	stat_inc(&stats.nr_hotplug_events);
}

static __always_inline void do_cpu_offline(s32 cpu)
{
	u32 c = cpu;

	if (c < SCX_INTF_MAX_CPUS) {
		__sync_fetch_and_and(&online_cpus[c / 64], ~(1ULL << (c & 63)));
		__sync_fetch_and_and(&idle_cpus[c / 64], ~(1ULL << (c & 63)));
	}
	ext_note_idle(cpu, false);
	__sync_fetch_and_sub(&stats.nr_online_cpus, 1);
	stat_inc(&stats.nr_hotplug_events);
	drain_cpu_dsq(cpu);
}

/* What the heartbeat looks at besides user space: a CPU's DSQ that is not
 * served (its CPU went offline, or stopped taking these tasks) goes to the
 * shared DSQ, and a shared DSQ that waits gets an idle CPU kicked. */
static void unstick_placed_tasks(u64 now)
{
	struct task_struct *p;
	u32 cpu, n = scx_bpf_nr_cpu_ids();
	u64 ts;

	bpf_for(cpu, 0, SCX_INTF_MAX_CPUS) {
		if (cpu >= n)
			break;
		if (!scx_bpf_dsq_nr_queued(CPU_DSQ(cpu)))
			continue;
		ts = dsq_head_ts(CPU_DSQ(cpu));
		if (!cpu_is_online(cpu) || (settings.failsafe_ns && now > ts && now - ts > settings.failsafe_ns))
			drain_cpu_dsq(cpu);
	}
	ts = dsq_head_ts(SCX_INTF_SHARED_DSQ);
	if (!settings.failsafe_ns || ts == ~0ULL || now <= ts || now - ts <= settings.failsafe_ns)
		return;
	bpf_rcu_read_lock();
	bpf_for_each(scx_dsq, p, SCX_INTF_SHARED_DSQ, 0) {
		kick_idle_cpu(p);
		break;
	}
	bpf_rcu_read_unlock();
}

s32 BPF_STRUCT_OPS(scxcore_init_task, struct task_struct *p, struct scx_init_task_args *args)
{
	return bpf_task_storage_get(&task_ctxs, p, 0, BPF_LOCAL_STORAGE_GET_F_CREATE) ? 0 : -ENOMEM;
}

/* The key of @cgrp in "cgroups": its id, as task_cgroup_id() gives it. */
static __always_inline u64 cgroup_key(struct cgroup *cgrp)
{
	return BPF_CORE_READ(cgrp, kn, id);
}

/* Replace @cgrp's entry with @cg (a copy, so that a reader never sees
 * half of a change). */
static void cgroup_store(struct cgroup *cgrp, struct scx_intf_cgroup *cg)
{
	u64 id = cgroup_key(cgrp);

	cg->seq = __sync_add_and_fetch(&cgroup_seq, 1);
	bpf_map_update_elem(&cgroups, &id, cg, BPF_ANY);
}

/* A copy of @cgrp's entry in @cg; false when it has none. */
static bool cgroup_load(struct cgroup *cgrp, struct scx_intf_cgroup *cg)
{
	u64 id = cgroup_key(cgrp);
	struct scx_intf_cgroup *e = bpf_map_lookup_elem(&cgroups, &id);

	if (!e)
		return false;
	*cg = *e;
	return true;
}

/* Every cgroup when the scheduler loads, and each one created later. The
 * bandwidth arguments came with ops.cgroup_set_bandwidth (6.17), the idle
 * flag with ops.cgroup_set_idle: older kernels have neither, and libbpf
 * leaves those ops out. */
s32 BPF_STRUCT_OPS(scxcore_cgroup_init, struct cgroup *cgrp, struct scx_cgroup_init_args *args)
{
	struct scx_intf_cgroup cg = { .quota_us = ~0ULL, .weight = args->weight };

	if (bpf_core_field_exists(args->bw_period_us)) {
		cg.period_us = args->bw_period_us;
		cg.quota_us = args->bw_quota_us;
		cg.burst_us = args->bw_burst_us;
		cg.flags |= SCX_INTF_CG_HAS_BW;
	}
	if (bpf_core_field_exists(args->sched_idle)) {
		cg.flags |= SCX_INTF_CG_HAS_IDLE;
		if (args->sched_idle)
			cg.flags |= SCX_INTF_CG_IDLE;
	}
	cgroup_store(cgrp, &cg);
	return 0;
}

void BPF_STRUCT_OPS(scxcore_cgroup_exit, struct cgroup *cgrp)
{
	u64 id = cgroup_key(cgrp);

	if (!bpf_map_delete_elem(&cgroups, &id))
		__sync_fetch_and_add(&cgroup_seq, 1);
}

void BPF_STRUCT_OPS(scxcore_cgroup_set_weight, struct cgroup *cgrp, u32 weight)
{
	struct scx_intf_cgroup cg;

	if (cgroup_load(cgrp, &cg)) {
		cg.weight = weight;
		cgroup_store(cgrp, &cg);
	}
}

void BPF_STRUCT_OPS(scxcore_cgroup_set_bandwidth, struct cgroup *cgrp, u64 period_us, u64 quota_us,
		    u64 burst_us)
{
	struct scx_intf_cgroup cg;

	if (cgroup_load(cgrp, &cg)) {
		cg.period_us = period_us;
		cg.quota_us = quota_us;
		cg.burst_us = burst_us;
		cgroup_store(cgrp, &cg);
	}
}

void BPF_STRUCT_OPS(scxcore_cgroup_set_idle, struct cgroup *cgrp, bool idle)
{
	struct scx_intf_cgroup cg;

	if (cgroup_load(cgrp, &cg)) {
		cg.flags = idle ? cg.flags | SCX_INTF_CG_IDLE : cg.flags & ~SCX_INTF_CG_IDLE;
		cgroup_store(cgrp, &cg);
	}
}

/* Whether the process @tgid is there with a thread that has not exited:
 * its thread group's count of live threads, not its main thread's state
 * (a main thread may exit while the thread that schedules runs on). */
static bool process_alive(s32 tgid)
{
	struct task_struct *p = tgid > 0 ? bpf_task_from_pid(tgid) : NULL;
	bool alive;

	if (!p)
		return false;
	alive = BPF_CORE_READ(p, signal, live.counter) > 0;
	bpf_task_release(p);
	return alive;
}

/* A pinned scheduler outlives its owner: when the owner left or died, the
 * fail-safe serves every task (usersched_late) for up to linger_ns, waiting
 * for a process to take it over; then the scheduler unregisters. */
static void watch_owner(u64 now)
{
	u64 since = owner.orphan_since_ns;
	s32 next = owner.next_tgid;

	if (!owner.pinned)
		return; /* the owner's death closes the link: the kernel unloads us */
	if (next && !process_alive(next)) {
		__sync_bool_compare_and_swap(&owner.next_tgid, next, 0); /* a successor died mid-way */
		next = 0;
	}
	/* An owner that let go and exits while its successor takes over is
	 * not an orphan: what it left waits for the successor's commit. */
	if (!since && next)
		return;
	if (!since) {
		if (!owner.left && process_alive(owner.tgid))
			return;
		if (__sync_bool_compare_and_swap(&owner.orphan_since_ns, 0, now))
			failsafe_enter(now);
		return;
	}
	if (!owner.next_tgid && now - since > owner.linger_ns)
		scx_exit("owner %d gone, no successor within %llu ms", owner.tgid, owner.linger_ns / 1000000);
}

/* Looks for work that waits on a user space that does not come. */
static int heartbeat_fn(void *map, int *key, struct bpf_timer *timer)
{
	u64 now = bpf_ktime_get_ns();

	watch_owner(now);

	if (usersched_late(now)) {
		struct task_struct *p;

		failsafe_enter(now);
		/* Make sure some CPU goes through ops.dispatch soon. */
		bpf_rcu_read_lock();
		bpf_for_each(scx_dsq, p, SCX_INTF_PARKED_DSQ, 0) {
			kick_idle_cpu(p);
			break;
		}
		bpf_rcu_read_unlock();
	} else if (failsafe_active() && user_space_fresh(now)) {
		failsafe_leave(now);
	}
	/* While the fail-safe serves, user space gets no new tasks to wake it:
	 * wake it anyway, so that it shows it is alive and takes over again. */
	if (nr_pending || failsafe_active() || scx_bpf_dsq_nr_queued(SCX_INTF_PARKED_DSQ))
		wake_usersched();
	/* Decisions left in the ring by a loop that sleeps (see ops.stopping). */
	if (usersched_sleeping && decisions_sent != decisions_taken)
		kick_any_idle_cpu();
	unstick_placed_tasks(now);
	bpf_timer_start(timer, HEARTBEAT_NS, 0);
	return 0;
}

s32 BPF_STRUCT_OPS_SLEEPABLE(scxcore_init)
{
	struct heartbeat *hb;
	u32 key = 0;
	s32 ret, cpu;

	ext_init_ids();
	ext_init_sub();
	ret = scx_bpf_create_dsq(SCX_INTF_PARKED_DSQ, -1);
	if (ret)
		return ret;
	ret = scx_bpf_create_dsq(SCX_INTF_SHARED_DSQ, -1);
	if (ret)
		return ret;
	bpf_for(cpu, 0, (s32)scx_bpf_nr_cpu_ids()) {
		ret = scx_bpf_create_dsq(CPU_DSQ(cpu), -1);
		if (ret)
			return ret;
	}

	/* Start the online and idle views from the kernel's (hotplug waits for
	 * us: ops.init runs under cpus_read_lock()); ops.cpu_online/offline()
	 * and ops.update_idle() keep them. An offline CPU is never idle here. */
	bpf_for(cpu, 0, (s32)scx_bpf_nr_cpu_ids()) {
		u64 bit = 1ULL << ((u32)cpu & 63);

		if (!ext_online_at_init(cpu))
			continue;
		stats.nr_online_cpus++;
		if (cpu >= SCX_INTF_MAX_CPUS)
			continue;
		online_cpus[(u32)cpu / 64] |= bit;
		if (ext_idle_at_init(cpu))
			idle_cpus[(u32)cpu / 64] |= bit;
	}

	hb = bpf_map_lookup_elem(&heartbeat_map, &key);
	if (!hb)
		return -ENOMEM;
	bpf_timer_init(&hb->timer, &heartbeat_map, CLOCK_MONOTONIC);
	bpf_timer_set_callback(&hb->timer, heartbeat_fn);
	return bpf_timer_start(&hb->timer, HEARTBEAT_NS, 0);
}

void BPF_STRUCT_OPS(scxcore_exit, struct scx_exit_info *ei)
{
	u32 key = 0;
	char *dump;

	bpf_probe_read_kernel_str(exit_info.reason, sizeof(exit_info.reason), ei->reason);
	bpf_probe_read_kernel_str(exit_info.msg, sizeof(exit_info.msg), ei->msg);
	exit_info.exit_code = ei->exit_code;
	dump = bpf_map_lookup_elem(&exit_dump, &key);
	if (dump && exit_dump_len && bpf_core_field_exists(ei->dump)) {
		long n = bpf_probe_read_kernel_str(dump, exit_dump_len, BPF_CORE_READ(ei, dump));

		exit_info.dump_len = n > 0 ? n : 0;
	}
	asm volatile("" ::: "memory"); /* kind last: user space polls it */
	exit_info.kind = ei->kind;
	usersched_sleeping = 1;
	wake_usersched();
}

/* scx_select_cpu(), run by user space through BPF_PROG_TEST_RUN. */
SEC("syscall")
int scxcore_select_cpu_syscall(struct scx_intf_select_cpu *args)
{
	struct task_struct *p = bpf_task_from_pid(args->pid);

	if (!p) {
		args->cpu = -ESRCH;
		return 0;
	}
	bpf_rcu_read_lock(); /* makes p->cpus_ptr trusted */
	args->cpu = ext_pick_idle_near(p, args->prev_cpu, args->flags);
	bpf_rcu_read_unlock();
	if (args->cpu < 0)
		args->cpu = -EBUSY;
	bpf_task_release(p);
	return 0;
}

/* Apply user space's queued decisions now, instead of waiting for a CPU to
 * pass through ops.dispatch: run by scx_notify() after it dispatched. */
SEC("syscall")
int scxcore_flush_syscall(void *ctx)
{
	apply_decisions(bpf_ktime_get_ns(), -1);
	return 0;
}

/* Queue @p, parked and not decided, once more for a new owner: a new
 * enq_seq makes any decision of the old owner's for it stale. */
static bool requeue_parked(struct task_struct *p, u64 now)
{
	struct task_ctx *tctx = task_ctx_of(p);
	struct scx_intf_queued *rec;

	if (!tctx)
		return false;
	rec = bpf_ringbuf_reserve(&queued, sizeof(*rec), 0);
	if (!rec)
		return false;
	tctx->enq_seq++;
	fill_record(rec, p, tctx, 0, tctx->queued_ts); /* it waits since then */
	tctx->queued_ts = now; /* the new owner gets a whole fail-safe period */
	__sync_fetch_and_add(&stats.nr_queued, 1);
	bpf_ringbuf_submit(rec, BPF_RB_NO_WAKEUP);
	return true;
}

/* What a take-over commits: the old owner's decisions take effect, and what
 * it had not decided (dequeued, or read from the ring the new owner
 * emptied) is queued again. Counts into *requeued and *unqueued. */
static void commit_take_over(s32 tgid, s32 pid, u64 since_ns, u64 now, u64 *requeued, u64 *unqueued)
{
	struct task_struct *p;

	apply_decisions(now, -1);
	owner.tgid = tgid;
	owner.pid = pid;
	owner.left = 0;
	owner.next_pid = 0;
	owner.next_tgid = 0;
	nr_pending = 0;
	usersched_seen_ns = now;
	bpf_rcu_read_lock(); /* the iterator and p->cpus_ptr need it here */
	bpf_for_each(scx_dsq, p, SCX_INTF_PARKED_DSQ, 0) {
		struct task_ctx *tctx = task_ctx_of(p);

		if (!tctx || tctx->queued_ts >= since_ns)
			continue; /* its record came after the new owner emptied the ring */
		if (requeue_parked(p, now))
			(*requeued)++;
		else
			(*unqueued)++;
	}
	bpf_rcu_read_unlock();
	__sync_fetch_and_add(&stats.nr_handover_requeues, *requeued);
	stat_inc(&stats.nr_handovers);
	owner.orphan_since_ns = 0;
	owner.epoch++;
}

/* The new owner's side of a take-over (intf.h, struct scx_intf_take_over),
 * run by it through BPF_PROG_TEST_RUN. The context is read once and written
 * once: 6.16's verifier refuses a context pointer kept with an offset. */
SEC("syscall")
int scxcore_take_over_syscall(struct scx_intf_take_over *a)
{
	u32 op = a->op;
	s32 tgid = a->tgid, pid = a->pid;
	u64 epoch = a->epoch, since_ns = a->since_ns, requeued = 0, unqueued = 0;
	s32 result = 0;

	if (op == SCX_TAKE_OVER_CLAIM) {
		/* Exactly one claim wins; the owner sees it and lets go. */
		if (epoch != owner.epoch || !__sync_bool_compare_and_swap(&owner.next_tgid, 0, tgid)) {
			result = -EBUSY;
		} else {
			owner.next_pid = pid;
			usersched_sleeping = 1;
			wake_usersched();
		}
	} else if (owner.next_tgid != tgid || epoch != owner.epoch) {
		result = -EINVAL;
	} else if (op == SCX_TAKE_OVER_CANCEL) {
		owner.next_pid = 0;
		owner.next_tgid = 0;
	} else if (op == SCX_TAKE_OVER_COMMIT) {
		commit_take_over(tgid, pid, since_ns, bpf_ktime_get_ns(), &requeued, &unqueued);
		epoch = owner.epoch;
	} else {
		result = -EINVAL;
	}
	a->result = result;
	a->epoch = epoch;
	a->requeued = requeued;
	a->unqueued = unqueued;
	return 0;
}

/* The callbacks both forms have under the same name (dispatch and
 * update_idle take a cid in the cid form: their wrappers convert). */
#define SHARED_OPS \
	.enqueue    = (void *)scxcore_enqueue, \
	.dispatch   = (void *)scxcore_dispatch, \
	.runnable   = (void *)scxcore_runnable, \
	.running    = (void *)scxcore_running, \
	.stopping   = (void *)scxcore_stopping, \
	.tick       = (void *)scxcore_tick, \
	.update_idle = (void *)scxcore_update_idle, \
	.init_task  = (void *)scxcore_init_task, \
	.init       = (void *)scxcore_init, \
	.exit       = (void *)scxcore_exit, \
	.name       = "scxcore"

#ifdef SCXCORE_CID_FORM
/* The callbacks that name a CPU, in cids: converted at the boundary. */
s32 BPF_STRUCT_OPS(scxcore_select_cid, struct task_struct *p, s32 prev_cid, u64 wake_flags)
{
	return cid_of(do_select_cpu(p, cpu_of(prev_cid), wake_flags));
}

void BPF_STRUCT_OPS(scxcore_dispatch, s32 cid, struct task_struct *prev)
{
	do_dispatch(cpu_of(cid), prev);
}

void BPF_STRUCT_OPS(scxcore_update_idle, s32 cid, bool idle)
{
	do_update_idle(cpu_of(cid), idle);
}

void BPF_STRUCT_OPS(scxcore_set_cmask, struct task_struct *p, const struct scx_cmask *cmask)
{
	ARENA_TOUCH(); /* an arena argument needs the arena in the program */
	do_set_cpumask(p);
}

void BPF_STRUCT_OPS(scxcore_cid_online, s32 cid)
{
	do_cpu_online(cpu_of(cid));
}

void BPF_STRUCT_OPS(scxcore_cid_offline, s32 cid)
{
	do_cpu_offline(cpu_of(cid));
}

s32 BPF_STRUCT_OPS(scxcore_sub_attach, struct scx_sub_attach_args *args)
{
	return ext_sub_attach(args->ops->sub_cgroup_id);
}

void BPF_STRUCT_OPS(scxcore_sub_detach, struct scx_sub_detach_args *args)
{
	ext_sub_detach(args->ops->sub_cgroup_id);
}

SEC(".struct_ops.link")
struct sched_ext_ops_cid scxcore_ops = {
	SHARED_OPS,
	.select_cid = (void *)scxcore_select_cid,
	.set_cmask  = (void *)scxcore_set_cmask,
	.cid_online = (void *)scxcore_cid_online,
	.cid_offline = (void *)scxcore_cid_offline,
	.cpuctl_init = (void *)scxcore_cgroup_init,
	.cpuctl_exit = (void *)scxcore_cgroup_exit,
	.cpuctl_set_weight = (void *)scxcore_cgroup_set_weight,
	.cpuctl_set_bandwidth = (void *)scxcore_cgroup_set_bandwidth,
	.cpuctl_set_idle = (void *)scxcore_cgroup_set_idle,
	.sub_attach = (void *)scxcore_sub_attach,
	.sub_detach = (void *)scxcore_sub_detach,
};
#else
s32 BPF_STRUCT_OPS(scxcore_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	return do_select_cpu(p, prev_cpu, wake_flags);
}

void BPF_STRUCT_OPS(scxcore_dispatch, s32 cpu, struct task_struct *prev)
{
	do_dispatch(cpu, prev);
}

void BPF_STRUCT_OPS(scxcore_update_idle, s32 cpu, bool idle)
{
	do_update_idle(cpu, idle);
}

void BPF_STRUCT_OPS(scxcore_set_cpumask, struct task_struct *p, const struct cpumask *cpumask)
{
	do_set_cpumask(p);
}

void BPF_STRUCT_OPS(scxcore_cpu_online, s32 cpu)
{
	do_cpu_online(cpu);
}

void BPF_STRUCT_OPS(scxcore_cpu_offline, s32 cpu)
{
	do_cpu_offline(cpu);
}

SEC(".struct_ops.link")
struct sched_ext_ops scxcore_ops = {
	SHARED_OPS,
	.select_cpu = (void *)scxcore_select_cpu,
	.set_cpumask = (void *)scxcore_set_cpumask,
	.cpu_online = (void *)scxcore_cpu_online,
	.cpu_offline = (void *)scxcore_cpu_offline,
	.cgroup_init = (void *)scxcore_cgroup_init,
	.cgroup_exit = (void *)scxcore_cgroup_exit,
	.cgroup_set_weight = (void *)scxcore_cgroup_set_weight,
	.cgroup_set_bandwidth = (void *)scxcore_cgroup_set_bandwidth,
	.cgroup_set_idle = (void *)scxcore_cgroup_set_idle,
};
#endif
