// SPDX-License-Identifier: GPL-2.0-only
// Diagnostics for opts.debug: why scx_init() refused or failed, on stderr.
#pragma once

namespace scxcore {

// "libscxcore: scx_init: <message>\n" on stderr when @on; nothing otherwise.
void diag(bool on, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

} // namespace scxcore
