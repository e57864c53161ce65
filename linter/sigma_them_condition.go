package linter

import (
	"github.com/huntlint/huntlint/rules"
)

// sigmaThemCondition reports conditions that use "them": "all of them"
// hides which identifiers the rule needs, and "1 of them"/"all of them" over a
// single identifier says less than its name.
type sigmaThemCondition struct{}

var sigmaThemConditionDoc = &Doc{
	ID:       "sigma-them-condition",
	Category: "sigma",
	Severity: SeverityWarning,
	Summary:  "a Sigma condition uses \"all of them\", or \"them\" over a single search identifier",
	Why: "\"all of them\" silently includes every search identifier, so adding a filter later turns it into one more " +
		"required match instead of an exclusion; name the identifiers (`all of selection_*`). \"1 of them\" or " +
		"\"all of them\" with one identifier is just that identifier, written obscurely. pySigma's " +
		"all_of_them_condition and them_condition_with_single_detection validators report the same.",
	Bad: "title: Whoami Execution\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: windows\n" +
		"detection:\n" +
		"    selection_img:\n" +
		"        Image|endswith: '\\whoami.exe'\n" +
		"    selection_cli:\n" +
		"        CommandLine|contains: '/all'\n" +
		"    condition: all of them\n",
	Good: "title: Whoami Execution\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: windows\n" +
		"detection:\n" +
		"    selection_img:\n" +
		"        Image|endswith: '\\whoami.exe'\n" +
		"    selection_cli:\n" +
		"        CommandLine|contains: '/all'\n" +
		"    condition: all of selection_*\n",
	Formats: []rules.Format{rules.FormatSigma},
}

func (sigmaThemCondition) Doc() *Doc { return sigmaThemConditionDoc }

func (sigmaThemCondition) Run(ctx *Context) {
	s := sigmaSearchSection(ctx.Rule)
	if s == nil {
		return
	}
	for i, c := range s.Conditions {
		refs, err := s.Parsed[i].Refs, s.Parsed[i].Err
		if err != nil {
			continue
		}
		for _, ref := range refs {
			if !ref.Them {
				continue
			}
			q := ref.Quant
			sp := scalarSubSpan(ctx.Rule, c, ref.Off, len(ref.Text))
			switch {
			case len(s.Searches) == 1:
				ctx.Reportf(sp, nil, "%q over a single search identifier; write %q", q+" of them", s.Searches[0].Value)
			case q == "all":
				ctx.Reportf(sp, nil, "\"all of them\" requires every search identifier, including filters added later; name them, such as \"all of selection_*\"")
			}
		}
	}
}
