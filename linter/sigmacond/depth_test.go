package sigmacond

import (
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
	for _, c := range []string{nest("(", ")", MaxDepth), nest("not ", "", MaxDepth), nest("(not ", ")", MaxDepth/2)} {
		refs, err := Parse(c)
		if err != nil || len(refs) != 1 || refs[0].Text != "selection" {
			t.Errorf("%.20s…: %v, %v", c, refs, err)
		}
	}
	for _, c := range []string{nest("(", ")", MaxDepth+1), nest("(", ")", 1_000_000), nest("not ", "", 1_000_000)} {
		_, err := Parse(c)
		if err == nil || !strings.Contains(err.Msg, "nests more than") {
			t.Fatalf("%.20s…: %v, want a nesting error", c, err)
		}
		if strings.HasPrefix(c, "(") && err.Off != MaxDepth {
			t.Errorf("%.20s…: error at offset %d, want %d (the first \"(\" too deep)", c, err.Off, MaxDepth)
		}
	}
}
