package rules

import (
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
}

func newLineIndex(src []byte) *lineIndex {
	li := &lineIndex{src: src, starts: make([]int, 1, 64)}
	if hasBOM(src) {
		li.bom = 3
	}
	for i, b := range src {
		if b == '\n' || b == '\r' && (i+1 == len(src) || src[i+1] != '\n') {
			li.starts = append(li.starts, i+1)
		}
	}
	return li
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
	return Pos{Line: line, Column: utf8.RuneCount(li.src[start:off]) + 1}
}

// offset returns the byte offset of a 1-based line and character column,
// clamped to the line.
func (li *lineIndex) offset(line, col int) int {
	off := li.lineStart(line)
	end := li.lineEnd(line)
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
