/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * How the BPF side's counters (struct scx_intf_stats of intf.h) read in the
 * public terms of <scx/scxcore.h>: one mapping, for the kernel backend
 * (cxx/backend.cpp) and for the simulator, whose model of the BPF side keeps
 * the same counters (sim/bpf_model.cpp). C++ only; not for BPF.
 */
#ifndef SCXCORE_BPF_INTF_PUBLIC_H
#define SCXCORE_BPF_INTF_PUBLIC_H

#include <scx/scxcore.h>

#include "intf.h"

namespace scxcore {

// Every counter of @out the BPF side keeps; nr_scheduled is user space's.
inline void stats_to_public(const struct scx_intf_stats &k, uint64_t nr_scheduled, struct scx_stats *out)
{
	out->nr_online_cpus = k.nr_online_cpus;
	out->nr_running = k.nr_running;
	out->nr_queued = k.nr_queued;
	out->nr_scheduled = nr_scheduled;
	out->nr_user_dispatches = k.nr_user_dispatches;
	out->nr_kernel_dispatches = k.nr_kernel_dispatches;
	out->nr_cancel_dispatches = k.nr_cancel_dispatches;
	out->nr_bounce_dispatches = k.nr_bounce_dispatches;
	out->nr_failed_dispatches = k.nr_failed_dispatches;
	out->nr_sched_congested = k.nr_sched_congested;
	out->nr_failsafe_entries = k.nr_failsafe_entries;
	out->nr_failsafe_dispatches = k.nr_failsafe_dispatches;
	out->failsafe_ns = k.failsafe_ns;
	out->nr_idle_misses = k.nr_idle_misses;
	out->nr_hotplug_events = k.nr_hotplug_events;
	out->nr_hotplug_moves = k.nr_hotplug_moves;
	out->nr_handovers = k.nr_handovers;
	out->nr_requeued = k.nr_handover_requeues;
}

} // namespace scxcore

#endif /* SCXCORE_BPF_INTF_PUBLIC_H */
