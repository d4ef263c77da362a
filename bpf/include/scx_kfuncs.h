/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The sched_ext kfuncs libscxcore uses, declared weak so that one object
 * loads on every kernel from 6.12 on, and the compat wrappers that pick the
 * kfunc the running kernel has. This is the only place in the BPF backend
 * that knows about kernel versions.
 *
 * Renames handled here:
 *   6.13  scx_bpf_dispatch*            -> scx_bpf_dsq_insert*
 *         scx_bpf_consume              -> scx_bpf_dsq_move_to_local
 *         scx_bpf_dispatch_from_dsq*   -> scx_bpf_dsq_move*
 *   6.16  scx_bpf_select_cpu_and (5 args); 6.19+ also as __scx_bpf_select_cpu_and (args struct)
 */
#ifndef SCXCORE_SCX_KFUNCS_H
#define SCXCORE_SCX_KFUNCS_H

#define __scx_kfunc __ksym __weak

/* Always present since 6.12. */
s32 scx_bpf_create_dsq(u64 dsq_id, s32 node) __scx_kfunc;
s32 scx_bpf_dsq_nr_queued(u64 dsq_id) __scx_kfunc;
void scx_bpf_kick_cpu(s32 cpu, u64 flags) __scx_kfunc;
s32 scx_bpf_pick_idle_cpu(const struct cpumask *cpus_allowed, u64 flags) __scx_kfunc;
bool scx_bpf_test_and_clear_cpu_idle(s32 cpu) __scx_kfunc;
s32 scx_bpf_select_cpu_dfl(struct task_struct *p, s32 prev_cpu, u64 wake_flags,
			   bool *is_idle) __scx_kfunc;
u32 scx_bpf_nr_cpu_ids(void) __scx_kfunc;
const struct cpumask *scx_bpf_get_idle_cpumask(void) __scx_kfunc;
void scx_bpf_put_idle_cpumask(const struct cpumask *cpumask) __scx_kfunc;
const struct cpumask *scx_bpf_get_online_cpumask(void) __scx_kfunc;
void scx_bpf_put_cpumask(const struct cpumask *cpumask) __scx_kfunc;
u32 scx_bpf_dispatch_nr_slots(void) __scx_kfunc;
s32 scx_bpf_task_cpu(const struct task_struct *p) __scx_kfunc;
void scx_bpf_error_bstr(char *fmt, unsigned long long *data, u32 data__sz) __scx_kfunc;
void scx_bpf_exit_bstr(s64 exit_code, char *fmt, unsigned long long *data, u32 data__sz) __scx_kfunc;
int bpf_iter_scx_dsq_new(struct bpf_iter_scx_dsq *it, u64 dsq_id, u64 flags) __scx_kfunc;
struct task_struct *bpf_iter_scx_dsq_next(struct bpf_iter_scx_dsq *it) __scx_kfunc;
void bpf_iter_scx_dsq_destroy(struct bpf_iter_scx_dsq *it) __scx_kfunc;

/* Generic BPF kfuncs. */
struct task_struct *bpf_task_from_pid(s32 pid) __ksym;
void bpf_task_release(struct task_struct *p) __ksym;
bool bpf_cpumask_test_cpu(u32 cpu, const struct cpumask *cpumask) __ksym;
void bpf_rcu_read_lock(void) __ksym;
void bpf_rcu_read_unlock(void) __ksym;

/* 6.13+ names and their 6.12 predecessors. */
void scx_bpf_dsq_insert(struct task_struct *p, u64 dsq_id, u64 slice, u64 enq_flags) __scx_kfunc;
void scx_bpf_dispatch(struct task_struct *p, u64 dsq_id, u64 slice, u64 enq_flags) __scx_kfunc;
bool scx_bpf_dsq_move_to_local(u64 dsq_id) __scx_kfunc;
bool scx_bpf_consume(u64 dsq_id) __scx_kfunc;
bool scx_bpf_dsq_move(struct bpf_iter_scx_dsq *it__iter, struct task_struct *p,
		      u64 dsq_id, u64 enq_flags) __scx_kfunc;
bool scx_bpf_dispatch_from_dsq(struct bpf_iter_scx_dsq *it__iter, struct task_struct *p,
			       u64 dsq_id, u64 enq_flags) __scx_kfunc;
void scx_bpf_dsq_move_set_slice(struct bpf_iter_scx_dsq *it__iter, u64 slice) __scx_kfunc;
void scx_bpf_dispatch_from_dsq_set_slice(struct bpf_iter_scx_dsq *it__iter, u64 slice) __scx_kfunc;
void scx_bpf_dsq_move_set_vtime(struct bpf_iter_scx_dsq *it__iter, u64 vtime) __scx_kfunc;
void scx_bpf_dispatch_from_dsq_set_vtime(struct bpf_iter_scx_dsq *it__iter, u64 vtime) __scx_kfunc;
s32 scx_bpf_select_cpu_and(struct task_struct *p, s32 prev_cpu, u64 wake_flags,
			   const struct cpumask *cpus_allowed, u64 flags) __scx_kfunc;
s32 __scx_bpf_select_cpu_and(struct task_struct *p, const struct cpumask *cpus_allowed,
			     struct scx_bpf_select_cpu_and_args *args) __scx_kfunc;

static __always_inline void compat_dsq_insert(struct task_struct *p, u64 dsq_id, u64 slice,
					      u64 enq_flags)
{
	if (bpf_ksym_exists(scx_bpf_dsq_insert))
		scx_bpf_dsq_insert(p, dsq_id, slice, enq_flags);
	else
		scx_bpf_dispatch(p, dsq_id, slice, enq_flags);
}

static __always_inline bool compat_dsq_move_to_local(u64 dsq_id)
{
	if (bpf_ksym_exists(scx_bpf_dsq_move_to_local))
		return scx_bpf_dsq_move_to_local(dsq_id);
	return scx_bpf_consume(dsq_id);
}

static __always_inline bool compat_dsq_move(struct bpf_iter_scx_dsq *it, struct task_struct *p,
					    u64 dsq_id, u64 enq_flags)
{
	if (bpf_ksym_exists(scx_bpf_dsq_move))
		return scx_bpf_dsq_move(it, p, dsq_id, enq_flags);
	return scx_bpf_dispatch_from_dsq(it, p, dsq_id, enq_flags);
}

static __always_inline void compat_dsq_move_set_slice(struct bpf_iter_scx_dsq *it, u64 slice)
{
	if (bpf_ksym_exists(scx_bpf_dsq_move_set_slice))
		scx_bpf_dsq_move_set_slice(it, slice);
	else
		scx_bpf_dispatch_from_dsq_set_slice(it, slice);
}

static __always_inline void compat_dsq_move_set_vtime(struct bpf_iter_scx_dsq *it, u64 vtime)
{
	if (bpf_ksym_exists(scx_bpf_dsq_move_set_vtime))
		scx_bpf_dsq_move_set_vtime(it, vtime);
	else
		scx_bpf_dispatch_from_dsq_set_vtime(it, vtime);
}

/* An idle CPU for @p (claimed), preferring @prev_cpu, then its SMT sibling,
 * its LLC and NUMA node; negative when none. Callable from SYSCALL programs
 * on kernels with select_cpu_and; older ones get a simpler search. */
static __always_inline s32 compat_pick_idle_cpu(struct task_struct *p, s32 prev_cpu, u64 flags)
{
	if (bpf_ksym_exists(__scx_bpf_select_cpu_and)) {
		struct scx_bpf_select_cpu_and_args args = {
			.prev_cpu = prev_cpu, .wake_flags = 0, .flags = flags,
		};
		return __scx_bpf_select_cpu_and(p, p->cpus_ptr, &args);
	}
	if (bpf_ksym_exists(scx_bpf_select_cpu_and))
		return scx_bpf_select_cpu_and(p, prev_cpu, 0, p->cpus_ptr, flags);
	if (prev_cpu >= 0 && bpf_cpumask_test_cpu(prev_cpu, p->cpus_ptr) &&
	    scx_bpf_test_and_clear_cpu_idle(prev_cpu))
		return prev_cpu;
	return scx_bpf_pick_idle_cpu(p->cpus_ptr, flags);
}

/* Call the kfunc @bstr_fn(fmt, data, data__sz) with printf-style arguments,
 * packed as the kernel's bstr form wants them. */
#define ___scx_bstr_call(bstr_fn, fmt, args...)                                       \
	({                                                                            \
		static char ___fmt[] = fmt;                                           \
		unsigned long long ___param[___bpf_narg(args)];                       \
		_Pragma("GCC diagnostic push")                                        \
		_Pragma("GCC diagnostic ignored \"-Wint-conversion\"")                \
		___bpf_fill(___param, args);                                          \
		_Pragma("GCC diagnostic pop")                                         \
		bstr_fn(___fmt, ___param, sizeof(___param));                          \
	})

static __always_inline void ___scx_exit_ok_bstr(char *fmt, unsigned long long *data, u32 data__sz)
{
	scx_bpf_exit_bstr(0, fmt, data, data__sz);
}

/* scx_bpf_error(): the scheduler failed; the kernel unloads it. */
#define scx_error(fmt, args...) ___scx_bstr_call(scx_bpf_error_bstr, fmt, ##args)
/* scx_bpf_exit(): unregister on purpose (exit code 0), with a message. */
#define scx_exit(fmt, args...) ___scx_bstr_call(___scx_exit_ok_bstr, fmt, ##args)

#endif /* SCXCORE_SCX_KFUNCS_H */
