package fix

import (
	"math/rand"
	"testing"

	"github.com/huntlint/huntlint/internal/yamledit"
	"github.com/huntlint/huntlint/linter"
)

// pairwiseSelect is selectFixes as the definition says it, comparing every
// edit with every picked one: the reference the table-based one must match.
func pairwiseSelect(fixes []*linter.Fix, n int) (picked []int, edits []linter.Edit) {
	var sets [][]linter.Edit
outer:
	for i, fx := range fixes {
		if fx == nil || len(fx.Edits) == 0 || pairwiseValid(fx.Edits, n) {
			continue
		}
		for _, s := range sets {
			if len(s) == len(fx.Edits) {
				same := true
				for k := range s {
					same = same && s[k] == fx.Edits[k]
				}
				if same {
					picked = append(picked, i)
					continue outer
				}
			}
		}
		for _, e := range fx.Edits {
			for _, have := range edits {
				if yamledit.Overlaps(e, have) {
					continue outer
				}
			}
		}
		picked = append(picked, i)
		sets = append(sets, fx.Edits)
		edits = append(edits, fx.Edits...)
	}
	return picked, edits
}

// pairwiseValid reports whether es is invalid, comparing every pair.
func pairwiseValid(es []linter.Edit, n int) (invalid bool) {
	for i, a := range es {
		if a.Start < 0 || a.End < a.Start || a.End > n {
			return true
		}
		for _, b := range es[i+1:] {
			if yamledit.Overlaps(a, b) {
				return true
			}
		}
	}
	return false
}

// TestSelectFixesMatchesPairwise: on random small texts full of touching,
// nested and same-offset edits, the sweep and the table give the pairwise
// answers exactly.
func TestSelectFixesMatchesPairwise(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for round := 0; round < 3000; round++ {
		n := 1 + rng.Intn(12)
		var fixes []*linter.Fix
		for f := rng.Intn(8); f >= 0; f-- {
			fx := &linter.Fix{}
			for e := rng.Intn(3); e >= 0; e-- {
				s := rng.Intn(n + 1)
				end := s
				if rng.Intn(3) > 0 {
					end = min(n, s+rng.Intn(4))
				}
				fx.Edits = append(fx.Edits, linter.Edit{Start: s, End: end, New: string(rune('a' + rng.Intn(2)))})
			}
			fixes = append(fixes, fx)
			if rng.Intn(5) == 0 {
				fixes = append(fixes, &linter.Fix{Edits: append([]linter.Edit(nil), fx.Edits...)})
			}
		}
		for _, fx := range fixes {
			if got, want := yamledit.ValidSet(fx.Edits, n, yamledit.Exclusive) != nil, pairwiseValid(fx.Edits, n); got != want {
				t.Fatalf("yamledit.ValidSet(%v, %d) invalid=%v, want %v", fx.Edits, n, got, want)
			}
		}
		gp, ge := selectFixes(fixes, n)
		wp, we := pairwiseSelect(fixes, n)
		if len(gp) != len(wp) || len(ge) != len(we) {
			t.Fatalf("round %d: picked %v %v, want %v %v", round, gp, ge, wp, we)
		}
		for i := range gp {
			if gp[i] != wp[i] {
				t.Fatalf("round %d: picked %v, want %v", round, gp, wp)
			}
		}
	}
}
