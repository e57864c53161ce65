package queries

import (
	"strings"
	"testing"
)

var fuzzSeeds = []string{
	"T | where x == 1",
	"let f = (a:string) { T | where b has a }; f('x')",
	"T | summarize count() by bin(TimeGenerated, 1h) | render timechart",
	"datatable(a:string)['x'] | mv-apply y = a on (top 1 by y)",
	`print dynamic({"a": [1, 2, "b"]}), @'c''d', h"e", ` + "```f```",
	"T | where x in (S | project y) and z between (1 .. 2)",
	"T | parse kind=regex x with * 'a' y:string '.' *",
	"T | where ['a b'] !in~ ('c') | project-away d*",
	"x['k'].[0] | join kind=leftanti (S) on $left.a == $right.b",
}

// FuzzLex checks that the lexer never panics and that its tokens are
// ordered slices of the input.
func FuzzLex(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		toks := lex(s)
		if toks[len(toks)-1].kind != tEOF {
			t.Fatal("no EOF token")
		}
		prev := 0
		for _, tok := range toks {
			if tok.off < prev || tok.end < tok.off || tok.end > len(s) || s[tok.off:tok.end] != tok.text {
				t.Fatalf("bad token %+v after offset %d", tok, prev)
			}
			if tok.kind != tEOF && tok.end == tok.off {
				t.Fatalf("empty token %+v", tok)
			}
			prev = tok.end
		}
	})
}

// FuzzParse checks that Parse never panics, reports at most one diagnostic
// inside the text, and finds facts that are slices of the text.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
		for i := 1; i < len(s); i += 7 {
			f.Add(s[:i])
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		r := Parse(s)
		if len(r.Diagnostics) > 1 {
			t.Fatalf("%d diagnostics", len(r.Diagnostics))
		}
		for _, d := range r.Diagnostics {
			if d.Offset < 0 || d.Length < 0 || d.Offset+d.Length > len(s) || d.Message == "" {
				t.Fatalf("bad diagnostic %+v for %d bytes", d, len(s))
			}
		}
		for _, l := range r.Facts.Literals {
			if l.Offset < 0 || l.Offset >= len(s) {
				t.Fatalf("literal %+v outside the text", l)
			}
		}
		for _, tb := range r.Facts.Tables {
			if tb == "" || !strings.Contains(s, strings.TrimSuffix(tb, "*")) && !strings.ContainsAny(s, `'"`) {
				t.Fatalf("table %q not in the text", tb)
			}
		}
	})
}
