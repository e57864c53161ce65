package linter

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/huntlint/huntlint/internal/textdist"
	"github.com/huntlint/huntlint/rules"
	"github.com/huntlint/huntlint/rules/yamlsrc"
	"gopkg.in/yaml.v3"
)

// This file holds the YAML helpers shared by the Sigma and Sentinel structure
// checks: they read the yaml.v3 node tree the loaders keep in Rule.Doc and turn
// node positions into spans, without parsing the YAML again.

// isScalar reports whether n is a non-null scalar.
func isScalar(n *yaml.Node) bool {
	n = yamlsrc.Resolve(n)
	return n != nil && n.Kind == yaml.ScalarNode && n.Tag != "!!null"
}

// isNullNode reports whether n is absent or an explicit null (`key:` or `key: ~`).
func isNullNode(n *yaml.Node) bool {
	n = yamlsrc.Resolve(n)
	return n == nil || (n.Kind == yaml.ScalarNode && n.Tag == "!!null")
}

// nodeKindName names a node's kind for messages.
func nodeKindName(n *yaml.Node) string {
	n = yamlsrc.Resolve(n)
	if n == nil {
		return "nothing"
	}
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "null"
		}
		return "a scalar"
	}
	return "a YAML node"
}

// posSpan returns a span of width characters on one line, starting at the
// 1-based line and column, with byte offsets looked up in the line index of
// src; the offsets stop at the line's end.
func posSpan(src []byte, line, col, width int) rules.Span {
	if width < 1 {
		width = 1
	}
	s := rules.Span{Start: rules.Pos{Line: line, Column: col}, End: rules.Pos{Line: line, Column: col + width}}
	l := rules.LinesOf(src)
	a, ok := l.ClampedOffset(line, col)
	if !ok {
		return s
	}
	b, _ := l.ClampedOffset(line, max(col, 1)+width)
	s.StartOffset, s.EndOffset = a, b
	return s
}

// nodeSpan returns the span of a node where findings point: a scalar's
// text (quotes included) on its first line, or the first character of a
// collection (see yamlsrc.Span).
func nodeSpan(r *rules.Rule, n *yaml.Node) rules.Span {
	if n == nil {
		return docSpan(r)
	}
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	width := 1
	l := rules.LinesOf(r.Source)
	if off, ok := l.ClampedOffset(n.Line, n.Column); ok {
		end, _ := l.End(n.Line)
		s, e := yamlsrc.Span(r.Source, n, off, end)
		width = utf8.RuneCount(r.Source[s:e])
	} else if n.Kind == yaml.ScalarNode || n.Kind == yaml.AliasNode {
		width = utf8.RuneCountInString(n.Value)
	}
	return posSpan(r.Source, n.Line, n.Column, width)
}

// docSpan points at the start of a rule's document (for missing fields with
// no better place).
func docSpan(r *rules.Rule) rules.Span {
	if root := yamlsrc.Root(r.Doc); root != nil && root.Line > 0 {
		return posSpan(r.Source, root.Line, root.Column, 1)
	}
	line, col := r.Start.Line, r.Start.Column
	if line < 1 {
		line = 1
	}
	if col < 1 {
		col = 1
	}
	return posSpan(r.Source, line, col, 1)
}

// scalarSubSpan returns the span of the characters [from, from+width) of a
// single-line scalar's value, adjusting for an opening quote; it falls back to
// the whole node for block and multi-line scalars.
func scalarSubSpan(r *rules.Rule, n *yaml.Node, from, width int) rules.Span {
	if n.Kind != yaml.ScalarNode || n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		return nodeSpan(r, n)
	}
	v := valueFactsOf(n)
	if v.newline {
		return nodeSpan(r, n)
	}
	col := n.Column
	if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
		col++
		if v.quoteChars { // escapes shift columns
			return nodeSpan(r, n)
		}
	}
	w := utf8.RuneCountInString(n.Value[from : from+width])
	return posSpan(r.Source, n.Line, col+v.runes(n.Value, from), w)
}

// valueFacts are what scalarSubSpan needs to know of a scalar's whole
// value: a line break, quote or backslash in it, and where its characters
// fall. Long values keep theirs in a cache, so that many sub-spans of one
// value (a condition naming thousands of searches) take linear time.
type valueFacts struct {
	newline, quoteChars bool
	ascii               bool
	// For long non-ASCII values, at each multiple k of valueMarkStep: the
	// first character start at or after byte k*valueMarkStep, and the
	// number of characters before it.
	markByte, markRunes []int
}

const valueMarkStep = 64

// longValue is the length from which a value's facts are cached.
const longValue = 256

// valueFactsCache keeps the facts of long values, which several checks of a
// rule measure positions in.
var valueFactsCache smallCache[*yaml.Node, *valueFacts]

func valueFactsOf(n *yaml.Node) *valueFacts {
	long := len(n.Value) >= longValue
	if long {
		if f, ok := valueFactsCache.get(n); ok {
			return f
		}
	}
	v := n.Value
	f := &valueFacts{newline: strings.ContainsRune(v, '\n'), quoteChars: strings.ContainsAny(v, "\\'\""), ascii: true}
	for i := 0; i < len(v); i++ {
		if v[i] >= utf8.RuneSelf {
			f.ascii = false
			break
		}
	}
	if long && !f.ascii {
		c, m := 0, 0
		for i := range v {
			for m*valueMarkStep <= i {
				f.markByte, f.markRunes = append(f.markByte, i), append(f.markRunes, c)
				m++
			}
			c++
		}
		for m*valueMarkStep <= len(v) {
			f.markByte, f.markRunes = append(f.markByte, len(v)), append(f.markRunes, c)
			m++
		}
	}
	if long {
		valueFactsCache.put(n, f)
	}
	return f
}

// runes returns the number of characters in v[:off] (v is the value the
// facts are of).
func (f *valueFacts) runes(v string, off int) int {
	switch {
	case f.ascii:
		return off
	case f.markByte == nil:
		return utf8.RuneCountInString(v[:off])
	}
	k := off / valueMarkStep
	if f.markByte[k] > off {
		k--
	}
	return f.markRunes[k] + utf8.RuneCountInString(v[f.markByte[k]:off])
}

// replaceScalarFix returns a safe fix that replaces scalar n's text with
// value, quoted like n; nil when n's text cannot be located exactly.
func replaceScalarFix(r *rules.Rule, n *yaml.Node, value, desc string) *Fix {
	start, end, ok := ScalarExtent(r.Source, n, false)
	if !ok {
		return nil
	}
	text := value
	switch {
	case n.Style&yaml.DoubleQuotedStyle != 0:
		text = strconv.Quote(value)
	case n.Style&yaml.SingleQuotedStyle != 0:
		text = "'" + strings.ReplaceAll(value, "'", "''") + "'"
	}
	return &Fix{Applicability: FixSafe, Description: desc, Edits: []Edit{{Start: start, End: end, New: text}}}
}

// scalarList returns the scalar items of n: a list's scalar items, or n
// itself when it is a scalar.
func scalarList(n *yaml.Node) []*yaml.Node {
	n = yamlsrc.Resolve(n)
	if n == nil {
		return nil
	}
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return nil
		}
		return []*yaml.Node{n}
	case yaml.SequenceNode:
		out := make([]*yaml.Node, 0, len(n.Content))
		for _, c := range n.Content {
			if c = yamlsrc.Resolve(c); c != nil && c.Kind == yaml.ScalarNode {
				out = append(out, c)
			}
		}
		return out
	}
	return nil
}

// quoteList renders values as "a", "b" or "c" for messages.
func quoteList(vs []string) string {
	q := make([]string, len(vs))
	for i, v := range vs {
		q[i] = strconv.Quote(v)
	}
	switch len(q) {
	case 0:
		return ""
	case 1:
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

// suggestName returns "; did you mean \"x\"" for the name of known nearest to
// s (within a third of its length, at least 1 and at most 3 edits), or "".
func suggestName(s string, known []string) string {
	best, ok := textdist.Nearest(s, known, min(3, max(1, len(s)/3)), true)
	if !ok {
		return ""
	}
	return "; did you mean " + strconv.Quote(best)
}

// nearestName returns the name suggestName would propose, or "".
func nearestName(s string, known []string) string {
	h := suggestName(s, known)
	if h == "" {
		return ""
	}
	v, _ := strconv.Unquote(strings.TrimPrefix(h, "; did you mean "))
	return v
}

// valueFix returns a fix that replaces the scalar value n with value, quoted
// like n; nil when n's text cannot be located exactly.
func valueFix(r *rules.Rule, n *yaml.Node, value string, app Applicability, desc string) *Fix {
	flow := false
	start, end, ok := ScalarExtent(r.Source, n, false)
	if !ok {
		// Items of flow sequences ([a, b]) end before "," or "]".
		if start, end, ok = ScalarExtent(r.Source, n, true); !ok {
			return nil
		}
		flow = true
	}
	return &Fix{Applicability: app, Description: desc, Edits: []Edit{{Start: start, End: end, New: quoteLike(n, value, flow)}}}
}

// keyFix returns a fix that renames the mapping key k to name.
func keyFix(r *rules.Rule, k *yaml.Node, name string, app Applicability, desc string) *Fix {
	start, end, ok := keyExtent(r.Source, k)
	if !ok {
		return nil
	}
	return &Fix{Applicability: app, Description: desc, Edits: []Edit{{Start: start, End: end, New: quoteLike(k, name, false)}}}
}

// valueDesc describes a node for messages: a scalar's quoted value, or its
// kind ("a list").
func valueDesc(n *yaml.Node) string {
	n = yamlsrc.Resolve(n)
	if n != nil && n.Kind == yaml.ScalarNode && n.Tag != "!!null" {
		return strconv.Quote(n.Value)
	}
	return nodeKindName(n)
}
