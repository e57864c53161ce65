package linter

import (
	"github.com/huntlint/huntlint/mapper"
)

var attackDeprecatedDoc = &Doc{
	ID:       "attack-deprecated",
	Category: "attack",
	Severity: SeverityWarning,
	Summary:  "a reference to a deprecated ATT&CK object (deprecated without a replacement)",
	Why: "ATT&CK deprecates objects it no longer maintains and names no replacement (revoked " +
		"objects have one and are reported by attack-revoked). Deprecated techniques and data " +
		"sources are hidden from the current matrix and from Navigator, so the tag no longer " +
		"shows the rule's coverage. Choose a current technique that describes the behaviour.",
	Bad: "title: Script Host Execution\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: windows\n" +
		"detection:\n" +
		"    selection:\n" +
		"        CommandLine|contains: ' -enc '\n" +
		"    condition: selection\n" +
		"tags:\n" +
		"    - attack.execution\n" +
		"    - attack.t1064\n",
	Good: "title: Script Host Execution\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: windows\n" +
		"detection:\n" +
		"    selection:\n" +
		"        CommandLine|contains: ' -enc '\n" +
		"    condition: selection\n" +
		"tags:\n" +
		"    - attack.execution\n" +
		"    - attack.t1059.005\n",
}

type attackDeprecated struct{}

func (attackDeprecated) Doc() *Doc { return attackDeprecatedDoc }

func (attackDeprecated) Run(ctx *Context) {
	for _, ri := range ctx.Refs() {
		o := ri.Object
		if o == nil || o.Status != mapper.StatusDeprecated {
			continue
		}
		ctx.Reportf(ri.Ref.Span, nil, "%s (%s) is deprecated in %s and has no replacement; tag a current %s instead",
			ri.Ref.Text, displayName(ctx.Catalog, o), ReleaseName(ctx.Catalog, o.Domain), typeName(o.Type))
	}
}
