package linter

import (
	"github.com/huntlint/huntlint/rules"

	"github.com/huntlint/huntlint/mapper"
)

var attackMissingTacticDoc = &Doc{
	ID:       "attack-missing-tactic",
	Category: "attack",
	Severity: SeverityInfo,
	Summary:  "a technique listed in a rule that lists no tactic at all",
	Why: "Sigma's convention tags every technique together with its tactic, and Sentinel's tactics " +
		"field drives the MITRE view of the workspace. Without the tactic, tools that group by tactic " +
		"(the Sentinel MITRE blade, tactic-level reports) miss the rule. When the rule lists some " +
		"tactics but not the technique's, attack-tactic-mismatch reports it.",
	Bad: "title: Suspicious Encoded PowerShell\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: windows\n" +
		"detection:\n" +
		"    selection:\n" +
		"        CommandLine|contains: ' -enc '\n" +
		"    condition: selection\n" +
		"tags:\n" +
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
	Fix:     FixSafe,
	FixDoc:  "Adds the technique's tactic (Sigma: a tag right before the first technique tag, same indentation and quoting; Sentinel: an item of tactics). Safe when the technique has exactly one tactic; when it has several the fix adds the first in matrix order and is unsafe.",
	Formats: []rules.Format{rules.FormatSigma, rules.FormatSentinel},
}

type attackMissingTactic struct{}

func (attackMissingTactic) Doc() *Doc { return attackMissingTacticDoc }

func (attackMissingTactic) Run(ctx *Context) {
	// A rule ahead of the catalog is not judged by the older release.
	if ctx.Ahead() {
		return
	}
	if len(ctx.listedTactics()) > 0 {
		return
	}
	style := ctx.TacticStyle()
	added := false
	for _, ri := range ctx.listedCurrent(mapper.TypeTechnique) {
		o := ri.Live()
		own := tacticObjects(ctx.Catalog, o)
		if len(own) == 0 {
			continue
		}
		var fix *Fix
		if !added {
			app := FixSafe
			if len(own) > 1 {
				app = FixUnsafe
			}
			fix = insertTacticFix(ctx, ri.Ref, own[0], app)
			added = fix != nil
		}
		which := "its tactic"
		if len(own) > 1 {
			which = "one of its tactics"
		}
		ctx.Reportf(ri.Ref.Span, fix, "%s (%s) is listed without its tactic; add %s (%s in %s)",
			ri.Ref.Text, displayName(ctx.Catalog, o), tacticList(ri.Ref, own, style), which, ReleaseName(ctx.Catalog, o.Domain))
	}
}
