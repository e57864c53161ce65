package yamledit

import (
	"fmt"
	"sort"
)

// ValidSet returns an error unless every edit of es lies inside a text of n bytes
// and no two edits of es overlap. It sorts a copy and compares each edit
// with the one before it and with the earlier edit that reaches furthest,
// which finds every overlap Overlaps defines in n log n.
func ValidSet(es []Edit, n int) error {
	for _, e := range es {
		if e.Start < 0 || e.End < e.Start || e.End > n {
			return fmt.Errorf("edit [%d,%d) lies outside the file (%d bytes)", e.Start, e.End, n)
		}
	}
	if len(es) < 2 {
		return nil
	}
	sorted := append([]Edit(nil), es...)
	sort.Slice(sorted, func(i, j int) bool {
		if sorted[i].Start != sorted[j].Start {
			return sorted[i].Start < sorted[j].Start
		}
		return sorted[i].End < sorted[j].End
	})
	far := 0 // the edit seen so far that ends last
	for i := 1; i < len(sorted); i++ {
		for _, k := range []int{i - 1, far} {
			if Overlaps(sorted[k], sorted[i]) {
				a, b := sorted[k], sorted[i]
				return fmt.Errorf("edits [%d,%d) and [%d,%d) overlap", a.Start, a.End, b.Start, b.End)
			}
		}
		if sorted[i].End > sorted[far].End {
			far = i
		}
	}
	return nil
}

// Overlaps reports whether edits a and b touch the same bytes, or are both
// insertions at one offset (whose order would be arbitrary), or one inserts
// strictly inside the range the other replaces.
func Overlaps(a, b Edit) bool {
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

// ApplySet returns src with the edits applied. The edits must not overlap
// (see ValidSet); their order does not matter. src is not modified.
func ApplySet(src []byte, edits []Edit) ([]byte, error) {
	if err := ValidSet(edits, len(src)); err != nil {
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
