// SPDX-License-Identifier: GPL-2.0-only
// The C ABI, the only implementation of the scx_* calls of <scx/scxcore.h>,
// for every library: it checks what callers pass (sizes, then the rules of
// each call), keeps the counters that are its own (refused decisions,
// clamped slices), copies between the callers' structs and the backend's
// (capi/backend.h), and lets no C++ exception through.
#include <scx/scxcore.h>

#include "args.h"
#include "backend.h"
#include "options.h"
#include "sized.h"

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <new>

struct scx_sched {
	scxcore::Backend *backend;
	int nr_cpus;
	std::atomic<uint64_t> nr_invalid{0};
	std::atomic<uint64_t> nr_slice_clamped{0};
	scxcore::ExitInfo exit; // owns the dump string scx_shutdown() hands out
};

namespace {

// Run @f, turning an exception into -ENOMEM (the only one the backends
// throw is std::bad_alloc).
template <typename F> int guarded(F f) noexcept
{
	try {
		return f();
	} catch (...) {
		return -ENOMEM;
	}
}

} // namespace

scxcore::Backend *scxcore::backend_of(const struct scx_sched *s)
{
	return s ? s->backend : nullptr;
}

extern "C" {

SCX_API int scx_init(const struct scx_opts *opts, struct scx_sched **out)
{
	if (!out)
		return -EINVAL;
	*out = nullptr;
	return guarded([&] {
		scxcore::Options o;
		int err = scxcore::parse_options(opts, &o);
		if (err)
			return err;
		auto *s = new scx_sched{};
		err = scxcore::Backend::create(o, &s->backend);
		if (err) {
			delete s;
			return err;
		}
		s->nr_cpus = s->backend->nr_cpus();
		*out = s;
		return 0;
	});
}

SCX_API int scx_dequeue(struct scx_sched *s, struct scx_queued_task *out)
{
	if (!s || !scxcore::sized_ok(out, out ? out->sz : 0))
		return -EINVAL;
	scx_queued_task t{};
	t.sz = sizeof(t);
	int ret = s->backend->dequeue(&t);
	if (ret != 1)
		return ret;
	t.comm[SCX_COMM_LEN - 1] = '\0';
	scxcore::write_sized(out, t);
	return 1;
}

SCX_API int scx_dispatch(struct scx_sched *s, const struct scx_dispatched_task *d)
{
	if (!s)
		return -EINVAL;
	scx_dispatched_task whole{};
	scxcore::Decision dec;
	bool clamped = false;
	int err = scxcore::read_sized(d, &whole);
	if (!err)
		err = scxcore::check_dispatch(whole, s->nr_cpus, &dec, &clamped);
	if (err) {
		s->nr_invalid.fetch_add(1, std::memory_order_relaxed);
		return err;
	}
	if (clamped)
		s->nr_slice_clamped.fetch_add(1, std::memory_order_relaxed);
	return s->backend->dispatch(dec);
}

SCX_API int scx_select_cpu(struct scx_sched *s, int32_t pid, int32_t prev_cpu, uint64_t flags)
{
	if (!s || scxcore::check_select_cpu(pid, prev_cpu, flags, s->nr_cpus))
		return -EINVAL;
	return s->backend->select_cpu(pid, prev_cpu, flags & SCX_SELECT_IDLE_CORE);
}

SCX_API int scx_task_allows_cpu(struct scx_sched *s, int32_t pid, int32_t cpu)
{
	if (!s || pid <= 0 || cpu < 0 || cpu >= s->nr_cpus)
		return -EINVAL;
	return s->backend->task_allows_cpu(pid, cpu);
}

SCX_API int scx_notify(struct scx_sched *s, uint64_t nr_pending)
{
	if (!s)
		return -EINVAL;
	return guarded([&] { return s->backend->notify(nr_pending); });
}

SCX_API int scx_stats(const struct scx_sched *s, struct scx_stats *out)
{
	if (!s || !scxcore::sized_ok(out, out ? out->sz : 0))
		return -EINVAL;
	struct scx_stats st{};
	st.sz = sizeof(st);
	s->backend->stats(&st);
	st.nr_invalid_dispatches = s->nr_invalid.load(std::memory_order_relaxed);
	st.nr_slice_clamped = s->nr_slice_clamped.load(std::memory_order_relaxed);
	return scxcore::write_sized(out, st);
}

SCX_API bool scx_exited(const struct scx_sched *s)
{
	return !s || s->backend->exited();
}

SCX_API int scx_release(struct scx_sched *s)
{
	if (!s)
		return -EINVAL;
	return guarded([&] { return s->backend->release(); });
}

SCX_API int scx_shutdown(struct scx_sched *s, struct scx_exit_info *out)
{
	if (!s || (out && !scxcore::sized_ok(out, out->sz)))
		return -EINVAL;
	return guarded([&] {
		s->backend->shutdown(&s->exit);
		if (!out)
			return 0;
		scx_exit_info ei{};
		ei.sz = sizeof(ei);
		ei.kind = s->exit.kind;
		ei.exit_code = s->exit.exit_code;
		ei.should_restart = s->exit.should_restart;
		snprintf(ei.reason, sizeof(ei.reason), "%s", s->exit.reason.c_str());
		snprintf(ei.msg, sizeof(ei.msg), "%s", s->exit.msg.c_str());
		ei.dump = s->exit.dump.c_str();
		return scxcore::write_sized(out, ei);
	});
}

SCX_API void scx_destroy(struct scx_sched *s)
{
	if (!s)
		return;
	delete s->backend; // detaches first if still attached
	delete s;
}

SCX_API int scx_nr_cpus(const struct scx_sched *s)
{
	return s ? s->nr_cpus : -EINVAL;
}

SCX_API int scx_cpu_info(const struct scx_sched *s, int32_t cpu, struct scx_cpu_info *out)
{
	if (!s || !scxcore::sized_ok(out, out ? out->sz : 0) || cpu < 0 || cpu >= s->nr_cpus)
		return -EINVAL;
	struct scx_cpu_info ci{};
	ci.sz = sizeof(ci);
	s->backend->cpu_info(cpu, &ci);
	ci.cpu = cpu;
	return scxcore::write_sized(out, ci);
}

SCX_API int scx_cpu_siblings(const struct scx_sched *s, int32_t cpu, enum scx_topo_level level,
			     int32_t *cpus, size_t n)
{
	if (!s || cpu < 0 || cpu >= s->nr_cpus || level < SCX_TOPO_SMT || level > SCX_TOPO_NODE ||
	    (!cpus && n))
		return -EINVAL;
	return guarded([&] {
		std::vector<int32_t> sib = s->backend->siblings(cpu, level);
		for (size_t i = 0; i < sib.size() && i < n; i++)
			cpus[i] = sib[i];
		return (int)sib.size();
	});
}

SCX_API int scx_cgroup_info(const struct scx_sched *s, uint64_t cgroup_id, struct scx_cgroup_info *out)
{
	if (!s || !scxcore::sized_ok(out, out ? out->sz : 0) || cgroup_id == SCX_CGROUP_UNKNOWN)
		return -EINVAL;
	return guarded([&] {
		struct scx_cgroup_info ci{};
		ci.sz = sizeof(ci);
		int err = s->backend->cgroup_info(cgroup_id, &ci);
		if (err)
			return err;
		ci.id = cgroup_id;
		return scxcore::write_sized(out, ci);
	});
}

SCX_API uint64_t scx_cgroup_generation(const struct scx_sched *s)
{
	return s ? s->backend->cgroup_generation() : 0;
}

} // extern "C"
