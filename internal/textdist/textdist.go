// Package textdist measures how far apart two strings are, for "did you
// mean" suggestions.
package textdist

import (
	"strings"
	"unicode/utf8"
)

// Levenshtein returns the edit distance of a and b in characters (Unicode
// code points): the fewest insertions, deletions and substitutions that turn
// one into the other.
func Levenshtein(a, b string) int {
	if a == b {
		return 0
	}
	ra, rb := []rune(a), []rune(b)
	if len(ra) == 0 {
		return len(rb)
	}
	if len(rb) == 0 {
		return len(ra)
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// Nearest returns the candidate closest to s by Levenshtein distance, when
// that distance is at most maxDist; ties go to the alphabetically first
// candidate (see InOrder), and a candidate equal to s is skipped. With fold,
// case is ignored. Options change how candidates are measured.
func Nearest(s string, candidates []string, maxDist int, fold bool, opts ...Option) (string, bool) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	key := s
	if fold {
		key = strings.ToLower(s)
	}
	if o.caseFirst {
		for _, c := range candidates {
			if c != s && strings.EqualFold(c, s) {
				return c, true
			}
		}
	}
	best, bestD := "", maxDist+1
	for _, c := range candidates {
		if c == s || utf8.RuneCountInString(c) < o.minLen {
			continue
		}
		k := c
		if fold {
			k = strings.ToLower(c)
		}
		d := Levenshtein(key, k)
		if o.prefixMin > 0 && utf8.RuneCountInString(key) >= o.prefixMin && strings.HasPrefix(k, key) {
			d = min(d, 1)
		}
		if d < bestD || (d == bestD && best != "" && !o.inOrder && c < best) {
			best, bestD = c, d
		}
	}
	return best, best != ""
}

// An Option changes how Nearest measures or ranks candidates.
type Option func(*options)

type options struct {
	caseFirst bool
	minLen    int
	prefixMin int
	inOrder   bool
}

// CaseFirst makes a candidate equal to s but for case win outright (the
// first such candidate), before any distance is measured; MinLength does not
// apply to it.
func CaseFirst() Option { return func(o *options) { o.caseFirst = true } }

// MinLength leaves candidates of fewer than n characters out of the distance
// comparison.
func MinLength(n int) Option { return func(o *options) { o.minLen = n } }

// PrefixOneEdit counts a candidate that starts with s as one edit away, when
// s has at least n characters: a flag typed short (--out for --output) is
// near its full name.
func PrefixOneEdit(n int) Option { return func(o *options) { o.prefixMin = n } }

// InOrder gives ties to the candidate that comes first in candidates instead
// of the alphabetically first.
func InOrder() Option { return func(o *options) { o.inOrder = true } }
