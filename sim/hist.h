// SPDX-License-Identifier: GPL-2.0-only
// A log-linear histogram of nanosecond values: exact below 128 ns, then 64
// buckets per power of two (values within 1.6 %). Percentiles, CDFs.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace scxsim {

class Hist {
public:
	static constexpr int kBuckets = 128 + 57 * 64;

	static int index(uint64_t v)
	{
		if (v < 128)
			return (int)v;
		int e = 63 - __builtin_clzll(v);
		return 128 + (e - 7) * 64 + (int)((v >> (e - 6)) & 63);
	}
	static uint64_t lower(int i)
	{
		if (i < 128)
			return (uint64_t)i;
		int e = (i - 128) / 64 + 7;
		return (uint64_t)(64 + (i - 128) % 64) << (e - 6);
	}
	static uint64_t width(int i)
	{
		return i < 128 ? 1 : 1ULL << ((i - 128) / 64 + 1);
	}

	void add(uint64_t v)
	{
		if (b_.empty())
			b_.assign(kBuckets, 0);
		b_[index(v)]++;
		n_++;
		sum_ += v;
		if (v > max_)
			max_ = v;
	}

	uint64_t count() const { return n_; }
	uint64_t max() const { return max_; }
	double mean() const { return n_ ? (double)sum_ / (double)n_ : 0; }

	// The value below which a fraction @p of the samples lie (bucket middle).
	uint64_t percentile(double p) const
	{
		if (!n_)
			return 0;
		uint64_t rank = (uint64_t)(p * (double)n_);
		if ((double)rank < p * (double)n_)
			rank++;
		if (rank < 1)
			rank = 1;
		uint64_t seen = 0;
		for (int i = 0; i < kBuckets; i++) {
			seen += b_[i];
			if (seen >= rank) {
				uint64_t v = lower(i) + (width(i) - 1) / 2;
				return v > max_ ? max_ : v;
			}
		}
		return max_;
	}

	// (upper bound of a bucket in ns, fraction of samples <= it), for every
	// non-empty bucket, thinned to about @points points.
	std::vector<std::pair<uint64_t, double>> cdf(size_t points) const
	{
		std::vector<std::pair<uint64_t, double>> all, out;
		uint64_t seen = 0;
		for (int i = 0; i < (int)b_.size(); i++) {
			if (!b_[i])
				continue;
			seen += b_[i];
			uint64_t hi = lower(i) + width(i) - 1;
			all.push_back({hi > max_ ? max_ : hi, (double)seen / (double)n_});
		}
		if (all.size() <= points)
			return all;
		for (size_t k = 0; k < points; k++)
			out.push_back(all[k * (all.size() - 1) / (points - 1)]);
		return out;
	}

private:
	std::vector<uint64_t> b_;
	uint64_t n_ = 0, sum_ = 0, max_ = 0;
};

} // namespace scxsim
