package layer

import (
	"regexp"
	"testing"
)

// TestTechniqueID: Navigator's technique IDs are exactly "T####" and
// "T####.###", upper case, as the layer format's own pattern says.
func TestTechniqueID(t *testing.T) {
	navigator := regexp.MustCompile(`^T\d{4}(?:\.\d{3})?$`)
	for _, s := range []string{
		"T1059", "T1059.001", "T1059.000", "t1059", "T1059.01", "T1059.0001", "T105", "T10590",
		"TA0002", "G0016", " T1059", "T1059 ", "attack.T1059", "T1059/001", "T1059.001.002",
		"T١٠٥٩", "", "T", "M1038", "DS0001", "T1059.", ".001",
	} {
		if got, want := techniqueID(s), navigator.MatchString(s); got != want {
			t.Errorf("techniqueID(%q) = %v, want %v", s, got, want)
		}
	}
}
