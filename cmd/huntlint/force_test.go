//go:build unix

package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/spf13/cobra"
)

// fix and migrate leave a chmod 444 file alone, say so and exit 1, unless
// --force.
func TestFixRefusesReadOnlyUnlessForce(t *testing.T) {
	dir := copyFixture(t, "sigma-block.yml")
	p := filepath.Join(dir, "sigma-block.yml")
	if err := os.Chmod(p, 0o444); err != nil {
		t.Fatal(err)
	}
	orig, _ := os.ReadFile(p)
	code, out, errs := runFixCmd("fix", "--offline", dir)
	if now, _ := os.ReadFile(p); string(now) != string(orig) {
		t.Fatal("fix rewrote a read-only file")
	}
	if code != ExitFindings {
		t.Errorf("exit %d, want %d", code, ExitFindings)
	}
	if all := out + errs; !strings.Contains(all, "read-only") || !strings.Contains(all, "--force") || !strings.Contains(all, "sigma-block.yml") {
		t.Errorf("exit %d; output does not name the read-only file and --force:\n%s", code, all)
	}
	if code, out, errs := runFixCmd("fix", "--offline", "--force", dir); code != ExitOK {
		t.Fatalf("fix --force: exit %d\n%s%s", code, out, errs)
	}
	now, _ := os.ReadFile(p)
	fi, _ := os.Stat(p)
	if string(now) != fixGolden(t, "sigma-block.yml.fixed") || fi.Mode().Perm() != 0o444 {
		t.Errorf("fix --force: mode %v, content\n%s", fi.Mode().Perm(), now)
	}
}

// -o onto a FIFO, or a link to one (as /dev/stdout links to the stream),
// writes into it and leaves it a FIFO. The FIFO lives in a temporary
// folder: the machine's own /dev/null and /dev/stdout are never touched.
func TestOutputWritesThroughFIFO(t *testing.T) {
	for _, link := range []bool{false, true} {
		dir := t.TempDir()
		fifo := filepath.Join(dir, "stream")
		if err := syscall.Mkfifo(fifo, 0o600); err != nil {
			t.Skipf("mkfifo: %v", err)
		}
		target := fifo
		if link {
			target = filepath.Join(dir, "stdout")
			if err := os.Symlink(fifo, target); err != nil {
				t.Skip(err)
			}
		}
		got := make(chan string, 1)
		go func() {
			f, err := os.Open(fifo)
			if err != nil {
				got <- err.Error()
				return
			}
			b, _ := io.ReadAll(f)
			f.Close()
			got <- string(b)
		}()
		code, _, errs := runIn(t, "", "lint", "--format", "json", "-o", target, cleanRule)
		if code != ExitOK {
			t.Fatalf("-o %s: exit %d: %s", target, code, errs)
		}
		if s := <-got; !strings.Contains(s, `"findings"`) {
			t.Errorf("-o %s: the reader got %q", target, s)
		}
		if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
			t.Errorf("the FIFO was replaced")
		}
		if fi, err := os.Lstat(target); link && (err != nil || fi.Mode()&os.ModeSymlink == 0) {
			t.Errorf("the link was replaced")
		}
		if entries, _ := os.ReadDir(dir); len(entries) != map[bool]int{false: 1, true: 2}[link] {
			t.Errorf("files left beside the FIFO: %v", entries)
		}
	}
}

// -o onto a read-only report is refused unless --force.
func TestOutputRefusesReadOnlyUnlessForce(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "report.json")
	if err := os.WriteFile(out, []byte("old"), 0o444); err != nil {
		t.Fatal(err)
	}
	code, _, errs := runIn(t, "", "lint", "--format", "json", "-o", out, cleanRule)
	if b, _ := os.ReadFile(out); code == ExitOK || string(b) != "old" || !strings.Contains(errs, "read-only") || !strings.Contains(errs, "--force") {
		t.Errorf("exit %d, file %q, stderr %s", code, b, errs)
	}
	if code, _, errs := runIn(t, "", "lint", "--format", "json", "--force", "-o", out, cleanRule); code != ExitOK {
		t.Fatalf("--force: exit %d: %s", code, errs)
	}
	if b, _ := os.ReadFile(out); !strings.Contains(string(b), `"findings"`) {
		t.Errorf("--force did not write: %q", b)
	}
}

// Every command that changes files or writes -o has --force.
func TestForceFlags(t *testing.T) {
	root := tree()
	for _, path := range [][]string{{"fix"}, {"migrate"}, {"tag"}, {"lint"}, {"layer"}} {
		c, _, err := root.Find(path)
		if err != nil {
			t.Fatal(err)
		}
		if c.Flags().Lookup("force") == nil {
			t.Errorf("%s has no --force", c.CommandPath())
		}
	}
	walk := []*cobra.Command{root}
	for len(walk) > 0 {
		c := walk[0]
		walk = append(walk[1:], c.Commands()...)
		if c.Flags().Lookup("output") != nil && c.Flags().Lookup("force") == nil {
			t.Errorf("%s writes -o but has no --force", c.CommandPath())
		}
	}
}
