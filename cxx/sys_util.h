// SPDX-License-Identifier: GPL-2.0-only
// Small helpers of the kernel backend (cxx/), shared by its files.
#pragma once

#include <cstdint>
#include <cstring>
#include <fstream>
#include <string>
#include <time.h>

namespace scxcore {

// CLOCK_MONOTONIC in ns: bpf_ktime_get_ns()'s clock.
inline uint64_t now_ns()
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

// The first line of a (sysfs) file, "" if unreadable.
inline std::string read_first_line(const std::string &path)
{
	std::ifstream f(path);
	std::string s;
	std::getline(f, s);
	return s;
}

// LIBBPF_OPTS() for C++: zeroed, with the size libbpf checks.
template <typename T> T libbpf_opts()
{
	T o;
	memset(&o, 0, sizeof(o));
	o.sz = sizeof(o);
	return o;
}

} // namespace scxcore
