package yamledit

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/huntlint/huntlint/rules"
	"github.com/huntlint/huntlint/rules/yamlsrc"
)

// Addition says which values are appended to the list under Key of the
// root mapping of one document, and where the key goes when it is absent:
// before the first of Before present in the mapping, else at the end.
type Addition struct {
	Key    string
	Values []string
	Before []string
}

// AppendToList returns the edit that makes add: the values appended to the
// block or flow list under add.Key of root (a block mapping, the document's
// root, in src), or the key created with them, or a null value ("tags:")
// replaced by them. Items copy the style of the document's block lists,
// else defIndent ("    - "). It fails, saying why, when the list cannot be
// located exactly; check the result with CheckAdditions.
func AppendToList(src []byte, root *yaml.Node, add Addition, defIndent string) (Edit, error) {
	nl := fileBreak(src)
	k, v := yamlsrc.Lookup(root, add.Key)
	if k == nil {
		return createKey(src, root, add, defIndent, nl)
	}
	switch {
	case v.Kind == yaml.ScalarNode && v.ShortTag() == "!!null" && v.Style&yaml.TaggedStyle == 0 && v.Anchor == "" && v.Line == k.Line && (v.Value == "" || v.Value == "~" || v.Value == "null"):
		// "tags:" with nothing: items go on the following lines.
		kstart, ok := NodeOffset(src, k)
		if !ok {
			return Edit{}, fmt.Errorf("cannot locate the %s key", add.Key)
		}
		start, end := kstart, kstart
		if v.Value != "" {
			if start, ok = NodeOffset(src, v); !ok {
				return Edit{}, fmt.Errorf("cannot locate the %s value", add.Key)
			}
			end = start + len(v.Value)
		} else {
			// at the end of the key's line, after any comment
			start, _ = lineEnd(src, kstart)
			end = start
		}
		prefix := itemStyle(src, root, indentOf(src, kstart)+defIndent)
		var b strings.Builder
		for _, x := range add.Values {
			b.WriteString(nl + prefix + QuoteLike(nil, x, false))
		}
		return Edit{Start: start, End: end, New: b.String()}, nil
	case v.Kind != yaml.SequenceNode:
		return Edit{}, fmt.Errorf("%s is not a list", add.Key)
	case IsFlow(src, v):
		return appendFlow(src, v, add)
	case len(v.Content) == 0:
		return Edit{}, fmt.Errorf("the %s list is empty", add.Key)
	}
	return appendBlock(src, v, add, nl)
}

// indentOf returns the blanks before offset i on its line, or "" when
// anything else stands there.
func indentOf(src []byte, i int) string {
	ls := lineStart(src, i)
	if ls > i || !onlySpaces(src[ls:i]) {
		return ""
	}
	return string(src[ls:i])
}

func onlySpaces(b []byte) bool {
	for _, c := range b {
		if c != ' ' {
			return false
		}
	}
	return true
}

// itemStyle returns the prefix of block list items in root ("    - "),
// copied from the first block list of the mapping that can be read exactly,
// or def.
func itemStyle(src []byte, root *yaml.Node, def string) string {
	for i := 1; i < len(root.Content); i += 2 {
		v := root.Content[i]
		if v.Kind != yaml.SequenceNode || IsFlow(src, v) || len(v.Content) == 0 {
			continue
		}
		it := v.Content[0]
		if it.Line != v.Line {
			continue
		}
		dash, ok := NodeOffset(src, v)
		start, ok2 := NodeOffset(src, it)
		if !ok || !ok2 || dash >= start || src[dash] != '-' {
			continue
		}
		ind := indentOf(src, dash)
		if ind == "" && lineStart(src, dash) != dash {
			continue
		}
		if gap := src[dash+1 : start]; len(gap) > 0 && len(gap) <= 3 && onlySpaces(gap) {
			return ind + "-" + string(gap)
		}
	}
	return def
}

// appendBlock appends items to the block list v after its last item,
// indented as its dash.
func appendBlock(src []byte, v *yaml.Node, add Addition, nl string) (Edit, error) {
	dash, ok := NodeOffset(src, v)
	if !ok || dash >= len(src) || src[dash] != '-' {
		return Edit{}, fmt.Errorf("cannot locate the %s list", add.Key)
	}
	ls := lineStart(src, dash)
	if !onlySpaces(src[ls:dash]) {
		return Edit{}, fmt.Errorf("the %s list does not start its line", add.Key)
	}
	dashIndent := dash - ls
	// The gap after the dash, from an item on its dash's line.
	gap := " "
	for _, it := range v.Content {
		s, ok := NodeOffset(src, it)
		if !ok || s <= 0 {
			continue
		}
		d := s - 1
		for d > 0 && src[d] == ' ' {
			d--
		}
		if src[d] == '-' && d >= lineStart(src, s) && onlySpaces(src[lineStart(src, s):d]) && d-lineStart(src, s) == dashIndent && s-d-1 >= 1 && s-d-1 <= 3 {
			gap = string(src[d+1 : s])
			break
		}
	}
	// The last item runs over the lines indented more than the dash, and
	// blank ones between them; the new items go after its last non-blank
	// line.
	last := v.Content[len(v.Content)-1]
	lines := rules.LinesOf(src)
	from := last.Line
	if from < 1 || from > lines.Count() {
		return Edit{}, fmt.Errorf("cannot locate the last %s item", add.Key)
	}
	endLine := from
	for l := from + 1; l <= lines.Count(); l++ {
		s, _ := lines.Start(l)
		e, _ := lines.End(l)
		text := src[s:e]
		trimmed := bytes.TrimLeft(text, " ")
		if len(bytes.TrimSpace(text)) == 0 {
			continue
		}
		if len(text)-len(trimmed) <= dashIndent {
			break
		}
		endLine = l
	}
	e, brk := lines.End(endLine)
	at := e + brk
	var b strings.Builder
	if brk == 0 {
		b.WriteString(nl)
	}
	for _, x := range add.Values {
		b.WriteString(strings.Repeat(" ", dashIndent) + "-" + gap + QuoteLike(nil, x, false) + nl)
	}
	return Edit{Start: at, End: at, New: b.String()}, nil
}

// appendFlow appends items to the flow list v ([a, b]).
func appendFlow(src []byte, v *yaml.Node, add Addition) (Edit, error) {
	open, ok := NodeOffset(src, v)
	if !ok || open >= len(src) || src[open] != '[' {
		return Edit{}, fmt.Errorf("cannot locate the %s list", add.Key)
	}
	close := matchingBracket(src, open)
	if close < 0 {
		return Edit{}, fmt.Errorf("cannot find the end of the %s list", add.Key)
	}
	vals := make([]string, len(add.Values))
	for i, x := range add.Values {
		vals[i] = QuoteLike(nil, x, true)
	}
	joined := strings.Join(vals, ", ")
	if len(v.Content) == 0 {
		if !onlyBlank(bytes.TrimSpace(src[open+1 : close])) {
			return Edit{}, fmt.Errorf("cannot read the empty %s list", add.Key)
		}
		return Edit{Start: open + 1, End: close, New: joined}, nil
	}
	_, end, ok := ScalarExtent(src, v.Content[len(v.Content)-1], true)
	if !ok {
		return Edit{}, fmt.Errorf("cannot locate the last %s item", add.Key)
	}
	// A trailing comma ("[a, b,]") is kept, the items go after it.
	j := end
	for j < close {
		switch {
		case src[j] == ' ' || src[j] == '\t' || breakLen(src, j) > 0:
			j++
		case src[j] == '#' && j > end:
			for j < close && breakLen(src, j) == 0 {
				j++
			}
		default:
			goto read
		}
	}
read:
	if src[j] == ',' {
		return Edit{Start: j + 1, End: j + 1, New: " " + joined + ","}, nil
	}
	if j != close {
		return Edit{}, fmt.Errorf("cannot read the end of the %s list", add.Key)
	}
	return Edit{Start: end, End: end, New: ", " + joined}, nil
}

// createKey adds "key:" with the values as a block list to root: on the
// line of the first of add.Before present, else after the document's last
// line.
func createKey(src []byte, root *yaml.Node, add Addition, defIndent, nl string) (Edit, error) {
	if len(root.Content) == 0 {
		return Edit{}, fmt.Errorf("the document is an empty mapping; cannot add %s", add.Key)
	}
	first, ok := NodeOffset(src, root.Content[0])
	if !ok {
		return Edit{}, fmt.Errorf("cannot locate the document")
	}
	indent := indentOf(src, first)
	if indent == "" && lineStart(src, first) != first {
		return Edit{}, fmt.Errorf("the document's first key does not start its line; cannot add %s", add.Key)
	}
	var b strings.Builder
	b.WriteString(indent + add.Key + ":" + nl)
	prefix := itemStyle(src, root, indent+defIndent)
	for _, x := range add.Values {
		b.WriteString(prefix + QuoteLike(nil, x, false) + nl)
	}
	for _, bk := range add.Before {
		kn, _ := yamlsrc.Lookup(root, bk)
		if kn == nil {
			continue
		}
		off, ok := NodeOffset(src, kn)
		if ok && lineStart(src, off)+len(indent) == off {
			at := lineStart(src, off)
			return Edit{Start: at, End: at, New: b.String()}, nil
		}
		break
	}
	at := docEnd(src, root)
	if at > 0 && at == len(src) && breakLen(src, at-1) == 0 && !(at >= 2 && src[at-2] == '\r' && src[at-1] == '\n') {
		return Edit{Start: at, End: at, New: nl + b.String()}, nil
	}
	return Edit{Start: at, End: at, New: b.String()}, nil
}

// docEnd is the offset where the document of root ends: after the last
// line of its last node and the lines indented below it (block scalars),
// or the end of the file.
func docEnd(src []byte, root *yaml.Node) int {
	lines := rules.LinesOf(src)
	last := lastLine(root)
	if last < 1 || last > lines.Count() {
		return len(src)
	}
	e, n := lines.End(last)
	end := e + n
	for l := last + 1; l <= lines.Count(); l++ {
		s, _ := lines.Start(l)
		le, ln := lines.End(l)
		rest := src[s:le]
		if len(rest) > 0 && (rest[0] == ' ' || rest[0] == '\t') {
			end = le + ln
			continue
		}
		break
	}
	return end
}

func lastLine(n *yaml.Node) int {
	l := n.Line
	for _, c := range n.Content {
		l = max(l, lastLine(c))
	}
	return l
}

// matchingBracket returns the offset of the ']' closing the '[' at open,
// skipping quoted strings and comments, or -1.
func matchingBracket(src []byte, open int) int {
	depth := 0
	for i := open; i < len(src); i++ {
		switch src[i] {
		case '[', '{':
			depth++
		case ']', '}':
			depth--
			if depth == 0 {
				if src[i] != ']' {
					return -1
				}
				return i
			}
		case '#':
			if i > 0 && (src[i-1] == ' ' || src[i-1] == '\t' || breakLen(src, i-1) > 0) {
				for i < len(src) && breakLen(src, i) == 0 {
					i++
				}
			}
		case '"', '\'':
			q := src[i]
			for i++; i < len(src) && src[i] != q; i++ {
				if q == '"' && src[i] == '\\' {
					i++
				}
			}
		}
	}
	return -1
}

// Documents decodes every YAML document of src.
func Documents(src []byte) ([]*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(src))
	var docs []*yaml.Node
	for {
		var n yaml.Node
		if err := dec.Decode(&n); err != nil {
			if err == io.EOF {
				return docs, nil
			}
			return nil, err
		}
		docs = append(docs, &n)
	}
}

// DocIndex returns the index among docs of the document whose root mapping
// stands where root does, or -1.
func DocIndex(docs []*yaml.Node, root *yaml.Node) int {
	for i, d := range docs {
		r := d
		if r.Kind == yaml.DocumentNode && len(r.Content) > 0 {
			r = r.Content[0]
		}
		if r.Line == root.Line && r.Column == root.Column {
			return i
		}
	}
	return -1
}

// CheckAdditions proves that after is before with adds made: after parses,
// has the same documents, and each loads to the same tree (kinds, tags,
// values, anchors, order; not positions, styles or comments) except that
// the root mappings of the documents named in adds have the values
// appended to their lists, the lists or keys created as needed.
func CheckAdditions(before, after []byte, adds map[int][]Addition) error {
	bd, err := Documents(before)
	if err != nil {
		return fmt.Errorf("the original does not parse: %v", err)
	}
	ad, err := Documents(after)
	if err != nil {
		return fmt.Errorf("the edit would leave invalid YAML: %v", err)
	}
	if len(ad) != len(bd) {
		return fmt.Errorf("the edit would change the number of documents from %d to %d", len(bd), len(ad))
	}
	for i := range bd {
		want := bd[i]
		if as := adds[i]; len(as) > 0 {
			want = expected(want, as)
			if want == nil {
				return fmt.Errorf("document %d is not a mapping", i+1)
			}
		}
		if !sameTree(want, ad[i], 0) {
			return fmt.Errorf("the edit would change document %d beyond the added values", i+1)
		}
	}
	return nil
}

// expected returns a copy of doc with adds made, or nil.
func expected(doc *yaml.Node, adds []Addition) *yaml.Node {
	d := copyNode(doc)
	root := d
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		root = root.Content[0]
	}
	if root.Kind != yaml.MappingNode {
		return nil
	}
	for _, a := range adds {
		var items []*yaml.Node
		for _, x := range a.Values {
			items = append(items, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: x})
		}
		k, v := yamlsrc.Lookup(root, a.Key)
		switch {
		case k == nil:
			kv := []*yaml.Node{{Kind: yaml.ScalarNode, Tag: "!!str", Value: a.Key}, {Kind: yaml.SequenceNode, Tag: "!!seq", Content: items}}
			at := len(root.Content)
		find:
			for _, bk := range a.Before {
				for i := 0; i+1 < len(root.Content); i += 2 {
					if root.Content[i].Value == bk {
						at = i
						break find
					}
				}
			}
			root.Content = append(root.Content[:at], append(kv, root.Content[at:]...)...)
		case v.Kind == yaml.SequenceNode:
			v.Content = append(v.Content, items...)
		default:
			*v = yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: items}
		}
	}
	return d
}

func copyNode(n *yaml.Node) *yaml.Node {
	if n == nil {
		return nil
	}
	c := *n
	c.Content = make([]*yaml.Node, len(n.Content))
	for i, ch := range n.Content {
		c.Content[i] = copyNode(ch)
	}
	return &c
}

// sameTree compares what two nodes load to.
func sameTree(a, b *yaml.Node, depth int) bool {
	if a == nil || b == nil {
		return a == b
	}
	if depth > 10000 {
		return false
	}
	if a.Kind != b.Kind || a.ShortTag() != b.ShortTag() || a.Value != b.Value || a.Anchor != b.Anchor || len(a.Content) != len(b.Content) {
		return false
	}
	if a.Kind == yaml.AliasNode {
		return true // same anchor name, compared above
	}
	for i := range a.Content {
		if !sameTree(a.Content[i], b.Content[i], depth+1) {
			return false
		}
	}
	return true
}
