package linter

import (
	"fmt"

	"github.com/huntlint/huntlint/mapper"
	"github.com/huntlint/huntlint/rules"
)

var attackMissingTechniqueDoc = &Doc{
	ID:       "attack-missing-technique",
	Category: "attack",
	Severity: SeverityWarning,
	Summary:  "a rule or query that names no ATT&CK technique at all",
	Why: "Coverage layers count techniques. A rule without a technique cannot appear on an " +
		"ATT&CK Navigator layer, so the detection it provides is invisible in every coverage " +
		"review. Tag the technique the rule detects (huntlint tag proposes one). Sigma filter " +
		"rules, which only modify other rules, are exempt.",
	Bad:  "title: Suspicious Encoded PowerShell\ntags:\n  - attack.execution\n",
	Good: "title: Suspicious Encoded PowerShell\ntags:\n  - attack.execution\n  - attack.t1059.001\n",
}

type attackMissingTechnique struct{}

func (attackMissingTechnique) Doc() *Doc { return attackMissingTechniqueDoc }

func (attackMissingTechnique) Run(ctx *Context) {
	r := ctx.Rule
	if r.Kind == rules.KindFilter {
		return
	}
	for _, ri := range ctx.Refs() {
		if ri.Type == mapper.TypeTechnique {
			return
		}
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
