package yamlsrc

import (
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Where a node stands in its file. yaml.v3 gives a node only its first
// line and column; these functions find how far its text reaches, in byte
// offsets, from the offset off of that line and column and the offset
// lineEnd where that line's text ends (the caller's line index gives both,
// so this package keeps no index of its own).

// ScalarText returns the byte range of scalar n's text without quotes: a
// quoted scalar's text between its quotes (over as many lines as it takes),
// a block scalar's header line (| or > and what follows on that line), a
// plain scalar's value, and of a plain scalar over several lines its first
// word on the first line (or the first line when the text there differs).
func ScalarText(src []byte, n *yaml.Node, off, lineEnd int) (start, end int) {
	switch n.Style & (yaml.DoubleQuotedStyle | yaml.SingleQuotedStyle | yaml.LiteralStyle | yaml.FoldedStyle) {
	case yaml.DoubleQuotedStyle:
		if off < len(src) && src[off] == '"' {
			return off + 1, closingQuote(src, off+1, '"')
		}
	case yaml.SingleQuotedStyle:
		if off < len(src) && src[off] == '\'' {
			return off + 1, closingQuote(src, off+1, '\'')
		}
	case yaml.LiteralStyle, yaml.FoldedStyle:
		return off, lineEnd
	}
	if hasPrefix(src[off:], n.Value) {
		return off, off + len(n.Value)
	}
	// A plain scalar over several lines: the first line's text.
	first := n.Value
	for i := 0; i < len(first); i++ {
		if first[i] == '\n' || first[i] == ' ' {
			first = first[:i]
			break
		}
	}
	if off+len(first) <= lineEnd && hasPrefix(src[off:], first) {
		return off, off + len(first)
	}
	return off, lineEnd
}

// Span returns the byte range that marks node n on its first line, where
// findings point: a scalar's text with its quotes (up to the line's end
// when the closing quote is on a later line), the header (| or >) of a
// block scalar, the value's first line of a plain scalar, *name of an
// alias, and the first character of a collection.
func Span(src []byte, n *yaml.Node, off, lineEnd int) (start, end int) {
	switch {
	case n.Kind == yaml.AliasNode:
		return off, advance(src, off, lineEnd, utf8.RuneCountInString(n.Value)+1)
	case n.Kind != yaml.ScalarNode, n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		return off, advance(src, off, lineEnd, 1)
	case n.Style&yaml.DoubleQuotedStyle != 0:
		return off, min(closingQuote(src, off+1, '"')+1, lineEnd)
	case n.Style&yaml.SingleQuotedStyle != 0:
		return off, min(closingQuote(src, off+1, '\'')+1, lineEnd)
	}
	v := n.Value
	for i := 0; i < len(v); i++ {
		if v[i] == '\n' {
			v = v[:i]
			break
		}
	}
	return off, advance(src, off, lineEnd, utf8.RuneCountInString(v))
}

// closingQuote returns the offset of the quote q that closes a scalar
// whose text starts at src[from] (a backslash escapes the next byte in
// double quotes, two single quotes stand for one in single quotes), or
// len(src).
func closingQuote(src []byte, from int, q byte) int {
	i := from
	for i < len(src) {
		switch c := src[i]; {
		case c == '\\' && q == '"':
			i++
		case c == q && q == '\'' && i+1 < len(src) && src[i+1] == '\'':
			i++
		case c == q:
			return i
		}
		i++
	}
	return len(src)
}

// advance returns the offset k characters after off, stopping at limit.
func advance(src []byte, off, limit, k int) int {
	for ; k > 0 && off < limit; k-- {
		_, w := utf8.DecodeRune(src[off:limit])
		off += w
	}
	return min(off, limit)
}

func hasPrefix(b []byte, s string) bool {
	return len(b) >= len(s) && string(b[:len(s)]) == s
}
