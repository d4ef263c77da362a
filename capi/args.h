// SPDX-License-Identifier: GPL-2.0-only
// The argument rules of the C API's calls (their manual pages say them).
#pragma once

#include "backend.h"

#include <cstdint>

namespace scxcore {

// scx_dispatch()'s @d, read whole (see sized.h), for a machine of @nr_cpus:
// 0 and *out, or -EINVAL. *clamped tells whether the slice was raised or
// cut to SCX_SLICE_MIN_NS..SCX_SLICE_MAX_NS (0 stays 0: the default).
int check_dispatch(const scx_dispatched_task &d, int nr_cpus, Decision *out, bool *clamped);

// scx_select_cpu()'s arguments, the handle aside: 0 or -EINVAL.
int check_select_cpu(int32_t pid, int32_t prev_cpu, uint64_t flags, int nr_cpus);

} // namespace scxcore
