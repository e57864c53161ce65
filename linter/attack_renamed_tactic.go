package linter

var attackRenamedTacticDoc = &Doc{
	ID:       "attack-renamed-tactic",
	Category: "attack",
	Severity: SeverityWarning,
	Summary:  "a tactic written by the name it had before the loaded ATT&CK release renamed it",
	Why: "ATT&CK sometimes renames a tactic and keeps its ID: release 19 calls TA0005 Stealth " +
		"(stealth), not Defense Evasion (defense-evasion). Layers, Sentinel's schema and tools " +
		"that compare tags as strings only know the new name, so the old one lands nowhere. " +
		"huntlint recognises the old name from the release it embeds when a newer bundle is " +
		"loaded with --catalog (or from the cache), and names the tactic it stands for.",
	Bad: "title: Event Log Cleared\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: windows\n" +
		"detection:\n" +
		"    selection:\n" +
		"        CommandLine|contains: 'wevtutil cl'\n" +
		"    condition: selection\n" +
		"tags:\n" +
		"    - attack.defense-evasion\n" +
		"    - attack.t1070.001\n",
	Good: "title: Event Log Cleared\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: windows\n" +
		"detection:\n" +
		"    selection:\n" +
		"        CommandLine|contains: 'wevtutil cl'\n" +
		"    condition: selection\n" +
		"tags:\n" +
		"    - attack.stealth\n" +
		"    - attack.t1070.001\n",
	ExampleCatalog: "v19",
	Fix:            FixSafe,
	FixDoc:         "Rewrites the tactic with its current name in the field's style (or removes it when the rule already lists that tactic). The ID is the same, so the fix is safe.",
}

type attackRenamedTactic struct{}

func (attackRenamedTactic) Doc() *Doc { return attackRenamedTacticDoc }

func (attackRenamedTactic) Run(ctx *Context) {
	style := ctx.TacticStyle()
	for _, ri := range ctx.Refs() {
		if ri.Former == nil || ri.Object == nil {
			continue
		}
		ref := ri.Ref
		var fix *Fix
		if ri.Structured() {
			if listedAs(ctx, ri, ri.Object) {
				fix = deleteRefFix(ctx.Rule, ref, FixSafe)
			} else {
				fix = replaceFix(ref, Spell(ref, ri.Object, style), FixSafe)
			}
		}
		fix, why := heldBack(ctx, fix, ri.Object)
		ctx.Reportf(ref.Span, fix, "%s is %s, which %s renamed from %s to %s; write %s%s",
			ref.Text, ri.Object.ID, ReleaseName(ctx.Catalog, ri.Object.Domain),
			ri.Former.Name, ri.Object.Name, describe(ctx.Catalog, ref, ri.Object, style), why)
	}
}
