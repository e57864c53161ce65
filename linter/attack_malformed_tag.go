package linter

import (
	"fmt"

	"github.com/huntlint/huntlint/mapper"
	"github.com/huntlint/huntlint/rules"
)

var attackMalformedTagDoc = &Doc{
	ID:       "attack-malformed-tag",
	Category: "attack",
	Severity: SeverityError,
	Summary:  "a reference that is no ATT&CK ID or name at all",
	Why: "A tag such as attack.t1059.1 or T1059-001 matches nothing in ATT&CK: coverage layers, " +
		"SIEM mappings and searches silently drop it, so the rule looks untagged to every tool " +
		"downstream. Technique IDs are T followed by four digits, sub-techniques add a dot and " +
		"three digits. In free text (KQL comments, Markdown) only technique IDs with a mistyped " +
		"separator or sub-technique number are reported; other words are not references.",
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
		"    - attack.t1059.1\n",
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
	Fix:    FixUnsafe,
	FixDoc: "When the spelling is a technique ID with a mistyped separator or unpadded sub-technique number (t1059.1, T1059-001) and that technique exists, it is replaced by the padded ID. Unsafe: t1059.1 may have meant .010 or .100.",
}

type attackMalformedTag struct{}

func (attackMalformedTag) Doc() *Doc { return attackMalformedTagDoc }

func (attackMalformedTag) Run(ctx *Context) {
	for _, ri := range ctx.Refs() {
		if !ri.Malformed {
			continue
		}
		ref := ri.Ref
		// Free text is full of words that merely sit where a tag could
		// (Markdown tables of hunting categories such as "Ransomware");
		// there only a mistyped technique ID is reported.
		if !ri.Structured() && nearTechnique(ref.Value) == "" {
			continue
		}
		msg := fmt.Sprintf("%q is not an ATT&CK ID or name; expected %s", ref.Text, expectedSpelling(ref.Source))
		var fix *Fix
		if near := nearTechnique(ref.Value); near != "" && ctx.Catalog != nil {
			if o, ok := ctx.Catalog.Get(mapper.TypeTechnique, near); ok {
				want := Spell(ref, o, ctx.TacticStyle())
				msg = fmt.Sprintf("%q is not an ATT&CK ID; did you mean %s (%s)?", ref.Text, want, displayName(ctx.Catalog, o))
				var why string
				fix, why = heldBack(ctx, replaceFix(ref, want, FixUnsafe), o)
				msg += why
			}
		}
		ctx.Reportf(ref.Span, fix, "%s", msg)
	}
}

// expectedSpelling says how references are written where source stands.
func expectedSpelling(source rules.RefSource) string {
	switch source {
	case rules.SourceSigmaTag:
		return "attack.tNNNN or attack.tNNNN.NNN, a tactic such as attack.execution, or attack.gNNNN / sNNNN / cNNNN / mNNNN"
	case rules.SourceSentinelTactic:
		return "a tactic name such as Execution or CredentialAccess"
	}
	return "a technique ID such as T1059 or T1059.001"
}
