//go:build !unix

package mapper

func cpuTime() int64 { return -1 }
