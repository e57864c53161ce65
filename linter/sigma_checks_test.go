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
			if !d.AppliesTo(r.Format) {
				continue
			}
			ctx := &Context{Rule: r, check: c, report: fill}
			c.Run(ctx)
		}
		if sc, ok := c.(SetChecker); ok {
			sc.RunSet(ofFormats(setRulesOf(all, nil), d), nil, nil, fill)
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

// TestStructureSpansAndFixes checks the exact spans of findings and that
// fixes rewrite what they say.
func TestStructureSpansAndFixes(t *testing.T) {
	src := "title: T\nstatus: Stable\nlevel: 'High'\ndate: 2023/03/14\nlogsource:\n    product: windows\n" +
		"detection:\n    sel:\n        Image|endwith: x\n    condition: sel and not filtr\ntags:\n    - tlp.green\n    - tlp.green\n"
	path := filepath.Join(t.TempDir(), "r.yml")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	fs := lintFiles(t, structureChecks(), []string{path})
	type want struct {
		check          string
		l1, c1, l2, c2 int
		fixed          string // the source after the fix, "" when none
	}
	wants := []want{
		{"sigma-invalid-status", 2, 9, 2, 15, strings.Replace(src, "Stable", "stable", 1)},
		{"sigma-invalid-level", 3, 8, 3, 14, strings.Replace(src, "'High'", "'high'", 1)},
		{"sigma-invalid-date", 4, 7, 4, 17, strings.Replace(src, "2023/03/14", "2023-03-14", 1)},
		{"sigma-unknown-modifier", 9, 15, 9, 22, strings.Replace(src, "Image|endwith", "Image|endswith", 1)},
		{"sigma-condition-error", 10, 28, 10, 33, ""},
		{"sigma-tag-format", 13, 7, 13, 16, strings.Replace(src, "    - tlp.green\n    - tlp.green\n", "    - tlp.green\n", 1)},
	}
	if len(fs) != len(wants) {
		t.Fatalf("got %d findings, want %d:\n%s", len(fs), len(wants), formatGolden("", fs))
	}
	for i, w := range wants {
		f := fs[i]
		if f.Check != w.check || f.Span.Start.Line != w.l1 || f.Span.Start.Column != w.c1 || f.Span.End.Line != w.l2 || f.Span.End.Column != w.c2 {
			t.Errorf("finding %d: %s %d:%d-%d:%d, want %s %d:%d-%d:%d", i, f.Check, f.Span.Start.Line, f.Span.Start.Column,
				f.Span.End.Line, f.Span.End.Column, w.check, w.l1, w.c1, w.l2, w.c2)
		}
		if (f.Fix != nil) != (w.fixed != "") {
			t.Errorf("finding %d (%s): fix %v, want fix %v", i, f.Check, f.Fix != nil, w.fixed != "")
			continue
		}
		if f.Fix == nil {
			continue
		}
		got := []byte(src)
		for j := len(f.Fix.Edits) - 1; j >= 0; j-- {
			e := f.Fix.Edits[j]
			got = append(append(append([]byte{}, got[:e.Start]...), e.New...), got[e.End:]...)
		}
		if string(got) != w.fixed {
			t.Errorf("finding %d (%s): fix gives\n%s\nwant\n%s", i, f.Check, got, w.fixed)
		}
		if sp := f.Span; string([]byte(src)[sp.StartOffset:sp.EndOffset]) == "" {
			t.Errorf("finding %d: empty offset range", i)
		}
	}
}

func TestWildcardModifierFix(t *testing.T) {
	src := "title: T\nlogsource:\n    product: windows\ndetection:\n    sel:\n        Image: '*\\cmd.exe'\n" +
		"        CommandLine:\n            - '*/c*'\n            - \"*/k*\"\n        Parent: ['*a', '*b'] # tail\n    condition: sel\n"
	want := "title: T\nlogsource:\n    product: windows\ndetection:\n    sel:\n        Image|endswith: '\\cmd.exe'\n" +
		"        CommandLine|contains:\n            - '/c'\n            - \"/k\"\n        Parent|endswith: ['a', 'b'] # tail\n    condition: sel\n"
	path := filepath.Join(t.TempDir(), "r.yml")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	fs := lintFiles(t, []Check{sigmaWildcardModifier{}}, []string{path})
	if len(fs) != 3 {
		t.Fatalf("got %d findings, want 3:\n%s", len(fs), formatGolden("", fs))
	}
	var edits []Edit
	for _, f := range fs {
		if f.Fix == nil || f.Fix.Applicability != FixSafe {
			t.Fatalf("%s: no safe fix", f.Message)
		}
		edits = append(edits, f.Fix.Edits...)
	}
	sort.Slice(edits, func(i, j int) bool { return edits[i].Start > edits[j].Start })
	got := []byte(src)
	for _, e := range edits {
		got = append(append(append([]byte{}, got[:e.Start]...), e.New...), got[e.End:]...)
	}
	if string(got) != want {
		t.Errorf("fixed:\n%s\nwant:\n%s", got, want)
	}
}
