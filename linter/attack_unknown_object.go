package linter

import (
	"strings"

	"github.com/huntlint/huntlint/mapper"
)

var attackUnknownObjectDoc = &Doc{
	ID:       "attack-unknown-object",
	Category: "attack",
	Severity: SeverityWarning,
	Summary:  "a group, software, campaign, mitigation, data source, data component, detection strategy or analytic ID that the catalog does not have",
	Why: "Sigma rules may tag the threat groups (attack.g0016), software (attack.s0002) and " +
		"campaigns they detect. An ID the catalog does not know links the rule to no actor; it is " +
		"usually a typo or an ID from another knowledge base.",
	Bad: "title: LSASS Dump\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: windows\n" +
		"detection:\n" +
		"    selection:\n" +
		"        CommandLine|contains: ' -enc '\n" +
		"    condition: selection\n" +
		"tags:\n" +
		"    - attack.credential-access\n" +
		"    - attack.t1003.001\n" +
		"    - attack.s9999\n",
	Good: "title: LSASS Dump\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: windows\n" +
		"detection:\n" +
		"    selection:\n" +
		"        CommandLine|contains: ' -enc '\n" +
		"    condition: selection\n" +
		"tags:\n" +
		"    - attack.credential-access\n" +
		"    - attack.t1003.001\n" +
		"    - attack.s0002\n",
}

type attackUnknownObject struct{}

func (attackUnknownObject) Doc() *Doc { return attackUnknownObjectDoc }

func (attackUnknownObject) Run(ctx *Context) {
	for _, ri := range ctx.Refs() {
		if ri.Malformed || ri.Newer != nil || ri.Object != nil || ri.Type == mapper.TypeTechnique || ri.Type == mapper.TypeTactic {
			continue
		}
		ctx.Reportf(ri.Ref.Span, nil, "%q is not %s in %s%s", ri.Ref.Text, withArticle(typeName(ri.Type)), activeReleaseName(ctx.Catalog),
			didYouMeanObjects(ctx, ri.Ref, ri.Type, ri.ID))
	}
}

// typeName names an object type in messages.
func typeName(t mapper.ObjectType) string {
	switch t {
	case mapper.TypeDataSource:
		return "data source"
	case mapper.TypeDataComponent:
		return "data component"
	case mapper.TypeDetectionStrategy:
		return "detection strategy"
	}
	return string(t)
}

// withArticle prefixes a noun with "a" or "an".
func withArticle(noun string) string {
	if noun != "" && strings.ContainsRune("aeiou", rune(noun[0])) {
		return "an " + noun
	}
	return "a " + noun
}
