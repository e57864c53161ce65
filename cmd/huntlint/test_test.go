package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// testTree writes a rule folder with SigmaHQ-style regression data beside
// it: rules/proc.yml points at regression_data/proc/info.yml, whose test
// names an .evtx with its .json beside it.
func testTree(t *testing.T, image string) string {
	t.Helper()
	dir := t.TempDir()
	write := func(rel, s string) {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("rules/proc.yml", `title: Whoami run
id: 6a2b3c4d-0000-4000-8000-000000000001
status: test
logsource:
    category: process_creation
    product: windows
detection:
    selection:
        Image|endswith: '\whoami.exe'
    condition: selection
level: low
regression_tests_path: regression_data/proc/info.yml
`)
	write("rules/untested.yml", `title: No tests
id: 6a2b3c4d-0000-4000-8000-000000000002
logsource:
    category: process_creation
    product: windows
detection:
    selection:
        Image|endswith: '\x.exe'
    condition: selection
level: low
`)
	write("regression_data/proc/info.yml", `id: 6a2b3c4d-0000-4000-8000-0000000000ff
rule_metadata:
    - id: 6a2b3c4d-0000-4000-8000-000000000001
regression_tests_info:
    - name: Positive Detection Test
      type: evtx
      match_count: 1
      path: regression_data/proc/6a2b3c4d.evtx
`)
	write("regression_data/proc/6a2b3c4d.json", `{"Event":{"System":{"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational"},"EventData":{"Image":"`+image+`"}}}`)
	return dir
}

func TestTestCommandPass(t *testing.T) {
	dir := testTree(t, `C:\\Windows\\System32\\whoami.exe`)
	var out, errOut bytes.Buffer
	code := run([]string{"test", "-v", filepath.Join(dir, "rules")}, nil, &out, &errOut)
	if code != ExitOK {
		t.Fatalf("exit %d: %s%s", code, out.String(), errOut.String())
	}
	for _, want := range []string{"PASS rule 6a2b3c4d-0000-4000-8000-000000000001 (Whoami run)", "1 of 1 event matched",
		"1 rule tested (1 test, 1 event): 1 passed, 0 failed, 0 errors; 1 rule without tests; logsource map: built-in"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestTestCommandFail(t *testing.T) {
	dir := testTree(t, `C:\\Windows\\System32\\hostname.exe`)
	var out, errOut bytes.Buffer
	code := run([]string{"test", "--format", "github", dir}, nil, &out, &errOut)
	if code != ExitFindings {
		t.Fatalf("exit %d: %s%s", code, out.String(), errOut.String())
	}
	want := "::error file=" + filepath.Join(dir, "rules", "proc.yml") + ",line=12,title=[huntlint test]::rule 6a2b3c4d-0000-4000-8000-000000000001 (Whoami run): test \"Positive Detection Test\": expected a match, got none in 1 event\n"
	if !strings.Contains(out.String(), want) {
		t.Errorf("output lacks\n%s\ngot\n%s", want, out.String())
	}
}

func TestTestCommandJSONAndEvtxOnly(t *testing.T) {
	dir := testTree(t, "x")
	if err := os.Rename(filepath.Join(dir, "regression_data/proc/6a2b3c4d.json"), filepath.Join(dir, "regression_data/proc/6a2b3c4d.evtx")); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	code := run([]string{"test", "--format", "json", dir}, nil, &out, &errOut)
	if code != ExitOK {
		t.Fatalf("exit %d (a rule not evaluable alone does not fail): %s%s", code, out.String(), errOut.String())
	}
	var rep struct {
		Results []struct {
			Status       string
			NotEvaluable string `json:"not_evaluable"`
		}
		Summary struct {
			Rules, Errors int
			NotEvaluable  int `json:"not_evaluable"`
		}
	}
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Results) != 1 || rep.Results[0].Status != "error" || !strings.Contains(rep.Results[0].NotEvaluable, "only EVTX") || rep.Summary.NotEvaluable != 1 {
		t.Errorf("got %+v\n%s", rep, out.String())
	}
}

func TestTestCommandEvents(t *testing.T) {
	dir := testTree(t, "x")
	events := filepath.Join(t.TempDir(), "events.jsonl")
	if err := os.WriteFile(events, []byte("{\"EventID\": 4688, \"NewProcessName\": \"C:\\\\w\\\\whoami.exe\"}\n{\"EventID\": 1, \"Image\": \"C:\\\\a.exe\"}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	code := run([]string{"test", "--events", events, "--rule", "6a2b3c4d-0000-4000-8000-000000000001", dir}, nil, &out, &errOut)
	if code != ExitOK {
		t.Fatalf("exit %d: %s%s", code, out.String(), errOut.String())
	}
	if !strings.Contains(out.String(), "1 passed") {
		t.Errorf("got %s", out.String())
	}
	// --logsource-map none: no EventID condition, no field mapping.
	out.Reset()
	code = run([]string{"test", "--logsource-map", "none", "--events", events, "--rule", filepath.Join(dir, "rules", "proc.yml")}, nil, &out, &errOut)
	if code != ExitFindings || !strings.Contains(out.String(), "expected a match, got none in 2 events") {
		t.Errorf("exit %d: %s", code, out.String())
	}
	for _, args := range [][]string{
		{"test", "--events", events, dir},
		{"test", "--events", events, "--rule", "no-such-id", dir},
		{"test", "--format", "sarif", dir},
		{"test", "--logsource-map", filepath.Join(dir, "missing.yml"), dir},
	} {
		errOut.Reset()
		if code := run(args, nil, &out, &errOut); code != ExitUsage {
			t.Errorf("%v: exit %d, want 2: %s", args, code, errOut.String())
		}
	}
}
