// SPDX-License-Identifier: GPL-2.0-only
// Unit tests of the sysfs topology parser (cxx/topology.cpp, compiled into
// this binary: its symbols are hidden inside libscxcore.so).
#include "../../cxx/topology.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using scxcore::parse_cpu_list;
using scxcore::Topology;
using V = std::vector<int>;
using V32 = std::vector<int32_t>;

// ---- parse_cpu_list -------------------------------------------------------

TEST(ParseCpuList, SingleAndRanges)
{
	EXPECT_EQ(parse_cpu_list("0"), V({0}));
	EXPECT_EQ(parse_cpu_list("7"), V({7}));
	EXPECT_EQ(parse_cpu_list("0-3"), V({0, 1, 2, 3}));
	EXPECT_EQ(parse_cpu_list("0-3,8,10-11"), V({0, 1, 2, 3, 8, 10, 11}));
	EXPECT_EQ(parse_cpu_list("2-2"), V({2}));
	EXPECT_EQ(parse_cpu_list("0,2,4,6"), V({0, 2, 4, 6}));
	EXPECT_EQ(parse_cpu_list("0-1,4-5"), V({0, 1, 4, 5}));
}

TEST(ParseCpuList, TrailingNewlineAsSysfsWritesIt)
{
	EXPECT_EQ(parse_cpu_list("0-3\n"), V({0, 1, 2, 3}));
	EXPECT_EQ(parse_cpu_list("5\n"), V({5}));
	EXPECT_EQ(parse_cpu_list("0,2-3\n"), V({0, 2, 3}));
}

TEST(ParseCpuList, EmptyInputs)
{
	EXPECT_TRUE(parse_cpu_list("").empty());
	EXPECT_TRUE(parse_cpu_list("\n").empty());
	// Empty items between commas are skipped.
	EXPECT_EQ(parse_cpu_list("1,,2"), V({1, 2}));
}

TEST(ParseCpuList, GarbageGivesEmpty)
{
	for (const char *bad : {"abc", "x1", "1x", "1-", "-1", "3-1", "3-1,5", "5,3-1", "1-2-3", "1-a", "1;2",
				"0-3,foo", "1.5"})
		EXPECT_TRUE(parse_cpu_list(bad).empty()) << "input: \"" << bad << "\"";
}

TEST(ParseCpuList, HugeRangeIsBounded)
{
	// A corrupt range must not allocate billions of entries.
	V v = parse_cpu_list("0-2000000000");
	EXPECT_FALSE(v.empty());
	EXPECT_LE(v.size(), 65536u);
	EXPECT_EQ(v.front(), 0);
}

// ---- Topology::read on a fake sysfs tree ----------------------------------

class FakeSysfs : public ::testing::Test {
protected:
	void SetUp() override
	{
		char tmpl[] = "/tmp/scx-topo-XXXXXX";
		ASSERT_NE(mkdtemp(tmpl), nullptr);
		root_ = tmpl;
	}

	void TearDown() override
	{
		std::error_code ec;
		fs::remove_all(root_, ec);
	}

	void write(const std::string &rel, const std::string &content)
	{
		fs::path p = fs::path(root_) / rel;
		fs::create_directories(p.parent_path());
		std::ofstream f(p);
		ASSERT_TRUE(f) << p;
		f << content;
	}

	// 2 packages x 2 cores x 2 SMT threads, numbered as x86 does it: CPUs
	// 0-3 are the first thread of each core, 4-7 their siblings. sysfs
	// core_id is per package (0, 1 in both), one L3 per package, one NUMA
	// node per package. Caches: L1d, L1i, L2 per core, L3 per package.
	void make_2x2x2(const std::string &online = "0-7")
	{
		write("cpu/possible", "0-7\n");
		write("cpu/present", "0-7\n");
		write("cpu/online", online + "\n");
		for (int c = 0; c < 8; c++) {
			int core = c % 4;      // machine-wide core 0..3
			int pkg = core / 2;    // 0, 0, 1, 1
			int pkg_core = core % 2;
			std::string base = "cpu/cpu" + std::to_string(c);
			std::string core_sibs = std::to_string(core) + "," + std::to_string(core + 4);
			std::string llc_sibs = pkg == 0 ? "0-1,4-5" : "2-3,6-7";
			write(base + "/topology/physical_package_id", std::to_string(pkg) + "\n");
			write(base + "/topology/core_id", std::to_string(pkg_core) + "\n");
			write(base + "/topology/thread_siblings_list", core_sibs + "\n");
			const struct {
				int level;
				const char *type;
				std::string shared;
			} caches[] = {
				{1, "Data", core_sibs},
				{1, "Instruction", core_sibs},
				{2, "Unified", core_sibs},
				{3, "Unified", llc_sibs},
			};
			for (int i = 0; i < 4; i++) {
				std::string idx = base + "/cache/index" + std::to_string(i);
				write(idx + "/level", std::to_string(caches[i].level) + "\n");
				write(idx + "/type", std::string(caches[i].type) + "\n");
				write(idx + "/shared_cpu_list", caches[i].shared + "\n");
			}
		}
		write("node/possible", "0-1\n");
		write("node/online", "0-1\n");
		write("node/node0/cpulist", "0-1,4-5\n");
		write("node/node1/cpulist", "2-3,6-7\n");
	}

	std::string root_;
};

TEST_F(FakeSysfs, CpuCountAndOnline)
{
	make_2x2x2();
	Topology t = Topology::read(root_);
	ASSERT_EQ(t.nr_cpus(), 8);
	EXPECT_EQ(t.nr_online(), 8);
	for (int c = 0; c < 8; c++) {
		EXPECT_TRUE(t.cpu(c).possible) << c;
		EXPECT_TRUE(t.cpu(c).online) << c;
	}
}

TEST_F(FakeSysfs, CoreIdsUniqueAcrossPackages)
{
	make_2x2x2();
	Topology t = Topology::read(root_);
	ASSERT_EQ(t.nr_cpus(), 8);
	// Dense, in order of first appearance: (pkg0,core0) (pkg0,core1)
	// (pkg1,core0) (pkg1,core1); CPU c+4 is CPU c's sibling.
	const int want[8] = {0, 1, 2, 3, 0, 1, 2, 3};
	for (int c = 0; c < 8; c++)
		EXPECT_EQ(t.cpu(c).core_id, want[c]) << "cpu " << c;
	// sysfs's per-package core_id 0 appears in both packages, yet CPUs 0
	// and 2 are different cores.
	EXPECT_NE(t.cpu(0).core_id, t.cpu(2).core_id);
}

TEST_F(FakeSysfs, LlcFromHighestCacheLevel)
{
	make_2x2x2();
	Topology t = Topology::read(root_);
	ASSERT_EQ(t.nr_cpus(), 8);
	const int want[8] = {0, 0, 1, 1, 0, 0, 1, 1};
	for (int c = 0; c < 8; c++)
		EXPECT_EQ(t.cpu(c).llc_id, want[c]) << "cpu " << c;
}

TEST_F(FakeSysfs, NumaNodes)
{
	make_2x2x2();
	Topology t = Topology::read(root_);
	ASSERT_EQ(t.nr_cpus(), 8);
	const int want[8] = {0, 0, 1, 1, 0, 0, 1, 1};
	for (int c = 0; c < 8; c++)
		EXPECT_EQ(t.cpu(c).node, want[c]) << "cpu " << c;
}

TEST_F(FakeSysfs, Siblings)
{
	make_2x2x2();
	Topology t = Topology::read(root_);
	ASSERT_EQ(t.nr_cpus(), 8);

	EXPECT_EQ(t.siblings(0, 0), V32({0, 4}));
	EXPECT_EQ(t.siblings(4, 0), V32({0, 4}));
	EXPECT_EQ(t.siblings(1, 0), V32({1, 5}));
	EXPECT_EQ(t.siblings(2, 0), V32({2, 6}));
	EXPECT_EQ(t.siblings(7, 0), V32({3, 7}));

	EXPECT_EQ(t.siblings(0, 1), V32({0, 1, 4, 5}));
	EXPECT_EQ(t.siblings(5, 1), V32({0, 1, 4, 5}));
	EXPECT_EQ(t.siblings(3, 1), V32({2, 3, 6, 7}));

	EXPECT_EQ(t.siblings(1, 2), V32({0, 1, 4, 5}));
	EXPECT_EQ(t.siblings(6, 2), V32({2, 3, 6, 7}));

	// Every CPU is in its own sibling sets, and levels nest.
	for (int c = 0; c < 8; c++) {
		for (int lvl = 0; lvl < 3; lvl++) {
			V32 s = t.siblings(c, lvl);
			EXPECT_NE(std::find(s.begin(), s.end(), c), s.end()) << c << "/" << lvl;
		}
		EXPECT_LE(t.siblings(c, 0).size(), t.siblings(c, 1).size());
		EXPECT_LE(t.siblings(c, 1).size(), t.siblings(c, 2).size());
	}
}

TEST_F(FakeSysfs, OfflineCpu)
{
	make_2x2x2("0-5,7");
	Topology t = Topology::read(root_);
	ASSERT_EQ(t.nr_cpus(), 8);
	EXPECT_EQ(t.nr_online(), 7);
	EXPECT_FALSE(t.cpu(6).online);
	EXPECT_TRUE(t.cpu(6).possible);
	EXPECT_TRUE(t.cpu(7).online);
	// An offline CPU keeps its place in the topology.
	EXPECT_EQ(t.cpu(6).core_id, 2);
	EXPECT_EQ(t.cpu(6).llc_id, 1);
	EXPECT_EQ(t.cpu(6).node, 1);
	EXPECT_EQ(t.siblings(2, 0), V32({2, 6}));
}

TEST_F(FakeSysfs, SparsePossibleMask)
{
	// CPUs 0 and 3 only (e.g. firmware-disabled ones in between).
	write("cpu/possible", "0,3\n");
	write("cpu/online", "0,3\n");
	for (int c : {0, 3}) {
		std::string base = "cpu/cpu" + std::to_string(c);
		write(base + "/topology/physical_package_id", "0\n");
		write(base + "/topology/core_id", std::to_string(c) + "\n");
		write(base + "/cache/index0/level", "3\n");
		write(base + "/cache/index0/shared_cpu_list", "0,3\n");
	}
	Topology t = Topology::read(root_);
	ASSERT_EQ(t.nr_cpus(), 4); // ids 0..3
	EXPECT_EQ(t.nr_online(), 2);
	EXPECT_TRUE(t.cpu(0).possible);
	EXPECT_FALSE(t.cpu(1).possible);
	EXPECT_FALSE(t.cpu(2).possible);
	EXPECT_TRUE(t.cpu(3).possible);
	EXPECT_NE(t.cpu(0).core_id, t.cpu(3).core_id);
	EXPECT_EQ(t.cpu(0).llc_id, t.cpu(3).llc_id);
	// Impossible CPUs are nobody's siblings.
	EXPECT_EQ(t.siblings(0, 1), V32({0, 3}));
	EXPECT_EQ(t.siblings(3, 2), V32({0, 3}));
}

TEST_F(FakeSysfs, NoCacheOrNodeInfo)
{
	// Minimal tree: no cache/ and no node/ directories.
	write("cpu/possible", "0-1\n");
	write("cpu/online", "0-1\n");
	for (int c : {0, 1}) {
		std::string base = "cpu/cpu" + std::to_string(c);
		write(base + "/topology/physical_package_id", "0\n");
		write(base + "/topology/core_id", std::to_string(c) + "\n");
	}
	Topology t = Topology::read(root_);
	ASSERT_EQ(t.nr_cpus(), 2);
	EXPECT_NE(t.cpu(0).core_id, t.cpu(1).core_id);
	EXPECT_NE(t.cpu(0).llc_id, t.cpu(1).llc_id); // each CPU its own LLC
	EXPECT_EQ(t.cpu(0).node, 0);
	EXPECT_EQ(t.cpu(1).node, 0);
	EXPECT_EQ(t.siblings(0, 2), V32({0, 1}));
}

TEST_F(FakeSysfs, MissingTreeFallsBackToOneCpu)
{
	Topology t = Topology::read(root_ + "/does-not-exist");
	ASSERT_EQ(t.nr_cpus(), 1);
	EXPECT_TRUE(t.cpu(0).possible);
	EXPECT_EQ(t.siblings(0, 0), V32({0}));
}

// The real machine: whatever it is, the parser must produce a consistent view.
TEST(RealSysfs, Consistent)
{
	Topology t = Topology::read();
	ASSERT_GE(t.nr_cpus(), 1);
	EXPECT_GE(t.nr_online(), 1);
	EXPECT_LE(t.nr_online(), t.nr_cpus());
	for (int c = 0; c < t.nr_cpus(); c++) {
		if (!t.cpu(c).possible)
			continue;
		EXPECT_GE(t.cpu(c).core_id, 0);
		EXPECT_GE(t.cpu(c).llc_id, 0);
		EXPECT_GE(t.cpu(c).node, 0);
	}
}
