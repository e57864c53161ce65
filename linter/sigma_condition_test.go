package linter

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/huntlint/huntlint/internal/testshared"
	"github.com/huntlint/huntlint/rules"
)

func TestParseConditionAccepts(t *testing.T) {
	for _, c := range []struct {
		cond string
		refs []string
	}{
		{"selection", []string{"selection"}},
		{"selection and not filter", []string{"selection", "filter"}},
		{"(sel1 or sel2) and not (f1 or f2)", []string{"sel1", "sel2", "f1", "f2"}},
		{"all of selection_* and not 1 of filter_*", []string{"selection_*", "filter_*"}},
		{"1 of them", []string{"them"}},
		{"all of them", []string{"them"}},
		{"not not a", []string{"a"}},
		{"a and b or c and not d", []string{"a", "b", "c", "d"}},
		{"sel-1 and sel.2", []string{"sel-1", "sel.2"}},
		{"selection | count() by src_ip > 10", []string{"selection"}},
		{"selection | count(dst_port) by src_ip >= 10", []string{"selection"}},
		{"selection and filter1 | sum(question_length) by src_ip > 300000", []string{"selection", "filter1"}},
		{"selection | count() > 3", []string{"selection"}},
		{"a | near b and not c", []string{"a", "b", "c"}},
		{"  selection\n  and not filter  ", []string{"selection", "filter"}},
	} {
		refs, err := parseCondition(c.cond)
		if err != nil {
			t.Errorf("%q: unexpected error at %d: %s", c.cond, err.off, err.msg)
			continue
		}
		var got []string
		for _, r := range refs {
			got = append(got, r.text)
		}
		if strings.Join(got, ",") != strings.Join(c.refs, ",") {
			t.Errorf("%q: refs %v, want %v", c.cond, got, c.refs)
		}
	}
}

func TestParseConditionRejects(t *testing.T) {
	for _, c := range []struct {
		cond string
		off  int
		msg  string
	}{
		{"", 0, "empty"},
		{"selection and", 13, "expected a search identifier"},
		{"(selection", 10, "to close"},
		{"selection)", 9, `unexpected ")"`},
		{"selection AND filter", 10, "lower case"},
		{"2 of sel*", 0, "unsupported quantifier"},
		{"any of sel*", 0, "unsupported quantifier"},
		{"1 of", 4, "after \"1 of\""},
		{"1 of and", 5, "after \"1 of\""},
		{"selection_*", 0, "needs a quantifier"},
		{"sel or", 6, "expected a search identifier"},
		{"not", 3, "expected a search identifier"},
		{"sel filter", 4, `unexpected "filter"`},
		{"sel | avg(x) by y", 17, "comparison"},
		{"sel | median(x) > 1", 6, "unknown aggregation"},
		{"sel | count( > 1", 13, `expected ")"`},
		{"sel | count() > x", 16, "number"},
		{"them", 0, "unexpected keyword"},
	} {
		_, err := parseCondition(c.cond)
		if err == nil {
			t.Errorf("%q: no error", c.cond)
			continue
		}
		if err.off != c.off || !strings.Contains(err.msg, c.msg) {
			t.Errorf("%q: error at %d %q, want at %d containing %q", c.cond, err.off, err.msg, c.off, c.msg)
		}
	}
}

func TestGlobMatch(t *testing.T) {
	for _, c := range []struct {
		p, n string
		ok   bool
	}{
		{"selection_*", "selection_img", true},
		{"selection_*", "selection_", true},
		{"selection_*", "selection", false},
		{"*", "anything", true},
		{"sel*img", "sel_cli_img", true},
		{"sel*img", "sel_cli", false},
		{"a*b*c", "aXbYc", true},
		{"a*b*c", "aXcYb", false},
		{"filter", "filter", true},
		{"filter", "filters", false},
	} {
		if got := globMatch(c.p, c.n); got != c.ok {
			t.Errorf("globMatch(%q, %q) = %v, want %v", c.p, c.n, got, c.ok)
		}
	}
}

// TestParseConditionSigmaHQ parses every condition of SigmaHQ's rules*
// folders: all must be accepted.
func TestParseConditionSigmaHQ(t *testing.T) {
	dir := testshared.Corpus(t, "sigmahq-2026-04-28")
	n := 0
	for _, f := range corpusYAML(t, dir) {
		rel, _ := filepath.Rel(dir, f)
		if !strings.HasPrefix(rel, "rules") {
			continue
		}
		rs, _ := rules.Load(f)
		for _, r := range rs {
			s := sigmaSearchSection(r)
			if s == nil {
				continue
			}
			for _, c := range s.Conditions {
				n++
				if _, err := parseCondition(c.Value); err != nil {
					t.Errorf("%s:%d: %q: %s", rel, c.Line, c.Value, err.msg)
				}
			}
		}
	}
	if n < 3000 {
		t.Errorf("parsed only %d conditions", n)
	}
	t.Logf("%d conditions parsed", n)
}

func FuzzParseCondition(f *testing.F) {
	for _, s := range []string{"selection and not filter", "1 of sel*", "a | count() by b > 1", "((a)", "not"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		refs, err := parseCondition(s)
		if err != nil && (err.off < 0 || err.off > len(s)) {
			t.Fatalf("error offset %d outside %q", err.off, s)
		}
		for _, r := range refs {
			if r.off < 0 || r.off+len(r.text) > len(s) || s[r.off:r.off+len(r.text)] != r.text {
				t.Fatalf("ref %+v does not point into %q", r, s)
			}
		}
	})
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
