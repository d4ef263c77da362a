// SPDX-License-Identifier: GPL-2.0-only
// The process-wide side of libscxcore-sim.so (sim/runtime.cpp), as the
// simulator's backend (sim/backend.cpp) uses it.
#pragma once

#include "engine.h"

struct scx_sched;

namespace scxsim {

// The next run's configuration: scx_sim_set() over the SCX_SIM_* variables.
// False, having said why on stderr, when a value is bad.
bool read_config(Config *c);

// The process runs one simulation at a time, as the kernel runs one
// sched_ext scheduler: false when one runs already.
bool begin_run();
void end_run();

// From now on the process's CLOCK_MONOTONIC and sched_getcpu() follow the
// simulation @c describes (unless c->virtual_clock is false); sets
// c->clock_base, clock_out and cpu_out.
void clock_attach(Config *c);
// Back to the real clock, never going back in time.
void clock_detach();

// The simulation behind a handle (sim/backend.cpp); NULL for NULL.
const Sim *sim_of(const struct scx_sched *s);

} // namespace scxsim
