package linter

import (
	"fmt"
	"sort"
	"strings"
)

// validEdits reports whether every edit of es lies inside a text of n bytes
// and no two edits of es overlap. It sorts a copy and compares each edit
// with the one before it and with the earlier edit that reaches furthest,
// which finds every overlap editsOverlap defines in n log n.
func validEdits(es []Edit, n int) error {
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
			if editsOverlap(sorted[k], sorted[i]) {
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
// The bytes and insertion points taken so far are marked in a table of the
// text, so the cost grows with the text and the edits, not their product.
func selectFixes(fixes []*Fix, n int) (picked []int, edits []Edit) {
	seen := map[string]bool{}
	var taken *editTable
outer:
	for i, fx := range fixes {
		if fx == nil || len(fx.Edits) == 0 || validEdits(fx.Edits, n) != nil {
			continue
		}
		key := editsKey(fx.Edits)
		if seen[key] {
			picked = append(picked, i)
			continue
		}
		if taken == nil {
			taken = newEditTable(n)
		}
		for _, e := range fx.Edits {
			if taken.overlaps(e) {
				continue outer
			}
		}
		for _, e := range fx.Edits {
			taken.take(e)
		}
		seen[key] = true
		picked = append(picked, i)
		edits = append(edits, fx.Edits...)
	}
	return picked, edits
}

// editsKey is a map key for a list of edits, equal for equal lists.
func editsKey(es []Edit) string {
	var b strings.Builder
	for _, e := range es {
		fmt.Fprintf(&b, "%d,%d,%d:%s;", e.Start, e.End, len(e.New), e.New)
	}
	return b.String()
}

// editTable marks which fix owns each byte of a text and where insertions
// were picked, answering editsOverlap against every picked edit at once.
type editTable struct {
	owner  []int32 // owner[i]: the picked edit that replaces byte i (from 1), 0 when none
	insert []bool  // insert[p]: a picked insertion at offset p
	edits  int32   // edits picked so far
}

func newEditTable(n int) *editTable {
	return &editTable{owner: make([]int32, n), insert: make([]bool, n+1)}
}

// overlaps reports whether e overlaps a picked edit (see editsOverlap).
func (t *editTable) overlaps(e Edit) bool {
	if e.Start == e.End {
		p := e.Start
		// Another insertion at p, or a replacement around p.
		return t.insert[p] || (p > 0 && p < len(t.owner) && t.owner[p-1] != 0 && t.owner[p-1] == t.owner[p])
	}
	for i := e.Start; i < e.End; i++ {
		if t.owner[i] != 0 {
			return true
		}
	}
	// A picked insertion strictly inside e.
	for p := e.Start + 1; p < e.End; p++ {
		if t.insert[p] {
			return true
		}
	}
	return false
}

// take marks e as picked.
func (t *editTable) take(e Edit) {
	if e.Start == e.End {
		t.insert[e.Start] = true
		return
	}
	t.edits++
	for i := e.Start; i < e.End; i++ {
		t.owner[i] = t.edits
	}
}
