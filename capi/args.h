// SPDX-License-Identifier: GPL-2.0-only
// The argument rules of the C API's calls, shared by libscxcore and
// libscxcore-sim, so that both refuse exactly the same calls.
#pragma once

#include <scx/scxcore.h>

#include <cstdint>

namespace scxcore {

// scx_dispatch()'s decision @d for a machine of @nr_cpus: 0, or -EINVAL /
// -E2BIG (counted as an invalid dispatch). On 0, *slice is the slice to
// apply (0: the default) and *clamped tells whether it was raised or cut to
// SCX_SLICE_MIN_NS..SCX_SLICE_MAX_NS.
int check_dispatch(const struct scx_dispatched_task *d, int nr_cpus, uint64_t *slice, bool *clamped);

// scx_select_cpu()'s arguments, the handle aside: 0 or -EINVAL.
int check_select_cpu(int32_t pid, int32_t prev_cpu, uint64_t flags, int nr_cpus);

// scx_dequeue()'s @out: 0 or -EINVAL.
int check_dequeue_out(const struct scx_queued_task *out);

} // namespace scxcore
