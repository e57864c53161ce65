package linter

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/huntlint/huntlint/internal/attacktest"
	"github.com/huntlint/huntlint/internal/testshared"
	"github.com/huntlint/huntlint/mapper"
)

// TestV19RulesAgainstOlderCatalog lints SigmaHQ retagged for ATT&CK 19 with
// the embedded 18.1 catalog, as a user does whose catalog trails the rules:
// every tag 18.1 lacks is attack-newer-release at its line, nothing else is
// an ATT&CK error and the tactic checks say nothing about those rules
// (linter/fix tests that no safe fix touches them).
func TestV19RulesAgainstOlderCatalog(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus test in -short mode")
	}
	cat := testCatalog(t)
	if r, _ := cat.Release(mapper.Enterprise); r.Version != "18.1" {
		t.Skipf("catalog release %q: this test is about ATT&CK 18.1", r.Version)
	}
	files, newer := attacktest.V19Corpus(t)
	res, err := Run(files, Options{Catalog: cat, Config: &Config{}})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for p, lines := range newer {
		for _, l := range lines {
			want[fmt.Sprintf("%s:%d", p, l)] = true
		}
	}
	got := map[string]bool{}
	tacticChecks := map[string]bool{"attack-tactic-mismatch": true, "attack-missing-tactic": true, "attack-orphan-tactic": true}
	for _, f := range res.Findings {
		switch {
		case f.Check == "attack-newer-release":
			got[fmt.Sprintf("%s:%d", f.Path, f.Span.Start.Line)] = true
			if !strings.Contains(f.Message, "ATT&CK 18.1 (November 2025, 13 months old)") || !strings.Contains(f.Message, "huntlint catalog update") {
				t.Errorf("message without the catalog's age or the way out: %s", FormatFinding(f))
			}
		case strings.HasPrefix(f.Check, "attack-") && f.Severity == SeverityError:
			t.Errorf("ATT&CK error: %s", FormatFinding(f))
		case tacticChecks[f.Check] && newer[f.Path] != nil:
			t.Errorf("a rule ahead of the catalog judged by its tactics: %s", FormatFinding(f))
		}
	}
	var missing, extra []string
	for k := range want {
		if !got[k] {
			missing = append(missing, k)
		}
	}
	for k := range got {
		if !want[k] {
			extra = append(extra, k)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	if len(missing) > 0 || len(extra) > 0 {
		t.Errorf("attack-newer-release: %d expected lines missing (first %v), %d unexpected (first %v)",
			len(missing), first(missing), len(extra), first(extra))
	}
	t.Logf("%d rules retagged, %d attack-newer-release findings", len(newer), len(got))

}

// TestV19RulesAgainstV19Catalog: the same rules against the v19-style
// release they were tagged for lint clean of ATT&CK findings that the 18.1
// rules against 18.1 do not have.
func TestV19RulesAgainstV19Catalog(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus test in -short mode")
	}
	bundle := attacktest.V19Like(t, testshared.File(t, "attack/enterprise-attack-18.1.json.gz"))
	cat, err := mapper.Open(mapper.Options{Paths: []string{bundle}, Offline: true})
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := cat.Release(mapper.Enterprise); r.Version != "19.0" {
		t.Fatalf("v19-style bundle loads as %q", r.Version)
	}
	files, _ := attacktest.V19Corpus(t)
	res, err := Run(files, Options{Catalog: cat.At(testDay), Config: &Config{}})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Findings {
		switch f.Check {
		case "attack-newer-release", "attack-unknown-technique", "attack-unknown-tactic", "attack-revoked",
			"attack-renamed-tactic", "attack-tactic-mismatch", "attack-missing-tactic", "attack-malformed-tag":
			t.Errorf("%s", FormatFinding(f))
		}
		if strings.HasPrefix(f.Check, "attack-") && f.Severity == SeverityError {
			t.Errorf("ATT&CK error: %s", FormatFinding(f))
		}
	}
}

func first(s []string) []string {
	if len(s) > 3 {
		return s[:3]
	}
	return s
}
