package rules

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// LineMap is the OffsetMap of a query: it is made of segments, each a run of
// query text copied unchanged from one file line. Offsets between segments
// map to the end of the segment before them (a space that YAML folding put in
// place of a line break), or, past a line break, to the following line (a
// blank line of the query).
type LineMap struct {
	text  string
	segs  []segment
	start Pos // position of an empty or unmapped text
}

type segment struct {
	textStart, textEnd int  // byte range in the query text
	fileOff            int  // byte offset of textStart in the file
	pos                Pos  // file position of textStart
	escape             bool // the text is a decoded escape sequence found at pos
}

// Position returns the file position of byte offset off of the query text.
func (m *LineMap) Position(off int) Pos {
	s, ok := m.find(off)
	if !ok {
		return m.start
	}
	if s.escape && off < s.textEnd {
		return s.pos
	}
	if off > s.textEnd && off <= len(m.text) {
		// In a gap after the segment: a blank line of a block scalar or a
		// .kql block maps to that line, text after a line break to its
		// column there.
		gap := m.text[s.textEnd:off]
		if nl := strings.Count(gap, "\n"); nl > 0 {
			last := strings.LastIndexByte(gap, '\n')
			return Pos{Line: s.pos.Line + nl, Column: 1 + utf8.RuneCountInString(gap[last+1:])}
		}
	}
	end := min(off, s.textEnd)
	if end < s.textStart {
		end = s.textStart
	}
	return Pos{Line: s.pos.Line, Column: s.pos.Column + utf8.RuneCountInString(m.text[s.textStart:end])}
}

// FileOffset returns the byte offset in the file of byte offset off of the
// query text, for edits; offsets between segments map to the end of the
// segment before them.
func (m *LineMap) FileOffset(off int) int {
	s, ok := m.find(off)
	if !ok {
		return 0
	}
	if s.escape {
		return s.fileOff
	}
	end := min(off, s.textEnd)
	if end < s.textStart {
		end = s.textStart
	}
	return s.fileOff + end - s.textStart
}

func (m *LineMap) find(off int) (segment, bool) {
	if len(m.segs) == 0 {
		return segment{}, false
	}
	i := sort.Search(len(m.segs), func(i int) bool { return m.segs[i].textStart > off })
	if i == 0 {
		return m.segs[0], true
	}
	return m.segs[i-1], true
}

// mapBuilder builds a query text and its LineMap from file lines.
type mapBuilder struct {
	li   *lineIndex
	buf  []byte
	segs []segment
}

// addLine appends the file bytes [start, end) (one line, no line break) to
// the text, preceded by "\n" unless it is the first line.
func (b *mapBuilder) addLine(start, end int, first bool) {
	if !first {
		b.buf = append(b.buf, '\n')
	}
	ts := len(b.buf)
	b.buf = append(b.buf, b.li.src[start:end]...)
	b.segs = append(b.segs, segment{textStart: ts, textEnd: len(b.buf), fileOff: start, pos: b.li.pos(start)})
}

func (b *mapBuilder) query() Query {
	text := string(b.buf)
	m := &LineMap{text: text, segs: b.segs}
	q := Query{Text: text, Map: m}
	if len(b.segs) > 0 {
		q.Start = b.segs[0].pos
	}
	return q
}

// alignScalar maps a YAML scalar's decoded value back to the file: the value's
// content lies in the file from byte offset from on, one file line after
// another, with indentation, quotes and line folding removed. Each file line's
// text (trimmed) is looked up in the value after skipping only whitespace;
// lines that cannot be found that way (escape sequences) are left unmapped and
// their offsets map to the segment before them.
func alignScalar(li *lineIndex, value string, from, limit int) *LineMap {
	m := &LineMap{text: value}
	v := 0
	line := li.pos(from).Line
	start := from
	for v < len(value) && line <= li.lines() && start < limit {
		end := min(li.lineEnd(line), limit)
		s, e := start, end
		for s < e && (li.src[s] == ' ' || li.src[s] == '\t') {
			s++
		}
		for e > s && (li.src[e-1] == ' ' || li.src[e-1] == '\t') {
			e--
		}
		if e > s {
			j := v
			for j < len(value) && isSpace(value[j]) {
				j++
			}
			content := li.src[s:e]
			if len(value)-j >= len(content) && value[j:j+len(content)] == string(content) {
				// Keep indentation that belongs to the value (more-indented
				// lines of a block scalar) in the segment.
				ts, fs := j, s
				for ts > v && fs > start && value[ts-1] == li.src[fs-1] && (value[ts-1] == ' ' || value[ts-1] == '\t') {
					ts--
					fs--
				}
				m.segs = append(m.segs, segment{textStart: ts, textEnd: j + len(content), fileOff: fs, pos: li.pos(fs)})
				v = j + len(content)
			}
		}
		line++
		start = li.lineStart(line)
	}
	return m
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// alignQuoted maps a quoted YAML scalar's value back to the file bytes
// [from, limit) between its quotes: each line is cut into runs of plain
// text, copied unchanged, and escape sequences, whose decoded text maps to
// their first byte. escByte starts an escape: a backslash in double-quoted
// scalars, a quote in single-quoted ones (where two quotes stand for one). Line
// folding (a space or line break in the value) is skipped between lines.
func alignQuoted(li *lineIndex, value string, from, limit int, escByte byte) *LineMap {
	m := &LineMap{text: value}
	v := 0
	line := li.pos(from).Line
	start := from
	for start < limit && line <= li.lines() {
		s, e := start, min(li.lineEnd(line), limit)
		if line != li.pos(from).Line {
			for s < e && (li.src[s] == ' ' || li.src[s] == '\t') {
				s++
			}
		}
		if e < limit {
			for e > s && (li.src[e-1] == ' ' || li.src[e-1] == '\t') {
				e--
			}
		}
		first := true
		for i := s; i < e; {
			var tok, text string
			esc := li.src[i] == escByte
			j := i
			switch {
			case esc && escByte == '\'':
				j, tok = min(i+2, e), "'"
			case esc:
				j, text = yamlEscape(li.src, i, e)
				tok = text
			default:
				for j < e && li.src[j] != escByte {
					j++
				}
				tok = string(li.src[i:j])
			}
			at := v
			for first && !strings.HasPrefix(value[at:], tok) && at < len(value) && (value[at] == ' ' || value[at] == '\n') {
				at++ // the folding between lines
			}
			if !strings.HasPrefix(value[at:], tok) {
				break // cannot follow this line; the rest maps before it
			}
			if tok != "" {
				m.segs = append(m.segs, segment{textStart: at, textEnd: at + len(tok), fileOff: i, pos: li.pos(i), escape: esc})
			}
			v = at + len(tok)
			first = false
			i = j
		}
		line++
		start = li.lineStart(line)
	}
	return m
}

// yamlEscapes are YAML's one-character escape sequences.
var yamlEscapes = map[byte]string{'0': "\x00", 'a': "\a", 'b': "\b", 't': "\t", '\t': "\t", 'n': "\n", 'v': "\v",
	'f': "\f", 'r': "\r", 'e': "\x1b", ' ': " ", '"': "\"", '/': "/", '\\': "\\",
	'N': "\u0085", '_': "\u00a0", 'L': "\u2028", 'P': "\u2029"}

// yamlEscape decodes the YAML double-quoted escape sequence at src[i] (a
// backslash) and returns the offset after it and its text. An escaped line
// break (a backslash at the end of the line) has no text.
func yamlEscape(src []byte, i, end int) (int, string) {
	if i+1 >= end {
		return end, ""
	}
	c := src[i+1]
	if t, ok := yamlEscapes[c]; ok {
		return i + 2, t
	}
	n := map[byte]int{'x': 2, 'u': 4, 'U': 8}[c]
	if n == 0 || i+2+n > end {
		return i + 2, string(src[i : i+2])
	}
	var r rune
	for _, h := range src[i+2 : i+2+n] {
		switch {
		case h >= '0' && h <= '9':
			r = r<<4 | rune(h-'0')
		case h >= 'a' && h <= 'f':
			r = r<<4 | rune(h-'a'+10)
		case h >= 'A' && h <= 'F':
			r = r<<4 | rune(h-'A'+10)
		default:
			return i + 2, string(src[i : i+2])
		}
	}
	return i + 2 + n, string(r)
}
