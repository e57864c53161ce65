package linter

import (
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/huntlint/huntlint/rules"
)

// structureChecks are the Sigma and Sentinel structure checks.
func structureChecks() []Check {
	var out []Check
	for _, c := range Registry() {
		id := c.Doc().ID
		if strings.HasPrefix(id, "sigma-") || strings.HasPrefix(id, "sentinel-") {
			out = append(out, c)
		}
	}
	return out
}

// lintFiles loads files and runs checks on them as the runner does: per
// rule, then the cross-file phase.
func lintFiles(t testing.TB, checks []Check, files []string) []Finding {
	t.Helper()
	var all []*rules.Rule
	var out []Finding
	for _, f := range files {
		rs, probs := rules.Load(f)
		if len(probs) > 0 {
			t.Fatalf("load %s: %v", f, probs)
		}
		all = append(all, rs...)
	}
	for _, c := range checks {
		d := c.Doc()
		fill := func(f Finding) {
			if f.Check == "" {
				f.Check = d.ID
			}
			if f.Severity == 0 {
				f.Severity = d.Severity
			}
			out = append(out, f)
		}
		for _, r := range all {
			ctx := &Context{Rule: r, check: c, report: fill}
			c.Run(ctx)
		}
		if sc, ok := c.(SetChecker); ok {
			sc.RunSet(all, nil, nil, fill)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.Span.Start.Line != b.Span.Start.Line {
			return a.Span.Start.Line < b.Span.Start.Line
		}
		if a.Span.Start.Column != b.Span.Start.Column {
			return a.Span.Start.Column < b.Span.Start.Column
		}
		return a.Message < b.Message
	})
	return out
}

// TestStructureGolden runs each sigma-*/sentinel-* check alone, through the
// runner, on all the files of testdata/<check-id>/ together (so cross-file
// checks see the whole set) and compares the findings with bad.out.
// Regenerate with go test ./linter/ -run TestStructureGolden -update.
func TestStructureGolden(t *testing.T) {
	checks := structureChecks()
	if len(checks) == 0 {
		t.Fatal("no sigma-* or sentinel-* check is registered")
	}
	for _, c := range checks {
		id := c.Doc().ID
		t.Run(id, func(t *testing.T) {
			dir := filepath.Join("testdata", id)
			files := goldenInputs(t, dir)
			if len(files) == 0 {
				t.Fatalf("no fixture in %s", dir)
			}
			fs, err := RunFiles(files, nil, &Config{}, id)
			if err != nil {
				t.Fatal(err)
			}
			if len(fs) == 0 {
				t.Errorf("%s produces no finding on its fixtures", id)
			}
			for _, f := range fs {
				if f.Check != id {
					t.Errorf("finding of %s reported as %q", id, f.Check)
				}
				if f.Span.Start.Line < 1 || f.Span.Start.Column < 1 || f.Span.End.Line < f.Span.Start.Line {
					t.Errorf("finding without a proper position: %+v", f)
				}
			}
			checkGolden(t, filepath.Join(dir, "bad.out"), formatGolden(dir, fs))
		})
	}
}

// TestStructureOK runs every structure check over the clean fixtures.
func TestStructureOK(t *testing.T) {
	var files []string
	for _, sub := range []string{"sigma", "sentinel"} {
		fs, _ := filepath.Glob(filepath.Join("testdata", "ok", sub, "*.y*ml"))
		files = append(files, fs...)
	}
	if len(files) == 0 {
		t.Fatal("no clean fixture")
	}
	if got := formatGolden("testdata", lintFiles(t, structureChecks(), files)); got != "" {
		t.Errorf("clean fixtures produce findings:\n%s", got)
	}
}

// TestPySigmaParity checks that the parity table names registered checks
// only, and that every structure check has a Why, examples and a golden
// folder.
func TestPySigmaParity(t *testing.T) {
	ids := map[string]bool{}
	for _, c := range Registry() {
		ids[c.Doc().ID] = true
	}
	names := map[string]bool{}
	for _, v := range pySigmaValidators {
		if names[v.Name] {
			t.Errorf("validator %s listed twice", v.Name)
		}
		names[v.Name] = true
		if len(v.Checks) == 0 && !strings.HasPrefix(v.Note, "none: ") {
			t.Errorf("%s has no equivalent and no reason", v.Class)
		}
		for _, c := range v.Checks {
			if !ids[c] {
				t.Errorf("%s names unknown check %q", v.Class, c)
			}
		}
	}
	for _, c := range structureChecks() {
		d := c.Doc()
		if d.Why == "" || d.Bad == "" || d.Good == "" || d.Summary == "" || len(d.Formats) == 0 {
			t.Errorf("%s: incomplete documentation", d.ID)
		}
		if (d.Fix == FixNone) != (d.FixDoc == "") {
			t.Errorf("%s: fix applicability and fix documentation disagree", d.ID)
		}
	}
	md := pySigmaParityMarkdown()
	if !strings.Contains(md, "`dangling_detection` | [sigma-unused-search](#sigma-unused-search)") {
		t.Errorf("parity table renders unexpectedly:\n%s", md)
	}
	if em := sentinelEntityMarkdown(); !strings.Contains(em, "| FileHash | Algorithm, Value | Algorithm + Value |") {
		t.Errorf("entity table renders unexpectedly:\n%s", em)
	}
}
