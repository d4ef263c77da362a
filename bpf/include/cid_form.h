/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The two forms of the scheduler's struct_ops. cpu-form (struct
 * sched_ext_ops, every kernel) names CPUs by number and lends the kernel's
 * idle tracking. cid-form (struct sched_ext_ops_cid, 7.3+; built with
 * SCXCORE_CID_FORM) is what sub-schedulers need: the kernel names CPUs by
 * cid, forbids the cpu-form kfuncs (scx_kfunc_ids_cpu_only: kicks, task CPU,
 * idle masks and picks, select_cpu_dfl), rejects direct writes of a task's
 * slice and requires a BPF arena. The backend keeps CPU numbers everywhere
 * (user space's, DSQ ids, the views) and crosses to cids only here.
 */
#ifndef SCXCORE_CID_FORM_H
#define SCXCORE_CID_FORM_H

/* Included after intf.h (SCX_INTF_MAX_CPUS) and scx_kfuncs.h. */


#ifdef SCXCORE_CID_FORM

s32 scx_bpf_cpu_to_cid(s32 cpu) __ksym __weak;
s32 scx_bpf_cid_to_cpu(s32 cid) __ksym __weak;
s32 scx_bpf_task_cid(const struct task_struct *p) __ksym __weak;
void scx_bpf_kick_cid(s32 cid, u64 flags) __ksym __weak;
bool scx_bpf_task_set_slice(struct task_struct *p, u64 slice) __ksym __weak;

/* The kernel's cid-form check wants one arena map in the scheduler's
 * programs; the kernel keeps its cid masks there (allocated on demand,
 * four pages at a time), we nothing. The size is an upper bound in pages. */
struct {
	__uint(type, BPF_MAP_TYPE_ARENA);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 1024);
	__ulong(map_extra, 1ULL << 44); /* where user space maps it, fixed */
} arena SEC(".maps");

#define ARENA_TOUCH() asm volatile("" ::"r"(&arena))

/* The cid <-> CPU mapping, fixed while the scheduler is loaded (cached at
 * ops.init: an invalid id passed to the kfuncs is a scheduler error); -1
 * past nr_cpu_ids, so that a lookup needs no kfunc. */
s16 cid_of_cpu[SCX_INTF_MAX_CPUS];
s16 cpu_of_cid[SCX_INTF_MAX_CPUS];

/* Which CPUs idle, as ops.update_idle() reports: claimed with an atomic
 * clear, like the kernel's own mask in cpu form. */
u64 kernel_idle[SCX_INTF_MAX_CPUS / 64];

static __always_inline s32 cid_of(s32 cpu)
{
	return (u32)cpu < SCX_INTF_MAX_CPUS ? cid_of_cpu[cpu] : -1;
}

static __always_inline s32 cpu_of(s32 cid)
{
	return (u32)cid < SCX_INTF_MAX_CPUS ? cpu_of_cid[cid] : -1;
}

/* At ops.init, before anything converts. */
static __always_inline void ext_init_ids(void)
{
	u32 nr = scx_bpf_nr_cpu_ids();
	s32 cpu, cid;

	ARENA_TOUCH();
	bpf_for(cpu, 0, SCX_INTF_MAX_CPUS) {
		cid_of_cpu[cpu] = -1;
		cpu_of_cid[cpu] = -1;
	}
	bpf_for(cpu, 0, SCX_INTF_MAX_CPUS) {
		if ((u32)cpu >= nr)
			break;
		cid = scx_bpf_cpu_to_cid(cpu);
		if (cid < 0 || cid >= SCX_INTF_MAX_CPUS || (u32)cid >= nr)
			continue;
		cid_of_cpu[cpu] = cid;
		cpu_of_cid[cid] = cpu;
	}
}

static __always_inline void ext_kick_cpu(s32 cpu, u64 flags)
{
	s32 cid = cid_of(cpu);

	if (cid >= 0)
		scx_bpf_kick_cid(cid, flags);
}

static __always_inline s32 ext_task_cpu(const struct task_struct *p)
{
	return cpu_of(scx_bpf_task_cid(p));
}

static __always_inline void ext_set_slice(struct task_struct *p, u64 slice)
{
	scx_bpf_task_set_slice(p, slice);
}

static __always_inline void ext_note_idle(s32 cpu, bool idle)
{
	u32 c = cpu;

	if (c >= SCX_INTF_MAX_CPUS)
		return;
	if (idle)
		__sync_fetch_and_or(&kernel_idle[c / 64], 1ULL << (c & 63));
	else
		__sync_fetch_and_and(&kernel_idle[c / 64], ~(1ULL << (c & 63)));
}

static __always_inline bool ext_cpu_idle(s32 cpu)
{
	u32 c = cpu;

	return c < SCX_INTF_MAX_CPUS && (kernel_idle[c / 64] & (1ULL << (c & 63)));
}

static __always_inline bool ext_test_and_clear_idle(s32 cpu)
{
	u32 c = cpu;
	u64 bit = 1ULL << (c & 63);

	if (c >= SCX_INTF_MAX_CPUS || !(kernel_idle[c / 64] & bit))
		return false;
	return __sync_fetch_and_and(&kernel_idle[c / 64], ~bit) & bit;
}

/* An idle CPU @p may use, claimed; -1 if none. */
static s32 ext_pick_idle_cpu(const struct task_struct *p)
{
	u32 i, words = (scx_bpf_nr_cpu_ids() + 63) / 64;

	bpf_for(i, 0, SCX_INTF_MAX_CPUS / 64) {
		u64 w;
		int b;

		if (i >= words)
			break;
		w = kernel_idle[i];
		bpf_for(b, 0, 64) {
			s32 cpu;

			if (!w)
				break;
			cpu = i * 64 + __builtin_ctzll(w);
			w &= w - 1;
			if (bpf_cpumask_test_cpu(cpu, p->cpus_ptr) && ext_test_and_clear_idle(cpu))
				return cpu;
		}
	}
	return -1;
}

/* An idle CPU near @prev_cpu, claimed: @prev_cpu if idle, else any; -1 if
 * none (@flags: the cpu form's pick flags, unused here). */
static __always_inline s32 ext_pick_idle_near(struct task_struct *p, s32 prev_cpu, u64 flags)
{
	if (prev_cpu >= 0 && bpf_cpumask_test_cpu(prev_cpu, p->cpus_ptr) && ext_test_and_clear_idle(prev_cpu))
		return prev_cpu;
	return ext_pick_idle_cpu(p);
}

/* What scx_bpf_select_cpu_dfl() gives in cpu form, simpler: an idle CPU
 * near @prev_cpu, else @prev_cpu (*is_idle false). */
static __always_inline s32 ext_select_cpu_dfl(struct task_struct *p, s32 prev_cpu, u64 wake_flags,
					      bool *is_idle)
{
	s32 cpu = ext_pick_idle_near(p, prev_cpu, 0);

	*is_idle = cpu >= 0;
	return cpu >= 0 ? cpu : prev_cpu;
}

u32 scx_bpf_nr_online_cids(void) __ksym __weak;

/* With the kernel's own cid layout, the online CPUs are cids
 * [0, nr_online_cids) (and a hotplug restarts the scheduler). */
static __always_inline bool ext_online_at_init(s32 cpu)
{
	s32 cid = cid_of(cpu);

	return cid >= 0 && (u32)cid < scx_bpf_nr_online_cids();
}

/* No idle state to start from: every CPU counts as idle until it reports
 * otherwise (a wrong guess costs one placement on a busy CPU). */
static __always_inline bool ext_idle_at_init(s32 cpu)
{
	ext_note_idle(cpu, true);
	return true;
}

/*
 * Sub-schedulers (ops.sub_attach): each child gets every cap on every cid,
 * and each CPU's ops.dispatch offers its turns alternately to this
 * scheduler and to the children in turn (scx_bpf_sub_dispatch runs the
 * child's ops.dispatch here). A child's tasks are the child's alone: it
 * queues them itself and this side never sees them.
 */
#define __arena __attribute__((address_space(1)))
#define MAX_SUBS 8
#define CAPS_ALL (SCX_CAP_ENQ_IMMED | SCX_CAP_ENQ | SCX_CAP_PREEMPT)

bool scx_bpf_sub_dispatch(u64 cgroup_id) __ksym __weak;
s32 scx_bpf_sub_grant(u64 cgroup_id, u64 caps, const struct scx_cmask __arena *cmask,
		      struct scx_cmask __arena *denied) __ksym __weak;

/* Every cid, as the kernel's cmask layout has it: a header, then one bit
 * per cid from cid 0, one spare word. Filled at ops.init. */
struct all_cids {
	u32 base, nr_cids, alloc_words, pad;
	u64 bits[SCX_INTF_MAX_CPUS / 64 + 1];
};
struct all_cids __arena all_cids;

u64 sub_cgroups[MAX_SUBS];        /* the children's cgroup ids, 0: free slot */
u32 sub_grant_pending[MAX_SUBS];  /* attached, caps not granted yet */
u64 nr_sub_dispatches;            /* turns a child used */
u8 sub_turn[SCX_INTF_MAX_CPUS];   /* per CPU: whose turn it is, 0 = ours */
u8 sub_next[SCX_INTF_MAX_CPUS];   /* per CPU: the child slot to offer first */

static __always_inline void ext_init_sub(void)
{
	u32 nr = scx_bpf_nr_cpu_ids(), w;

	if (nr > SCX_INTF_MAX_CPUS)
		nr = SCX_INTF_MAX_CPUS;
	all_cids.base = 0;
	all_cids.nr_cids = nr;
	all_cids.alloc_words = SCX_INTF_MAX_CPUS / 64 + 1;
	bpf_for(w, 0, SCX_INTF_MAX_CPUS / 64) {
		if (w * 64 >= nr)
			break;
		all_cids.bits[w] = nr - w * 64 >= 64 ? ~0ULL : (1ULL << (nr - w * 64)) - 1;
	}
}

/* Grants are given from ops.dispatch: during ops.sub_attach the child is
 * not findable yet. */
static __always_inline void grant_pending(void)
{
	u32 i;

	bpf_for(i, 0, MAX_SUBS) {
		u64 cg = sub_cgroups[i];

		if (!cg || !sub_grant_pending[i] || !__sync_bool_compare_and_swap(&sub_grant_pending[i], 1, 0))
			continue;
		if (scx_bpf_sub_grant(cg, CAPS_ALL, (const struct scx_cmask __arena *)&all_cids, NULL))
			sub_grant_pending[i] = 1; /* try again at the next dispatch */
	}
}

/* Offer this CPU to the children, starting after the last one served here;
 * true if one dispatched. */
static __always_inline bool offer_to_subs(s32 cpu)
{
	u32 i, c = cpu, start;

	if (c >= SCX_INTF_MAX_CPUS)
		return false;
	start = sub_next[c];
	bpf_for(i, 0, MAX_SUBS) {
		u32 slot = (start + i) % MAX_SUBS;
		u64 cg = sub_cgroups[slot];

		if (!cg || sub_grant_pending[slot])
			continue;
		if (scx_bpf_sub_dispatch(cg)) {
			sub_next[c] = slot + 1; /* the one after, next time */
			sub_turn[c] = 0;        /* and ours first */
			__sync_fetch_and_add(&nr_sub_dispatches, 1);
			return true;
		}
	}
	return false;
}

/* At the top of ops.dispatch: a child's turn on this CPU. */
static __always_inline bool ext_sub_turn(s32 cpu)
{
	u32 c = cpu;

	grant_pending();
	if (c >= SCX_INTF_MAX_CPUS)
		return false;
	if (!sub_turn[c]) {
		sub_turn[c] = 1; /* a child's turn next time */
		return false;
	}
	sub_turn[c] = 0;
	return offer_to_subs(cpu);
}

/* At the end of ops.dispatch: if this scheduler put nothing on @cpu, any
 * child may use it. */
static __always_inline bool ext_sub_idle_turn(s32 cpu)
{
	return !scx_bpf_dsq_nr_queued(SCX_DSQ_LOCAL) && offer_to_subs(cpu);
}

static __always_inline s32 ext_sub_attach(u64 cgroup_id)
{
	u32 i;

	bpf_for(i, 0, MAX_SUBS) {
		if (__sync_bool_compare_and_swap(&sub_cgroups[i], 0, cgroup_id)) {
			sub_grant_pending[i] = 1;
			return 0;
		}
	}
	return -16; /* -EBUSY: no free slot */
}

static __always_inline void ext_sub_detach(u64 cgroup_id)
{
	u32 i;

	bpf_for(i, 0, MAX_SUBS) {
		if (sub_cgroups[i] == cgroup_id) {
			sub_grant_pending[i] = 0;
			sub_cgroups[i] = 0;
		}
	}
}

#else /* cpu form */

static __always_inline void ext_init_sub(void) {}
static __always_inline bool ext_sub_turn(s32 cpu) { return false; }
static __always_inline bool ext_sub_idle_turn(s32 cpu) { return false; }

#define ARENA_TOUCH() do { } while (0)

static __always_inline void ext_init_ids(void) {}
static __always_inline void ext_kick_cpu(s32 cpu, u64 flags) { scx_bpf_kick_cpu(cpu, flags); }
static __always_inline s32 ext_task_cpu(const struct task_struct *p) { return scx_bpf_task_cpu(p); }
static __always_inline void ext_set_slice(struct task_struct *p, u64 slice) { p->scx.slice = slice; }
static __always_inline void ext_note_idle(s32 cpu, bool idle) {}

static __always_inline bool ext_cpu_idle(s32 cpu)
{
	const struct cpumask *idle = scx_bpf_get_idle_cpumask();
	bool ret = bpf_cpumask_test_cpu(cpu, idle);

	scx_bpf_put_idle_cpumask(idle);
	return ret;
}

static __always_inline bool ext_test_and_clear_idle(s32 cpu) { return scx_bpf_test_and_clear_cpu_idle(cpu); }

static __always_inline s32 ext_pick_idle_cpu(const struct task_struct *p)
{
	return scx_bpf_pick_idle_cpu(p->cpus_ptr, 0);
}

static __always_inline s32 ext_select_cpu_dfl(struct task_struct *p, s32 prev_cpu, u64 wake_flags,
					      bool *is_idle)
{
	return scx_bpf_select_cpu_dfl(p, prev_cpu, wake_flags, is_idle);
}

static __always_inline s32 ext_pick_idle_near(struct task_struct *p, s32 prev_cpu, u64 flags)
{
	return compat_pick_idle_cpu(p, prev_cpu, flags);
}

static __always_inline bool ext_online_at_init(s32 cpu)
{
	const struct cpumask *online = scx_bpf_get_online_cpumask();
	bool ret = bpf_cpumask_test_cpu(cpu, online);

	scx_bpf_put_cpumask(online);
	return ret;
}

static __always_inline bool ext_idle_at_init(s32 cpu) { return ext_cpu_idle(cpu); }

#endif /* SCXCORE_CID_FORM */
#endif /* SCXCORE_CID_FORM_H */
