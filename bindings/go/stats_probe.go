// SPDX-License-Identifier: GPL-2.0-only

package scxcore

/*
#include <scx/scxcore.h>
*/
import "C"

import (
	"reflect"
	"unsafe"
)

// The C side of the test that Stats keeps up with struct scx_stats (test
// files cannot use cgo): the names of its counters, and what statsFromC
// makes of a struct whose counters are 1, 2, 3, ... in order.

func cStatsCounters() []string {
	t := reflect.TypeOf(C.struct_scx_stats{})
	var names []string
	for i := 0; i < t.NumField(); i++ {
		if n := t.Field(i).Name; n != "sz" {
			names = append(names, n)
		}
	}
	return names
}

func statsFromNumberedC() Stats {
	var c C.struct_scx_stats
	counters := unsafe.Slice((*uint64)(unsafe.Pointer(&c.nr_online_cpus)),
		(unsafe.Sizeof(c)-unsafe.Offsetof(c.nr_online_cpus))/8)
	for i := range counters {
		counters[i] = uint64(i + 1)
	}
	return statsFromC(&c)
}
