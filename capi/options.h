// SPDX-License-Identifier: GPL-2.0-only
// The rules of struct scx_opts.
#pragma once

#include "backend.h"

namespace scxcore {

// Check a caller's @in (NULL: all defaults) and fill @out; 0 or -EINVAL,
// exactly as scx_init() documents, naming the field and the rule on stderr
// when in->debug is set.
int parse_options(const struct scx_opts *in, Options *out);

} // namespace scxcore
