package linter

import (
	"fmt"
	"strings"

	"github.com/huntlint/huntlint/mapper"
	"github.com/huntlint/huntlint/rules"
)

// CoverageGroup is the group of the opt-in coverage checks: off by default,
// on with --select coverage or lint { preset = "coverage" }.
const CoverageGroup = "coverage"

var attackMissingTechniqueDoc = &Doc{
	ID:       "attack-missing-technique",
	Category: "attack",
	Group:    CoverageGroup,
	Severity: SeverityWarning,
	Summary:  "a rule or query that names no ATT&CK technique at all (opt-in: coverage group)",
	Why: "Coverage layers count techniques. A rule without a technique cannot appear on an " +
		"ATT&CK Navigator layer, so the detection it provides is invisible in every coverage " +
		"review. Tag the technique the rule detects (huntlint tag proposes one). Sigma filter " +
		"rules, which only modify other rules, are exempt, and a correlation rule inherits the " +
		"techniques of the rules it correlates.",
	Bad: "title: Suspicious Encoded PowerShell\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: windows\n" +
		"detection:\n" +
		"    selection:\n" +
		"        CommandLine|contains: ' -enc '\n" +
		"    condition: selection\n" +
		"tags:\n" +
		"    - attack.execution\n",
	Good: "title: Suspicious Encoded PowerShell\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: windows\n" +
		"detection:\n" +
		"    selection:\n" +
		"        CommandLine|contains: ' -enc '\n" +
		"    condition: selection\n" +
		"tags:\n" +
		"    - attack.execution\n" +
		"    - attack.t1059.001\n",
	Notes: "Opt-in: the check is in the `coverage` group and does not run by default, because many " +
		"well-kept rule sets name no technique on purpose (compliance and threat-hunting rules, rules " +
		"tagged with a group or a CVE only). Run it with `huntlint lint --select coverage` (or " +
		"`--select attack-missing-technique`), or for every run with `lint { preset = \"coverage\" }` " +
		"in `.huntlint.hcl` (see docs/config.md).",
}

type attackMissingTechnique struct{}

func (attackMissingTechnique) Doc() *Doc { return attackMissingTechniqueDoc }

func (attackMissingTechnique) Run(ctx *Context) {
	r := ctx.Rule
	if r.Kind == rules.KindFilter || r.Kind == rules.KindCorrelation {
		return // filters modify other rules; correlations are judged by RunSet
	}
	if hasTechnique(ctx.Refs()) {
		return
	}
	hint := "add the technique it detects"
	if r.Format == rules.FormatSigma {
		hint = "add an attack.tNNNN tag for the technique it detects"
	}
	if ctx.Suggest != nil {
		if o, ok := ctx.Suggest(r, ctx.Catalog); ok && o != nil {
			ref := &rules.Ref{Source: techniqueSource(r.Format)}
			hint = fmt.Sprintf("add the technique it detects, such as %s (the best match by huntlint tag)", describe(ctx.Catalog, ref, o, ctx.TacticStyle()))
		}
	}
	what := "rule"
	if r.Kind == rules.KindQuery {
		what = "query"
	}
	ctx.Reportf(ruleSpan(r), nil, "%s names no ATT&CK technique and cannot appear on a coverage layer; %s", what, hint)
}

// RunSet reports the Sigma correlation rules that name no technique and
// whose correlated rules (followed through correlations of correlations)
// name none either. A correlation whose rules are not all in the set is
// left alone: the missing ones may name a technique
// (sigma-correlation-reference reports them).
func (attackMissingTechnique) RunSet(rs []*setRule, _ *mapper.Catalog, _ *Config, report SetReport) {
	byRef := map[string][]*setRule{} // lower-case id, or name
	var corrs []*setRule
	for _, r := range rs {
		if r.Format != rules.FormatSigma {
			continue
		}
		if id := r.Rule.ID; id != "" {
			byRef[strings.ToLower(id)] = append(byRef[strings.ToLower(id)], r)
		}
		if r.name != nil {
			byRef[r.name.value] = append(byRef[r.name.value], r)
		}
		if r.Kind == rules.KindCorrelation {
			corrs = append(corrs, r)
		}
	}
	// covered reports whether r or a rule it correlates names a technique;
	// known is false when a referenced rule is not in the set.
	state := map[*setRule]int{} // 1: visiting, 2: covered, 3: not covered, 4: unknown
	var covered func(r *setRule) (ok, known bool)
	covered = func(r *setRule) (bool, bool) {
		switch state[r] {
		case 1:
			return false, true // a cycle adds nothing
		case 2:
			return true, true
		case 3:
			return false, true
		case 4:
			return false, false
		}
		if r.technique {
			state[r] = 2
			return true, true
		}
		if r.Kind != rules.KindCorrelation {
			state[r] = 3
			return false, true
		}
		state[r] = 1
		known := true
		for _, ref := range correlated(r) {
			targets := byRef[ref]
			if len(targets) == 0 {
				targets = byRef[strings.ToLower(ref)]
			}
			if len(targets) == 0 {
				known = false
				continue
			}
			for _, t := range targets {
				ok, k := covered(t)
				if ok {
					state[r] = 2
					return true, true
				}
				known = known && k
			}
		}
		state[r] = 3
		if !known {
			state[r] = 4
		}
		return false, known
	}
	for _, r := range corrs {
		if ok, known := covered(r); ok || !known {
			continue
		}
		report.Reportf(r, r.refs.rule.span(), nil, "correlation rule names no ATT&CK technique, nor do the rules it correlates, and cannot appear on a coverage layer; "+
			"add an attack.tNNNN tag for the technique it detects to it or to the rules it correlates")
	}
}

// correlated returns the rule ids and names a correlation rule lists.
func correlated(r *setRule) []string {
	if r.refs == nil {
		return nil
	}
	out := make([]string, len(r.refs.list))
	for i, v := range r.refs.list {
		out[i] = v.value
	}
	return out
}

// resolveAll resolves the ATT&CK references of r.
func resolveAll(cat *mapper.Catalog, r *rules.Rule) []RefInfo {
	out := make([]RefInfo, 0, len(r.Attack))
	for i := range r.Attack {
		out = append(out, resolveRef(cat, &r.Attack[i]))
	}
	return out
}

// hasTechnique reports whether refs name a technique.
func hasTechnique(refs []RefInfo) bool {
	for _, ri := range refs {
		if ri.Type == mapper.TypeTechnique {
			return true
		}
	}
	return false
}

// techniqueSource is the field a technique of a rule in format f is listed in.
func techniqueSource(f rules.Format) rules.RefSource {
	switch f {
	case rules.FormatSigma:
		return rules.SourceSigmaTag
	case rules.FormatSentinel:
		return rules.SourceSentinelTechnique
	}
	return rules.SourceComment
}
