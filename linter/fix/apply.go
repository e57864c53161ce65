package fix

import (
	"fmt"
	"strings"

	"github.com/huntlint/huntlint/internal/yamledit"
	"github.com/huntlint/huntlint/linter"
)

// selectFixes picks, in order, the fixes whose edits are valid and do not
// overlap an edit picked before: the first fix wins a conflict. It returns
// the indexes of the picked fixes and the union of their edits; a fix whose
// edits equal an already picked fix's edits is picked too but adds nothing.
// The bytes and insertion points taken so far are marked in a table of the
// text, so the cost grows with the text and the edits, not their product.
func selectFixes(fixes []*linter.Fix, n int) (picked []int, edits []linter.Edit) {
	seen := map[string]bool{}
	var taken *editTable
outer:
	for i, fx := range fixes {
		if fx == nil || len(fx.Edits) == 0 || yamledit.ValidSet(fx.Edits, n, yamledit.Exclusive) != nil {
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
func editsKey(es []linter.Edit) string {
	var b strings.Builder
	for _, e := range es {
		fmt.Fprintf(&b, "%d,%d,%d:%s;", e.Start, e.End, len(e.New), e.New)
	}
	return b.String()
}

// editTable marks which fix owns each byte of a text and where insertions
// were picked, answering yamledit.Overlaps against every picked edit at once.
type editTable struct {
	owner  []int32 // owner[i]: the picked edit that replaces byte i (from 1), 0 when none
	insert []bool  // insert[p]: a picked insertion at offset p
	edits  int32   // edits picked so far
}

func newEditTable(n int) *editTable {
	return &editTable{owner: make([]int32, n), insert: make([]bool, n+1)}
}

// overlaps reports whether e overlaps a picked edit (see yamledit.Overlaps).
func (t *editTable) overlaps(e linter.Edit) bool {
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
func (t *editTable) take(e linter.Edit) {
	if e.Start == e.End {
		t.insert[e.Start] = true
		return
	}
	t.edits++
	for i := e.Start; i < e.End; i++ {
		t.owner[i] = t.edits
	}
}
