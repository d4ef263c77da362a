// SPDX-License-Identifier: GPL-2.0-only

package scxcore

/*
#include <scx/scxcore.h>
*/
import "C"

import (
	"strconv"
	"sync"
	"syscall"
)

// Version returns the version ("MAJOR.MINOR.PATCH") of the libscxcore that
// the program runs with.
func Version() string { return C.GoString(C.scx_version()) }

// HeaderVersion returns the version of the scxcore.h this package was
// compiled against.
func HeaderVersion() string {
	return strconv.Itoa(C.SCX_VERSION_MAJOR) + "." + strconv.Itoa(C.SCX_VERSION_MINOR) + "." + strconv.Itoa(C.SCX_VERSION_PATCH)
}

// Scheduler is a loaded and attached sched_ext scheduler (a libscxcore
// handle). Drive it from one goroutine locked to its OS thread (see the
// package documentation); Stats, Exited and the topology queries may be
// called from any goroutine.
type Scheduler struct {
	// mu guards h against Close: every call holds it for reading, Close
	// for writing, so a concurrent Stats never sees a freed handle.
	mu sync.RWMutex
	h  *C.struct_scx_sched

	// Buffers reused by the scheduling loop's calls (Go memory without Go
	// pointers, which C may use during a call).
	queued     C.struct_scx_queued_task
	dispatched C.struct_scx_dispatched_task

	closed   bool
	exitInfo ExitInfo
}

// Open loads and attaches a scheduler configured by opts. Call it from the
// goroutine that will run the scheduling loop, after runtime.LockOSThread.
//
// Errors wrap: syscall.EINVAL (bad option), syscall.EPERM (not privileged:
// needs CAP_SYS_ADMIN), syscall.EOPNOTSUPP (the kernel has no sched_ext),
// syscall.EBUSY (another sched_ext scheduler is loaded), or another errno
// from the BPF loader (details with [Options.Debug]).
func Open(opts Options) (*Scheduler, error) {
	copts, err := opts.toC()
	defer freeOpts(&copts)
	if err != nil {
		return nil, err
	}
	s := &Scheduler{}
	if err := check("scx_init", C.scx_init(&copts, &s.h)); err != nil {
		return nil, err
	}
	s.queued.sz = C.sizeof_struct_scx_queued_task
	s.dispatched.sz = C.sizeof_struct_scx_dispatched_task
	return s, nil
}

// Dequeue takes the next task that wants to run. It never blocks: ok is
// false when no task is waiting. err wraps syscall.ENODEV once the
// scheduler has exited.
func (s *Scheduler) Dequeue() (t Task, ok bool, err error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.h == nil {
		return Task{}, false, ErrClosed
	}
	rc := C.scx_dequeue(s.h, &s.queued)
	if rc != 1 {
		return Task{}, false, check("scx_dequeue", rc)
	}
	return taskFromC(&s.queued), true, nil
}

// Dispatch runs a dequeued task: on d.CPU ([CPUAny]: the first CPU
// available) for d.Slice. A nil error means the decision was queued to the
// kernel, whose next CPU to look for work applies it (see scx_dispatch(3)),
// counting what it cannot apply in [Stats] (the task is never lost or run
// twice).
//
// Errors wrap: syscall.EINVAL (pid <= 0, a CPU out of range, unknown flags,
// DispatchPreempt with CPUAny), syscall.EAGAIN (the ring to the kernel
// stayed full for 100 ms: call Notify and retry), syscall.ENODEV (the
// scheduler has exited).
func (s *Scheduler) Dispatch(d DispatchedTask) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.h == nil {
		return ErrClosed
	}
	if err := d.toC(&s.dispatched); err != nil {
		return err
	}
	return check("scx_dispatch", C.scx_dispatch(s.h, &s.dispatched))
}

// SelectCPU finds and claims an idle CPU that task pid may use, preferring
// prevCPU (-1: no preference), then its SMT siblings, its LLC, its NUMA
// node, then any, and returns it.
//
// When no such CPU is idle it returns [ErrNoIdleCPU] (which wraps
// syscall.EBUSY). Other errors wrap syscall.ESRCH (unknown pid),
// syscall.EINVAL (bad arguments) or syscall.ENODEV (the scheduler has
// exited).
func (s *Scheduler) SelectCPU(pid, prevCPU int, flags SelectFlags) (int, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.h == nil {
		return -1, ErrClosed
	}
	if !fitsInt32(pid) || !fitsInt32(prevCPU) {
		return -1, invalid("scx_select_cpu", "pid or prevCPU out of range")
	}
	rc := C.scx_select_cpu(s.h, C.int32_t(pid), C.int32_t(prevCPU), C.uint64_t(flags))
	if rc == -C.int(syscall.EBUSY) {
		return -1, ErrNoIdleCPU
	}
	if rc < 0 {
		return -1, check("scx_select_cpu", rc)
	}
	return int(rc), nil
}

// TaskAllowsCPU says whether task pid may run on cpu (scx_task_allows_cpu(3)).
// Errors wrap syscall.ESRCH (the task is gone), syscall.EINVAL (cpu out of
// range) or syscall.ENODEV (the scheduler has exited).
func (s *Scheduler) TaskAllowsCPU(pid, cpu int) (bool, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.h == nil {
		return false, ErrClosed
	}
	if !fitsInt32(pid) || !fitsInt32(cpu) {
		return false, invalid("scx_task_allows_cpu", "pid or cpu out of range")
	}
	rc := C.scx_task_allows_cpu(s.h, C.int32_t(pid), C.int32_t(cpu))
	if rc < 0 {
		return false, check("scx_task_allows_cpu", rc)
	}
	return rc == 1, nil
}

// Notify tells the kernel side that user space still holds pending
// dequeued tasks it has not dispatched yet, and sleeps until there is work:
// a new task (see [Options.WakeBatch]), a CPU going idle while pending > 0,
// the scheduler exiting, a signal, or [Options.IdleWait]. It also tells the
// fail-safe that user space is alive, so a loop must call it regularly.
// slept is true when it waited (its thread's CPU was free meanwhile), false
// when tasks were waiting already.
//
// Errors wrap syscall.EINTR (a signal cut the sleep short: not a failure,
// look at your flags and go on) or syscall.ENODEV (the scheduler has
// exited).
func (s *Scheduler) Notify(pending uint64) (slept bool, err error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.h == nil {
		return false, ErrClosed
	}
	rc := C.scx_notify(s.h, C.uint64_t(pending))
	return rc == 1, check("scx_notify", rc)
}

// Release leaves the scheduler running without this process (it needs
// [Options.Linger]): see scx_release(3). [Scheduler.Exited] is then true,
// and Close frees the handle without unloading. Call it on the scheduling
// loop's goroutine.
func (s *Scheduler) Release() error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.h == nil {
		return ErrClosed
	}
	return check("scx_release", C.scx_release(s.h))
}

// Stats returns the counters since Open. Any goroutine; also after the
// scheduler exited (but not after Close).
func (s *Scheduler) Stats() (Stats, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.h == nil {
		return Stats{}, ErrClosed
	}
	c := C.struct_scx_stats{sz: C.sizeof_struct_scx_stats}
	if err := check("scx_stats", C.scx_stats(s.h, &c)); err != nil {
		return Stats{}, err
	}
	return statsFromC(&c), nil
}

// Exited reports whether the kernel has stopped the scheduler (error,
// watchdog, sysrq), this handle no longer owns it (handed over, released)
// or it was closed. Any goroutine.
func (s *Scheduler) Exited() bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.h == nil || bool(C.scx_exited(s.h))
}

// Close detaches the scheduler if it still runs (tasks go back to the fair
// class), frees it, and returns why it stopped: [ExitUnreg] ("unregistered
// from user space") when Close itself stopped it. Closing again returns the
// same ExitInfo.
//
// Close waits for calls in progress on other goroutines (such as a Notify)
// to return.
func (s *Scheduler) Close() (ExitInfo, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.h == nil {
		if s.closed {
			return s.exitInfo, nil
		}
		return ExitInfo{}, ErrClosed
	}
	c := C.struct_scx_exit_info{sz: C.sizeof_struct_scx_exit_info}
	if err := check("scx_shutdown", C.scx_shutdown(s.h, &c)); err != nil {
		return ExitInfo{}, err
	}
	s.exitInfo = exitInfoFromC(&c) // before scx_destroy frees c.dump
	C.scx_destroy(s.h)
	s.h = nil
	s.closed = true
	return s.exitInfo, nil
}

// NrCPUs returns the number of possible CPU ids (valid CPUs are
// 0..NrCPUs()-1), as read at Open. Any goroutine. -1 after Close.
func (s *Scheduler) NrCPUs() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.h == nil {
		return -1
	}
	return int(C.scx_nr_cpus(s.h))
}

// CPUInfo describes cpu, as read at Open. Any goroutine. Errors wrap
// syscall.EINVAL for a CPU out of range.
func (s *Scheduler) CPUInfo(cpu int) (CPUInfo, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.h == nil {
		return CPUInfo{}, ErrClosed
	}
	if !fitsInt32(cpu) {
		return CPUInfo{}, invalid("scx_cpu_info", "cpu out of range")
	}
	c := C.struct_scx_cpu_info{sz: C.sizeof_struct_scx_cpu_info}
	if err := check("scx_cpu_info", C.scx_cpu_info(s.h, C.int32_t(cpu), &c)); err != nil {
		return CPUInfo{}, err
	}
	return CPUInfo{
		CPU:    int(c.cpu),
		CoreID: int(c.core_id),
		LLCID:  int(c.llc_id),
		Node:   int(c.node),
		Online: bool(c.online),
	}, nil
}

// CgroupInfo returns the CPU settings of the cgroup cgroupID (as in
// [Task.CgroupID]); see scx_cgroup_info(3). Any goroutine. Errors wrap
// syscall.ENOENT for a cgroup that does not exist (any more),
// syscall.EINVAL for [CgroupUnknown].
func (s *Scheduler) CgroupInfo(cgroupID uint64) (CgroupInfo, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c := CgroupInfo{sz: C.sizeof_struct_scx_cgroup_info}
	if s.h == nil {
		return c, ErrClosed
	}
	p := (*C.struct_scx_cgroup_info)(&c)
	return c, check("scx_cgroup_info", C.scx_cgroup_info(s.h, C.uint64_t(cgroupID), p))
}

// CgroupGeneration moves whenever a cgroup's tracked settings change: a
// policy that caches [Scheduler.CgroupInfo] re-reads only then (a memory
// read). Any goroutine; 0 after Close.
func (s *Scheduler) CgroupGeneration() uint64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.h == nil {
		return 0
	}
	return uint64(C.scx_cgroup_generation(s.h))
}

// CPUSiblings returns the CPUs that share level with cpu, cpu included.
// Any goroutine. Errors wrap syscall.EINVAL for a bad cpu or level.
func (s *Scheduler) CPUSiblings(cpu int, level TopoLevel) ([]int, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.h == nil {
		return nil, ErrClosed
	}
	if !fitsInt32(cpu) || level < TopoSMT || level > TopoNode {
		return nil, invalid("scx_cpu_siblings", "cpu or level out of range")
	}
	n := int(C.scx_nr_cpus(s.h))
	for {
		buf := make([]C.int32_t, max(n, 1))
		rc := C.scx_cpu_siblings(s.h, C.int32_t(cpu), C.enum_scx_topo_level(level),
			&buf[0], C.size_t(len(buf)))
		if err := check("scx_cpu_siblings", rc); err != nil {
			return nil, err
		}
		if int(rc) <= len(buf) {
			out := make([]int, rc)
			for i := range out {
				out[i] = int(buf[i])
			}
			return out, nil
		}
		n = int(rc) // more than we asked for: ask again with room for all
	}
}
