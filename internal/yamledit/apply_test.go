package yamledit

import "testing"

func TestApply(t *testing.T) {
	src := []byte("0123456789")
	for _, order := range []Order{Exclusive, InOrder} {
		got, err := Apply(src, []Edit{{Start: 8, End: 9, New: "x"}, {Start: 0, End: 2}, {Start: 4, End: 4, New: "++"}}, order)
		if err != nil || string(got) != "23++4567x9" {
			t.Fatalf("order %d: got %q, %v", order, got, err)
		}
		if string(src) != "0123456789" {
			t.Fatal("source modified")
		}
		// An insertion at the start of a replacement goes before it, in
		// either order given.
		for _, es := range [][]Edit{
			{{Start: 2, End: 4, New: "ab"}, {Start: 2, End: 2, New: "<"}},
			{{Start: 2, End: 2, New: "<"}, {Start: 2, End: 4, New: "ab"}},
		} {
			got, err = Apply(src, es, order)
			if err != nil || string(got) != "01<ab456789" {
				t.Fatalf("order %d, %+v: got %q, %v", order, es, got, err)
			}
		}
		// An insertion at the end of a replacement goes after it.
		got, err = Apply(src, []Edit{{Start: 4, End: 4, New: ">"}, {Start: 2, End: 4, New: "ab"}}, order)
		if err != nil || string(got) != "01ab>456789" {
			t.Fatalf("order %d: got %q, %v", order, got, err)
		}
		for _, bad := range [][]Edit{
			{{Start: 1, End: 3}, {Start: 2, End: 4}},
			{{Start: 2, End: 4}, {Start: 2, End: 4}},
			{{Start: 1, End: 5}, {Start: 3, End: 3, New: "x"}},
			{{Start: 0, End: 9}, {Start: 2, End: 3}, {Start: 5, End: 6}},
			{{Start: 5, End: 11}},
			{{Start: 5, End: 4}},
			{{Start: -1, End: 0}},
		} {
			if _, err := Apply(src, bad, order); err == nil {
				t.Errorf("order %d: edits %+v accepted", order, bad)
			}
		}
	}
}

// Two insertions at one offset: an arbitrary order between the fixes of
// different findings, refused with Exclusive; the order one caller built,
// kept with InOrder.
func TestApplySameOffset(t *testing.T) {
	src := []byte("abc")
	es := []Edit{{Start: 3, End: 3, New: "1"}, {Start: 0, End: 0, New: "0"}, {Start: 3, End: 3, New: "2"}}
	if _, err := Apply(src, es, Exclusive); err == nil {
		t.Error("Exclusive: two insertions at offset 3 accepted")
	}
	if err := ValidSet(es, len(src), Exclusive); err == nil {
		t.Error("ValidSet Exclusive: two insertions at offset 3 accepted")
	}
	got, err := Apply(src, es, InOrder)
	if err != nil || string(got) != "0abc12" {
		t.Errorf("InOrder: got %q, %v; want \"0abc12\"", got, err)
	}
	es[0], es[2] = es[2], es[0]
	if got, err := Apply(src, es, InOrder); err != nil || string(got) != "0abc21" {
		t.Errorf("InOrder, swapped: got %q, %v; want \"0abc21\"", got, err)
	}
	// Insertions at one offset are still checked against replacements.
	if _, err := Apply(src, []Edit{{Start: 1, End: 1, New: "x"}, {Start: 1, End: 1, New: "y"}, {Start: 0, End: 2}}, InOrder); err == nil {
		t.Error("InOrder: insertions inside a replacement accepted")
	}
}
