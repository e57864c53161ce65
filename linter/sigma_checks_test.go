package linter

import (
	"fmt"
	"os"
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

// TestStructureOddShapes runs every structure check over rules whose fields
// have unexpected shapes (lists for scalars, mappings for lists, nulls,
// aliases): no panic, and every finding has a position.
func TestStructureOddShapes(t *testing.T) {
	docs := []string{
		"title: [a]\nid: {x: 1}\nstatus: [test]\nlevel: {a: b}\ndate: [2020-01-01]\nmodified: ~\ntags: x\nrelated: {id: 1}\nreferences: {a: b}\nlogsource: [a]\ndetection: [a]\n",
		"title: t\nlogsource: ~\ndetection:\n    condition: [1, [2], {a: b}]\n    sel: ~\n    sel2: 5\n    sel3: [[a], {F|contains|all: ~}]\n",
		"title: t\nlogsource: {product: x}\ndetection:\n    sel: &a {F|re: x}\n    sel2: *a\n    condition: 1 of sel*\ntags: [&t tlp.red, *t]\n",
		"title: t\ncorrelation: [a]\n",
		"title: t\ncorrelation:\n    type: [x]\n    rules: {a: b}\n    timespan: [1]\n    group-by: {a: b}\n    condition: [gte]\n",
		"title: t\nlogsource: {product: x}\nfilter:\n    rules: 5\n    condition: ~\n",
		"title: t\nlogsource: {product: x}\nfilter:\n    rules: [a]\n    condition: not sel\n    sel: {}\n",
		"id: [x]\nname: n\nquery: T | take 1\ntactics: {}\nrelevantTechniques: x\nseverity: [High]\nversion: {a: 1}\nkind: [NRT]\nqueryFrequency: [1h]\nqueryPeriod: {}\ntriggerOperator: [gt]\ntriggerThreshold: [1]\nentityMappings: {a: b}\nrequiredDataConnectors: x\n",
		"id: 5d9b1e7a-3c2f-4e8d-9a6b-1f0e2d3c4b5a\nname: n\nquery: T\nkind: Scheduled\nentityMappings:\n  - ~\n  - entityType: [Account]\n    fieldMappings: {a: b}\n  - entityType: Account\n    fieldMappings: [~, {identifier: [Name], columnName: {}}]\nrequiredDataConnectors:\n  - connectorId: X\n    dataTypes: [T]\n",
	}
	dir := t.TempDir()
	var files []string
	for i, d := range docs {
		p := filepath.Join(dir, fmt.Sprintf("odd%d.yml", i))
		if err := os.WriteFile(p, []byte(d), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
	}
	var all []Finding
	for _, f := range files {
		rs, _ := rules.Load(f)
		if len(rs) == 0 {
			continue
		}
		all = append(all, lintFiles(t, structureChecks(), []string{f})...)
	}
	if len(all) == 0 {
		t.Fatal("odd shapes produce no finding")
	}
	for _, f := range all {
		t.Log(FormatFinding(f))
		if f.Span.Start.Line < 1 || f.Span.Start.Column < 1 {
			t.Errorf("finding without a position: %s", FormatFinding(f))
		}
		if strings.Contains(f.Message, `""`) {
			t.Errorf("finding quotes an empty value: %s", FormatFinding(f))
		}
	}
}
