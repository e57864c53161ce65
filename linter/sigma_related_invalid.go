package linter

import (
	"slices"

	"github.com/huntlint/huntlint/rules"
	"github.com/huntlint/huntlint/rules/yamlsrc"
	"gopkg.in/yaml.v3"
)

// sigmaRelatedInvalid reports `related` entries without a UUID id or with a
// type the specification does not define.
type sigmaRelatedInvalid struct{}

// sigmaRelatedTypes are the relation types of the Sigma specification.
var sigmaRelatedTypes = []string{"derived", "obsolete", "merged", "renamed", "similar"}

var sigmaRelatedInvalidDoc = &Doc{
	ID:       "sigma-related-invalid",
	Category: "sigma",
	Severity: SeverityError,
	Summary:  "a Sigma related entry lacks a UUID id or has a type other than derived, obsolete, merged, renamed or similar",
	Why: "`related` links a rule to the rules it replaces or derives from; deprecation tooling and rule catalogues " +
		"follow these links. An entry without a valid id points nowhere, and pySigma rejects unknown relation types.",
	Bad: "title: Whoami Execution\n" +
		"related:\n" +
		"    - id: 8d3a4c2e\n" +
		"      type: replaces\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: windows\n" +
		"detection:\n" +
		"    selection:\n" +
		"        Image|endswith: '\\whoami.exe'\n" +
		"    condition: selection\n",
	Good: "title: Whoami Execution\n" +
		"related:\n" +
		"    - id: 8d3a4c2e-5f0b-4c1d-9e7a-2b6f1c0d9a31\n" +
		"      type: obsolete\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: windows\n" +
		"detection:\n" +
		"    selection:\n" +
		"        Image|endswith: '\\whoami.exe'\n" +
		"    condition: selection\n",
	Formats: []rules.Format{rules.FormatSigma},
}

func (sigmaRelatedInvalid) Doc() *Doc { return sigmaRelatedInvalidDoc }

func (sigmaRelatedInvalid) Run(ctx *Context) {
	_, seq := yamlsrc.Lookup(yamlsrc.Root(ctx.Rule.Doc), "related")
	seq = yamlsrc.Resolve(seq)
	if seq == nil || isNullNode(seq) {
		return
	}
	r := ctx.Rule
	if seq.Kind != yaml.SequenceNode {
		ctx.Reportf(nodeSpan(r, seq), nil, "\"related\" is %s; expected a list of entries with id and type", nodeKindName(seq))
		return
	}
	for _, item := range seq.Content {
		e := yamlsrc.Resolve(item)
		if e == nil || e.Kind != yaml.MappingNode {
			ctx.Reportf(nodeSpan(r, item), nil, "related entry is %s; expected a mapping with id and type", nodeKindName(e))
			continue
		}
		if _, id := yamlsrc.Lookup(e, "id"); id == nil || isNullNode(id) {
			ctx.Reportf(nodeSpan(r, e), nil, "related entry has no \"id\"; add the UUID of the related rule")
		} else if id = yamlsrc.Resolve(id); id.Kind != yaml.ScalarNode || !isUUID(id.Value) {
			ctx.Reportf(nodeSpan(r, id), nil, "related id %q is not a UUID; expected the related rule's id such as \"8d3a4c2e-5f0b-4c1d-9e7a-2b6f1c0d9a31\"", id.Value)
		}
		if _, t := yamlsrc.Lookup(e, "type"); t == nil || isNullNode(t) {
			ctx.Reportf(nodeSpan(r, e), nil, "related entry has no \"type\"; add one of %s", quoteList(sigmaRelatedTypes))
		} else if t = yamlsrc.Resolve(t); t.Kind != yaml.ScalarNode || !slices.Contains(sigmaRelatedTypes, t.Value) {
			ctx.Reportf(nodeSpan(r, t), nil, "unknown related type %q%s; expected one of %s", t.Value, suggestName(t.Value, sigmaRelatedTypes), quoteList(sigmaRelatedTypes))
		}
	}
}
