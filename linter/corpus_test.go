package linter

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/huntlint/huntlint/internal/testshared"
	"github.com/huntlint/huntlint/mapper"
	"github.com/huntlint/huntlint/rules"
)

// TestCorpusGoldenSigmaHQ lints the SigmaHQ corpus (tagged for ATT&CK 18) with
// every check against the 18.1 catalog and compares every error and warning
// of the ATT&CK, load and meta checks with testdata/corpus/sigmahq.golden,
// which was reviewed line by line: in the rules* folders only untagged rules
// and one tag of a data source deprecated in v18 remain; deprecated/ and
// unsupported/ hold the real tag problems (underscore tactics, revoked and
// deprecated techniques, tactic mismatches). The Sigma structure checks have
// their own corpus test. Regenerate with -update and review the diff.
func TestCorpusGoldenSigmaHQ(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus test in -short mode")
	}
	cat := testCatalog(t)
	if r, _ := cat.Release(mapper.Enterprise); r.Version != "18.1" {
		t.Skipf("catalog release %q: the golden file is for ATT&CK 18.1", r.Version)
	}
	dir := testshared.Corpus(t, "sigmahq-2026-04-28")
	files, probs := rules.Discover([]string{dir}, rules.DiscoverOptions{})
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	res, err := Run(files, Options{Catalog: cat, Config: &Config{}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Rules < 4000 {
		t.Errorf("%d rules loaded, want the corpus' 4,002 or more", res.Rules)
	}
	var kept []Finding
	for _, f := range res.Findings {
		rel, _ := filepath.Rel(dir, f.Path)
		rel = filepath.ToSlash(rel)
		inRules := strings.HasPrefix(rel, "rules")
		if inRules && f.Check == LoadErrorID {
			t.Errorf("load error in a clean folder: %s", FormatFinding(f))
		}
		if inRules && f.Severity == SeverityError && strings.HasPrefix(f.Check, "attack-") {
			t.Errorf("ATT&CK error in a clean folder: %s", FormatFinding(f))
		}
		if f.Severity >= SeverityWarning && !strings.HasPrefix(f.Check, "sigma-") && !strings.HasPrefix(f.Check, "sentinel-") {
			kept = append(kept, f)
		}
	}
	got := formatGolden(dir, kept)
	golden := filepath.Join("testdata", "corpus", "sigmahq.golden")
	if *update {
		if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	checkGolden(t, golden, got)
}
