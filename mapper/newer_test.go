package mapper

import (
	"testing"
	"time"
)

// day is 2026-12-07, thirteen months after the embedded 18.1 release
// (modified 2025-11-12).
var day = time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)

func embeddedAt(t *testing.T, now time.Time) *Catalog {
	t.Helper()
	c, err := Open(Options{Offline: true, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestReleaseAge(t *testing.T) {
	c := embeddedAt(t, day)
	rel, age, ok := c.Oldest()
	if !ok || rel.Domain != Enterprise {
		t.Fatalf("Oldest: %v %v", rel, ok)
	}
	if got := AgeText(age); got != "13 months" {
		t.Errorf("age %v = %q, want 13 months", age, got)
	}
	if got, want := rel.Describe(day), "ATT&CK 18.1 (November 2025, 13 months old)"; got != want {
		t.Errorf("Describe = %q, want %q", got, want)
	}
	if got := c.ReleasesSince(); got != 3 {
		t.Errorf("ReleasesSince = %d, want 3 (13 months, a release each 6)", got)
	}
	// A day after the release: one release may have followed, no more.
	if got := embeddedAt(t, time.Date(2025, 11, 20, 0, 0, 0, 0, time.UTC)).ReleasesSince(); got != 1 {
		t.Errorf("ReleasesSince a week after the release = %d, want 1", got)
	}
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{{24 * time.Hour, "1 day"}, {12 * 24 * time.Hour, "12 days"}, {75 * 24 * time.Hour, "2 months"}, {800 * 24 * time.Hour, "2 years"}} {
		if got := AgeText(tc.d); got != tc.want {
			t.Errorf("AgeText(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
	if _, ok := (Release{Modified: "soon"}).Date(); ok {
		t.Error("a bad modified stamp has a date")
	}
}

func TestNewerRef(t *testing.T) {
	c := embeddedAt(t, day)
	for _, tc := range []struct {
		typ        ObjectType
		id, name   string
		newer      bool
		after      string
		parentName string
	}{
		{TypeTechnique, "T1685", "", true, "T1681", ""},
		{TypeTechnique, "T1686", "", true, "T1681", ""},
		{TypeTechnique, "T1685.001", "", true, "T1681.001", ""},
		{TypeTechnique, "T1562.014", "", true, "T1562.013", "Impair Defenses"},
		{TypeTechnique, "T1003.009", "", true, "T1003.008", "OS Credential Dumping"},
		// A parent without sub-techniques may get its first.
		{TypeTechnique, "T1005.001", "", true, "", "Data from Local System"},
		// Far past the last: typos, not releases.
		{TypeTechnique, "T1905", "", false, "", ""},
		{TypeTechnique, "T1562.090", "", false, "", ""},
		{TypeTechnique, "T1685.090", "", false, "", ""},
		{TypeTechnique, "T1000", "", false, "", ""},
		{TypeTactic, "TA0112", "", true, "TA0111", ""},
		{TypeTactic, "TA0190", "", false, "", ""},
		{TypeGroup, "G1060", "", true, "G1053", ""},
		{TypeGroup, "G1900", "", false, "", ""},
		{TypeTactic, "", "stealth", true, "", ""},
		{TypeTactic, "", "attack.stealth", true, "", ""},
		{TypeTactic, "", "Stealth", true, "", ""},
		{TypeTactic, "", "DefenseImpairment", true, "", ""},
		{TypeTactic, "", "defense-impairment", true, "", ""},
		{TypeTactic, "", "Defense Impairment", true, "", ""},
		// Near misses of known tactics stay unknown (with a did-you-mean).
		{TypeTactic, "", "defence-evasion", false, "", ""},
		{TypeTactic, "", "persistance", false, "", ""},
		{TypeTactic, "", "command-control", false, "", ""},
		{TypeTactic, "", "access", false, "", ""},
		{TypeTactic, "", "defense--impairment", false, "", ""},
		{TypeTactic, "", "stealth2", false, "", ""},
	} {
		n, ok := c.NewerRef(tc.typ, tc.id, tc.name)
		if ok != tc.newer {
			t.Errorf("NewerRef(%s %q %q) = %v, want %v", tc.typ, tc.id, tc.name, ok, tc.newer)
			continue
		}
		if !ok {
			continue
		}
		if n.After != tc.after {
			t.Errorf("NewerRef(%s %q %q).After = %q, want %q", tc.typ, tc.id, tc.name, n.After, tc.after)
		}
		if (n.Parent == nil) != (tc.parentName == "") || (n.Parent != nil && n.Parent.Name != tc.parentName) {
			t.Errorf("NewerRef(%s %q).Parent = %v, want %q", tc.typ, tc.id, n.Parent, tc.parentName)
		}
		if n.Release.Version != "18.1" {
			t.Errorf("NewerRef(%s %q).Release = %v", tc.typ, tc.id, n.Release)
		}
	}
}

// TestNewerBoundGrowsWithAge: the same ID is a typo against a fresh catalog
// and plausible against one two years old.
func TestNewerBoundGrowsWithAge(t *testing.T) {
	fresh := embeddedAt(t, time.Date(2025, 11, 20, 0, 0, 0, 0, time.UTC))
	old := embeddedAt(t, time.Date(2027, 11, 20, 0, 0, 0, 0, time.UTC))
	if _, ok := fresh.NewerRef(TypeTechnique, "T1760", ""); ok {
		t.Error("T1760 is newer than a week-old 18.1")
	}
	if _, ok := old.NewerRef(TypeTechnique, "T1760", ""); !ok {
		t.Error("T1760 is not newer than a two-year-old 18.1")
	}
}

func TestNewerReason(t *testing.T) {
	c := embeddedAt(t, day)
	for id, want := range map[string]string{
		"T1685":     "is numbered after its last technique T1681",
		"T1685.001": "is a sub-technique of a technique numbered after its last technique T1681",
		"T1562.014": "is numbered after T1562.013, the last sub-technique of T1562 (Impair Defenses)",
		"T1005.001": "is a sub-technique of T1005 (Data from Local System), which has none there",
	} {
		n, ok := c.NewerRef(TypeTechnique, id, "")
		if !ok {
			t.Errorf("%s not newer", id)
			continue
		}
		if got := n.Reason(); got != want {
			t.Errorf("%s: %q, want %q", id, got, want)
		}
	}
	n, _ := c.NewerRef(TypeTactic, "TA0112", "")
	if got, want := n.Reason(), "is numbered after TA0111, the last tactic of any domain (ATT&CK for ICS)"; got != want || n.Release.Domain != Enterprise {
		t.Errorf("TA0112: %q in %s, want %q in enterprise", got, n.Release.Domain, want)
	}
	n, _ = c.NewerRef(TypeTactic, "", "stealth")
	if got := n.Reason(); got != "is no misspelling of one of its tactics" {
		t.Errorf("stealth: %q", got)
	}
}
