// SPDX-License-Identifier: GPL-2.0-only
// The C API's static strings, shared by libscxcore and libscxcore-sim.
#include <scx/scxcore.h>

#include <cerrno>
#include <climits>
#include <cstring>

extern "C" {

SCX_API const char *scx_exit_kind_str(int64_t kind)
{
	switch (kind) {
	case SCX_EXIT_NONE: return "still running";
	case SCX_EXIT_DONE: return "done";
	case SCX_EXIT_UNREG: return "unregistered from user space";
	case SCX_EXIT_UNREG_BPF: return "unregistered by the BPF scheduler";
	case SCX_EXIT_UNREG_KERN: return "unregistered by the kernel";
	case SCX_EXIT_SYSRQ: return "disabled by sysrq-S";
	case SCX_EXIT_ERROR: return "runtime error";
	case SCX_EXIT_ERROR_BPF: return "scx_bpf_error";
	case SCX_EXIT_ERROR_STALL: return "runnable task stall";
	case SCX_EXIT_HANDED_OVER: return "handed over to another process";
	case SCX_EXIT_RELEASED: return "released to the kernel side";
	default: return "unknown";
	}
}


SCX_API const char *scx_version(void)
{
#define SCX_STR2(x) #x
#define SCX_STR(x) SCX_STR2(x)
	return SCX_STR(SCX_VERSION_MAJOR) "." SCX_STR(SCX_VERSION_MINOR) "." SCX_STR(SCX_VERSION_PATCH);
}

SCX_API const char *scx_strerror(int err)
{
	if (err == INT_MIN)
		return "unknown error";
	if (err < 0)
		err = -err;
	switch (err) {
	case 0: return "success";
	case EINVAL: return "invalid argument (NULL, a bad value, a struct too small, or one from a newer "
			    "header that sets fields this library does not know; opts.debug names the field)";
	case E2BIG: return "the kernel's verifier refused the BPF backend as too large or too complex";
	case EPROTO: return "the library cannot share memory with its BPF backend (an unsuitable libbpf?)";
	case EPERM: return "not permitted: loading a scheduler needs CAP_SYS_ADMIN (or CAP_BPF and CAP_PERFMON)";
	case EOPNOTSUPP: return "not supported: the kernel lacks sched_ext (CONFIG_SCHED_CLASS_EXT) or BTF, "
				"or sub-schedulers (opts.host_subs, opts.sub_cgroup: Linux 7.3+), the scheduler "
				"a sub-scheduler attaches under hosts none, or libbpf is older than 1.4 "
				"(opts.debug says which)";
	case EBUSY: return "busy: another sched_ext scheduler is loaded or is being taken over (scx_init), "
			   "or none of the task's CPUs is idle (scx_select_cpu)";
	case ENOEXEC: return "the running scheduler's BPF side is another version's: it cannot be taken over "
			     "(SCX_TAKEOVER_OR_RELOAD unloads and loads it again)";
	case ENODEV: return "the scheduler has exited, or no scheduler is enabled for a sub-scheduler "
			    "(opts.sub_cgroup) to attach under";
	case ESRCH: return "no such task";
	case EAGAIN: return "the ring to the kernel is full; call scx_notify() and retry";
	case EINTR: return "interrupted by a signal";
	case ENOMEM: return "out of memory";
	case ENOENT: return "no pinned scheduler of this name to take over (scx_init), or the BPF backend "
			    "lacks an expected map, program or variable";
	default: {
		const char *d = strerrordesc_np(err);
		return d ? d : "unknown error";
	}
	}
}

} // extern "C"
