package rules

import (
	"fmt"
	"github.com/huntlint/huntlint/internal/golden"
	"path/filepath"
	"strings"
	"testing"
)

// dumpRules renders what the loaders produce, positions included, for
// golden files.
func dumpRules(rules []*Rule, problems []Problem) string {
	var b strings.Builder
	for i, r := range rules {
		fmt.Fprintf(&b, "rule %d: %s %s at %d:%d doc %d\n", i+1, r.Format, r.Kind, r.Start.Line, r.Start.Column, r.DocIndex)
		field := func(name, v string) {
			if v != "" {
				fmt.Fprintf(&b, "  %s: %q\n", name, v)
			}
		}
		field("id", r.ID)
		field("title", r.Title)
		field("description", r.Description)
		field("status", r.Status)
		field("level", r.Level)
		field("author", r.Author)
		field("date", r.Date)
		field("modified", r.Modified)
		if len(r.References) > 0 {
			fmt.Fprintf(&b, "  references: %q\n", r.References)
		}
		field("product", r.Product)
		field("category", r.Category)
		field("service", r.Service)
		if r.Format == FormatSigma {
			_, err := decodeSigma(r)
			fmt.Fprintf(&b, "  sigma-go decoded: %v\n", err == nil)
		}
		for _, c := range r.Connectors {
			fmt.Fprintf(&b, "  connector %q %q at %s\n", c.ConnectorID, c.DataTypes, spanString(c.Span))
		}
		for _, t := range r.Tags {
			fmt.Fprintf(&b, "  tag %q at %s\n", t.Text, spanString(t.Span))
		}
		for _, a := range r.Attack {
			loose := ""
			if a.Loose {
				loose = " loose"
			}
			fmt.Fprintf(&b, "  attack %s %q value %q from %s at %s%s\n", a.Kind, a.Text, a.Value, a.Source, spanString(a.Span), loose)
		}
		for j, q := range r.Queries {
			fmt.Fprintf(&b, "  query %d at %d:%d\n", j+1, q.Start.Line, q.Start.Column)
			off := 0
			for _, line := range strings.Split(q.Text, "\n") {
				p := q.Map.Position(off)
				fmt.Fprintf(&b, "    %3d:%-3d|%s\n", p.Line, p.Column, line)
				off += len(line) + 1
			}
		}
	}
	for _, p := range problems {
		fmt.Fprintf(&b, "problem %d:%d: %s\n", p.Line, p.Column, p.Message)
	}
	return b.String()
}

func spanString(s Span) string {
	return fmt.Sprintf("%d:%d-%d:%d [%d,%d)", s.Start.Line, s.Start.Column, s.End.Line, s.End.Column, s.StartOffset, s.EndOffset)
}

// TestGolden loads every file in testdata/golden and compares the dump with
// its .out file; -update rewrites them.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/golden/*")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, ".out") {
			continue
		}
		n++
		t.Run(filepath.Base(f), func(t *testing.T) {
			rules, problems := Load(f)
			for _, r := range rules {
				checkPositions(t, r)
			}
			got := dumpRules(rules, problems)
			golden.File(t, f+".out", []byte(got))
		})
	}
	if n == 0 {
		t.Fatal("no golden inputs")
	}
}
