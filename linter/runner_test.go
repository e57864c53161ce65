package linter

import (
	"path/filepath"
	"strings"
	"testing"
)

// panicky is a check that fails on every rule.
type panicky struct{}

func (panicky) Doc() *Doc        { return &Doc{ID: "test-panic", Category: "meta", Severity: SeverityError} }
func (panicky) Run(ctx *Context) { panic("boom") }

// TestRunnerRecoversPanics: a failing check becomes a finding naming the
// file, and the other files are still linted.
func TestRunnerRecoversPanics(t *testing.T) {
	files := []string{
		filepath.Join("testdata", "attack-revoked", "bad.yml"),
		filepath.Join("testdata", "attack-revoked", "good.yml"),
	}
	res, err := Run(files, Options{Catalog: testCatalog(t), Config: &Config{}, Checks: []Check{loadError{}, panicky{}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 2 {
		t.Fatalf("findings: %s", formatGolden("", res.Findings))
	}
	for i, f := range res.Findings {
		if f.Path != files[i] || f.Check != LoadErrorID || !strings.Contains(f.Message, "internal error") || !strings.Contains(f.Message, "boom") {
			t.Errorf("finding %d: %s", i, FormatFinding(f))
		}
	}
}
