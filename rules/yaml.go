package rules

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/huntlint/huntlint/rules/yamlsrc"
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
			return nil, []Problem{yamlProblem(path, li, err)}
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
			return nil, []Problem{yamlProblem(path, li, err)}
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
// allowed in this context") into a Problem at the line and column of the
// character the parser stopped at (see yamlErrorAt).
func yamlProblem(path string, li *lineIndex, err error) Problem {
	line, msg := splitYAMLError(err)
	p := Problem{Path: path, Message: "invalid YAML: " + msg}
	if off, ok := yamlErrorAt(li, msg); ok {
		pos := li.pos(off)
		p.Line, p.Column = pos.Line, pos.Column
	} else if line > 0 {
		p.Line = min(line, li.lines())
		p.Column = firstColumn(li, p.Line)
	}
	return p
}

// splitYAMLError splits a yaml.v3 error into the line it names (0 when
// none) and its message.
func splitYAMLError(err error) (int, string) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	var line int
	if n, _ := fmt.Sscanf(msg, "line %d:", &line); n == 1 {
		if i := strings.Index(msg, ": "); i >= 0 {
			msg = msg[i+2:]
		}
		return line, msg
	}
	return 0, msg
}

// firstColumn returns the column of the first non-blank character of line
// n (1 when it is blank).
func firstColumn(li *lineIndex, n int) int {
	return li.pos(lineStartOrFirst(li, n)).Column
}

// maxRefineSize is the largest file whose YAML errors are located by
// re-parsing (below: some 20 parses of a prefix, tens of milliseconds at
// this size, while a rule is a few kB); larger files keep the line
// yaml.v3 names.
const maxRefineSize = 64 << 10

// yamlErrorAt locates a YAML syntax error exactly. yaml.v3 names only a
// line, and for errors of the parser (not the scanner) the line of the
// collection it was parsing, or the line before the error; it never names
// a column, and none at all for errors on the first line. The error's
// place is found by parsing prefixes of the text with yaml.v3: the line
// whose addition makes the text fail with the same message, then the
// character of that line that does (the ':' of "mapping values are not
// allowed", the '@' of "cannot start any token", the quote of a string
// that never ends).
func yamlErrorAt(li *lineIndex, msg string) (int, bool) {
	src := li.src
	if len(src) > maxRefineSize || msg == "" {
		return 0, false
	}
	failsAt := func(end int) bool { return yamlParseError(src[:end]) == msg }
	n := li.lines()
	lineEnd := func(k int) int { // the prefix of lines 1..k, line break included
		if k >= n {
			return len(src)
		}
		return li.lineStart(k + 1)
	}
	if !failsAt(len(src)) {
		return 0, false
	}
	lo, hi := 0, n // prefix lo lines does not fail with msg, prefix hi lines does
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if failsAt(lineEnd(mid)) {
			hi = mid
		} else {
			lo = mid
		}
	}
	k := hi
	e := li.lineEnd(k)
	line := src[li.lineStart(k):e]
	switch {
	case strings.Contains(msg, "tab character"):
		if i := bytes.IndexByte(line, '\t'); i >= 0 {
			return li.lineStart(k) + i, true
		}
	case strings.HasPrefix(msg, "unknown anchor '"):
		name := strings.TrimSuffix(strings.TrimPrefix(msg, "unknown anchor '"), "' referenced")
		if i := bytes.Index(line, []byte("*"+name)); i >= 0 {
			return li.lineStart(k) + i, true
		}
	}
	if !failsAt(e) {
		// Only the line break completes the error: the line's end.
		return lineStartOrFirst(li, k), true
	}
	// The shortest prefix of the line that fails: its last character is
	// where the parser stopped.
	clo, chi := li.lineStart(k), e
	if failsAt(clo) {
		return lineStartOrFirst(li, k), true
	}
	for chi-clo > 1 {
		mid := clo + (chi-clo)/2
		for mid > clo && mid < chi && !utf8.RuneStart(src[mid]) {
			mid--
		}
		if mid == clo {
			break
		}
		if failsAt(mid) {
			chi = mid
		} else {
			clo = mid
		}
	}
	off := chi - 1
	for off > li.lineStart(k) && !utf8.RuneStart(src[off]) {
		off--
	}
	if strings.Contains(msg, "escape") && off > li.lineStart(k) && src[off-1] == '\\' {
		off--
	}
	if msg == "did not find expected key" || msg == "did not find expected '-' indicator" {
		// The token the parser did not expect: back to its start (the key
		// whose ':' ended it).
		for off > li.lineStart(k) && src[off-1] != ' ' && src[off-1] != '\t' {
			off--
		}
	}
	if strings.HasPrefix(msg, "did not find expected ',' or ") {
		// An unclosed flow collection: its opening bracket on this line.
		open := byte('[')
		if strings.HasSuffix(msg, "'}'") {
			open = '{'
		}
		if i := bytes.LastIndexByte(src[li.lineStart(k):off+1], open); i >= 0 {
			off = li.lineStart(k) + i
		}
	}
	return off, true
}

// lineStartOrFirst returns the offset of the first non-blank character of
// line k, or its start.
func lineStartOrFirst(li *lineIndex, k int) int {
	s, e := li.lineStart(k), li.lineEnd(k)
	for i := s; i < e; i++ {
		if li.src[i] != ' ' && li.src[i] != '\t' {
			return i
		}
	}
	return s
}

// yamlParseError parses every document of src and returns the message of
// the first error ("" when there is none), without its line.
func yamlParseError(src []byte) string {
	dec := yaml.NewDecoder(bytes.NewReader(src))
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return ""
		}
		if err != nil {
			_, msg := splitYAMLError(err)
			return msg
		}
	}
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
func docMapping(doc *yaml.Node) *yaml.Node { return yamlsrc.Root(doc) }

// lookup returns the key and value nodes of key in mapping m (nil when
// absent), the value's alias followed. Of a key written twice (a load
// problem, see duplicateKeys) the last one counts: yamlsrc's rule, the same
// for every check.
func lookup(m *yaml.Node, key string) (k, v *yaml.Node) {
	k, v = yamlsrc.Lookup(m, key)
	return k, yamlsrc.Resolve(v)
}

// duplicateKeys returns a problem at each key that repeats an earlier key
// of the same mapping, anywhere in doc: YAML forbids it, and tools disagree
// on which of the two counts.
func duplicateKeys(path string, doc *yaml.Node) []Problem {
	var out []Problem
	yamlsrc.Duplicates(doc, func(k, f *yaml.Node) {
		out = append(out, Problem{Path: path, Line: k.Line, Column: k.Column,
			Message: fmt.Sprintf("duplicate key %q: the mapping already has it at line %d; YAML allows a key once "+
				"and tools disagree on which one counts (huntlint reads this last one): merge the two or remove one", k.Value, f.Line)})
	})
	return out
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

// scalarSpan returns the span of a scalar's text in the file, without
// quotes (see yamlsrc.ScalarText).
func scalarSpan(li *lineIndex, n *yaml.Node) Span {
	return li.span(yamlsrc.ScalarText(li.src, n, li.offset(n.Line, n.Column), li.lineEnd(n.Line)))
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
