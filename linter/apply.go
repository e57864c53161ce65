package linter

import (
	"fmt"
	"sort"
)

// validEdits reports whether every edit of es lies inside a text of n bytes
// and no two edits of es overlap.
func validEdits(es []Edit, n int) error {
	for _, e := range es {
		if e.Start < 0 || e.End < e.Start || e.End > n {
			return fmt.Errorf("edit [%d,%d) lies outside the file (%d bytes)", e.Start, e.End, n)
		}
	}
	for i := range es {
		for j := i + 1; j < len(es); j++ {
			if editsOverlap(es[i], es[j]) {
				return fmt.Errorf("edits [%d,%d) and [%d,%d) overlap", es[i].Start, es[i].End, es[j].Start, es[j].End)
			}
		}
	}
	return nil
}

// editsOverlap reports whether a and b touch the same bytes, or are both
// insertions at one offset (whose order would be arbitrary), or one inserts
// strictly inside the range the other replaces.
func editsOverlap(a, b Edit) bool {
	if a.Start < b.End && b.Start < a.End {
		return true
	}
	if a.Start == a.End && b.Start == b.End {
		return a.Start == b.Start
	}
	if a.Start == a.End {
		return b.Start < a.Start && a.Start < b.End
	}
	if b.Start == b.End {
		return a.Start < b.Start && b.Start < a.End
	}
	return false
}

// sameEdits reports whether a and b are the same set of edits.
func sameEdits(a, b []Edit) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// ApplyEdits returns src with the edits applied. The edits must not overlap
// (see validEdits); their order does not matter. src is not modified.
func ApplyEdits(src []byte, edits []Edit) ([]byte, error) {
	if err := validEdits(edits, len(src)); err != nil {
		return nil, err
	}
	es := append([]Edit(nil), edits...)
	sort.SliceStable(es, func(i, j int) bool {
		if es[i].Start != es[j].Start {
			return es[i].Start < es[j].Start
		}
		// An insertion before a replacement starting at the same offset.
		return es[i].End < es[j].End
	})
	size := len(src)
	for _, e := range es {
		size += len(e.New) - (e.End - e.Start)
	}
	out := make([]byte, 0, size)
	last := 0
	for _, e := range es {
		out = append(out, src[last:e.Start]...)
		out = append(out, e.New...)
		last = e.End
	}
	return append(out, src[last:]...), nil
}

// selectFixes picks, in order, the fixes whose edits are valid and do not
// overlap an edit picked before: the first fix wins a conflict. It returns
// the indexes of the picked fixes and the union of their edits; a fix whose
// edits equal an already picked fix's edits is picked too but adds nothing.
func selectFixes(fixes []*Fix, n int) (picked []int, edits []Edit) {
	var sets [][]Edit
outer:
	for i, fx := range fixes {
		if fx == nil || len(fx.Edits) == 0 || validEdits(fx.Edits, n) != nil {
			continue
		}
		for _, s := range sets {
			if sameEdits(s, fx.Edits) {
				picked = append(picked, i)
				continue outer
			}
		}
		for _, e := range fx.Edits {
			for _, have := range edits {
				if editsOverlap(e, have) {
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
