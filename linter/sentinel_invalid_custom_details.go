package linter

import (
	"regexp"

	"github.com/huntlint/huntlint/rules"
	"github.com/huntlint/huntlint/rules/yamlsrc"
	"gopkg.in/yaml.v3"
)

// sentinelInvalidCustomDetails reports customDetails that Sentinel rejects.
type sentinelInvalidCustomDetails struct{}

// Sentinel's limits on custom details.
const (
	sentinelMaxCustomDetails  = 20
	sentinelMaxCustomKeyChars = 20
)

var sentinelCustomKey = regexp.MustCompile(`^[a-zA-Z]+\w*$`)

var sentinelInvalidCustomDetailsDoc = &Doc{
	ID:       "sentinel-invalid-custom-details",
	Category: "sentinel",
	Severity: SeverityError,
	Summary:  "Sentinel customDetails with a bad key or column, or more than 20 entries",
	Why: "customDetails surface query columns in the alert. Sentinel rejects the rule when there are more than 20, " +
		"when a key is longer than 20 characters or does not start with a letter followed by letters, digits and " +
		"underscores, or when a value is not a column name (a letter or underscore, then letters, digits and " +
		"underscores). Azure-Sentinel's CI applies the same limits.",
	Bad: "id: 5d9b1e7a-3c2f-4e8d-9a6b-1f0e2d3c4b5a\n" +
		"name: Rare process on host\n" +
		"description: Processes seen on one host only.\n" +
		"severity: Medium\n" +
		"requiredDataConnectors:\n" +
		"  - connectorId: MicrosoftThreatProtection\n" +
		"    dataTypes:\n" +
		"      - DeviceProcessEvents\n" +
		"queryFrequency: 1h\n" +
		"queryPeriod: 1h\n" +
		"triggerOperator: gt\n" +
		"triggerThreshold: 0\n" +
		"tactics:\n" +
		"  - Execution\n" +
		"relevantTechniques:\n" +
		"  - T1059\n" +
		"query: |\n" +
		"  DeviceProcessEvents\n" +
		"  | where FileName =~ \"rare.exe\"\n" +
		"customDetails:\n" +
		"  Process-Name: FileName\n" +
		"  CommandLine: 'ProcessCommandLine | tolower'\n" +
		"version: 1.0.0\n" +
		"kind: Scheduled\n",
	Good: "id: 5d9b1e7a-3c2f-4e8d-9a6b-1f0e2d3c4b5a\n" +
		"name: Rare process on host\n" +
		"description: Processes seen on one host only.\n" +
		"severity: Medium\n" +
		"requiredDataConnectors:\n" +
		"  - connectorId: MicrosoftThreatProtection\n" +
		"    dataTypes:\n" +
		"      - DeviceProcessEvents\n" +
		"queryFrequency: 1h\n" +
		"queryPeriod: 1h\n" +
		"triggerOperator: gt\n" +
		"triggerThreshold: 0\n" +
		"tactics:\n" +
		"  - Execution\n" +
		"relevantTechniques:\n" +
		"  - T1059\n" +
		"query: |\n" +
		"  DeviceProcessEvents\n" +
		"  | where FileName =~ \"rare.exe\"\n" +
		"customDetails:\n" +
		"  ProcessName: FileName\n" +
		"  CommandLine: ProcessCommandLine\n" +
		"version: 1.0.0\n" +
		"kind: Scheduled\n",
	Formats: []rules.Format{rules.FormatSentinel},
}

func (sentinelInvalidCustomDetails) Doc() *Doc { return sentinelInvalidCustomDetailsDoc }

func (sentinelInvalidCustomDetails) Run(ctx *Context) {
	_, m := yamlsrc.Lookup(yamlsrc.Root(ctx.Rule.Doc), "customDetails")
	m = yamlsrc.Resolve(m)
	if m == nil || isNullNode(m) {
		return
	}
	r := ctx.Rule
	if m.Kind != yaml.MappingNode {
		ctx.Reportf(nodeSpan(r, m), nil, "\"customDetails\" is %s; expected a mapping of detail names to query columns", nodeKindName(m))
		return
	}
	if n := len(m.Content) / 2; n > sentinelMaxCustomDetails {
		ctx.Reportf(nodeSpan(r, m.Content[2*sentinelMaxCustomDetails]), nil, "%d custom details; Sentinel allows at most %d: remove them from here on", n, sentinelMaxCustomDetails)
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], yamlsrc.Resolve(m.Content[i+1])
		switch {
		case len(k.Value) > sentinelMaxCustomKeyChars:
			ctx.Reportf(nodeSpan(r, k), nil, "custom detail name %q is %d characters long; Sentinel allows at most %d", k.Value, len(k.Value), sentinelMaxCustomKeyChars)
		case !sentinelCustomKey.MatchString(k.Value):
			ctx.Reportf(nodeSpan(r, k), nil, "custom detail name %q must start with a letter and hold only letters, digits and underscores", k.Value)
		}
		switch {
		case !isScalar(v):
			ctx.Reportf(nodeSpan(r, v), nil, "custom detail %q is %s; expected the name of a query column", k.Value, nodeKindName(v))
		case len(v.Value) > sentinelMaxColumnName || !sentinelColumnName.MatchString(v.Value):
			ctx.Reportf(nodeSpan(r, v), nil, "custom detail %q maps to %q, which is not a column name; name a column the query outputs (extend one for an expression)", k.Value, v.Value)
		}
	}
}
