// SPDX-License-Identifier: GPL-2.0-only
// The C ABI: checks what callers pass, translates between the public structs
// and the core's, and makes sure no C++ exception crosses into C.
#include <scx/scxcore.h>

#include "args.h"

#include "../cxx/btf_util.h"
#include "../cxx/scheduler.h"

#include <cerrno>
#include <cstring>
#include <new>

struct scx_sched {
	scxcore::Scheduler *core;
	uint64_t enq_wakeup;     // this kernel's SCX_ENQ_WAKEUP
	uint64_t pick_idle_core; // this kernel's SCX_PICK_IDLE_CORE
	uint64_t nr_slice_clamped;
};


extern "C" {

SCX_API int scx_init(const struct scx_opts *opts, struct scx_sched **out)
{
	if (!out)
		return -EINVAL;
	*out = nullptr;
	try {
		scxcore::Options o;
		int err = scxcore::parse_options(opts, &o);
		if (err)
			return err;
		auto *s = new scx_sched{};
		err = scxcore::Scheduler::create(o, &s->core);
		if (err) {
			delete s;
			return err;
		}
		s->enq_wakeup = scxcore::kernel_enum_value("scx_enq_flags", "SCX_ENQ_WAKEUP").value_or(1);
		s->pick_idle_core =
			scxcore::kernel_enum_value("scx_pick_idle_cpu_flags", "SCX_PICK_IDLE_CORE").value_or(1);
		*out = s;
		return 0;
	} catch (const std::bad_alloc &) {
		return -ENOMEM;
	} catch (...) {
		return -EFAULT;
	}
}

SCX_API int scx_dequeue(struct scx_sched *s, struct scx_queued_task *out)
{
	if (!s || scxcore::check_dequeue_out(out))
		return -EINVAL;
	scx_intf_queued rec;
	int ret = s->core->dequeue(&rec);
	if (ret != 1)
		return ret;
	out->pid = rec.pid;
	out->cpu = rec.cpu;
	out->nr_cpus_allowed = rec.nr_cpus_allowed;
	out->weight = (uint32_t)rec.weight;
	out->flags = (rec.flags & s->enq_wakeup) ? SCX_TASK_WAKEUP : 0;
	out->start_ts = rec.start_ts;
	out->stop_ts = rec.stop_ts;
	out->exec_runtime = rec.exec_runtime;
	out->vtime = rec.vtime;
	out->enqueue_ts = rec.enqueue_ts;
	out->token = rec.enq_seq;
	memcpy(out->comm, rec.comm, SCX_COMM_LEN);
	out->comm[SCX_COMM_LEN - 1] = '\0';
	return 1;
}

SCX_API int scx_dispatch(struct scx_sched *s, const struct scx_dispatched_task *d)
{
	if (!s)
		return -EINVAL;
	uint64_t slice;
	bool clamped;
	int err = scxcore::check_dispatch(d, s->core->topology().nr_cpus(), &slice, &clamped);
	if (err) {
		s->core->count_invalid();
		return err;
	}
	if (clamped)
		__atomic_fetch_add(&s->nr_slice_clamped, 1, __ATOMIC_RELAXED);
	return s->core->dispatch({d->pid, d->cpu, d->flags, slice, d->vtime, d->token});
}

SCX_API int scx_select_cpu(struct scx_sched *s, int32_t pid, int32_t prev_cpu, uint64_t flags)
{
	if (!s || scxcore::check_select_cpu(pid, prev_cpu, flags, s->core->topology().nr_cpus()))
		return -EINVAL;
	bool core = flags & SCX_SELECT_IDLE_CORE;
	return s->core->select_cpu(pid, prev_cpu, core ? s->pick_idle_core : 0, core);
}

SCX_API int scx_notify(struct scx_sched *s, uint64_t nr_pending)
{
	if (!s)
		return -EINVAL;
	return s->core->notify(nr_pending);
}

SCX_API int scx_stats(const struct scx_sched *s, struct scx_stats *out)
{
	if (!s || !out || out->sz < sizeof(*out))
		return -EINVAL;
	try {
		scx_intf_stats k = s->core->kernel_stats();
		out->nr_online_cpus = k.nr_online_cpus;
		out->nr_running = k.nr_running;
		out->nr_queued = k.nr_queued;
		out->nr_scheduled = s->core->nr_scheduled();
		out->nr_user_dispatches = k.nr_user_dispatches;
		out->nr_kernel_dispatches = k.nr_kernel_dispatches;
		out->nr_cancel_dispatches = k.nr_cancel_dispatches;
		out->nr_bounce_dispatches = k.nr_bounce_dispatches;
		out->nr_failed_dispatches = k.nr_failed_dispatches;
		out->nr_invalid_dispatches = s->core->nr_invalid();
		out->nr_slice_clamped = __atomic_load_n(&s->nr_slice_clamped, __ATOMIC_RELAXED);
		out->nr_sched_congested = k.nr_sched_congested;
		out->nr_failsafe_entries = k.nr_failsafe_entries;
		out->nr_failsafe_dispatches = k.nr_failsafe_dispatches;
		out->failsafe_ns = k.failsafe_ns;
		out->nr_idle_misses = k.nr_idle_misses;
		out->nr_hotplug_events = k.nr_hotplug_events;
		out->nr_hotplug_moves = k.nr_hotplug_moves;
		return 0;
	} catch (...) {
		return -ENOMEM;
	}
}

SCX_API bool scx_exited(const struct scx_sched *s)
{
	return !s || s->core->exited();
}

SCX_API int scx_shutdown(struct scx_sched *s, struct scx_exit_info *out)
{
	if (!s || (out && out->sz < sizeof(*out)))
		return -EINVAL;
	try {
		scxcore::ExitInfo e;
		s->core->shutdown(&e);
		if (!out)
			return 0;
		out->kind = e.kind;
		out->exit_code = e.exit_code;
		out->should_restart = e.should_restart;
		snprintf(out->reason, sizeof(out->reason), "%s", e.reason.c_str());
		snprintf(out->msg, sizeof(out->msg), "%s", e.msg.c_str());
		out->dump = s->core->exit_dump().c_str();
		return 0;
	} catch (...) {
		return -ENOMEM;
	}
}

SCX_API void scx_destroy(struct scx_sched *s)
{
	if (!s)
		return;
	delete s->core;
	delete s;
}

SCX_API int scx_nr_cpus(const struct scx_sched *s)
{
	return s ? s->core->topology().nr_cpus() : -EINVAL;
}

SCX_API int scx_cpu_info(const struct scx_sched *s, int32_t cpu, struct scx_cpu_info *out)
{
	if (!s || !out || out->sz < sizeof(*out) || cpu < 0 || cpu >= s->core->topology().nr_cpus())
		return -EINVAL;
	const scxcore::CpuTopo &t = s->core->topology().cpu(cpu);
	out->cpu = cpu;
	out->core_id = t.core_id;
	out->llc_id = t.llc_id;
	out->node = t.node;
	out->online = s->core->cpu_online(cpu);
	return 0;
}

SCX_API int scx_cpu_siblings(const struct scx_sched *s, int32_t cpu, enum scx_topo_level level,
			     int32_t *cpus, size_t n)
{
	if (!s || cpu < 0 || cpu >= s->core->topology().nr_cpus() || level < SCX_TOPO_SMT ||
	    level > SCX_TOPO_NODE || (!cpus && n))
		return -EINVAL;
	try {
		std::vector<int32_t> sib = s->core->topology().siblings(cpu, level);
		for (size_t i = 0; i < sib.size() && i < n; i++)
			cpus[i] = sib[i];
		return (int)sib.size();
	} catch (...) {
		return -ENOMEM;
	}
}

} // extern "C"
