// SPDX-License-Identifier: GPL-2.0-only
/*
 * micro_bench: the user-space side of libscxcore alone (`make bench-micro`).
 *
 * Linked from the library's own objects (capi/, cxx/, the embedded BPF
 * object) and the same static libbpf, so what runs is the real code of
 * scx_init(), scx_dequeue(), scx_select_cpu(), scx_dispatch() and
 * scx_notify(), including libbpf's ring-buffer consumer (ring_buffer__*)
 * and user-ring producer (user_ring_buffer__*). Only what needs a kernel is
 * replaced, with the linker's --wrap (see mk/bench.mk):
 *
 *  - the two BPF ring-buffer maps are memfds laid out like the kernel's
 *    (consumer page, producer page, data pages mapped twice), so libbpf
 *    mmap()s and reads them exactly as it does a real BPF_MAP_TYPE_RINGBUF /
 *    USER_RINGBUF; this file plays the kernel's part: it writes task records
 *    into "queued" in the kernel's format and drains "dispatched" the way
 *    bpf_user_ringbuf_drain() does;
 *  - bpf_object__load / attach / link destroy do nothing (the object is still
 *    opened and parsed by libbpf); its .bss becomes a memfd that the
 *    library maps as it maps the kernel's (bpf_map__fd, mmap) and reads
 *    back to check the mapping is live (bpf_map_lookup_elem);
 *  - the kernel's BTF is a small one holding the enums the library reads;
 *  - /sys/kernel/sched_ext/state reads "disabled";
 *  - epoll_wait() never sleeps (a real epoll_wait system call with timeout
 *    0: scx_notify() pays for the system call, not for a sleep);
 *  - BPF_PROG_TEST_RUN: the flush program drains "dispatched"; the
 *    scx_select_cpu() fallback answers -EBUSY (not reached: every task's
 *    affinity is known from its dequeue, so the shared idle view answers).
 *
 * Each benchmark pushes 1,000,000 tasks through, in batches of B records
 * per "wake-up" (the argument). Reported time is per 1M tasks; the
 * counters bpf_calls_per_task (BPF_PROG_TEST_RUN) and epoll_waits_per_task
 * are the system calls the library made, which the simulator's cost model
 * must predict (tests/sim/sim_test.cpp, CostModel.*).
 */
#include <benchmark/benchmark.h>
#include <scx/scxcore.h>

#include "../../bpf/intf.h"
#include "../../cxx/btf_util.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <sys/epoll.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

namespace {

constexpr long kTasks = 1000000;
constexpr const char *kStatePath = "/sys/kernel/sched_ext/state";

// One fake ring-buffer map: a memfd of consumer page + producer page + data.
struct FakeRing {
	int fd = -1;
	uint32_t size = 0; // data bytes (the map's max_entries), a power of two
	// The kernel side's own view of it.
	uint64_t *cons = nullptr, *prod = nullptr;
	char *data = nullptr; // mapped twice in a row
};

FakeRing g_queued, g_dispatched;
const struct bpf_map *g_bss; // the .bss map, and its "kernel" memory
int g_bss_fd = -1;
size_t g_bss_size, g_bss_value_size; // mapped (whole pages); the map's value
scx_intf_stats *g_stats;
scx_intf_exit *g_exit;
uint64_t *g_idle;
int g_state_fd = -1;
char g_fake_link;
long g_page;

} // namespace

extern "C" {
void *__real_mmap64(void *addr, size_t len, int prot, int flags, int fd, off_t off);
int __real_access(const char *path, int mode);
int __real_epoll_ctl(int epfd, int op, int fd, struct epoll_event *ev);
int __real_epoll_wait(int epfd, struct epoll_event *ev, int max, int timeout);
int __real_bpf_map__fd(const struct bpf_map *map);
int __real_bpf_map_lookup_elem(int fd, const void *key, void *value);
int __real_bpf_map_get_info_by_fd(int fd, struct bpf_map_info *info, __u32 *len);
}

namespace {

// Page, page, then the data twice: what the kernel gives an mmap() of a ring
// at offset one page (the consumer page is at offset 0).
char *map_data_twice(const FakeRing &r, int prot)
{
	size_t len = (size_t)g_page + 2 * (size_t)r.size;
	char *base = static_cast<char *>(
		__real_mmap64(nullptr, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	if (base == MAP_FAILED)
		return nullptr;
	if (__real_mmap64(base, (size_t)g_page + r.size, prot, MAP_SHARED | MAP_FIXED, r.fd, g_page) ==
		    MAP_FAILED ||
	    __real_mmap64(base + g_page + r.size, r.size, prot, MAP_SHARED | MAP_FIXED, r.fd,
			  2 * g_page) == MAP_FAILED) {
		munmap(base, len);
		return nullptr;
	}
	return base;
}

bool make_ring(FakeRing &r, const char *name, uint32_t size)
{
	r.size = size;
	r.fd = memfd_create(name, MFD_CLOEXEC);
	if (r.fd < 0 || ftruncate(r.fd, 2 * g_page + size))
		return false;
	r.cons = static_cast<uint64_t *>(
		__real_mmap64(nullptr, g_page, PROT_READ | PROT_WRITE, MAP_SHARED, r.fd, 0));
	char *base = map_data_twice(r, PROT_READ | PROT_WRITE);
	if (r.cons == MAP_FAILED || !base)
		return false;
	r.prod = reinterpret_cast<uint64_t *>(base);
	r.data = base + g_page;
	return true;
}

uint32_t rec_total(uint32_t len) { return (len + BPF_RINGBUF_HDR_SZ + 7) / 8 * 8; }

uint64_t g_seq;
int g_nr_cpus = 1;

// The kernel's ops.enqueue: up to @n task records into "queued".
int produce(int n)
{
	FakeRing &r = g_queued;
	uint64_t cons = __atomic_load_n(r.cons, __ATOMIC_ACQUIRE);
	uint64_t prod = *r.prod;
	const uint32_t total = rec_total(sizeof(scx_intf_queued));
	int i = 0;
	for (; i < n && prod + total - cons <= r.size; i++) {
		char *at = r.data + (prod & (r.size - 1));
		auto *rec = reinterpret_cast<scx_intf_queued *>(at + BPF_RINGBUF_HDR_SZ);
		uint64_t seq = ++g_seq;
		memset(rec, 0, sizeof(*rec));
		rec->kind = SCX_REC_TASK;
		rec->pid = 1000 + (int32_t)(seq % 1000); // 1,000 tasks, all in the task cache
		rec->cpu = (int32_t)(seq % (uint64_t)g_nr_cpus);
		rec->nr_cpus_allowed = (uint32_t)g_nr_cpus;
		rec->flags = 1; // SCX_ENQ_WAKEUP
		rec->weight = 100;
		rec->enq_seq = seq;
		rec->enqueue_ts = seq;
		memcpy(rec->comm, "bench", 6);
		reinterpret_cast<uint32_t *>(at)[1] = 0; // pg_off: unused by user space
		__atomic_store_n(reinterpret_cast<uint32_t *>(at), (uint32_t)sizeof(*rec), __ATOMIC_RELEASE);
		prod += total;
	}
	__atomic_store_n(r.prod, prod, __ATOMIC_RELEASE);
	__atomic_fetch_add(&g_stats->nr_queued, (uint64_t)i, __ATOMIC_RELAXED);
	return i;
}

uint64_t g_checksum;
long g_bpf_calls, g_epoll_waits; // the library's system calls to the fakes

// bpf_user_ringbuf_drain(), as ops.dispatch does it: every committed record.
int drain()
{
	FakeRing &r = g_dispatched;
	uint64_t cons = *r.cons;
	uint64_t prod = __atomic_load_n(r.prod, __ATOMIC_ACQUIRE);
	int n = 0;
	while (cons < prod) {
		char *at = r.data + (cons & (r.size - 1));
		uint32_t len = __atomic_load_n(reinterpret_cast<uint32_t *>(at), __ATOMIC_ACQUIRE);
		if (len & BPF_RINGBUF_BUSY_BIT)
			break;
		if (!(len & BPF_RINGBUF_DISCARD_BIT)) {
			auto *d = reinterpret_cast<const scx_intf_dispatched *>(at + BPF_RINGBUF_HDR_SZ);
			g_checksum += (uint64_t)d->pid + (uint64_t)d->cpu + d->enq_seq;
			n++;
		}
		cons += rec_total(len & ~(uint32_t)BPF_RINGBUF_DISCARD_BIT);
	}
	__atomic_store_n(r.cons, cons, __ATOMIC_RELEASE);
	__atomic_fetch_add(&g_stats->nr_user_dispatches, (uint64_t)n, __ATOMIC_RELAXED);
	return n;
}

} // namespace

// --- what the library calls instead of the kernel (-Wl,--wrap=...) ----------
extern "C" {

void *__wrap_mmap64(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	for (FakeRing *r : {&g_queued, &g_dispatched}) {
		if (fd < 0 || fd != r->fd)
			continue;
		if (off == 0)
			return __real_mmap64(addr, len, prot, flags, fd, 0);
		if (off == g_page && len == (size_t)g_page + 2 * (size_t)r->size) {
			char *p = map_data_twice(*r, prot);
			return p ? p : MAP_FAILED;
		}
		errno = EINVAL;
		return MAP_FAILED;
	}
	return __real_mmap64(addr, len, prot, flags, fd, off);
}

int __wrap_epoll_ctl(int epfd, int op, int fd, struct epoll_event *ev)
{
	if (fd >= 0 && (fd == g_queued.fd || fd == g_dispatched.fd))
		return 0; // a memfd cannot be polled; nothing here ever sleeps on it
	return __real_epoll_ctl(epfd, op, fd, ev);
}

int __wrap_epoll_wait(int epfd, struct epoll_event *ev, int max, int timeout)
{
	(void)timeout;
	g_epoll_waits++;
	return __real_epoll_wait(epfd, ev, max, 0);
}

int __wrap_bpf_map_get_info_by_fd(int fd, struct bpf_map_info *info, __u32 *len)
{
	for (FakeRing *r : {&g_queued, &g_dispatched})
		if (fd >= 0 && fd == r->fd) {
			memset(info, 0, *len);
			info->type = r == &g_queued ? BPF_MAP_TYPE_RINGBUF : BPF_MAP_TYPE_USER_RINGBUF;
			info->max_entries = r->size;
			return 0;
		}
	return __real_bpf_map_get_info_by_fd(fd, info, len);
}

// A descriptor for the maps and programs the benchmark never reaches
// (exit dump, heartbeat, ...): the library only checks that it has one.
int unused_fd()
{
	static int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	return fd;
}

int __wrap_bpf_program__fd(const struct bpf_program *)
{
	return unused_fd();
}

int __wrap_bpf_object__find_map_fd_by_name(const struct bpf_object *obj, const char *name)
{
	if (!strcmp(name, ".bss"))
		return g_bss_fd;
	FakeRing *r = !strcmp(name, "queued") ? &g_queued : !strcmp(name, "dispatched") ? &g_dispatched : nullptr;
	if (!r)
		return unused_fd();
	if (r->fd < 0 && !make_ring(*r, name, bpf_map__max_entries(bpf_object__find_map_by_name(obj, name))))
		return -ENOMEM;
	return r->fd;
}

int __wrap_bpf_object__load(struct bpf_object *obj)
{
	struct bpf_map *bss = bpf_object__find_map_by_name(obj, ".bss");
	size_t size = 0;
	char *init = bss ? static_cast<char *>(bpf_map__initial_value(bss, &size)) : nullptr;
	const struct btf *btf = bpf_object__btf(obj);
	long stats = scxcore::btf_var_offset(btf, ".bss", "stats");
	long exit = scxcore::btf_var_offset(btf, ".bss", "exit_info");
	long idle = scxcore::btf_var_offset(btf, ".bss", "idle_cpus");
	if (!init || stats < 0 || exit < 0 || idle < 0)
		return -ENOENT;
	g_bss = bss;
	g_bss_value_size = size;
	// The kernel's copy of .bss: a memfd both sides map.
	g_bss_size = (size + (size_t)g_page - 1) / (size_t)g_page * (size_t)g_page;
	g_bss_fd = memfd_create(".bss", MFD_CLOEXEC);
	if (g_bss_fd < 0 || ftruncate(g_bss_fd, (off_t)g_bss_size) || pwrite(g_bss_fd, init, size, 0) != (ssize_t)size)
		return -ENOMEM;
	void *p = __real_mmap64(nullptr, g_bss_size, PROT_READ | PROT_WRITE, MAP_SHARED, g_bss_fd, 0);
	if (p == MAP_FAILED)
		return -ENOMEM;
	char *data = static_cast<char *>(p);
	g_stats = reinterpret_cast<scx_intf_stats *>(data + stats);
	g_exit = reinterpret_cast<scx_intf_exit *>(data + exit);
	g_idle = reinterpret_cast<uint64_t *>(data + idle);
	return 0;
}

int __wrap_bpf_map__fd(const struct bpf_map *map)
{
	if (map && map == g_bss)
		return g_bss_fd;
	return __real_bpf_map__fd(map);
}

int __wrap_bpf_map_lookup_elem(int fd, const void *key, void *value)
{
	if (fd >= 0 && fd == g_bss_fd)
		return pread(fd, value, g_bss_value_size, 0) < 0 ? -errno : 0;
	return __real_bpf_map_lookup_elem(fd, key, value);
}

struct bpf_link *__wrap_bpf_map__attach_struct_ops(const struct bpf_map *)
{
	return reinterpret_cast<struct bpf_link *>(&g_fake_link);
}

int __wrap_bpf_link__destroy(struct bpf_link *link)
{
	if (link && g_exit) { // what ops.exit() writes on unregistration
		snprintf(g_exit->reason, sizeof(g_exit->reason), "unregistered from user space");
		__atomic_store_n(&g_exit->kind, (int64_t)SCX_EXIT_UNREG, __ATOMIC_RELEASE);
	}
	return 0;
}

int __wrap_bpf_prog_test_run_opts(int, struct bpf_test_run_opts *opts)
{
	g_bpf_calls++;
	if (opts && opts->ctx_in && opts->ctx_size_in == sizeof(scx_intf_select_cpu)) {
		auto *args = static_cast<scx_intf_select_cpu *>(const_cast<void *>(opts->ctx_in));
		args->cpu = -EBUSY;
		return 0;
	}
	drain(); // the flush program applies the queued decisions
	return 0;
}

struct btf *__wrap_btf__load_vmlinux_btf(void)
{
	// The enumerators the library reads, with the values of the 7.3 kernel.
	struct btf *b = btf__new_empty();
	if (!b)
		return nullptr;
	btf__add_enum64(b, "scx_ops_flags", 8, true);
	btf__add_enum64_value(b, "SCX_OPS_KEEP_BUILTIN_IDLE", 1);
	btf__add_enum64_value(b, "SCX_OPS_SWITCH_PARTIAL", 8);
	btf__add_enum64(b, "scx_enq_flags", 8, true);
	btf__add_enum64_value(b, "SCX_ENQ_WAKEUP", 1);
	btf__add_enum(b, "scx_pick_idle_cpu_flags", 4);
	btf__add_enum_value(b, "SCX_PICK_IDLE_CORE", 1);
	btf__add_enum64(b, "scx_exit_code", 8, true);
	btf__add_enum64_value(b, "SCX_ECODE_ACT_RESTART", 1ULL << 48);
	return b;
}

int __wrap_access(const char *path, int mode)
{
	if (path && !strcmp(path, kStatePath))
		return 0;
	return __real_access(path, mode);
}

// std::ifstream opens files with fopen64() inside libstdc++: this definition
// interposes it (the executable comes first in symbol lookup).
FILE *fopen64(const char *__restrict path, const char *__restrict mode)
{
	using fopen_fn = FILE *(*)(const char *, const char *);
	static fopen_fn real = reinterpret_cast<fopen_fn>(dlsym(RTLD_NEXT, "fopen64"));
	if (path && !strcmp(path, kStatePath) && g_state_fd >= 0) {
		char fdpath[64];
		snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", g_state_fd);
		return real(fdpath, mode);
	}
	return real(path, mode);
}

} // extern "C"

// --- the benchmarks -----------------------------------------------------------
namespace {

struct scx_sched *g_sched;

struct scx_sched *sched()
{
	if (g_sched)
		return g_sched;
	g_page = sysconf(_SC_PAGESIZE);
	g_state_fd = memfd_create("sched_ext_state", MFD_CLOEXEC);
	if (g_state_fd < 0 || write(g_state_fd, "disabled\n", 9) != 9) {
		perror("memfd");
		exit(1);
	}
	struct scx_opts opts {};
	opts.sz = sizeof(opts);
	opts.name = "micro_bench";
	opts.no_lock_memory = true; // nothing to gain here, and it needs RLIMIT_MEMLOCK
	opts.debug = getenv("MICRO_DEBUG") != nullptr;
	int err = scx_init(&opts, &g_sched);
	if (err) {
		fprintf(stderr, "micro_bench: scx_init on the fake kernel: %s\n", scx_strerror(err));
		exit(1);
	}
	g_nr_cpus = scx_nr_cpus(g_sched);
	return g_sched;
}

void set_all_idle()
{
	for (int c = 0; c < g_nr_cpus; c++)
		__atomic_fetch_or(&g_idle[c / 64], 1ULL << (c % 64), __ATOMIC_RELAXED);
}

enum Mode {
	kBaseline,       // a hand-rolled consumer: copy each record out, write a decision
	kDequeueDispatch, // scx_dequeue + scx_dispatch to the task's CPU
	kSelect,         // + scx_select_cpu (all CPUs idle again at each batch)
	kNotify,         // + scx_notify(s, 0) after each batch
};

// The minimal consumer the library is compared with: no batch, no task
// cache, no validation; one copy of each record out and one decision in.
int baseline_batch()
{
	FakeRing &q = g_queued, &d = g_dispatched;
	uint64_t cons = *q.cons, prod = __atomic_load_n(q.prod, __ATOMIC_ACQUIRE);
	uint64_t dprod = *d.prod;
	int n = 0;
	while (cons < prod) {
		char *at = q.data + (cons & (q.size - 1));
		uint32_t len = __atomic_load_n(reinterpret_cast<uint32_t *>(at), __ATOMIC_ACQUIRE);
		scx_intf_queued rec;
		memcpy(&rec, at + BPF_RINGBUF_HDR_SZ, sizeof(rec));
		benchmark::DoNotOptimize(rec);
		cons += rec_total(len);
		char *dat = d.data + (dprod & (d.size - 1));
		auto *dec = reinterpret_cast<scx_intf_dispatched *>(dat + BPF_RINGBUF_HDR_SZ);
		*dec = scx_intf_dispatched{rec.pid, rec.cpu, 0, 5000000, rec.vtime, rec.enq_seq};
		__atomic_store_n(reinterpret_cast<uint32_t *>(dat), (uint32_t)sizeof(*dec), __ATOMIC_RELEASE);
		dprod += rec_total(sizeof(*dec));
		n++;
	}
	__atomic_store_n(q.cons, cons, __ATOMIC_RELEASE);
	__atomic_store_n(d.prod, dprod, __ATOMIC_RELEASE);
	return n;
}

void run(benchmark::State &state, Mode mode)
{
	struct scx_sched *s = sched();
	const int batch = (int)state.range(0);
	long dispatched = 0;
	g_bpf_calls = g_epoll_waits = 0;

	for (auto _ : state) {
		for (long done = 0; done < kTasks;) {
			int want = (int)std::min<long>(batch, kTasks - done);
			int n = produce(want);
			if (n != want) {
				state.SkipWithError("the fake queued ring is full");
				return;
			}
			if (mode == kSelect || mode == kNotify)
				set_all_idle();
			if (mode == kBaseline) {
				dispatched += baseline_batch();
			} else {
				struct scx_queued_task t {};
				t.sz = sizeof(t);
				while (scx_dequeue(s, &t) == 1) {
					struct scx_dispatched_task d;
					scx_dispatched_task_init(&d, &t);
					if (mode != kDequeueDispatch) {
						int cpu = scx_select_cpu(s, t.pid, t.cpu, 0);
						d.cpu = cpu >= 0 ? cpu : SCX_CPU_ANY;
					}
					if (scx_dispatch(s, &d) == 0)
						dispatched++;
				}
				if (mode == kNotify)
					scx_notify(s, 0);
			}
			drain(); // ops.dispatch on some CPU applies the decisions
			done += n;
		}
	}
	if (dispatched != (long)state.iterations() * kTasks)
		state.SkipWithError("not every task was dispatched");
	state.SetItemsProcessed((int64_t)state.iterations() * kTasks);
	state.counters["time_per_task"] = benchmark::Counter(
		(double)state.iterations() * kTasks, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
	state.counters["cpus"] = g_nr_cpus;
	const double tasks = (double)state.iterations() * kTasks;
	state.counters["bpf_calls_per_task"] = (double)g_bpf_calls / tasks;
	state.counters["epoll_waits_per_task"] = (double)g_epoll_waits / tasks;
}

void BM_Baseline(benchmark::State &state) { run(state, kBaseline); }
void BM_DequeueDispatch(benchmark::State &state) { run(state, kDequeueDispatch); }
void BM_DequeueSelectDispatch(benchmark::State &state) { run(state, kSelect); }
void BM_DequeueSelectDispatchNotify(benchmark::State &state) { run(state, kNotify); }

#define BATCHES ->Arg(1)->Arg(64)->Arg(512)->Unit(benchmark::kMillisecond)->MinTime(0.5)
BENCHMARK(BM_Baseline) BATCHES;
BENCHMARK(BM_DequeueDispatch) BATCHES;
BENCHMARK(BM_DequeueSelectDispatch) BATCHES;
BENCHMARK(BM_DequeueSelectDispatchNotify) BATCHES;

} // namespace

BENCHMARK_MAIN();
