package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// evidenceTree is testTree (rules/proc.yml, tested, passing) with the
// tested rule tagged T1033 and an untested rule tagged T1059.
func evidenceTree(t *testing.T) string {
	t.Helper()
	dir := testTree(t, `C:\\Windows\\System32\\whoami.exe`)
	p := filepath.Join(dir, "rules", "proc.yml")
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	tagged := strings.Replace(string(data), "status: test\n", "status: test\ntags:\n    - attack.discovery\n    - attack.t1033\n", 1)
	if err := os.WriteFile(p, []byte(tagged), 0o644); err != nil {
		t.Fatal(err)
	}
	u := filepath.Join(dir, "rules", "untested.yml")
	data, _ = os.ReadFile(u)
	tagged = strings.Replace(string(data), "logsource:", "tags:\n    - attack.execution\n    - attack.t1059\nlogsource:", 1)
	if err := os.WriteFile(u, []byte(tagged), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestLayerEvidence(t *testing.T) {
	dir := evidenceTree(t)
	var out, errOut bytes.Buffer
	if code := run([]string{"layer", "--offline", "--format", "markdown", "--evidence", "tested", filepath.Join(dir, "rules")}, nil, &out, &errOut); code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	md := out.String()
	for _, want := range []string{"## Proven coverage", "1 of 2 rules passed their tests (huntlint test; weights tested=1,untested=0)", "| T1033 System Owner/User Discovery | 1 | 1 |"} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
	if strings.Contains(md, "| T1059 ") {
		t.Errorf("the untested rule's technique counts under --evidence tested:\n%s", md)
	}

	out.Reset()
	if code := run([]string{"layer", "--offline", "--evidence-weight", "tested=1,untested=0.5", filepath.Join(dir, "rules")}, nil, &out, &errOut); code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	js := out.String()
	for _, want := range []string{`"name": "proven rules"`, `"value": "huntlint test (tested=1,untested=0.5)"`, `"techniqueID": "T1059"`, `"score": 0.5`} {
		if !strings.Contains(js, want) {
			t.Errorf("layer lacks %s", want)
		}
	}

	for _, args := range [][]string{
		{"layer", "--offline", "--evidence", "proven", dir},
		{"layer", "--offline", "--evidence-weight", "tested=x", dir},
		{"layer", "--offline", "--evidence-weight", "passed=1", dir},
	} {
		if code := run(args, nil, &out, &errOut); code != ExitUsage {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}

func TestGapsEvidence(t *testing.T) {
	dir := evidenceTree(t)
	covered := map[string]string{}
	for _, ev := range []string{"none", "tested"} {
		var out, errOut bytes.Buffer
		if code := run([]string{"gaps", "--offline", "--top-used", "400", "--evidence", ev, filepath.Join(dir, "rules")}, nil, &out, &errOut); code != ExitOK {
			t.Fatalf("--evidence %s: exit %d: %s", ev, code, errOut.String())
		}
		for _, line := range strings.Split(out.String(), "\n") {
			if strings.Contains(line, " covered (") {
				covered[ev] = strings.TrimSpace(line)
			}
			if f := strings.Fields(line); len(f) > 2 && f[1] == "T1059" && ev == "tested" && !strings.HasSuffix(line, " no") {
				t.Errorf("--evidence tested: the untested rule covers T1059: %s", line)
			}
		}
	}
	if !strings.Contains(covered["none"], "2 covered") || !strings.Contains(covered["tested"], "1 covered") {
		t.Errorf("covered: %v", covered)
	}
}
