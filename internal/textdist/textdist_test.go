package textdist

import "testing"

func TestLevenshtein(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"", "abc", 3},
		{"abc", "", 3},
		{"t1059.1", "t1059.001", 2},
		{"T1059.01", "T1059.001", 1},
		{"kitten", "sitting", 3},
		{"flaw", "lawn", 2},
		{"défense", "defense", 1}, // one character, two bytes
		{"same", "same", 0},
	}
	for _, tt := range tests {
		if got := Levenshtein(tt.a, tt.b); got != tt.want {
			t.Errorf("Levenshtein(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := Levenshtein(tt.b, tt.a); got != tt.want {
			t.Errorf("Levenshtein(%q, %q) = %d, want %d (not symmetric)", tt.b, tt.a, got, tt.want)
		}
	}
}

func TestNearest(t *testing.T) {
	cands := []string{"warning", "error", "info", "Warn"}
	for _, tc := range []struct {
		s      string
		max    int
		fold   bool
		want   string
		wantOK bool
	}{
		{"eror", 2, false, "error", true},
		{"warnin", 1, false, "warning", true},
		{"WARN", 0, true, "Warn", true},
		{"WARN", 0, false, "", false},
		{"xyz", 2, false, "", false},
		{"error", 3, false, "", false}, // the same word is skipped; the others are 4 or more away
	} {
		got, ok := Nearest(tc.s, cands, tc.max, tc.fold)
		if got != tc.want || ok != tc.wantOK {
			t.Errorf("Nearest(%q, %d, %v) = %q %v, want %q %v", tc.s, tc.max, tc.fold, got, ok, tc.want, tc.wantOK)
		}
	}
	// Ties go to the alphabetically first candidate, whatever the order.
	if got, _ := Nearest("cat", []string{"cot", "bat"}, 1, false); got != "bat" {
		t.Errorf("tie: %q", got)
	}
}

func TestNearestCaseFirst(t *testing.T) {
	// "Level" is one edit from "level" and from "Levels"; CaseFirst takes the
	// candidate equal but for case, even after a closer-looking one.
	cands := []string{"Levels", "level"}
	if got, _ := Nearest("Level", cands, 2, false); got != "Levels" {
		t.Errorf("without CaseFirst: %q, want Levels", got)
	}
	if got, _ := Nearest("Level", cands, 2, false, CaseFirst()); got != "level" {
		t.Errorf("CaseFirst: %q, want level", got)
	}
	// The first candidate equal but for case wins, ignoring MinLength.
	if got, _ := Nearest("ID", []string{"x", "Id", "id"}, 0, false, CaseFirst(), MinLength(5)); got != "Id" {
		t.Errorf("CaseFirst with MinLength: %q, want Id", got)
	}
}

func TestNearestMinLength(t *testing.T) {
	cands := []string{"date", "dates2"}
	if got, _ := Nearest("dat", cands, 2, false); got != "date" {
		t.Errorf("without MinLength: %q, want date", got)
	}
	if got, _ := Nearest("dat", cands, 3, false, MinLength(5)); got != "dates2" {
		t.Errorf("MinLength(5): %q, want dates2", got)
	}
	if got, ok := Nearest("dat", cands, 2, false, MinLength(5)); ok {
		t.Errorf("MinLength(5) within 2: %q, want none", got)
	}
	// Length is counted in characters: "défen" has five.
	if got, _ := Nearest("defen", []string{"défen"}, 1, false, MinLength(5)); got != "défen" {
		t.Errorf("MinLength counts characters: %q", got)
	}
}

func TestNearestPrefixOneEdit(t *testing.T) {
	cands := []string{"output", "quiet"}
	if got, ok := Nearest("out", cands, 2, false); ok {
		t.Errorf("without PrefixOneEdit: %q, want none (three edits)", got)
	}
	if got, _ := Nearest("out", cands, 2, false, PrefixOneEdit(3)); got != "output" {
		t.Errorf("PrefixOneEdit(3): %q, want output", got)
	}
	// Too short a prefix is measured by edits alone.
	if got, ok := Nearest("ou", cands, 2, false, PrefixOneEdit(3)); ok {
		t.Errorf("PrefixOneEdit(3) on %q: %q, want none", "ou", got)
	}
	// A prefix counts as one edit, not zero: a candidate one edit away that
	// sorts first still wins the tie.
	if got, _ := Nearest("form", []string{"format", "farm"}, 2, false, PrefixOneEdit(3)); got != "farm" {
		t.Errorf("prefix tie: %q, want farm", got)
	}
}

func TestNearestInOrder(t *testing.T) {
	cands := []string{"cot", "bat"}
	if got, _ := Nearest("cat", cands, 1, false); got != "bat" {
		t.Errorf("default tie: %q, want bat", got)
	}
	if got, _ := Nearest("cat", cands, 1, false, InOrder()); got != "cot" {
		t.Errorf("InOrder tie: %q, want cot", got)
	}
	// A closer candidate later in the list still wins.
	if got, _ := Nearest("cat", []string{"cots", "cot"}, 2, false, InOrder()); got != "cot" {
		t.Errorf("InOrder: %q, want cot", got)
	}
}
