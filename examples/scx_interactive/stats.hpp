// SPDX-License-Identifier: GPL-2.0-only
/*
 * scx_interactive: statistics, as a text line or one JSON object per interval.
 */
#ifndef SCX_INTERACTIVE_STATS_HPP
#define SCX_INTERACTIVE_STATS_HPP

#include "policy.hpp"

#include <scx/scxcore.hpp>

#include <cstdio>

namespace interactive {

struct Report {
	double time_s;       // since the program started
	double interval_s;   // this interval's length
	unsigned restarts;   // loads after the first
	const scx::Stats &lib;
	const IntervalStats &iv;
	size_t queue_len;
	size_t nr_tasks_known;
	double cpu_pct;      // CPU time this program used in the interval, % of one CPU
};

void print_text(FILE *f, const Report &r);
void print_json(FILE *f, const Report &r);

} // namespace interactive

#endif
