package linter

import (
	"fmt"
	"strings"

	"github.com/huntlint/huntlint/rules"
	"github.com/huntlint/huntlint/rules/yamlsrc"
)

// sentinelInvalidSeverity reports a Sentinel severity outside Sentinel's list.
type sentinelInvalidSeverity struct{}

// sentinelSeverities are the severities Sentinel accepts, spelt as it
// requires.
var sentinelSeverities = []string{"Informational", "Low", "Medium", "High"}

var sentinelInvalidSeverityDoc = &Doc{
	ID:       "sentinel-invalid-severity",
	Category: "sentinel",
	Severity: SeverityError,
	Summary:  "a Sentinel severity is not Informational, Low, Medium or High",
	Why: "The severity becomes the incident severity. Sentinel and Azure-Sentinel's CI accept exactly Informational, " +
		"Low, Medium and High, capitalised; Sigma's `critical` or a lower-case `high` fail the import.",
	Bad: "id: 5d9b1e7a-3c2f-4e8d-9a6b-1f0e2d3c4b5a\n" +
		"name: Rare process on host\n" +
		"description: Processes seen on one host only.\n" +
		"severity: critical\n" +
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
		"version: 1.0.0\n" +
		"kind: Scheduled\n",
	Good: "id: 5d9b1e7a-3c2f-4e8d-9a6b-1f0e2d3c4b5a\n" +
		"name: Rare process on host\n" +
		"description: Processes seen on one host only.\n" +
		"severity: High\n" +
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
		"version: 1.0.0\n" +
		"kind: Scheduled\n",
	Fix:     FixSafe,
	FixDoc:  "a listed severity in the wrong case (`high`) is rewritten as Sentinel spells it (`High`); the meaning does not change",
	Formats: []rules.Format{rules.FormatSentinel},
}

func (sentinelInvalidSeverity) Doc() *Doc { return sentinelInvalidSeverityDoc }

func (sentinelInvalidSeverity) Run(ctx *Context) {
	_, v := yamlsrc.Lookup(yamlsrc.Root(ctx.Rule.Doc), "severity")
	v = yamlsrc.Resolve(v)
	if v == nil || isNullNode(v) {
		return
	}
	if !isScalar(v) {
		ctx.Reportf(nodeSpan(ctx.Rule, v), nil, "\"severity\" is %s; expected one of %s", nodeKindName(v), quoteList(sentinelSeverities))
		return
	}
	for _, s := range sentinelSeverities {
		if v.Value == s {
			return
		}
	}
	for _, s := range sentinelSeverities {
		if strings.EqualFold(v.Value, s) {
			ctx.Reportf(nodeSpan(ctx.Rule, v), replaceScalarFix(ctx.Rule, v, s, fmt.Sprintf("replace severity %q with %q", v.Value, s)), "severity %q must be written %q", v.Value, s)
			return
		}
	}
	hint := ""
	if strings.EqualFold(v.Value, "critical") {
		hint = " (Sentinel has no critical: use \"High\")"
	}
	ctx.Reportf(nodeSpan(ctx.Rule, v), nil, "unknown severity %q%s; expected one of %s", v.Value, hint, quoteList(sentinelSeverities))
}
