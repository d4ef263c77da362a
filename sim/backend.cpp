// SPDX-License-Identifier: GPL-2.0-only
// libscxcore-sim.so's backend (capi/backend.h): the discrete-event simulator
// (sim/engine.h) where libscxcore.so has the kernel. The C API in front of
// it is the same code as the real library's.
#include "../capi/backend.h"
#include "../bpf/intf_public.h"

#include "engine.h"
#include "runtime.h"
#include "workload.h"

#include <cerrno>
#include <cstdio>
#include <utility>

namespace scxcore {

struct Backend::State {
	scxsim::Sim *sim = nullptr;
	bool detached = false;
	ExitInfo exit;
};

int Backend::create(const Options &opts, Backend **out)
{
	// Nothing outlives a simulated process: there is never one to take
	// over (OR_LOAD, OR_RELOAD load), and linger_ms has nothing to keep.
	if (opts.takeover == SCX_TAKEOVER_REQUIRED) {
		diag(opts.debug, "opts.takeover: the simulator has no running scheduler to take over");
		return -ENOENT;
	}
	if (opts.host_subs || !opts.sub_cgroup.empty()) {
		diag(opts.debug, "opts.%s: the simulator does not model sub-schedulers",
		     opts.host_subs ? "host_subs" : "sub_cgroup");
		return -EOPNOTSUPP;
	}
	if (!scxsim::begin_run())
		return -EBUSY; // the kernel runs one sched_ext scheduler
	scxsim::Config cfg;
	scxsim::Workload w;
	std::string why;
	if (!scxsim::read_config(&cfg)) {
		scxsim::end_run();
		return -EINVAL;
	}
	if (!scxsim::load_workload(cfg.workload, cfg.cpus, &w, &why)) {
		fprintf(stderr, "scx-sim: %s\n", why.c_str());
		scxsim::end_run();
		return -EINVAL;
	}
	if (opts.debug)
		fprintf(stderr, "scx-sim: %s, workload %s, %d CPUs, seed %llu\n", opts.name.c_str(),
			cfg.workload.c_str(), w.cpus, (unsigned long long)cfg.seed);
	scxsim::clock_attach(&cfg);
	auto *st = new State;
	st->sim = new scxsim::Sim(cfg, opts, std::move(w));
	*out = new Backend(st);
	return 0;
}

Backend::~Backend()
{
	shutdown(nullptr);
	delete st_->sim;
	delete st_;
	scxsim::end_run();
}

int Backend::dequeue(scx_queued_task *out)
{
	return st_->detached ? -ENODEV : st_->sim->dequeue(out);
}

int Backend::dispatch(const Decision &d)
{
	return st_->detached ? -ENODEV : st_->sim->dispatch(d);
}

int Backend::select_cpu(int32_t pid, int32_t prev_cpu, bool whole_core)
{
	return st_->detached ? -ENODEV : st_->sim->select_cpu(pid, prev_cpu, whole_core);
}

int Backend::task_allows_cpu(int32_t pid, int32_t cpu)
{
	return st_->detached ? -ENODEV : st_->sim->task_allows_cpu(pid, cpu);
}

int Backend::notify(uint64_t nr_pending)
{
	if (st_->detached)
		return -ENODEV;
	int ret = st_->sim->notify(nr_pending);
	if (st_->sim->exited())
		scxsim::clock_detach();
	return ret;
}

int Backend::release()
{
	return -EOPNOTSUPP; // no kernel side that could run on without us
}

bool Backend::exited() const
{
	return st_->detached || st_->sim->exited();
}

void Backend::stats(struct scx_stats *out) const
{
	stats_to_public(st_->sim->stats(), st_->sim->nr_scheduled(), out);
}

void Backend::shutdown(ExitInfo *out)
{
	if (!st_->detached) {
		st_->sim->unregister();
		scxsim::clock_detach();
		st_->exit.kind = st_->sim->exit_kind();
		st_->exit.reason = st_->sim->exit_reason();
		st_->exit.msg = st_->sim->exit_msg();
		st_->detached = true;
	}
	if (out)
		*out = st_->exit;
}

// The workload's cgroups, fixed for the run: as a kernel that reports every
// setting, which never changes.
int Backend::cgroup_info(uint64_t id, struct scx_cgroup_info *out) const
{
	scxsim::CgroupSpec g;
	if (!st_->sim->cgroup(id, &g))
		return -ENOENT;
	out->weight = g.weight;
	out->quota_us = g.quota_us;
	out->period_us = g.period_us;
	out->burst_us = 0;
	out->generation = 1;
	out->flags = 0;
	return 0;
}

uint64_t Backend::cgroup_generation() const
{
	return 1;
}

int Backend::nr_cpus() const
{
	return st_->sim->nr_cpus();
}

void Backend::cpu_info(int cpu, struct scx_cpu_info *out) const
{
	int core, llc, node;
	st_->sim->cpu_info(cpu, &core, &llc, &node);
	out->core_id = core;
	out->llc_id = llc;
	out->node = node;
	out->online = true; // the model has no hotplug
}

std::vector<int32_t> Backend::siblings(int cpu, scx_topo_level level) const
{
	std::vector<int> s = st_->sim->siblings(cpu, (int)level);
	return std::vector<int32_t>(s.begin(), s.end());
}

} // namespace scxcore

const scxsim::Sim *scxsim::sim_of(const struct scx_sched *s)
{
	scxcore::Backend *b = scxcore::backend_of(s);
	return b ? b->state()->sim : nullptr;
}
