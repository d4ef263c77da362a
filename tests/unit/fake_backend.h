/* SPDX-License-Identifier: GPL-2.0-only */
/* A fake backend (tests/unit/fake_backend.cpp) behind the real C API, so
 * that the C API's rules can be tested on the host through a handle: what
 * the test wants the backend to answer, and what the C API passed it. */
#ifndef SCXCORE_FAKE_BACKEND_H
#define SCXCORE_FAKE_BACKEND_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct fake_state {
	/* set by the test */
	int nr_cpus;             /* 4 unless set before scx_init() */
	int32_t next_pid;        /* the next scx_dequeue() returns this task (0: none) */
	int32_t next_cpu;
	uint64_t next_flags;     /* public SCX_TASK_* */
	int select_ret;          /* what select_cpu answers */
	int allows_ret;          /* what task_allows_cpu answers */
	bool exited;
	uint64_t cgroup_generation;
	int cgroup_ret;          /* what cgroup_info answers; 0: weight = id + 1 */
	/* seen by the backend */
	int creates;
	uint64_t opt_slice_ns, opt_wake_batch;
	uint32_t opt_timeout_ms, opt_failsafe_ms, opt_ring_size_kb;
	bool opt_partial, opt_debug, opt_enq_last, opt_wake_to_idle_prev, opt_idle_runs_oldest, opt_host_subs;
	char opt_sub_cgroup[64];
	uint32_t opt_takeover, opt_linger_ms;
	int releases;
	int dispatches;
	int32_t last_pid, last_cpu;
	uint64_t last_flags, last_slice_ns, last_vtime, last_token;
	int32_t select_pid, select_prev;
	bool select_whole_core;
	int32_t allows_pid, allows_cpu;
	uint64_t notified_pending;
	uint64_t cgroup_asked;
};

/* The one fake's state; reset it between tests (nr_cpus 4). */
extern struct fake_state fake;
void fake_reset(void);

#ifdef __cplusplus
}
#endif

#endif
