package linter

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
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

// TestCheckFiles checks that only checks have check-like file names: each
// check of the registry is declared in the file named after its ID
// (attack_revoked.go for attack-revoked), and each file whose name begins
// like a check ID (attack_, sigma_, sentinel_, kql_, load_, unused_)
// declares exactly the check its name spells. Support code goes in files
// named for what it holds (tactics.go, yamlnode.go, searches.go).
func TestCheckFiles(t *testing.T) {
	ents, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	declaredIn := map[string]string{} // type name -> file
	literals := map[string]int{}      // file -> Finding literals in it
	for _, e := range ents {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.TYPE {
				for _, s := range gd.Specs {
					declaredIn[s.(*ast.TypeSpec).Name.Name] = name
				}
			}
		}
		literals[name] = findingLiterals(f)
	}
	prefixes := map[string]bool{}
	checksIn := map[string][]string{} // file -> IDs of the checks it declares
	for _, c := range Registry() {
		id := c.Doc().ID
		prefixes[strings.SplitN(id, "-", 2)[0]] = true
		file := declaredIn[reflect.TypeOf(c).Name()]
		if want := strings.ReplaceAll(id, "-", "_") + ".go"; file != want {
			t.Errorf("check %s is declared in %q, want %s", id, file, want)
		}
		checksIn[file] = append(checksIn[file], id)
	}
	for _, e := range ents {
		name := e.Name()
		stem, ok := strings.CutSuffix(name, ".go")
		if !ok || strings.HasSuffix(name, "_test.go") || !strings.Contains(stem, "_") || !prefixes[strings.SplitN(stem, "_", 2)[0]] {
			continue
		}
		want := strings.ReplaceAll(stem, "_", "-")
		if got := checksIn[name]; len(got) != 1 || got[0] != want {
			t.Errorf("%s is named like check %s but declares the checks %v; name support files for what they hold", name, want, got)
		}
		if n := literals[name]; n > 0 {
			t.Errorf("%s builds %d Finding literals; checks report with ctx.Reportf (per rule) or report.Reportf (RunSet), and the runner's file findings go through fileFinding", name, n)
		}
	}
}

// findingLiterals counts the Finding{...} composite literals in f that set
// fields (a zero Finding{} returned with false is no report).
func findingLiterals(f *ast.File) int {
	n := 0
	ast.Inspect(f, func(x ast.Node) bool {
		if cl, ok := x.(*ast.CompositeLit); ok {
			if id, ok := cl.Type.(*ast.Ident); ok && id.Name == "Finding" && len(cl.Elts) > 0 {
				n++
			}
		}
		return true
	})
	return n
}
