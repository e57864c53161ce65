package linter

import (
	"fmt"

	"github.com/huntlint/huntlint/mapper"
	"github.com/huntlint/huntlint/rules"
)

var attackUnknownTechniqueDoc = &Doc{
	ID:       "attack-unknown-technique",
	Category: "attack",
	Severity: SeverityError,
	Summary:  "a technique ID that no loaded ATT&CK domain has",
	Why: "A well-formed ID that ATT&CK does not define is usually a typo (digits swapped or dropped) " +
		"or a sub-technique number that never existed (T1059.999). The rule then counts for the wrong technique or " +
		"none at all on every coverage layer. The message lists the nearest IDs and names.",
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
		"    - attack.t1059.999\n",
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
}

type attackUnknownTechnique struct{}

func (attackUnknownTechnique) Doc() *Doc { return attackUnknownTechniqueDoc }

func (attackUnknownTechnique) Run(ctx *Context) {
	for _, ri := range ctx.Refs() {
		if ri.Malformed || ri.Newer != nil || ri.Type != mapper.TypeTechnique || ri.Object != nil {
			continue
		}
		ctx.Reportf(ri.Ref.Span, nil, "%q is not a technique in %s%s", ri.Ref.Text, activeReleaseName(ctx.Catalog),
			didYouMeanObjects(ctx, ri.Ref, mapper.TypeTechnique, ri.ID))
	}
}

// didYouMeanObjects returns "; did you mean a (Name), b (Name) or c (Name)?"
// for the catalog objects nearest to s, spelled like ref, or "".
func didYouMeanObjects(ctx *Context, ref *rules.Ref, t mapper.ObjectType, s string) string {
	if ctx.Catalog == nil {
		return ""
	}
	var names []string
	seen := map[string]bool{}
	for _, o := range ctx.Catalog.Similar(t, s, 6) {
		if o.Status == mapper.StatusRevoked || seen[o.ID] || len(names) == 3 {
			continue
		}
		seen[o.ID] = true
		names = append(names, describe(ctx.Catalog, ref, o, ctx.TacticStyle()))
	}
	if len(names) == 0 {
		return ""
	}
	return fmt.Sprintf("; did you mean %s?", orList(names))
}
