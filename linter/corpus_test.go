package linter

import (
	"fmt"
	"github.com/huntlint/huntlint/internal/golden"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/huntlint/huntlint/internal/testshared"
	"github.com/huntlint/huntlint/mapper"
	"github.com/huntlint/huntlint/rules"
)

// corpusDefaultRun lints a shared corpus as `huntlint lint` does by default
// (the default checks, the 18.1 catalog, no configuration) and compares
// every error and warning with testdata/corpus/<golden>, reviewed line by
// line: each is a true problem of the corpus. Infos are counted per check
// at the end of the golden file (they stay visible; --min-severity hides
// them). Regenerate with -update and review the diff.
func corpusDefaultRun(t *testing.T, archive, goldenName string, minRules int) (string, []Finding) {
	t.Helper()
	if testing.Short() {
		t.Skip("corpus test in -short mode")
	}
	cat := testCatalog(t)
	if r, _ := cat.Release(mapper.Enterprise); r.Version != "18.1" {
		t.Skipf("catalog release %q: the golden file is for ATT&CK 18.1", r.Version)
	}
	dir := testshared.Corpus(t, archive)
	res, err := Lint([]string{dir}, Options{Catalog: cat, Config: &Config{}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Rules < minRules {
		t.Errorf("%d rules loaded, want %d or more", res.Rules, minRules)
	}
	for _, c := range res.Checks {
		if c.Doc().Group != "" {
			t.Errorf("opt-in check %s runs by default", c.Doc().ID)
		}
	}
	var kept []Finding
	infos := map[string]int{}
	for _, f := range res.Findings {
		if f.Severity >= SeverityWarning {
			kept = append(kept, f)
		} else {
			infos[f.Check]++
		}
	}
	var b strings.Builder
	b.WriteString(formatGolden(dir, kept))
	ids := make([]string, 0, len(infos))
	for id := range infos {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		fmt.Fprintf(&b, "# %d info [%s]\n", infos[id], id)
	}
	fmt.Fprintf(&b, "# %d files, %d rules\n", res.Files, res.Rules)
	path := filepath.Join("testdata", "corpus", goldenName)
	golden.File(t, path, []byte(b.String()))
	return dir, res.Findings
}

// TestCorpusGoldenSigmaHQ: SigmaHQ's rules* folders pass SigmaHQ's own CI,
// and the default run reports there only the one tag of a data source
// deprecated in v18 (attack.ds0005, WMI) and one title that an active rule
// shares with an experimental copy in unsupported/. deprecated/ and
// unsupported/ hold the real problems: underscore tactics, revoked and
// deprecated techniques, tactic mismatches, Sigma 1 dates (YYYY/MM/DD),
// conditions and modifiers of old rules. Untagged compliance,
// threat-hunting and emerging-threat rules are not reported
// (attack-missing-technique is opt-in), nor are the titles that retired
// rules (status deprecated or unsupported) share with the rules that
// replaced them.
func TestCorpusGoldenSigmaHQ(t *testing.T) {
	dir, fs := corpusDefaultRun(t, "sigmahq-2026-04-28", "sigmahq.golden", 4000)
	for _, f := range fs {
		rel, _ := filepath.Rel(dir, f.Path)
		if !strings.HasPrefix(filepath.ToSlash(rel), "rules") || f.Severity < SeverityWarning {
			continue
		}
		if f.Check == LoadErrorID || f.Severity == SeverityError {
			t.Errorf("error in a clean folder: %s", FormatFinding(f))
		}
		copyOutside := f.Check == "sigma-duplicate-title" && strings.Contains(f.Message, "used by "+filepath.Join(dir, "unsupported"))
		if f.Check != "attack-deprecated" && !copyOutside {
			t.Errorf("warning in a clean folder: %s", FormatFinding(f))
		}
	}
}

// TestCorpusGoldenReprise99: reprise99's Sentinel and Defender queries
// (.kql) name no technique, which is not a finding by default; the one
// error left is a .kql file that holds a workbook's JSON, not KQL.
func TestCorpusGoldenReprise99(t *testing.T) {
	corpusDefaultRun(t, "reprise99-sentinel-queries", "reprise99.golden", 462)
}

// TestCorpusGoldenM365: the Microsoft 365 Defender hunting queries; the
// one error is a link to a revoked technique (T1170).
func TestCorpusGoldenM365(t *testing.T) {
	corpusDefaultRun(t, "m365-defender-hunting-queries", "m365.golden", 269)
}

// TestCorpusGoldenBertJanP: Bert-JanP's Markdown hunting queries. Left:
// revoked techniques (T1574.002, twice), a deprecated data source (DS0002),
// and KQL that does not parse, each checked by hand: comments wrapped onto
// a code line (LocalAccountCreated, RareISOFile), a missing "or"
// (netsupportrat_fin7), prose after a statement (RegexExamples), pipes
// lost (AIREffectiveness), a let without ";" (TotalEventsByTable), an
// externaldata schema cut by a stray ")" (LeaksiteMontitoring). Blocks that
// start with "|", lines to append to another query, are not queries and
// not parsed.
func TestCorpusGoldenBertJanP(t *testing.T) {
	corpusDefaultRun(t, "bertjan-hunting-queries-2026-04-13", "bertjan.golden", 440)
}

// TestCorpusRulesLoad keeps the corpus loaders honest: every SigmaHQ file
// of the rules* folders loads.
func TestCorpusRulesLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus test in -short mode")
	}
	dir := testshared.Corpus(t, "sigmahq-2026-04-28")
	files, probs := rules.Discover([]string{filepath.Join(dir, "rules")}, rules.DiscoverOptions{})
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	_, lp := rules.LoadAll(files, 0)
	for _, p := range lp {
		t.Errorf("%s:%d:%d: %s", p.Path, p.Line, p.Column, p.Message)
	}
}
