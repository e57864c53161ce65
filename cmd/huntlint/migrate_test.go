package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestMigrateCommand(t *testing.T) {
	src, _ := filepath.Abs(filepath.Join("..", "..", "linter", "migrate", "testdata", "mini"))
	fixed, _ := filepath.Abs(filepath.Join("..", "..", "linter", "migrate", "testdata", "mini-fixed"))
	from, _ := filepath.Abs(filepath.Join("..", "..", "mapper", "testdata", "mini-18.json"))
	to, _ := filepath.Abs(filepath.Join("..", "..", "mapper", "testdata", "mini-19.json"))
	dir := t.TempDir()
	ents, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		b, _ := os.ReadFile(filepath.Join(src, e.Name()))
		if err := os.WriteFile(filepath.Join(dir, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)

	// --diff: nothing written, the plan on stderr, the patch on stdout.
	code, out, errs := runFixCmd("migrate", "--from", from, "--to", to, "--diff", ".")
	if code != ExitFindings {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	if !strings.Contains(out, "--- sentinel.yaml\n+++ sentinel.yaml\n") || !strings.Contains(out, "+  - T1685\n") {
		t.Errorf("diff:\n%s", out)
	}
	if !strings.Contains(errs, "2 references need a human") || !strings.Contains(errs, "would migrate 14 references in 7 files") {
		t.Errorf("report:\n%s", errs)
	}
	for _, e := range ents {
		a, _ := os.ReadFile(filepath.Join(src, e.Name()))
		b, _ := os.ReadFile(e.Name())
		if !bytes.Equal(a, b) {
			t.Errorf("--diff wrote %s", e.Name())
		}
	}

	// In place: every file as the library goldens say.
	code, out, _ = runFixCmd("migrate", "--from", from, "--to", to, ".")
	if code != ExitFindings || !strings.Contains(out, "moved_kept.yml:13:5: warning [migrate-manual] attack.t1070.003") {
		t.Errorf("exit %d\n%s", code, out)
	}
	for _, e := range ents {
		want, _ := os.ReadFile(filepath.Join(fixed, e.Name()))
		got, _ := os.ReadFile(e.Name())
		if !bytes.Equal(got, want) {
			t.Errorf("%s:\n%s", e.Name(), got)
		}
	}
	// Again: nothing to change, the same questions for a human.
	code, out, _ = runFixCmd("migrate", "--from", from, "--to", to, ".")
	if code != ExitFindings || !strings.Contains(out, "migrated 0 references in 0 files\n2 references need a human\n") {
		t.Errorf("second run: exit %d\n%s", code, out)
	}
	// The same release on both sides changes nothing and needs nobody.
	code, out, _ = runFixCmd("migrate", "--from", to, "--to", to, ".")
	if code != ExitOK || !strings.Contains(out, "migrated 0 references in 0 files\n") {
		t.Errorf("same release: exit %d\n%s", code, out)
	}
}

func TestMigrateCommandUsage(t *testing.T) {
	code, _, errs := runFixCmd("migrate", "--to", "embedded", ".")
	if code != ExitUsage || !strings.Contains(errs, "--from is required") {
		t.Errorf("exit %d, %s", code, errs)
	}
	code, _, errs = runFixCmd("migrate", "--from", "no-such-bundle.json", "--to", "embedded", ".")
	if code != ExitUsage || !strings.Contains(errs, "no-such-bundle.json") {
		t.Errorf("exit %d, %s", code, errs)
	}
}
