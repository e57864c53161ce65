package main

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/spf13/pflag"

	"github.com/huntlint/huntlint/mapper"
	"github.com/huntlint/huntlint/mapper/layer"
	"github.com/huntlint/huntlint/rules"
	"github.com/huntlint/huntlint/sigmatest"
)

// evidenceModes are the values of --evidence.
var evidenceModes = []string{"none", "tested"}

// evidenceFlags are layer's --evidence and --evidence-weight: coverage
// counted, or weighed, by the rules whose tests pass (huntlint test).
type evidenceFlags struct {
	mode    string
	weights string
}

func (fl *evidenceFlags) declare(f *pflag.FlagSet) {
	f.StringVar(&fl.mode, "evidence", "none", "count rules by test evidence: none, or tested (only rules whose huntlint test tests pass count; see docs/test.md)")
	choices(f, "evidence", evidenceModes)
	f.StringVar(&fl.weights, "evidence-weight", "", "weigh rules by test evidence instead, e.g. tested=1,untested=0.5 (implies --evidence tested)")
}

// parse returns the evidence weights of the flags, and false when no
// evidence was asked for.
func (fl *evidenceFlags) parse() (layer.EvidenceWeights, bool, error) {
	w := layer.TestedOnly
	switch fl.mode {
	case "none", "":
		if fl.weights == "" {
			return w, false, nil
		}
	case "tested":
	default:
		return w, false, usageErr(fmt.Errorf("invalid --evidence %q: use none or tested", fl.mode))
	}
	if fl.weights != "" {
		var err error
		if w, err = layer.ParseEvidenceWeights(fl.weights); err != nil {
			return w, false, usageErr(fmt.Errorf("--evidence-weight: %w", err))
		}
	}
	return w, true, nil
}

// aggregate loads files and adds their rules to a coverage as they load,
// keeping of each rule only what the coverage needs. With --evidence the
// Sigma rules' regression tests (huntlint test) run on each file where it
// loaded, and the coverage is weighed by those that pass.
func (fl *evidenceFlags) aggregate(cat *mapper.Catalog, files []string, opts layer.Options) (*layer.Coverage, []rules.Problem, error) {
	agg, err := layer.NewAggregator(cat, opts)
	if err != nil {
		return nil, nil, usageErr(err)
	}
	w, evidence, err := fl.parse()
	if err != nil {
		return nil, nil, err
	}
	var work func(*rules.File[[]string])
	if evidence {
		work = func(f *rules.File[[]string]) {
			rep := sigmatest.Run(context.Background(), f.Rules, sigmatest.Options{Jobs: 1})
			for _, res := range rep.Results {
				if res.Status == sigmatest.StatusPass && res.Rule != nil {
					f.Work = append(f.Work, evidenceKey(filepath.ToSlash(res.Rule.Path), res.Rule.Start.Line))
				}
			}
		}
	}
	var problems []rules.Problem
	passed := map[string]bool{}
	rules.Stream(rules.LoadOptions{}, files, 0, work, func(f rules.File[[]string]) {
		for _, r := range f.Rules {
			agg.Add(r)
		}
		problems = append(problems, f.Problems...)
		for _, k := range f.Work {
			passed[k] = true
		}
	})
	cov := agg.Coverage()
	if evidence {
		layer.ApplyEvidence(cov, func(path string, line int) bool { return passed[evidenceKey(path, line)] }, w)
	}
	return cov, problems, nil
}

func evidenceKey(path string, line int) string { return fmt.Sprintf("%s:%d", path, line) }
