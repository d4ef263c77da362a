// SPDX-License-Identifier: GPL-2.0-only
// A third implementation of capi/backend.h, for tests only: it answers what
// the test put in `fake` and records what the C API handed it.
#include "../../capi/backend.h"

#include "fake_backend.h"

#include <cstdio>
#include <cstring>

struct fake_state fake;

extern "C" void fake_reset(void)
{
	fake = fake_state{};
	fake.nr_cpus = 4;
}

namespace scxcore {

struct Backend::State {
	ExitInfo exit;
};

int Backend::create(const Options &opts, Backend **out)
{
	fake.creates++;
	fake.opt_slice_ns = opts.slice_ns;
	fake.opt_wake_batch = opts.wake_batch;
	fake.opt_timeout_ms = opts.timeout_ms;
	fake.opt_failsafe_ms = opts.failsafe_ms;
	fake.opt_ring_size_kb = opts.ring_size_kb;
	fake.opt_partial = opts.partial;
	fake.opt_enq_last = opts.enq_last;
	fake.opt_wake_to_idle_prev = opts.wake_to_idle_prev;
	fake.opt_idle_runs_oldest = opts.idle_runs_oldest;
	fake.opt_host_subs = opts.host_subs;
	snprintf(fake.opt_sub_cgroup, sizeof(fake.opt_sub_cgroup), "%s", opts.sub_cgroup.c_str());
	fake.opt_debug = opts.debug;
	fake.opt_takeover = opts.takeover;
	fake.opt_linger_ms = opts.linger_ms;
	*out = new Backend(new State);
	return 0;
}

Backend::~Backend()
{
	delete st_;
}

int Backend::dequeue(scx_queued_task *out)
{
	if (fake.exited)
		return -ENODEV;
	if (!fake.next_pid)
		return 0;
	out->pid = fake.next_pid;
	out->cpu = fake.next_cpu;
	out->nr_cpus_allowed = (uint32_t)fake.nr_cpus;
	out->weight = 100;
	out->flags = fake.next_flags;
	out->token = 7;
	memset(out->comm, 'x', sizeof(out->comm)); // no NUL: the C API ends it
	out->cgroup_id = 0xc9;
	out->tgid = fake.next_pid - 1;
	fake.next_pid = 0;
	return 1;
}

int Backend::dispatch(const Decision &d)
{
	if (fake.exited)
		return -ENODEV;
	fake.dispatches++;
	fake.last_pid = d.pid;
	fake.last_cpu = d.cpu;
	fake.last_flags = d.flags;
	fake.last_slice_ns = d.slice_ns;
	fake.last_vtime = d.vtime;
	fake.last_token = d.token;
	return 0;
}

int Backend::select_cpu(int32_t pid, int32_t prev_cpu, bool whole_core)
{
	fake.select_pid = pid;
	fake.select_prev = prev_cpu;
	fake.select_whole_core = whole_core;
	return fake.exited ? -ENODEV : fake.select_ret;
}

int Backend::task_allows_cpu(int32_t pid, int32_t cpu)
{
	fake.allows_pid = pid;
	fake.allows_cpu = cpu;
	return fake.exited ? -ENODEV : fake.allows_ret;
}

int Backend::notify(uint64_t nr_pending)
{
	fake.notified_pending = nr_pending;
	return fake.exited ? -ENODEV : 1;
}

int Backend::release()
{
	fake.releases++;
	return fake.exited ? -ENODEV : 0;
}

bool Backend::exited() const
{
	return fake.exited;
}

void Backend::stats(struct scx_stats *out) const
{
	// Every counter a distinct value, so that a wrong copy shows.
	uint64_t *v = &out->nr_online_cpus;
	for (size_t i = 0; i < (sizeof(*out) - sizeof(out->sz)) / sizeof(uint64_t); i++)
		v[i] = 1000 + i;
}

void Backend::shutdown(ExitInfo *out)
{
	if (st_->exit.kind == SCX_EXIT_NONE) {
		st_->exit.kind = SCX_EXIT_UNREG;
		st_->exit.reason = "unregistered from user space";
		st_->exit.dump = "fake dump";
		fake.exited = true;
	}
	*out = st_->exit;
}

int Backend::cgroup_info(uint64_t id, struct scx_cgroup_info *out) const
{
	fake.cgroup_asked = id;
	if (fake.cgroup_ret)
		return fake.cgroup_ret;
	out->weight = (uint32_t)id + 1;
	out->quota_us = SCX_CGROUP_NO_QUOTA;
	out->period_us = 100000;
	out->generation = fake.cgroup_generation;
	out->flags = SCX_CGROUP_READ_IDLE;
	return 0;
}

uint64_t Backend::cgroup_generation() const
{
	return fake.cgroup_generation;
}

int Backend::nr_cpus() const
{
	return fake.nr_cpus;
}

void Backend::cpu_info(int cpu, struct scx_cpu_info *out) const
{
	out->core_id = cpu / 2;
	out->llc_id = 0;
	out->node = 0;
	out->online = true;
}

std::vector<int32_t> Backend::siblings(int cpu, scx_topo_level level) const
{
	if (level == SCX_TOPO_SMT)
		return {cpu & ~1, cpu | 1};
	std::vector<int32_t> all;
	for (int c = 0; c < fake.nr_cpus; c++)
		all.push_back(c);
	return all;
}

} // namespace scxcore
