package linter

import (
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/huntlint/huntlint/mapper"
	"github.com/huntlint/huntlint/mapper/attackid"
	"github.com/huntlint/huntlint/rules"
	"github.com/huntlint/huntlint/rules/yamlsrc"
)

var attackSimulationMismatchDoc = &Doc{
	ID:       "attack-simulation-mismatch",
	Category: "attack",
	Severity: SeverityInfo,
	Summary:  "a Sigma simulation entry names a technique that none of the rule's technique tags is, contains or belongs to",
	Why: "SigmaHQ lists the Atomic Red Team tests that trigger a rule under `simulation`, each with the " +
		"technique the test exercises. When that technique is neither among the rule's tags nor a parent or " +
		"sub-technique of one, either the rule's tags miss what it detects (a rule tested with a UAC-bypass " +
		"test but tagged Port Monitors lands in the wrong cell of every coverage layer) or the wrong test is " +
		"listed. It is an info: a test of a sibling technique can be deliberate.",
	Bad: "title: Bypass UAC Using Event Viewer\nlogsource:\n    category: registry_set\n    product: windows\n" +
		"detection:\n    selection:\n        TargetObject|endswith: '\\mscfile\\shell\\open\\command\\(Default)'\n    condition: selection\n" +
		"tags:\n    - attack.privilege-escalation\n    - attack.t1547.010\nsimulation:\n    - type: atomic-red-team\n" +
		"      name: Bypass UAC using Event Viewer (cmd)\n      technique: T1548.002\n",
	Good: "title: Bypass UAC Using Event Viewer\nlogsource:\n    category: registry_set\n    product: windows\n" +
		"detection:\n    selection:\n        TargetObject|endswith: '\\mscfile\\shell\\open\\command\\(Default)'\n    condition: selection\n" +
		"tags:\n    - attack.privilege-escalation\n    - attack.t1548.002\nsimulation:\n    - type: atomic-red-team\n" +
		"      name: Bypass UAC using Event Viewer (cmd)\n      technique: T1548.002\n",
	Formats: []rules.Format{rules.FormatSigma},
}

type attackSimulationMismatch struct{}

func (attackSimulationMismatch) Doc() *Doc { return attackSimulationMismatchDoc }

func (attackSimulationMismatch) Run(ctx *Context) {
	_, seq := yamlsrc.Lookup(yamlsrc.Root(ctx.Rule.Doc), "simulation")
	seq = yamlsrc.Resolve(seq)
	if seq == nil || seq.Kind != yaml.SequenceNode {
		return
	}
	// The rule's technique tags, as IDs: revoked ones count as written
	// (attack-revoked reports them).
	var tagged []string
	for _, ri := range ctx.Refs() {
		if ri.Ref.Source == rules.SourceSigmaTag && ri.Type == mapper.TypeTechnique && ri.ID != "" {
			tagged = append(tagged, ri.ID)
		}
	}
	if len(tagged) == 0 {
		return // attack-missing-technique's business
	}
	for _, item := range seq.Content {
		_, t := yamlsrc.Lookup(yamlsrc.Resolve(item), "technique")
		if t = yamlsrc.Resolve(t); t == nil || t.Kind != yaml.ScalarNode {
			continue
		}
		id, ok := attackid.Parse(t.Value)
		if !ok || id.Kind != attackid.Technique || relatedTechnique(id, tagged) {
			continue
		}
		name := ""
		if ctx.Catalog != nil {
			if o, ok := ctx.Catalog.Get(mapper.TypeTechnique, id.String()); ok {
				name = " (" + displayName(ctx.Catalog, o) + ")"
			}
		}
		tags := make([]string, len(tagged))
		for i, s := range tagged {
			tags[i] = attackid.TagPrefix + strings.ToLower(s)
		}
		ctx.Reportf(nodeSpan(ctx.Rule, t), nil, "the simulation exercises %s%s, but the rule is tagged %s; tag the technique the rule detects, or list a test of it",
			id, name, orList(tags))
	}
}

// relatedTechnique reports whether technique id is one of tagged, or the
// parent or a sub-technique of one.
func relatedTechnique(id attackid.ID, tagged []string) bool {
	for _, s := range tagged {
		x, ok := attackid.Parse(s)
		if !ok {
			continue
		}
		if x == id || x.Parent() == id || id.Parent() == x {
			return true
		}
	}
	return false
}
