package linter

import (
	"fmt"
	"strings"

	"github.com/huntlint/huntlint/mapper"
	"github.com/huntlint/huntlint/rules"
)

// sentinelDuplicateID reports the same id in two Sentinel files of the set.
type sentinelDuplicateID struct{}

var sentinelDuplicateIDDoc = &Doc{
	ID:       "sentinel-duplicate-id",
	Category: "sentinel",
	Severity: SeverityError,
	Summary:  "two Sentinel hunting queries or analytic rules of the set share one id",
	Why: "Sentinel deploys content by id: the second file with an id silently replaces the first in the workspace, " +
		"and Azure-Sentinel's CI rejects duplicate template ids. It usually means a copied file whose id was not " +
		"regenerated. Each place is reported.",
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
		"version: 1.0.0\n" +
		"kind: Scheduled\n" +
		"---\n" +
		"id: 5d9b1e7a-3c2f-4e8d-9a6b-1f0e2d3c4b5a\n" +
		"name: Rare process on another host\n" +
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
		"kind: Scheduled\n" +
		"---\n" +
		"id: 0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d\n" +
		"name: Rare process on another host\n" +
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

func (sentinelDuplicateID) Doc() *Doc { return sentinelDuplicateIDDoc }

// Run does nothing per rule; the check looks across the set.
func (sentinelDuplicateID) Run(*Context) {}

func (sentinelDuplicateID) RunSet(rs []*setRule, _ *mapper.Catalog, _ *Config, report SetReport) {
	reportDuplicates(rs, idOf, strings.ToLower, report,
		func(v, others string) string {
			return fmt.Sprintf("id %q is also used by %s; give one of them a new GUID", v, others)
		})
}
