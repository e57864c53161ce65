package linter

import (
	"github.com/huntlint/huntlint/rules"
	"gopkg.in/yaml.v3"
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

// sigmaSearchSection returns the detection (or filter) section of a Sigma
// rule, or nil when the rule has none or it is not a mapping.
func sigmaSearchSection(r *rules.Rule) *sigmaSection {
	root := docRoot(r)
	if root == nil {
		return nil
	}
	name := "detection"
	if r.Kind == rules.KindFilter {
		name = "filter"
	} else if r.Kind != rules.KindDetection && r.Kind != "" {
		return nil
	}
	k, v := mapGet(root, name)
	v = resolveAlias(v)
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
