package linter

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/huntlint/huntlint/internal/attacktest"
	"github.com/huntlint/huntlint/internal/testshared"
	"github.com/huntlint/huntlint/mapper"
	"github.com/huntlint/huntlint/rules"
)

// v19Corpus unpacks SigmaHQ's rules (tagged for ATT&CK 18) and retags them
// as their authors did for ATT&CK 19 (attacktest.V19Tags). It returns the
// rule files and, per changed file, the lines of tags ATT&CK 18.1 lacks.
func v19Corpus(t *testing.T) (files []string, newer map[string][]int) {
	t.Helper()
	dir := testshared.Corpus(t, "sigmahq-2026-04-28")
	all, probs := rules.Discover([]string{dir}, rules.DiscoverOptions{})
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	newer = map[string][]int{}
	for _, p := range all {
		rel, _ := filepath.Rel(dir, p)
		if !strings.HasPrefix(filepath.ToSlash(rel), "rules") {
			continue
		}
		files = append(files, p)
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out, lines := attacktest.V19Tags(string(src))
		if out == string(src) {
			continue
		}
		if err := os.WriteFile(p, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
		newer[p] = lines
	}
	if len(newer) < 1000 {
		t.Fatalf("only %d rules retagged for ATT&CK 19; SigmaHQ has well over a thousand with attack.defense-evasion", len(newer))
	}
	return files, newer
}

// TestV19RulesAgainstOlderCatalog lints SigmaHQ retagged for ATT&CK 19 with
// the embedded 18.1 catalog, as a user does whose catalog trails the rules:
// every tag 18.1 lacks is attack-newer-release at its line, nothing else is
// an ATT&CK error, the tactic checks say nothing about those rules and no
// safe fix touches them.
func TestV19RulesAgainstOlderCatalog(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus test in -short mode")
	}
	cat := testCatalog(t)
	if r, _ := cat.Release(mapper.Enterprise); r.Version != "18.1" {
		t.Skipf("catalog release %q: this test is about ATT&CK 18.1", r.Version)
	}
	files, newer := v19Corpus(t)
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

	before := map[string]string{}
	for p := range newer {
		b, _ := os.ReadFile(p)
		before[p] = string(b)
	}
	sum, err := ApplyFixes(res.Findings, FixOptions{Relint: Relinter(Options{Catalog: cat, Config: &Config{}})})
	if err != nil {
		t.Fatal(err)
	}
	for _, fc := range sum.Files {
		if _, ok := newer[fc.Path]; ok {
			t.Errorf("fix changed %s, a rule ahead of the catalog", fc.Path)
		}
	}
	for p, b := range before {
		if a, _ := os.ReadFile(p); string(a) != b {
			t.Errorf("%s changed on disk", p)
		}
	}
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
	files, _ := v19Corpus(t)
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
