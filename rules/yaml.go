package rules

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"gopkg.in/yaml.v3"
)

// Limits on YAML input, so that hostile files are refused quickly.
const (
	maxYAMLNodes = 1_000_000 // nodes after alias expansion
	maxYAMLDepth = 500       // nesting of mappings and sequences
)

// yamlFile is a parsed YAML file: its documents and a line index.
type yamlFile struct {
	path string
	src  []byte
	li   *lineIndex
	docs []*yaml.Node // DocumentNodes
}

// parseYAML parses every document of src once. A syntax error becomes a
// Problem at the line yaml.v3 names.
func parseYAML(path string, src []byte, li *lineIndex) (*yamlFile, []Problem) {
	f := &yamlFile{path: path, src: src, li: li}
	if !multiDoc(src) {
		// One document: parse from memory, faster than the stream decoder.
		var doc yaml.Node
		if err := yaml.Unmarshal(src, &doc); err != nil {
			return nil, []Problem{yamlProblem(path, err)}
		}
		if doc.Kind == 0 {
			return f, nil // empty
		}
		if p, ok := checkYAMLSize(path, &doc); !ok {
			return nil, []Problem{p}
		}
		f.docs = append(f.docs, &doc)
		return f, nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(src))
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, []Problem{yamlProblem(path, err)}
		}
		if p, ok := checkYAMLSize(path, &doc); !ok {
			return nil, []Problem{p}
		}
		f.docs = append(f.docs, &doc)
	}
	return f, nil
}

// multiDoc reports whether src may hold several YAML documents: a line
// starting with a "---" or "..." marker, or a directive.
func multiDoc(src []byte) bool {
	for _, m := range [][]byte{[]byte("---"), []byte("..."), []byte("%")} {
		for i := 0; ; {
			j := bytes.Index(src[i:], m)
			if j < 0 {
				break
			}
			j += i
			if j == 0 || src[j-1] == '\n' || src[j-1] == '\r' || j == 3 && hasBOM(src) {
				return true
			}
			i = j + 1
		}
	}
	return false
}

// yamlProblem turns a yaml.v3 error ("yaml: line 3: mapping values are not
// allowed in this context") into a positioned Problem.
func yamlProblem(path string, err error) Problem {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "yaml: ")
	p := Problem{Path: path}
	var line int
	if n, _ := fmt.Sscanf(msg, "line %d:", &line); n == 1 {
		p.Line = line
		p.Column = 1
		if i := strings.Index(msg, ": "); i >= 0 {
			msg = msg[i+2:]
		}
	}
	p.Message = "invalid YAML: " + msg
	return p
}

// checkYAMLSize refuses documents whose aliases expand to too many nodes (an
// "alias bomb") or that nest too deeply, before anything walks or decodes them.
func checkYAMLSize(path string, doc *yaml.Node) (Problem, bool) {
	if d, aliases := shape(doc, 0); d <= maxYAMLDepth && !aliases {
		return Problem{}, true // the common case: no aliases, shallow
	}
	memo := map[*yaml.Node]int{}
	var deep *yaml.Node
	var count func(n *yaml.Node, depth int) int
	count = func(n *yaml.Node, depth int) int {
		if n == nil {
			return 0
		}
		if depth > maxYAMLDepth {
			if deep == nil {
				deep = n
			}
			return 0
		}
		if c, ok := memo[n]; ok {
			return c
		}
		memo[n] = 1 // a cycle counts once
		total := 1
		if n.Kind == yaml.AliasNode {
			total += count(n.Alias, depth+1)
		}
		for _, c := range n.Content {
			total += count(c, depth+1)
			if total > maxYAMLNodes {
				break
			}
		}
		if total > maxYAMLNodes {
			total = maxYAMLNodes + 1
		}
		memo[n] = total
		return total
	}
	total := count(doc, 0)
	if deep != nil {
		return Problem{Path: path, Line: deep.Line, Column: deep.Column,
			Message: fmt.Sprintf("YAML nests deeper than %d levels; refusing to load it", maxYAMLDepth)}, false
	}
	if total > maxYAMLNodes {
		return Problem{Path: path, Line: doc.Line, Column: doc.Column,
			Message: fmt.Sprintf("YAML aliases expand to more than %d nodes (an alias bomb?); refusing to load it", maxYAMLNodes)}, false
	}
	return Problem{}, true
}

// docMapping returns the mapping node of a document, or nil.
func docMapping(doc *yaml.Node) *yaml.Node {
	n := doc
	if n != nil && n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	if n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	return n
}

// lookup returns the key and value nodes of key in mapping m (nil when absent).
func lookup(m *yaml.Node, key string) (k, v *yaml.Node) {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			v := m.Content[i+1]
			if v.Kind == yaml.AliasNode && v.Alias != nil {
				v = v.Alias
			}
			return m.Content[i], v
		}
	}
	return nil, nil
}

// str returns the scalar value of key in m, or "".
func str(m *yaml.Node, key string) string {
	_, v := lookup(m, key)
	if v == nil || v.Kind != yaml.ScalarNode {
		return ""
	}
	return v.Value
}

// strList returns the scalar items of a sequence (or a lone scalar) at key.
func strList(m *yaml.Node, key string) []string {
	_, v := lookup(m, key)
	var out []string
	for _, n := range items(v) {
		out = append(out, n.Value)
	}
	return out
}

// items returns the scalar items of a sequence node, or the node itself when
// it is a non-empty scalar.
func items(v *yaml.Node) []*yaml.Node {
	if v == nil {
		return nil
	}
	switch v.Kind {
	case yaml.ScalarNode:
		if v.Value == "" || v.Tag == "!!null" {
			return nil
		}
		return []*yaml.Node{v}
	case yaml.SequenceNode:
		out := make([]*yaml.Node, 0, len(v.Content))
		for _, n := range v.Content {
			if n.Kind == yaml.AliasNode && n.Alias != nil {
				n = n.Alias
			}
			if n.Kind == yaml.ScalarNode {
				out = append(out, n)
			}
		}
		return out
	}
	return nil
}

// scalarSpan returns the span of a scalar's text in the file, without quotes.
func scalarSpan(li *lineIndex, n *yaml.Node) Span {
	off := li.offset(n.Line, n.Column)
	src := li.src
	switch n.Style & (yaml.DoubleQuotedStyle | yaml.SingleQuotedStyle | yaml.LiteralStyle | yaml.FoldedStyle) {
	case yaml.DoubleQuotedStyle:
		if off < len(src) && src[off] == '"' {
			start := off + 1
			end := start
			for end < len(src) && src[end] != '"' {
				if src[end] == '\\' {
					end++
				}
				end++
			}
			return li.span(start, min(end, len(src)))
		}
	case yaml.SingleQuotedStyle:
		if off < len(src) && src[off] == '\'' {
			start := off + 1
			end := start
			for end < len(src) {
				if src[end] == '\'' {
					if end+1 < len(src) && src[end+1] == '\'' {
						end += 2
						continue
					}
					break
				}
				end++
			}
			return li.span(start, min(end, len(src)))
		}
	case yaml.LiteralStyle, yaml.FoldedStyle:
		return li.span(off, li.lineEnd(n.Line))
	}
	if bytes.HasPrefix(src[off:], []byte(n.Value)) {
		return li.span(off, off+len(n.Value))
	}
	// A plain scalar over several lines: the first line's text.
	end := li.lineEnd(n.Line)
	first, _, _ := strings.Cut(n.Value, "\n")
	first, _, _ = strings.Cut(first, " ")
	if off+len(first) <= end && bytes.HasPrefix(src[off:], []byte(first)) {
		end = off + len(first)
	}
	return li.span(off, end)
}

// scalarQuery maps a scalar holding KQL (block, quoted or plain) to a Query.
func scalarQuery(li *lineIndex, n *yaml.Node) Query {
	off := li.offset(n.Line, n.Column)
	from, limit := off, len(li.src)
	switch {
	case n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		from = li.lineStart(n.Line + 1)
	case n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0:
		sp := scalarSpan(li, n)
		from, limit = sp.StartOffset, sp.EndOffset
	}
	var m *LineMap
	switch {
	case n.Style&yaml.DoubleQuotedStyle != 0:
		m = alignQuoted(li, n.Value, from, limit, '\\')
	case n.Style&yaml.SingleQuotedStyle != 0:
		m = alignQuoted(li, n.Value, from, limit, '\'')
	default:
		m = alignScalar(li, n.Value, from, limit)
	}
	m.start = li.pos(from)
	q := Query{Text: n.Value, Map: m}
	if len(m.segs) > 0 {
		q.Start = m.Position(0)
		// Position(0) maps to the first segment's start; leading blank or
		// indented text before it still starts there.
	} else {
		q.Start = li.pos(from)
	}
	return q
}

// shape returns the nesting depth of n (capped just past maxYAMLDepth) and
// whether it holds aliases.
func shape(n *yaml.Node, depth int) (int, bool) {
	if depth > maxYAMLDepth {
		return depth, false
	}
	d, aliases := depth, n.Kind == yaml.AliasNode
	for _, c := range n.Content {
		cd, ca := shape(c, depth+1)
		d = max(d, cd)
		aliases = aliases || ca
		if d > maxYAMLDepth {
			break
		}
	}
	return d, aliases
}
