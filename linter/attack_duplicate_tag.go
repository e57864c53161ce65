package linter

import (
	"strings"

	"github.com/huntlint/huntlint/rules"
)

var attackDuplicateTagDoc = &Doc{
	ID:       "attack-duplicate-tag",
	Category: "attack",
	Severity: SeverityWarning,
	Summary:  "the same reference listed twice in one field (after normalising spelling)",
	Why: "A repeated tag adds nothing, and when the two spellings differ (attack.t1059 and " +
		"attack.T1059) it hides that one of them is wrong. Counted per field: Sigma tags, " +
		"Sentinel tactics and relevantTechniques. Free text may repeat IDs freely.",
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
		"    - attack.t1059.001\n" +
		"    - attack.T1059.001\n",
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
	FixDoc:  "Removes the later list item; the earlier one stays, so the rule names the same objects.",
	Formats: []rules.Format{rules.FormatSigma, rules.FormatSentinel},
}

type attackDuplicateTag struct{}

func (attackDuplicateTag) Doc() *Doc { return attackDuplicateTagDoc }

func (attackDuplicateTag) Run(ctx *Context) {
	dups := duplicateRefs(ctx)
	for _, ri := range ctx.Refs() {
		prev := dups[ri.Ref]
		if prev == nil {
			continue
		}
		what := "listed twice"
		if prev.Text != ri.Ref.Text {
			what = "the same as " + prev.Text
		}
		ctx.Reportf(ri.Ref.Span, deleteRefFix(ctx.Rule, ri.Ref, FixSafe), "%s is %s (line %d); remove this one",
			ri.Ref.Text, what, prev.Span.Start.Line)
	}
}

// duplicateRefs maps each structured reference that repeats an earlier one
// of the same field (after normalising spelling) to that earlier one.
func duplicateRefs(ctx *Context) map[*rules.Ref]*rules.Ref {
	first := map[string]*rules.Ref{}
	dups := map[*rules.Ref]*rules.Ref{}
	for _, ri := range ctx.Refs() {
		// a tactic under its former name is attack-renamed-tactic's: it is
		// removed when the current name is listed too
		if !ri.Structured() || ri.Former != nil {
			continue
		}
		key := string(ri.Ref.Source) + "\x00" + string(ri.Type) + "\x00"
		switch {
		case ri.Object != nil:
			key += ri.Object.ID
		case ri.ID != "":
			key += ri.ID
		default:
			key += strings.NewReplacer("_", "-", " ", "-").Replace(strings.ToLower(ri.Ref.Value))
		}
		if prev, seen := first[key]; seen {
			dups[ri.Ref] = prev
		} else {
			first[key] = ri.Ref
		}
	}
	return dups
}
