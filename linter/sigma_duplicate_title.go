package linter

import (
	"fmt"

	"github.com/huntlint/huntlint/mapper"
	"github.com/huntlint/huntlint/rules"
)

// sigmaDuplicateTitle reports the same title in two or more Sigma rules.
type sigmaDuplicateTitle struct{}

var sigmaDuplicateTitleDoc = &Doc{
	ID:       "sigma-duplicate-title",
	Category: "sigma",
	Severity: SeverityWarning,
	Summary:  "two Sigma rules of the set share one title",
	Why: "The title is what an analyst sees in the alert queue. Two rules with one title produce alerts that cannot be " +
		"told apart, and usually mean a copied rule that was not renamed. Each place is reported.",
	Bad:     "# a.yml\ntitle: Suspicious Whoami Execution\n# b.yml\ntitle: Suspicious Whoami Execution\n",
	Good:    "# a.yml\ntitle: Suspicious Whoami Execution\n# b.yml\ntitle: Suspicious Whoami Execution From Office\n",
	Formats: []rules.Format{rules.FormatSigma},
}

func (sigmaDuplicateTitle) Doc() *Doc { return sigmaDuplicateTitleDoc }

// Run does nothing per rule; the check looks across the set.
func (sigmaDuplicateTitle) Run(*Context) {}

func (sigmaDuplicateTitle) RunSet(rs []*rules.Rule, _ *mapper.Catalog, _ *Config, report func(Finding)) {
	reportDuplicates(rs, rules.FormatSigma, "title", sigmaDuplicateTitleDoc, func(v string) string { return v }, report,
		func(v, others string) string {
			return fmt.Sprintf("title %q is also used by %s; make the titles tell the rules apart", v, others)
		})
}
