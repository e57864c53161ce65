package linter

import (
	"github.com/huntlint/huntlint/rules"

	"github.com/huntlint/huntlint/mapper"
)

var attackOrphanTacticDoc = &Doc{
	ID:       "attack-orphan-tactic",
	Category: "attack",
	Severity: SeverityInfo,
	Summary:  "a listed tactic that none of the listed techniques belongs to",
	Why: "A tactic without a technique of its own often outlives a technique that was removed or " +
		"replaced, or stands for a technique that was forgotten. Coverage reports then count the " +
		"rule under a tactic it does not detect. Rules without any technique are left alone (see " +
		"attack-missing-technique).",
	Bad: "title: Suspicious Encoded PowerShell\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: windows\n" +
		"detection:\n" +
		"    selection:\n" +
		"        CommandLine|contains: ' -enc '\n" +
		"    condition: selection\n" +
		"tags:\n" +
		"    - attack.execution\n" +
		"    - attack.persistence\n" +
		"    - attack.t1059.001\n",
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
	Fix:     FixUnsafe,
	FixDoc:  "Removes the tactic's list item. Unsafe: the tactic may stand for a technique that should be added instead.",
	Formats: []rules.Format{rules.FormatSigma, rules.FormatSentinel},
}

type attackOrphanTactic struct{}

func (attackOrphanTactic) Doc() *Doc { return attackOrphanTacticDoc }

func (attackOrphanTactic) Run(ctx *Context) {
	// A rule ahead of the catalog is not judged by the older release.
	if ctx.Ahead() {
		return
	}
	techs := ctx.listed(mapper.TypeTechnique)
	if len(techs) == 0 {
		return
	}
	covered := map[string]bool{}
	for _, ri := range techs {
		for _, t := range ri.Live().Tactics {
			covered[t] = true
		}
	}
	for _, ri := range ctx.listed(mapper.TypeTactic) {
		t := ri.Live()
		if covered[t.Shortname] {
			continue
		}
		ctx.Reportf(ri.Ref.Span, deleteRefFix(ctx.Rule, ri.Ref, FixUnsafe),
			"%s (%s) is listed, but none of the rule's techniques belongs to it in %s; add a technique of this tactic or remove it",
			ri.Ref.Text, t.Name, ReleaseName(ctx.Catalog, t.Domain))
	}
}
