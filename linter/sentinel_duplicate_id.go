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
	Bad:     "# a.yaml\nid: 5d9b1e7a-3c2f-4e8d-9a6b-1f0e2d3c4b5a\n# b.yaml\nid: 5d9b1e7a-3c2f-4e8d-9a6b-1f0e2d3c4b5a\n",
	Good:    "# a.yaml\nid: 5d9b1e7a-3c2f-4e8d-9a6b-1f0e2d3c4b5a\n# b.yaml\nid: 0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d\n",
	Formats: []rules.Format{rules.FormatSentinel},
}

func (sentinelDuplicateID) Doc() *Doc { return sentinelDuplicateIDDoc }

// Run does nothing per rule; the check looks across the set.
func (sentinelDuplicateID) Run(*Context) {}

func (sentinelDuplicateID) RunSet(rs []*rules.Rule, _ *mapper.Catalog, _ *Config, report func(Finding)) {
	reportDuplicates(rs, rules.FormatSentinel, "id", sentinelDuplicateIDDoc, strings.ToLower, report,
		func(v, others string) string {
			return fmt.Sprintf("id %q is also used by %s; give one of them a new GUID", v, others)
		})
}
