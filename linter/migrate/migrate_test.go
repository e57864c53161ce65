package migrate

import (
	"bytes"
	"github.com/huntlint/huntlint/internal/golden"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/huntlint/huntlint/internal/testshared"
	"github.com/huntlint/huntlint/linter"
	"github.com/huntlint/huntlint/linter/fix"
	"github.com/huntlint/huntlint/mapper"
	"github.com/huntlint/huntlint/rules"
)

func loadCatalog(t testing.TB, path string) *mapper.Catalog {
	t.Helper()
	c, err := mapper.LoadFile(path, "")
	if err != nil {
		t.Fatalf("load %s: %v", path, err)
	}
	return c
}

func miniOptions(t testing.TB) Options {
	return Options{
		From: loadCatalog(t, filepath.Join("..", "..", "testdata", "attack", "mini-18.json")),
		To:   loadCatalog(t, filepath.Join("..", "..", "testdata", "attack", "mini-19.json")),
	}
}

// copyTree copies the files of src (one level) into a new temporary folder.
func copyTree(t *testing.T, src string) (string, []string) {
	t.Helper()
	dst := t.TempDir()
	ents, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, e := range ents {
		if e.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dst, e.Name())
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
	}
	sort.Strings(files)
	return dst, files
}

// TestMigrateMini migrates small rules of every format across the synthetic
// v18 -> v19 fixture bundles: renamed tactic (TA0005 defense-evasion ->
// stealth), new tactic TA0112, T1562.001 revoked by T1685, T1105 moved from
// execution to command-and-control, T1070.003 deprecated.
func TestMigrateMini(t *testing.T) {
	opts := miniOptions(t)
	dir, files := copyTree(t, filepath.Join("..", "..", "testdata", "rules", "migrate-mini"))
	findings := Files(files, opts, 2)
	var report strings.Builder
	for _, f := range findings {
		f.Path = filepath.Base(f.Path)
		report.WriteString(linter.FormatFinding(f) + "\n")
	}
	sum, err := Apply(findings, opts, fix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Errors) != 0 {
		t.Fatalf("errors: %v", sum.Errors)
	}
	var text bytes.Buffer
	_ = sum.WriteTextAs(&text, false, "migrated", "would migrate", "reference", "references")
	report.WriteString("--\n" + text.String())
	golden.File(t, filepath.Join("testdata", "mini.golden"), []byte(report.String()))
	for _, p := range files {
		got, _ := os.ReadFile(p)
		golden.File(t, filepath.Join("..", "..", "testdata", "rules", "migrate-mini-fixed", filepath.Base(p)), got)
		if _, probs := rules.LoadBytes(p, got); len(probs) > 0 {
			t.Errorf("%s no longer loads: %v", p, probs)
		}
	}
	// A second run changes nothing.
	again := Files(files, opts, 2)
	for _, f := range again {
		if f.Fix != nil {
			t.Errorf("second run: %s", linter.FormatFinding(f))
		}
	}
	sum2, _ := Apply(again, opts, fix.Options{})
	if len(sum2.Files) != 0 {
		t.Errorf("second run changed %d files", len(sum2.Files))
	}
	_ = dir
}

// TestMigrateDiffApplies checks that --diff output of a migration applies
// with patch and git apply and gives the migrated files.
func TestMigrateDiff(t *testing.T) {
	opts := miniOptions(t)
	_, files := copyTree(t, filepath.Join("..", "..", "testdata", "rules", "migrate-mini"))
	before := map[string][]byte{}
	for _, p := range files {
		before[p], _ = os.ReadFile(p)
	}
	var diff bytes.Buffer
	sum, err := Apply(Files(files, opts, 1), opts, fix.Options{Diff: &diff})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range files {
		now, _ := os.ReadFile(p)
		if !bytes.Equal(now, before[p]) {
			t.Errorf("--diff wrote %s", p)
		}
	}
	if len(sum.Files) == 0 || !strings.Contains(diff.String(), "+  - DefenseImpairment") {
		t.Errorf("diff lacks the Sentinel change:\n%s", diff.String())
	}
	for _, fc := range sum.Files {
		if _, ok := before[fc.Path]; !ok {
			t.Errorf("changed file %s was not given", fc.Path)
		}
	}
}

// TestMigrateReal migrates the real corpora (SigmaHQ, KQL files, Markdown)
// from ATT&CK 17.1 to 18.1 (real bundles) and checks that only reference
// lines change, every file still loads and a second run is a no-op.
func TestMigrateReal(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus test")
	}
	from := loadCatalog(t, testshared.File(t, "attack/enterprise-attack-17.1-slim.json.gz"))
	to := loadCatalog(t, testshared.File(t, "attack/enterprise-attack-18.1.json.gz"))
	opts := Options{From: from, To: to}
	for _, corpus := range []string{"sigmahq-2026-04-28", "reprise99-sentinel-queries", "m365-defender-hunting-queries"} {
		t.Run(corpus, func(t *testing.T) {
			migrateCorpus(t, testshared.Corpus(t, corpus), opts, "17.1 -> 18.1", 10)
		})
	}
}

// migrateCorpus migrates every rule file under root with opts and checks
// that nothing but files that do not load is left unmigrated, that only
// reference lines change and that a second run is a no-op. It logs up to
// logPerCheck findings of each check and returns the finding counts per
// check and the summary.
func migrateCorpus(t *testing.T, root string, opts Options, label string, logPerCheck int) (map[string]int, fix.Summary) {
	t.Helper()
	files, probs := rules.Discover([]string{root}, rules.DiscoverOptions{})
	if len(probs) > 0 {
		t.Fatalf("discover: %v", probs)
	}
	before := map[string][]byte{}
	for _, p := range files {
		before[p], _ = os.ReadFile(p)
	}
	findings := Files(files, opts, 0)
	counts := map[string]int{}
	loadErrs := map[string]bool{}
	for _, f := range findings {
		counts[f.Check]++
		if f.Check == linter.LoadErrorID {
			loadErrs[f.Path] = true
		} else if counts[f.Check] <= logPerCheck {
			rel, _ := filepath.Rel(root, f.Path)
			f.Path = rel
			t.Log(linter.FormatFinding(f))
		}
	}
	sum, err := Apply(findings, opts, fix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s on %d files: findings %v; %d files changed, %d fixes, %d not migrated", label, len(files), counts, len(sum.Files), sum.Fixed(), len(sum.Errors))
	for _, e := range sum.Errors {
		// Files that do not load are left alone, as they must be.
		if !loadErrs[e.Path] {
			t.Errorf("not migrated: %v", e)
		}
	}
	for _, fc := range sum.Files {
		assertOnlyRefLines(t, fc.Path, before[fc.Path], fc.After)
	}
	for _, f := range Files(files, opts, 0) {
		if f.Fix != nil {
			t.Errorf("second run: %s", linter.FormatFinding(f))
		}
	}
	return counts, sum
}

var reRefLine = regexp.MustCompile(`(?i)attack\.|\bT\d{4}|\bTA\d{4}|^\s*-\s*['"]?[A-Za-z]+['"]?\s*$`)

// assertOnlyRefLines checks that every line that differs between a and b
// holds an ATT&CK reference (a tag, an ID, a Sentinel tactic item).
func assertOnlyRefLines(t *testing.T, path string, a, b []byte) {
	t.Helper()
	al, bl := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	set := map[string]int{}
	for _, l := range al {
		set[l]++
	}
	for _, l := range bl {
		set[l]--
	}
	for l, n := range set {
		if n != 0 && !reRefLine.MatchString(l) {
			t.Errorf("%s: a line without an ATT&CK reference changed: %q", path, l)
		}
	}
}

// TestRespellURL: a link keeps its folder as written and gets the new ID
// path, "/" before the sub-technique; tactic links are not respelled.
func TestRespellURL(t *testing.T) {
	o := &mapper.Object{ID: "T1547.015", Type: mapper.TypeTechnique}
	for u, want := range map[string]string{
		"https://attack.mitre.org/techniques/T1059/001/": "https://attack.mitre.org/techniques/T1547/015/",
		"https://attack.mitre.org/Techniques/T1059.001":  "https://attack.mitre.org/Techniques/T1547/015",
		"https://attack.mitre.org/wiki/Technique/T1086":  "https://attack.mitre.org/wiki/Technique/T1547/015",
		"https://attack.mitre.org/tactics/TA0002":        "",
	} {
		if got := respellID(&rules.Ref{Source: rules.SourceURL, Text: u}, o); got != want {
			t.Errorf("respellID(%q) = %q, want %q", u, got, want)
		}
	}
}
