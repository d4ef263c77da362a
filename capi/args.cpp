// SPDX-License-Identifier: GPL-2.0-only
// The argument rules of the C API's calls (see args.h).
#include "args.h"

#include "../cxx/options.h"

#include <cerrno>

namespace scxcore {

int check_dispatch(const struct scx_dispatched_task *d, int nr_cpus, uint64_t *slice, bool *clamped)
{
	int err = d ? check_struct_size(d, d->sz, sizeof(*d)) : -EINVAL;
	if (err)
		return err;
	if (d->pid <= 0 || d->cpu < SCX_CPU_ANY || d->cpu >= nr_cpus || (d->flags & ~SCX_DISPATCH_PREEMPT) ||
	    ((d->flags & SCX_DISPATCH_PREEMPT) && d->cpu == SCX_CPU_ANY))
		return -EINVAL;
	*slice = d->slice_ns;
	*clamped = *slice && (*slice < SCX_SLICE_MIN_NS || *slice > SCX_SLICE_MAX_NS);
	if (*clamped)
		*slice = *slice < SCX_SLICE_MIN_NS ? SCX_SLICE_MIN_NS : SCX_SLICE_MAX_NS;
	return 0;
}

int check_select_cpu(int32_t pid, int32_t prev_cpu, uint64_t flags, int nr_cpus)
{
	if (pid <= 0 || prev_cpu < -1 || prev_cpu >= nr_cpus || (flags & ~SCX_SELECT_IDLE_CORE))
		return -EINVAL;
	return 0;
}

int check_dequeue_out(const struct scx_queued_task *out)
{
	return out && out->sz >= sizeof(*out) ? 0 : -EINVAL;
}

} // namespace scxcore
