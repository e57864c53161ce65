package fix

import (
	"github.com/huntlint/huntlint/linter"
	"github.com/huntlint/huntlint/rules"
)

// Relinter returns a Options.Relint function that lints the new text of a
// file with the same checks, catalog and configuration as opts. Loader
// problems always come back as load-error findings, even when that check is
// not selected, so that a fix that would break a file is always undone.
func Relinter(opts linter.Options) func(path string, src []byte) ([]linter.Finding, error) {
	return func(path string, src []byte) ([]linter.Finding, error) {
		var probs []rules.Problem
		o := opts
		o.Jobs = 1
		o.Load = func(p string) ([]*rules.Rule, []rules.Problem) {
			rs, ps := rules.LoadBytes(p, src)
			probs = ps
			return rs, ps
		}
		res, err := linter.Run([]string{path}, o)
		if err != nil {
			return nil, err
		}
		fs := res.Findings
		seen := false
		for i := range fs {
			if fs[i].Check == linter.LoadErrorID {
				seen = true
			}
		}
		if !seen {
			for _, p := range probs {
				fs = append(fs, linter.ProblemFinding(path, p, o.Config))
			}
		}
		return fs, nil
	}
}
