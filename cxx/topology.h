// SPDX-License-Identifier: GPL-2.0-only
// CPU topology from sysfs: which CPUs share a core, a last-level cache, a node.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace scxcore {

struct CpuTopo {
	int32_t core_id = -1; // unique across packages (not sysfs's per-package core_id)
	int32_t llc_id = -1;
	int32_t node = 0;
	bool online = false;
	bool possible = false;
};

class Topology {
public:
	// Reads sysfs under `root` (a test may point it at a fake tree).
	static Topology read(const std::string &root = "/sys/devices/system");

	int nr_cpus() const { return (int)cpus_.size(); }
	const CpuTopo &cpu(int cpu) const { return cpus_[cpu]; }
	int nr_online() const;
	// CPUs sharing `level` (0 = core, 1 = LLC, 2 = node) with `cpu`, itself included.
	std::vector<int32_t> siblings(int cpu, int level) const;

private:
	std::vector<CpuTopo> cpus_;
};

// Parse a sysfs CPU list ("0-3,8,10-11") into its CPU ids; empty on garbage.
std::vector<int> parse_cpu_list(const std::string &list);

} // namespace scxcore
