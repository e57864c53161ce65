package linter

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/huntlint/huntlint/internal/testshared"
	"github.com/huntlint/huntlint/linter/sigmacond"
	"github.com/huntlint/huntlint/rules"
)

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
				if _, err := sigmacond.Parse(c.Value); err != nil {
					t.Errorf("%s:%d: %q: %s", rel, c.Line, c.Value, err.Msg)
				}
			}
		}
	}
	if n < 3000 {
		t.Errorf("parsed only %d conditions", n)
	}
	t.Logf("%d conditions parsed", n)
}

// TestConditionErrorOutputBounded lints a rule with many searches and as
// many unknown references: each message lists a bounded number of the
// defined identifiers, so that output grows with the references, not with
// references times searches.
func TestConditionErrorOutputBounded(t *testing.T) {
	const n = 300
	var b strings.Builder
	b.WriteString("title: Unknown references\nlogsource:\n    product: windows\ndetection:\n")
	var refs []string
	for i := range n {
		fmt.Fprintf(&b, "    selection_%d:\n        Image: a%d\n", i, i)
		refs = append(refs, fmt.Sprintf("selection_%d", i), fmt.Sprintf("missing_%d", i))
	}
	fmt.Fprintf(&b, "    condition: %s\n", strings.Join(refs, " or "))
	path := filepath.Join(t.TempDir(), "unknown.yml")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	fs := lintFiles(t, []Check{sigmaConditionError{}}, []string{path})
	if len(fs) != n {
		t.Fatalf("%d findings, want %d", len(fs), n)
	}
	for _, f := range fs {
		if !strings.HasSuffix(f.Message, "selection_19 and 280 more") || len(f.Message) > 500 {
			t.Fatalf("%d bytes: %s", len(f.Message), f.Message)
		}
	}
}
