// SPDX-License-Identifier: GPL-2.0-only
// Options as the library uses them, after capi/options.cpp checked a
// caller's struct scx_opts. Shared with the simulator, which applies the
// same rules.
#pragma once

#include <scx/scxcore.h>

#include <cstdint>
#include <string>

namespace scxcore {

// Validated options (see struct scx_opts for their meaning).
struct Options {
	std::string name = "scxcore";
	uint64_t slice_ns = SCX_SLICE_DEFAULT_NS;
	uint32_t timeout_ms = SCX_TIMEOUT_DEFAULT_MS;
	uint32_t exit_dump_len = 0;
	uint32_t failsafe_ms = SCX_FAILSAFE_DEFAULT_MS; // 0 = off
	uint32_t idle_wait_ms = SCX_IDLE_WAIT_DEFAULT_MS;
	uint32_t ring_size_kb = SCX_RING_DEFAULT_KB;
	uint32_t wake_batch = SCX_WAKE_BATCH_DEFAULT;
	bool partial = false;
	bool builtin_idle = false;
	bool lock_memory = true;
	bool debug = false;
};

// Check a caller's @in (NULL: all defaults) and fill @out; 0 or -errno,
// exactly as scx_init() documents.
int parse_options(const struct scx_opts *in, Options *out);

// A caller's struct may be larger than ours (built against a newer header)
// as long as the bytes we do not know are zero: 0, -EINVAL (NULL or too
// small, or non-zero bytes past @our_sz).
int check_struct_size(const void *p, size_t caller_sz, size_t our_sz);

} // namespace scxcore
