//go:build !unix

package atomicfile

import "os"

// keepOwner does nothing where files have no Unix owner.
func keepOwner(*os.File, os.FileInfo) {}

// readOnly reports whether the file has no write permission.
func readOnly(_ string, fi os.FileInfo) bool { return fi.Mode().Perm()&0o222 == 0 }

// dieBySignal stops the process after an interrupt.
func dieBySignal(os.Signal) { os.Exit(1) }
