package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTagWritePrecision: --write writes only the suggestions scoring at
// least --write-precision, and says nothing was written otherwise.
func TestTagWritePrecision(t *testing.T) {
	// nothing learned: the knowledge base gives T1140 about 0.8
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "untagged.yml"), []byte(tagRule), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	code := run([]string{"tag", "--offline", "--top", "1", "--write", "--write-precision", "0.95", dir}, nil, &out, &errOut)
	if code != ExitOK {
		t.Fatalf("exit %d, stderr %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), "T1140") {
		t.Errorf("the suggestion is still shown:\n%s", out.String())
	}
	if strings.Contains(errOut.String(), "wrote ") {
		t.Errorf("a suggestion under --write-precision was written: %s", errOut.String())
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "untagged.yml")); string(b) != tagRule {
		t.Errorf("file changed:\n%s", b)
	}
	var o, e bytes.Buffer
	if code := run([]string{"tag", "--offline", "--write-precision", "2", dir}, nil, &o, &e); code != ExitUsage || !strings.Contains(e.String(), "--write-precision") {
		t.Errorf("--write-precision 2: exit %d, stderr %q", code, e.String())
	}
}

// TestTagEvaluateOn: --evaluate-on B learns from the PATHs and scores B,
// and a file in both is only scored.
func TestTagEvaluateOn(t *testing.T) {
	dir := writeTagRules(t)
	var out, errOut bytes.Buffer
	code := run([]string{"tag", "--offline", "--format", "json", "--evaluate-on", filepath.Join(dir, "tagged.yml"), dir}, nil, &out, &errOut)
	if code != ExitOK {
		t.Fatalf("exit %d, stderr %s", code, errOut.String())
	}
	var m map[string]any
	if err := json.Unmarshal(out.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	if m["rules"] != 1.0 || m["trained"] != 0.0 || m["folds"] != 1.0 {
		t.Errorf("rules %v trained %v folds %v: %s", m["rules"], m["trained"], m["folds"], out.String())
	}
	for _, k := range []string{"at_precision", "written"} {
		if _, ok := m[k]; !ok {
			t.Errorf("key %q missing: %s", k, out.String())
		}
	}
}
