//go:build unix

package atomicfile

import (
	"os"
	"syscall"
)

// keepOwner gives the file f the owner and group of the file described by
// fi, where the process may do so (best effort: a user can only keep their
// own files' ownership anyway).
func keepOwner(f *os.File, fi os.FileInfo) {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		_ = f.Chown(int(st.Uid), int(st.Gid))
	}
}
