package main

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/spf13/pflag"

	"github.com/huntlint/huntlint/mapper/layer"
	"github.com/huntlint/huntlint/rules"
	"github.com/huntlint/huntlint/sigmatest"
)

// evidenceFlags are layer's --evidence and --evidence-weight: coverage
// counted, or weighed, by the rules whose tests pass (huntlint test).
type evidenceFlags struct {
	mode    string
	weights string
}

func (fl *evidenceFlags) declare(f *pflag.FlagSet) {
	f.StringVar(&fl.mode, "evidence", "none", "count rules by test evidence: none, or tested (only rules whose huntlint test tests pass count; see docs/test.md)")
	f.StringVar(&fl.weights, "evidence-weight", "", "weigh rules by test evidence instead, e.g. tested=1,untested=0.5 (implies --evidence tested)")
}

// apply runs the Sigma rules' regression tests and weighs cov by them.
func (fl *evidenceFlags) apply(cov *layer.Coverage, loaded []*rules.Rule) error {
	w := layer.TestedOnly
	switch fl.mode {
	case "none", "":
		if fl.weights == "" {
			return nil
		}
	case "tested":
	default:
		return usageErr(fmt.Errorf("invalid --evidence %q: use none or tested", fl.mode))
	}
	if fl.weights != "" {
		var err error
		if w, err = layer.ParseEvidenceWeights(fl.weights); err != nil {
			return usageErr(fmt.Errorf("--evidence-weight: %w", err))
		}
	}
	rep := sigmatest.Run(context.Background(), loaded, sigmatest.Options{})
	passed := map[string]bool{}
	for _, res := range rep.Results {
		if res.Status == sigmatest.StatusPass && res.Rule != nil {
			passed[evidenceKey(filepath.ToSlash(res.Rule.Path), res.Rule.Start.Line)] = true
		}
	}
	layer.ApplyEvidence(cov, func(path string, line int) bool { return passed[evidenceKey(path, line)] }, w)
	return nil
}

func evidenceKey(path string, line int) string { return fmt.Sprintf("%s:%d", path, line) }
