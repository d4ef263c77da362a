// SPDX-License-Identifier: GPL-2.0-only
// What libscxcore-sim.so adds to the process, beyond the backend
// (sim/backend.cpp): the process's CLOCK_MONOTONIC and sched_getcpu() (while
// a simulation runs they read virtual time and the scheduler thread's
// simulated CPU, so that a scheduler comparing its own clock with the task
// timestamps sees one time line), the run's configuration (SCX_SIM_*
// variables, scx_sim_set()), and the scx_sim_* calls of sim/scxsim.h.
#include <scx/scxcore.h>

#include "../capi/backend.h"
#include "engine.h"
#include "runtime.h"
#include "scxsim.h"

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

// ---- configuration -------------------------------------------------------

std::mutex g_mu;
std::map<std::string, std::string> g_set; // scx_sim_set()
bool g_running = false;                   // a simulation runs (begin_run)

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

} // namespace

bool scxsim::read_config(Config *c)
{
	std::lock_guard<std::mutex> lock(g_mu);
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
				return bad("cost", v, "must be NAME=TIME,... with NAME wake, dequeue, dispatch, select, notify, syscall");
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
			else if (k == "syscall")
				c->syscall_ns = ns;
			else
				return bad("cost", v, "unknown cost (wake, dequeue, dispatch, select, notify, syscall)");
		}
	}
	return true;
}

bool scxsim::begin_run()
{
	std::lock_guard<std::mutex> lock(g_mu);
	if (g_running)
		return false;
	g_running = true;
	return true;
}

void scxsim::end_run()
{
	std::lock_guard<std::mutex> lock(g_mu);
	g_running = false;
}

void scxsim::clock_attach(Config *c)
{
	c->clock_base = process_mono();
	c->clock_out = &g_vnow;
	c->cpu_out = &g_cpu;
	if (c->virtual_clock) {
		g_base.store(c->clock_base);
		g_vnow.store(0);
		g_virtual.store(true, std::memory_order_release);
	}
}

void scxsim::clock_detach()
{
	if (!g_virtual.load())
		return;
	uint64_t v = g_base.load() + g_vnow.load();
	uint64_t r = real_mono();
	if (v > r)
		g_offset.store((int64_t)(v - r));
	g_virtual.store(false, std::memory_order_release);
}

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
// version GLIBC_2.17 (sim/sim.map). Other clocks are the real ones.
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
	const scxsim::Sim *sim = scxsim::sim_of(s);
	return sim ? sim->report_json().c_str() : nullptr;
}

SCX_API uint64_t scx_sim_now_ns(const struct scx_sched *s)
{
	const scxsim::Sim *sim = scxsim::sim_of(s);
	return sim ? sim->now_ns() : 0;
}

SCX_API uint64_t scx_sim_nr_events(const struct scx_sched *s)
{
	const scxsim::Sim *sim = scxsim::sim_of(s);
	return sim ? sim->nr_events() : 0;
}

} // extern "C"
