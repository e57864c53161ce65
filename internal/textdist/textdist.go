// Package textdist measures how far apart two strings are, for "did you
// mean" suggestions.
package textdist

import "strings"

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
// candidate, and a candidate equal to s is skipped. With fold, case is
// ignored.
func Nearest(s string, candidates []string, maxDist int, fold bool) (string, bool) {
	key := s
	if fold {
		key = strings.ToLower(s)
	}
	best, bestD := "", maxDist+1
	for _, c := range candidates {
		if c == s {
			continue
		}
		k := c
		if fold {
			k = strings.ToLower(c)
		}
		d := Levenshtein(key, k)
		if d < bestD || (d == bestD && best != "" && c < best) {
			best, bestD = c, d
		}
	}
	return best, best != ""
}
