package linter

import (
	"fmt"

	"github.com/huntlint/huntlint/rules"
	"github.com/huntlint/huntlint/rules/yamlsrc"
	"gopkg.in/yaml.v3"
)

// sigmaDuplicateReference reports a reference listed twice in one rule.
type sigmaDuplicateReference struct{}

var sigmaDuplicateReferenceDoc = &Doc{
	ID:       "sigma-duplicate-reference",
	Category: "sigma",
	Severity: SeverityWarning,
	Summary:  "a Sigma rule lists the same reference twice",
	Why: "A repeated reference adds nothing and usually means two edits were merged carelessly, or that a second, " +
		"different source was meant and lost. pySigma's duplicate_references validator reports the same.",
	Bad: "title: Whoami Execution\n" +
		"references:\n" +
		"    - https://example.org/a\n" +
		"    - https://example.org/a\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: windows\n" +
		"detection:\n" +
		"    selection:\n" +
		"        Image|endswith: '\\whoami.exe'\n" +
		"    condition: selection\n",
	Good: "title: Whoami Execution\n" +
		"references:\n" +
		"    - https://example.org/a\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: windows\n" +
		"detection:\n" +
		"    selection:\n" +
		"        Image|endswith: '\\whoami.exe'\n" +
		"    condition: selection\n",
	Fix:     FixSafe,
	FixDoc:  "removes the repetition (the first occurrence stays); the rule's meaning does not change",
	Formats: []rules.Format{rules.FormatSigma},
}

func (sigmaDuplicateReference) Doc() *Doc { return sigmaDuplicateReferenceDoc }

func (sigmaDuplicateReference) Run(ctx *Context) {
	_, seq := yamlsrc.Lookup(yamlsrc.Root(ctx.Rule.Doc), "references")
	seq = yamlsrc.Resolve(seq)
	if seq == nil || seq.Kind != yaml.SequenceNode {
		return
	}
	seen := map[string]int{}
	for _, item := range seq.Content {
		n := yamlsrc.Resolve(item)
		if !isScalar(n) {
			continue
		}
		if line, dup := seen[n.Value]; dup {
			var fix *Fix
			if edits := DeleteSeqItem(ctx.Rule.Source, seq, item); len(edits) > 0 {
				fix = &Fix{Applicability: FixSafe, Description: fmt.Sprintf("remove the repeated reference %q", n.Value), Edits: edits}
			}
			ctx.Reportf(nodeSpan(ctx.Rule, n), fix, "reference %q is already listed at line %d; remove the repetition", n.Value, line)
			continue
		}
		seen[n.Value] = n.Line
	}
}
