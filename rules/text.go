package rules

import (
	"bytes"
	"sort"
	"unicode/utf8"
)

// lineIndex converts between byte offsets in a file and 1-based line and
// character-column positions. A UTF-8 byte order mark at the start of the
// file takes no column, as in editors; "\r\n", "\n" and a lone "\r" end lines, as in YAML.
type lineIndex struct {
	src    []byte
	starts []int // byte offset where each line starts
	bom    int   // length of a leading byte order mark
	ascii  bool  // no multi-byte characters: columns are byte counts
	// runes caches, for long lines with multi-byte characters, the byte
	// offset (from the line start) of every character, so that conversions
	// stay linear on hostile one-line files.
	runes map[int][]int
}

// longLine is the length from which a line's character offsets are cached.
const longLine = 512

func newLineIndex(src []byte) *lineIndex {
	li := &lineIndex{src: src, starts: make([]int, 1, 64)}
	if hasBOM(src) {
		li.bom = 3
	}
	li.ascii = true
	for i, b := range src {
		if b == '\n' || b == '\r' && (i+1 == len(src) || src[i+1] != '\n') {
			li.starts = append(li.starts, i+1)
		} else if b >= 0x80 {
			li.ascii = false
		}
	}
	if hasBOM(src) {
		li.ascii = bytes.IndexFunc(src[3:], func(r rune) bool { return r >= 0x80 }) < 0
	}
	return li
}

// lineRunes returns the cached character offsets of line n, or nil when the
// line is short or plain ASCII.
func (li *lineIndex) lineRunes(n int) []int {
	if li.ascii {
		return nil
	}
	s, e := li.lineStart(n), li.lineEnd(n)
	if e-s < longLine {
		return nil
	}
	if r, ok := li.runes[n]; ok {
		return r
	}
	offs := make([]int, 0, e-s)
	for i := s; i < e; {
		offs = append(offs, i-s)
		_, size := utf8.DecodeRune(li.src[i:e])
		i += size
	}
	if li.runes == nil {
		li.runes = map[int][]int{}
	}
	li.runes[n] = offs
	return offs
}

func hasBOM(src []byte) bool {
	return len(src) >= 3 && src[0] == 0xEF && src[1] == 0xBB && src[2] == 0xBF
}

// lineStart returns the byte offset of the first character of 1-based line n.
func (li *lineIndex) lineStart(n int) int {
	if n < 1 {
		n = 1
	}
	if n > len(li.starts) {
		return len(li.src)
	}
	s := li.starts[n-1]
	if n == 1 {
		s += li.bom
	}
	return s
}

// lineEnd returns the byte offset of the end of 1-based line n, before its
// line break ("\n" or "\r\n").
func (li *lineIndex) lineEnd(n int) int {
	if n >= len(li.starts) {
		e := len(li.src)
		if e > li.lineStart(n) && li.src[e-1] == '\r' {
			e--
		}
		return e
	}
	e := li.starts[n] - 1 // the '\n', or a lone '\r'
	if li.src[e] == '\n' && e > 0 && li.src[e-1] == '\r' && e-1 >= li.lineStart(n) {
		e--
	}
	return e
}

// lines is the number of lines in the file.
func (li *lineIndex) lines() int { return len(li.starts) }

// pos returns the position of byte offset off.
func (li *lineIndex) pos(off int) Pos {
	if off < 0 {
		off = 0
	}
	if off > len(li.src) {
		off = len(li.src)
	}
	line := sort.Search(len(li.starts), func(i int) bool { return li.starts[i] > off })
	start := li.lineStart(line)
	if off < start {
		start = off
	}
	if li.ascii {
		return Pos{Line: line, Column: off - start + 1}
	}
	if r := li.lineRunes(line); r != nil {
		return Pos{Line: line, Column: sort.SearchInts(r, off-start) + 1}
	}
	return Pos{Line: line, Column: utf8.RuneCount(li.src[start:off]) + 1}
}

// offset returns the byte offset of a 1-based line and character column,
// clamped to the line.
func (li *lineIndex) offset(line, col int) int {
	off := li.lineStart(line)
	end := li.lineEnd(line)
	if col < 1 {
		return off
	}
	if li.ascii {
		return min(off+col-1, end)
	}
	if r := li.lineRunes(line); r != nil {
		if col-1 < len(r) {
			return off + r[col-1]
		}
		return end
	}
	for c := 1; c < col && off < end; c++ {
		_, size := utf8.DecodeRune(li.src[off:end])
		off += size
	}
	return off
}

// span returns the Span of bytes [start, end).
func (li *lineIndex) span(start, end int) Span {
	return Span{Start: li.pos(start), End: li.pos(end), StartOffset: start, EndOffset: end}
}
