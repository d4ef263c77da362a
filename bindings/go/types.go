// SPDX-License-Identifier: GPL-2.0-only

package scxcore

/*
#include <stdlib.h>
#include <scx/scxcore.h>
*/
import "C"

import (
	"math"
	"strings"
	"time"
	"unsafe"
)

// CPUAny as [DispatchedTask.CPU] lets the first CPU that becomes available
// run the task.
const CPUAny = C.SCX_CPU_ANY

// CommLen is the size of the kernel's task name buffer; [Task.Comm] holds
// at most CommLen-1 bytes.
const CommLen = C.SCX_COMM_LEN

// Limits and defaults of the options and of slices.
const (
	// SliceDefault is the slice used when [Options.Slice] is 0.
	SliceDefault time.Duration = C.SCX_SLICE_DEFAULT_NS
	// SliceMin: shorter slices are raised to it (an [Options.Slice] below
	// it is an error).
	SliceMin time.Duration = C.SCX_SLICE_MIN_NS
	// SliceMax: longer slices are cut to it (an [Options.Slice] above it
	// is an error).
	SliceMax time.Duration = C.SCX_SLICE_MAX_NS
	// TimeoutDefault is the kernel watchdog used when [Options.Timeout] is 0.
	TimeoutDefault time.Duration = C.SCX_TIMEOUT_DEFAULT_MS * time.Millisecond
	// FailsafeDefault is used when [Options.Failsafe] is 0.
	FailsafeDefault time.Duration = C.SCX_FAILSAFE_DEFAULT_MS * time.Millisecond
	// IdleWaitDefault is used when [Options.IdleWait] is 0.
	IdleWaitDefault time.Duration = C.SCX_IDLE_WAIT_DEFAULT_MS * time.Millisecond
)

// WakeBatchDefault is used when [Options.WakeBatch] is 0.
const WakeBatchDefault = C.SCX_WAKE_BATCH_DEFAULT

// Options configure [Open]. The zero value gives every default. Each field
// is the field of struct scx_opts of the same name: its meaning, default
// and limits are in scx_init(3), the one place they are written.
// Durations are given in whole milliseconds (finer parts are dropped).
type Options struct {
	// Name shown in /sys/kernel/sched_ext/root/ops (the characters the
	// kernel accepts: see scx_init(3)). Empty: the library's default.
	Name string
	// Slice given to tasks dispatched with a zero [DispatchedTask.Slice]
	// and to the tasks the kernel side places itself.
	Slice time.Duration
	// Timeout of the kernel watchdog.
	Timeout time.Duration
	// ExitDumpLen: bytes of the kernel's debug dump kept on an error exit
	// ([ExitInfo.Dump]).
	ExitDumpLen uint32
	// Failsafe: how long a task may wait for user space before the kernel
	// side serves waiting tasks itself.
	Failsafe time.Duration
	// IdleWait: the longest [Scheduler.Notify] sleeps when no work comes.
	IdleWait time.Duration
	// RingSizeKB: KiB per ring between the kernel and user space.
	RingSizeKB uint32
	// WakeBatch: while no CPU is idle, a sleeping [Scheduler.Notify] is
	// woken once this many tasks wait; 1 for a policy that preempts on
	// wake-up.
	WakeBatch uint32
	// Partial: schedule only tasks that opted in with
	// sched_setscheduler(SCHED_EXT) (and the scheduler's own threads).
	Partial bool
	// BuiltinIdle: a waking task that finds an idle CPU (and no task
	// waiting in user space) runs there at once, without a round trip to
	// user space. Counted as kernel dispatches.
	BuiltinIdle bool
	// NoFailsafe disables the fail-safe.
	NoFailsafe bool
	// NoLockMemory: do not mlockall() the process.
	NoLockMemory bool
	// Debug prints libbpf's and the library's diagnostics to stderr.
	Debug bool
	// Takeover: take over the running scheduler of this name instead of
	// loading one (TakeoverNever, TakeoverRequired, TakeoverOrLoad,
	// TakeoverOrReload); see scx_init(3), "Hand-over".
	Takeover uint32
	// Linger: let the scheduler outlive this process for this long,
	// waiting for a successor (scx_opts.linger_ms; whole milliseconds).
	Linger time.Duration
	// EnqLast: every slice end comes back to the policy, also for a task
	// alone on its CPU (scx_opts.enq_last; see scx_init(3)).
	EnqLast bool
	// WakeToIdlePrev: a waking task whose previous CPU is idle runs there
	// at once and is reported afterwards with [TaskPlaced]
	// (scx_opts.wake_to_idle_prev; see scx_init(3)).
	WakeToIdlePrev bool
	// IdleRunsOldest: a CPU about to idle runs the task that has waited
	// longest for the policy among those allowed there, reported afterwards
	// with [TaskPlaced] (scx_opts.idle_runs_oldest; see scx_init(3)).
	IdleRunsOldest bool
	// SubCgroup: load as a sub-scheduler serving only this cgroup v2
	// (an absolute path) under the scheduler of its parent; Linux 7.3+
	// (scx_opts.sub_cgroup; see scx_init(3), "Sub-schedulers").
	SubCgroup string
	// HostSubs: let sub-schedulers attach below this scheduler; Linux
	// 7.3+ (scx_opts.host_subs; see scx_init(3), "Sub-schedulers").
	HostSubs bool
}

// Options.Takeover values (SCX_TAKEOVER_*).
const (
	TakeoverNever    = C.SCX_TAKEOVER_NEVER
	TakeoverRequired = C.SCX_TAKEOVER_REQUIRED
	TakeoverOrLoad   = C.SCX_TAKEOVER_OR_LOAD
	TakeoverOrReload = C.SCX_TAKEOVER_OR_RELOAD
)

// millis converts an option given as a Duration to the C API's whole
// milliseconds.
func millis(name string, d time.Duration) (C.uint32_t, error) {
	if d < 0 {
		return 0, invalid("scx_init", name+" is negative")
	}
	ms := d / time.Millisecond
	if d > 0 && ms == 0 {
		return 0, invalid("scx_init", name+" is below 1 ms")
	}
	if ms > math.MaxUint32 {
		return 0, invalid("scx_init", name+" is too long")
	}
	return C.uint32_t(ms), nil
}

// toC fills a struct scx_opts. The strings, if any, are allocated with C.malloc
// (the C struct must not point into Go memory while C holds it); the caller
// frees it with freeOpts.
func (o *Options) toC() (C.struct_scx_opts, error) {
	c := C.struct_scx_opts{sz: C.sizeof_struct_scx_opts}
	if o.Slice < 0 {
		return c, invalid("scx_init", "Slice is negative")
	}
	c.slice_ns = C.uint64_t(o.Slice)
	var err error
	if c.timeout_ms, err = millis("Timeout", o.Timeout); err != nil {
		return c, err
	}
	if c.failsafe_ms, err = millis("Failsafe", o.Failsafe); err != nil {
		return c, err
	}
	if c.idle_wait_ms, err = millis("IdleWait", o.IdleWait); err != nil {
		return c, err
	}
	if c.linger_ms, err = millis("Linger", o.Linger); err != nil {
		return c, err
	}
	c.takeover = C.uint32_t(o.Takeover)
	c.exit_dump_len = C.uint32_t(o.ExitDumpLen)
	c.ring_size_kb = C.uint32_t(o.RingSizeKB)
	c.wake_batch = C.uint32_t(o.WakeBatch)
	c.partial = C.bool(o.Partial)
	c.builtin_idle = C.bool(o.BuiltinIdle)
	c.no_failsafe = C.bool(o.NoFailsafe)
	c.no_lock_memory = C.bool(o.NoLockMemory)
	c.debug = C.bool(o.Debug)
	c.enq_last = C.bool(o.EnqLast)
	c.wake_to_idle_prev = C.bool(o.WakeToIdlePrev)
	c.idle_runs_oldest = C.bool(o.IdleRunsOldest)
	c.host_subs = C.bool(o.HostSubs)
	if strings.IndexByte(o.Name, 0) >= 0 {
		return c, invalid("scx_init", "Name contains a NUL byte")
	}
	if strings.IndexByte(o.SubCgroup, 0) >= 0 {
		return c, invalid("scx_init", "SubCgroup contains a NUL byte")
	}
	if o.Name != "" {
		c.name = C.CString(o.Name)
	}
	if o.SubCgroup != "" {
		c.sub_cgroup = C.CString(o.SubCgroup)
	}
	return c, nil
}

// freeOpts frees what toC allocated in c.
func freeOpts(c *C.struct_scx_opts) {
	if c.name != nil {
		C.free(unsafe.Pointer(c.name))
		c.name = nil
	}
	if c.sub_cgroup != nil {
		C.free(unsafe.Pointer(c.sub_cgroup))
		c.sub_cgroup = nil
	}
}

// TaskFlags describe a [Task].
type TaskFlags uint64

// TaskWakeup: the task just woke up (else it was preempted or yielded).
const TaskWakeup TaskFlags = C.SCX_TASK_WAKEUP

// TaskPlaced: it runs already, on its idle previous CPU
// ([Options.WakeToIdlePrev]) or on a CPU that ran dry
// ([Options.IdleRunsOldest]): a record to account for, not to dispatch
// (SCX_TASK_PLACED; see scx_dequeue(3)).
const TaskPlaced TaskFlags = C.SCX_TASK_PLACED

// Task is a task that wants to run, as [Scheduler.Dequeue] reports it.
// Timestamps are nanoseconds of CLOCK_MONOTONIC.
type Task struct {
	// PID is the thread id.
	PID int
	// CPU the task last ran on.
	CPU int
	// NrCPUsAllowed is the size of its affinity mask.
	NrCPUsAllowed uint32
	// Weight is 1..10000; 100 is nice 0.
	Weight uint32
	// Flags: [TaskWakeup], [TaskPlaced].
	Flags TaskFlags
	// StartTS is when it last started running.
	StartTS uint64
	// StopTS is when it last stopped running.
	StopTS uint64
	// ExecRuntime is how long it ran since it last woke up.
	ExecRuntime time.Duration
	// Vtime is the value user space last gave it (0 at first).
	Vtime uint64
	// EnqueueTS is when it started waiting for user space.
	EnqueueTS uint64
	// Token identifies this wait; [NewDispatchedTask] copies it.
	Token uint64
	// Comm is the task's name (at most CommLen-1 bytes).
	Comm string
	// CgroupID is its cgroup v2, the inode number of its directory under
	// /sys/fs/cgroup, or [CgroupUnknown].
	CgroupID uint64
	// TGID is its process, the thread group id.
	TGID int
}

// CgroupUnknown as [Task.CgroupID]: the kernel side could not read it.
const CgroupUnknown = uint64(C.SCX_CGROUP_UNKNOWN)

// Wakeup reports whether the task just woke up.
func (t *Task) Wakeup() bool { return t.Flags&TaskWakeup != 0 }

// Placed reports whether the task runs already ([TaskPlaced]).
func (t *Task) Placed() bool { return t.Flags&TaskPlaced != 0 }

// taskFromC converts what scx_dequeue() filled.
func taskFromC(c *C.struct_scx_queued_task) Task {
	comm := unsafe.Slice((*byte)(unsafe.Pointer(&c.comm[0])), len(c.comm))
	n := 0
	for n < len(comm) && comm[n] != 0 {
		n++
	}
	return Task{
		PID:           int(c.pid),
		CPU:           int(c.cpu),
		NrCPUsAllowed: uint32(c.nr_cpus_allowed),
		Weight:        uint32(c.weight),
		Flags:         TaskFlags(c.flags),
		StartTS:       uint64(c.start_ts),
		StopTS:        uint64(c.stop_ts),
		ExecRuntime:   time.Duration(c.exec_runtime),
		Vtime:         uint64(c.vtime),
		EnqueueTS:     uint64(c.enqueue_ts),
		Token:         uint64(c.token),
		Comm:          string(comm[:n]),
		CgroupID:      uint64(c.cgroup_id),
		TGID:          int(c.tgid),
	}
}

// toC converts back to a struct scx_queued_task; Comm is cut to CommLen-1
// bytes. PID, CPU and TGID must fit in an int32 (they do for any Task that
// Dequeue returned).
func (t *Task) toC() C.struct_scx_queued_task {
	c := C.struct_scx_queued_task{
		sz:              C.sizeof_struct_scx_queued_task,
		pid:             C.int32_t(t.PID),
		cpu:             C.int32_t(t.CPU),
		nr_cpus_allowed: C.uint32_t(t.NrCPUsAllowed),
		weight:          C.uint32_t(t.Weight),
		flags:           C.uint64_t(t.Flags),
		start_ts:        C.uint64_t(t.StartTS),
		stop_ts:         C.uint64_t(t.StopTS),
		exec_runtime:    C.uint64_t(t.ExecRuntime),
		vtime:           C.uint64_t(t.Vtime),
		enqueue_ts:      C.uint64_t(t.EnqueueTS),
		token:           C.uint64_t(t.Token),
		cgroup_id:       C.uint64_t(t.CgroupID),
		tgid:            C.int32_t(t.TGID),
	}
	for i := 0; i < len(t.Comm) && i < len(c.comm)-1; i++ {
		c.comm[i] = C.char(t.Comm[i])
	}
	return c
}

// DispatchFlags modify a [DispatchedTask].
type DispatchFlags uint64

// DispatchPreempt preempts what runs on [DispatchedTask.CPU] now (not with
// [CPUAny]).
const DispatchPreempt DispatchFlags = C.SCX_DISPATCH_PREEMPT

// DispatchedTask says where and how long to run a task, for
// [Scheduler.Dispatch]. Start from [NewDispatchedTask].
type DispatchedTask struct {
	// PID of the task.
	PID int
	// CPU is a CPU the task may use, or [CPUAny].
	CPU int
	// Flags: [DispatchPreempt].
	Flags DispatchFlags
	// Slice is how long it may run; 0: the scheduler's default slice.
	// Clamped to [SliceMin]..[SliceMax].
	Slice time.Duration
	// Vtime is stored with the task and reported back by Dequeue.
	Vtime uint64
	// Token is the [Task.Token] of the wait this answers.
	Token uint64
}

// NewDispatchedTask returns a decision to run t on its previous CPU with
// the default slice, keeping its vtime and token: what the C library's
// scx_dispatched_task_init() fills.
func NewDispatchedTask(t Task) DispatchedTask {
	return DispatchedTask{PID: t.PID, CPU: t.CPU, Vtime: t.Vtime, Token: t.Token}
}

// dispatchedTaskInitC runs the C library's scx_dispatched_task_init() on t;
// the tests check NewDispatchedTask against it.
func dispatchedTaskInitC(t Task) DispatchedTask {
	ct := t.toC()
	var cd C.struct_scx_dispatched_task
	C.scx_dispatched_task_init(&cd, &ct)
	return DispatchedTask{
		PID:   int(cd.pid),
		CPU:   int(cd.cpu),
		Flags: DispatchFlags(cd.flags),
		Slice: time.Duration(cd.slice_ns),
		Vtime: uint64(cd.vtime),
		Token: uint64(cd.token),
	}
}

// fitsInt32 reports whether v is representable as a C int32_t.
func fitsInt32(v int) bool { return v >= math.MinInt32 && v <= math.MaxInt32 }

// toC fills *c (whose sz the caller set) from d, rejecting what cannot be
// represented; the library checks the values themselves.
func (d *DispatchedTask) toC(c *C.struct_scx_dispatched_task) error {
	if !fitsInt32(d.PID) || !fitsInt32(d.CPU) {
		return invalid("scx_dispatch", "PID or CPU out of range")
	}
	if d.Slice < 0 {
		return invalid("scx_dispatch", "Slice is negative")
	}
	c.pid = C.int32_t(d.PID)
	c.cpu = C.int32_t(d.CPU)
	c.flags = C.uint64_t(d.Flags)
	c.slice_ns = C.uint64_t(d.Slice)
	c.vtime = C.uint64_t(d.Vtime)
	c.token = C.uint64_t(d.Token)
	return nil
}

// SelectFlags modify [Scheduler.SelectCPU].
type SelectFlags uint64

// SelectIdleCore picks only a CPU whose SMT siblings are idle too.
const SelectIdleCore SelectFlags = C.SCX_SELECT_IDLE_CORE

// Stats are the scheduler's counters since [Open]; a snapshot, consistent
// per field.
type Stats struct {
	NrOnlineCPUs         uint64        // CPUs online
	NrRunning            uint64        // tasks on a CPU right now
	NrQueued             uint64        // waiting in the ring for Dequeue
	NrScheduled          uint64        // held by user space (last Notify)
	NrUserDispatches     uint64        // placed as user space decided
	NrKernelDispatches   uint64        // placed by the kernel side alone
	NrCancelDispatches   uint64        // decisions for a task gone or already placed
	NrBounceDispatches   uint64        // decisions naming a CPU the task may not use
	NrFailedDispatches   uint64        // decisions for a pid that does not exist
	NrInvalidDispatches  uint64        // rejected by Dispatch itself
	NrSliceClamped       uint64        // slices raised or cut to the allowed range
	NrSchedCongested     uint64        // tasks that found the ring to user space full
	NrFailsafeEntries    uint64        // times the fail-safe took over
	NrFailsafeDispatches uint64        // tasks the fail-safe served
	FailsafeTime         time.Duration // time spent in fail-safe
	NrIdleMisses         uint64        // CPUs from SelectCPU taken before the task got there
	NrHotplugEvents      uint64        // CPUs that went on- or offline (handled live)
	NrHotplugMoves       uint64        // tasks moved off a CPU that went offline
	NrHandovers          uint64        // times another process took the scheduler over
	NrRequeued           uint64        // undecided tasks queued again to a new owner
}

func statsFromC(c *C.struct_scx_stats) Stats {
	return Stats{
		NrOnlineCPUs:         uint64(c.nr_online_cpus),
		NrRunning:            uint64(c.nr_running),
		NrQueued:             uint64(c.nr_queued),
		NrScheduled:          uint64(c.nr_scheduled),
		NrUserDispatches:     uint64(c.nr_user_dispatches),
		NrKernelDispatches:   uint64(c.nr_kernel_dispatches),
		NrCancelDispatches:   uint64(c.nr_cancel_dispatches),
		NrBounceDispatches:   uint64(c.nr_bounce_dispatches),
		NrFailedDispatches:   uint64(c.nr_failed_dispatches),
		NrInvalidDispatches:  uint64(c.nr_invalid_dispatches),
		NrSliceClamped:       uint64(c.nr_slice_clamped),
		NrSchedCongested:     uint64(c.nr_sched_congested),
		NrFailsafeEntries:    uint64(c.nr_failsafe_entries),
		NrFailsafeDispatches: uint64(c.nr_failsafe_dispatches),
		FailsafeTime:         time.Duration(c.failsafe_ns),
		NrIdleMisses:         uint64(c.nr_idle_misses),
		NrHotplugEvents:      uint64(c.nr_hotplug_events),
		NrHotplugMoves:       uint64(c.nr_hotplug_moves),
		NrHandovers:          uint64(c.nr_handovers),
		NrRequeued:           uint64(c.nr_requeued),
	}
}

// ExitKind says why a scheduler stopped (the kernel's SCX_EXIT_* values).
type ExitKind int64

// Exit kinds.
const (
	ExitNone       ExitKind = C.SCX_EXIT_NONE        // still running
	ExitDone       ExitKind = C.SCX_EXIT_DONE        // done
	ExitUnreg      ExitKind = C.SCX_EXIT_UNREG       // unregistered from user space
	ExitUnregBPF   ExitKind = C.SCX_EXIT_UNREG_BPF   // unregistered by the BPF scheduler
	ExitUnregKern  ExitKind = C.SCX_EXIT_UNREG_KERN  // unregistered by the kernel
	ExitSysrq      ExitKind = C.SCX_EXIT_SYSRQ       // disabled by sysrq-S
	ExitError      ExitKind = C.SCX_EXIT_ERROR       // runtime error
	ExitErrorBPF   ExitKind = C.SCX_EXIT_ERROR_BPF   // scx_bpf_error
	ExitErrorStall ExitKind = C.SCX_EXIT_ERROR_STALL // a task waited longer than the watchdog
	ExitHandedOver ExitKind = C.SCX_EXIT_HANDED_OVER // another process took it over
	ExitReleased   ExitKind = C.SCX_EXIT_RELEASED    // Release: left to the kernel side
)

// String returns the library's description of the kind
// (scx_exit_kind_str), "unknown" for a value it does not know.
func (k ExitKind) String() string {
	return C.GoString(C.scx_exit_kind_str(C.int64_t(k)))
}

// IsError reports whether the kind is an error exit (ExitError and above).
func (k ExitKind) IsError() bool { return k >= ExitError }

// ExitInfo says why a scheduler stopped.
type ExitInfo struct {
	// Kind of exit.
	Kind ExitKind
	// ExitCode is the kernel's exit code.
	ExitCode int64
	// ShouldRestart: the kernel asks to load again (e.g. after CPU
	// hotplug).
	ShouldRestart bool
	// Reason, e.g. "unregistered from user space".
	Reason string
	// Msg gives details, e.g. which task stalled.
	Msg string
	// Dump is the kernel's debug dump ([Options.ExitDumpLen]), "" if none.
	Dump string
}

func exitInfoFromC(c *C.struct_scx_exit_info) ExitInfo {
	e := ExitInfo{
		Kind:          ExitKind(c.kind),
		ExitCode:      int64(c.exit_code),
		ShouldRestart: bool(c.should_restart),
		Reason:        C.GoString(&c.reason[0]),
		Msg:           C.GoString(&c.msg[0]),
	}
	if c.dump != nil {
		e.Dump = C.GoString(c.dump) // copied: the handle owns the C string
	}
	return e
}

// CPUInfo describes one CPU id.
type CPUInfo struct {
	CPU    int  // the CPU id
	CoreID int  // CPUs with the same CoreID are SMT siblings
	LLCID  int  // ... share their last-level cache
	Node   int  // NUMA node
	Online bool // online now (as read at Open)
}

// CgroupInfo is a cgroup's CPU controller settings (scx_cgroup_info(3)).
type CgroupInfo C.struct_scx_cgroup_info

// ID is the cgroup asked for.
func (c *CgroupInfo) ID() uint64 { return uint64(c.id) }

// Weight is cpu.weight, 1..10000 (100 by default).
func (c *CgroupInfo) Weight() uint32 { return uint32(c.weight) }

// Quota is cpu.max's CPU time per Period; ok is false for "max" (no limit).
func (c *CgroupInfo) Quota() (quota time.Duration, ok bool) {
	if uint64(c.quota_us) == uint64(cgroupNoQuota) {
		return 0, false
	}
	return time.Duration(c.quota_us) * time.Microsecond, true
}

// Period is cpu.max's period.
func (c *CgroupInfo) Period() time.Duration { return time.Duration(c.period_us) * time.Microsecond }

// Burst is cpu.max.burst.
func (c *CgroupInfo) Burst() time.Duration { return time.Duration(c.burst_us) * time.Microsecond }

// Generation is [Scheduler.CgroupGeneration] when these settings last
// changed; 0 when not tracked.
func (c *CgroupInfo) Generation() uint64 { return uint64(c.generation) }

// Flags are SCX_CGROUP_* ([CgroupIdle], [CgroupReadWeight], ...).
func (c *CgroupInfo) Flags() uint32 { return uint32(c.flags) }

const cgroupNoQuota = C.SCX_CGROUP_NO_QUOTA

// CgroupInfo.Flags bits (SCX_CGROUP_*).
const (
	CgroupIdle       = C.SCX_CGROUP_IDLE
	CgroupReadWeight = C.SCX_CGROUP_READ_WEIGHT
	CgroupReadMax    = C.SCX_CGROUP_READ_MAX
	CgroupReadIdle   = C.SCX_CGROUP_READ_IDLE
)

// TopoLevel names a level of the CPU topology, for [Scheduler.CPUSiblings].
type TopoLevel int

// Topology levels.
const (
	TopoSMT  TopoLevel = C.SCX_TOPO_SMT  // same core
	TopoLLC  TopoLevel = C.SCX_TOPO_LLC  // same last-level cache
	TopoNode TopoLevel = C.SCX_TOPO_NODE // same NUMA node
)
