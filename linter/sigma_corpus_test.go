package linter

import (
	"github.com/huntlint/huntlint/internal/golden"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/huntlint/huntlint/internal/testshared"
	"github.com/huntlint/huntlint/rules"
)

// corpusYAML returns the YAML files under dir.
func corpusYAML(t testing.TB, dir string) []string {
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && (strings.HasSuffix(p, ".yml") || strings.HasSuffix(p, ".yaml")) {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestSigmaHQCorpus runs the Sigma structure checks over SigmaHQ's rules:
// the rules* folders pass SigmaHQ's own CI, so no error may be reported
// there. Every finding is compared with testdata/sigma-corpus/sigmahq.golden,
// reviewed line by line (regenerate with -update and review the diff);
// counts per check and folder are logged for the record.
func TestSigmaHQCorpus(t *testing.T) {
	dir := testshared.Corpus(t, "sigmahq-2026-04-28")
	files := corpusYAML(t, dir)
	var checks []Check
	for _, c := range structureChecks() {
		if strings.HasPrefix(c.Doc().ID, "sigma-") {
			checks = append(checks, c)
		}
	}
	fs := lintFiles(t, checks, files)
	counts := map[string]int{}
	for _, f := range fs {
		rel, _ := filepath.Rel(dir, f.Path)
		top := strings.SplitN(filepath.ToSlash(rel), "/", 2)[0]
		group := top
		if strings.HasPrefix(top, "rules") {
			group = "rules*"
		}
		counts[group+" "+f.Check+" "+f.Severity.String()]++
		if group == "rules*" && f.Severity == SeverityError {
			t.Errorf("%s:%d:%d: %s [%s]", rel, f.Span.Start.Line, f.Span.Start.Column, f.Message, f.Check)
		}
	}
	// Every finding, reviewed: testdata/sigma-corpus/sigmahq.golden.
	for i := range fs {
		fs[i].Message = strings.ReplaceAll(fs[i].Message, dir+string(filepath.Separator), "")
	}
	SortFindings(fs)
	golden.File(t, filepath.Join("testdata", "sigma-corpus", "sigmahq.golden"), []byte(formatGolden(dir, fs)))
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.Logf("%-60s %d", k, counts[k])
	}
	t.Logf("%d files, %d findings", len(files), len(fs))
}

// BenchmarkSigmaStructureChecks measures the Sigma structure checks alone
// (rules already loaded) over SigmaHQ's corpus.
func BenchmarkSigmaStructureChecks(b *testing.B) {
	dir := testshared.Corpus(b, "sigmahq-2026-04-28")
	files := corpusYAML(b, dir)
	rs, _ := rules.LoadAll(files, 0)
	checks := structureChecks()
	set := setRulesOf(rs, nil)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n := 0
		// Rule by rule, as the runner does, then the cross-file phase.
		for _, r := range rs {
			ctx := &Context{Rule: r, report: func(Finding) { n++ }}
			for _, c := range checks {
				if !c.Doc().AppliesTo(r.Format) {
					continue
				}
				ctx.check = c
				c.Run(ctx)
			}
		}
		for _, c := range checks {
			if sc, ok := c.(SetChecker); ok {
				sc.RunSet(ofFormats(set, c.Doc()), nil, nil, func(Finding) { n++ })
			}
		}
	}
	b.ReportMetric(float64(len(rs)), "rules")
}
