package yamledit

import (
	"fmt"
	"sort"
)

// Order says what Apply and ValidSet make of two insertions at one offset.
type Order int

const (
	// Exclusive refuses two insertions at one offset: their order would be
	// arbitrary, as between the fixes of different findings (fix, migrate).
	Exclusive Order = iota
	// InOrder keeps insertions at one offset in the order given, for edits
	// that one caller builds in order (tag --write puts a new tactics key
	// before a new relevantTechniques key at the same place).
	InOrder
)

// ValidSet returns an error unless every edit of es lies inside a text of n bytes
// and no two edits of es overlap (see Overlaps; with InOrder, insertions at
// one offset do not count as overlapping). It sorts a copy and compares each
// edit with the one before it and with the earlier edit that reaches
// furthest, which finds every overlap in n log n.
func ValidSet(es []Edit, n int, order Order) error {
	for _, e := range es {
		if e.Start < 0 || e.End < e.Start || e.End > n {
			return fmt.Errorf("edit [%d,%d) lies outside the file (%d bytes)", e.Start, e.End, n)
		}
	}
	if len(es) < 2 {
		return nil
	}
	sorted := sortedEdits(es)
	far := 0 // the edit seen so far that ends last
	for i := 1; i < len(sorted); i++ {
		for _, k := range []int{i - 1, far} {
			a, b := sorted[k], sorted[i]
			if order == InOrder && a.Start == a.End && b.Start == b.End {
				continue
			}
			if Overlaps(a, b) {
				return fmt.Errorf("edits [%d,%d) and [%d,%d) overlap", a.Start, a.End, b.Start, b.End)
			}
		}
		if sorted[i].End > sorted[far].End {
			far = i
		}
	}
	return nil
}

// sortedEdits returns a copy of es in text order: by start, an insertion
// before a replacement starting at the same offset, and edits alike in both
// in the order given.
func sortedEdits(es []Edit) []Edit {
	sorted := append([]Edit(nil), es...)
	sort.SliceStable(sorted, func(i, j int) bool {
		if sorted[i].Start != sorted[j].Start {
			return sorted[i].Start < sorted[j].Start
		}
		return sorted[i].End < sorted[j].End
	})
	return sorted
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

// Apply returns src with the edits applied; src is not modified. The edits
// must lie inside src and must not overlap (see ValidSet and order); their
// order does not matter but for insertions at one offset, which InOrder
// keeps in the order given. An insertion at the offset where a replacement
// starts goes before the replacement's text.
func Apply(src []byte, edits []Edit, order Order) ([]byte, error) {
	if err := ValidSet(edits, len(src), order); err != nil {
		return nil, err
	}
	es := sortedEdits(edits)
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
