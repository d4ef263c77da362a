/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libscxcore: write a Linux sched_ext scheduler whose policy runs in user space.
 *
 * The library loads its own BPF backend into the kernel (no clang, libbpf or
 * BPF knowledge needed by its user) and moves tasks between the kernel and
 * the program:
 *
 *     struct scx_sched *s;
 *     SCX_OPTS(opts, .name = "myfifo");
 *     if (scx_init(&opts, &s))                 // needs CAP_SYS_ADMIN
 *             return 1;
 *     while (!scx_exited(s)) {
 *             struct scx_queued_task t = SCX_QUEUED_TASK_INIT;
 *             while (scx_dequeue(s, &t) == 1) {
 *                     struct scx_dispatched_task d;
 *                     int cpu = scx_select_cpu(s, t.pid, t.cpu, 0); // an idle CPU...
 *                     scx_dispatched_task_init(&d, &t);   // default slice
 *                     d.cpu = cpu >= 0 ? cpu : SCX_CPU_ANY;  // ...else the first free
 *                     scx_dispatch(s, &d);
 *             }
 *             scx_notify(s, 0);                // sleep until there is work
 *     }
 *     scx_destroy(s);
 *
 * Conventions (as in libbpf):
 *  - Functions returning int return 0 (or a documented non-negative value) on
 *    success and a negative errno on failure; scx_strerror() describes it.
 *    Nothing here throws, aborts or prints unless asked to (opts.debug).
 *  - Every struct passed in or out starts with `size_t sz`, the caller's
 *    sizeof() of it, set by the *_INIT / SCX_OPTS macros. Structs grow by
 *    appending fields, so a program built against an older header passes a
 *    smaller struct: accepted down to the struct's first release, the
 *    fields it lacks taking their defaults (in) or not being written (out);
 *    smaller still is -EINVAL. One built against a newer header passes a
 *    larger struct: in a struct passed in, bytes past what the library knows
 *    must be zero, else -EINVAL; in a struct filled out, they are left
 *    untouched.
 *  - The caller owns every struct it passes. Strings returned as const char *
 *    are owned by the library: static ones live forever, per-handle ones
 *    until scx_destroy().
 *
 * Threads: a handle is used by one thread at a time (the "scheduler thread").
 * scx_stats(), scx_exited() and the topology queries only read shared state
 * and may be called from any thread at any time. The process may run any
 * number of other threads: every thread of the scheduler's process is
 * scheduled by the kernel side directly and never waits for user space.
 * One handle per process can be attached at a time (the kernel runs one
 * sched_ext scheduler).
 */
#ifndef SCX_SCXCORE_H
#define SCX_SCXCORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define SCX_API __attribute__((visibility("default")))
#else
#define SCX_API
#endif

#define SCX_VERSION_MAJOR 0
#define SCX_VERSION_MINOR 7
#define SCX_VERSION_PATCH 0

/* The scheduler handle; opaque. */
struct scx_sched;

/* scx_dispatched_task.cpu: let the first CPU that becomes available run it. */
#define SCX_CPU_ANY (-1)

/* Length of scx_queued_task.comm, including the terminating NUL. */
#define SCX_COMM_LEN 16

/* Defaults used when the corresponding option is 0, and the limits of each
 * option: the one table the library, the simulator and the bindings use. */
#define SCX_SLICE_DEFAULT_NS   5000000ULL      /* 5 ms */
#define SCX_SLICE_MIN_NS       10000ULL        /* shorter slices are raised to this */
#define SCX_SLICE_MAX_NS       1000000000ULL   /* longer slices are cut to this */
#define SCX_TIMEOUT_DEFAULT_MS 5000U           /* kernel watchdog */
#define SCX_TIMEOUT_MAX_MS     30000U          /* the kernel's limit */
#define SCX_FAILSAFE_DEFAULT_MS 100U
#define SCX_IDLE_WAIT_DEFAULT_MS 1000U
#define SCX_IDLE_WAIT_MAX_MS   60000U
#define SCX_RING_DEFAULT_KB    1024U
#define SCX_RING_MIN_KB        16U
#define SCX_RING_MAX_KB        65536U
#define SCX_WAKE_BATCH_DEFAULT 32U
#define SCX_WAKE_BATCH_MAX     4096U
#define SCX_EXIT_DUMP_MAX      (1U << 20)      /* bytes */
#define SCX_LINGER_MAX_MS      600000U         /* 10 minutes */

struct scx_opts {
	size_t sz; /* sizeof(struct scx_opts); use SCX_OPTS() */
	/* Name shown in /sys/kernel/sched_ext/root/ops. ASCII letters, digits,
	 * '_' and '.' (the kernel refuses others), 1 to 63 characters, else -EINVAL.
	 * NULL: "scxcore". Copied. */
	const char *name;
	/* Slice given to tasks dispatched with slice_ns = 0 and to the tasks
	 * the kernel side places itself. 0: SCX_SLICE_DEFAULT_NS. Range
	 * SCX_SLICE_MIN_NS..SCX_SLICE_MAX_NS, else -EINVAL. */
	uint64_t slice_ns;
	/* Kernel watchdog: a task runnable this long without running makes
	 * the kernel eject the scheduler. 0: SCX_TIMEOUT_DEFAULT_MS.
	 * At most 30000 (the kernel's limit), else -EINVAL. */
	uint32_t timeout_ms;
	/* Bytes of the kernel's debug dump to keep when the scheduler exits on
	 * an error (scx_exit_info.dump). 0: none. At most 1 MiB, else -EINVAL. */
	uint32_t exit_dump_len;
	/* Fail-safe: when a task has waited this long for user space, the
	 * kernel side serves waiting tasks itself until user space catches up.
	 * 0: SCX_FAILSAFE_DEFAULT_MS. Must be below timeout_ms, else -EINVAL. */
	uint32_t failsafe_ms;
	/* Longest scx_notify() sleeps when no work comes (lets a loop check
	 * its own flags or print statistics). 0: SCX_IDLE_WAIT_DEFAULT_MS;
	 * at most 60000, else -EINVAL. */
	uint32_t idle_wait_ms;
	/* Size in KiB of each ring between the kernel and user space (a
	 * power of two, 16..65536, else -EINVAL). A task that finds the ring to user space
	 * full is run without asking it (counted as congestion). 0: 1024,
	 * room for about 6,900 waiting tasks (152 bytes each). */
	uint32_t ring_size_kb;
	/* Schedule only tasks that opted in with sched_setscheduler(SCHED_EXT)
	 * (and the scheduler's own threads); all others stay with the fair
	 * class. Default false: every task is scheduled. */
	bool partial;
	/* A waking task that finds an idle CPU (and no task waiting in user
	 * space) runs there at once, without a round trip to user space.
	 * Default false. Counted as kernel dispatches. */
	bool builtin_idle;
	/* Disable the fail-safe (tasks then wait for user space until the
	 * kernel watchdog ejects the scheduler). Default false. */
	bool no_failsafe;
	/* Do not lock the process's memory. By default the library locks
	 * current mappings and future ones as they are touched (mlockall
	 * MCL_CURRENT|MCL_FUTURE|MCL_ONFAULT), so the scheduler never waits
	 * on a page fault; mmap() keeps working. Default false. */
	bool no_lock_memory;
	/* Print libbpf's and the library's diagnostics to stderr. */
	bool debug;
	uint8_t __reserved[3]; /* must be zero */
	/* While no CPU is idle, a sleeping scx_notify() is woken once this
	 * many tasks wait for user space (an idle CPU, or one running dry,
	 * wakes it at once). 1: for every task, for a policy that preempts on
	 * wake-up (shorter waits, more wake-ups); larger batches cost fewer
	 * wake-ups. 0: SCX_WAKE_BATCH_DEFAULT. At most 4096, else -EINVAL. */
	uint32_t wake_batch;
	/* Since 0.2. Take over the running libscxcore scheduler of this name
	 * (one started with linger_ms > 0) instead of loading a new one:
	 * SCX_TAKEOVER_*. See scx_init(3) and "Hand-over" below. */
	uint32_t takeover;
	/* Since 0.2. Let the scheduler outlive this process: it is pinned in
	 * bpffs (/sys/fs/bpf/libscxcore/NAME, root only), and when the process
	 * dies or calls scx_release() the kernel side runs every task itself
	 * for up to linger_ms, waiting for a process to take it over; with none,
	 * it unregisters (the kernel logs "unregistered from BPF"; a later
	 * takeover of this name, with debug, says "owner N gone, no successor
	 * within M ms"). 0 (default): nothing is pinned and
	 * the scheduler ends with the process. At most SCX_LINGER_MAX_MS, else
	 * -EINVAL. A successor's own linger_ms replaces the running one's. */
	uint32_t linger_ms;
	/* Since 0.4. A task whose slice ends while nothing else waits for its
	 * CPU comes back to user space like any other (the kernel's
	 * SCX_OPS_ENQ_LAST), instead of running on with a fresh slice that
	 * user space never hears of (since 0.6 the slice of its last decision
	 * while tasks wait for user space, else the kernel's 20 ms): the
	 * policy decides at every slice end, as one that limits CPU time
	 * (cpu.max) must. The CPU idles for
	 * the round trip. Default false. A load-time setting (see takeover). */
	bool enq_last;
	/* Since 0.5. A waking task whose previous CPU is idle runs there at
	 * once, for the slice user space gave it last (the default slice at
	 * first), and user space is told afterwards: scx_dequeue() reports
	 * it with SCX_TASK_PLACED, to account for, not to answer. The wake-up
	 * costs no round trip through user space, yet the policy sees every
	 * wake-up and no task changes CPU without it (unlike builtin_idle).
	 * Not while tasks wait for user space (they would be overtaken).
	 * Default false. Counted as kernel dispatches. */
	bool wake_to_idle_prev;
	/* Since 0.6. A CPU about to go idle (its task blocked or left, and
	 * nothing was dispatched to it) runs the task that has waited longest
	 * for user space among those allowed on it, for the slice user space
	 * gave that task last, and user space is told afterwards with an
	 * SCX_TASK_PLACED record: no CPU idles through a round trip while a
	 * task it may run waits. The policy still sees every task, but
	 * whenever a CPU runs dry the kernel picks who starts next, oldest
	 * first: a FIFO policy's own order; a policy that holds tasks back on
	 * purpose (bandwidth limits, strict priorities) should leave it off.
	 * A slice's end never triggers it: the task that used up its slice
	 * goes back to the policy. Default false. Counted as kernel
	 * dispatches. */
	bool idle_runs_oldest;
	uint8_t __reserved2[5]; /* must be zero */
	/* Since 0.7. Load as a sub-scheduler that schedules only the tasks of
	 * this cgroup v2 and its descendants (an absolute path, e.g.
	 * "/sys/fs/cgroup/batch"), under the scheduler that serves its
	 * parent, which must host sub-schedulers (a libscxcore one with
	 * host_subs). Put the scheduler's own process in that cgroup. Linux
	 * 7.3+, else -EOPNOTSUPP; no such cgroup: -ENOENT; no scheduler to
	 * attach under: -ENODEV; one that hosts none: -EOPNOTSUPP; a
	 * sub-scheduler on that cgroup already: -EBUSY. Not with takeover,
	 * linger_ms or host_subs (-EINVAL). NULL (default): schedule every
	 * task. Copied. See scx_init(3), "Sub-schedulers". */
	const char *sub_cgroup;
	/* Since 0.7. Let up to 8 sub-schedulers (sub_cgroup) attach below
	 * this scheduler, each scheduling one cgroup's tasks while this one
	 * schedules the rest. Each CPU alternates its turns between this
	 * scheduler and them. Linux 7.3+ (CONFIG_EXT_SUB_SCHED), else
	 * -EOPNOTSUPP. Not with takeover or linger_ms (-EINVAL). Default
	 * false. */
	bool host_subs;
	uint8_t __reserved3[7]; /* must be zero */
};

/* opts.takeover */
#define SCX_TAKEOVER_NEVER     0 /* load a new scheduler (default) */
#define SCX_TAKEOVER_REQUIRED  1 /* take over the running one, or fail (-ENOENT, -ENOEXEC) */
#define SCX_TAKEOVER_OR_LOAD   2 /* take over if one of this name runs, else load */
#define SCX_TAKEOVER_OR_RELOAD 3 /* ... and unload and load again one this library version cannot take over */

#define SCX_OPTS(NAME, ...) \
	struct scx_opts NAME = { .sz = sizeof(struct scx_opts), __VA_ARGS__ }

/* A task that wants to run, as scx_dequeue() reports it. */
struct scx_queued_task {
	size_t sz;                /* sizeof(struct scx_queued_task); SCX_QUEUED_TASK_INIT */
	int32_t pid;              /* thread id */
	int32_t cpu;              /* CPU it last ran on */
	uint32_t nr_cpus_allowed; /* size of its affinity mask */
	uint32_t weight;          /* 1..10000; 100 = nice 0 */
	uint64_t flags;           /* SCX_TASK_* */
	uint64_t start_ts;        /* ns (CLOCK_MONOTONIC) it last started running */
	uint64_t stop_ts;         /* ns it last stopped running */
	uint64_t exec_runtime;    /* ns it ran since it last woke up */
	uint64_t vtime;           /* the vtime user space last gave it (0 at first) */
	uint64_t enqueue_ts;      /* ns it started waiting for user space */
	uint64_t token;           /* this task's wait number: pass it back unchanged in
				   * scx_dispatched_task (not unique across tasks) */
	char comm[SCX_COMM_LEN];  /* NUL-terminated */
	/* Since 0.3. */
	uint64_t cgroup_id;       /* its cgroup v2: the inode number of its directory
				   * under /sys/fs/cgroup (stat -c %i); SCX_CGROUP_UNKNOWN
				   * if the kernel side could not read it */
	int32_t tgid;             /* its process: the thread group id (getpid() in it) */
};

#define SCX_QUEUED_TASK_INIT { .sz = sizeof(struct scx_queued_task) }

/* scx_queued_task.cgroup_id when not known (no cgroup v2 id is 0). */
#define SCX_CGROUP_UNKNOWN 0ULL

/* scx_queued_task.flags */
#define SCX_TASK_WAKEUP (1ULL << 0) /* it just woke up (else it was preempted, used up its slice or yielded) */
/* Since 0.5 (opts.wake_to_idle_prev; since 0.6 also opts.idle_runs_oldest).
 * It already runs on .cpu: its previous CPU, which was idle when it woke
 * (wake_to_idle_prev), or a CPU that ran dry while it waited for user space
 * (idle_runs_oldest: its wait was reported before, wake-up included, and
 * this record has no SCX_TASK_WAKEUP). A record to account for (its vtime,
 * its runtime), not to answer. A scx_dispatch() for it is cancelled, as for
 * any task no longer waiting. Such records alone do not wake a sleeping
 * scx_notify(): they are read with the next tasks, or once
 * SCX_WAKE_BATCH_DEFAULT of them (or opts.wake_batch, if larger) are
 * unread. */
#define SCX_TASK_PLACED (1ULL << 1)

/* Where and how long to run a task, for scx_dispatch(). */
struct scx_dispatched_task {
	size_t sz;         /* sizeof(struct scx_dispatched_task) */
	int32_t pid;
	int32_t cpu;       /* a CPU the task may use, or SCX_CPU_ANY */
	uint64_t flags;    /* SCX_DISPATCH_* */
	uint64_t slice_ns; /* 0: the default slice; clamped to SCX_SLICE_MIN_NS..MAX_NS */
	uint64_t vtime;    /* stored with the task, reported back by scx_dequeue() */
	uint64_t token;    /* scx_queued_task.token of the wait this answers */
};

/* scx_dispatched_task.flags */
#define SCX_DISPATCH_PREEMPT (1ULL << 0) /* preempt what runs on .cpu now */

/* Fill @d to run @t on its previous CPU with the default slice, keeping its
 * vtime; @t NULL: an empty decision (pid 0, invalid until set). Inline, so
 * that it uses the caller's struct size. A policy that leaves every task on
 * its previous CPU never migrates one: set .cpu from scx_select_cpu(), or
 * SCX_CPU_ANY. */
static inline void scx_dispatched_task_init(struct scx_dispatched_task *d,
					    const struct scx_queued_task *t)
{
	d->sz = sizeof(*d);
	d->pid = t ? t->pid : 0;
	d->cpu = t ? t->cpu : SCX_CPU_ANY;
	d->flags = 0;
	d->slice_ns = 0;
	d->vtime = t ? t->vtime : 0;
	d->token = t ? t->token : 0;
}

/*
 * Load and attach the scheduler. @opts may be NULL (all defaults). On
 * success *@out is a new handle, owned by the caller (scx_destroy()).
 * Returns 0, or:
 *   -EINVAL  bad option, unknown non-zero option bytes or NULL @out (with
 *            opts.debug, stderr names the field and the rule);
 *   -E2BIG   the kernel's verifier refused the BPF side as too complex;
 *   -EPROTO  the library cannot share memory with its BPF side (libbpf);
 *   -EPERM   not privileged (CAP_SYS_ADMIN / CAP_BPF + CAP_PERFMON);
 *   -EOPNOTSUPP  the kernel has no sched_ext or BTF, or libbpf is older than 1.4;
 *   -EBUSY   another sched_ext scheduler is loaded; with opts.takeover,
 *            another process is taking it over, or its owner did not let
 *            go within 5 s (stopped?);
 *   -ENOENT  opts.takeover REQUIRED: no libscxcore scheduler of this name
 *            is pinned (it was not started with linger_ms, or bpffs is not
 *            mounted at /sys/fs/bpf);
 *   -ENOEXEC opts.takeover: the running scheduler's BPF side or records
 *            differ from this library's (another version): not touched;
 *   other -errno from the BPF loader (details with opts.debug).
 * Hand-over: with opts.takeover, the new process becomes the owner of the
 * running scheduler without sched_ext ever being disabled. The previous
 * owner is asked to let go: its next call (or scx_shutdown()) stops using
 * the rings, and scx_exited() turns true with kind SCX_EXIT_HANDED_OVER.
 * Tasks it had dequeued and not dispatched are queued again to the new
 * owner; its queued decisions are applied first. Load-time settings
 * (ring_size_kb, timeout_ms, exit_dump_len, partial, enq_last) stay the running
 * scheduler's; the others are the new owner's. Needs the privileges of a
 * load (CAP_SYS_ADMIN, or CAP_BPF + CAP_PERFMON): -EPERM otherwise.
 * Call from the thread that will run the scheduling loop: the kernel side
 * gives that thread (by thread id) priority over every task, so it must be
 * the one calling scx_dequeue()/scx_notify() (Go: runtime.LockOSThread()).
 */
SCX_API int scx_init(const struct scx_opts *opts, struct scx_sched **out);

/*
 * Take the next task that wants to run. Never blocks.
 * Returns 1 and fills @out (up to out->sz bytes), 0 when no task is waiting,
 * -EINVAL for NULL or a too-small @out, -ENODEV once the scheduler has exited.
 */
SCX_API int scx_dequeue(struct scx_sched *s, struct scx_queued_task *out);

/*
 * Run a dequeued task: on @d->cpu (SCX_CPU_ANY: the first CPU available)
 * for @d->slice_ns. Returns 0 when the decision was queued to the kernel;
 * the kernel side applies it later and counts what it cannot apply
 * (scx_stats: a CPU outside the task's affinity is "bounced" to any CPU it
 * may use; a task that is gone or already dispatched is "cancelled"; an
 * unknown pid "failed") — the task is never lost or run twice.
 * Errors (nothing is queued; -EINVAL counts as an invalid dispatch):
 *   -EINVAL  NULL, too-small @d, pid <= 0, cpu < SCX_CPU_ANY or >= scx_nr_cpus(),
 *            unknown flags, SCX_DISPATCH_PREEMPT with SCX_CPU_ANY, non-zero
 *            bytes past the fields this library knows;
 *   -EAGAIN  the ring to the kernel stayed full for 100 ms (retry after
 *            scx_notify());  -ENODEV  the scheduler has exited.
 */
SCX_API int scx_dispatch(struct scx_sched *s, const struct scx_dispatched_task *d);

/* scx_select_cpu() flags */
#define SCX_SELECT_IDLE_CORE (1ULL << 0) /* only a CPU whose SMT siblings are idle too */

/*
 * Find and claim an idle CPU that task @pid may use, preferring @prev_cpu
 * (-1: no preference), then its SMT siblings, its LLC, its NUMA node, then
 * any. A dequeued task's affinity comes with it, so a task that exited since
 * may still get a CPU (its dispatch then counts as failed). On the thread
 * that called scx_init(), the loop's own CPU (free once it sleeps) may be
 * returned for the last task of a round, and first of all for a task woken
 * by a hand-off (a synchronous wake-up; scx_select_cpu(3)).
 * Returns the CPU (claimed: the next scx_select_cpu() will not return it
 * while it stays idle); -EBUSY when none of the CPUs this task may use is
 * idle right now — not an error: dispatch the task to SCX_CPU_ANY (the first
 * CPU to free up) or hold it; -ESRCH when the task is gone (it exited: drop
 * it); -EINVAL for bad arguments; -ENODEV once the scheduler has exited.
 */
SCX_API int scx_select_cpu(struct scx_sched *s, int32_t pid, int32_t prev_cpu, uint64_t flags);

/*
 * Since 0.5. Whether task @pid may run on @cpu: its affinity as its last
 * dequeue reported it (no system call), or the kernel's when it may have
 * changed since. A policy that holds tasks needs it to give a CPU that
 * frees up to a task bound to some CPUs (nr_cpus_allowed below the number
 * of CPUs).
 * Returns 1 if it may, 0 if not; -ESRCH when the kernel does not know the
 * task (one that exited since its last dequeue may still be answered from
 * that record, as scx_select_cpu() does); -EINVAL for
 * bad arguments (@cpu outside 0..scx_nr_cpus()-1); -ENODEV once the
 * scheduler has exited. Same thread as scx_select_cpu().
 */
SCX_API int scx_task_allows_cpu(struct scx_sched *s, int32_t pid, int32_t cpu);

/*
 * Tell the kernel side that user space still holds @nr_pending dequeued
 * tasks it has not dispatched yet, and sleep until there is work: a new task
 * (see opts.wake_batch), a CPU going idle while @nr_pending > 0, the
 * scheduler exiting, a signal, or opts.idle_wait_ms. Also tells the
 * fail-safe that user space is alive. Decisions from scx_dispatch() are in
 * the kernel's hands already: the next CPU that looks for work applies them
 * (this call applies them itself only when hundreds wait).
 * Returns 1 when it slept (waited in the kernel, until woken or
 * opts.idle_wait_ms: the thread's CPU was free to run other tasks
 * meanwhile), 0 when it returned at once because tasks were
 * already waiting, -EINTR when a signal interrupted the sleep, -ENODEV once
 * the scheduler has exited, -EINVAL for a NULL handle.
 */
SCX_API int scx_notify(struct scx_sched *s, uint64_t nr_pending);

/* Counters since scx_init(); a snapshot, consistent per field. */
struct scx_stats {
	size_t sz;                     /* sizeof(struct scx_stats) */
	uint64_t nr_online_cpus;       /* now: follows CPU hotplug */
	uint64_t nr_running;           /* tasks on a CPU right now */
	uint64_t nr_queued;            /* waiting in the ring for scx_dequeue() */
	uint64_t nr_scheduled;         /* held by user space (last scx_notify()) */
	uint64_t nr_user_dispatches;   /* placed by a decision of user space (also
					* those bounced or moved after an idle miss) */
	uint64_t nr_kernel_dispatches; /* placed by the kernel side alone */
	uint64_t nr_cancel_dispatches; /* decisions for a task gone or already placed */
	uint64_t nr_bounce_dispatches; /* decisions naming a CPU the task may not use */
	uint64_t nr_failed_dispatches; /* decisions for a pid that does not exist */
	uint64_t nr_invalid_dispatches;/* rejected by scx_dispatch() itself */
	uint64_t nr_slice_clamped;     /* slices raised or cut to the allowed range */
	uint64_t nr_sched_congested;   /* tasks that found the ring to user space full */
	uint64_t nr_failsafe_entries;  /* times the fail-safe took over */
	uint64_t nr_failsafe_dispatches; /* tasks the fail-safe served */
	uint64_t failsafe_ns;          /* time spent in fail-safe */
	uint64_t nr_idle_misses;       /* CPUs from scx_select_cpu() taken before the
					* task got there (it went to another one) */
	uint64_t nr_hotplug_events;    /* CPUs that went on- or offline (handled live) */
	uint64_t nr_hotplug_moves;     /* tasks moved off a CPU that went offline */
	/* Since 0.2. */
	uint64_t nr_handovers;         /* times another process took it over (opts.takeover) */
	uint64_t nr_requeued;          /* undecided tasks queued again to a new owner */
};

#define SCX_STATS_INIT { .sz = sizeof(struct scx_stats) }

/* Fill @out. Any thread. Returns 0 or -EINVAL. Works after exit too. */
SCX_API int scx_stats(const struct scx_sched *s, struct scx_stats *out);

/* True once the kernel has stopped the scheduler (error, watchdog, sysrq,
 * scx_shutdown()), or this handle no longer owns it (another process is
 * taking it over, scx_release()). CPU hotplug does not stop it: the kernel side moves the
 * tasks of a CPU going offline and follows it coming back. Any thread.
 * NULL: true. */
SCX_API bool scx_exited(const struct scx_sched *s);

/* Exit kinds (the kernel's values). */
#define SCX_EXIT_NONE        0
#define SCX_EXIT_DONE        1
#define SCX_EXIT_UNREG       64   /* unregistered from user space */
#define SCX_EXIT_UNREG_BPF   65
#define SCX_EXIT_UNREG_KERN  66
#define SCX_EXIT_SYSRQ       67
#define SCX_EXIT_ERROR       1024
#define SCX_EXIT_ERROR_BPF   1025
#define SCX_EXIT_ERROR_STALL 1026 /* a task waited longer than the watchdog */
/* The library's own kinds, for a handle whose scheduler runs on without it: */
#define SCX_EXIT_HANDED_OVER 0x10000 /* another process took it over (opts.takeover) */
#define SCX_EXIT_RELEASED    0x10001 /* scx_release(): left to the kernel side */

struct scx_exit_info {
	size_t sz;              /* sizeof(struct scx_exit_info) */
	int64_t kind;           /* SCX_EXIT_* */
	int64_t exit_code;
	bool should_restart;    /* the kernel asks to load again */
	char reason[128];       /* e.g. "unregistered from user space" */
	char msg[1024];         /* details, e.g. which task stalled */
	const char *dump;       /* debug dump ("" if none); owned by the handle */
};

#define SCX_EXIT_INFO_INIT { .sz = sizeof(struct scx_exit_info) }

/*
 * Detach the scheduler if it still runs and this handle owns it (tasks go
 * back to the fair class; pins in bpffs are removed) and fill @out (may be NULL) with why it stopped. Idempotent. If the kernel
 * has not reported the exit within about a second, kind is SCX_EXIT_NONE.
 * Returns 0, or -EINVAL for a NULL handle or a too-small @out.
 */
SCX_API int scx_shutdown(struct scx_sched *s, struct scx_exit_info *out);

/*
 * Since 0.2. Leave the scheduler running without this process (started
 * with opts.linger_ms > 0): the kernel side runs every task itself for up
 * to linger_ms, waiting for a process that takes it over (opts.takeover),
 * then unregisters. The handle stops using the scheduler: scx_exited() is
 * true, kind SCX_EXIT_RELEASED; scx_shutdown() and scx_destroy() then free
 * it without unloading. Call from the scheduling loop's thread.
 * Returns 0; -EINVAL for NULL or a scheduler without linger_ms (nothing
 * would keep it); -ENODEV once it has exited or was handed over;
 * -EOPNOTSUPP in the simulator.
 */
SCX_API int scx_release(struct scx_sched *s);

/* Shut down and free everything. NULL is a no-op. Unless opts.no_lock_memory
 * was set, this also unlocks the process's memory (munlockall(), which
 * includes what the program locked itself): destroy a handle before loading
 * the next one. */
SCX_API void scx_destroy(struct scx_sched *s);

/* A static description of an SCX_EXIT_* kind ("unknown" otherwise). */
SCX_API const char *scx_exit_kind_str(int64_t kind);

/* Topology, read from sysfs at scx_init() (online: now); any thread. */
SCX_API int scx_nr_cpus(const struct scx_sched *s); /* possible CPU ids, or -EINVAL */

struct scx_cpu_info {
	size_t sz;
	int32_t cpu;
	int32_t core_id;  /* CPUs with the same core_id are SMT siblings */
	int32_t llc_id;   /* ... share their last-level cache */
	int32_t node;     /* NUMA node */
	bool online;      /* now, as the kernel side follows CPU hotplug */
};

#define SCX_CPU_INFO_INIT { .sz = sizeof(struct scx_cpu_info) }

/* Fill @out for @cpu. Returns 0, -EINVAL for a bad cpu or struct. */
SCX_API int scx_cpu_info(const struct scx_sched *s, int32_t cpu, struct scx_cpu_info *out);

enum scx_topo_level {
	SCX_TOPO_SMT = 0,  /* same core */
	SCX_TOPO_LLC = 1,  /* same last-level cache */
	SCX_TOPO_NODE = 2, /* same NUMA node */
};

/* Write up to @n CPUs that share @level with @cpu (itself included) to @cpus.
 * Returns how many there are (may exceed @n), or -EINVAL. */
SCX_API int scx_cpu_siblings(const struct scx_sched *s, int32_t cpu,
			     enum scx_topo_level level, int32_t *cpus, size_t n);

/*
 * Since 0.4. Cgroups: the CPU controller settings of the cgroup v2 a task
 * belongs to (scx_queued_task.cgroup_id), for policies that share CPU time
 * by cgroup. The kernel side keeps them as the kernel reports changes to
 * sched_ext (kernels with CONFIG_EXT_GROUP_SCHED: cpu.weight from 6.16,
 * cpu.max and cpu.max.burst from 6.17, cpu.idle from 6.19). What this
 * kernel does not report is read from cgroupfs at each call and flagged
 * SCX_CGROUP_READ_*: such a field is only as current as the call.
 */
struct scx_cgroup_info {
	size_t sz;            /* sizeof(struct scx_cgroup_info); SCX_CGROUP_INFO_INIT */
	uint64_t id;          /* the cgroup asked for */
	uint64_t quota_us;    /* cpu.max: CPU time per period (summed over CPUs),
			       * SCX_CGROUP_NO_QUOTA for "max" (the default) */
	uint64_t period_us;   /* cpu.max: the period (100000 by default) */
	uint64_t burst_us;    /* cpu.max.burst: unused quota a period may carry over */
	uint64_t generation;  /* scx_cgroup_generation() right after the kernel side
			       * last saw these settings change; 0 if not tracked */
	uint32_t weight;      /* cpu.weight, 1..10000; 100 by default */
	uint32_t flags;       /* SCX_CGROUP_* */
};

#define SCX_CGROUP_INFO_INIT { .sz = sizeof(struct scx_cgroup_info) }

/* scx_cgroup_info.quota_us of a cgroup without a limit ("max"). */
#define SCX_CGROUP_NO_QUOTA UINT64_MAX

/* scx_cgroup_info.flags */
#define SCX_CGROUP_IDLE        (1U << 0) /* cpu.idle is 1 */
#define SCX_CGROUP_READ_WEIGHT (1U << 1) /* weight read from cgroupfs now (not tracked) */
#define SCX_CGROUP_READ_MAX    (1U << 2) /* quota_us, period_us, burst_us read from cgroupfs now */
#define SCX_CGROUP_READ_IDLE   (1U << 3) /* SCX_CGROUP_IDLE read from cgroupfs now */

/*
 * Fill @out with the settings of cgroup @cgroup_id (a cgroup v2 id, as in
 * scx_queued_task.cgroup_id). Any thread. One system call when every field
 * is tracked (a map lookup); a few more per field read from cgroupfs. A
 * cgroup without the cpu controller enabled has the defaults.
 * Returns 0; -ENOENT when no such cgroup exists (it was removed);
 * -EINVAL for NULL, a too-small @out or SCX_CGROUP_UNKNOWN; -ENODEV once
 * the scheduler has exited; another -errno
 * when cgroupfs could not be read (cgroup v2 not mounted: -ENOENT).
 */
SCX_API int scx_cgroup_info(const struct scx_sched *s, uint64_t cgroup_id, struct scx_cgroup_info *out);

/*
 * Since 0.4. A counter the kernel side bumps whenever a cgroup is created
 * or removed, or its tracked settings change; a policy that caches
 * scx_cgroup_info() re-reads a cgroup only when this moved past the
 * cached generation (a memory read, no system call). Any thread. 0 for a
 * NULL handle and on kernels without CONFIG_EXT_GROUP_SCHED; the
 * simulator's cgroups never change (1).
 */
SCX_API uint64_t scx_cgroup_generation(const struct scx_sched *s);

/* "MAJOR.MINOR.PATCH" of the loaded library; static. */
SCX_API const char *scx_version(void);

/* A static description of errno @err (negative or positive) as this library
 * uses it; never NULL. */
SCX_API const char *scx_strerror(int err);

#ifdef __cplusplus
}
#endif

#endif /* SCX_SCXCORE_H */
