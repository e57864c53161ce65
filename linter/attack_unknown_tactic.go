package linter

import (
	"github.com/huntlint/huntlint/mapper"
)

var attackUnknownTacticDoc = &Doc{
	ID:       "attack-unknown-tactic",
	Category: "attack",
	Severity: SeverityError,
	Summary:  "a tactic that no loaded ATT&CK domain has",
	Why: "Tactic tags group rules into the columns of the ATT&CK matrix. A misspelt or invented " +
		"tactic (attack.defence-evasion, attack.pre-attack) puts the rule in no column at all. " +
		"The message names the nearest tactics of the catalog. In free text only TA#### IDs are " +
		"checked: other words in tactic tables (Ransomware, Vulnerability) are not ATT&CK tactics " +
		"and not meant to be.",
	Bad: "title: Obfuscated Command Line\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: windows\n" +
		"detection:\n" +
		"    selection:\n" +
		"        CommandLine|contains: ' -enc '\n" +
		"    condition: selection\n" +
		"tags:\n" +
		"    - attack.defence-evasion\n" +
		"    - attack.t1027\n",
	Good: "title: Obfuscated Command Line\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: windows\n" +
		"detection:\n" +
		"    selection:\n" +
		"        CommandLine|contains: ' -enc '\n" +
		"    condition: selection\n" +
		"tags:\n" +
		"    - attack.defense-evasion\n" +
		"    - attack.t1027\n",
}

type attackUnknownTactic struct{}

func (attackUnknownTactic) Doc() *Doc { return attackUnknownTacticDoc }

func (attackUnknownTactic) Run(ctx *Context) {
	for _, ri := range ctx.Refs() {
		if ri.Malformed || ri.Newer != nil || ri.Type != mapper.TypeTactic || ri.Object != nil {
			continue
		}
		// A word in free text (a Markdown table row such as "Ransomware") is
		// no tactic reference; a TA#### ID is.
		if !ri.Structured() && ri.ID == "" {
			continue
		}
		ctx.Reportf(ri.Ref.Span, nil, "%q is not a tactic in %s%s", ri.Ref.Text, activeReleaseName(ctx.Catalog),
			didYouMeanObjects(ctx, ri.Ref, mapper.TypeTactic, ri.Ref.Value))
	}
}
