package linter

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/huntlint/huntlint/rules"
)

var updateStructure = flag.Bool("update-structure", false, "rewrite the sigma-*/sentinel-* golden .out files")

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

// renderFindings prints findings one a line, paths relative to dir.
func renderFindings(dir string, fs []Finding) string {
	var b strings.Builder
	for _, f := range fs {
		p, err := filepath.Rel(dir, f.Path)
		if err != nil {
			p = f.Path
		}
		fmt.Fprintf(&b, "%s:%d:%d-%d:%d: %s: %s [%s]", filepath.ToSlash(p), f.Span.Start.Line, f.Span.Start.Column,
			f.Span.End.Line, f.Span.End.Column, f.Severity, f.Message, f.Check)
		if f.Fix != nil {
			fmt.Fprintf(&b, " (fix %s: %s)", f.Fix.Applicability, f.Fix.Description)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// TestStructureGolden runs each sigma-*/sentinel-* check on the files of
// testdata/<check-id>/ and compares the findings with bad.out.
func TestStructureGolden(t *testing.T) {
	checks := structureChecks()
	if len(checks) == 0 {
		t.Fatal("no sigma-* or sentinel-* check is registered")
	}
	for _, c := range checks {
		id := c.Doc().ID
		t.Run(id, func(t *testing.T) {
			dir := filepath.Join("testdata", id)
			files, _ := filepath.Glob(filepath.Join(dir, "*.y*ml"))
			if len(files) == 0 {
				t.Fatalf("no fixture in %s", dir)
			}
			got := renderFindings(dir, lintFiles(t, []Check{c}, files))
			golden := filepath.Join(dir, "bad.out")
			if *updateStructure {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update-structure)", err)
			}
			if got != string(want) {
				t.Errorf("findings differ from %s:\n--- got\n%s--- want\n%s", golden, got, want)
			}
			if got == "" {
				t.Errorf("%s produces no finding on its bad fixture", id)
			}
			for _, f := range lintFiles(t, []Check{c}, files) {
				if f.Check != id {
					t.Errorf("finding of %s reported as %q", id, f.Check)
				}
				if f.Span.Start.Line < 1 || f.Span.Start.Column < 1 {
					t.Errorf("finding without a position: %+v", f)
				}
			}
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
	if got := renderFindings("testdata", lintFiles(t, structureChecks(), files)); got != "" {
		t.Errorf("clean fixtures produce findings:\n%s", got)
	}
}
