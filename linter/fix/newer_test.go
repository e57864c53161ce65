package fix

import (
	"os"
	"testing"

	"github.com/huntlint/huntlint/internal/attacktest"
	"github.com/huntlint/huntlint/internal/linttest"
	"github.com/huntlint/huntlint/linter"
	"github.com/huntlint/huntlint/mapper"
)

// TestFixLeavesRulesAheadOfCatalog fixes SigmaHQ retagged for ATT&CK 19 with
// the embedded 18.1 catalog, as a user does whose catalog trails the rules:
// no safe fix touches a rule that names a tag from the newer release.
func TestFixLeavesRulesAheadOfCatalog(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus test in -short mode")
	}
	cat := linttest.Catalog(t)
	if r, _ := cat.Release(mapper.Enterprise); r.Version != "18.1" {
		t.Skipf("catalog release %q: this test is about ATT&CK 18.1", r.Version)
	}
	files, newer := attacktest.V19Corpus(t)
	opts := linter.Options{Catalog: cat, Config: &linter.Config{}}
	res, err := linter.Run(files, opts)
	if err != nil {
		t.Fatal(err)
	}

	before := map[string]string{}
	for p := range newer {
		b, _ := os.ReadFile(p)
		before[p] = string(b)
	}
	sum, err := Apply(res.Findings, Options{Relint: Relinter(opts)})
	if err != nil {
		t.Fatal(err)
	}
	for _, fc := range sum.Files {
		if _, ok := newer[fc.Path]; ok {
			t.Errorf("fix changed %s, a rule ahead of the catalog", fc.Path)
		}
	}
	for p, b := range before {
		if a, _ := os.ReadFile(p); string(a) != b {
			t.Errorf("%s changed on disk", p)
		}
	}
}
