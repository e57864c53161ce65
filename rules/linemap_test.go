package rules

import (
	"strings"
	"testing"
)

// TestQueryPositions checks the map of query offsets to file positions
// inside lines, through YAML escapes, block scalar indentation and folding.
func TestQueryPositions(t *testing.T) {
	cases := []struct {
		file string
		want map[string]Pos // first occurrence of a text in the query -> file position
	}{
		{"testdata/golden/sentinel_escapes.yaml", map[string]Pos{
			"SecurityEvent": {4, 9}, "adm": {4, 44}, "\"adm": {4, 42}, "é": {4, 53},
			"srv": {5, 25}, "\\\\srv": {5, 21}, "\t": {5, 44}, "| take": {7, 5}, "10": {7, 12},
		}},
		{"testdata/golden/sentinel_hunting.yaml", map[string]Pos{
			"// leading": {17, 5}, "DeviceProcessEvents": {18, 5}, "| where": {19, 7}, "-enc": {19, 39}, "summarize": {21, 7},
		}},
		{"testdata/golden/sentinel_analytic_crlf.yaml", map[string]Pos{
			"SigninLogs": {14, 3}, "| where": {15, 3}, "== 0": {15, 22}, "take": {17, 5},
		}},
		{"testdata/golden/sentinel_unicode.yaml", map[string]Pos{
			"🎯": {5, 16}, "FileName": {6, 24}, "é.exe": {6, 37}, "take": {6, 46},
		}},
		{"testdata/golden/hunting.md", map[string]Pos{
			"ProcessCommandLine": {11, 9},
		}},
		{"testdata/golden/crlf.kql", map[string]Pos{
			"FileName": {5, 10},
		}},
	}
	for _, c := range cases {
		rules, problems := Load(c.file)
		if len(problems) > 0 || len(rules) != 1 || len(rules[0].Queries) == 0 {
			t.Fatalf("%s: %v", c.file, problems)
		}
		q := rules[0].Queries[0]
		for text, want := range c.want {
			off := strings.Index(q.Text, text)
			if off < 0 {
				t.Errorf("%s: %q not in the query", c.file, text)
				continue
			}
			if got := q.Map.Position(off); got != want {
				t.Errorf("%s: %q at %d:%d, want %d:%d", c.file, text, got.Line, got.Column, want.Line, want.Column)
			}
		}
	}
}

func TestSingleQuotedPositions(t *testing.T) {
	rules, _ := Load("testdata/golden/sentinel_single_quoted.yaml")
	q := rules[0].Queries[0]
	for text, want := range map[string]Pos{"adm": {5, 24}, "'adm": {5, 22}, "Path": {5, 34}, "C:": {5, 46}, "take": {6, 5}} {
		if got := q.Map.Position(strings.Index(q.Text, text)); got != want {
			t.Errorf("%q at %d:%d, want %d:%d", text, got.Line, got.Column, want.Line, want.Column)
		}
	}
}

// TestFileOffset checks that every offset of every query text outside
// escape sequences and line folding maps to the same byte in the file.
func TestFileOffset(t *testing.T) {
	for _, f := range []string{"sentinel_hunting.yaml", "sentinel_analytic_crlf.yaml", "sentinel_unicode.yaml",
		"sentinel_escapes.yaml", "queries.kql", "crlf.kql", "hunting.md", "crlf.md"} {
		rules, _ := Load("testdata/golden/" + f)
		for _, q := range rules[0].Queries {
			m := q.Map.(*LineMap)
			checked := 0
			for _, s := range m.segs {
				for off := s.textStart; off < s.textEnd && !s.escape; off++ {
					if got := rules[0].Source[m.FileOffset(off)]; got != q.Text[off] {
						t.Fatalf("%s: offset %d holds %q in the query, %q in the file", f, off, q.Text[off], got)
					}
					checked++
				}
			}
			if checked == 0 {
				t.Errorf("%s: nothing checked", f)
			}
		}
	}
}
