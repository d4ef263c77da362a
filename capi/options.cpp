// SPDX-License-Identifier: GPL-2.0-only
// The rules of struct scx_opts, shared by libscxcore and libscxcore-sim.
#include <scx/scxcore.h>

#include "../cxx/options.h"

#include <cerrno>
#include <cstring>

namespace scxcore {
int check_struct_size(const void *p, size_t caller_sz, size_t our_sz)
{
	if (!p || caller_sz < our_sz)
		return -EINVAL;
	const unsigned char *tail = static_cast<const unsigned char *>(p) + our_sz;
	for (size_t i = 0; i < caller_sz - our_sz; i++)
		if (tail[i])
			return -E2BIG;
	return 0;
}

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

int parse_options(const struct scx_opts *in, Options *out)
{
	if (!in)
		return 0;
	int err = check_struct_size(in, in->sz, sizeof(*in));
	if (err)
		return err;
	for (uint8_t r : in->__reserved)
		if (r)
			return -E2BIG;
	if (in->name) {
		if (!valid_name(in->name))
			return -EINVAL;
		out->name = in->name;
	}
	if (in->slice_ns) {
		if (in->slice_ns < SCX_SLICE_MIN_NS || in->slice_ns > SCX_SLICE_MAX_NS)
			return -EINVAL;
		out->slice_ns = in->slice_ns;
	}
	if (in->timeout_ms) {
		if (in->timeout_ms > 30000)
			return -EINVAL;
		out->timeout_ms = in->timeout_ms;
	}
	if (in->exit_dump_len > (1u << 20))
		return -EINVAL;
	out->exit_dump_len = in->exit_dump_len;
	if (in->failsafe_ms)
		out->failsafe_ms = in->failsafe_ms;
	if (in->no_failsafe)
		out->failsafe_ms = 0;
	else if (out->failsafe_ms >= out->timeout_ms)
		return -EINVAL;
	if (in->idle_wait_ms) {
		if (in->idle_wait_ms > 60000)
			return -EINVAL;
		out->idle_wait_ms = in->idle_wait_ms;
	}
	if (in->ring_size_kb) {
		uint32_t kb = in->ring_size_kb;
		if (kb < 16 || kb > 65536 || (kb & (kb - 1)))
			return -EINVAL;
		out->ring_size_kb = kb;
	}
	if (in->wake_batch) {
		if (in->wake_batch > 4096)
			return -EINVAL;
		out->wake_batch = in->wake_batch;
	}
	out->partial = in->partial;
	out->builtin_idle = in->builtin_idle;
	out->lock_memory = !in->no_lock_memory;
	out->debug = in->debug;
	return 0;
}

} // namespace scxcore
