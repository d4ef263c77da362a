// SPDX-License-Identifier: GPL-2.0-only
// libscxcore.so's backend (capi/backend.h): the scheduler of cxx/ and bpf/
// on the running kernel. Everything kernel-specific the C API must not see
// is translated here: the BPF records, and the kernel's flag values, read
// from its BTF.
#include "../capi/backend.h"
#include "../bpf/intf_public.h"

#include "btf_util.h"
#include "cgroupfs.h"
#include "scheduler.h"

#include <cstring>

namespace scxcore {

struct Backend::State {
	Scheduler *core = nullptr;
	uint64_t enq_wakeup = 0;     // this kernel's SCX_ENQ_WAKEUP
	uint64_t pick_idle_core = 0; // this kernel's SCX_PICK_IDLE_CORE
};

int Backend::create(const Options &opts, Backend **out)
{
	auto *st = new State;
	int err = Scheduler::create(opts, &st->core);
	if (err) {
		delete st;
		return err;
	}
	st->enq_wakeup = kernel_enum_value("scx_enq_flags", "SCX_ENQ_WAKEUP").value_or(1);
	st->pick_idle_core = kernel_enum_value("scx_pick_idle_cpu_flags", "SCX_PICK_IDLE_CORE").value_or(1);
	*out = new Backend(st);
	return 0;
}

Backend::~Backend()
{
	delete st_->core;
	delete st_;
}

int Backend::dequeue(scx_queued_task *out)
{
	scx_intf_queued rec;
	int ret = st_->core->dequeue(&rec);
	if (ret != 1)
		return ret;
	out->pid = rec.pid;
	out->cpu = rec.cpu;
	out->nr_cpus_allowed = rec.nr_cpus_allowed;
	out->weight = (uint32_t)rec.weight;
	out->flags = ((rec.flags & st_->enq_wakeup) ? SCX_TASK_WAKEUP : 0) |
		     (rec.kind == SCX_REC_PLACED ? SCX_TASK_PLACED : 0);
	out->start_ts = rec.start_ts;
	out->stop_ts = rec.stop_ts;
	out->exec_runtime = rec.exec_runtime;
	out->vtime = rec.vtime;
	out->enqueue_ts = rec.enqueue_ts;
	out->token = rec.enq_seq;
	static_assert(sizeof(out->comm) == sizeof(rec.comm), "comm");
	memcpy(out->comm, rec.comm, sizeof(out->comm));
	out->cgroup_id = rec.cgroup_id;
	out->tgid = rec.tgid;
	return 1;
}

int Backend::dispatch(const Decision &d)
{
	return st_->core->dispatch(d);
}

int Backend::select_cpu(int32_t pid, int32_t prev_cpu, bool whole_core)
{
	return st_->core->select_cpu(pid, prev_cpu, whole_core ? st_->pick_idle_core : 0, whole_core);
}

int Backend::task_allows_cpu(int32_t pid, int32_t cpu)
{
	return st_->core->task_allows_cpu(pid, cpu);
}

int Backend::notify(uint64_t nr_pending)
{
	return st_->core->notify(nr_pending);
}

int Backend::release()
{
	return st_->core->release();
}

bool Backend::exited() const
{
	return st_->core->exited();
}

void Backend::stats(struct scx_stats *out) const
{
	stats_to_public(st_->core->kernel_stats(), st_->core->nr_scheduled(), out);
}

void Backend::shutdown(ExitInfo *out)
{
	st_->core->shutdown(out);
}

// The kernel side's entry, and cgroupfs for what this kernel does not
// report (no entry at all: no CONFIG_EXT_GROUP_SCHED, or the map was full).
int Backend::cgroup_info(uint64_t id, struct scx_cgroup_info *out) const
{
	constexpr uint32_t kAll = SCX_INTF_CG_HAS_BW | SCX_INTF_CG_HAS_IDLE;
	scx_intf_cgroup e{};
	int err = st_->core->cgroup_entry(id, &e);
	if (err && err != -ENOENT)
		return err;
	bool tracked = !err; // with an entry, at least its weight is the kernel's
	uint32_t reported = tracked ? e.flags & kAll : 0;
	CgroupFiles f;
	if (reported != kAll && (err = read_cgroup_files(id, &f)))
		return err;
	out->weight = tracked ? e.weight : f.weight;
	out->generation = tracked ? e.seq : 0;
	out->flags = tracked ? 0 : SCX_CGROUP_READ_WEIGHT;
	static_assert(SCX_CGROUP_NO_QUOTA == ~0ULL, "the kernel's RUNTIME_INF");
	bool bw = reported & SCX_INTF_CG_HAS_BW;
	out->quota_us = bw ? e.quota_us : f.quota_us;
	out->period_us = bw ? e.period_us : f.period_us;
	out->burst_us = bw ? e.burst_us : f.burst_us;
	out->flags |= bw ? 0 : SCX_CGROUP_READ_MAX;
	if (reported & SCX_INTF_CG_HAS_IDLE)
		out->flags |= (e.flags & SCX_INTF_CG_IDLE) ? SCX_CGROUP_IDLE : 0;
	else
		out->flags |= SCX_CGROUP_READ_IDLE | (f.idle ? SCX_CGROUP_IDLE : 0);
	return 0;
}

uint64_t Backend::cgroup_generation() const
{
	return st_->core->cgroup_seq();
}

int Backend::nr_cpus() const
{
	return st_->core->topology().nr_cpus();
}

void Backend::cpu_info(int cpu, struct scx_cpu_info *out) const
{
	const CpuTopo &t = st_->core->topology().cpu(cpu);
	out->core_id = t.core_id;
	out->llc_id = t.llc_id;
	out->node = t.node;
	out->online = st_->core->cpu_online(cpu);
}

std::vector<int32_t> Backend::siblings(int cpu, scx_topo_level level) const
{
	return st_->core->topology().siblings(cpu, (int)level);
}

} // namespace scxcore
