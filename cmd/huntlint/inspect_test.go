package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestInspectJSON(t *testing.T) {
	dir := t.TempDir()
	rule := "title: T\nid: 6f3e2a41-1c1b-4e6a-9d9b-0a5f3c1e2b7d\nlogsource: {product: windows}\ndetection:\n  sel: {a: b}\n  condition: sel\ntags:\n  - attack.execution\n  - attack.t1059.001\n  - attack.t9999\n"
	if err := os.WriteFile(filepath.Join(dir, "r.yml"), []byte(rule), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	code := run([]string{"inspect", "--offline", "--format", "json", dir}, nil, &out, &errOut)
	if code != ExitOK {
		t.Fatalf("exit %d, stderr %s", code, errOut.String())
	}
	var rep struct {
		Rules []struct {
			Path, Format, Kind, ID, Title string
			Line                          int
			Attack                        []struct {
				Text         string
				Line, Column int
				Type, ID     string
			}
			Queries []struct{ Line, Column int }
		}
		Errors []struct {
			Path         string
			Line, Column int
			Message      string
		}
	}
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("%v in %s", err, out.String())
	}
	if len(rep.Rules) != 1 || rep.Errors == nil || len(rep.Errors) != 0 {
		t.Fatalf("want one rule and an empty errors list, got %s", out.String())
	}
	r := rep.Rules[0]
	if r.Format != "sigma" || r.Kind != "detection" || r.Title != "T" || r.Line != 1 || r.Queries == nil {
		t.Errorf("rule fields: %+v", r)
	}
	want := []string{"attack.execution 8:5 tactic TA0002", "attack.t1059.001 9:5 technique T1059.001", "attack.t9999 10:5 technique "}
	if len(r.Attack) != len(want) {
		t.Fatalf("attack: %+v", r.Attack)
	}
	for i, a := range r.Attack {
		got := a.Text + " " + itoa(a.Line) + ":" + itoa(a.Column) + " " + a.Type + " " + a.ID
		if got != want[i] {
			t.Errorf("attack %d: got %q, want %q", i, got, want[i])
		}
	}
	for _, key := range []string{`"rules"`, `"errors"`, `"path"`, `"format"`, `"kind"`, `"id"`, `"title"`, `"line"`, `"attack"`, `"queries"`, `"text"`, `"column"`, `"type"`} {
		if !strings.Contains(out.String(), key) {
			t.Errorf("JSON lacks key %s", key)
		}
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func TestInspectProblemsAndUsage(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "bad.yml"), []byte("title: x\ndetection: [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if code := run([]string{"inspect", "--offline", dir}, nil, &out, &errOut); code != ExitFindings {
		t.Errorf("load problem: exit %d, want %d", code, ExitFindings)
	}
	if !strings.Contains(out.String(), "bad.yml:") || !strings.Contains(out.String(), "invalid YAML") {
		t.Errorf("text output lacks the problem: %s", out.String())
	}
	out.Reset()
	if code := run([]string{"inspect", "--offline", "--format", "xml", dir}, nil, &out, &errOut); code != ExitUsage {
		t.Errorf("bad --format: exit %d, want %d", code, ExitUsage)
	}
}

// TestLintAndInspectAgree: lint and inspect resolve references through one
// resolver, so an ICS asset tag (attack.a0001) is the asset A0001 in both:
// inspect resolves it, lint says it belongs to ATT&CK for ICS.
func TestLintAndInspectAgree(t *testing.T) {
	p := filepath.Join("..", "..", "linter", "testdata", "attack-wrong-domain", "bad_asset.yml")
	out, _, _ := runCmd(t, "inspect", "--offline", p)
	if !strings.Contains(out, `asset "attack.a0001" -> A0001`) {
		t.Errorf("inspect:\n%s", out)
	}
	out, _, _ = runCmd(t, "lint", "--offline", p)
	if !strings.Contains(out, "[attack-wrong-domain] attack.a0001 (Workstation) is an asset of ATT&CK for ICS 18.1") || strings.Contains(out, "attack-malformed-tag") {
		t.Errorf("lint:\n%s", out)
	}
}
