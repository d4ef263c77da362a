// SPDX-License-Identifier: GPL-2.0-only

// Package scxcore makes a Go program a Linux sched_ext scheduler whose
// policy runs in user space, on top of the C library libscxcore.
//
// The library loads its own BPF backend into the kernel and moves tasks
// between the kernel and the program: the program takes the tasks that want
// to run ([Scheduler.Dequeue]), decides where and for how long each runs
// ([Scheduler.Dispatch], helped by [Scheduler.SelectCPU]), and sleeps until
// there is more work ([Scheduler.Notify]). Loading a scheduler needs
// CAP_SYS_ADMIN and a kernel with sched_ext; the kernel runs one sched_ext
// scheduler at a time.
//
// # Example
//
// A FIFO scheduler (examples/rlfifo is a complete one):
//
//	func run() error {
//		runtime.LockOSThread() // see "Threads" below
//		defer runtime.UnlockOSThread()
//
//		s, err := scxcore.Open(scxcore.Options{Name: "myfifo"})
//		if err != nil {
//			return err // e.g. errors.Is(err, syscall.EOPNOTSUPP): no sched_ext
//		}
//		for !s.Exited() {
//			for {
//				t, ok, err := s.Dequeue()
//				if err != nil || !ok {
//					break
//				}
//				d := scxcore.NewDispatchedTask(t) // its previous CPU, default slice
//				if cpu, err := s.SelectCPU(t.PID, t.CPU, 0); err == nil {
//					d.CPU = cpu // an idle CPU, claimed for it
//				} else {
//					d.CPU = scxcore.CPUAny // errors.Is(err, scxcore.ErrNoIdleCPU)
//				}
//				s.Dispatch(d)
//			}
//			s.Notify(0) // sleep until there is work
//		}
//		info, err := s.Close()
//		if err == nil {
//			fmt.Println("exit:", info.Reason)
//		}
//		return err
//	}
//
// # Errors
//
// The C library reports failures as negative errno values. Here they are
// *[Error] values that wrap a [syscall.Errno], so callers test them with
// errors.Is:
//
//	errors.Is(err, syscall.EOPNOTSUPP) // the kernel has no sched_ext
//	errors.Is(err, syscall.EPERM)      // not privileged (also os.ErrPermission)
//	errors.Is(err, syscall.EBUSY)      // another sched_ext scheduler is loaded
//	errors.Is(err, syscall.ENODEV)     // the scheduler has exited
//	errors.Is(err, syscall.EINVAL)     // a bad argument or option
//
// Their text is the library's own description (scx_strerror). Arguments
// that cannot be represented in the C API (a name with a NUL byte, a
// negative duration, a pid beyond int32) are rejected the same way, with
// EINVAL, before the library is called.
//
// # Threads
//
// Call [runtime.LockOSThread] in the goroutine that drives the scheduler
// (the one that calls [Open], [Scheduler.Dequeue], [Scheduler.Dispatch],
// [Scheduler.SelectCPU], [Scheduler.Notify] and [Scheduler.Close]), before
// [Open], and keep using the Scheduler from that goroutine only.
//
// Why: libscxcore ties the scheduler to the OS thread that called scx_init()
// ("call from the thread that will run the scheduling loop"). The kernel
// side knows that thread by its id and runs it ahead of everything else the
// moment it wakes, since every task not yet placed waits for it. The Go
// runtime, though, moves a goroutine from one OS thread to another between
// any two calls, and runs other goroutines on the thread it left. Without
// the lock, the loop would soon run on an ordinary thread that waits its
// turn behind the very tasks it is meant to place, while the favoured
// thread runs unrelated goroutines. Locking keeps the loop on the thread the
// library chose, makes every call on the handle come from one thread as the
// C API expects, and lets a signal sent to that thread cut the sleep in
// Notify short (Notify then returns an error wrapping syscall.EINTR, which
// a loop treats as "look at your flags").
//
// The rest of the program may run any number of goroutines and OS threads,
// as Go programs do (the garbage collector, the signal handler, cgo calls):
// the kernel side schedules every thread of the scheduler's own process
// directly, so they never wait for the scheduling loop, and a loop paused by
// the garbage collector cannot deadlock the machine (a fail-safe in the
// kernel side serves waiting tasks if user space falls behind).
//
// [Scheduler.Stats], [Scheduler.Exited], [Scheduler.NrCPUs],
// [Scheduler.CPUInfo] and [Scheduler.CPUSiblings] only read shared state
// and may be called from any goroutine at any time, also concurrently with
// the scheduling loop.
//
// # Memory
//
// By default the library locks the process's memory (mlockall) so that the
// scheduler never waits on a page fault; Go's runtime keeps working (its
// future mappings are locked as they are touched). [Options.NoLockMemory]
// turns this off.
package scxcore
