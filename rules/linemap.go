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
	textStart, textEnd int // byte range in the query text
	fileOff            int // byte offset of textStart in the file
	pos                Pos // file position of textStart
}

// Position returns the file position of byte offset off of the query text.
func (m *LineMap) Position(off int) Pos {
	s, ok := m.find(off)
	if !ok {
		return m.start
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
