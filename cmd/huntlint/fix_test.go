package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// copyFixture copies files of ../../linter/fix/testdata/in into a new folder.
func copyFixture(t *testing.T, names ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join("..", "..", "linter", "fix", "testdata", "in", n))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, n), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func runFixCmd(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func fixGolden(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "linter", "fix", "testdata", "golden", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestFixCommand(t *testing.T) {
	dir := copyFixture(t, "sigma-block.yml", "sigma-quoted.yml")
	wantBlock := fixGolden(t, "sigma-block.yml.fixed")
	wantQuoted := fixGolden(t, "sigma-quoted.yml.unsafe.fixed")
	t.Chdir(dir)
	block := filepath.Join(dir, "sigma-block.yml")
	orig, _ := os.ReadFile(block)

	// --diff writes nothing, prints a patch and exits 1.
	code, out, errs := runFixCmd("fix", "--offline", "--diff", dir)
	if code != ExitFindings {
		t.Fatalf("fix --diff: exit %d, stderr %s", code, errs)
	}
	if now, _ := os.ReadFile(block); !bytes.Equal(now, orig) {
		t.Fatal("fix --diff wrote the file")
	}
	if !strings.Contains(out, "--- sigma-block.yml\n") || !strings.Contains(out, "+    - attack.execution") {
		t.Errorf("diff:\n%s", out)
	}
	if !strings.Contains(errs, "would fix 7 findings in 2 files (1 more with --unsafe-fixes)") {
		t.Errorf("summary on stderr:\n%s", errs)
	}
	if _, err := exec.LookPath("patch"); err == nil {
		cmd := exec.Command("patch", "-p0", "--dry-run", "--batch")
		cmd.Stdin = strings.NewReader(out)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("patch -p0 rejects the diff: %v\n%s", err, b)
		}
	}

	// fix writes the files and exits 0.
	code, out, errs = runFixCmd("fix", "--offline", "--show-fixes", dir)
	if code != ExitOK {
		t.Fatalf("fix: exit %d\n%s%s", code, out, errs)
	}
	if !strings.Contains(out, filepath.Join(dir, "sigma-block.yml")+":20:7: [attack-revoked] remove attack.t1086\n") {
		t.Errorf("--show-fixes:\n%s", out)
	}
	if !strings.Contains(out, "attack-tag-style: fixed 4\n") || !strings.Contains(out, "fixed 7 findings in 2 files (1 more with --unsafe-fixes)\n") {
		t.Errorf("summary:\n%s", out)
	}
	if got, _ := os.ReadFile(block); string(got) != wantBlock {
		t.Errorf("sigma-block.yml:\n%s", got)
	}

	// A second run changes nothing.
	code, out, _ = runFixCmd("fix", "--offline", dir)
	if code != ExitOK || !strings.Contains(out, "fixed 0 findings in 0 files") {
		t.Errorf("second run: exit %d\n%s", code, out)
	}

	// --unsafe-fixes applies the rest.
	code, out, _ = runFixCmd("fix", "--offline", "--unsafe-fixes", dir)
	if code != ExitOK || !strings.Contains(out, "attack-orphan-tactic: fixed 1") {
		t.Errorf("unsafe run: exit %d\n%s", code, out)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "sigma-quoted.yml")); string(got) != wantQuoted {
		t.Errorf("sigma-quoted.yml:\n%s", got)
	}
}

func TestFixCommandLeavesBrokenFiles(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "broken.yml")
	src := "title: Broken\ntags:\n  - attack.T1059.001\ndetection: [unclosed\n"
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runFixCmd("fix", "--offline", dir)
	if now, _ := os.ReadFile(p); string(now) != src {
		t.Errorf("a file that does not load was written:\n%s", now)
	}
	if code == ExitOK && strings.Contains(out, "fixed 1") {
		t.Errorf("exit %d\n%s%s", code, out, errs)
	}
}

func TestFixCommandUsage(t *testing.T) {
	code, _, errs := runFixCmd("fix", "--offline", "--select", "no-such-check", ".")
	if code != ExitUsage || !strings.Contains(errs, "no-such-check") {
		t.Errorf("exit %d, stderr %s", code, errs)
	}
}
