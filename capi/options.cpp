// SPDX-License-Identifier: GPL-2.0-only
// The rules of struct scx_opts, shared by libscxcore and libscxcore-sim.
#include <scx/scxcore.h>

#include "backend.h"
#include "options.h"
#include "sized.h"

#include <cerrno>
#include <cstring>

namespace scxcore {
namespace {

bool valid_name(const char *name)
{
	size_t n = strnlen(name, 64);
	if (n == 0 || n > 63)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = name[i]; // what the kernel accepts, in ASCII whatever the locale
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			  c == '_' || c == '.';
		if (!ok)
			return false;
	}
	return true;
}

} // namespace

// -EINVAL, saying which field broke which rule when the caller asked for
// diagnostics.
#define refuse(dbg, ...) (diag(dbg, __VA_ARGS__), -EINVAL)

int parse_options(const struct scx_opts *caller, Options *out)
{
	if (!caller)
		return 0;
	// Before the size is known to be right, not even .debug can be read.
	if (!sized_ok(caller, caller->sz))
		return -EINVAL;
	scx_opts o = {};
	if (read_sized(caller, &o))
		return refuse(caller->debug, "opts.sz is %zu: bytes past the %zu this library knows must be zero "
					     "(a struct from a newer header that sets a newer option)",
			      caller->sz, sizeof(o));
	const scx_opts *in = &o;
	bool dbg = in->debug;
	for (uint8_t r : in->__reserved)
		if (r)
			return refuse(dbg, "opts.__reserved must be zero");
	for (uint8_t r : in->__reserved2)
		if (r)
			return refuse(dbg, "opts.__reserved2 must be zero");
	for (uint8_t r : in->__reserved3)
		if (r)
			return refuse(dbg, "opts.__reserved3 must be zero");
	if (in->name) {
		if (!valid_name(in->name))
			return refuse(dbg, "opts.name \"%.64s\" must be 1 to 63 ASCII letters, digits, '_' or '.'",
				      in->name);
		out->name = in->name;
	}
	if (in->slice_ns) {
		if (in->slice_ns < SCX_SLICE_MIN_NS || in->slice_ns > SCX_SLICE_MAX_NS)
			return refuse(dbg, "opts.slice_ns %llu is outside %llu..%llu (SCX_SLICE_MIN_NS..SCX_SLICE_MAX_NS)",
				      (unsigned long long)in->slice_ns, SCX_SLICE_MIN_NS, SCX_SLICE_MAX_NS);
		out->slice_ns = in->slice_ns;
	}
	if (in->timeout_ms) {
		if (in->timeout_ms > SCX_TIMEOUT_MAX_MS)
			return refuse(dbg, "opts.timeout_ms %u is above %u (the kernel's limit)", in->timeout_ms,
				      SCX_TIMEOUT_MAX_MS);
		out->timeout_ms = in->timeout_ms;
	}
	if (in->exit_dump_len > SCX_EXIT_DUMP_MAX)
		return refuse(dbg, "opts.exit_dump_len %u is above %u", in->exit_dump_len, SCX_EXIT_DUMP_MAX);
	out->exit_dump_len = in->exit_dump_len;
	if (in->failsafe_ms)
		out->failsafe_ms = in->failsafe_ms;
	if (in->no_failsafe)
		out->failsafe_ms = 0;
	else if (out->failsafe_ms >= out->timeout_ms)
		return refuse(dbg, "opts.failsafe_ms %u must be below opts.timeout_ms %u", out->failsafe_ms,
			      out->timeout_ms);
	if (in->idle_wait_ms) {
		if (in->idle_wait_ms > SCX_IDLE_WAIT_MAX_MS)
			return refuse(dbg, "opts.idle_wait_ms %u is above %u", in->idle_wait_ms, SCX_IDLE_WAIT_MAX_MS);
		out->idle_wait_ms = in->idle_wait_ms;
	}
	if (in->ring_size_kb) {
		uint32_t kb = in->ring_size_kb;
		if (kb < SCX_RING_MIN_KB || kb > SCX_RING_MAX_KB || (kb & (kb - 1)))
			return refuse(dbg, "opts.ring_size_kb %u must be a power of two in %u..%u", kb,
				      SCX_RING_MIN_KB, SCX_RING_MAX_KB);
		out->ring_size_kb = kb;
	}
	if (in->wake_batch) {
		if (in->wake_batch > SCX_WAKE_BATCH_MAX)
			return refuse(dbg, "opts.wake_batch %u is above %u", in->wake_batch, SCX_WAKE_BATCH_MAX);
		out->wake_batch = in->wake_batch;
	}
	if (in->takeover > SCX_TAKEOVER_OR_RELOAD)
		return refuse(dbg, "opts.takeover %u is not one of SCX_TAKEOVER_NEVER..SCX_TAKEOVER_OR_RELOAD (0..3)",
			      in->takeover);
	out->takeover = in->takeover;
	if (in->linger_ms > SCX_LINGER_MAX_MS)
		return refuse(dbg, "opts.linger_ms %u is above %u (SCX_LINGER_MAX_MS)", in->linger_ms,
			      SCX_LINGER_MAX_MS);
	out->linger_ms = in->linger_ms;
	// The name is a directory in bpffs then.
	if ((out->takeover || out->linger_ms) && (out->name == "." || out->name == ".."))
		return refuse(dbg, "opts.name \"%s\" cannot name a scheduler that is pinned (opts.linger_ms, opts.takeover)",
			      out->name.c_str());
	if (in->sub_cgroup) {
		if (in->sub_cgroup[0] != '/' || strnlen(in->sub_cgroup, 4096) >= 4096)
			return refuse(dbg, "opts.sub_cgroup \"%.64s\" must be an absolute path", in->sub_cgroup);
		out->sub_cgroup = in->sub_cgroup;
	}
	out->host_subs = in->host_subs;
	if (out->host_subs && !out->sub_cgroup.empty())
		return refuse(dbg, "opts.host_subs and opts.sub_cgroup together: nested sub-schedulers are not supported");
	if ((out->host_subs || !out->sub_cgroup.empty()) && (out->takeover || out->linger_ms))
		return refuse(dbg, "opts.%s cannot be combined with opts.takeover or opts.linger_ms",
			      out->host_subs ? "host_subs" : "sub_cgroup");
	out->partial = in->partial;
	out->enq_last = in->enq_last;
	out->builtin_idle = in->builtin_idle;
	out->wake_to_idle_prev = in->wake_to_idle_prev;
	out->idle_runs_oldest = in->idle_runs_oldest;
	out->lock_memory = !in->no_lock_memory;
	out->debug = in->debug;
	return 0;
}

} // namespace scxcore
