package linter

import (
	"fmt"

	"github.com/huntlint/huntlint/mapper"
)

var attackNewerReleaseDoc = &Doc{
	ID:       "attack-newer-release",
	Category: "attack",
	Severity: SeverityWarning,
	Summary:  "a reference the catalog lacks that looks like it comes from a newer ATT&CK release",
	Why: "ATT&CK ships a release about every six months and rule sets follow within days, so the " +
		"catalog huntlint reads (embedded, cached or given with --catalog) often trails the rules. A " +
		"technique numbered after the catalog's last one (T1685 against 18.1, whose last is T1681), " +
		"a sub-technique numbered after its parent's last, a TA number after the last tactic, or a " +
		"well-formed tactic name that is no misspelling of a known tactic (attack.stealth, " +
		"DefenseImpairment) is most likely from a newer release, not a typo. It is reported here " +
		"instead of attack-unknown-technique or attack-unknown-tactic, without a did-you-mean, and " +
		"the rule is not judged by the older release: the tactic checks hold back on it and no fix " +
		"writes a tactic into it. How far past the last ID counts as newer grows with the " +
		"catalog's age (docs/catalog.md); an ID far beyond it (T1905) stays a typo. The message names " +
		"the catalog's release and age; the way out is a current catalog.",
	Bad: "title: Security Tool Disabled\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: windows\n" +
		"detection:\n" +
		"    selection:\n" +
		"        CommandLine|contains: ' -enc '\n" +
		"    condition: selection\n" +
		"tags:\n" +
		"    - attack.stealth\n" +
		"    - attack.t1685\n",
	Good: "title: Security Tool Disabled\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: windows\n" +
		"detection:\n" +
		"    selection:\n" +
		"        CommandLine|contains: ' -enc '\n" +
		"    condition: selection\n" +
		"tags:\n" +
		"    - attack.defense-evasion\n" +
		"    - attack.t1562.001\n",
}

type attackNewerRelease struct{}

func (attackNewerRelease) Doc() *Doc { return attackNewerReleaseDoc }

func (attackNewerRelease) Run(ctx *Context) {
	for _, ri := range ctx.Refs() {
		if ri.Newer == nil {
			continue
		}
		ctx.Reportf(ri.Ref.Span, nil, "%q is not in %s and %s: it probably comes from a newer ATT&CK release; %s",
			ri.Ref.Text, ri.Newer.Release.Describe(ctx.Catalog.Now()), ri.Newer.Reason(), updateAdvice)
	}
}

// updateAdvice is how a user gets a current catalog.
const updateAdvice = "run huntlint catalog update, or pass --catalog with the current bundle"

// Ahead reports whether the rule holds a reference from a newer ATT&CK
// release than the catalog's (see attack-newer-release). Such a rule is not
// judged by the older release: the tactic checks hold back on it, and no fix
// writes a tactic into it.
func (c *Context) Ahead() bool {
	if c.ahead == 0 {
		c.ahead = 1
		for _, ri := range c.Refs() {
			if ri.Newer != nil {
				c.ahead = 2
				break
			}
		}
	}
	return c.ahead == 2
}

// heldBack returns fix, or nil when the rule is ahead of the catalog and fix
// would write o, an object the newer release may have renamed or moved: any
// tactic, and a technique none of whose tactics the rule lists while it
// lists tactics the catalog does not know (ATT&CK 19 moved Impair Defenses
// to its new Defense Impairment tactic and revoked T1562.001 for T1685).
// The second result says why, for the message; "" when fix is kept.
func heldBack(ctx *Context, fix *Fix, o *mapper.Object) (*Fix, string) {
	if fix == nil || o == nil || !ctx.Ahead() {
		return fix, ""
	}
	why := fmt.Sprintf("; not fixed: this rule holds references from a newer ATT&CK release, which may have renamed or moved %s", o.ID)
	if o.Type == mapper.TypeTactic {
		return nil, why
	}
	if o.Type != mapper.TypeTechnique || sharesTactic(o, ctx.listedTactics()) {
		return fix, ""
	}
	for _, ri := range ctx.Refs() {
		if ri.Newer != nil && ri.Newer.Type == mapper.TypeTactic {
			return nil, why
		}
	}
	return fix, ""
}
