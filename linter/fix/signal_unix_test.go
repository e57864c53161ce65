//go:build unix

package fix

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/huntlint/huntlint/linter"
)

// TestApplySignalMidWrite runs Apply over many files in a child
// process that sends itself SIGTERM as soon as the first file has been
// replaced. The files being written are finished, no other is begun, the
// child stops by SIGTERM, and every file holds either its old or its fixed
// text, with no temporary file left beside it.
func TestApplySignalMidWrite(t *testing.T) {
	const n = 300
	if dir := os.Getenv("LINTER_SIGNAL_CHILD"); dir != "" {
		var fs []linter.Finding
		for i := 0; i < n; i++ {
			p := filepath.Join(dir, fmt.Sprintf("r%03d.yml", i))
			b, err := os.ReadFile(p)
			if err != nil {
				os.Exit(4)
			}
			fs = append(fs, toyLint(p, b)...)
		}
		first := filepath.Join(dir, "r000.yml")
		go func() {
			for {
				if b, _ := os.ReadFile(first); strings.Contains(string(b), "Y") {
					syscall.Kill(os.Getpid(), syscall.SIGTERM)
					return
				}
				time.Sleep(100 * time.Microsecond)
			}
		}()
		Apply(fs, Options{Relint: toyRelint, Jobs: 2})
		time.Sleep(2 * time.Second) // the signal, if it came late
		os.Exit(0)
	}
	dir := t.TempDir()
	for i := 0; i < n; i++ {
		writeTemp(t, dir, fmt.Sprintf("r%03d.yml", i), strings.Repeat("tags: [X]\n", 200), 0o644)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestApplySignalMidWrite$")
	cmd.Env = append(os.Environ(), "LINTER_SIGNAL_CHILD="+dir)
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatalf("child: %v\n%s", err, out)
	}
	if ee != nil {
		ws, ok := ee.Sys().(syscall.WaitStatus)
		if !ok || !ws.Signaled() || ws.Signal() != syscall.SIGTERM {
			t.Fatalf("child did not stop by SIGTERM: %v\n%s", err, out)
		}
	}
	old, fixed := strings.Repeat("tags: [X]\n", 200), strings.Repeat("tags: [Y]\n", 200)
	entries, _ := os.ReadDir(dir)
	nOld, nFixed := 0, 0
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), "r") || !strings.HasSuffix(e.Name(), ".yml") {
			t.Errorf("left behind: %s", e.Name())
			continue
		}
		switch readFile(t, filepath.Join(dir, e.Name())) {
		case old:
			nOld++
		case fixed:
			nFixed++
		default:
			t.Errorf("%s is neither the old nor the fixed text", e.Name())
		}
	}
	if nOld+nFixed != n {
		t.Errorf("%d old + %d fixed files, want %d", nOld, nFixed, n)
	}
	t.Logf("stopped by SIGTERM: %v; %d files fixed, %d left as they were", ee != nil, nFixed, nOld)
}
