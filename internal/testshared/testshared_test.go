package testshared

import (
	"strings"
	"testing"
)

// recorder is a testing.TB that records Fatalf and Skipf instead of stopping.
type recorder struct {
	testing.TB
	fatal, skip string
}

func (r *recorder) Helper()                           {}
func (r *recorder) Fatalf(format string, args ...any) { r.fatal = format }
func (r *recorder) Skipf(format string, args ...any)  { r.skip = format }

func TestMissingFailsUnderCI(t *testing.T) {
	t.Setenv("CI", "true")
	r := &recorder{TB: t}
	missing(r, "../shared")
	if r.fatal == "" || r.skip != "" {
		t.Fatalf("CI=true: fatal %q, skip %q; want a failure", r.fatal, r.skip)
	}
	if !strings.Contains(r.fatal, "scripts/fetch-corpora.sh") {
		t.Errorf("the failure does not name scripts/fetch-corpora.sh: %q", r.fatal)
	}
}

func TestMissingSkipsOutsideCI(t *testing.T) {
	t.Setenv("CI", "")
	r := &recorder{TB: t}
	missing(r, "../shared")
	if r.skip == "" || r.fatal != "" {
		t.Fatalf("CI unset: fatal %q, skip %q; want a skip", r.fatal, r.skip)
	}
}
