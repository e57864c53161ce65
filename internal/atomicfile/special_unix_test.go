//go:build unix

package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// readFIFO reads everything written to the FIFO at p, in the background.
func readFIFO(t *testing.T, p string) <-chan string {
	t.Helper()
	got := make(chan string, 1)
	go func() {
		f, err := os.Open(p)
		if err != nil {
			got <- "open: " + err.Error()
			return
		}
		defer f.Close()
		b, _ := io.ReadAll(f)
		got <- string(b)
	}()
	return got
}

func mkfifo(t *testing.T, p string) {
	t.Helper()
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
}

func TestWriteFileWritesThroughFIFO(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "out.fifo")
	mkfifo(t, fifo)
	got := readFIFO(t, fifo)
	if err := WriteFile(fifo, []byte("report\n")); err != nil {
		t.Fatal(err)
	}
	if s := <-got; s != "report\n" {
		t.Errorf("the FIFO's reader got %q", s)
	}
	fi, err := os.Lstat(fifo)
	if err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the FIFO was replaced: %v %v", fi.Mode(), err)
	}
	assertNoDebris(t, dir)
}

// A link to a FIFO stands in for /dev/stdout, which links to the stream.
func TestWriteFileWritesThroughLinkToFIFO(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "stream")
	mkfifo(t, fifo)
	link := filepath.Join(dir, "stdout")
	if err := os.Symlink(fifo, link); err != nil {
		t.Skip(err)
	}
	got := readFIFO(t, fifo)
	if err := WriteFile(link, []byte("to the stream")); err != nil {
		t.Fatal(err)
	}
	if s := <-got; s != "to the stream" {
		t.Errorf("the reader got %q", s)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Error("the link was replaced")
	}
	assertNoDebris(t, dir)
}

// A link into /proc/self/fd, as /dev/stdout is, is written through even
// when the open file is a regular file (lint -o /dev/stdout > report.txt).
func TestWriteFileWritesThroughProcFD(t *testing.T) {
	dir := t.TempDir()
	f, err := os.Create(filepath.Join(dir, "report.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fd := fmt.Sprintf("/proc/self/fd/%d", f.Fd())
	if _, err := os.Stat(fd); err != nil {
		t.Skip("no /proc/self/fd here")
	}
	link := filepath.Join(dir, "stdout")
	if err := os.Symlink(fd, link); err != nil {
		t.Skip(err)
	}
	if err := WriteFile(link, []byte("through")); err != nil {
		t.Fatal(err)
	}
	fi1, _ := f.Stat()
	fi2, err := os.Stat(filepath.Join(dir, "report.txt"))
	if err != nil || !os.SameFile(fi1, fi2) {
		t.Fatal("report.txt was replaced, not written through")
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "report.txt")); string(b) != "through" {
		t.Errorf("report.txt = %q", b)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Error("the link was replaced")
	}
}

func TestWriteFileDash(t *testing.T) {
	var b strings.Builder
	old := Stdout
	Stdout = &b
	defer func() { Stdout = old }()
	if err := WriteFile("-", []byte("x")); err != nil || b.String() != "x" {
		t.Errorf("got %q, %v", b.String(), err)
	}
}

func TestWriteFileRefusesReadOnly(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "rule.yml")
	if err := os.WriteFile(p, []byte("old"), 0o444); err != nil {
		t.Fatal(err)
	}
	err := WriteFile(p, []byte("new"))
	var ro *ReadOnlyError
	if !errors.As(err, &ro) {
		t.Fatalf("err = %v, want a ReadOnlyError", err)
	}
	for _, want := range []string{p, "read-only", "0444", "chmod u+w", "--force"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q lacks %q", err, want)
		}
	}
	if b, _ := os.ReadFile(p); string(b) != "old" {
		t.Errorf("read-only file rewritten: %q", b)
	}
	if err := WriteFileWith(p, []byte("new"), Options{Force: true}); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(p)
	fi, _ := os.Stat(p)
	if string(b) != "new" || fi.Mode().Perm() != 0o444 {
		t.Errorf("with Force: %q mode %v, want new 0444", b, fi.Mode().Perm())
	}
	assertNoDebris(t, dir)
}

func TestWriteFileRefusesFolder(t *testing.T) {
	dir := t.TempDir()
	if err := WriteFile(dir, []byte("x")); err == nil || !strings.Contains(err.Error(), "is a folder") {
		t.Errorf("err = %v", err)
	}
}

func TestWriteFileRemovesStaleDebris(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "r[1].yml")
	if err := os.WriteFile(p, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(dir, ".r[1].yml.huntlint-111")
	fresh := filepath.Join(dir, ".r[1].yml.huntlint-222")
	other := filepath.Join(dir, ".s.yml.huntlint-333")
	for _, d := range []string{stale, fresh, other} {
		if err := os.WriteFile(d, []byte("half"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	long := time.Now().Add(-2 * StaleAge)
	for _, d := range []string{stale, other} {
		if err := os.Chtimes(d, long, long); err != nil {
			t.Fatal(err)
		}
	}
	if err := WriteFile(p, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(stale); !os.IsNotExist(err) {
		t.Error("the stale temporary file of r[1].yml was kept")
	}
	if _, err := os.Lstat(fresh); err != nil {
		t.Error("a recent temporary file (maybe another process's write in flight) was removed")
	}
	if _, err := os.Lstat(other); err != nil {
		t.Error("another file's temporary file was removed")
	}
}

func assertNoDebris(t *testing.T, dir string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), tempInfix) {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
}

// TestSignalMidWrite runs a child test process that sends itself SIGTERM
// between writing the temporary file and renaming it: the write finishes,
// the process then stops by SIGTERM, and no temporary file is left.
func TestSignalMidWrite(t *testing.T) {
	if p := os.Getenv("ATOMICFILE_SIGNAL_CHILD"); p != "" {
		testHookBeforeRename = func(string) {
			syscall.Kill(os.Getpid(), syscall.SIGTERM)
			for Interrupted() == nil {
				time.Sleep(time.Millisecond)
			}
		}
		err := WriteFile(p, []byte("new"))
		fmt.Fprintln(os.Stderr, "still running after the write:", err)
		os.Exit(3)
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "rule.yml")
	if err := os.WriteFile(p, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestSignalMidWrite$")
	cmd.Env = append(os.Environ(), "ATOMICFILE_SIGNAL_CHILD="+p)
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		t.Fatalf("child: %v\n%s", err, out)
	}
	ws, ok := ee.Sys().(syscall.WaitStatus)
	if !ok || !ws.Signaled() || ws.Signal() != syscall.SIGTERM {
		t.Fatalf("child did not stop by SIGTERM: %v\n%s", err, out)
	}
	if b, _ := os.ReadFile(p); string(b) != "new" {
		t.Errorf("file = %q, want the write in flight finished", b)
	}
	assertNoDebris(t, dir)
}

// TestSignalRefusesLaterWrites: after a signal, the write in flight
// finishes, the process is stopped (here: recorded) and later writes fail.
func TestSignalRefusesLaterWrites(t *testing.T) {
	var stopped []os.Signal
	die = func(s os.Signal) { stopped = append(stopped, s) }
	defer func() {
		die = dieBySignal
		testHookBeforeRename = nil
		guard.Lock()
		guard.caught = nil
		guard.Unlock()
	}()
	testHookBeforeRename = func(string) {
		syscall.Kill(os.Getpid(), syscall.SIGINT)
		for Interrupted() == nil {
			time.Sleep(time.Millisecond)
		}
	}
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.yml"), filepath.Join(dir, "b.yml")
	if err := WriteFile(a, []byte("a")); err != nil {
		t.Fatal(err)
	}
	if len(stopped) != 1 || stopped[0] != os.Interrupt {
		t.Errorf("stopped = %v, want [interrupt]", stopped)
	}
	testHookBeforeRename = nil
	if err := WriteFile(b, []byte("b")); !errors.Is(err, ErrInterrupted) {
		t.Errorf("write after the signal: %v, want ErrInterrupted", err)
	}
	if got, _ := os.ReadFile(a); string(got) != "a" {
		t.Errorf("a.yml = %q", got)
	}
	if _, err := os.Stat(b); !os.IsNotExist(err) {
		t.Error("b.yml was written after the signal")
	}
	assertNoDebris(t, dir)
}
