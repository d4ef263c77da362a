// SPDX-License-Identifier: GPL-2.0-only

// Command rlfifo is a FIFO scheduler in user space, in Go, on libscxcore
// (the Go twin of examples/scx_rlfifo.c; its ops name is "rlfifo_go").
//
// Every task that wants to run is dequeued, sent to an idle CPU if there is
// one (else to the first CPU that frees up), with a slice that shrinks as
// more tasks wait. A wake-up whose previous CPU is idle runs there at once
// (Options.WakeToIdlePrev), and a CPU that runs dry runs the task that has
// waited longest (Options.IdleRunsOldest: the order of a FIFO anyway); -u
// sends every task through this loop.
// Statistics once a second; Ctrl-C (SIGINT) or SIGTERM to stop, which
// prints why the scheduler exited.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"sync/atomic"
	"syscall"
	"time"

	"libscxcore.invalid/scxcore"
)

const (
	prog     = "scx_rlfifo_go"
	maxBatch = 512
)

func printStats(s *scxcore.Scheduler) {
	st, err := s.Stats()
	if err != nil {
		return
	}
	fmt.Printf("cpus=%d running=%d queued=%d user=%d kernel=%d cancel=%d bounce=%d "+
		"failed=%d congested=%d failsafe=%d hotplug=%d\n",
		st.NrOnlineCPUs, st.NrRunning, st.NrQueued, st.NrUserDispatches,
		st.NrKernelDispatches, st.NrCancelDispatches, st.NrBounceDispatches,
		st.NrFailedDispatches, st.NrSchedCongested, st.NrFailsafeDispatches, st.NrHotplugEvents)
}

// scheduleBatch dispatches everything that waits, FIFO, and returns how
// many tasks it dispatched.
func scheduleBatch(s *scxcore.Scheduler, batch []scxcore.Task, slice time.Duration) int {
	batch = batch[:0]
	for len(batch) < maxBatch {
		t, ok, err := s.Dequeue()
		if err != nil || !ok {
			break
		}
		if !t.Placed() { // runs already: a FIFO has nothing to note
			batch = append(batch, t)
		}
	}
	if n := len(batch); n > 0 {
		slice /= time.Duration(n) // more waiting, shorter turns
	}
	slice = max(slice, scxcore.SliceMin)
	for i := range batch {
		d := scxcore.NewDispatchedTask(batch[i])
		if cpu, err := s.SelectCPU(batch[i].PID, batch[i].CPU, 0); err == nil {
			d.CPU = cpu
		} else {
			d.CPU = scxcore.CPUAny // no idle CPU (or the task is gone)
		}
		d.Slice = slice
		_ = s.Dispatch(d) // failures are counted in the stats
	}
	return len(batch)
}

func main() {
	os.Exit(run())
}

func run() int {
	sliceUS := flag.Uint64("s", uint64(scxcore.SliceDefault/time.Microsecond),
		"longest slice in microseconds")
	flag.Uint64Var(sliceUS, "slice-us", *sliceUS, "same as -s")
	partial := flag.Bool("p", false, "only schedule tasks set to SCHED_EXT")
	flag.BoolVar(partial, "partial", false, "same as -p")
	builtinIdle := flag.Bool("i", false, "wake-ups go straight to an idle CPU in the kernel")
	flag.BoolVar(builtinIdle, "builtin-idle", false, "same as -i")
	userWakeups := flag.Bool("u", false,
		"every task waits for this loop (by default a wake-up whose previous CPU is idle runs there at once, "+
			"and a CPU that runs dry takes the oldest waiting task)")
	flag.BoolVar(userWakeups, "user-wakeups", false, "same as -u")
	dumpLen := flag.Uint("d", 0, "keep N bytes of the kernel's dump on an error exit")
	flag.UintVar(dumpLen, "exit-dump-len", 0, "same as -d")
	verbose := flag.Bool("v", false, "print libbpf's diagnostics")
	flag.BoolVar(verbose, "verbose", false, "same as -v")
	flag.Parse()

	slice := time.Duration(*sliceUS) * time.Microsecond
	if slice < scxcore.SliceMin || slice > scxcore.SliceMax {
		fmt.Fprintf(os.Stderr, "%s: -slice-us must be 10..1000000\n", prog)
		return 2
	}
	opts := scxcore.Options{
		Name:           "rlfifo_go",
		Slice:          slice,
		Partial:        *partial,
		BuiltinIdle:    *builtinIdle,
		WakeToIdlePrev: !*userWakeups,
		IdleRunsOldest: !*userWakeups,
		ExitDumpLen:    uint32(*dumpLen),
		Debug:          *verbose,
	}

	// libscxcore wants one OS thread to drive the scheduler: keep this
	// goroutine on this thread from Open to Close.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()

	// Signals arrive on a channel (on whatever thread the kernel picked);
	// the loop looks at the flag after every Notify, which returns at the
	// latest after Options.IdleWait (1 s).
	var stop atomic.Bool
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		<-sigs
		stop.Store(true)
	}()

	batch := make([]scxcore.Task, 0, maxBatch)
	for { // once per load; again when the kernel asks for a restart
		s, err := scxcore.Open(opts)
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: cannot load: %v\n", prog, err)
			return 1
		}
		fmt.Printf("%s: scheduling with libscxcore %s\n", prog, scxcore.Version())
		nextStats := time.Now().Add(time.Second)
		for !stop.Load() && !s.Exited() {
			scheduleBatch(s, batch, slice)
			if now := time.Now(); !now.Before(nextStats) {
				printStats(s)
				nextStats = nextStats.Add(time.Second)
			}
			if _, err := s.Notify(0); err != nil && !errors.Is(err, syscall.EINTR) &&
				!errors.Is(err, syscall.ENODEV) {
				fmt.Fprintf(os.Stderr, "%s: %v\n", prog, err)
			}
		}
		printStats(s)
		ei, err := s.Close()
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", prog, err)
			return 1
		}
		fmt.Printf("%s: exit: %s (%s) %s\n", prog, ei.Reason, ei.Kind, ei.Msg)
		if ei.Dump != "" {
			fmt.Println(ei.Dump)
		}
		if stop.Load() || !ei.ShouldRestart {
			if ei.Kind == scxcore.ExitUnreg || ei.Kind == scxcore.ExitNone {
				return 0
			}
			return 1
		}
		fmt.Printf("%s: restarting\n", prog)
	}
}
