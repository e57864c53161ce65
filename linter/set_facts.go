package linter

import (
	"gopkg.in/yaml.v3"

	"github.com/huntlint/huntlint/mapper"
	"github.com/huntlint/huntlint/rules"
)

// setRule is what the cross-file checks (SetChecker) read of one rule. It is
// taken while the rule's file is linted, so that neither the rule's YAML
// tree nor its text outlives that: a lint run holds a few hundred bytes per
// rule for the cross-file phase, however large the rules are.
type setRule struct {
	Path       string
	Format     rules.Format
	Kind       rules.Kind
	ID, Status string
	Rule       *FindingRule // what its findings keep
	id, title  setValue     // the top-level id and title scalars
	name       *setValue
	refs       *setRefs // the "rules" of a Sigma correlation or filter
	// technique reports whether one of the rule's references names an
	// ATT&CK technique.
	technique bool
	span      rules.Span // where a finding about the whole rule goes (ruleSpan)
}

// setValue is a top-level scalar: its value (aliases followed) and span.
type setValue struct {
	value string
	ok    bool // the key is there with a non-null scalar
	span  rules.Span
}

// setRefs is the "rules" field of a Sigma correlation or filter (in its
// correlation or filter section): the scalars it lists, or, when it is
// neither a list nor a scalar, what it is (kind) and where.
type setRefs struct {
	section string // "correlation" or "filter"
	list    []setValue
	kind    string // "" for a list or a scalar
	span    rules.Span
}

// line is the line of the value.
func (v setValue) line() int { return v.span.Start.Line }

// newSetRule takes the facts of r for the cross-file checks; found is what
// its findings keep and refs its resolved references.
func newSetRule(r *rules.Rule, found *FindingRule, refs []RefInfo) *setRule {
	s := &setRule{Path: r.Path, Format: r.Format, Kind: r.Kind, ID: r.ID, Status: r.Status,
		Rule: found, technique: hasTechnique(refs), span: ruleSpan(r)}
	root := docRoot(r)
	if root == nil {
		return s
	}
	s.id = scalarFact(r, root, "id")
	s.title = scalarFact(r, root, "title")
	if n := scalarFact(r, root, "name"); n.ok {
		s.name = &n
	}
	section := ""
	switch r.Kind {
	case rules.KindCorrelation:
		section = "correlation"
	case rules.KindFilter:
		section = "filter"
	}
	if r.Format != rules.FormatSigma || section == "" {
		return s
	}
	_, sec := mapGet(root, section)
	_, list := mapGet(resolveAlias(sec), "rules")
	list = resolveAlias(list)
	if list == nil || isNullNode(list) {
		return s
	}
	s.refs = &setRefs{section: section}
	if list.Kind != yaml.SequenceNode && list.Kind != yaml.ScalarNode {
		s.refs.kind, s.refs.span = nodeKindName(list), nodeSpan(r, list)
		return s
	}
	for _, n := range scalarList(list) {
		s.refs.list = append(s.refs.list, setValue{value: n.Value, ok: true, span: nodeSpan(r, n)})
	}
	return s
}

// scalarFact returns the top-level scalar key of root.
func scalarFact(r *rules.Rule, root *yaml.Node, key string) setValue {
	_, v := mapGet(root, key)
	if !isScalar(v) {
		return setValue{}
	}
	v = resolveAlias(v)
	return setValue{value: v.Value, ok: true, span: nodeSpan(r, v)}
}

// setRulesOf takes the cross-file facts of rs: the entry point for tests
// and benchmarks that run RunSet on loaded rules.
func setRulesOf(rs []*rules.Rule, cat *mapper.Catalog) []*setRule {
	out := make([]*setRule, len(rs))
	for i, r := range rs {
		out[i] = newSetRule(r, RuleOf(r, false), resolveAll(cat, r))
	}
	return out
}
