// SPDX-License-Identifier: GPL-2.0-only
/*
 * scx_interactive: statistics output. The library's counters are totals
 * since the (last) load; this program's own are per interval.
 */
#include "stats.hpp"

namespace interactive {

namespace {

using ull = unsigned long long;

double mean_us(uint64_t sum_ns, uint64_t n)
{
	return n ? (double)sum_ns / (double)n / 1000.0 : 0.0;
}

} // namespace

void print_text(FILE *f, const Report &r)
{
	const scx::Stats &st = r.lib;
	const IntervalStats &iv = r.iv;

	std::fprintf(f,
		"[%8.2fs] rounds=%llu empty=%llu cpu_pct=%.1f queue=%zu queue_max=%zu dispatched=%llu refill=%llu idle=%llu handoff=%llu "
		"expired=%llu preempted=%llu overdue=%llu placed=%llu behind=%llu wait_mean_us=%.0f wait_max_us=%.0f "
		"lag_mean_us=%.0f lag_max_us=%.0f | cpus=%llu running=%llu queued=%llu "
		"user=%llu kernel=%llu cancel=%llu bounce=%llu failed=%llu invalid=%llu "
		"clamped=%llu congested=%llu failsafe=%llu failsafe_entries=%llu hotplug=%llu restarts=%u\n",
		r.time_s, (ull)iv.rounds, (ull)iv.empty, r.cpu_pct, r.queue_len, iv.queue_max, (ull)iv.dispatched, (ull)iv.refill, (ull)iv.to_idle,
		(ull)iv.handoff, (ull)iv.expired, (ull)iv.preempted, (ull)iv.overdue, (ull)iv.placed, (ull)iv.behind,
		mean_us(iv.wait_sum_ns, iv.dispatched), (double)iv.wait_max_ns / 1000.0,
		mean_us(iv.lag_sum_ns, iv.dispatched), (double)iv.lag_max_ns / 1000.0,
		(ull)st.nr_online_cpus, (ull)st.nr_running, (ull)st.nr_queued,
		(ull)st.nr_user_dispatches, (ull)st.nr_kernel_dispatches,
		(ull)st.nr_cancel_dispatches, (ull)st.nr_bounce_dispatches,
		(ull)st.nr_failed_dispatches, (ull)st.nr_invalid_dispatches,
		(ull)st.nr_slice_clamped, (ull)st.nr_sched_congested,
		(ull)st.nr_failsafe_dispatches, (ull)st.nr_failsafe_entries, (ull)st.nr_hotplug_events, r.restarts);
	std::fflush(f);
}

// Only numbers: nothing to escape.
void print_json(FILE *f, const Report &r)
{
	const scx::Stats &st = r.lib;
	const IntervalStats &iv = r.iv;

	std::fprintf(f,
		"{\"time_s\":%.3f,\"interval_s\":%.3f,\"restarts\":%u,\"rounds\":%llu,\"empty_rounds\":%llu,\"cpu_pct\":%.1f,"
		"\"nr_online_cpus\":%llu,\"nr_running\":%llu,\"nr_queued\":%llu,"
		"\"nr_scheduled\":%llu,\"nr_user_dispatches\":%llu,\"nr_kernel_dispatches\":%llu,"
		"\"nr_cancel_dispatches\":%llu,\"nr_bounce_dispatches\":%llu,"
		"\"nr_failed_dispatches\":%llu,\"nr_invalid_dispatches\":%llu,"
		"\"nr_slice_clamped\":%llu,\"nr_sched_congested\":%llu,"
		"\"nr_failsafe_entries\":%llu,\"nr_failsafe_dispatches\":%llu,\"failsafe_ns\":%llu,"
		"\"nr_hotplug_events\":%llu,"
		"\"queue_len\":%zu,\"queue_max\":%zu,\"tasks_known\":%zu,"
		"\"dispatched\":%llu,\"refill\":%llu,\"to_idle\":%llu,\"handoff\":%llu,\"expired\":%llu,\"preempted\":%llu,"
		"\"overdue\":%llu,\"placed\":%llu,\"behind\":%llu,\"wait_mean_us\":%.1f,\"wait_max_us\":%.1f,"
		"\"lag_mean_us\":%.1f,\"lag_max_us\":%.1f}\n",
		r.time_s, r.interval_s, r.restarts, (ull)iv.rounds, (ull)iv.empty, r.cpu_pct, (ull)st.nr_online_cpus, (ull)st.nr_running,
		(ull)st.nr_queued, (ull)st.nr_scheduled, (ull)st.nr_user_dispatches,
		(ull)st.nr_kernel_dispatches, (ull)st.nr_cancel_dispatches,
		(ull)st.nr_bounce_dispatches, (ull)st.nr_failed_dispatches,
		(ull)st.nr_invalid_dispatches, (ull)st.nr_slice_clamped, (ull)st.nr_sched_congested,
		(ull)st.nr_failsafe_entries, (ull)st.nr_failsafe_dispatches, (ull)st.failsafe_ns,
		(ull)st.nr_hotplug_events, r.queue_len, iv.queue_max, r.nr_tasks_known, (ull)iv.dispatched, (ull)iv.refill, (ull)iv.to_idle,
		(ull)iv.handoff, (ull)iv.expired, (ull)iv.preempted, (ull)iv.overdue, (ull)iv.placed, (ull)iv.behind,
		mean_us(iv.wait_sum_ns, iv.dispatched), (double)iv.wait_max_ns / 1000.0,
		mean_us(iv.lag_sum_ns, iv.dispatched), (double)iv.lag_max_ns / 1000.0);
	std::fflush(f);
}

} // namespace interactive
