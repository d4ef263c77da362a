// SPDX-License-Identifier: GPL-2.0-only
#include "topology.h"

#include "sys_util.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <sstream>

namespace scxcore {
namespace {

int read_int(const std::string &path, int dflt)
{
	std::string s = read_first_line(path);
	char *end = nullptr;
	long v = strtol(s.c_str(), &end, 10);
	return (s.empty() || end == s.c_str()) ? dflt : (int)v;
}

} // namespace

std::vector<int> parse_cpu_list(const std::string &list)
{
	std::vector<int> out;
	std::stringstream ss(list);
	std::string part;
	while (std::getline(ss, part, ',')) {
		if (part.empty() || part == "\n")
			continue;
		char *end = nullptr;
		long lo = strtol(part.c_str(), &end, 10), hi = lo;
		if (end == part.c_str() || lo < 0)
			return {};
		if (*end == '-') {
			const char *p = end + 1;
			hi = strtol(p, &end, 10);
			if (end == p || hi < lo)
				return {};
		}
		if (*end && *end != '\n')
			return {};
		for (long c = lo; c <= hi && c < 65536; c++)
			out.push_back((int)c);
	}
	return out;
}

Topology Topology::read(const std::string &root)
{
	Topology t;
	const std::string cpu_dir = root + "/cpu";
	std::vector<int> possible = parse_cpu_list(read_first_line(cpu_dir + "/possible"));
	if (possible.empty())
		possible = {0};
	t.cpus_.resize(*std::max_element(possible.begin(), possible.end()) + 1);
	for (int c : possible)
		t.cpus_[c].possible = true;
	for (int c : parse_cpu_list(read_first_line(cpu_dir + "/online")))
		if (c < t.nr_cpus())
			t.cpus_[c].online = true;

	// Number cores and LLCs densely, keyed by what sysfs says identifies them.
	std::map<std::pair<int, int>, int> cores;
	std::map<std::string, int> llcs;
	for (int c = 0; c < t.nr_cpus(); c++) {
		CpuTopo &ct = t.cpus_[c];
		if (!ct.possible)
			continue;
		const std::string base = cpu_dir + "/cpu" + std::to_string(c);
		int pkg = read_int(base + "/topology/physical_package_id", 0);
		int core = read_int(base + "/topology/core_id", c);
		ct.core_id = cores.emplace(std::make_pair(pkg, core), (int)cores.size()).first->second;

		// The highest cache level's shared_cpu_list names the LLC.
		std::string llc_key = "cpu" + std::to_string(c);
		int best = -1;
		for (int idx = 0; idx < 8; idx++) {
			const std::string cdir = base + "/cache/index" + std::to_string(idx);
			int level = read_int(cdir + "/level", -1);
			if (level < 0)
				break;
			if (level > best) {
				best = level;
				llc_key = read_first_line(cdir + "/shared_cpu_list");
			}
		}
		ct.llc_id = llcs.emplace(llc_key, (int)llcs.size()).first->second;
	}
	for (int n : parse_cpu_list(read_first_line(root + "/node/possible")))
		for (int c : parse_cpu_list(read_first_line(root + "/node/node" + std::to_string(n) + "/cpulist")))
			if (c < t.nr_cpus())
				t.cpus_[c].node = n;
	return t;
}

int Topology::nr_online() const
{
	int n = 0;
	for (const CpuTopo &c : cpus_)
		n += c.online;
	return n;
}

std::vector<int32_t> Topology::siblings(int cpu, int level) const
{
	std::vector<int32_t> out;
	const CpuTopo &me = cpus_[cpu];
	for (int c = 0; c < nr_cpus(); c++) {
		const CpuTopo &o = cpus_[c];
		if (!o.possible)
			continue;
		bool same = level == 0 ? o.core_id == me.core_id
			  : level == 1 ? o.llc_id == me.llc_id
				       : o.node == me.node;
		if (same)
			out.push_back(c);
	}
	return out;
}

} // namespace scxcore
