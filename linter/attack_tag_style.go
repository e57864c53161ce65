package linter

import (
	"strings"

	"github.com/huntlint/huntlint/mapper"
	"github.com/huntlint/huntlint/rules"
)

var attackTagStyleDoc = &Doc{
	ID:       "attack-tag-style",
	Category: "attack",
	Severity: SeverityWarning,
	Summary:  "a resolvable reference not in the canonical spelling of its field",
	Why: "Sigma tags are lower case with hyphenated tactic shortnames (attack.t1059.001, " +
		"attack.defense-evasion); Sentinel writes technique IDs in upper case and tactics in " +
		"PascalCase (T1059.001, CredentialAccess). Tools that compare tags as strings (Sigma " +
		"backends, Sentinel's schema validation, grep) miss the other spellings. The Sigma tactic " +
		"style is configurable (sigma { tactic_style = \"hyphen\" | \"underscore\" | \"any\" }). Free " +
		"text (comments, Markdown) is never style-checked.",
	Bad: "title: Obfuscated Command Line\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: windows\n" +
		"detection:\n" +
		"    selection:\n" +
		"        CommandLine|contains: ' -enc '\n" +
		"    condition: selection\n" +
		"tags:\n" +
		"    - attack.defense_evasion\n" +
		"    - attack.T1027\n",
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
	Fix:     FixSafe,
	FixDoc:  "Rewrites the reference in the canonical spelling; it names the same object, so the fix is safe.",
	Formats: []rules.Format{rules.FormatSigma, rules.FormatSentinel},
}

type attackTagStyle struct{}

func (attackTagStyle) Doc() *Doc { return attackTagStyleDoc }

func (attackTagStyle) Run(ctx *Context) {
	style := ctx.TacticStyle()
	dups := duplicateRefs(ctx) // removed by attack-duplicate-tag's fix instead
	for _, ri := range ctx.Refs() {
		o := ri.Object
		// renamed tactics are attack-renamed-tactic's
		if !ri.Structured() || o == nil || o.Status == mapper.StatusRevoked || ri.Former != nil || dups[ri.Ref] != nil {
			continue
		}
		ref := ri.Ref
		want := Spell(ref, o, style)
		if ref.Text == want || want == "" {
			continue
		}
		if style == TacticAny && ref.Source == rules.SourceSigmaTag && o.Type == mapper.TypeTactic &&
			ref.Text == strings.ReplaceAll(want, "-", "_") {
			continue
		}
		fix, why := heldBack(ctx, replaceFix(ref, want, FixSafe), o)
		ctx.Reportf(ref.Span, fix, "%q is not in canonical style; write %s%s", ref.Text, want, why)
	}
}
