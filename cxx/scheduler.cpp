// SPDX-License-Identifier: GPL-2.0-only
#include "scheduler.h"
#include "sys_util.h"

#include "btf_util.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <algorithm>
#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstddef>
#include <cstring>
#include <memory>
#include <new>
#include <tuple>
#include <sched.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

// ring_buffer__consume_n() is libbpf >= 1.5. With 1.4 (LIBBPF=system on
// Debian 12, whose bookworm-backports has 1.4.6) on_queued() ends
// ring_buffer__consume() itself once the batch is full: a negative return
// stops it after that record has been consumed.
#if LIBBPF_MAJOR_VERSION > 1 || (LIBBPF_MAJOR_VERSION == 1 && LIBBPF_MINOR_VERSION >= 5)
#define SCX_HAVE_CONSUME_N 1
#else
static constexpr int kBatchFull = -ENOBUFS;
#endif

// The BPF object, embedded by bpf_blob.S.
extern "C" const char scxcore_bpf_obj[];
extern "C" const char scxcore_bpf_obj_end[];
extern "C" const char scxcore_bpf_cid_obj[];
extern "C" const char scxcore_bpf_cid_obj_end[];

namespace scxcore {

// The records must look the same to clang -target bpf and to us.
static_assert(sizeof(scx_intf_queued) == 144 && offsetof(scx_intf_queued, cgroup_id) == 136, "intf.h");
static_assert(sizeof(scx_intf_dispatched) == 40, "intf.h");
static_assert(sizeof(scx_intf_select_cpu) == 24, "intf.h");
static_assert(sizeof(scx_intf_exit) == 24 + 128 + 1024, "intf.h");
static_assert(sizeof(scx_intf_cgroup) == 40, "intf.h");

namespace {

// libbpf is linked privately into this library, so its print hook is ours.
std::atomic<bool> g_debug{false};

int libbpf_print(enum libbpf_print_level, const char *fmt, va_list ap)
{
	return g_debug.load(std::memory_order_relaxed) ? vfprintf(stderr, fmt, ap) : 0;
}

template <typename T> bool set_var(bpf_object *obj, bpf_map *map, const char *sec, const char *name, T val)
{
	size_t size = 0;
	char *data = static_cast<char *>(bpf_map__initial_value(map, &size));
	long off = btf_var_offset(bpf_object__btf(obj), sec, name);
	if (!data || off < 0 || off + sizeof(T) > size)
		return false;
	memcpy(data + off, &val, sizeof(T));
	return true;
}

std::string bounded(const char *s, size_t max)
{
	return std::string(s, strnlen(s, max));
}

} // namespace

Scheduler::~Scheduler()
{
	shutdown(nullptr);
	if (bss_)
		munmap(bss_, bss_size_);
	ring_buffer__free(queued_);
	user_ring_buffer__free(dispatched_);
	bpf_object__close(obj_);
	for (int fd : pinned_fds_)
		close(fd);
	if (opts_.lock_memory)
		munlockall();
}

int Scheduler::create(const Options &opts, Scheduler **out)
{
	g_debug.store(opts.debug);
	libbpf_set_print(libbpf_print);
	if (opts.takeover != SCX_TAKEOVER_NEVER) {
		std::unique_ptr<Scheduler> s(new (std::nothrow) Scheduler());
		if (!s)
			return -ENOMEM;
		int err = s->take_over(opts);
		if (!err) {
			*out = s.release();
			return 0;
		}
		bool load = (err == -ENOENT && opts.takeover >= SCX_TAKEOVER_OR_LOAD) ||
			    (err == -ENOEXEC && opts.takeover == SCX_TAKEOVER_OR_RELOAD);
		if (!load)
			return err;
		if (err == -ENOEXEC && (err = unload_pinned(opts)))
			return err;
	}
	std::unique_ptr<Scheduler> s(new (std::nothrow) Scheduler());
	if (!s)
		return -ENOMEM;
	int err = s->load(opts);
	if (!err)
		err = s->attach();
	if (!err && opts.linger_ms)
		err = s->pin();
	if (err)
		return err;
	*out = s.release();
	return 0;
}

int Scheduler::load(const Options &opts)
{
	opts_ = opts;

	// What is missing, said plainly (scx_init() documents the codes).
	if (libbpf_major_version() < 1 || (libbpf_major_version() == 1 && libbpf_minor_version() < 4)) {
		diag(opts_.debug, "libbpf %s is too old: libscxcore needs libbpf >= 1.4 (.struct_ops.link maps, "
		     "sleepable struct_ops programs)", libbpf_version_string());
		return -EOPNOTSUPP;
	}
	if (access("/sys/kernel/sched_ext/state", F_OK)) {
		diag(opts_.debug, "this kernel has no sched_ext (no /sys/kernel/sched_ext): a kernel built "
		     "with CONFIG_SCHED_CLASS_EXT=y is needed (tested: Linux 6.16 to 7.3)");
		return -EOPNOTSUPP;
	}
	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		diag(opts_.debug, "this kernel exposes no BTF (/sys/kernel/btf/vmlinux: CONFIG_DEBUG_INFO_BTF=y is needed)");
		return -EOPNOTSUPP;
	}
	if ((opts.host_subs || !opts.sub_cgroup.empty()) && !kernel_has_member("sched_ext_ops_cid", "sub_attach")) {
		diag(opts_.debug, "opts.%s: this kernel has no sub-schedulers (no struct sched_ext_ops_cid with "
		     "sub_attach in its BTF: Linux 7.3+ is needed)", opts.host_subs ? "host_subs" : "sub_cgroup");
		return -EOPNOTSUPP;
	}
	std::string state = read_first_line("/sys/kernel/sched_ext/state");
	if (state != "disabled" && opts.sub_cgroup.empty()) { // a sub-scheduler attaches under one
		diag(opts_.debug, "another sched_ext scheduler is %s: '%s' (/sys/kernel/sched_ext/state, root/ops)",
		     state.c_str(), read_first_line("/sys/kernel/sched_ext/root/ops").c_str());
		return -EBUSY;
	}
	// What a scheduler of this name pinned and left when it ended without
	// its owner (none runs now).
	remove_pins(pin_dir(opts.name));
	int err = opts.linger_ms ? prepare_pin_dir() : 0;
	if (!err)
		err = open_object();
	if (err)
		return err;
	bpf_map *rodata = bpf_object__find_map_by_name(obj_, ".rodata");
	bpf_map *ops = bpf_object__find_map_by_name(obj_, "scxcore_ops");
	bpf_map *dump = bpf_object__find_map_by_name(obj_, "exit_dump");
	if (!rodata || !ops || !dump) {
		diag(opts_.debug, "the BPF object lacks a map this library needs");
		return -ENOENT;
	}
	if (!set_var<uint32_t>(obj_, rodata, ".rodata", "exit_dump_len", opts.exit_dump_len)) {
		diag(opts_.debug, "the BPF object lacks a configuration variable this library needs");
		return -ENOENT;
	}
	err = bpf_map__set_value_size(dump, opts.exit_dump_len ? opts.exit_dump_len : 1);
	if (err)
		return err;
	for (const char *ring : {"queued", "dispatched"}) {
		err = bpf_map__set_max_entries(bpf_object__find_map_by_name(obj_, ring),
					       opts.ring_size_kb * 1024);
		if (err)
			return err;
	}

	// struct_ops fields, placed by our object's BTF; libbpf maps them by
	// name onto the running kernel's layout at load.
	const struct btf *btf = bpf_object__btf(obj_);
	size_t ops_size = 0;
	char *ops_data = static_cast<char *>(bpf_map__initial_value(ops, &ops_size));
	long name_off = btf_member_offset(btf, ops_type(), "name");
	long flags_off = btf_member_offset(btf, ops_type(), "flags");
	long timeout_off = btf_member_offset(btf, ops_type(), "timeout_ms");
	long dump_off = btf_member_offset(btf, ops_type(), "exit_dump_len");
	if (!ops_data || name_off < 0 || flags_off < 0 || timeout_off < 0 || dump_off < 0) {
		diag(opts_.debug, "the BPF object's struct sched_ext_ops lacks name, flags, timeout_ms or exit_dump_len");
		return -ENOENT;
	}
	char name[128] = {};
	snprintf(name, sizeof(name), "%s", opts.name.c_str());
	memcpy(ops_data + name_off, name, sizeof(name));
	// We keep our own idle view (ops.update_idle) and still use the
	// kernel's idle tracking to claim CPUs.
	auto keep_idle = kernel_enum_value("scx_ops_flags", "SCX_OPS_KEEP_BUILTIN_IDLE");
	if (!keep_idle) {
		diag(opts_.debug, "the kernel's BTF has no SCX_OPS_KEEP_BUILTIN_IDLE (sched_ext older than 6.12?)");
		return -EOPNOTSUPP;
	}
	uint64_t flags = *keep_idle;
	for (auto [wanted, option, flag] : {std::make_tuple(opts.partial, "partial", "SCX_OPS_SWITCH_PARTIAL"),
					    std::make_tuple(opts.enq_last, "enq_last", "SCX_OPS_ENQ_LAST")}) {
		if (!wanted)
			continue;
		auto value = kernel_enum_value("scx_ops_flags", flag);
		if (!value) {
			diag(opts_.debug, "opts.%s: the kernel's BTF has no %s", option, flag);
			return -EOPNOTSUPP;
		}
		flags |= *value;
	}
	memcpy(ops_data + flags_off, &flags, sizeof(flags));
	memcpy(ops_data + timeout_off, &opts.timeout_ms, sizeof(uint32_t));
	if (!opts.sub_cgroup.empty()) {
		// The kernel names a cgroup by its kernfs id: the inode number.
		struct stat st;
		long off = btf_member_offset(btf, ops_type(), "sub_cgroup_id");
		if (off < 0) {
			diag(opts_.debug, "the BPF object's struct sched_ext_ops_cid lacks sub_cgroup_id");
			return -ENOENT;
		}
		if (stat((opts.sub_cgroup + "/cgroup.procs").c_str(), &st) || stat(opts.sub_cgroup.c_str(), &st)) {
			int err = -errno;
			diag(opts_.debug, "opts.sub_cgroup %s: not a cgroup v2 directory: %s", opts.sub_cgroup.c_str(),
			     strerror(-err));
			return err;
		}
		uint64_t id = st.st_ino;
		memcpy(ops_data + off, &id, sizeof(id));
	}
	memcpy(ops_data + dump_off, &opts.exit_dump_len, sizeof(uint32_t));
	// The cgroup ops exist with CONFIG_EXT_GROUP_SCHED, set_bandwidth from
	// 6.17, set_idle from 6.19 (the cid form calls them cpuctl_*, same
	// config): leave out what this kernel lacks (libbpf 1.4 refuses a
	// member the kernel does not have; later ones skip it only when it is
	// NULL).
	for (const char *op : {"init", "exit", "set_weight", "set_bandwidth", "set_idle"}) {
		std::string member = std::string(cid_form_ ? "cpuctl_" : "cgroup_") + op;
		if (kernel_has_member(ops_type(), member.c_str()))
			continue;
		long off = btf_member_offset(btf, ops_type(), member.c_str());
		std::string prog = std::string("scxcore_cgroup_") + op;
		if (off < 0 || bpf_program__set_autoload(bpf_object__find_program_by_name(obj_, prog.c_str()), false)) {
			diag(opts_.debug, "the BPF object lacks ops.%s or its program", member.c_str());
			return -ENOENT;
		}
		memset(ops_data + off, 0, sizeof(void *));
	}
	// ops.hotplug_seq stays 0: the BPF side follows CPU hotplug itself
	// (ops.cpu_online/offline), so a hotplug during the load is no reason
	// for the kernel to refuse the attach.

	err = bpf_object__load(obj_);
	if (err) {
		if (err == -EPERM)
			diag(opts_.debug, "not permitted: loading a scheduler needs CAP_SYS_ADMIN (or CAP_BPF and CAP_PERFMON)");
		else if (err == -E2BIG)
			diag(opts_.debug, "the kernel's verifier refused the BPF side as too large or too complex "
			     "(the verifier's log is above)");
		else
			diag(opts_.debug, "loading the BPF side failed: %s (libbpf's and the verifier's messages are above)",
			     strerror(-err));
		return err;
	}

	if (cid_form_ && (err = associate_syscall_programs()))
		return err;
	err = setup(object_fds());
	if (err)
		return err;
	// Before attach: ops.init() starts the heartbeat from the settings.
	write_settings();
	owner_->tgid = getpid();
	owner_->pid = gettid();
	loop_thread_ = pthread_self();
	owner_->epoch = epoch_ = 1;
	owner_->linger_ns = (uint64_t)opts.linger_ms * 1000000;
	owner_->pinned = pinned_ = opts.linger_ms != 0;
	return 0;
}

// The object's maps and programs, once loaded.
Scheduler::Fds Scheduler::object_fds() const
{
	Fds f;
	for (size_t i = 0; i < kPins.size(); i++) {
		const char *name = kPins[i].object_name;
		f.fd[i] = kPins[i].is_prog ? bpf_program__fd(bpf_object__find_program_by_name(obj_, name))
					   : bpf_object__find_map_fd_by_name(obj_, name);
	}
	return f;
}

// The programs user space runs (BPF_PROG_TEST_RUN) call sched_ext kfuncs,
// which find their scheduler through the struct_ops map the program is
// associated with; unassociated ones only reach the root scheduler
// (kernel/sched/ext/internal.h, scx_prog_sched()). libbpf 1.5 has no call
// for BPF_PROG_ASSOC_STRUCT_OPS (7.3): the raw system call.
int Scheduler::associate_syscall_programs()
{
	constexpr int kBpfProgAssocStructOps = 38;
	struct {
		uint32_t map_fd, prog_fd, flags;
	} attr = {};
	attr.map_fd = uint32_t(bpf_object__find_map_fd_by_name(obj_, "scxcore_ops"));
	bpf_program *prog;
	bpf_object__for_each_program(prog, obj_) {
		if (bpf_program__type(prog) != BPF_PROG_TYPE_SYSCALL || bpf_program__fd(prog) < 0)
			continue;
		attr.prog_fd = uint32_t(bpf_program__fd(prog));
		if (syscall(__NR_bpf, kBpfProgAssocStructOps, &attr, sizeof(attr)) < 0) {
			int err = -errno;
			diag(opts_.debug, "cannot associate program %s with the scheduler: %s", bpf_program__name(prog),
			     strerror(-err));
			return err;
		}
	}
	return 0;
}

// bpf_object__open_mem() of the embedded object: for a load, or for the
// layouts (BTF) of a running one.
int Scheduler::open_object()
{
	topo_ = Topology::read();
	auto open_opts = libbpf_opts<bpf_object_open_opts>();
	open_opts.object_name = "scxcore";
	cid_form_ = opts_.host_subs || !opts_.sub_cgroup.empty();
	obj_ = cid_form_ ? bpf_object__open_mem(scxcore_bpf_cid_obj, scxcore_bpf_cid_obj_end - scxcore_bpf_cid_obj, &open_opts)
			 : bpf_object__open_mem(scxcore_bpf_obj, scxcore_bpf_obj_end - scxcore_bpf_obj, &open_opts);
	if (!obj_) {
		int err = -errno;
		diag(opts_.debug, "libbpf cannot open the embedded BPF object: %s", strerror(-err));
		return err;
	}
	return 0;
}

// What a loaded or taken-over scheduler needs alike: the shared memory,
// the rings, the programs user space runs, the CPU orders.
int Scheduler::setup(const Fds &f)
{
	for (int fd : f.fd)
		if (fd < 0) {
			diag(opts_.debug, "the BPF object lacks a map or program this library needs");
			return -ENOENT;
		}
	bpf_map *bss = bpf_object__find_map_by_name(obj_, ".bss");
	if (!bss)
		return -ENOENT;
	int err = map_shared(f.get(Pin::Bss), bpf_map__value_size(bss));
	if (err)
		return err;
	struct bpf_map_info info = {};
	uint32_t info_len = sizeof(info);
	if (!bpf_map_get_info_by_fd(f.get(Pin::Bss), &info, &info_len))
		bss_id_ = info.id;
	select_cpu_fd_ = f.get(Pin::SelectCpu);
	flush_fd_ = f.get(Pin::Flush);
	take_over_fd_ = f.get(Pin::TakeOver);
	exit_dump_fd_ = f.get(Pin::ExitDump);
	cgroups_fd_ = f.get(Pin::Cgroups);

	queued_ = ring_buffer__new(f.get(Pin::Queued), on_queued, this, nullptr);
	if (!queued_)
		return -errno;
	dispatched_ = user_ring_buffer__new(f.get(Pin::Dispatched), nullptr);
	if (!dispatched_)
		return -errno;
	exit_code_restart_ = kernel_enum_value("scx_exit_code", "SCX_ECODE_ACT_RESTART").value_or(0);

	tasks_.assign(kTaskCache, TaskInfo{});
	cpu_order_.resize(topo_.nr_cpus());
	for (int c = 0; c < topo_.nr_cpus(); c++) {
		std::vector<int32_t> &order = cpu_order_[c];
		std::vector<bool> taken(topo_.nr_cpus());
		order.push_back(c);
		taken[c] = true;
		for (int level = 0; level <= 2; level++)
			for (int32_t s : topo_.siblings(c, level))
				if (!taken[s]) {
					order.push_back(s);
					taken[s] = true;
				}
		for (int s = 0; s < topo_.nr_cpus(); s++)
			if (!taken[s] && topo_.cpu(s).possible)
				order.push_back(s);
	}

	// The cid form's arena is the kernel's, not ours: unmapped here, so
	// that mlockall() does not fault in (and so allocate) all its pages.
	// libbpf unmaps the same range again on close: harmless, nothing else
	// is placed at its fixed address (map_extra).
	if (cid_form_) {
		const bpf_map *arena = bpf_object__find_map_by_name(obj_, "arena");
		if (arena)
			munmap(reinterpret_cast<void *>(bpf_map__map_extra(arena)),
			       size_t(bpf_map__max_entries(arena)) * size_t(sysconf(_SC_PAGESIZE)));
	}
	// Never wait on a page fault: lock what is mapped now (populating it)
	// and whatever is mapped later as it is touched, so mmap() still works.
	if (opts_.lock_memory &&
	    (mlockall(MCL_CURRENT) || mlockall(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT))) {
		int err = -errno;
		diag(opts_.debug, "opts.no_lock_memory is false, and mlockall() failed: %s", strerror(-err));
		return err;
	}
	return 0;
}

template <typename T> T *Scheduler::shared_var(const char *name) const
{
	long off = btf_var_offset(bpf_object__btf(obj_), ".bss", name);
	if (off < 0 || off + sizeof(T) > bss_size_)
		return nullptr;
	return reinterpret_cast<T *>(static_cast<char *>(bss_) + off);
}

// The settings the BPF side reads, from our options.
void Scheduler::write_settings()
{
	settings_->slice_dfl_ns = opts_.slice_ns;
	settings_->failsafe_ns = (uint64_t)opts_.failsafe_ms * 1000000;
	settings_->wake_batch = opts_.wake_batch;
	settings_->builtin_idle = opts_.builtin_idle;
	settings_->wake_to_idle_prev = opts_.wake_to_idle_prev;
	settings_->idle_runs_oldest = opts_.idle_runs_oldest;
	settings_->enq_last = opts_.enq_last;
	// Records that need no answer wait for a batch even where every task
	// wakes the policy (wake_batch 1: a policy that preempts on wake-up).
	settings_->placed_wake_batch = std::max(opts_.wake_batch, SCX_WAKE_BATCH_DEFAULT);
}

// Map the BPF side's .bss ourselves. libbpf >= 1.5 remaps
// bpf_map__initial_value() onto the map at load, but 1.4 (Debian 12's
// bookworm-backports) does that only for skeletons and leaves it pointing
// at a private copy: every counter would read 0 and nothing user space
// writes would reach BPF. Then prove the mapping is live: a value written
// through it must be what the kernel holds.
int Scheduler::map_shared(int bss_fd, size_t value_size)
{
	long page = sysconf(_SC_PAGESIZE);
	bss_size_ = (value_size + page - 1) / page * page;
	void *p = mmap(nullptr, bss_size_, PROT_READ | PROT_WRITE, MAP_SHARED, bss_fd, 0);
	if (p == MAP_FAILED) {
		int err = -errno;
		diag(opts_.debug, "cannot map the BPF side's shared memory (.bss): %s", strerror(-err));
		return err;
	}
	bss_ = p;
	stats_ = shared_var<scx_intf_stats>("stats");
	exit_info_ = shared_var<scx_intf_exit>("exit_info");
	nr_pending_ = shared_var<volatile uint64_t>("nr_pending");
	usersched_sleeping_ = shared_var<volatile uint32_t>("usersched_sleeping");
	usersched_seen_ns_ = shared_var<volatile uint64_t>("usersched_seen_ns");
	idle_cpus_ = shared_var<uint64_t>("idle_cpus");
	affinity_gen_ = shared_var<volatile uint32_t>("affinity_gen");
	online_cpus_ = shared_var<const uint64_t>("online_cpus");
	decisions_sent_ = shared_var<volatile uint64_t>("decisions_sent");
	decisions_taken_ = shared_var<const uint64_t>("decisions_taken");
	dispatch_waiters_ = shared_var<volatile uint32_t>("dispatch_waiters");
	placed_unread_ = shared_var<volatile uint64_t>("placed_unread");
	cgroup_seq_ = shared_var<const uint64_t>("cgroup_seq");
	settings_ = shared_var<scx_intf_config>("settings");
	owner_ = shared_var<scx_intf_owner>("owner");
	if (!decisions_taken_ || !settings_ || !owner_ || !stats_ || !exit_info_ || !nr_pending_ || !usersched_sleeping_ || !usersched_seen_ns_ ||
	    !idle_cpus_ || !affinity_gen_ || !online_cpus_ || !decisions_sent_ || !cgroup_seq_ ||
	    !placed_unread_ || !dispatch_waiters_) {
		diag(opts_.debug, "the BPF object lacks a shared variable this library needs");
		return -ENOENT;
	}

	// A variable only this check writes, so that a running scheduler's
	// owner (a take-over) does not race it; two processes taking over at
	// once might, hence a few tries. A mapping that is not live never
	// matches.
	volatile uint64_t *probe_var = shared_var<volatile uint64_t>("shm_probe");
	if (!probe_var)
		return -ENOENT;
	std::vector<char> kernel_copy(value_size);
	uint64_t probe = 0, seen = 0;
	for (int attempt = 0; attempt < 3; attempt++) {
		probe = (now_ns() + (uint64_t)attempt) | 1;
		*probe_var = probe;
		uint32_t key = 0;
		if (bpf_map_lookup_elem(bss_fd, &key, kernel_copy.data()) == 0)
			memcpy(&seen, kernel_copy.data() + ((const char *)probe_var - (const char *)bss_), sizeof(seen));
		if (seen == probe)
			break;
	}
	if (seen != probe) {
		diag(opts_.debug, "the memory shared with the BPF side is not live (wrote %llu, the kernel holds %llu)",
		     (unsigned long long)probe, (unsigned long long)seen);
		return -EPROTO;
	}
	return 0;
}

int Scheduler::attach()
{
	bpf_map *ops = bpf_object__find_map_by_name(obj_, "scxcore_ops");
	link_ = bpf_map__attach_struct_ops(ops);
	if (!link_) {
		int err = -errno;
		// What the kernel's sub-scheduler attach says (kernel/sched/ext/sub.c).
		if (!opts_.sub_cgroup.empty() && err == -ENODEV)
			diag(opts_.debug, "opts.sub_cgroup: no sched_ext scheduler is enabled to attach under");
		else if (!opts_.sub_cgroup.empty() && err == -EOPNOTSUPP)
			diag(opts_.debug, "opts.sub_cgroup: the scheduler serving the parent cgroup hosts no sub-schedulers "
			     "(no ops.sub_attach: find_parent_sched(); a libscxcore one needs opts.host_subs)");
		else if (!opts_.sub_cgroup.empty() && err == -EBUSY)
			diag(opts_.debug, "opts.sub_cgroup: %s has a sub-scheduler already, or one below it is exiting",
			     opts_.sub_cgroup.c_str());
		else
			diag(opts_.debug, "attaching the scheduler failed: %s", strerror(-err));
		return err;
	}
	attached_ = true;
	return 0;
}


int Scheduler::on_queued(void *ctx, void *data, size_t size)
{
	auto *self = static_cast<Scheduler *>(ctx);
	auto *rec = static_cast<const scx_intf_queued *>(data);
	if (self->discard_bytes_) {
		// A take-over empties what was in the ring when it began, no more:
		// the BPF side keeps adding records meanwhile.
		uint64_t used = (size + BPF_RINGBUF_HDR_SZ + 7) & ~7ULL;
		self->discard_bytes_ = used < self->discard_bytes_ ? self->discard_bytes_ - used : 0;
		if (size >= sizeof(*rec) && rec->kind == SCX_REC_TASK)
			self->nr_discarded_++;
		return self->discard_bytes_ ? 0 : -ENOBUFS;
	}
	if (size < sizeof(*rec) || (rec->kind != SCX_REC_TASK && rec->kind != SCX_REC_PLACED))
		return 0;
	if (self->batch_len_ >= kBatch)
		return 0;
	self->batch_[self->batch_len_++] = *rec;
	self->batch_placed_ += rec->kind == SCX_REC_PLACED;
#ifndef SCX_HAVE_CONSUME_N
	if (self->batch_len_ >= kBatch)
		return kBatchFull;
#endif
	return 0;
}

bool Scheduler::refill()
{
	batch_len_ = batch_pos_ = batch_placed_ = 0;
#ifdef SCX_HAVE_CONSUME_N
	int n = ring_buffer__consume_n(queued_, kBatch);
#else
	int n = ring_buffer__consume(queued_);
	if (n == kBatchFull)
		n = batch_len_;
#endif
	if (batch_len_ > batch_placed_)
		__atomic_fetch_sub(&stats_->nr_queued, batch_len_ - batch_placed_, __ATOMIC_RELAXED);
	if (batch_placed_)
		__atomic_fetch_sub(placed_unread_, batch_placed_, __ATOMIC_RELAXED);
	return n > 0 || batch_len_ > 0;
}

int Scheduler::dequeue(scx_intf_queued *out)
{
	if (gone())
		return -ENODEV;
	while (batch_pos_ == batch_len_) {
		// Wake-up records consume ring space but carry no task.
		if (!refill())
			return 0;
	}
	*out = batch_[batch_pos_++];
	remember(*out);
	return 1;
}

void Scheduler::remember(const scx_intf_queued &rec)
{
	TaskInfo &t = tasks_[(uint32_t)rec.pid & (kTaskCache - 1)];
	t.pid = rec.pid;
	t.selected_cpu = -1;
	t.nr_cpus_allowed = rec.nr_cpus_allowed;
	memcpy(t.cpumask, rec.cpumask, sizeof(t.cpumask));
	t.affinity_seq = rec.affinity_seq;
	t.handoff = rec.hints & SCX_INTF_Q_HANDOFF;
}

bool Scheduler::task_allows(const TaskInfo &t, int cpu) const
{
	if (t.nr_cpus_allowed >= (uint32_t)topo_.nr_cpus())
		return true;
	return cpu < SCX_INTF_MASK_CPUS && (t.cpumask[cpu / 64] & (1ULL << (cpu % 64)));
}

// Take @cpu out of the idle view if it is (with its SMT siblings, if
// @whole_core) idle: the kernel side confirms the claim at dispatch.
bool Scheduler::claim_idle(int cpu, bool whole_core)
{
	if (cpu >= SCX_INTF_MAX_CPUS)
		return false;
	uint64_t bit = 1ULL << (cpu % 64);
	if (!(__atomic_load_n(&idle_cpus_[cpu / 64], __ATOMIC_RELAXED) & bit))
		return false;
	if (whole_core)
		for (int32_t s : cpu_order_[cpu]) {
			if (topo_.cpu(s).core_id != topo_.cpu(cpu).core_id)
				break; // the order lists a CPU's core first
			if (s < SCX_INTF_MAX_CPUS &&
			    !(__atomic_load_n(&idle_cpus_[s / 64], __ATOMIC_RELAXED) & (1ULL << (s % 64))))
				return false;
		}
	return __atomic_fetch_and(&idle_cpus_[cpu / 64], ~bit, __ATOMIC_ACQ_REL) & bit;
}

int Scheduler::dispatch(const Decision &d)
{
	if (gone())
		return -ENODEV;
	auto *rec = static_cast<scx_intf_dispatched *>(
		user_ring_buffer__reserve(dispatched_, sizeof(scx_intf_dispatched)));
	if (!rec) {
		// Full: let the kernel side apply what is there, then wait a bit,
		// counted among the waiters before looking at the ring again:
		// a drain that makes room after that wakes us (apply_decisions()).
		flush();
		__atomic_fetch_add(dispatch_waiters_, 1, __ATOMIC_SEQ_CST);
		rec = static_cast<scx_intf_dispatched *>(user_ring_buffer__reserve_blocking(
			dispatched_, sizeof(scx_intf_dispatched), 100));
		__atomic_fetch_sub(dispatch_waiters_, 1, __ATOMIC_SEQ_CST);
		if (!rec)
			return -EAGAIN;
	}
	rec->pid = d.pid;
	rec->cpu = d.cpu;
	rec->flags = (d.flags & SCX_DISPATCH_PREEMPT) ? SCX_INTF_DSP_PREEMPT : 0;
	TaskInfo &t = tasks_[(uint32_t)d.pid & (kTaskCache - 1)];
	if (t.pid == d.pid && t.selected_cpu >= 0) {
		if (t.selected_cpu == d.cpu)
			rec->flags |= SCX_INTF_DSP_IDLE_HINT;
		t.selected_cpu = -1;
	}
	rec->slice_ns = d.slice_ns ? d.slice_ns : opts_.slice_ns;
	rec->vtime = d.vtime;
	rec->enq_seq = d.token;
	user_ring_buffer__submit(dispatched_, rec);
	nr_unflushed_++;
	nr_dispatched_++;
	return 0;
}

void Scheduler::flush()
{
	if (!nr_unflushed_)
		return;
	auto run = libbpf_opts<bpf_test_run_opts>();
	bpf_prog_test_run_opts(flush_fd_, &run);
	nr_unflushed_ = 0;
}

TaskInfo *Scheduler::known_task(int32_t pid)
{
	TaskInfo &t = tasks_[(uint32_t)pid & (kTaskCache - 1)];
	// The affinity from the last dequeue holds unless a task of its pid
	// slot changed affinity since (a pinned task that keeps running is not
	// queued again).
	bool known = t.pid == pid && t.affinity_seq == affinity_gen_[(uint32_t)pid % SCX_INTF_AFFINITY_SLOTS] &&
		     (t.nr_cpus_allowed >= (uint32_t)topo_.nr_cpus() || topo_.nr_cpus() <= SCX_INTF_MASK_CPUS);
	return known ? &t : nullptr;
}

int Scheduler::task_allows_cpu(int32_t pid, int32_t cpu)
{
	if (gone())
		return -ENODEV;
	if (const TaskInfo *t = known_task(pid))
		return task_allows(*t, cpu);
	cpu_set_t *set = CPU_ALLOC((size_t)topo_.nr_cpus());
	if (!set)
		return -ENOMEM;
	size_t size = CPU_ALLOC_SIZE((size_t)topo_.nr_cpus());
	int ret = sched_getaffinity(pid, size, set) ? -errno : CPU_ISSET_S((size_t)cpu, size, set);
	CPU_FREE(set);
	return ret;
}

int Scheduler::select_cpu(int32_t pid, int32_t prev_cpu, uint64_t flags, bool whole_core)
{
	if (gone())
		return -ENODEV;
	TaskInfo *known = known_task(pid);
	if (!known || topo_.nr_cpus() > SCX_INTF_MAX_CPUS)
		return select_cpu_syscall(pid, prev_cpu, flags);
	TaskInfo &t = *known;
	const std::vector<int32_t> &order = cpu_order_[prev_cpu >= 0 ? prev_cpu : 0];
	int32_t self = last_of_round() ? sched_getcpu() : -1;
	// A hand-off: the loop runs where its waker ran, and leaves that CPU
	// free for it when it sleeps (wake-affine; no IPI).
	if (t.handoff && self >= 0 && !whole_core && task_allows(t, self)) {
		t.handoff = false;
		self_given_ = true;
		return self;
	}
	for (int32_t c : order) {
		if (!task_allows(t, c))
			continue;
		if (c == self && !whole_core) {
			self_given_ = true; // no idle hint: the CPU is not idle yet
			return c;
		}
		if (claim_idle(c, whole_core)) {
			t.selected_cpu = c;
			return c;
		}
	}
	return -EBUSY;
}

// Whether the task at hand is the last this round knows of, asked on the
// loop's thread: then the loop's CPU is about to be free.
bool Scheduler::last_of_round()
{
	return !self_given_ && batch_pos_ == batch_len_ &&
	       !ring__avail_data_size(ring_buffer__ring(queued_, 0)) && pthread_equal(pthread_self(), loop_thread_);
}

int Scheduler::select_cpu_syscall(int32_t pid, int32_t prev_cpu, uint64_t flags)
{
	scx_intf_select_cpu args = {};
	args.pid = pid;
	args.prev_cpu = prev_cpu;
	args.flags = flags;
	auto run = libbpf_opts<bpf_test_run_opts>();
	run.ctx_in = &args;
	run.ctx_size_in = sizeof(args);
	int err = bpf_prog_test_run_opts(select_cpu_fd_, &run);
	if (err)
		return err;
	return args.cpu;
}

int Scheduler::notify(uint64_t nr_pending)
{
	*nr_pending_ = nr_pending;
	nr_scheduled_.store(nr_pending, std::memory_order_relaxed);
	self_given_ = false;
	*usersched_seen_ns_ = now_ns();
	if (gone())
		return -ENODEV;
	// Decisions are applied by the next ops.dispatch on any CPU: busy CPUs
	// pass through it at every switch, and ours does as soon as we sleep.
	// A system call to apply them now only pays off for a big backlog.
	if (nr_unflushed_ >= SCX_INTF_FLUSH_BACKLOG)
		flush();

	ring *r = ring_buffer__ring(queued_, 0);
	if (batch_pos_ < batch_len_ || ring__avail_data_size(r))
		return 0;
	// Tell BPF how many decisions there are: if it has not taken them all
	// when this thread stops running, it has an idle CPU apply them.
	*decisions_sent_ = nr_dispatched_;
	// Announce the sleep, then look again: a record submitted in between
	// either is seen here or finds the flag and wakes us.
	__atomic_store_n(usersched_sleeping_, 1, __ATOMIC_SEQ_CST);
	int ret = 0;
	if (!ring__avail_data_size(r) && !gone()) {
		struct epoll_event ev;
		ret = epoll_wait(ring_buffer__epoll_fd(queued_), &ev, 1, (int)opts_.idle_wait_ms) < 0 ? -errno : 1;
	}
	__atomic_store_n(usersched_sleeping_, 0, __ATOMIC_SEQ_CST);
	*usersched_seen_ns_ = now_ns();
	if (gone())
		return -ENODEV;
	return ret;
}

bool Scheduler::exited() const
{
	return detached_ || handed_over_ || released_ || !owned() ||
	       __atomic_load_n(&exit_info_->kind, __ATOMIC_ACQUIRE) != 0;
}

// On the loop's thread: exited(), after letting a successor have it.
bool Scheduler::gone()
{
	if (!owned() && !handed_over_ && !released_)
		let_go();
	return exited();
}

bool Scheduler::cpu_online(int cpu) const
{
	if (cpu < 0 || cpu >= topo_.nr_cpus())
		return false;
	if (cpu >= SCX_INTF_MAX_CPUS)
		return topo_.cpu(cpu).online;
	return __atomic_load_n(&online_cpus_[cpu / 64], __ATOMIC_RELAXED) & (1ULL << (cpu % 64));
}

int Scheduler::cgroup_entry(uint64_t id, scx_intf_cgroup *out) const
{
	if (exited())
		return -ENODEV;
	return bpf_map_lookup_elem(cgroups_fd_, &id, out) ? -errno : 0;
}

scx_intf_stats Scheduler::kernel_stats() const
{
	scx_intf_stats out;
	static_assert(sizeof(out) % sizeof(uint64_t) == 0, "stats are u64 counters");
	auto *src = reinterpret_cast<const uint64_t *>(stats_);
	auto *dst = reinterpret_cast<uint64_t *>(&out);
	for (size_t i = 0; i < sizeof(out) / sizeof(uint64_t); i++)
		dst[i] = __atomic_load_n(&src[i], __ATOMIC_RELAXED);
	return out;
}

void Scheduler::read_exit_info()
{
	exit_.kind = __atomic_load_n(&exit_info_->kind, __ATOMIC_ACQUIRE);
	exit_.exit_code = exit_info_->exit_code;
	exit_.should_restart = exit_code_restart_ && (exit_.exit_code & exit_code_restart_);
	exit_.reason = bounded(exit_info_->reason, sizeof(exit_info_->reason));
	exit_.msg = bounded(exit_info_->msg, sizeof(exit_info_->msg));
	exit_.dump.clear();
	if (opts_.exit_dump_len && exit_info_->dump_len) {
		std::string buf(opts_.exit_dump_len, '\0');
		uint32_t key = 0;
		if (!bpf_map_lookup_elem(exit_dump_fd_, &key, buf.data()))
			exit_.dump = bounded(buf.data(), buf.size());
	}
}

int Scheduler::shutdown(ExitInfo *out)
{
	if (!detached_ && exit_info_) {
		if (!attached_ || (gone() && (handed_over_ || released_))) {
			// Never ours (a load or take-over that failed), or it runs on
			// without us: close our descriptor of the link, nothing more.
			if (link_)
				bpf_link__disconnect(link_);
			bpf_link__destroy(link_);
		} else {
			// A pinned link outlives our descriptor: detach it.
			if (pinned_ && link_)
				bpf_link_detach(bpf_link__fd(link_));
			// Unregistering runs ops.exit before it returns; allow for slack.
			bpf_link__destroy(link_);
			for (int i = 0; i < 100 && !__atomic_load_n(&exit_info_->kind, __ATOMIC_ACQUIRE); i++)
				usleep(10000);
			read_exit_info();
			if (pinned_ && pins_are_ours())
				remove_pins(pin_dir(opts_.name));
		}
		link_ = nullptr;
		detached_ = true;
	}
	if (out)
		*out = exit_;
	return 0;
}

} // namespace scxcore
