// SPDX-License-Identifier: GPL-2.0-only

// These tests run on any host: they need libscxcore but not sched_ext (on
// a kernel with sched_ext, the ones that expect Open to fail are skipped).

package scxcore

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"
)

func haveSchedExt() bool {
	_, err := os.Stat("/sys/kernel/sched_ext/state")
	return err == nil
}

func TestOpenWithoutSchedExt(t *testing.T) {
	if haveSchedExt() {
		t.Skip("this kernel has sched_ext")
	}
	s, err := Open(Options{Name: "gotest", NoLockMemory: true})
	if err == nil {
		s.Close()
		t.Fatal("Open succeeded on a kernel without sched_ext")
	}
	if s != nil {
		t.Errorf("Open returned a Scheduler with error %v", err)
	}
	if !errors.Is(err, syscall.EOPNOTSUPP) {
		t.Fatalf("Open: %v, want EOPNOTSUPP", err)
	}
	var e *Error
	if !errors.As(err, &e) || e.Op != "scx_init" || e.Errno != syscall.EOPNOTSUPP {
		t.Fatalf("Open: %#v, want *Error{Op: scx_init, Errno: EOPNOTSUPP}", err)
	}
	if !strings.Contains(err.Error(), "sched_ext") {
		t.Errorf("message %q does not mention sched_ext", err)
	}
}

func TestOpenBadOptions(t *testing.T) {
	cases := []struct {
		name string
		opts Options
	}{
		{"bad character in name", Options{Name: "my fifo"}},
		{"name too long", Options{Name: strings.Repeat("n", 64)}},
		{"NUL in name", Options{Name: "a\x00b"}},
		{"NUL in sub cgroup", Options{SubCgroup: "/a\x00b"}},
		{"relative sub cgroup", Options{SubCgroup: "a"}},
		{"slice too short", Options{Slice: SliceMin - 1}},
		{"slice too long", Options{Slice: SliceMax + 1}},
		{"negative slice", Options{Slice: -time.Millisecond}},
		{"timeout above 30 s", Options{Timeout: 31 * time.Second}},
		{"timeout below 1 ms", Options{Timeout: time.Microsecond}},
		{"negative timeout", Options{Timeout: -time.Second}},
		{"timeout beyond uint32 ms", Options{Timeout: (1 << 32) * time.Millisecond}},
		{"failsafe not below timeout", Options{Timeout: time.Second, Failsafe: time.Second}},
		{"failsafe not below default timeout", Options{Failsafe: TimeoutDefault}},
		{"negative idle wait", Options{IdleWait: -1}},
		{"exit dump above 1 MiB", Options{ExitDumpLen: 1<<20 + 1}},
		{"idle wait above 60 s", Options{IdleWait: 61 * time.Second}},
		{"ring below 16 KiB", Options{RingSizeKB: 8}},
		{"ring above 64 MiB", Options{RingSizeKB: 131072}},
		{"ring not a power of two", Options{RingSizeKB: 48}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := Open(c.opts)
			if err == nil {
				s.Close()
				t.Fatal("Open succeeded")
			}
			if !errors.Is(err, syscall.EINVAL) {
				t.Fatalf("Open: %v, want EINVAL", err)
			}
		})
	}
}

func TestOpenGoodOptionsReachTheKernelCheck(t *testing.T) {
	if haveSchedExt() {
		t.Skip("this kernel has sched_ext")
	}
	// Valid options pass the library's checks and fail only on the
	// missing sched_ext.
	for _, o := range []Options{
		{},
		{Name: "rlfifo_go2", Slice: SliceMin, Timeout: 30 * time.Second, Failsafe: 29 * time.Second},
		{Slice: SliceMax, ExitDumpLen: 1 << 20, IdleWait: 1500 * time.Microsecond, RingSizeKB: 16},
		{IdleWait: time.Minute, RingSizeKB: 65536},
		{NoFailsafe: true, Failsafe: time.Minute, Partial: true, BuiltinIdle: true, NoLockMemory: true},
	} {
		if _, err := Open(o); !errors.Is(err, syscall.EOPNOTSUPP) {
			t.Errorf("Open(%+v): %v, want EOPNOTSUPP", o, err)
		}
	}
}

func TestOptionsToC(t *testing.T) {
	o := Options{Name: "x", Slice: 2 * time.Millisecond, Timeout: 3500 * time.Microsecond,
		Failsafe: 2 * time.Millisecond, IdleWait: time.Second, ExitDumpLen: 4096,
		RingSizeKB: 256, WakeBatch: 1, Partial: true, Debug: true,
		Takeover: TakeoverOrLoad, Linger: 10 * time.Second, EnqLast: true, WakeToIdlePrev: true,
		IdleRunsOldest: true, SubCgroup: "/sys/fs/cgroup/a", HostSubs: true}
	c, err := o.toC()
	if err != nil {
		t.Fatal(err)
	}
	defer freeOpts(&c)
	if c.sz == 0 || c.slice_ns != 2000000 || c.timeout_ms != 3 || c.failsafe_ms != 2 ||
		c.idle_wait_ms != 1000 || c.exit_dump_len != 4096 || c.ring_size_kb != 256 || c.wake_batch != 1 || !bool(c.partial) ||
		bool(c.builtin_idle) || !bool(c.debug) || c.name == nil || c.takeover != 2 || c.linger_ms != 10000 ||
		!bool(c.enq_last) || !bool(c.wake_to_idle_prev) || !bool(c.idle_runs_oldest) ||
		c.sub_cgroup == nil || !bool(c.host_subs) {
		t.Errorf("toC(%+v) = %+v", o, c)
	}
	c2, err := (&Options{}).toC()
	if err != nil || c2.name != nil || c2.sub_cgroup != nil || c2.slice_ns != 0 || c2.timeout_ms != 0 {
		t.Errorf("zero Options: %+v, %v", c2, err)
	}
}

func TestErrorWrapping(t *testing.T) {
	err := error(&Error{Op: "scx_dispatch", Errno: syscall.EINVAL})
	if !errors.Is(err, syscall.EINVAL) || errors.Is(err, syscall.ENODEV) {
		t.Errorf("errors.Is on %v", err)
	}
	want := "scxcore: scx_dispatch: " + Strerror(syscall.EINVAL)
	if err.Error() != want {
		t.Errorf("Error() = %q, want %q", err.Error(), want)
	}
	if !strings.HasPrefix(Strerror(syscall.EINVAL), "invalid argument") {
		t.Errorf("Strerror(EINVAL) = %q", Strerror(syscall.EINVAL))
	}
	if !strings.HasPrefix(Strerror(syscall.ENODEV), "the scheduler has exited") {
		t.Errorf("Strerror(ENODEV) = %q", Strerror(syscall.ENODEV))
	}
	// Errno's own matching carries through the wrapper.
	if !errors.Is(&Error{Op: "scx_init", Errno: syscall.EPERM}, os.ErrPermission) {
		t.Error("EPERM does not match os.ErrPermission")
	}
	if check("x", 0) != nil || check("x", 1) != nil {
		t.Error("check of a non-negative value is not nil")
	}
	var e *Error
	if err := check("scx_notify", -4); !errors.As(err, &e) || e.Errno != syscall.EINTR || e.Op != "scx_notify" {
		t.Errorf("check(-EINTR) = %#v", err)
	}
	d := invalid("scx_init", "Name contains a NUL byte")
	if !errors.Is(d, syscall.EINVAL) || !strings.HasSuffix(d.Error(), "(Name contains a NUL byte)") {
		t.Errorf("invalid() = %v", d)
	}
	if !errors.Is(ErrNoIdleCPU, syscall.EBUSY) || !errors.Is(ErrClosed, syscall.ENODEV) {
		t.Error("sentinels do not wrap their errno")
	}
	if errors.Is(&Error{Op: "scx_select_cpu", Errno: syscall.EBUSY}, ErrNoIdleCPU) {
		t.Error("another EBUSY matches ErrNoIdleCPU")
	}
}

func sampleTask() Task {
	return Task{PID: 4242, CPU: 3, NrCPUsAllowed: 4, Weight: 100, Flags: TaskWakeup,
		StartTS: 1, StopTS: 2, ExecRuntime: 3 * time.Microsecond, Vtime: 77, EnqueueTS: 5,
		Token: 0xdeadbeefcafe, Comm: "hackbench", CgroupID: 0x2f1, TGID: 4240}
}

func TestTaskConversion(t *testing.T) {
	task := sampleTask()
	c := task.toC()
	if back := taskFromC(&c); back != task {
		t.Errorf("round trip: %+v, want %+v", back, task)
	}
	if !task.Wakeup() || task.Placed() {
		t.Error("Wakeup() is false with TaskWakeup set, or Placed() true without TaskPlaced")
	}
	task.Flags |= TaskPlaced
	c = task.toC()
	if back := taskFromC(&c); !back.Placed() {
		t.Error("Placed() is false with TaskPlaced set")
	}
	// Comm is cut to CommLen-1 bytes and always NUL-terminated.
	task.Comm = "a-very-long-thread-name"
	c = task.toC()
	if got := taskFromC(&c).Comm; got != task.Comm[:CommLen-1] {
		t.Errorf("long comm came back as %q", got)
	}
	task.Comm = ""
	c = task.toC()
	if got := taskFromC(&c).Comm; got != "" {
		t.Errorf("empty comm came back as %q", got)
	}
}

func TestNewDispatchedTask(t *testing.T) {
	task := sampleTask()
	d := NewDispatchedTask(task)
	want := DispatchedTask{PID: 4242, CPU: 3, Vtime: 77, Token: 0xdeadbeefcafe}
	if d != want {
		t.Errorf("NewDispatchedTask = %+v, want %+v", d, want)
	}
	// The same as the C library's scx_dispatched_task_init().
	if c := dispatchedTaskInitC(task); c != d {
		t.Errorf("scx_dispatched_task_init gives %+v, NewDispatchedTask %+v", c, d)
	}
}

func TestDispatchedTaskToC(t *testing.T) {
	var s Scheduler
	c := &s.dispatched
	d := DispatchedTask{PID: 7, CPU: CPUAny, Flags: DispatchPreempt, Slice: time.Millisecond,
		Vtime: 9, Token: 10}
	if err := d.toC(c); err != nil {
		t.Fatal(err)
	}
	if c.pid != 7 || c.cpu != -1 || c.flags != 1 || c.slice_ns != 1000000 || c.vtime != 9 || c.token != 10 {
		t.Errorf("toC(%+v) = %+v", d, c)
	}
	for _, bad := range []DispatchedTask{
		{PID: 1 << 40}, {PID: 1, CPU: 1 << 40}, {PID: 1, Slice: -1},
	} {
		if err := bad.toC(c); !errors.Is(err, syscall.EINVAL) {
			t.Errorf("toC(%+v): %v, want EINVAL", bad, err)
		}
	}
}

func TestClosedScheduler(t *testing.T) {
	s := &Scheduler{} // as after Close
	if !s.Exited() {
		t.Error("Exited() is false")
	}
	if _, _, err := s.Dequeue(); err != ErrClosed {
		t.Errorf("Dequeue: %v", err)
	}
	if err := s.Dispatch(DispatchedTask{PID: 1}); err != ErrClosed {
		t.Errorf("Dispatch: %v", err)
	}
	if _, err := s.SelectCPU(1, 0, 0); err != ErrClosed {
		t.Errorf("SelectCPU: %v", err)
	}
	if _, err := s.TaskAllowsCPU(1, 0); err != ErrClosed {
		t.Errorf("TaskAllowsCPU: %v", err)
	}
	if slept, err := s.Notify(0); slept || !errors.Is(err, syscall.ENODEV) {
		t.Errorf("Notify: %v", err)
	}
	if _, err := s.Stats(); err != ErrClosed {
		t.Errorf("Stats: %v", err)
	}
	if _, err := s.Close(); err != ErrClosed {
		t.Errorf("Close of a Scheduler never opened: %v", err)
	}
	if n := s.NrCPUs(); n != -1 {
		t.Errorf("NrCPUs = %d", n)
	}
	if _, err := s.CPUInfo(0); err != ErrClosed {
		t.Errorf("CPUInfo: %v", err)
	}
	if _, err := s.CPUSiblings(0, TopoLLC); err != ErrClosed {
		t.Errorf("CPUSiblings: %v", err)
	}
	if _, err := s.CgroupInfo(1); err != ErrClosed {
		t.Errorf("CgroupInfo: %v", err)
	}
	if g := s.CgroupGeneration(); g != 0 {
		t.Errorf("CgroupGeneration = %d", g)
	}
	s.closed, s.exitInfo = true, ExitInfo{Kind: ExitUnreg, Reason: "r"}
	if ei, err := s.Close(); err != nil || ei.Kind != ExitUnreg || ei.Reason != "r" {
		t.Errorf("second Close = %+v, %v", ei, err)
	}
}

func TestCgroupInfoAccessors(t *testing.T) {
	c := CgroupInfo{id: 7, weight: 300, quota_us: 50000, period_us: 100000, burst_us: 20, generation: 4,
		flags: CgroupIdle | CgroupReadMax}
	q, limited := c.Quota()
	if c.ID() != 7 || c.Weight() != 300 || !limited || q != 50*time.Millisecond || c.Period() != 100*time.Millisecond ||
		c.Burst() != 20*time.Microsecond || c.Generation() != 4 || c.Flags() != CgroupIdle|CgroupReadMax {
		t.Errorf("accessors of %+v", c)
	}
	c.quota_us = cgroupNoQuota
	if _, limited := c.Quota(); limited {
		t.Error(`Quota() of "max" says limited`)
	}
}

func TestVersionAndKinds(t *testing.T) {
	if Version() != HeaderVersion() {
		t.Errorf("library %s, header %s", Version(), HeaderVersion())
	}
	if ExitUnreg.String() != "unregistered from user space" {
		t.Errorf("ExitUnreg = %q", ExitUnreg)
	}
	if ExitKind(12345).String() != "unknown" {
		t.Errorf("unknown kind = %q", ExitKind(12345))
	}
	if ExitUnreg.IsError() || !ExitErrorStall.IsError() {
		t.Error("IsError")
	}
	if CPUAny != -1 || SliceDefault != 5*time.Millisecond || SliceMin != 10*time.Microsecond ||
		SliceMax != time.Second || TimeoutDefault != 5*time.Second {
		t.Error("constants differ from the header's")
	}
}

// Stats has a field for every counter of struct scx_stats, and statsFromC
// copies each one to it: a counter added to the C struct fails here until
// the binding has it.
func TestStatsHasEveryCounter(t *testing.T) {
	goName := func(c string) string {
		switch c {
		case "failsafe_ns":
			return "FailsafeTime"
		case "nr_online_cpus":
			return "NrOnlineCPUs"
		}
		var b strings.Builder
		for _, w := range strings.Split(c, "_") {
			b.WriteString(strings.ToUpper(w[:1]) + w[1:])
		}
		return b.String()
	}
	st := statsFromNumberedC()
	v := reflect.ValueOf(st)
	counters := cStatsCounters()
	for i, c := range counters {
		f := v.FieldByName(goName(c))
		if !f.IsValid() {
			t.Errorf("struct scx_stats has %s; Stats has no %s", c, goName(c))
			continue
		}
		var got uint64
		switch x := f.Interface().(type) {
		case uint64:
			got = x
		case time.Duration:
			got = uint64(x)
		}
		if got != uint64(i+1) {
			t.Errorf("Stats.%s = %d, want %d (struct scx_stats' %s)", goName(c), got, i+1, c)
		}
	}
	if v.NumField() != len(counters) {
		t.Errorf("Stats has %d fields, struct scx_stats %d counters", v.NumField(), len(counters))
	}
}
