// SPDX-License-Identifier: GPL-2.0-only
#include "args.h"

#include <cerrno>

namespace scxcore {

int check_dispatch(const scx_dispatched_task &d, int nr_cpus, Decision *out, bool *clamped)
{
	if (d.pid <= 0 || d.cpu < SCX_CPU_ANY || d.cpu >= nr_cpus || (d.flags & ~SCX_DISPATCH_PREEMPT) ||
	    ((d.flags & SCX_DISPATCH_PREEMPT) && d.cpu == SCX_CPU_ANY))
		return -EINVAL;
	uint64_t slice = d.slice_ns;
	*clamped = slice && (slice < SCX_SLICE_MIN_NS || slice > SCX_SLICE_MAX_NS);
	if (*clamped)
		slice = slice < SCX_SLICE_MIN_NS ? SCX_SLICE_MIN_NS : SCX_SLICE_MAX_NS;
	*out = Decision{d.pid, d.cpu, d.flags, slice, d.vtime, d.token};
	return 0;
}

int check_select_cpu(int32_t pid, int32_t prev_cpu, uint64_t flags, int nr_cpus)
{
	if (pid <= 0 || prev_cpu < -1 || prev_cpu >= nr_cpus || (flags & ~SCX_SELECT_IDLE_CORE))
		return -EINVAL;
	return 0;
}

} // namespace scxcore
