/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel <-> user-space contract of libscxcore: records that cross the
 * ring buffers and the layout of the shared state. Included by the BPF
 * backend (bpf/main.bpf.c) and by the C++ core; every struct is a multiple
 * of 8 bytes with explicit padding, so clang -target bpf and the host
 * compiler agree (checked by static_asserts in cxx/scheduler.cpp and by
 * tests/unit/capi_test.c).
 */
#ifndef SCXCORE_BPF_INTF_H
#define SCXCORE_BPF_INTF_H

#ifndef __bpf__
#include <stdint.h>
typedef uint16_t scx_u16;
typedef uint32_t scx_u32;
typedef int32_t scx_s32;
typedef uint64_t scx_u64;
typedef int64_t scx_s64;
#else
typedef u16 scx_u16;
typedef u32 scx_u32;
typedef s32 scx_s32;
typedef u64 scx_u64;
typedef s64 scx_s64;
#endif

enum scx_intf_consts {
	SCX_INTF_COMM_LEN = 16,
	SCX_INTF_MAX_CPUS = 1024,        /* CPUs the shared idle view covers */
	SCX_INTF_MASK_CPUS = 256,        /* CPUs a queued record's affinity covers */
	/* Cgroups whose CPU settings the "cgroups" map keeps; others are read
	 * from cgroupfs by user space. */
	SCX_INTF_MAX_CGROUPS = 8192,
	/* Affinity generations in .bss, one per slot of pids (pid % SLOTS). */
	SCX_INTF_AFFINITY_SLOTS = 4096,
	/* DSQ that holds every task whose placement user space has not decided yet. */
	SCX_INTF_PARKED_DSQ = 1,
	/* FIFO DSQ shared by all CPUs: SCX_CPU_ANY dispatches, bounces, congestion. */
	SCX_INTF_SHARED_DSQ = 2,
	/* CPU_DSQ_BASE + cpu: FIFO DSQ of the tasks user space placed on that CPU. */
	SCX_INTF_CPU_DSQ_BASE = 0x100,
};

/* queued_task.kind */
enum scx_intf_record_kind {
	SCX_REC_TASK = 1, /* a task wants to run */
	SCX_REC_WAKE = 2, /* nothing to do but wake user space up */
	SCX_REC_PLACED = 3, /* a task placed by the BPF side, for user space to
			     * account for (settings.wake_to_idle_prev,
			     * settings.idle_runs_oldest) */
};

/* queued_task.hints */
#define SCX_INTF_Q_HANDOFF 1 /* woken by a hand-off: the loop runs on its
			      * waker's CPU, about to be free (handoff_cpu) */

/* Kernel -> user (RINGBUF "queued"): a task that wants to run. */
struct scx_intf_queued {
	scx_u16 kind;
	scx_u16 hints;           /* SCX_INTF_Q_* */
	scx_s32 pid;
	scx_s32 cpu;             /* CPU the task last ran on */
	scx_u32 nr_cpus_allowed;
	scx_u64 flags;           /* enqueue flags (SCX_ENQ_WAKEUP, ...) */
	scx_u64 start_ts;        /* last time it started running (ns, CLOCK_MONOTONIC) */
	scx_u64 stop_ts;         /* last time it stopped running */
	scx_u64 exec_runtime;    /* ns it ran since it last became runnable */
	scx_u32 weight;          /* 1..10000, 100 = nice 0 */
	scx_s32 tgid;            /* its process (thread group) */
	scx_u64 vtime;           /* the vtime last set by user space */
	scx_u64 enq_seq;         /* identifies this enqueue; stale dispatches carry an old one */
	scx_u64 enqueue_ts;      /* when the task was parked for user space */
	char comm[SCX_INTF_COMM_LEN];
	/* Its affinity, CPUs 0..255, when nr_cpus_allowed < the number of CPUs
	 * (else all zero: any CPU). */
	scx_u64 cpumask[SCX_INTF_MASK_CPUS / 64];
	/* The generation of the task's slot in .bss affinity_gen when the record
	 * was made: user space trusts cpumask only while it has not moved (no
	 * task of the slot changed its affinity since). */
	scx_u64 affinity_seq;
	scx_u64 cgroup_id;       /* its cgroup v2 (kernfs node id), 0 if not known */
};

#ifndef __bpf__
/* How many records the ring to user space holds at @kb KiB (opts.ring_size_kb):
 * the BPF ring buffer puts an 8-byte header before each. The one count the
 * library, the simulator and the documentation use (1 MiB: about 6,900). */
static inline scx_u64 scx_intf_ring_records(scx_u32 kb)
{
	return (scx_u64)kb * 1024 / (sizeof(struct scx_intf_queued) + 8);
}
#endif

/* User -> kernel (USER_RINGBUF "dispatched"): where and how long to run it. */
struct scx_intf_dispatched {
	scx_s32 pid;
	scx_s32 cpu;             /* a CPU, or -1 = the shared DSQ (first CPU available) */
	scx_u64 flags;           /* SCX_INTF_DSP_* */
	scx_u64 slice_ns;        /* already validated and clamped by user space */
	scx_u64 vtime;
	scx_u64 enq_seq;
};

/* Decisions wait in "dispatched" for the next ops.dispatch on any CPU;
 * scx_notify() has the flush program apply them at once only when at least
 * this many were submitted since the last flush (the library, and the
 * simulator's model of it). */
#define SCX_INTF_FLUSH_BACKLOG 256

enum scx_intf_dispatch_flags {
	SCX_INTF_DSP_PREEMPT = 1,   /* preempt what runs on the target CPU */
	SCX_INTF_DSP_IDLE_HINT = 2, /* user space chose the CPU from the idle view:
				     * claim it now, or pick another idle one */
};

/* scx_select_cpu(): the context of the SYSCALL program that answers it. */
struct scx_intf_select_cpu {
	scx_s32 pid;
	scx_s32 prev_cpu;
	scx_u64 flags;
	scx_s32 cpu;             /* out: the CPU, or -errno */
	scx_s32 pad;
};

/* Counters kept by the backend; user space reads them from the mapped .bss. */
struct scx_intf_stats {
	scx_u64 nr_running;           /* tasks running on a CPU right now */
	scx_u64 nr_queued;            /* records submitted to user space, not yet dequeued */
	scx_u64 nr_user_dispatches;   /* tasks placed as user space asked */
	scx_u64 nr_kernel_dispatches; /* tasks placed by BPF alone (idle CPU, kthreads, own threads) */
	scx_u64 nr_cancel_dispatches; /* stale or duplicate user dispatches dropped */
	scx_u64 nr_bounce_dispatches; /* user dispatches to a CPU the task may not use */
	scx_u64 nr_failed_dispatches; /* user dispatches for a pid that does not exist */
	scx_u64 nr_sched_congested;   /* tasks that found the ring to user space full */
	scx_u64 nr_failsafe_entries;  /* times BPF took over from a late user space */
	scx_u64 nr_failsafe_dispatches; /* tasks BPF served itself while user space was late */
	scx_u64 failsafe_ns;          /* time spent in fail-safe mode */
	scx_u64 nr_wakeups_sent;      /* times BPF woke the user-space scheduler up */
	scx_u64 nr_idle_misses;       /* idle-view CPUs taken before the task got there */
	scx_u64 nr_online_cpus;       /* CPUs online now (ops.cpu_online/offline) */
	scx_u64 nr_hotplug_events;    /* CPUs that went on- or offline since the load */
	scx_u64 nr_hotplug_moves;     /* tasks moved off a CPU that went offline */
	scx_u64 nr_handovers;         /* times another process took the scheduler over */
	scx_u64 nr_handover_requeues; /* undecided tasks queued again to the new owner */
};

/* A cgroup's CPU controller settings as the kernel gave them to ops.cgroup_*
 * (HASH "cgroups", keyed by the cgroup id). */
struct scx_intf_cgroup {
	scx_u64 quota_us;        /* cpu.max quota, ~0 for "max" */
	scx_u64 period_us;       /* cpu.max period */
	scx_u64 burst_us;        /* cpu.max.burst */
	scx_u64 seq;             /* .bss cgroup_seq after this entry's last change */
	scx_u32 weight;          /* cpu.weight, 1..10000 */
	scx_u32 flags;           /* SCX_INTF_CG_* */
};

enum scx_intf_cgroup_flags {
	SCX_INTF_CG_IDLE = 1,       /* cpu.idle is 1 */
	SCX_INTF_CG_HAS_BW = 2,     /* the kernel reports cpu.max (6.17 on): the bw fields are its */
	SCX_INTF_CG_HAS_IDLE = 4,   /* the kernel reports cpu.idle: SCX_INTF_CG_IDLE is its */
};

enum scx_intf_exit_sizes {
	SCX_INTF_EXIT_REASON_LEN = 128,
	SCX_INTF_EXIT_MSG_LEN = 1024,
};

/* Written by ops.exit(); kind is stored last, so kind != 0 means complete. */
struct scx_intf_exit {
	scx_s64 kind;            /* enum scx_exit_kind of the running kernel */
	scx_s64 exit_code;
	scx_u64 dump_len;        /* bytes of debug dump in the "exit_dump" map */
	char reason[SCX_INTF_EXIT_REASON_LEN];
	char msg[SCX_INTF_EXIT_MSG_LEN];
};

/* Settings of the running scheduler (.bss "settings"): written before attach
 * by the process that loads it, and by each one that takes it over. */
struct scx_intf_config {
	scx_u64 slice_dfl_ns;    /* for tasks the BPF side places itself */
	scx_u64 failsafe_ns;     /* 0 disables the fail-safe */
	scx_u32 wake_batch;      /* queued tasks that wake user space when no CPU is idle */
	scx_u32 builtin_idle;    /* a waking task takes an idle CPU at once */
	scx_u32 wake_to_idle_prev; /* ... its previous CPU, and user space is told */
	scx_u32 placed_wake_batch; /* unread PLACED records that wake user space */
	scx_u32 idle_runs_oldest; /* a CPU about to idle runs the oldest parked task it may */
	scx_u32 enq_last;        /* SCX_OPS_ENQ_LAST: a task at its slice's end comes back */
};

/* Who owns the scheduler (.bss "owner"). The owner writes it before attach;
 * then only the take-over program, the heartbeat, and an owner that leaves
 * (left) or lets go (released_epoch) do. */
struct scx_intf_owner {
	scx_s32 tgid;            /* the owning process: its threads never wait for it */
	scx_s32 pid;             /* its thread that runs the scheduling loop */
	scx_s32 next_tgid;       /* non-zero: this process is taking the scheduler over */
	scx_s32 next_pid;
	scx_u64 epoch;           /* 1 at load, +1 at each take-over */
	scx_u64 released_epoch;  /* the owner of this epoch stopped touching the rings */
	scx_u64 linger_ns;       /* how long a scheduler without owner waits for one */
	scx_u64 orphan_since_ns; /* non-zero: the owner left or died at this time */
	scx_u32 pinned;          /* pinned in bpffs: the scheduler outlives its owner */
	scx_u32 left;            /* the owner left on purpose (scx_release) */
};

/* The take-over program's context (scxcore_take_over_syscall). */
enum scx_intf_take_over_op {
	SCX_TAKE_OVER_CLAIM = 1,  /* announce: the owner is asked to let go */
	SCX_TAKE_OVER_COMMIT = 2, /* the owner let go (or died): become the owner */
	SCX_TAKE_OVER_CANCEL = 3, /* give up a claim */
};
struct scx_intf_take_over {
	scx_u32 op;              /* in: SCX_TAKE_OVER_* */
	scx_s32 tgid;            /* in: the new owner */
	scx_s32 pid;             /* in: its scheduling loop's thread */
	scx_s32 result;          /* out: 0, -EBUSY (another process claimed it, or the
				  * epoch moved), -EINVAL (no claim of ours) */
	scx_u64 epoch;           /* in: the epoch the caller saw; out (commit): the new one */
	scx_u64 since_ns;        /* in (commit): requeue tasks parked before this time */
	scx_u64 requeued;        /* out (commit): tasks queued again to the new owner */
	scx_u64 unqueued;        /* out (commit): parked tasks left to the fail-safe (ring full) */
};

/* The one entry of the "meta" map, which a process reads before it takes a
 * running scheduler over; the first two fields never change meaning. */
#define SCX_INTF_META_MAGIC 0x315f6174656d7873ULL /* "sxmeta_1" */
struct scx_intf_meta {
	scx_u64 magic;
	scx_u64 object_id;       /* identifies the BPF object, hence every layout */
	scx_u32 ring_size_kb;    /* the load-time settings a successor inherits */
	scx_u32 timeout_ms;
	scx_u32 exit_dump_len;
	scx_u32 partial;
};

#endif /* SCXCORE_BPF_INTF_H */
