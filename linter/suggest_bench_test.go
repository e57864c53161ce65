package linter

import (
	"testing"

	"github.com/huntlint/huntlint/mapper/suggest"
	"github.com/huntlint/huntlint/rules"
)

// BenchmarkLintSigmaHQSuggest is BenchmarkLintSigmaHQ with the tag
// suggester learned from the rules being linted (lint --suggest): the
// difference is the cost of naming suggestions in attack-missing-technique
// (with the coverage preset, which runs that check).
func BenchmarkLintSigmaHQSuggest(b *testing.B) {
	files := sigmaFiles(b)
	cat := testCatalog(b)
	b.ResetTimer()
	defer reportCPU(b)()
	for i := 0; i < b.N; i++ {
		res, err := Run(files, Options{Catalog: cat, Config: &Config{Lint: LintConfig{Preset: CoverageGroup}},
			SuggestFor: func(all []*rules.Rule) TechniqueSuggester {
				s, err := suggest.New(cat, all)
				if err != nil {
					b.Fatal(err)
				}
				return s.Best
			}})
		if err != nil {
			b.Fatal(err)
		}
		if res.Rules < 3748 {
			b.Fatalf("%d rules", res.Rules)
		}
	}
}
