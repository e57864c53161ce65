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
		"told apart, and usually mean a copied rule that was not renamed. Each place is reported, naming the first " +
		"rule with the title (the second, at the first) and how many more share it. Rules with status deprecated or " +
		"unsupported are left out: a retired rule keeps the title of the rule that replaced it.",
	Bad: "title: Suspicious Whoami Execution\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: windows\n" +
		"detection:\n" +
		"    selection:\n" +
		"        Image|endswith: '\\whoami.exe'\n" +
		"    condition: selection\n" +
		"---\n" +
		"title: Suspicious Whoami Execution\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: windows\n" +
		"detection:\n" +
		"    selection:\n" +
		"        Image|endswith: '\\whoami.exe'\n" +
		"    condition: selection\n",
	Good: "title: Suspicious Whoami Execution\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: windows\n" +
		"detection:\n" +
		"    selection:\n" +
		"        Image|endswith: '\\whoami.exe'\n" +
		"    condition: selection\n" +
		"---\n" +
		"title: Suspicious Whoami Execution From Office\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: windows\n" +
		"detection:\n" +
		"    selection:\n" +
		"        Image|endswith: '\\whoami.exe'\n" +
		"    condition: selection\n",
	Formats: []rules.Format{rules.FormatSigma},
}

func (sigmaDuplicateTitle) Doc() *Doc { return sigmaDuplicateTitleDoc }

// Run does nothing per rule; the check looks across the set.
func (sigmaDuplicateTitle) Run(*Context) {}

// RunSet reports each rule of a group sharing a title. A message names one
// other place and counts the rest, so that the output grows with the number
// of rules, not with its square.
func (sigmaDuplicateTitle) RunSet(rs []*setRule, _ *mapper.Catalog, _ *Config, report SetReport) {
	active := make([]*setRule, 0, len(rs))
	for _, r := range rs {
		if !r.retired {
			active = append(active, r)
		}
	}
	reportDuplicates(active, titleOf, func(v string) string { return v }, report,
		func(v, others string) string {
			return fmt.Sprintf("title %q is also used by %s; make the titles tell the rules apart", v, others)
		})
}
