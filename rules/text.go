package rules

import (
	"sort"
	"sync"
	"sync/atomic"
	"unicode/utf8"
	"unsafe"
	"weak"
)

// A file's line index is built once, in one pass over its bytes, when the
// file is loaded, and every position lookup of the loader and of the checks
// goes through it: offset to line and column by binary search, line and
// column to offset by a jump to the line start and, on long lines with
// multi-byte characters, to a character mark. No lookup rescans the file
// from its start or a line from its start, so that work stays linear in the
// file's size however many positions a hostile file makes the checks ask
// for.

// lineTable holds a file's line starts under the two ways of counting lines
// used here, and the marks that turn character columns into byte offsets.
// It never changes once built, so the rules of one file share it across
// goroutines.
type lineTable struct {
	// starts holds the byte offset where each line starts; "\r\n", "\n"
	// and a lone "\r" end lines, as in the loader's positions.
	starts []int
	// ystarts also ends lines at NEL, LS and PS, as yaml.v3 counts the
	// lines of its nodes; it is starts itself when the file has none.
	ystarts []int
	bom     int  // length of a leading byte order mark
	ascii   bool // no multi-byte characters after the mark: columns are byte counts
	// marks holds, for text with multi-byte characters, the byte offset of
	// every markStep-th character of the file (characters as
	// utf8.DecodeRune steps through the bytes).
	marks []int
}

// markStep is the distance in characters between two marks; a column
// conversion decodes at most this many characters, or a short line.
const markStep = 64

// shortRun is the byte length up to which a column conversion just decodes
// the characters from the line start.
const shortRun = 4 * markStep

// indexStats counts the work of line indexes while a test watches: tables
// built and the bytes they scanned, LinesOf calls that found no table,
// column conversions and the bytes they decoded.
type indexStats struct {
	builds, scanned, misses, lookups, decoded atomic.Int64
}

var stats atomic.Pointer[indexStats]

func newLineTable(src []byte) *lineTable {
	t := &lineTable{starts: make([]int, 1, 64), ascii: true}
	if hasBOM(src) {
		t.bom = 3
	}
	var ystarts []int // nil until the first NEL, LS or PS
	for i := 0; i < len(src); i++ {
		b := src[i]
		switch {
		case b == '\n' || b == '\r' && (i+1 == len(src) || src[i+1] != '\n'):
			t.starts = append(t.starts, i+1)
			if ystarts != nil {
				ystarts = append(ystarts, i+1)
			}
		case b >= 0x80 && i >= t.bom:
			t.ascii = false
			if n := unicodeBreak(src, i); n > 0 {
				if ystarts == nil {
					ystarts = append(make([]int, 0, cap(t.starts)), t.starts...)
				}
				ystarts = append(ystarts, i+n)
				i += n - 1
			}
		}
	}
	t.ystarts = t.starts
	if ystarts != nil {
		t.ystarts = ystarts
	}
	if !t.ascii {
		t.marks = make([]int, 0, len(src)/markStep/2+1)
		for i, n := 0, 0; i < len(src); n++ {
			if n%markStep == 0 {
				t.marks = append(t.marks, i)
			}
			_, w := utf8.DecodeRune(src[i:])
			i += w
		}
	}
	if s := stats.Load(); s != nil {
		s.builds.Add(1)
		s.scanned.Add(int64(len(src)))
	}
	return t
}

// unicodeBreak returns the byte length of a NEL, LS or PS line break at
// src[i], or 0.
func unicodeBreak(src []byte, i int) int {
	switch {
	case src[i] == 0xC2 && i+1 < len(src) && src[i+1] == 0x85:
		return 2
	case src[i] == 0xE2 && i+2 < len(src) && src[i+1] == 0x80 && (src[i+2] == 0xA8 || src[i+2] == 0xA9):
		return 3
	}
	return 0
}

// runeNo returns the number of characters before byte offset off.
func (t *lineTable) runeNo(src []byte, off int) int {
	k := sort.SearchInts(t.marks, off+1) - 1
	t.decoded(off - t.marks[k])
	return k*markStep + utf8.RuneCount(src[t.marks[k]:off])
}

// runes returns the number of characters in src[from:to]; from starts a
// character.
func (t *lineTable) runes(src []byte, from, to int) int {
	t.lookup()
	if t.ascii {
		return to - from
	}
	if to-from <= shortRun {
		t.decoded(to - from)
		return utf8.RuneCount(src[from:to])
	}
	return t.runeNo(src, to) - t.runeNo(src, from)
}

// advance returns the offset n characters after offset from (which starts a
// character), and false when src ends before them.
func (t *lineTable) advance(src []byte, from, n int) (int, bool) {
	t.lookup()
	if t.ascii {
		if from+n > len(src) {
			return len(src), false
		}
		return from + n, true
	}
	if n > markStep {
		// Jump to the last mark at or before the target; past the last
		// mark, fewer than markStep characters remain.
		target := t.runeNo(src, from) + n
		k := min(target/markStep, len(t.marks)-1)
		from, n = t.marks[k], target-k*markStep
	}
	start := from
	for ; n > 0 && from < len(src); n-- {
		_, w := utf8.DecodeRune(src[from:])
		from += w
	}
	t.decoded(from - start)
	return from, n == 0
}

func (t *lineTable) lookup() {
	if s := stats.Load(); s != nil {
		s.lookups.Add(1)
	}
}

func (t *lineTable) decoded(n int) {
	if s := stats.Load(); s != nil {
		s.decoded.Add(int64(n))
	}
}

// The tables of loaded files, by the address and length of their text.
// Each entry holds its text weakly: an entry whose text was freed is never
// matched (the text's memory may hold another file by then) and is dropped
// at a later registration.
var tables = struct {
	sync.Mutex
	m     map[tableKey]tableEntry
	prune int // size of m that triggers the next sweep of dead entries
}{m: map[tableKey]tableEntry{}, prune: 64}

type tableKey struct {
	addr uintptr
	n    int
}

type tableEntry struct {
	text  weak.Pointer[byte]
	table *lineTable
}

func keyOf(src []byte) tableKey {
	return tableKey{uintptr(unsafe.Pointer(&src[0])), len(src)}
}

// register makes t the table of src for LinesOf. Loading a text again
// registers it again, so a buffer refilled in place and loaded anew never
// meets the table of its former content.
func register(src []byte, t *lineTable) {
	if len(src) == 0 {
		return
	}
	e := tableEntry{text: weak.Make(&src[0]), table: t}
	tables.Lock()
	defer tables.Unlock()
	if len(tables.m) >= tables.prune {
		for k, e := range tables.m {
			if e.text.Value() == nil {
				delete(tables.m, k)
			}
		}
		tables.prune = max(64, 2*len(tables.m))
	}
	tables.m[keyOf(src)] = e
}

// registered returns the table registered for src, or nil.
func registered(src []byte) *lineTable {
	if len(src) == 0 {
		return nil
	}
	k := keyOf(src)
	tables.Lock()
	e, ok := tables.m[k]
	tables.Unlock()
	if !ok || e.text.Value() != &src[0] {
		return nil
	}
	return e.table
}

// lineIndex converts between byte offsets in a file and 1-based line and
// character-column positions, as the loader reports them. A UTF-8 byte order
// mark at the start of the file takes no column, as in editors; "\r\n", "\n"
// and a lone "\r" end lines, as in YAML.
type lineIndex struct {
	src []byte
	*lineTable
}

// newLineIndex indexes a file's text and registers the index for LinesOf.
func newLineIndex(src []byte) *lineIndex {
	t := newLineTable(src)
	register(src, t)
	return &lineIndex{src: src, lineTable: t}
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
	return Pos{Line: line, Column: li.runes(li.src, start, off) + 1}
}

// offset returns the byte offset of a 1-based line and character column,
// clamped to the line.
func (li *lineIndex) offset(line, col int) int {
	off := li.lineStart(line)
	end := li.lineEnd(line)
	if col < 1 {
		return off
	}
	o, _ := li.advance(li.src, off, col-1)
	return min(o, end)
}

// span returns the Span of bytes [start, end).
func (li *lineIndex) span(start, end int) Span {
	return Span{Start: li.pos(start), End: li.pos(end), StartOffset: start, EndOffset: end}
}

// Lines converts between byte offsets in a file's text and the 1-based
// lines and character columns that yaml.v3 gives its nodes: lines end at
// LF, CRLF, CR, NEL, LS and PS, and a leading byte order mark takes no
// column. For the text of a loaded rule (Rule.Source) it uses the index
// built when the file was loaded; for any other text, one built for this
// value (keep the value to reuse it).
type Lines struct {
	src []byte
	t   *lineTable
}

// LinesOf returns the line index of src.
func LinesOf(src []byte) Lines {
	if t := registered(src); t != nil {
		return Lines{src: src, t: t}
	}
	if s := stats.Load(); s != nil {
		s.misses.Add(1)
	}
	return Lines{src: src, t: newLineTable(src)}
}

// Count returns the number of lines; text ending in a line break has an
// empty last line.
func (l Lines) Count() int { return len(l.t.ystarts) }

// Start returns the byte offset of the first character of line n; false
// when there is no such line.
func (l Lines) Start(n int) (int, bool) {
	if n < 1 || n > len(l.t.ystarts) {
		return 0, false
	}
	if n == 1 {
		return l.t.bom, true
	}
	return l.t.ystarts[n-1], true
}

// End returns the byte offset where line n's line break starts (the end of
// the text on the last line) and the break's length in bytes (0 on the last
// line). n must be a line of the text.
func (l Lines) End(n int) (end, brk int) {
	if n >= len(l.t.ystarts) {
		return len(l.src), 0
	}
	s := l.t.ystarts[n]
	switch l.src[s-1] {
	case '\n':
		if s >= 2 && l.src[s-2] == '\r' {
			return s - 2, 2
		}
		return s - 1, 1
	case '\r':
		return s - 1, 1
	case 0x85: // NEL
		return s - 2, 2
	}
	return s - 3, 3 // LS, PS
}

// Line returns the line holding byte offset off (a line break belongs to
// the line it ends); offsets outside the text are clamped to it.
func (l Lines) Line(off int) int {
	return max(1, sort.Search(len(l.t.ystarts), func(i int) bool { return l.t.ystarts[i] > off }))
}

// Offset returns the byte offset of the character at 1-based line and
// column; false when the line has fewer than col-1 characters. The column
// just past the line's last character is its line break.
func (l Lines) Offset(line, col int) (int, bool) {
	s, ok := l.Start(line)
	if !ok || col < 1 {
		return 0, false
	}
	e, _ := l.End(line)
	o, ok := l.t.advance(l.src, s, col-1)
	if !ok || o > e {
		return 0, false
	}
	return o, true
}

// ClampedOffset is Offset with the column clamped to the line: columns
// before the first character give the line start, columns past the last
// the line's end. Lines that do not exist give false.
func (l Lines) ClampedOffset(line, col int) (int, bool) {
	s, ok := l.Start(line)
	if !ok {
		return 0, false
	}
	e, _ := l.End(line)
	o, _ := l.t.advance(l.src, s, max(col, 1)-1)
	return min(o, e), true
}

// Runes returns the number of characters in src[from:to], where from
// starts a character.
func (l Lines) Runes(from, to int) int { return l.t.runes(l.src, from, to) }
