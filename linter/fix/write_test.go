package fix

import (
	"os"
	"strings"
	"testing"
)

// TestApplyRefusesReadOnly: a chmod 444 file in a writable folder is
// left as it is and reported, unless Force.
func TestApplyRefusesReadOnly(t *testing.T) {
	dir := t.TempDir()
	a := writeTemp(t, dir, "a.yml", "tags: [X]\n", 0o444)
	b := writeTemp(t, dir, "b.yml", "tags: [X]\n", 0o644)
	sum, err := Apply(lintPaths(t, a, b), Options{Relint: toyRelint})
	if err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, a); got != "tags: [X]\n" {
		t.Errorf("read-only a.yml rewritten: %q", got)
	}
	if got := readFile(t, b); got != "tags: [Y]\n" {
		t.Errorf("b.yml = %q", got)
	}
	if len(sum.Errors) != 1 || sum.Errors[0].Path != a || !strings.Contains(sum.Errors[0].Error(), "read-only") || !strings.Contains(sum.Errors[0].Error(), "--force") {
		t.Errorf("errors %v, want a.yml read-only naming --force", sum.Errors)
	}
	if len(sum.Files) != 1 || sum.Remaining() != 1 {
		t.Errorf("files %d, remaining %d; want 1 and 1", len(sum.Files), sum.Remaining())
	}
	sum, _ = Apply(lintPaths(t, a), Options{Relint: toyRelint, Force: true})
	if got := readFile(t, a); got != "tags: [Y]\n" || len(sum.Errors) != 0 {
		t.Errorf("with Force: %q, errors %v", got, sum.Errors)
	}
	if fi, _ := os.Stat(a); fi.Mode().Perm() != 0o444 {
		t.Errorf("mode %v, want 0444 kept", fi.Mode().Perm())
	}
}
