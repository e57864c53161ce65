package linter

import (
	"gopkg.in/yaml.v3"

	"github.com/huntlint/huntlint/mapper"
	"github.com/huntlint/huntlint/rules"
	"github.com/huntlint/huntlint/rules/yamlsrc"
)

// setRule is what the cross-file checks (SetChecker) read of one rule. It is
// taken while the rule's file is linted, so that neither the rule's YAML
// tree nor its text outlives that: a lint run holds under 200 bytes per rule
// for the cross-file phase (and the strings it shares with its findings),
// however large the rules are.
type setRule struct {
	Path   string
	Format rules.Format
	Kind   rules.Kind
	Rule   *FindingRule // what its findings keep; Rule.ID is the rule's id
	id     setValue     // the top-level id and title scalars
	title  setValue
	name   *setValue
	refs   *setRefs // for a Sigma correlation or filter
	// technique reports whether one of the rule's references names an
	// ATT&CK technique.
	technique bool
	// retired reports a status of deprecated or unsupported.
	retired bool
}

// setValue is a top-level scalar: its value (aliases followed) and span.
type setValue struct {
	value string
	ok    bool // the key is there with a non-null scalar
	at    span32
}

// setRefs is what a Sigma correlation or filter says of other rules: the
// "rules" field of its correlation or filter section, with the scalars it
// lists or, when it is neither a list nor a scalar, what it is (kind) and
// where, and the rule's span (ruleSpan).
type setRefs struct {
	section string // "correlation" or "filter"
	listed  bool   // the field is there and not null
	list    []setValue
	kind    string // "" for a list or a scalar
	at      span32
	rule    span32
}

// span32 is a rules.Span in half the room: positions and offsets of one
// file fit in 32 bits.
type span32 struct {
	sl, sc, el, ec, so, eo int32
}

func toSpan32(s rules.Span) span32 {
	return span32{int32(s.Start.Line), int32(s.Start.Column), int32(s.End.Line), int32(s.End.Column), int32(s.StartOffset), int32(s.EndOffset)}
}

func (s span32) span() rules.Span {
	return rules.Span{Start: rules.Pos{Line: int(s.sl), Column: int(s.sc)}, End: rules.Pos{Line: int(s.el), Column: int(s.ec)},
		StartOffset: int(s.so), EndOffset: int(s.eo)}
}

// line is the line of the value.
func (v *setValue) line() int { return int(v.at.sl) }

// newSetRule takes the facts of r for the cross-file checks; found is what
// its findings keep and refs its resolved references.
func newSetRule(r *rules.Rule, found *FindingRule, refs []RefInfo) *setRule {
	s := &setRule{Path: r.Path, Format: r.Format, Kind: r.Kind, Rule: found, technique: hasTechnique(refs),
		retired: r.Status == "deprecated" || r.Status == "unsupported"}
	section := ""
	switch r.Kind {
	case rules.KindCorrelation:
		section = "correlation"
	case rules.KindFilter:
		section = "filter"
	}
	if r.Format == rules.FormatSigma && section != "" {
		s.refs = &setRefs{section: section, rule: toSpan32(ruleSpan(r))}
	}
	root := yamlsrc.Root(r.Doc)
	if root == nil {
		return s
	}
	s.id = scalarFact(r, root, "id")
	s.title = scalarFact(r, root, "title")
	if n := scalarFact(r, root, "name"); n.ok {
		s.name = &n
	}
	if s.refs == nil {
		return s
	}
	_, sec := yamlsrc.Lookup(root, section)
	_, list := yamlsrc.Lookup(yamlsrc.Resolve(sec), "rules")
	list = yamlsrc.Resolve(list)
	if list == nil || isNullNode(list) {
		return s
	}
	s.refs.listed = true
	if list.Kind != yaml.SequenceNode && list.Kind != yaml.ScalarNode {
		s.refs.kind, s.refs.at = nodeKindName(list), toSpan32(nodeSpan(r, list))
		return s
	}
	for _, n := range scalarList(list) {
		s.refs.list = append(s.refs.list, setValue{value: n.Value, ok: true, at: toSpan32(nodeSpan(r, n))})
	}
	return s
}

// scalarFact returns the top-level scalar key of root.
func scalarFact(r *rules.Rule, root *yaml.Node, key string) setValue {
	_, v := yamlsrc.Lookup(root, key)
	if !isScalar(v) {
		return setValue{}
	}
	v = yamlsrc.Resolve(v)
	return setValue{value: v.Value, ok: true, at: toSpan32(nodeSpan(r, v))}
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
