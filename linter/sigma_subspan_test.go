package linter

import (
	"math/rand"
	"strings"
	"testing"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// TestValueFactsRunes compares the character counts of long values' marks
// with a count from the value's start, at every offset, on values whose
// multi-byte characters straddle the marks.
func TestValueFactsRunes(t *testing.T) {
	r := rand.New(rand.NewSource(5))
	pieces := []string{"a", "é", "日", "🎯", " ", "\xff"}
	for range 200 {
		var b strings.Builder
		for range r.Intn(600) {
			b.WriteString(pieces[r.Intn(len(pieces))])
		}
		n := &yaml.Node{Kind: yaml.ScalarNode, Value: b.String()}
		f := valueFactsOf(n)
		if got := valueFactsOf(n); len(n.Value) >= longValue && got != f {
			t.Fatal("a long value's facts are not cached")
		}
		for off := 0; off <= len(n.Value); off++ {
			if got, want := f.runes(n.Value, off), utf8.RuneCountInString(n.Value[:off]); got != want {
				t.Fatalf("%q: runes(%d) = %d, want %d", n.Value, off, got, want)
			}
		}
	}
}
