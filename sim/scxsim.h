/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libscxcore-sim: the simulator's own calls, beyond the scx_* C API of
 * <scx/scxcore.h> (which libscxcore-sim.so implements in full, with the
 * same SONAME, libscxcore.so.0). Only a program that knows it runs under
 * the simulator uses these; an unmodified scheduler is driven by the
 * SCX_SIM_* environment variables instead (docs/sim.md).
 */
#ifndef SCX_SCXSIM_H
#define SCX_SCXSIM_H

#include <scx/scxcore.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Set a run parameter for the next scx_init(), overriding the environment.
 * @key is an SCX_SIM_* variable's name without the prefix, in lower case:
 * "workload", "seed", "cpus", "duration", "output", "table", "svg", "clock",
 * "ring", "cost". @value NULL: back to the environment. Values are checked
 * by scx_init(). Returns 0, or -EINVAL for an unknown key.
 */
SCX_API int scx_sim_set(const char *key, const char *value);

/* The run's metrics as JSON once it ended (scx_exited()), else "".
 * Owned by the handle. NULL for a NULL handle. */
SCX_API const char *scx_sim_report(const struct scx_sched *s);

/* Virtual time since scx_init(), in ns. */
SCX_API uint64_t scx_sim_now_ns(const struct scx_sched *s);

/* Scheduling events simulated so far (wake-ups, decisions, context switches,
 * tasks leaving a CPU). */
SCX_API uint64_t scx_sim_nr_events(const struct scx_sched *s);

#ifdef __cplusplus
}
#endif

#endif /* SCX_SCXSIM_H */
