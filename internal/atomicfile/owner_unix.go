//go:build unix

package atomicfile

import (
	"errors"
	"os"
	"syscall"
	"time"
)

// keepOwner gives the file f the owner and group of the file described by
// fi, where the process may do so (best effort: a user can only keep their
// own files' ownership anyway).
func keepOwner(f *os.File, fi os.FileInfo) {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		_ = f.Chown(int(st.Uid), int(st.Gid))
	}
}

// readOnly reports whether the regular file at path, described by fi, is
// read-only: no write permission for anyone (which root ignores), or none
// for this process.
func readOnly(path string, fi os.FileInfo) bool {
	if fi.Mode().Perm()&0o222 == 0 {
		return true
	}
	return errors.Is(syscall.Access(path, 2 /* W_OK */), syscall.EACCES)
}

// dieBySignal stops the process with sig, as if it had not been caught.
func dieBySignal(sig os.Signal) {
	s, ok := sig.(syscall.Signal)
	if !ok {
		os.Exit(1)
	}
	signalReset(s)
	_ = syscall.Kill(os.Getpid(), s)
	time.Sleep(time.Second) // the signal is on its way
	os.Exit(128 + int(s))
}
