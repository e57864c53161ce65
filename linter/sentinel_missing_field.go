package linter

import (
	"strings"

	"github.com/huntlint/huntlint/rules"
	"github.com/huntlint/huntlint/rules/yamlsrc"
	"gopkg.in/yaml.v3"
)

// sentinelMissingField reports Sentinel hunting queries and analytic rules
// that lack a field Sentinel requires.
type sentinelMissingField struct{}

var sentinelMissingFieldDoc = &Doc{
	ID:       "sentinel-missing-field",
	Category: "sentinel",
	Severity: SeverityError,
	Summary:  "a Sentinel hunting query or analytic rule lacks a required field",
	Why: "Sentinel refuses to import content without its required fields, and Azure-Sentinel's CI rejects the pull " +
		"request. Hunting queries need id, name, description, query, tactics and relevantTechniques. Analytic rules " +
		"also need kind, severity and requiredDataConnectors, and scheduled rules (kind Scheduled) queryFrequency, " +
		"queryPeriod, triggerOperator and triggerThreshold; NRT rules run every minute and have none of those four.",
	Bad:     "id: 5d9b1e7a-3c2f-4e8d-9a6b-1f0e2d3c4b5a\nname: Rare process on host\nquery: DeviceProcessEvents | take 10\n",
	Good:    "id: 5d9b1e7a-3c2f-4e8d-9a6b-1f0e2d3c4b5a\nname: Rare process on host\ndescription: Processes seen on one host only.\ntactics:\n  - Execution\nrelevantTechniques:\n  - T1059\nquery: DeviceProcessEvents | take 10\n",
	Formats: []rules.Format{rules.FormatSentinel},
}

func (sentinelMissingField) Doc() *Doc { return sentinelMissingFieldDoc }

// sentinelCommonFields are required in every hunting query and analytic rule.
var sentinelCommonFields = []string{"id", "name", "description", "query", "tactics", "relevantTechniques"}

// sentinelScheduleFields are required in scheduled analytic rules only.
var sentinelScheduleFields = []string{"queryFrequency", "queryPeriod", "triggerOperator", "triggerThreshold"}

func (sentinelMissingField) Run(ctx *Context) {
	r := ctx.Rule
	root := yamlsrc.Root(r.Doc)
	if root == nil {
		return
	}
	var missing []string
	need := func(field string, emptyListOK bool) {
		k, v := yamlsrc.Lookup(root, field)
		v = yamlsrc.Resolve(v)
		switch {
		case k == nil || isNullNode(v):
			missing = append(missing, field)
		case v.Kind == yaml.ScalarNode && strings.TrimSpace(v.Value) == "":
			missing = append(missing, field)
		case v.Kind == yaml.SequenceNode && len(v.Content) == 0 && !emptyListOK:
			missing = append(missing, field)
		}
	}
	for _, f := range sentinelCommonFields {
		need(f, f == "tactics" || f == "relevantTechniques")
	}
	if r.Kind == rules.KindAnalytic {
		need("kind", false)
		need("severity", false)
		need("requiredDataConnectors", true)
		_, kv := yamlsrc.Lookup(root, "kind")
		if kv = yamlsrc.Resolve(kv); kv == nil || !strings.EqualFold(kv.Value, "NRT") {
			for _, f := range sentinelScheduleFields {
				need(f, false)
			}
		}
	}
	what := "hunting query"
	if r.Kind == rules.KindAnalytic {
		what = "analytic rule"
	}
	for _, f := range missing {
		ctx.Reportf(docSpan(r), nil, "missing required field %q; a Sentinel %s needs it (%s)", f, what, sentinelFieldHint(f))
	}
}

// sentinelFieldHint describes what a required field holds.
func sentinelFieldHint(f string) string {
	switch f {
	case "id":
		return "a GUID that identifies the content"
	case "name":
		return "the display name"
	case "description":
		return "what the query finds and why it matters"
	case "query":
		return "the KQL query"
	case "tactics":
		return "ATT&CK tactics such as Execution, a list that may be empty"
	case "relevantTechniques":
		return "ATT&CK technique IDs such as T1059, a list that may be empty"
	case "kind":
		return "Scheduled or NRT"
	case "severity":
		return "Informational, Low, Medium or High"
	case "requiredDataConnectors":
		return "the connectors and data types the query reads, a list that may be empty"
	case "queryFrequency":
		return "how often the rule runs, from 5m to 14d"
	case "queryPeriod":
		return "how far back the query looks, from 5m to 14d"
	case "triggerOperator":
		return "gt, lt, eq or ne"
	case "triggerThreshold":
		return "a number of results from 0 to 10000"
	}
	return "see the Sentinel content schema"
}
