// SPDX-License-Identifier: GPL-2.0-only
// libscxcore-sim.so's C ABI: the scx_* functions of <scx/scxcore.h>, with
// the same argument checks and error codes as capi/scxcore.cpp, in front of
// the simulator instead of the kernel. Also the process's CLOCK_MONOTONIC:
// while a simulation runs it reads virtual time, so that a scheduler that
// compares its own clock with the task timestamps sees one time line.
#include <scx/scxcore.h>

#include "../capi/args.h"
#include "../cxx/options.h"
#include "engine.h"
#include "scxsim.h"
#include "workload.h"

#include <atomic>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <map>
#include <mutex>
#include <new>
#include <string>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

struct scx_sched {
	scxsim::Sim *sim;
	std::atomic<uint64_t> nr_invalid{0};
	std::atomic<uint64_t> nr_slice_clamped{0};
	bool detached = false;
	int64_t kind = 0;
	std::string reason, msg;
};

namespace {

// ---- the clock -----------------------------------------------------------

using clock_fn = int (*)(clockid_t, struct timespec *);
std::atomic<clock_fn> g_real_clock{nullptr};

int real_clock(clockid_t id, struct timespec *ts)
{
	clock_fn f = g_real_clock.load(std::memory_order_relaxed);
	if (!f) {
		f = (clock_fn)dlvsym(RTLD_NEXT, "clock_gettime", "GLIBC_2.17");
		if (!f)
			f = (clock_fn)dlsym(RTLD_NEXT, "clock_gettime");
		if (!f)
			return (int)syscall(SYS_clock_gettime, id, ts);
		g_real_clock.store(f, std::memory_order_relaxed);
	}
	return f(id, ts);
}

uint64_t real_mono()
{
	struct timespec ts;
	real_clock(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

// While a simulation runs: base + virtual time. Otherwise: real + offset,
// the offset chosen when a simulation ends so that time never goes back.
std::atomic<bool> g_virtual{false};
std::atomic<uint64_t> g_vnow{0};
std::atomic<uint64_t> g_base{0};
std::atomic<int64_t> g_offset{0};
std::atomic<int> g_cpu{0}; // sched_getcpu() while g_virtual

uint64_t process_mono()
{
	if (g_virtual.load(std::memory_order_acquire))
		return g_base.load(std::memory_order_relaxed) + g_vnow.load(std::memory_order_relaxed);
	return real_mono() + (uint64_t)g_offset.load(std::memory_order_relaxed);
}

void clock_detach()
{
	if (!g_virtual.load())
		return;
	uint64_t v = g_base.load() + g_vnow.load();
	uint64_t r = real_mono();
	if (v > r)
		g_offset.store((int64_t)(v - r));
	g_virtual.store(false, std::memory_order_release);
}

// ---- configuration -------------------------------------------------------

std::mutex g_mu;
std::map<std::string, std::string> g_set; // scx_sim_set()
scx_sched *g_active = nullptr;

const char *const kKeys[] = {"workload", "seed", "cpus", "duration", "output", "table",
			     "svg", "clock", "ring", "cost"};

bool get_param(const char *key, std::string *out)
{
	auto it = g_set.find(key);
	if (it != g_set.end()) {
		*out = it->second;
		return true;
	}
	std::string env = "SCX_SIM_";
	for (const char *p = key; *p; p++)
		env += (char)(*p - 'a' + 'A');
	const char *v = getenv(env.c_str());
	if (!v)
		return false;
	*out = v;
	return true;
}

bool parse_u64(const std::string &s, uint64_t *out)
{
	if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos || s.size() > 19)
		return false;
	*out = strtoull(s.c_str(), nullptr, 10);
	return true;
}

bool bad(const char *key, const std::string &v, const char *want)
{
	std::string env = "SCX_SIM_";
	for (const char *p = key; *p; p++)
		env += (char)(*p - 'a' + 'A');
	fprintf(stderr, "scx-sim: %s=\"%s\": %s\n", env.c_str(), v.c_str(), want);
	return false;
}

bool read_config(scxsim::Config *c)
{
	std::string v;
	uint64_t n;
	if (get_param("workload", &v) && !v.empty())
		c->workload = v;
	if (get_param("seed", &v) && !parse_u64(v, &c->seed))
		return bad("seed", v, "must be an unsigned integer");
	if (get_param("cpus", &v)) {
		if (!parse_u64(v, &n) || n < 1 || n > 1024)
			return bad("cpus", v, "must be 1..1024");
		c->cpus = (int)n;
	}
	if (get_param("duration", &v) && (!scxsim::parse_time(v, &c->duration_ns) || !c->duration_ns))
		return bad("duration", v, "must be a time such as 2s or 500ms");
	if (get_param("output", &v))
		c->output = v;
	if (get_param("table", &v))
		c->table = v == "0" ? "none" : v;
	if (get_param("svg", &v))
		c->svg = v;
	if (get_param("clock", &v)) {
		if (v != "virtual" && v != "real")
			return bad("clock", v, "must be virtual or real");
		c->virtual_clock = v == "virtual";
	}
	if (get_param("ring", &v)) {
		if (!parse_u64(v, &n) || n < 1 || n > 100000000)
			return bad("ring", v, "must be the ring's capacity in records, 1..100000000");
		c->ring_records = n;
	}
	if (get_param("cost", &v)) { // wake=5us,dequeue=100ns,...
		size_t pos = 0;
		while (pos < v.size()) {
			size_t comma = v.find(',', pos);
			std::string item = v.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
			pos = comma == std::string::npos ? v.size() : comma + 1;
			size_t eq = item.find('=');
			uint64_t ns;
			if (eq == std::string::npos || !scxsim::parse_time(item.substr(eq + 1), &ns))
				return bad("cost", v, "must be NAME=TIME,... with NAME wake, dequeue, dispatch, select, notify");
			std::string k = item.substr(0, eq);
			if (k == "wake")
				c->wake_ns = ns;
			else if (k == "dequeue")
				c->dequeue_ns = ns;
			else if (k == "dispatch")
				c->dispatch_ns = ns;
			else if (k == "select")
				c->select_ns = ns;
			else if (k == "notify")
				c->notify_ns = ns;
			else
				return bad("cost", v, "unknown cost (wake, dequeue, dispatch, select, notify)");
		}
	}
	return true;
}

// ---- the checks of capi/scxcore.cpp --------------------------------------

// The library's option rules, turned into the simulator's options.
int to_options(const struct scx_opts *in, scxsim::SimOptions *out)
{
	scxcore::Options o;
	int err = scxcore::parse_options(in, &o);
	if (err)
		return err;
	out->name = o.name;
	out->slice_ns = o.slice_ns;
	out->timeout_ms = o.timeout_ms;
	out->failsafe_ms = o.failsafe_ms;
	out->idle_wait_ms = o.idle_wait_ms;
	out->ring_size_kb = o.ring_size_kb;
	out->wake_batch = o.wake_batch;
	out->partial = o.partial;
	out->builtin_idle = o.builtin_idle;
	return 0;
}

void after_call(scx_sched *s)
{
	if (s->sim->exited())
		clock_detach();
}

} // namespace

// ---- CLOCK_MONOTONIC and sched_getcpu() ------------------------------------

// The CPU the scheduler's thread runs on in the simulated machine (a
// scheduler may hand its own CPU a task before it sleeps).
extern "C" SCX_API int sched_getcpu(void)
{
	if (g_virtual.load(std::memory_order_relaxed))
		return g_cpu.load(std::memory_order_relaxed);
	using fn = int (*)(void);
	static std::atomic<fn> real{nullptr};
	fn f = real.load(std::memory_order_relaxed);
	if (!f) {
		f = (fn)dlvsym(RTLD_NEXT, "sched_getcpu", "GLIBC_2.6");
		if (!f)
			f = (fn)dlsym(RTLD_NEXT, "sched_getcpu");
		if (!f) {
			errno = ENOSYS;
			return -1;
		}
		real.store(f, std::memory_order_relaxed);
	}
	return f();
}


// Bound by the scheduler program (and its libraries) before glibc's, as
// version GLIBC_2.17 (sim/clock.map). Other clocks are the real ones.
extern "C" SCX_API int clock_gettime(clockid_t id, struct timespec *ts)
{
	if ((id == CLOCK_MONOTONIC || id == CLOCK_MONOTONIC_RAW || id == CLOCK_MONOTONIC_COARSE ||
	     id == CLOCK_BOOTTIME) &&
	    (g_virtual.load(std::memory_order_relaxed) || g_offset.load(std::memory_order_relaxed))) {
		uint64_t v = process_mono();
		ts->tv_sec = (time_t)(v / 1000000000ULL);
		ts->tv_nsec = (long)(v % 1000000000ULL);
		return 0;
	}
	return real_clock(id, ts);
}

extern "C" {

SCX_API int scx_init(const struct scx_opts *opts, struct scx_sched **out)
{
	if (!out)
		return -EINVAL;
	*out = nullptr;
	try {
		scxsim::SimOptions o;
		int err = to_options(opts, &o);
		if (err)
			return err;
		std::lock_guard<std::mutex> lock(g_mu);
		if (g_active)
			return -EBUSY; // the kernel runs one sched_ext scheduler
		scxsim::Config cfg;
		if (!read_config(&cfg))
			return -EINVAL;
		scxsim::Workload w;
		std::string why;
		if (!scxsim::load_workload(cfg.workload, cfg.cpus, &w, &why)) {
			fprintf(stderr, "scx-sim: %s\n", why.c_str());
			return -EINVAL;
		}
		if (opts && opts->debug)
			fprintf(stderr, "scx-sim: %s, workload %s, %d CPUs, seed %llu\n", o.name.c_str(),
				cfg.workload.c_str(), w.cpus, (unsigned long long)cfg.seed);
		cfg.clock_base = process_mono();
		cfg.clock_out = &g_vnow;
		cfg.cpu_out = &g_cpu;
		auto *s = new scx_sched;
		s->sim = new scxsim::Sim(cfg, o, std::move(w));
		if (cfg.virtual_clock) {
			g_base.store(cfg.clock_base);
			g_vnow.store(0);
			g_virtual.store(true, std::memory_order_release);
		}
		g_active = s;
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
	if (s->detached)
		return -ENODEV;
	scxsim::SimRecord r;
	int ret = s->sim->dequeue(&r);
	if (ret != 1)
		return ret;
	out->pid = r.pid;
	out->cpu = r.cpu;
	out->nr_cpus_allowed = r.nr_cpus_allowed;
	out->weight = r.weight;
	out->flags = r.flags;
	out->start_ts = r.start_ts;
	out->stop_ts = r.stop_ts;
	out->exec_runtime = r.exec_runtime;
	out->vtime = r.vtime;
	out->enqueue_ts = r.enqueue_ts;
	out->token = r.token;
	memcpy(out->comm, r.comm, SCX_COMM_LEN);
	out->comm[SCX_COMM_LEN - 1] = '\0';
	return 1;
}

SCX_API int scx_dispatch(struct scx_sched *s, const struct scx_dispatched_task *d)
{
	if (!s)
		return -EINVAL;
	uint64_t slice;
	bool clamped;
	int err = scxcore::check_dispatch(d, s->sim->nr_cpus(), &slice, &clamped);
	if (err) {
		s->nr_invalid.fetch_add(1, std::memory_order_relaxed);
		return err;
	}
	if (clamped)
		s->nr_slice_clamped.fetch_add(1, std::memory_order_relaxed);
	if (s->detached)
		return -ENODEV;
	return s->sim->dispatch({d->pid, d->cpu, d->flags, slice, d->vtime, d->token});
}

SCX_API int scx_select_cpu(struct scx_sched *s, int32_t pid, int32_t prev_cpu, uint64_t flags)
{
	if (!s || scxcore::check_select_cpu(pid, prev_cpu, flags, s->sim->nr_cpus()))
		return -EINVAL;
	if (s->detached)
		return -ENODEV;
	return s->sim->select_cpu(pid, prev_cpu, flags & SCX_SELECT_IDLE_CORE);
}

SCX_API int scx_notify(struct scx_sched *s, uint64_t nr_pending)
{
	if (!s)
		return -EINVAL;
	if (s->detached)
		return -ENODEV;
	try {
		int ret = s->sim->notify(nr_pending);
		after_call(s);
		return ret;
	} catch (const std::bad_alloc &) {
		return -ENOMEM;
	}
}

SCX_API int scx_stats(const struct scx_sched *s, struct scx_stats *out)
{
	if (!s || !out || out->sz < sizeof(*out))
		return -EINVAL;
	scxsim::SimStats k = s->sim->stats();
	out->nr_online_cpus = (uint64_t)s->sim->nr_cpus();
	out->nr_running = k.nr_running;
	out->nr_queued = k.nr_queued;
	out->nr_scheduled = s->sim->nr_scheduled();
	out->nr_user_dispatches = k.nr_user_dispatches;
	out->nr_kernel_dispatches = k.nr_kernel_dispatches;
	out->nr_cancel_dispatches = k.nr_cancel_dispatches;
	out->nr_bounce_dispatches = k.nr_bounce_dispatches;
	out->nr_failed_dispatches = k.nr_failed_dispatches;
	out->nr_invalid_dispatches = s->nr_invalid.load(std::memory_order_relaxed);
	out->nr_slice_clamped = s->nr_slice_clamped.load(std::memory_order_relaxed);
	out->nr_sched_congested = k.nr_sched_congested;
	out->nr_failsafe_entries = k.nr_failsafe_entries;
	out->nr_failsafe_dispatches = k.nr_failsafe_dispatches;
	out->failsafe_ns = k.failsafe_ns;
	return 0;
}

SCX_API bool scx_exited(const struct scx_sched *s)
{
	return !s || s->detached || s->sim->exited();
}

SCX_API int scx_shutdown(struct scx_sched *s, struct scx_exit_info *out)
{
	if (!s || (out && out->sz < sizeof(*out)))
		return -EINVAL;
	try {
		if (!s->detached) {
			s->sim->unregister();
			clock_detach();
			s->kind = s->sim->exit_kind();
			s->reason = s->sim->exit_reason();
			s->msg = s->sim->exit_msg();
			s->detached = true;
		}
		if (!out)
			return 0;
		out->kind = s->kind;
		out->exit_code = 0;
		out->should_restart = false;
		snprintf(out->reason, sizeof(out->reason), "%s", s->reason.c_str());
		snprintf(out->msg, sizeof(out->msg), "%s", s->msg.c_str());
		out->dump = "";
		return 0;
	} catch (...) {
		return -ENOMEM;
	}
}

SCX_API void scx_destroy(struct scx_sched *s)
{
	if (!s)
		return;
	scx_shutdown(s, nullptr);
	std::lock_guard<std::mutex> lock(g_mu);
	if (g_active == s)
		g_active = nullptr;
	delete s->sim;
	delete s;
}

SCX_API int scx_nr_cpus(const struct scx_sched *s)
{
	return s ? s->sim->nr_cpus() : -EINVAL;
}

SCX_API int scx_cpu_info(const struct scx_sched *s, int32_t cpu, struct scx_cpu_info *out)
{
	if (!s || !out || out->sz < sizeof(*out) || cpu < 0 || cpu >= s->sim->nr_cpus())
		return -EINVAL;
	int core, llc, node;
	s->sim->cpu_info(cpu, &core, &llc, &node);
	out->cpu = cpu;
	out->core_id = core;
	out->llc_id = llc;
	out->node = node;
	out->online = true;
	return 0;
}

SCX_API int scx_cpu_siblings(const struct scx_sched *s, int32_t cpu, enum scx_topo_level level, int32_t *cpus,
			     size_t n)
{
	if (!s || cpu < 0 || cpu >= s->sim->nr_cpus() || level < SCX_TOPO_SMT || level > SCX_TOPO_NODE ||
	    (!cpus && n))
		return -EINVAL;
	try {
		std::vector<int> sib = s->sim->siblings(cpu, (int)level);
		for (size_t i = 0; i < sib.size() && i < n; i++)
			cpus[i] = sib[i];
		return (int)sib.size();
	} catch (...) {
		return -ENOMEM;
	}
}

// ---- the simulator's own calls (scxsim.h) ----------------------------------

SCX_API int scx_sim_set(const char *key, const char *value)
{
	if (!key)
		return -EINVAL;
	for (const char *k : kKeys)
		if (!strcmp(k, key)) {
			std::lock_guard<std::mutex> lock(g_mu);
			if (value)
				g_set[key] = value;
			else
				g_set.erase(key);
			return 0;
		}
	return -EINVAL;
}

SCX_API const char *scx_sim_report(const struct scx_sched *s)
{
	return s ? s->sim->report_json().c_str() : nullptr;
}

SCX_API uint64_t scx_sim_now_ns(const struct scx_sched *s)
{
	return s ? s->sim->now_ns() : 0;
}

SCX_API uint64_t scx_sim_nr_events(const struct scx_sched *s)
{
	return s ? s->sim->nr_events() : 0;
}

} // extern "C"
