package linter

import (
	"github.com/huntlint/huntlint/rules"

	"github.com/huntlint/huntlint/mapper"
)

var attackTacticMismatchDoc = &Doc{
	ID:       "attack-tactic-mismatch",
	Category: "attack",
	Severity: SeverityWarning,
	Summary:  "the rule lists tactics, and a listed technique belongs to none of them",
	Why: "A technique sits under one or more tactics in the catalog. When a rule lists tactics but " +
		"none of a technique's, either the technique is wrong (a typo that names an unrelated " +
		"technique) or a tactic is missing, and the rule lands in the wrong matrix column. The " +
		"tactics come from the loaded catalog, never from a built-in map, so a new ATT&CK release " +
		"that moves a technique is judged correctly. Rules that list no tactic at all are reported " +
		"by attack-missing-tactic instead.",
	Bad: "title: PowerShell Download\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: windows\n" +
		"detection:\n" +
		"    selection:\n" +
		"        CommandLine|contains: ' -enc '\n" +
		"    condition: selection\n" +
		"tags:\n" +
		"    - attack.execution\n" +
		"    - attack.t1059.001\n" +
		"    - attack.t1105\n",
	Good: "title: PowerShell Download\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: windows\n" +
		"detection:\n" +
		"    selection:\n" +
		"        CommandLine|contains: ' -enc '\n" +
		"    condition: selection\n" +
		"tags:\n" +
		"    - attack.execution\n" +
		"    - attack.command-and-control\n" +
		"    - attack.t1059.001\n" +
		"    - attack.t1105\n",
	Fix:     FixUnsafe,
	FixDoc:  "Adds the technique's tactic (Sigma: a tag right before the first technique tag; Sentinel: the first item of tactics). Unsafe even when the technique has a single tactic: the technique itself may be the mistake.",
	Formats: []rules.Format{rules.FormatSigma, rules.FormatSentinel},
}

type attackTacticMismatch struct{}

func (attackTacticMismatch) Doc() *Doc { return attackTacticMismatchDoc }

func (attackTacticMismatch) Run(ctx *Context) {
	// A rule ahead of the catalog is not judged by the older release.
	if ctx.Ahead() {
		return
	}
	tactics := ctx.listedTactics()
	if len(tactics) == 0 {
		return
	}
	style := ctx.TacticStyle()
	added := map[string]bool{}
	for _, ri := range ctx.listedCurrent(mapper.TypeTechnique) {
		o := ri.Live()
		if len(o.Tactics) == 0 || sharesTactic(o, tactics) {
			continue
		}
		own := tacticObjects(ctx.Catalog, o)
		var fix *Fix
		if len(own) == 1 && !added[own[0].Shortname] {
			added[own[0].Shortname] = true
			fix = insertTacticFix(ctx, ri.Ref, own[0], FixUnsafe)
		}
		ctx.Reportf(ri.Ref.Span, fix, "%s (%s) belongs to %s in %s, which this rule does not list; add the tactic or check the technique",
			ri.Ref.Text, displayName(ctx.Catalog, o), tacticList(ri.Ref, own, style), ReleaseName(ctx.Catalog, o.Domain))
	}
}
