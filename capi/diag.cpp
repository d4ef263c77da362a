// SPDX-License-Identifier: GPL-2.0-only
#include "backend.h"

#include <cstdarg>
#include <cstdio>

namespace scxcore {

void diag(bool on, const char *fmt, ...)
{
	if (!on)
		return;
	// One write, so that lines of two threads do not interleave.
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fprintf(stderr, "libscxcore: scx_init: %s\n", line);
}

} // namespace scxcore
