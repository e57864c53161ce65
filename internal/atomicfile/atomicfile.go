// Package atomicfile is huntlint's one write path. A regular file is
// replaced so that a reader sees either the old or the new content, never a
// mix, and a failed write leaves the old file as it was. Anything that is not
// a regular file (a device, a FIFO, a terminal, /dev/stdout) is written
// through, never replaced, and "-" is standard output. Read-only files are
// refused unless Options.Force. While a replacement is in flight, SIGINT and
// SIGTERM wait for it to finish, then stop the process, so that no temporary
// file is left behind.
package atomicfile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Options say how a file may be replaced.
type Options struct {
	// Force replaces read-only files too (--force).
	Force bool
}

// ReadOnlyError is the error for a read-only target without Options.Force.
type ReadOnlyError struct {
	Path string
	Mode fs.FileMode
}

func (e *ReadOnlyError) Error() string {
	what := "is read-only"
	if e.Mode.Perm()&0o222 != 0 {
		what = "is read-only for this user" // another user's file
	}
	return fmt.Sprintf("%s %s (mode %04o), so it was not changed: make it writable (chmod u+w %s) or give --force to replace it anyway",
		e.Path, what, e.Mode.Perm(), e.Path)
}

// ErrInterrupted is returned for a write begun after SIGINT or SIGTERM
// arrived; the process stops once the writes in flight are done.
var ErrInterrupted = errors.New("interrupted (SIGINT or SIGTERM): not written")

// Stdout is where "-" is written.
var Stdout io.Writer = os.Stdout

// tempInfix names temporary files: ".NAME" + tempInfix + random.
const tempInfix = ".huntlint-"

// StaleAge is how old a temporary file of an earlier run must be before a
// write of the same file removes it: no write of huntlint's takes minutes, so
// an older one was left by a process that was killed (kill -9, power loss).
const StaleAge = 10 * time.Minute

// testHookBeforeRename, when set, runs with the temporary file's name after
// it is written and before it is renamed.
var testHookBeforeRename func(tmp string)

// WriteFile is WriteFileWith with the default options: read-only files are
// refused.
func WriteFile(path string, data []byte) error {
	return WriteFileWith(path, data, Options{})
}

// WriteFileWith writes data to path: to standard output for "-"; through
// to the file for anything that is not a regular file (devices, FIFOs,
// terminals, links into /proc/self/fd such as /dev/stdout); otherwise by
// replacing it: a temporary file in the same folder, synced, given the old
// file's permissions (0644 for a new file), owner and group where allowed,
// renamed over the old one, and the folder synced. A symbolic link is
// followed and its target replaced.
func WriteFileWith(path string, data []byte, o Options) error {
	return WriteFileFunc(path, o, writeData(data))
}

// WriteFileFunc is WriteFileWith with the content written by write, in one
// go: the new file is streamed to its temporary file, so that a large report
// never sits whole in memory. When write fails the old file is left as it
// was.
func WriteFileFunc(path string, o Options, write func(io.Writer) error) error {
	real, err := writeFunc(path, write, o)
	if err != nil {
		return err
	}
	if real != "" {
		SyncDir(filepath.Dir(real))
	}
	return nil
}

// Write is WriteWith with the default options.
func Write(path string, data []byte) (string, error) {
	return WriteWith(path, data, Options{})
}

// WriteWith is WriteFileWith without the folder sync, for callers writing
// many files that sync each folder once. It returns the path replaced (the
// target of a link), or "" when it wrote through to a stream or device.
func WriteWith(path string, data []byte, o Options) (written string, err error) {
	return writeFunc(path, writeData(data), o)
}

// writeData returns a write function writing data.
func writeData(data []byte) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	}
}

// writeFunc is WriteWith with the content written by write.
func writeFunc(path string, write func(io.Writer) error, o Options) (written string, err error) {
	if path == "-" {
		return "", write(Stdout)
	}
	if throughProc(path) {
		return "", writeThrough(path, write)
	}
	real := path
	if r, err := filepath.EvalSymlinks(path); err == nil {
		real = r
	}
	old, statErr := os.Stat(real)
	switch {
	case statErr == nil && old.IsDir():
		return "", fmt.Errorf("%s is a folder; give a file name", path)
	case statErr == nil && !old.Mode().IsRegular():
		return "", writeThrough(real, write)
	case statErr == nil && !o.Force && readOnly(real, old):
		return "", &ReadOnlyError{Path: path, Mode: old.Mode()}
	}
	if err := enter(); err != nil {
		return "", err
	}
	defer leave()
	mode := os.FileMode(0o644)
	if statErr == nil {
		mode = old.Mode().Perm()
	}
	dir, base := filepath.Split(real)
	if dir == "" {
		dir = "."
	}
	removeStale(dir, base)
	tmp, err := os.CreateTemp(dir, "."+base+tempInfix+"*")
	if err != nil {
		return "", err
	}
	track(tmp.Name())
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
		untrack(tmp.Name())
	}()
	bw := bufio.NewWriterSize(tmp, 64<<10)
	if err = write(bw); err != nil {
		return "", err
	}
	if err = bw.Flush(); err != nil {
		return "", err
	}
	if err = tmp.Chmod(mode); err != nil {
		return "", err
	}
	if statErr == nil {
		keepOwner(tmp, old)
	}
	if err = tmp.Sync(); err != nil {
		return "", err
	}
	if err = tmp.Close(); err != nil {
		return "", err
	}
	if testHookBeforeRename != nil {
		testHookBeforeRename(tmp.Name())
	}
	if err = os.Rename(tmp.Name(), real); err != nil {
		return "", err
	}
	return real, nil
}

// writeThrough writes into the existing file at path without replacing it.
func writeThrough(path string, write func(io.Writer) error) error {
	flag := os.O_WRONLY
	if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() {
		flag |= os.O_TRUNC
	}
	f, err := os.OpenFile(path, flag, 0)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 64<<10)
	if err := write(bw); err != nil {
		f.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// throughProc reports whether path is, or links through, one of the
// process's open files (/proc/self/fd/N, /dev/fd/N): /dev/stdout and the
// like, which name whatever the stream is and must be written through even
// when it is a regular file.
func throughProc(path string) bool {
	p := path
	for hops := 0; hops < 40; hops++ {
		abs, err := filepath.Abs(p)
		if err != nil {
			return false
		}
		if strings.HasPrefix(abs, "/proc/") && strings.Contains(abs, "/fd/") || strings.HasPrefix(abs, "/dev/fd/") {
			return true
		}
		fi, err := os.Lstat(p)
		if err != nil || fi.Mode()&os.ModeSymlink == 0 {
			return false
		}
		t, err := os.Readlink(p)
		if err != nil {
			return false
		}
		if !filepath.IsAbs(t) {
			t = filepath.Join(filepath.Dir(p), t)
		}
		p = t
	}
	return false
}

// removeStale removes the temporary files of base in dir left by a process
// that was killed: regular files named ".BASE.huntlint-*", older than
// StaleAge and not being written by this process.
func removeStale(dir, base string) {
	prefix := "." + base + tempInfix
	matches, _ := filepath.Glob(filepath.Join(dir, globEscape(prefix)+"*"))
	for _, m := range matches {
		fi, err := os.Lstat(m)
		if err != nil || !fi.Mode().IsRegular() || time.Since(fi.ModTime()) < StaleAge || tracked(m) {
			continue
		}
		os.Remove(m)
	}
}

// globEscape quotes the glob metacharacters of s.
func globEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`*?[]\`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// SyncDir makes renames in dir durable; not every system can sync a folder.
func SyncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}
