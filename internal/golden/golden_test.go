package golden

import (
	"os"
	"path/filepath"
	"testing"
)

func TestFirstDiff(t *testing.T) {
	for _, tc := range []struct{ want, got, out string }{
		{"a\nb\n", "a\nb\n", ""},
		{"a\nb\n", "a\nc\n", "first at line 2:\n- b\n+ c"},
		{"a\n", "a\nextra\n", "first at line 2:\n- \n+ extra"},
	} {
		if got := FirstDiff(tc.want, tc.got); got != tc.out {
			t.Errorf("FirstDiff(%q, %q) = %q, want %q", tc.want, tc.got, got, tc.out)
		}
	}
}

// recorder is a testing.TB that records failures instead of failing.
type recorder struct {
	testing.TB
	failed bool
}

func (r *recorder) Errorf(string, ...any) { r.failed = true }
func (r *recorder) Fatalf(string, ...any) { r.failed = true }
func (r *recorder) Helper()               {}

func TestFileComparesAndUpdates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "x.golden")
	r := &recorder{TB: t}
	File(r, path, []byte("one\n"))
	if !r.failed {
		t.Error("a missing golden file passed")
	}
	*Update = true
	File(t, path, []byte("one\n"))
	*Update = false
	if b, err := os.ReadFile(path); err != nil || string(b) != "one\n" {
		t.Fatalf("-update wrote %q, %v", b, err)
	}
	r = &recorder{TB: t}
	File(r, path, []byte("one\n"))
	if r.failed {
		t.Error("equal output failed")
	}
	File(r, path, []byte("two\n"))
	if !r.failed {
		t.Error("different output passed")
	}
}
