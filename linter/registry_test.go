package linter

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/huntlint/huntlint/mapper"
)

var reCheckID = regexp.MustCompile(`^[a-z]+(-[a-z0-9]+)+$`)

// TestRegistry checks that every check has a unique kebab-case ID, complete
// documentation, a known category, and golden fixtures.
func TestRegistry(t *testing.T) {
	seen := map[string]bool{}
	categories := map[string]bool{"attack": true, "sigma": true, "sentinel": true, "kql": true, "load": true, "meta": true}
	for _, c := range Registry() {
		d := c.Doc()
		if !reCheckID.MatchString(d.ID) {
			t.Errorf("check ID %q is not kebab-case", d.ID)
		}
		if seen[d.ID] {
			t.Errorf("check ID %q registered twice", d.ID)
		}
		seen[d.ID] = true
		if !categories[d.Category] {
			t.Errorf("%s: unknown category %q", d.ID, d.Category)
		}
		if d.Severity < SeverityInfo || d.Severity > SeverityError {
			t.Errorf("%s: no severity", d.ID)
		}
		if d.Summary == "" || d.Why == "" || d.Bad == "" || d.Good == "" {
			t.Errorf("%s: documentation incomplete (summary, why, bad and good example are required)", d.ID)
		}
		if strings.HasSuffix(d.Summary, ".") {
			t.Errorf("%s: summary %q must not end with a period", d.ID, d.Summary)
		}
		if (d.Fix == FixNone) != (d.FixDoc == "") {
			t.Errorf("%s: a fixable check documents its fix (FixDoc), and only a fixable one", d.ID)
		}
		if !discoveryOnly[d.ID] {
			outs, _ := filepath.Glob(filepath.Join("testdata", d.ID, "bad*.out"))
			if len(outs) == 0 {
				t.Errorf("%s: no golden fixture in testdata/%s (a bad* input and its .out)", d.ID, d.ID)
			}
		}
	}
}

// TestChecksDoc fails when docs/checks.md is not what the registry
// generates; -update rewrites it.
func TestChecksDoc(t *testing.T) {
	path := filepath.Join("..", "docs", "checks.md")
	got := ChecksMarkdown(Registry())
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(want) != got {
		t.Errorf("docs/checks.md is stale: run go test ./linter/ -run TestChecksDoc -update")
	}
}

// TestProductPlatformsExist verifies every platform name of the product
// table against the catalog's techniques.
func TestProductPlatformsExist(t *testing.T) {
	cat := testCatalog(t)
	known := map[string]bool{}
	for _, o := range cat.Objects(mapper.Enterprise, mapper.TypeTechnique) {
		for _, p := range o.Platforms {
			known[p] = true
		}
	}
	for _, p := range AnyPlatform {
		if !known[p] {
			t.Errorf("AnyPlatform names %q, which no technique of the catalog has", p)
		}
	}
	for product, ps := range ProductPlatforms {
		for _, p := range ps {
			if !known[p] {
				t.Errorf("product %q maps to platform %q, which no technique of the catalog has", product, p)
			}
		}
	}
}
