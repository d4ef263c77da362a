// SPDX-License-Identifier: GPL-2.0-only
// A cgroup's CPU controller files, read from cgroupfs by the cgroup's id,
// for the settings the kernel does not report to sched_ext.
#pragma once

#include <cstdint>

namespace scxcore {

struct CgroupFiles {
	uint32_t weight = 100;          // cpu.weight
	uint64_t quota_us = ~0ULL;      // cpu.max: "max" is ~0
	uint64_t period_us = 100000;
	uint64_t burst_us = 0;          // cpu.max.burst
	bool idle = false;              // cpu.idle
};

// Fill @out from the files of cgroup v2 @id; a file that is missing (the
// root cgroup, or the cpu controller not enabled) leaves its default.
// 0, -ENOENT (no such cgroup, or no cgroup v2 mounted) or another -errno.
int read_cgroup_files(uint64_t id, CgroupFiles *out);

} // namespace scxcore
