package fix

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/huntlint/huntlint/internal/linttest"
	"github.com/huntlint/huntlint/linter"
)

// TestApplyRefusesAFileChangedSinceLint: findings keep only a sum of the
// text their fixes were made against, and the fix engine reads the file
// again; a file edited between lint and fix is left as it is, with an error
// saying to lint it again, while an untouched one is fixed.
func TestApplyRefusesAFileChangedSinceLint(t *testing.T) {
	bad, err := os.ReadFile(filepath.Join("..", "testdata", "attack-revoked", "bad.yml"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	same, changed := filepath.Join(dir, "same.yml"), filepath.Join(dir, "changed.yml")
	for _, p := range []string{same, changed} {
		if err := os.WriteFile(p, bad, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	opts := linter.Options{Catalog: linttest.Catalog(t), Config: &linter.Config{}, Select: []string{"attack-revoked"}}
	res, err := linter.Run([]string{same, changed}, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Findings {
		if f.Fix != nil && (f.Rule == nil || f.Rule.Source != nil || f.Rule.Sum == 0) {
			t.Fatalf("%s: a finding with a fix keeps %+v, want the sum of its text alone", linter.FormatFinding(f), f.Rule)
		}
	}
	edited := "# edited after lint\n" + string(bad)
	if err := os.WriteFile(changed, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	sum, err := Apply(res.Findings, Options{Relint: Relinter(opts)})
	if err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, changed); got != edited {
		t.Errorf("the file edited after lint was rewritten:\n%s", got)
	}
	if len(sum.Errors) != 1 || sum.Errors[0].Path != changed || !strings.Contains(sum.Errors[0].Err.Error(), "changed since it was linted; lint it again") {
		t.Errorf("errors %v, want one for %s saying it changed since it was linted", sum.Errors, changed)
	}
	if got := readFile(t, same); got == string(bad) || len(sum.Files) != 1 || sum.Files[0].Path != same {
		t.Errorf("the untouched file was not fixed (changed files %v)", sum.Files)
	}
}
