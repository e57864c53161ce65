// Package yamlsrc is the one way huntlint reads yaml.v3 node trees: a
// document's root mapping, key lookup with the one duplicate-key rule, and
// the duplicate keys themselves; and how far a node's text reaches in its
// file (ScalarText, Span). The loaders (rules), the checks (linter),
// the edit engine (internal/yamledit), the suggester and huntlint test all
// read keys through it, so they agree on which of two equal keys counts.
//
// The duplicate-key rule: YAML allows a key once per mapping; when a file
// has one twice, the last one counts everywhere (as in yaml.v3 decoding and
// PyYAML, which Sigma's converters use), and the loader reports the second
// key as a load problem at its line (see Duplicates).
package yamlsrc

import "gopkg.in/yaml.v3"

// maxAliasHops bounds how far Resolve follows aliases.
const maxAliasHops = 16

// Resolve follows a YAML alias to its anchor node; other nodes (and nil)
// are returned as they are.
func Resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < maxAliasHops; i++ {
		n = n.Alias
	}
	return n
}

// Root returns the top-level mapping of a document node (or n itself when
// it is a mapping), following an alias; nil when there is none.
func Root(doc *yaml.Node) *yaml.Node {
	n := doc
	if n != nil && n.Kind == yaml.DocumentNode {
		if len(n.Content) == 0 {
			return nil
		}
		n = n.Content[0]
	}
	n = Resolve(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	return n
}

// Lookup returns the key and value nodes of key in mapping m, the value as
// written (an alias is not followed; see Resolve). Of a key written twice
// the last one counts. Both are nil when the key is absent or m is not a
// mapping.
func Lookup(m *yaml.Node, key string) (k, v *yaml.Node) {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := len(m.Content) - 2; i >= 0; i -= 2 {
		if m.Content[i].Value == key {
			return m.Content[i], m.Content[i+1]
		}
	}
	return nil, nil
}

// Value is the value of key in mapping m with aliases followed, or nil.
func Value(m *yaml.Node, key string) *yaml.Node {
	_, v := Lookup(m, key)
	return Resolve(v)
}

// Duplicates calls fn for each scalar key, anywhere under n, that repeats
// an earlier key of the same mapping: dup is the repeat (the one Lookup
// returns when it is the last), first the earliest. Merge keys (<<) are
// not keys of their own and are passed over.
func Duplicates(n *yaml.Node, fn func(dup, first *yaml.Node)) {
	if n == nil {
		return
	}
	if n.Kind == yaml.MappingNode {
		var first map[string]*yaml.Node // for large mappings
		if len(n.Content) > 16 {
			first = make(map[string]*yaml.Node, len(n.Content)/2)
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind != yaml.ScalarNode || k.Value == "<<" && k.Tag == "!!merge" {
				continue
			}
			f, dup := first[k.Value]
			if first == nil {
				for j := 0; j < i && !dup; j += 2 {
					if c := n.Content[j]; c.Kind == yaml.ScalarNode && c.Value == k.Value {
						f, dup = c, true
					}
				}
			}
			if dup {
				fn(k, f)
				continue
			}
			if first != nil {
				first[k.Value] = k
			}
		}
	}
	for _, c := range n.Content {
		Duplicates(c, fn)
	}
}
