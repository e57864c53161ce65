package linter

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestParseConditionDepth parses conditions nested as deep as allowed and
// far deeper: a hostile "((((…" of a million levels is an error at the
// first level too deep, not a stack overflow that ends the process.
func TestParseConditionDepth(t *testing.T) {
	nest := func(open, close string, n int) string {
		return strings.Repeat(open, n) + "selection" + strings.Repeat(close, n)
	}
	for _, c := range []string{nest("(", ")", maxCondDepth), nest("not ", "", maxCondDepth), nest("(not ", ")", maxCondDepth/2)} {
		refs, err := parseCondition(c)
		if err != nil || len(refs) != 1 || refs[0].text != "selection" {
			t.Errorf("%.20s…: %v, %v", c, refs, err)
		}
	}
	for _, c := range []string{nest("(", ")", maxCondDepth+1), nest("(", ")", 1_000_000), nest("not ", "", 1_000_000)} {
		_, err := parseCondition(c)
		if err == nil || !strings.Contains(err.msg, "nests more than") {
			t.Fatalf("%.20s…: %v, want a nesting error", c, err)
		}
		if strings.HasPrefix(c, "(") && err.off != maxCondDepth {
			t.Errorf("%.20s…: error at offset %d, want %d (the first \"(\" too deep)", c, err.off, maxCondDepth)
		}
	}
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
