package linter

import (
	"github.com/huntlint/huntlint/linter/sigmacond"
	"github.com/huntlint/huntlint/rules"
)

// sigmaUnusedSearch reports search identifiers that no condition uses.
type sigmaUnusedSearch struct{}

var sigmaUnusedSearchDoc = &Doc{
	ID:       "sigma-unused-search",
	Category: "sigma",
	Severity: SeverityWarning,
	Summary:  "a Sigma search identifier is defined but no condition uses it",
	Why: "A selection or filter that the condition never mentions has no effect. It is usually a filter someone " +
		"meant to exclude (`filter_optional_x` missing from `not 1 of filter_*`) or a renamed selection, so the rule " +
		"alerts on what the author thought was excluded. pySigma reports the same as a dangling detection.",
	Bad: "title: Whoami Execution\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: windows\n" +
		"detection:\n" +
		"    selection:\n" +
		"        Image|endswith: '\\whoami.exe'\n" +
		"    filter:\n" +
		"        User: SYSTEM\n" +
		"    condition: selection\n",
	Good: "title: Whoami Execution\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: windows\n" +
		"detection:\n" +
		"    selection:\n" +
		"        Image|endswith: '\\whoami.exe'\n" +
		"    filter:\n" +
		"        User: SYSTEM\n" +
		"    condition: selection and not filter\n",
	Formats: []rules.Format{rules.FormatSigma},
}

func (sigmaUnusedSearch) Doc() *Doc { return sigmaUnusedSearchDoc }

func (sigmaUnusedSearch) Run(ctx *Context) {
	s := sigmaSearchSection(ctx.Rule)
	if s == nil || len(s.Conditions) == 0 {
		return
	}
	names := s.searchNames()
	used := make(map[string]bool, len(names))
	globbed := map[sigmacond.Ref]bool{} // "them" and patterns already applied
	for i := range s.Conditions {
		refs, err := s.Parsed[i].Refs, s.Parsed[i].Err
		if err != nil {
			return // sigma-condition-error reports it; usage is unknown
		}
		for _, ref := range refs {
			if ref.Them || ref.Pattern {
				key := sigmacond.Ref{Text: ref.Text, Them: ref.Them, Pattern: ref.Pattern}
				if globbed[key] {
					continue
				}
				globbed[key] = true
			}
			for _, n := range s.selects(ref, names) {
				used[n] = true
			}
		}
	}
	for _, k := range s.Searches {
		if !used[k.Value] {
			ctx.Reportf(nodeSpan(ctx.Rule, k), nil, "search identifier %q is not used by the condition; use it (for a filter: \"and not %s\") or remove it", k.Value, k.Value)
		}
	}
}
