package linter

import (
	"gopkg.in/yaml.v3"

	"github.com/huntlint/huntlint/linter/sigmacond"
	"github.com/huntlint/huntlint/rules"
	"github.com/huntlint/huntlint/rules/yamlsrc"
)

// sigmaSection is the part of a Sigma rule that holds search identifiers and
// conditions: `detection` for detection rules, `filter` for filter rules.
type sigmaSection struct {
	Key        *yaml.Node   // the section's key node (detection:, filter:)
	Node       *yaml.Node   // the section mapping
	Searches   []*yaml.Node // key nodes of the search identifiers, in order
	Values     []*yaml.Node // value nodes, parallel to Searches
	Conditions []*yaml.Node // condition scalars (one, or a list's items)
	CondKey    *yaml.Node   // the condition key node, nil when absent
	// Parsed holds the parse of each condition, parallel to Conditions.
	Parsed []parsedCondition
	names  map[string]bool // the names of Searches
}

// parsedCondition is one condition's references and syntax error.
type parsedCondition struct {
	Refs []sigmacond.Ref
	Err  *sigmacond.Error
}

// sectionCache keeps the sections of the rules being linted, so that the
// checks that read a rule's detection share one walk and one condition
// parse.
var sectionCache smallCache[*rules.Rule, *sigmaSection]

// sigmaSearchSection returns the detection (or filter) section of a Sigma
// rule with its conditions parsed, or nil when the rule has none or it is
// not a mapping.
func sigmaSearchSection(r *rules.Rule) *sigmaSection {
	if s, ok := sectionCache.get(r); ok {
		return s
	}
	s := buildSearchSection(r)
	if s != nil {
		s.Parsed = make([]parsedCondition, len(s.Conditions))
		for i, c := range s.Conditions {
			s.Parsed[i].Refs, s.Parsed[i].Err = sigmacond.Parse(c.Value)
		}
	}
	sectionCache.put(r, s)
	return s
}

// sigmaReserved lists the keys of a section that are not search identifiers.
func sigmaReserved(kind rules.Kind, key string) bool {
	switch key {
	case "condition":
		return true
	case "timeframe": // Sigma 1 aggregation window
		return kind == rules.KindDetection
	case "rules":
		return kind == rules.KindFilter
	}
	return false
}

// buildSearchSection walks a rule's detection (or filter) section.
func buildSearchSection(r *rules.Rule) *sigmaSection {
	root := yamlsrc.Root(r.Doc)
	if root == nil {
		return nil
	}
	name := "detection"
	if r.Kind == rules.KindFilter {
		name = "filter"
	} else if r.Kind != rules.KindDetection && r.Kind != "" {
		return nil
	}
	k, v := yamlsrc.Lookup(root, name)
	v = yamlsrc.Resolve(v)
	if v == nil || v.Kind != yaml.MappingNode {
		return nil
	}
	s := &sigmaSection{Key: k, Node: v}
	for i := 0; i+1 < len(v.Content); i += 2 {
		key, val := v.Content[i], v.Content[i+1]
		if key.Value == "condition" {
			s.CondKey = key
			s.Conditions = scalarList(val)
			continue
		}
		if sigmaReserved(r.Kind, key.Value) {
			continue
		}
		s.Searches = append(s.Searches, key)
		s.Values = append(s.Values, val)
		if s.names == nil {
			s.names = map[string]bool{}
		}
		s.names[key.Value] = true
	}
	return s
}

// searchNames returns the names of the section's search identifiers.
func (s *sigmaSection) searchNames() []string {
	out := make([]string, len(s.Searches))
	for i, k := range s.Searches {
		out[i] = k.Value
	}
	return out
}

// selects returns the search identifiers of s (their names are names) that
// reference r selects; a plain name is one lookup, not a scan, so that a
// condition naming each of many searches stays linear.
func (s *sigmaSection) selects(r sigmacond.Ref, names []string) []string {
	if !r.Them && !r.Pattern {
		if s.names[r.Text] {
			return []string{r.Text}
		}
		return nil
	}
	return r.Match(names)
}
