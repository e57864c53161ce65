package linter

import (
	"fmt"
	"slices"
	"strings"

	"github.com/huntlint/huntlint/mapper"
	"github.com/huntlint/huntlint/rules"
)

// sigmaCorrelationReference reports correlation and filter rules whose
// `rules` name rules (by id or name) that are not in the set.
type sigmaCorrelationReference struct{}

var sigmaCorrelationReferenceDoc = &Doc{
	ID:       "sigma-correlation-reference",
	Category: "sigma",
	Severity: SeverityError,
	Summary:  "a correlation or filter rule refers to a rule (by id or name) that is not in the set, or to a name two rules share",
	Why: "A correlation combines the rules it lists and a filter applies to the rules it lists; both find them by " +
		"`id` or `name`. A reference to a rule that is not there (a typo, a renamed rule, a deleted file) makes the " +
		"correlation fail to convert, or the filter silently tune nothing. Lint the folder that holds the referenced rules too.",
	Bad: "title: Many Failed Logons\n" +
		"correlation:\n" +
		"    type: event_count\n" +
		"    rules:\n" +
		"        - failed_logon\n" +
		"    timespan: 10m\n" +
		"    condition:\n" +
		"        gte: 10\n",
	Good: "title: Failed Logon\n" +
		"name: failed_logon\n" +
		"logsource:\n" +
		"    product: windows\n" +
		"    service: security\n" +
		"detection:\n" +
		"    selection:\n" +
		"        EventID: 4625\n" +
		"    condition: selection\n" +
		"---\n" +
		"title: Many Failed Logons\n" +
		"correlation:\n" +
		"    type: event_count\n" +
		"    rules:\n" +
		"        - failed_logon\n" +
		"    timespan: 10m\n" +
		"    condition:\n" +
		"        gte: 10\n",
	Formats: []rules.Format{rules.FormatSigma},
}

func (sigmaCorrelationReference) Doc() *Doc { return sigmaCorrelationReferenceDoc }

// Run does nothing per rule; the check looks across the set.
func (sigmaCorrelationReference) Run(*Context) {}

func (sigmaCorrelationReference) RunSet(rs []*setRule, _ *mapper.Catalog, _ *Config, report SetReport) {
	ids := map[string]bool{}
	names := map[string]bool{}
	nameAt := map[string][]string{} // name -> "path:line" of each rule defining it
	var all []string
	for _, r := range rs {
		if r.id.ok {
			ids[strings.ToLower(r.id.value)] = true
		}
		if v := r.name; v != nil {
			at := fmt.Sprintf("%s:%d", r.Path, v.line())
			if !slices.Contains(nameAt[v.value], at) { // rules of one Sigma 1 collection share nodes
				nameAt[v.value] = append(nameAt[v.value], at)
			}
			names[v.value] = true
			all = append(all, v.value)
		}
	}
	for _, r := range rs {
		refs := r.refs
		if refs == nil || !refs.listed {
			continue // not a correlation or filter, or sigma-missing-field
		}
		section := refs.section
		if refs.kind != "" {
			report.Reportf(r, refs.at.span(), nil, "%q in %q is %s; expected a list of rule ids or names", "rules", section, refs.kind)
			continue
		}
		for _, n := range refs.list {
			v := n.value
			if at := nameAt[v]; len(at) > 1 && !ids[strings.ToLower(v)] {
				report.Reportf(r, n.at.span(), nil, "%s rule refers to name %q, which %d rules define (%s); give each rule a unique name", section, v, len(at), strings.Join(at, ", "))
				continue
			}
			if ids[strings.ToLower(v)] || names[v] {
				continue
			}
			what := "name"
			if isUUID(v) {
				what = "id"
			}
			report.Reportf(r, n.at.span(), nil, "%s rule refers to %s %q, but no rule in the set has it%s; fix the reference or lint the folder that holds that rule",
				section, what, v, suggestName(v, all))
		}
	}
}
