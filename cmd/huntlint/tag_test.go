package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const tagRule = `title: Certutil Decode
id: 6f3e2a41-1c1b-4e6a-9d9b-0a5f3c1e2b70
logsource:
    category: process_creation
    product: windows
detection:
    selection:
        Image|endswith: '\certutil.exe'
        CommandLine|contains: '-decode'
    condition: selection
`

func writeTagRules(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "untagged.yml"), []byte(tagRule), 0o644); err != nil {
		t.Fatal(err)
	}
	tagged := strings.Replace(tagRule, "logsource:", "tags:\n    - attack.defense-evasion\n    - attack.t1140\nlogsource:", 1)
	tagged = strings.Replace(tagged, "6f3e2a41-1c1b-4e6a-9d9b-0a5f3c1e2b70", "6f3e2a41-1c1b-4e6a-9d9b-0a5f3c1e2b71", 1)
	if err := os.WriteFile(filepath.Join(dir, "tagged.yml"), []byte(tagged), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestTagJSON(t *testing.T) {
	dir := writeTagRules(t)
	var out, errOut bytes.Buffer
	code := run([]string{"tag", "--offline", "--format", "json", dir}, nil, &out, &errOut)
	if code != ExitOK {
		t.Fatalf("exit %d, stderr %s", code, errOut.String())
	}
	var rep map[string][]map[string]json.RawMessage
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	list := rep["suggestions"]
	if len(list) != 2 {
		t.Fatalf("want 2 rules, got %s", out.String())
	}
	for _, r := range list {
		for _, k := range []string{"path", "rule", "existing", "suggested"} {
			if _, ok := r[k]; !ok {
				t.Errorf("key %q missing in %s", k, out.String())
			}
		}
		if len(r) != 4 {
			t.Errorf("unexpected keys in %v", r)
		}
	}
	var first struct {
		Path      string
		Rule      struct{ ID, Title, Format string }
		Existing  []string
		Suggested []struct {
			Technique, Name string
			Score           float64
			Evidence        []string
		}
	}
	for _, r := range list {
		b, _ := json.Marshal(r)
		_ = json.Unmarshal(b, &first)
		if strings.HasSuffix(first.Path, "untagged.yml") {
			break
		}
	}
	if first.Rule.Format != "sigma" || first.Rule.Title != "Certutil Decode" || len(first.Existing) != 0 {
		t.Errorf("rule %+v existing %v", first.Rule, first.Existing)
	}
	if len(first.Suggested) == 0 || first.Suggested[0].Technique != "T1140" || first.Suggested[0].Name == "" || len(first.Suggested[0].Evidence) == 0 {
		t.Fatalf("want T1140 first with evidence, got %+v", first.Suggested)
	}
	if sc := first.Suggested[0].Score; sc <= 0 || sc > 1 {
		t.Errorf("score %v", sc)
	}
	if !strings.Contains(strings.Join(first.Suggested[0].Evidence, "\n"), `similar tagged rule "Certutil Decode"`) {
		t.Errorf("the tagged rule did not teach the model: %v", first.Suggested[0].Evidence)
	}
}

func TestTagTextUntaggedOnlyAndWrite(t *testing.T) {
	dir := writeTagRules(t)
	var out, errOut bytes.Buffer
	code := run([]string{"tag", "--offline", "--untagged-only", "--top", "1", "--write", dir}, nil, &out, &errOut)
	if code != ExitOK {
		t.Fatalf("exit %d, stderr %s", code, errOut.String())
	}
	if strings.Contains(out.String(), "tagged.yml:") && !strings.Contains(out.String(), "untagged.yml:") || strings.Count(out.String(), ".yml:1:") != 1 {
		t.Errorf("--untagged-only must show the untagged rule only:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "T1140 Deobfuscate/Decode Files or Information") {
		t.Errorf("text output:\n%s", out.String())
	}
	if !strings.Contains(errOut.String(), "wrote ") {
		t.Errorf("stderr: %s", errOut.String())
	}
	b, _ := os.ReadFile(filepath.Join(dir, "untagged.yml"))
	want := strings.Replace(tagRule, "logsource:", "tags:\n    - attack.defense-evasion\n    - attack.t1140\nlogsource:", 1)
	if string(b) != want {
		t.Errorf("written file:\n%s\nwant:\n%s", b, want)
	}
}

func TestTagEvaluate(t *testing.T) {
	dir := writeTagRules(t)
	var out, errOut bytes.Buffer
	code := run([]string{"tag", "--offline", "--evaluate", "--folds", "1", "--train", dir, "--format", "json", filepath.Join(dir, "tagged.yml")}, nil, &out, &errOut)
	if code != ExitOK {
		t.Fatalf("exit %d, stderr %s", code, errOut.String())
	}
	var m map[string]any
	if err := json.Unmarshal(out.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"top1_precision", "top3_recall", "parent_top1_precision", "parent_top3_recall", "coverage", "per_tactic_recall"} {
		if _, ok := m[k]; !ok {
			t.Errorf("key %q missing: %s", k, out.String())
		}
	}
	// tagged.yml is evaluated, so it is not also learned from: the model
	// knows only the untagged rule and nothing tagged.
	if m["rules"] != 1.0 || m["trained"] != 0.0 {
		t.Errorf("rules %v trained %v: %s", m["rules"], m["trained"], out.String())
	}
}

func TestTagUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"tag", "--format", "xml", "."},
		{"tag", "--top", "0", "."},
		{"tag", "--min-score", "2", "."},
		{"tag", "--evaluate", "--write", "."},
	} {
		var out, errOut bytes.Buffer
		if code := run(append(args, "--offline"), nil, &out, &errOut); code != ExitUsage || !strings.Contains(errOut.String(), "huntlint: ") {
			t.Errorf("%v: exit %d, stderr %q", args, code, errOut.String())
		}
	}
}

// TestQuietDropsSummaries checks that --quiet leaves the results of tag and
// inspect and drops their closing counts.
func TestQuietDropsSummaries(t *testing.T) {
	dir := writeTagRules(t)
	for _, c := range []struct {
		args    []string
		result  string
		summary string
	}{
		{[]string{"tag", "--offline", dir}, "T1140 Deobfuscate/Decode Files or Information", " with suggestions\n"},
		{[]string{"inspect", "--offline", dir}, "untagged.yml:1: sigma", " load problems\n"},
	} {
		for _, quiet := range []bool{false, true} {
			args := c.args
			if quiet {
				args = append([]string{args[0], "-q"}, args[1:]...)
			}
			var out, errOut bytes.Buffer
			if code := run(args, nil, &out, &errOut); code != ExitOK {
				t.Fatalf("%v: exit %d, stderr %s", args, code, errOut.String())
			}
			if !strings.Contains(out.String(), c.result) {
				t.Errorf("%v: output lacks %q:\n%s", args, c.result, out.String())
			}
			if strings.Contains(out.String(), c.summary) == quiet {
				t.Errorf("%v: summary %q present = %v:\n%s", args, c.summary, !quiet, out.String())
			}
		}
	}
}
