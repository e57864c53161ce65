//go:build unix

package testshared

import (
	"syscall"
	"time"
)

// CPUTime returns the CPU time (user and system) the process has used, or 0
// when it cannot be read, so that benchmarks can report their CPU time
// beside the elapsed time, which depends on the load of a shared machine.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
