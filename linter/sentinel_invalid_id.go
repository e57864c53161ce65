package linter

import (
	"github.com/huntlint/huntlint/rules"
	"github.com/huntlint/huntlint/rules/yamlsrc"
)

// sentinelInvalidID reports a Sentinel `id` that is not a GUID.
type sentinelInvalidID struct{}

var sentinelInvalidIDDoc = &Doc{
	ID:       "sentinel-invalid-id",
	Category: "sentinel",
	Severity: SeverityError,
	Summary:  "a Sentinel hunting query's or analytic rule's id is not a GUID",
	Why: "Sentinel keys content by its GUID: it becomes the template id of an analytic rule and the saved-search " +
		"id of a hunting query. A value that is not a GUID fails deployment and Azure-Sentinel's CI.",
	Bad: "id: rare-process-1\n" +
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
		"version: 1.0.0\n" +
		"kind: Scheduled\n",
	Formats: []rules.Format{rules.FormatSentinel},
}

func (sentinelInvalidID) Doc() *Doc { return sentinelInvalidIDDoc }

func (sentinelInvalidID) Run(ctx *Context) {
	_, v := yamlsrc.Lookup(yamlsrc.Root(ctx.Rule.Doc), "id")
	v = yamlsrc.Resolve(v)
	if v == nil || isNullNode(v) {
		return // sentinel-missing-field
	}
	if !isScalar(v) {
		ctx.Reportf(nodeSpan(ctx.Rule, v), nil, "\"id\" is %s; expected a GUID such as \"5d9b1e7a-3c2f-4e8d-9a6b-1f0e2d3c4b5a\"", nodeKindName(v))
		return
	}
	if !isUUID(v.Value) {
		ctx.Reportf(nodeSpan(ctx.Rule, v), nil, "id %q is not a GUID; expected 8-4-4-4-12 hexadecimal digits such as \"5d9b1e7a-3c2f-4e8d-9a6b-1f0e2d3c4b5a\"", v.Value)
	}
}
