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
