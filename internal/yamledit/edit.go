// Package yamledit is huntlint's one engine for editing YAML text: it builds
// byte-range edits from yaml.v3 nodes that change only the bytes they must,
// for the fixes of `fix` and `migrate` and the tags of `tag --write`.
package yamledit

import (
	"bytes"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/huntlint/huntlint/rules"
)

// Edit replaces the bytes [Start, End) of a file's original text with New.
type Edit struct {
	Start, End int
	New        string
}

// This file builds byte-range edits on YAML source text from yaml.v3 nodes.
// yaml.v3 gives nodes a 1-based line and a 1-based column counted in
// characters, after a UTF-8 byte order mark; lines break at LF, CRLF, CR,
// NEL, LS and PS. Every helper here works on the original bytes and returns
// nil when it cannot produce an edit it is sure of, so that a fix is never
// offered that could damage a file.

// NodeOffset returns the byte offset in src of the first character of n
// (its line and column as yaml.v3 reports them), or false when the position
// is outside src.
func NodeOffset(src []byte, n *yaml.Node) (int, bool) {
	if n == nil {
		return 0, false
	}
	return PosOffset(src, n.Line, n.Column)
}

// PosOffset converts a 1-based line and character column, counted the way
// yaml.v3 counts them, into a byte offset in src. It looks the position up
// in the line index of src (built once per loaded file), never rescanning
// the text.
func PosOffset(src []byte, line, col int) (int, bool) {
	if line < 1 || col < 1 {
		return 0, false
	}
	return rules.LinesOf(src).Offset(line, col)
}

// breakLen returns the byte length of the line break at src[i], or 0.
func breakLen(src []byte, i int) int {
	if i >= len(src) {
		return 0
	}
	switch src[i] {
	case '\n':
		return 1
	case '\r':
		if i+1 < len(src) && src[i+1] == '\n' {
			return 2
		}
		return 1
	case 0xC2:
		if i+1 < len(src) && src[i+1] == 0x85 {
			return 2
		}
	case 0xE2:
		if i+2 < len(src) && src[i+1] == 0x80 && (src[i+2] == 0xA8 || src[i+2] == 0xA9) {
			return 3
		}
	}
	return 0
}

// lineStart returns the offset of the first byte of the line holding offset i.
func lineStart(src []byte, i int) int {
	if i > 0 && i <= len(src) && src[i-1] == '\r' {
		return i // right after the CR of a CRLF, as a scan back stops there
	}
	l := rules.LinesOf(src)
	s, _ := l.Start(l.Line(i))
	return s
}

// lineEnd returns the offset of the line break ending the line that holds
// offset i (len(src) on the last line) and the break's length.
func lineEnd(src []byte, i int) (end, brk int) {
	l := rules.LinesOf(src)
	if e, n := l.End(l.Line(i)); i <= e {
		return e, n
	}
	return scanLineEnd(src, i) // i stands inside a line break
}

// scanLineEnd is lineEnd by a scan forward from i, for text that is not a
// whole file (a slice between two items).
func scanLineEnd(src []byte, i int) (end, brk int) {
	for i < len(src) {
		if n := breakLen(src, i); n > 0 {
			return i, n
		}
		i++
	}
	return len(src), 0
}

// fileBreak returns the first line break of src, "\n" when there is none.
func fileBreak(src []byte) string {
	l := rules.LinesOf(src)
	if l.Count() < 2 {
		return "\n"
	}
	e, n := l.End(1)
	return string(src[e : e+n])
}

// onlyBlank reports whether b holds only spaces and tabs.
func onlyBlank(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' {
			return false
		}
	}
	return true
}

// restIsComment reports whether b (the rest of a line) holds only blanks and
// an optional comment.
func restIsComment(b []byte) bool {
	for i, c := range b {
		switch c {
		case ' ', '\t':
			continue
		case '#':
			return i == 0 || b[i-1] == ' ' || b[i-1] == '\t'
		default:
			return false
		}
	}
	return true
}

// ScalarExtent returns the byte range [start, end) that the scalar node n
// occupies in src: quotes included, trailing blanks and comments excluded.
// flow says whether n stands inside a flow collection. It fails for block
// scalars (| and >), multi-line scalars, tagged or anchored scalars and
// anything whose text does not read back as n.Value.
func ScalarExtent(src []byte, n *yaml.Node, flow bool) (start, end int, ok bool) {
	if n == nil || n.Kind != yaml.ScalarNode || n.Anchor != "" {
		return 0, 0, false
	}
	start, ok = NodeOffset(src, n)
	if !ok || start >= len(src) {
		return 0, 0, false
	}
	lend, _ := lineEnd(src, start)
	switch {
	case n.Style&yaml.DoubleQuotedStyle != 0:
		if src[start] != '"' {
			return 0, 0, false
		}
		for i := start + 1; i < lend; i++ {
			switch src[i] {
			case '\\':
				i++
			case '"':
				end = i + 1
				if !quotedReadsBack(src[start:end], n.Value) {
					return 0, 0, false
				}
				return start, end, true
			}
		}
		return 0, 0, false
	case n.Style&yaml.SingleQuotedStyle != 0:
		if src[start] != '\'' {
			return 0, 0, false
		}
		for i := start + 1; i < lend; i++ {
			if src[i] == '\'' {
				if i+1 < lend && src[i+1] == '\'' {
					i++
					continue
				}
				end = i + 1
				if strings.ReplaceAll(string(src[start+1:i]), "''", "'") != n.Value {
					return 0, 0, false
				}
				return start, end, true
			}
		}
		return 0, 0, false
	case n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		return 0, 0, false
	}
	// Plain scalar: ends before " #", at the line end, and in flow context
	// before ",", "]", "}" (and ": ").
	if !flow {
		return plainExtent(src, n.Value, start, lend)
	}
	end = start
	for i := start; i < lend; i++ {
		c := src[i]
		if c == '#' && i > start && (src[i-1] == ' ' || src[i-1] == '\t') {
			break
		}
		if c == ',' || c == ']' || c == '}' || c == '[' || c == '{' {
			break
		}
		if c == ':' && (i+1 >= lend || src[i+1] == ' ' || src[i+1] == '\t' || src[i+1] == ',') {
			break
		}
		end = i + 1
	}
	for end > start && (src[end-1] == ' ' || src[end-1] == '\t') {
		end--
	}
	if string(src[start:end]) != n.Value {
		return 0, 0, false
	}
	// A plain scalar continued on the next line fails the comparison above,
	// since its value holds the continuation.
	return start, end, true
}

// plainExtent finds a plain scalar of value v at src[start:] in block
// context, where it runs to a comment (" #") or the line end lend, trailing
// blanks excluded. It reads the value's bytes and the blanks after them, not
// the rest of the line, so that many lookups on one long line stay linear.
func plainExtent(src []byte, v string, start, lend int) (int, int, bool) {
	end := start + len(v)
	if end > lend || string(src[start:end]) != v || strings.Contains(v, " #") || strings.Contains(v, "\t#") ||
		strings.HasSuffix(v, " ") || strings.HasSuffix(v, "\t") {
		return 0, 0, false
	}
	for i := end; i < lend; i++ {
		switch src[i] {
		case ' ', '\t':
			continue
		case '#':
			if i > end { // after a blank: a comment
				return start, end, true
			}
		}
		return 0, 0, false
	}
	return start, end, true
}

// quotedReadsBack reports whether the double-quoted text q decodes to v.
func quotedReadsBack(q []byte, v string) bool {
	var s string
	if err := yaml.Unmarshal(q, &s); err != nil {
		return false
	}
	return s == v
}

// seqIndex returns the index of item in seq.Content, or -1. Items stand in
// text order, so it looks where item's position falls among them first.
func seqIndex(seq, item *yaml.Node) int {
	if seq == nil || seq.Kind != yaml.SequenceNode {
		return -1
	}
	if i := childAt(seq.Content, item); i >= 0 {
		return i
	}
	for i, c := range seq.Content {
		if c == item {
			return i
		}
	}
	return -1
}

// childAt returns the index of item in cs, found by its position among the
// nodes cs, which stand in text order; -1 when it is not found that way.
func childAt(cs []*yaml.Node, item *yaml.Node) int {
	i := lastAtOrBefore(cs, item)
	for j := i; j >= 0 && !nodeBefore(cs[j], item); j-- {
		if cs[j] == item {
			return j
		}
	}
	return -1
}

// lastAtOrBefore returns the index of the last node of cs that starts at or
// before item's position, or -1.
func lastAtOrBefore(cs []*yaml.Node, item *yaml.Node) int {
	return sort.Search(len(cs), func(i int) bool { return nodeBefore(item, cs[i]) }) - 1
}

// nodeBefore reports whether node a starts before node b in the text.
func nodeBefore(a, b *yaml.Node) bool {
	return a.Line < b.Line || a.Line == b.Line && a.Column < b.Column
}

// IsFlow reports whether seq is written in flow style ([a, b]).
func IsFlow(src []byte, seq *yaml.Node) bool {
	if seq.Style&yaml.FlowStyle != 0 {
		return true
	}
	off, ok := NodeOffset(src, seq)
	return ok && off < len(src) && src[off] == '['
}

// blockItemLine finds the dash of a block sequence item: it returns the
// offset of the line start, of the dash and of the item, failing when
// anything but blanks stands before the dash on its line.
func blockItemLine(src []byte, item *yaml.Node) (ls, dash, start int, ok bool) {
	start, ok = NodeOffset(src, item)
	if !ok {
		return 0, 0, 0, false
	}
	ls = lineStart(src, start)
	dash = start - 1
	for dash >= ls && (src[dash] == ' ' || src[dash] == '\t') {
		dash--
	}
	if dash < ls || src[dash] != '-' || !onlyBlank(src[ls:dash]) {
		return 0, 0, 0, false
	}
	return ls, dash, start, true
}

// DeleteSeqItem returns edits removing one item of a YAML sequence (block:
// the whole line incl. its comment-free remainder and newline; flow: the item
// and one adjacent comma/space). It returns nil when the item is not a
// single-line scalar of seq that can be removed without touching anything
// else. Removing the only item leaves an empty flow list ("tags: []").
func DeleteSeqItem(src []byte, seq, item *yaml.Node) []Edit {
	idx := seqIndex(seq, item)
	if idx < 0 {
		return nil
	}
	if IsFlow(src, seq) {
		return deleteFlowItem(src, seq, idx)
	}
	return deleteBlockItem(src, seq, idx)
}

func deleteFlowItem(src []byte, seq *yaml.Node, idx int) []Edit {
	start, end, ok := ScalarExtent(src, seq.Content[idx], true)
	if !ok {
		return nil
	}
	switch {
	case len(seq.Content) == 1:
		// "[a]" -> "[]", and "[a,]" -> "[]" too.
		j := end
		for j < len(src) && (src[j] == ' ' || src[j] == '\t' || breakLen(src, j) > 0) {
			j++
		}
		if j < len(src) && src[j] == ',' {
			end = j + 1
		}
		return []Edit{{Start: start, End: end}}
	case idx+1 < len(seq.Content):
		// "a, b" -> "b": remove the item up to the next item's start,
		// provided only a comma and blanks/breaks lie between.
		next, ok := NodeOffset(src, seq.Content[idx+1])
		if !ok || !separatorOnly(src[end:next]) {
			return nil
		}
		return []Edit{{Start: start, End: next}}
	default:
		// Last item: remove from the end of the previous item.
		_, pend, ok := ScalarExtent(src, seq.Content[idx-1], true)
		if !ok || !separatorOnly(src[pend:start]) {
			return nil
		}
		return []Edit{{Start: pend, End: end}}
	}
}

// separatorOnly reports whether b is exactly one comma plus blanks and line
// breaks (no comments), as between two flow sequence items.
func separatorOnly(b []byte) bool {
	commas := 0
	for i := 0; i < len(b); i++ {
		switch {
		case b[i] == ',':
			commas++
		case b[i] == ' ' || b[i] == '\t':
		case breakLen(b, i) > 0:
			i += breakLen(b, i) - 1
		default:
			return false
		}
	}
	return commas == 1
}

func deleteBlockItem(src []byte, seq *yaml.Node, idx int) []Edit {
	item := seq.Content[idx]
	if item.Kind != yaml.ScalarNode {
		return nil
	}
	ls, _, _, ok := blockItemLine(src, item)
	if !ok {
		return nil
	}
	_, end, ok := ScalarExtent(src, item, false)
	if !ok {
		return nil
	}
	lend, brk := lineEnd(src, end)
	if !restIsComment(src[end:lend]) {
		return nil
	}
	if idx+1 < len(seq.Content) {
		// The next item must start on the following line for the deletion to
		// be one whole line.
		if seq.Content[idx+1].Line != item.Line+1 {
			nls, _, _, ok := blockItemLine(src, seq.Content[idx+1])
			if !ok || !blankOrCommentLines(src[lend+brk:nls]) {
				return nil
			}
		}
	}
	if len(seq.Content) > 1 {
		if brk == 0 && ls > 0 {
			// Last line without a final newline: take the break before it
			// instead, so that no empty line is left behind.
			pb := ls - 1
			if pb > 0 && src[pb-1] == '\r' && src[pb] == '\n' {
				pb--
			}
			return []Edit{{Start: pb, End: lend}}
		}
		return []Edit{{Start: ls, End: lend + brk}}
	}
	// The only item: the key must get an empty flow list, or it would become
	// null. Find the ":" that opens the sequence.
	colon := prevContentEnd(src, ls)
	if colon < 0 || src[colon] != ':' {
		return nil
	}
	if brk == 0 {
		pb := ls - 1
		if pb > 0 && src[pb-1] == '\r' && src[pb] == '\n' {
			pb--
		}
		return []Edit{{Start: colon + 1, End: colon + 1, New: " []"}, {Start: pb, End: lend}}
	}
	return []Edit{{Start: colon + 1, End: colon + 1, New: " []"}, {Start: ls, End: lend + brk}}
}

// blankOrCommentLines reports whether b holds only blank and comment lines.
func blankOrCommentLines(b []byte) bool {
	i := 0
	for i < len(b) {
		e, n := scanLineEnd(b, i)
		if !restIsComment(b[i:e]) {
			return false
		}
		i = e + n
		if n == 0 {
			break
		}
	}
	return true
}

// prevContentEnd returns the offset of the last content byte (not blank, not
// comment) before offset ls, which starts a line; -1 when there is none or
// the line holding it has a quote or comment marker that makes it unclear.
func prevContentEnd(src []byte, ls int) int {
	i := ls
	for i > 0 {
		// Move to the previous line.
		j := i - 1
		if j > 0 && src[j] == '\n' && src[j-1] == '\r' {
			j--
		}
		pls := lineStart(src, j)
		line := src[pls:j]
		if t := bytes.TrimRight(line, " \t"); len(t) > 0 && !restIsComment(line) {
			// Strip a trailing comment: the last " #" not inside quotes. Key
			// lines opening a sequence are "key:" plus an optional comment.
			if k := bytes.Index(line, []byte(" #")); k >= 0 && !bytes.ContainsAny(line[:k], `"'`) {
				t = bytes.TrimRight(line[:k], " \t")
			}
			return pls + len(t) - 1
		}
		if pls == 0 || pls == 3 && bytes.HasPrefix(src, []byte("\xef\xbb\xbf")) {
			return -1
		}
		i = pls
	}
	return -1
}

// QuoteLike renders text as a YAML scalar in the style of like: single or
// double quoted when like is, plain when like is plain and text can stand
// plain, single quoted otherwise.
func QuoteLike(like *yaml.Node, text string, flow bool) string {
	switch {
	case like != nil && like.Style&yaml.DoubleQuotedStyle != 0:
		return doubleQuote(text)
	case like != nil && like.Style&yaml.SingleQuotedStyle != 0:
		return "'" + strings.ReplaceAll(text, "'", "''") + "'"
	}
	if plainSafe(text, flow) {
		return text
	}
	return "'" + strings.ReplaceAll(text, "'", "''") + "'"
}

func doubleQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\t':
			b.WriteString(`\t`)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// printable reports whether s is valid UTF-8 of printable characters (a
// tag value never holds anything else).
func printable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}

// plainSafe reports whether s reads back as the same string when written as
// a plain scalar.
func plainSafe(s string, flow bool) bool {
	if s == "" || strings.TrimSpace(s) != s {
		return false
	}
	if strings.ContainsAny(s[:1], "-?:,[]{}#&*!|>'\"%@`") {
		return false
	}
	if strings.Contains(s, ": ") || strings.Contains(s, " #") || strings.HasSuffix(s, ":") || strings.ContainsAny(s, "\n\r\t") {
		return false
	}
	if flow && strings.ContainsAny(s, ",[]{}") {
		return false
	}
	// Must resolve to a string, not a number, bool or null.
	var v interface{}
	if err := yaml.Unmarshal([]byte(s), &v); err != nil {
		return false
	}
	got, ok := v.(string)
	return ok && got == s
}

// InsertSeqItemBefore returns edits inserting a new scalar item right before
// `before` in the same sequence, same indentation, same quoting style, same
// line ending (CRLF kept). text is the item's value; it is quoted like
// `before` (or single-quoted when it cannot stand plain). It returns nil when
// `before` is not an item of seq that can be located exactly.
func InsertSeqItemBefore(src []byte, seq, before *yaml.Node, text string) []Edit {
	idx := seqIndex(seq, before)
	if idx < 0 || !printable(text) {
		return nil
	}
	if IsFlow(src, seq) {
		start, _, ok := ScalarExtent(src, before, true)
		if !ok {
			return nil
		}
		sep := ", "
		if len(seq.Content) > 1 {
			// Copy the separator written between two neighbours.
			a, b := idx, idx+1
			if idx+1 >= len(seq.Content) {
				a, b = idx-1, idx
			}
			_, aend, ok1 := ScalarExtent(src, seq.Content[a], true)
			bstart, ok2 := NodeOffset(src, seq.Content[b])
			if ok1 && ok2 && aend <= bstart && separatorOnly(src[aend:bstart]) {
				sep = string(src[aend:bstart])
			}
		}
		return []Edit{{Start: start, End: start, New: QuoteLike(before, text, true) + sep}}
	}
	ls, dash, start, ok := blockItemLine(src, before)
	if !ok {
		return nil
	}
	if _, _, ok := ScalarExtent(src, before, false); !ok && before.Kind == yaml.ScalarNode {
		return nil
	}
	lend, brk := lineEnd(src, start)
	eol := string(src[lend : lend+brk])
	if eol == "" {
		eol = fileBreak(src)
	}
	line := string(src[ls:dash+1]) + string(src[dash+1:start]) + QuoteLike(before, text, false) + eol
	return []Edit{{Start: ls, End: ls, New: line}}
}

// ParentSeq returns the sequence node that holds item in doc, or nil. It
// descends toward item's position (nodes stand in text order), and walks
// the whole tree only when that fails (nodes without positions).
func ParentSeq(doc, item *yaml.Node) *yaml.Node {
	if doc == nil || item == nil {
		return nil
	}
	if item.Line > 0 {
		if seq := parentByPos(doc, item); seq != nil {
			return seq
		}
	}
	var found *yaml.Node
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		if found != nil || n == nil || depth > 64 {
			return
		}
		for _, ch := range n.Content {
			if n.Kind == yaml.SequenceNode && ch == item {
				found = n
				return
			}
			walk(ch, depth+1)
		}
	}
	walk(doc, 0)
	return found
}

// parentByPos finds the sequence holding item by descending from n into the
// child whose text holds item's position; nil when item is not found so.
func parentByPos(n, item *yaml.Node) *yaml.Node {
	for depth := 0; n != nil && depth <= 64; depth++ {
		if j := childAt(n.Content, item); j >= 0 {
			if n.Kind == yaml.SequenceNode {
				return n
			}
			return nil
		}
		i := lastAtOrBefore(n.Content, item)
		if i < 0 {
			return nil
		}
		n = n.Content[i]
	}
	return nil
}
