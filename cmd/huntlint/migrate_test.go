package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestMigrateCommand(t *testing.T) {
	src, _ := filepath.Abs(filepath.Join("..", "..", "testdata", "rules", "migrate-mini"))
	fixed, _ := filepath.Abs(filepath.Join("..", "..", "testdata", "rules", "migrate-mini-fixed"))
	from, _ := filepath.Abs(filepath.Join("..", "..", "testdata", "attack", "mini-18.json"))
	to, _ := filepath.Abs(filepath.Join("..", "..", "testdata", "attack", "mini-19.json"))
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
	if !strings.Contains(errs, "2 references need a human: 1 deprecated, 1 other\n") || !strings.Contains(errs, "would migrate 14 references in 7 files") {
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
	if code != ExitFindings || !strings.Contains(out, "moved_kept.yml:13:5: warning [migrate-deprecated] attack.t1070.003") {
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
	if code != ExitFindings || !strings.Contains(out, "migrated 0 references in 0 files\n2 references need a human: 1 deprecated, 1 other\n") {
		t.Errorf("second run: exit %d\n%s", code, out)
	}
	// The same release on both sides changes nothing; the deprecated
	// technique is still listed for review (a line lower: the migration
	// added a tactic above it).
	code, out, _ = runFixCmd("migrate", "--from", to, "--to", to, ".")
	if code != ExitFindings || !strings.Contains(out, "migrated 0 references in 0 files\n1 reference needs a human: 1 deprecated, 0 other\n") ||
		!strings.Contains(out, "moved_kept.yml:14:5: warning [migrate-deprecated] attack.t1070.003 (Clear Command History) is deprecated in ATT&CK 19.0 without a replacement; use a current technique instead") {
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

// TestMigrateCommandJSON checks --format json: the changes, the references
// that need a human (the deprecated T1070.003 among them, with file, line
// and the reference as written) and the summary, as one document.
func TestMigrateCommandJSON(t *testing.T) {
	src, _ := filepath.Abs(filepath.Join("..", "..", "testdata", "rules", "migrate-mini"))
	from, _ := filepath.Abs(filepath.Join("..", "..", "testdata", "attack", "mini-18.json"))
	to, _ := filepath.Abs(filepath.Join("..", "..", "testdata", "attack", "mini-19.json"))
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
	type item struct {
		Check, Path, Reference, Message, Fix string
		Line, Column                         int
	}
	var rep struct {
		Version int
		DryRun  bool `json:"dry_run"`
		To      []struct{ Domain, Release string }
		Changes []item
		Review  []item
		Summary struct {
			Migrated   int
			Files      int `json:"files_changed"`
			Review     int
			Deprecated int
		}
	}
	// --diff: the patch on stdout, the JSON plan on stderr, nothing written.
	code, out, errs := runFixCmd("migrate", "--format", "json", "--diff", "--from", from, "--to", to, ".")
	if code != ExitFindings || !strings.Contains(out, "+++ sentinel.yaml\n") {
		t.Fatalf("--diff: exit %d\n%s", code, out)
	}
	if err := json.Unmarshal([]byte(errs), &rep); err != nil || !rep.DryRun || rep.Summary.Migrated != 14 {
		t.Fatalf("--diff JSON: %v\n%s", err, errs)
	}
	code, out, _ = runFixCmd("migrate", "--format", "json", "--from", from, "--to", to, ".")
	if code != ExitFindings {
		t.Fatalf("exit %d\n%s", code, out)
	}
	rep.Changes, rep.Review = nil, nil
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if rep.Version != 1 || rep.DryRun || len(rep.To) != 1 || rep.To[0].Release != "19.0" || len(rep.Changes) != 14 ||
		rep.Summary.Migrated != 14 || rep.Summary.Files != 7 || rep.Summary.Review != 2 || rep.Summary.Deprecated != 1 {
		t.Errorf("report: %+v\n%s", rep, out)
	}
	want := item{Check: "migrate-deprecated", Path: "moved_kept.yml", Reference: "attack.t1070.003", Line: 13, Column: 5}
	found := false
	for _, r := range rep.Review {
		if r.Check == want.Check && r.Path == want.Path && r.Reference == want.Reference && r.Line == want.Line && r.Column == want.Column &&
			strings.Contains(r.Message, "is deprecated in ATT&CK 19.0 without a replacement") && r.Fix == "" {
			found = true
		}
	}
	if !found {
		t.Errorf("review lacks %+v:\n%s", want, out)
	}
	for _, c := range rep.Changes {
		if c.Fix == "" || c.Reference == "" {
			t.Errorf("change without fix or reference: %+v", c)
		}
	}
	code, _, errs = runFixCmd("migrate", "--format", "xml", "--from", from, "--to", to, ".")
	if code != ExitUsage || !strings.Contains(errs, `invalid --format "xml"`) {
		t.Errorf("--format xml: exit %d %s", code, errs)
	}
}
