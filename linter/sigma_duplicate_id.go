package linter

import (
	"fmt"
	"sort"
	"strings"

	"github.com/huntlint/huntlint/mapper"
	"github.com/huntlint/huntlint/rules"
)

// sigmaDuplicateID reports the same Sigma id in two or more rules of the set.
type sigmaDuplicateID struct{}

var sigmaDuplicateIDDoc = &Doc{
	ID:       "sigma-duplicate-id",
	Category: "sigma",
	Severity: SeverityError,
	Summary:  "two Sigma rules of the set share one id",
	Why: "The id is a rule's identity: SIEM deployments, correlation and filter rules, `related` links and exception " +
		"lists address rules by it. Two rules with one id (usually a copied rule whose id was not regenerated) make " +
		"the second overwrite the first on deployment and make every reference ambiguous. Each place is reported.",
	Bad: "title: Whoami Execution\n" +
		"id: 8d3a4c2e-5f0b-4c1d-9e7a-2b6f1c0d9a31\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: windows\n" +
		"detection:\n" +
		"    selection:\n" +
		"        Image|endswith: '\\whoami.exe'\n" +
		"    condition: selection\n" +
		"---\n" +
		"title: Hostname Execution\n" +
		"id: 8d3a4c2e-5f0b-4c1d-9e7a-2b6f1c0d9a31\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: windows\n" +
		"detection:\n" +
		"    selection:\n" +
		"        Image|endswith: '\\hostname.exe'\n" +
		"    condition: selection\n",
	Good: "title: Whoami Execution\n" +
		"id: 8d3a4c2e-5f0b-4c1d-9e7a-2b6f1c0d9a31\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: windows\n" +
		"detection:\n" +
		"    selection:\n" +
		"        Image|endswith: '\\whoami.exe'\n" +
		"    condition: selection\n" +
		"---\n" +
		"title: Hostname Execution\n" +
		"id: 1f0e6c55-0b7e-4f0e-a5d1-3c2f8e9b7a40\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: windows\n" +
		"detection:\n" +
		"    selection:\n" +
		"        Image|endswith: '\\hostname.exe'\n" +
		"    condition: selection\n",
	Formats: []rules.Format{rules.FormatSigma},
}

func (sigmaDuplicateID) Doc() *Doc { return sigmaDuplicateIDDoc }

// Run does nothing per rule; the check looks across the set.
func (sigmaDuplicateID) Run(*Context) {}

func (sigmaDuplicateID) RunSet(rs []*setRule, _ *mapper.Catalog, _ *Config, report SetReport) {
	reportDuplicates(rs, idOf, func(v string) string { return strings.ToLower(v) }, report,
		func(v, others string) string {
			return fmt.Sprintf("id %q is also used by %s; give one of the rules a new UUID", v, others)
		})
}

// occurrence is one rule's value of a field that must be unique.
type occurrence struct {
	rule *setRule
	v    *setValue
}

// reportDuplicates groups rs (the rules of the check's formats, as the runner
// hands them to RunSet) by the scalar value of field
// (normalised by key) and reports every member of a group of two or more, at
// its own value. The message names one other place (the first holder by path
// and line, or the second for the first) and counts the rest, so that the
// output grows with the number of rules, not with its square.
func reportDuplicates(rs []*setRule, field func(*setRule) *setValue, key func(string) string,
	report SetReport, msg func(value, others string) string) {
	for _, g := range duplicateGroups(rs, field, key) {
		for i, o := range g {
			other := g[0]
			if i == 0 {
				other = g[1]
			}
			others := fmt.Sprintf("%s:%d", other.rule.Path, other.v.line())
			switch n := len(g) - 2; {
			case n == 1:
				others += " and 1 other rule"
			case n > 1:
				others += fmt.Sprintf(" and %d other rules", n)
			}
			report.Reportf(o.rule, o.v.at.span(), nil, "%s", msg(o.v.value, others))
		}
	}
}

// duplicateGroups groups the rules by the scalar value of field
// (normalised by key) and returns the groups of two or more, in the order
// their values first appear, each sorted by path and line.
func duplicateGroups(rs []*setRule, field func(*setRule) *setValue, key func(string) string) [][]occurrence {
	groups := map[string][]occurrence{}
	var order []string
	// Rules merged from one Sigma 1 collection ("action: global") share the
	// global document's nodes: one place, one occurrence. The rules of a
	// file come together, so places are remembered per file: the first
	// value's, and a set from the second on.
	var path string
	var first [2]int
	var seen map[[2]int]bool
	for _, r := range rs {
		v := field(r)
		if !v.ok || strings.TrimSpace(v.value) == "" {
			continue
		}
		at := [2]int{int(v.at.sl), int(v.at.sc)}
		switch {
		case r.Path != path:
			path, first, seen = r.Path, at, nil
		case at == first || seen[at]:
			continue
		default:
			if seen == nil {
				seen = map[[2]int]bool{}
			}
			seen[at] = true
		}
		k := key(v.value)
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], occurrence{r, v})
	}
	var out [][]occurrence
	for _, k := range order {
		g := groups[k]
		if len(g) < 2 {
			continue
		}
		sort.SliceStable(g, func(i, j int) bool {
			if g[i].rule.Path != g[j].rule.Path {
				return g[i].rule.Path < g[j].rule.Path
			}
			return g[i].v.line() < g[j].v.line()
		})
		out = append(out, g)
	}
	return out
}

// idOf and titleOf are the fields of the duplicate checks.
func idOf(r *setRule) *setValue    { return &r.id }
func titleOf(r *setRule) *setValue { return &r.title }
