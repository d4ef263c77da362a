// SPDX-License-Identifier: GPL-2.0-only
// A scheduler that outlives its owner, and its hand-over to another process
// (opts.linger_ms, opts.takeover, scx_release).
//
// With linger_ms, the loading process pins the struct_ops link and what a
// successor needs in /sys/fs/bpf/libscxcore/NAME (directory 0700, objects
// 0600: root only). The pinned link keeps the scheduler registered when the
// process dies; the BPF heartbeat notices (bpf/main.bpf.c, watch_owner) and
// lets the fail-safe serve every task until a successor commits.
//
// A take-over, in one direction only, so that two processes never write
// the same ring:
//   1. the successor checks the pinned "meta" (same BPF object, same
//      layouts) and claims the scheduler (the take-over program: one claim
//      wins, the owner's loop is woken);
//   2. the owner sees the claim at its next call, stops using the rings and
//      says so (owner.released_epoch) — or it is dead, or it left;
//   3. the successor empties the ring to user space (whose tasks the old
//      owner may have read), completes records the old owner left half
//      written in the ring to the kernel, and commits: the BPF side applies
//      the old owner's decisions, makes the successor the owner and queues
//      every task still undecided to it again.
#include "scheduler.h"
#include "sys_util.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <dirent.h>
#include <linux/capability.h>
#include <linux/magic.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

// The BPF object, embedded by bpf_blob.S.
extern "C" const char scxcore_bpf_obj[];
extern "C" const char scxcore_bpf_obj_end[];

namespace scxcore {

const std::array<Scheduler::PinSpec, Scheduler::kNrPins> Scheduler::kPins = {{
	{"bss", ".bss", false},
	{"queued", "queued", false},
	{"dispatched", "dispatched", false},
	{"exit_dump", "exit_dump", false},
	// Not used by a successor: pinned so that the heartbeat's timer, which
	// the kernel cancels with the map's last user reference, keeps running.
	{"heartbeat", "heartbeat_map", false},
	{"meta", "meta", false},
	{"cgroups", "cgroups", false},
	{"select_cpu", "scxcore_select_cpu_syscall", true},
	{"flush", "scxcore_flush_syscall", true},
	{"take_over", "scxcore_take_over_syscall", true},
}};

namespace {

constexpr const char *kPinRoot = "/sys/fs/bpf/libscxcore";
constexpr const char *kLinkFile = "link";
constexpr int kLetGoWaitMs = 5000; // how long a successor waits for the owner to let go

// Identifies the embedded BPF object, hence every layout the two sides
// share: FNV-1a over its bytes.
uint64_t object_id()
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (const char *p = scxcore_bpf_obj; p < scxcore_bpf_obj_end; p++)
		h = (h ^ (unsigned char)*p) * 0x100000001b3ULL;
	return h;
}

// What a load needs (scx_init(3)): CAP_SYS_ADMIN, or CAP_BPF (with
// CAP_PERFMON, which the kernel checks itself where it matters).
bool may_load()
{
	struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
	if (syscall(SYS_capget, &hdr, data))
		return false;
	auto has = [&](int cap) { return data[CAP_TO_INDEX(cap)].effective & CAP_TO_MASK(cap); };
	return has(CAP_SYS_ADMIN) || has(CAP_BPF);
}

// Whether process @tgid is there and not a zombie.
bool process_alive(int32_t tgid)
{
	if (tgid <= 0 || (kill(tgid, 0) && errno == ESRCH))
		return false;
	std::string stat = read_first_line("/proc/" + std::to_string(tgid) + "/stat");
	size_t paren = stat.rfind(')');
	return paren != std::string::npos && paren + 2 < stat.size() && stat[paren + 2] != 'Z' &&
	       stat[paren + 2] != 'X';
}

// Records the previous owner reserved in the ring to the kernel and never
// submitted (it died in between) would stop the BPF side's drain there for
// good: mark them discarded. The ring's header and layout are the kernel's
// (BPF_MAP_TYPE_USER_RINGBUF, include/uapi/linux/bpf.h); nobody else
// writes the ring now.
int discard_unsubmitted(int fd, bool debug)
{
	struct bpf_map_info info = {};
	uint32_t len = sizeof(info);
	int err = bpf_map_get_info_by_fd(fd, &info, &len);
	if (err)
		return err;
	long page = sysconf(_SC_PAGESIZE);
	size_t size = page + 2 * (size_t)info.max_entries;
	auto *cons = static_cast<const uint64_t *>(mmap(nullptr, page, PROT_READ, MAP_SHARED, fd, 0));
	if (cons == MAP_FAILED)
		return -errno;
	auto *prod = static_cast<char *>(mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, page));
	if (prod == MAP_FAILED) {
		err = -errno;
		munmap((void *)cons, page);
		return err;
	}
	char *data = prod + page;
	uint64_t mask = info.max_entries - 1, n = 0;
	uint64_t end = __atomic_load_n(reinterpret_cast<uint64_t *>(prod), __ATOMIC_ACQUIRE);
	for (uint64_t pos = __atomic_load_n(cons, __ATOMIC_ACQUIRE); pos < end;) {
		auto *hdr = reinterpret_cast<uint32_t *>(data + (pos & mask));
		uint32_t h = __atomic_load_n(hdr, __ATOMIC_ACQUIRE);
		uint32_t rec_len = h & ~(BPF_RINGBUF_BUSY_BIT | BPF_RINGBUF_DISCARD_BIT);
		if (h & BPF_RINGBUF_BUSY_BIT) {
			__atomic_store_n(hdr, rec_len | BPF_RINGBUF_DISCARD_BIT, __ATOMIC_RELEASE);
			n++;
		}
		pos += (rec_len + BPF_RINGBUF_HDR_SZ + 7) & ~7ULL;
	}
	if (n)
		diag(debug, "take-over: discarded %llu decision(s) the previous owner left half written",
		     (unsigned long long)n);
	munmap(prod, size);
	munmap((void *)cons, page);
	return 0;
}

} // namespace

std::string Scheduler::pin_dir(const std::string &name)
{
	return std::string(kPinRoot) + "/" + name;
}

void Scheduler::remove_pins(const std::string &dir)
{
	if (DIR *d = opendir(dir.c_str())) {
		while (struct dirent *e = readdir(d))
			if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
				unlinkat(dirfd(d), e->d_name, 0);
		closedir(d);
	}
	rmdir(dir.c_str());
}

// Whether the pins of our name are still our scheduler's (not those of
// one that replaced it: SCX_TAKEOVER_OR_RELOAD).
bool Scheduler::pins_are_ours() const
{
	int fd = bpf_obj_get((pin_dir(opts_.name) + "/" + kPins[(size_t)Pin::Bss].file).c_str());
	if (fd < 0)
		return false;
	struct bpf_map_info info = {};
	uint32_t len = sizeof(info);
	bool ours = !bpf_map_get_info_by_fd(fd, &info, &len) && info.id == bss_id_;
	close(fd);
	return ours;
}

// Before a load that pins: bpffs is there, with our directory.
int Scheduler::prepare_pin_dir()
{
	struct statfs fs;
	if (statfs("/sys/fs/bpf", &fs) || fs.f_type != BPF_FS_MAGIC) {
		diag(opts_.debug, "opts.linger_ms: no bpffs at /sys/fs/bpf to pin the scheduler in "
		     "(mount -t bpf bpf /sys/fs/bpf)");
		return -ENOENT;
	}
	std::string dir = pin_dir(opts_.name);
	if ((mkdir(kPinRoot, 0700) && errno != EEXIST) || mkdir(dir.c_str(), 0700)) {
		int err = -errno;
		diag(opts_.debug, "opts.linger_ms: cannot create %s: %s", dir.c_str(), strerror(-err));
		return err;
	}
	return 0;
}

// After attach: what a successor needs, and the link that keeps the
// scheduler registered without us.
int Scheduler::pin()
{
	std::string dir = pin_dir(opts_.name);
	Fds f = object_fds();
	scx_intf_meta meta = {};
	meta.magic = SCX_INTF_META_MAGIC;
	meta.object_id = object_id();
	meta.ring_size_kb = opts_.ring_size_kb;
	meta.timeout_ms = opts_.timeout_ms;
	meta.exit_dump_len = opts_.exit_dump_len;
	meta.partial = opts_.partial;
	uint32_t key = 0;
	int err = bpf_map_update_elem(f.get(Pin::Meta), &key, &meta, 0);
	for (size_t i = 0; !err && i < kPins.size(); i++)
		err = bpf_obj_pin(f.fd[i], (dir + "/" + kPins[i].file).c_str());
	if (!err)
		err = bpf_obj_pin(bpf_link__fd(link_), (dir + "/" + kLinkFile).c_str());
	if (err) {
		err = -errno;
		diag(opts_.debug, "opts.linger_ms: pinning in %s failed: %s", dir.c_str(), strerror(-err));
	}
	return err; // on error, shutdown() detaches and removes what was pinned
}

bool Scheduler::owned() const
{
	if (!pinned_ || !owner_)
		return true; // nothing pinned: nobody else can take it
	int32_t next = __atomic_load_n(&owner_->next_tgid, __ATOMIC_ACQUIRE);
	return __atomic_load_n(&owner_->epoch, __ATOMIC_ACQUIRE) == epoch_ && (!next || next == getpid());
}

// On the loop's thread, once another process claimed or took the
// scheduler: we never touch the rings again, and say so.
void Scheduler::let_go()
{
	int32_t successor = __atomic_load_n(&owner_->next_tgid, __ATOMIC_ACQUIRE);
	if (!successor)
		successor = owner_->tgid;
	handed_over_ = true;
	__atomic_store_n(&owner_->released_epoch, epoch_, __ATOMIC_RELEASE);
	exit_ = ExitInfo{};
	exit_.kind = SCX_EXIT_HANDED_OVER;
	exit_.reason = "handed over to process " + std::to_string(successor);
	exit_.msg = "the scheduler runs on under its new owner";
}

int Scheduler::release()
{
	if (gone())
		return -ENODEV;
	if (!pinned_) {
		diag(opts_.debug, "scx_release: this scheduler was not started with opts.linger_ms: nothing would keep it");
		return -EINVAL;
	}
	released_ = true;
	__atomic_store_n(&owner_->released_epoch, epoch_, __ATOMIC_RELEASE);
	__atomic_store_n(&owner_->left, 1, __ATOMIC_RELEASE);
	exit_ = ExitInfo{};
	exit_.kind = SCX_EXIT_RELEASED;
	exit_.reason = "released to the kernel side";
	exit_.msg = "it runs every task itself for up to " +
		    std::to_string(__atomic_load_n(&owner_->linger_ns, __ATOMIC_RELAXED) / 1000000) +
		    " ms, waiting for a process to take it over";
	return 0;
}

int Scheduler::run_take_over(scx_intf_take_over *a)
{
	auto run = libbpf_opts<bpf_test_run_opts>();
	run.ctx_in = a; // a SYSCALL program's context is copied back here
	run.ctx_size_in = sizeof(*a);
	int err = bpf_prog_test_run_opts(take_over_fd_, &run);
	return err ? err : a->result;
}

// Empty the ring to user space of what it holds now: the previous owner
// may have read some of its records already, so the commit queues every
// undecided task again (one whose record is still there, written since,
// then has two: the older one's decision is cancelled as stale).
void Scheduler::discard_queued()
{
	nr_discarded_ = 0;
	discard_bytes_ = ring__avail_data_size(ring_buffer__ring(queued_, 0));
	while (discard_bytes_ && ring_buffer__consume(queued_) > 0) {
	}
	discard_bytes_ = 0;
	__atomic_fetch_sub(&stats_->nr_queued, nr_discarded_, __ATOMIC_RELAXED);
}

int Scheduler::take_over(const Options &opts)
{
	opts_ = opts;
	const std::string dir = pin_dir(opts_.name);
	const char *name = opts_.name.c_str();
	if (!may_load()) {
		diag(opts_.debug, "opts.takeover: not permitted: taking a scheduler over needs what loading one "
		     "needs (CAP_SYS_ADMIN, or CAP_BPF and CAP_PERFMON)");
		return -EPERM;
	}
	int meta_fd = bpf_obj_get((dir + "/meta").c_str());
	if (meta_fd < 0) {
		int err = -errno;
		if (err == -EACCES)
			err = -EPERM;
		diag(opts_.debug, "opts.takeover: no scheduler '%s' to take over in %s (%s): one can be taken over "
		     "only when it was started with opts.linger_ms", name, dir.c_str(), strerror(-err));
		return err;
	}
	scx_intf_meta meta = {};
	uint32_t key = 0;
	int err = bpf_map_lookup_elem(meta_fd, &key, &meta) ? -errno : 0;
	close(meta_fd);
	if (err)
		return err;
	if (meta.magic != SCX_INTF_META_MAGIC || meta.object_id != object_id()) {
		diag(opts_.debug, "opts.takeover: the running scheduler '%s' has another BPF side or record layout "
		     "(another libscxcore version: object %016llx, ours %016llx); it is left alone "
		     "(SCX_TAKEOVER_OR_RELOAD unloads and loads it again)", name,
		     (unsigned long long)meta.object_id, (unsigned long long)object_id());
		return -ENOEXEC;
	}
	// What was fixed at load stays the running scheduler's.
	if (opts_.ring_size_kb != meta.ring_size_kb || opts_.timeout_ms != meta.timeout_ms ||
	    opts_.exit_dump_len != meta.exit_dump_len || opts_.partial != (bool)meta.partial)
		diag(opts_.debug, "opts.takeover: keeping the running scheduler's ring_size_kb %u, timeout_ms %u, "
		     "exit_dump_len %u, partial %u", meta.ring_size_kb, meta.timeout_ms, meta.exit_dump_len,
		     meta.partial);
	opts_.ring_size_kb = meta.ring_size_kb;
	opts_.timeout_ms = meta.timeout_ms;
	opts_.exit_dump_len = meta.exit_dump_len;
	opts_.partial = meta.partial;

	// Our own object, never loaded: the layouts (BTF) of the running one.
	if ((err = open_object()))
		return err;
	Fds f;
	for (size_t i = 0; i < kPins.size(); i++) {
		f.fd[i] = bpf_obj_get((dir + "/" + kPins[i].file).c_str());
		if (f.fd[i] >= 0)
			pinned_fds_.push_back(f.fd[i]);
	}
	link_ = bpf_link__open((dir + "/" + kLinkFile).c_str());
	if (!link_) {
		err = -errno;
		diag(opts_.debug, "opts.takeover: cannot open the pinned link of '%s': %s", name, strerror(-err));
		return err;
	}
	if ((err = setup(f)))
		return err;
	// One that ended without an owner left its pins, and why in its memory.
	if (__atomic_load_n(&exit_info_->kind, __ATOMIC_ACQUIRE) ||
	    read_first_line("/sys/kernel/sched_ext/state") != "enabled" ||
	    read_first_line("/sys/kernel/sched_ext/root/ops") != opts_.name) {
		read_exit_info();
		diag(opts_.debug, "opts.takeover: '%s' no longer runs: %s%s%s; removing %s", name,
		     exit_.kind ? exit_.reason.c_str() : "not registered", exit_.msg.empty() ? "" : ": ",
		     exit_.msg.c_str(), dir.c_str());
		remove_pins(dir);
		return -ENOENT;
	}

	// 1. Claim it.
	scx_intf_take_over a = {};
	a.tgid = getpid();
	a.pid = gettid();
	loop_thread_ = pthread_self();
	a.epoch = __atomic_load_n(&owner_->epoch, __ATOMIC_ACQUIRE);
	int32_t prev = owner_->tgid;
	a.op = SCX_TAKE_OVER_CLAIM;
	if ((err = run_take_over(&a))) {
		if (err == -EBUSY)
			diag(opts_.debug, "opts.takeover: another process (%d) is taking '%s' over", owner_->next_tgid, name);
		else
			diag(opts_.debug, "opts.takeover: the take-over program failed: %s", strerror(-err));
		return err;
	}
	// 2. Wait until the owner lets go, left, or is gone.
	bool free = false;
	for (int waited = 0; !free && waited < kLetGoWaitMs * 1000; waited += 2000) {
		free = __atomic_load_n(&owner_->released_epoch, __ATOMIC_ACQUIRE) == a.epoch ||
		       __atomic_load_n(&owner_->left, __ATOMIC_ACQUIRE) || !process_alive(prev);
		if (!free)
			usleep(2000);
	}
	if (!free) {
		a.op = SCX_TAKE_OVER_CANCEL;
		run_take_over(&a);
		diag(opts_.debug, "opts.takeover: the owner of '%s' (process %d) did not let go within %d ms "
		     "(stopped? its loop must call into the library)", name, prev, kLetGoWaitMs);
		return -EBUSY;
	}
	// 3. Nobody else writes the rings now: take them in hand and commit.
	if ((err = discard_unsubmitted(f.get(Pin::Dispatched), opts_.debug)))
		return err;
	discard_queued();
	a.op = SCX_TAKE_OVER_COMMIT;
	a.since_ns = now_ns();
	if ((err = run_take_over(&a))) {
		diag(opts_.debug, "opts.takeover: the commit failed: %s", strerror(-err));
		return err;
	}
	// Our settings only now: the commit restarted the wait of every task
	// it queued again. Set before, our fail-safe saw tasks the previous
	// owner had held for long (without one) as late, and ran them itself
	// while we committed, instead of queueing them to us.
	write_settings();
	owner_->linger_ns = (uint64_t)opts_.linger_ms * 1000000;
	epoch_ = a.epoch;
	pinned_ = true;
	attached_ = true;
	nr_dispatched_ = __atomic_load_n(decisions_taken_, __ATOMIC_ACQUIRE);
	*decisions_sent_ = nr_dispatched_;
	diag(opts_.debug, "took '%s' over from process %d (epoch %llu): %llu undecided task(s) queued again, "
	     "%llu left to the fail-safe", name, prev, (unsigned long long)a.epoch,
	     (unsigned long long)a.requeued, (unsigned long long)a.unqueued);
	return 0;
}

// SCX_TAKEOVER_OR_RELOAD, for a running scheduler we cannot take over:
// detach its pinned link (its owner sees it exit) and remove its pins.
int Scheduler::unload_pinned(const Options &opts)
{
	std::string dir = pin_dir(opts.name);
	int fd = bpf_obj_get((dir + "/" + kLinkFile).c_str());
	if (fd < 0) {
		int err = -errno;
		diag(opts.debug, "opts.takeover: cannot open %s/%s: %s", dir.c_str(), kLinkFile, strerror(-err));
		return err;
	}
	int err = bpf_link_detach(fd);
	close(fd);
	if (err) {
		diag(opts.debug, "opts.takeover: cannot unload the running '%s': %s", opts.name.c_str(), strerror(-err));
		return err;
	}
	for (int i = 0; i < 500 && read_first_line("/sys/kernel/sched_ext/state") != "disabled"; i++)
		usleep(10000);
	remove_pins(dir);
	diag(opts.debug, "opts.takeover: unloaded the running '%s' (another version) to load ours", opts.name.c_str());
	return 0;
}

} // namespace scxcore
