package linter

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// load-missing and the links of load-skipped come from Lint's discovery,
// not from a file's content, so their tests run Lint on a folder made here
// instead of golden inputs.

func TestLintMissingAndSkipped(t *testing.T) {
	cat := testCatalog(t)
	root := t.TempDir()
	rule := "title: Whoami\nlogsource:\n    category: process_creation\n    product: windows\ndetection:\n    sel:\n        Image|endswith: '\\whoami.exe'\n    condition: sel\ntags:\n    - attack.discovery\n    - attack.t1033\n"
	for _, p := range []string{"rules/a.yml", "outside/b.yml"} {
		full := filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(rule), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(filepath.Join(root, "outside", "b.yml"), filepath.Join(root, "rules", "b.yml")); err != nil {
		t.Skip("symlinks unsupported:", err)
	}
	missing := filepath.Join(root, "rules", "deleted.yml")
	paths := []string{filepath.Join(root, "rules"), missing}
	lint := func(opts Options) (*Result, map[string]Finding) {
		t.Helper()
		opts.Catalog = cat
		res, err := Lint(paths, opts)
		if err != nil {
			t.Fatal(err)
		}
		by := map[string]Finding{}
		for _, f := range res.Findings {
			by[f.Check] = f
		}
		return res, by
	}
	res, by := lint(Options{})
	if f, ok := by[LoadMissingID]; !ok || f.Path != missing || f.Severity != SeverityWarning || !strings.Contains(f.Message, "does not exist") {
		t.Errorf("no load-missing warning for %s: %+v", missing, res.Findings)
	}
	if f, ok := by[LoadSkippedID]; !ok || f.Path != filepath.Join(root, "rules", "b.yml") || f.Severity != SeverityInfo {
		t.Errorf("no load-skipped info for the link: %+v", res.Findings)
	}
	if res.Rules != 1 || res.Worst() != SeverityWarning {
		t.Errorf("rules %d, worst %v: want the one real rule linted, the missing path the worst", res.Rules, res.Worst())
	}
	res, by = lint(Options{FollowSymlinks: true})
	if _, ok := by[LoadSkippedID]; ok || res.Rules != 2 {
		t.Errorf("--follow-symlinks: rules %d, findings %+v", res.Rules, res.Findings)
	}
	// Both can be turned off like any check.
	_, by = lint(Options{Ignore: []string{LoadMissingID, LoadSkippedID}})
	if len(by) != 0 {
		t.Errorf("--ignore: %+v", by)
	}
	// The configuration's severity applies.
	_, by = lint(Options{Config: &Config{Checks: map[string]CheckConfig{LoadMissingID: {Severity: SeverityError}}}})
	if by[LoadMissingID].Severity != SeverityError {
		t.Errorf("configured severity: %+v", by[LoadMissingID])
	}
}
