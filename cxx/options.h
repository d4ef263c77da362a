// SPDX-License-Identifier: GPL-2.0-only
// Options as the library uses them, after capi/options.cpp checked a
// caller's struct scx_opts. Shared with the simulator, which applies the
// same rules.
#pragma once

#include <cstdint>
#include <string>

struct scx_opts;

namespace scxcore {

// Validated options (see struct scx_opts for their meaning).
struct Options {
	std::string name = "scxcore";
	uint64_t slice_ns = 5000000;
	uint32_t timeout_ms = 5000;
	uint32_t exit_dump_len = 0;
	uint32_t failsafe_ms = 100; // 0 = off
	uint32_t idle_wait_ms = 1000;
	uint32_t ring_size_kb = 1024;
	uint32_t wake_batch = 32;
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
// small) or -E2BIG.
int check_struct_size(const void *p, size_t caller_sz, size_t our_sz);

} // namespace scxcore
