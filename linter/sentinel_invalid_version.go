package linter

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/huntlint/huntlint/rules"
	"github.com/huntlint/huntlint/rules/yamlsrc"
)

// sentinelInvalidVersion reports a `version` that is not major.minor.patch.
type sentinelInvalidVersion struct{}

var (
	sentinelVersion     = regexp.MustCompile(`^\d+\.\d+\.\d+$`)
	sentinelVersionPart = regexp.MustCompile(`^\d+(\.\d+)?$`)
)

var sentinelInvalidVersionDoc = &Doc{
	ID:       "sentinel-invalid-version",
	Category: "sentinel",
	Severity: SeverityError,
	Summary:  "a Sentinel version is not major.minor.patch",
	Why: "Sentinel compares template versions to offer updates of installed rules; Azure-Sentinel's CI requires " +
		"three numbers such as 1.0.2. A version like `1.0` (which YAML also reads as a number) or `v2` breaks the " +
		"update check.",
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
		"version: 1.0\n" +
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
	Fix:     FixUnsafe,
	FixDoc:  "`1` or `1.2` is completed to `1.0.0` or `1.2.0`; unsafe because the intended patch number cannot be known",
	Formats: []rules.Format{rules.FormatSentinel},
}

func (sentinelInvalidVersion) Doc() *Doc { return sentinelInvalidVersionDoc }

func (sentinelInvalidVersion) Run(ctx *Context) {
	_, v := yamlsrc.Lookup(yamlsrc.Root(ctx.Rule.Doc), "version")
	v = yamlsrc.Resolve(v)
	if v == nil || isNullNode(v) {
		return
	}
	if !isScalar(v) {
		ctx.Reportf(nodeSpan(ctx.Rule, v), nil, "\"version\" is %s; expected major.minor.patch such as \"1.0.0\"", nodeKindName(v))
		return
	}
	if sentinelVersion.MatchString(v.Value) {
		return
	}
	var fix *Fix
	if sentinelVersionPart.MatchString(v.Value) {
		full := v.Value + ".0"
		if !strings.Contains(v.Value, ".") {
			full = v.Value + ".0.0"
		}
		if fix = replaceScalarFix(ctx.Rule, v, full, fmt.Sprintf("complete version %q to %q", v.Value, full)); fix != nil {
			fix.Applicability = FixUnsafe
		}
		ctx.Reportf(nodeSpan(ctx.Rule, v), fix, "version %q is not major.minor.patch; write %q", v.Value, full)
		return
	}
	ctx.Reportf(nodeSpan(ctx.Rule, v), nil, "version %q is not major.minor.patch; expected three numbers such as \"1.0.0\"", v.Value)
}
