// SPDX-License-Identifier: GPL-2.0-only

package scxcore

/*
#cgo pkg-config: scxcore
#include <scx/scxcore.h>
*/
import "C"

import (
	"syscall"
)

// Error is a failure reported by libscxcore (a negative errno) or an
// argument this package rejected before calling it. It wraps its
// [syscall.Errno], so errors.Is(err, syscall.EINVAL) and the like work, as
// do the os package's sentinels that an Errno matches (os.ErrPermission for
// EPERM, for example).
type Error struct {
	// Op is the C function that failed, e.g. "scx_init".
	Op string
	// Errno is the (positive) error number.
	Errno syscall.Errno
	// Detail says what this package found wrong with an argument; empty
	// when the error came from the library.
	Detail string
}

// Error returns "scxcore: OP: DESCRIPTION", with the library's description
// of the errno (scx_strerror) and any detail in parentheses.
func (e *Error) Error() string {
	s := "scxcore: " + e.Op + ": " + Strerror(e.Errno)
	if e.Detail != "" {
		s += " (" + e.Detail + ")"
	}
	return s
}

// Unwrap returns the error's [syscall.Errno].
func (e *Error) Unwrap() error { return e.Errno }

// Strerror returns libscxcore's description of errno as this library uses
// it (scx_strerror), e.g. "the scheduler has exited" for syscall.ENODEV.
func Strerror(errno syscall.Errno) string {
	return C.GoString(C.scx_strerror(-C.int(errno)))
}

// ErrNoIdleCPU is what [Scheduler.SelectCPU] returns when no CPU that the
// task may use is idle. It wraps syscall.EBUSY. It is an ordinary outcome:
// dispatch the task to [CPUAny] (or a CPU of your choice) instead.
var ErrNoIdleCPU error = &Error{Op: "scx_select_cpu", Errno: syscall.EBUSY, Detail: "no idle CPU"}

// ErrClosed is returned by the methods of a Scheduler after
// [Scheduler.Close]. It wraps syscall.ENODEV, as a scheduler that was
// closed has exited.
var ErrClosed error = &Error{Op: "scxcore", Errno: syscall.ENODEV, Detail: "scheduler is closed"}

// check turns a C return value into an error: nil for rc >= 0, an *Error
// wrapping -rc otherwise.
func check(op string, rc C.int) error {
	if rc >= 0 {
		return nil
	}
	return &Error{Op: op, Errno: syscall.Errno(-rc)}
}

// invalid is an EINVAL found by this package.
func invalid(op, detail string) error {
	return &Error{Op: op, Errno: syscall.EINVAL, Detail: detail}
}
