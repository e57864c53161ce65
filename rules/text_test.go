package rules

import (
	"math/rand"
	"strings"
	"testing"
	"unicode/utf8"
)

// randomText builds a text from pieces that stress line and column
// counting: multi-byte characters, every kind of line break, a byte order
// mark, and runs long enough to cross character marks.
func randomText(r *rand.Rand) []byte {
	pieces := []string{"a", "bc", " ", "é", "🎯", "日本", "\n", "\r\n", "\r", "\u0085", "\u2028", "\u2029", "\t", "\xff"}
	var b strings.Builder
	if r.Intn(4) == 0 {
		b.WriteString("\ufeff")
	}
	n := r.Intn(40)
	if r.Intn(3) == 0 {
		n = 300 + r.Intn(1500) // long lines
	}
	for range n {
		p := pieces[r.Intn(len(pieces))]
		if r.Intn(3) == 0 && p[0] < 0x80 && p != "\n" && p != "\r" && p != "\r\n" {
			p = strings.Repeat(p, 1+r.Intn(200))
		}
		b.WriteString(p)
	}
	return []byte(b.String())
}

// naiveStarts returns the line starts of src, lines ending at LF, CRLF and
// CR, and with unicode also at NEL, LS and PS.
func naiveStarts(src []byte, unicode bool) []int {
	starts := []int{0}
	for i := 0; i < len(src); i++ {
		switch {
		case src[i] == '\n':
			starts = append(starts, i+1)
		case src[i] == '\r' && (i+1 == len(src) || src[i+1] != '\n'):
			starts = append(starts, i+1)
		case unicode && unicodeBreak(src, i) > 0:
			i += unicodeBreak(src, i) - 1
			starts = append(starts, i+1)
		}
	}
	return starts
}

// TestLineIndexMatchesNaive compares the loader's index with a scan from
// the line start for every offset and column of random texts.
func TestLineIndexMatchesNaive(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for range 300 {
		src := randomText(r)
		li := newLineIndex(src)
		starts := naiveStarts(src, false)
		bom := 0
		if hasBOM(src) {
			bom = 3
		}
		lineOf := func(off int) int {
			n := 0
			for n < len(starts) && starts[n] <= off {
				n++
			}
			return n
		}
		for off := 0; off <= len(src); off++ {
			line := lineOf(off)
			start := starts[line-1]
			if line == 1 {
				start = min(bom, off)
			}
			want := Pos{Line: line, Column: utf8.RuneCount(src[start:off]) + 1}
			if got := li.pos(off); got != want {
				t.Fatalf("%q: pos(%d) = %v, want %v", src, off, got, want)
			}
		}
		for line := 1; line <= len(starts); line++ {
			start, end := li.lineStart(line), li.lineEnd(line)
			for col := 0; col <= utf8.RuneCount(src[start:end])+3; col++ {
				want := start
				for c := 1; c < col && want < end; c++ {
					_, w := utf8.DecodeRune(src[want:end])
					want += w
				}
				if got := li.offset(line, col); got != want {
					t.Fatalf("%q: offset(%d, %d) = %d, want %d", src, line, col, got, want)
				}
			}
		}
	}
}

// TestLinesMatchesYAMLCounting compares Lines, which counts lines as
// yaml.v3 does, with a scan from the start of the text.
func TestLinesMatchesYAMLCounting(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	for range 300 {
		src := randomText(r)
		newLineIndex(src)
		l := LinesOf(src)
		starts := naiveStarts(src, true)
		if l.Count() != len(starts) {
			t.Fatalf("%q: %d lines, want %d", src, l.Count(), len(starts))
		}
		for line := 1; line <= len(starts); line++ {
			start := starts[line-1]
			if line == 1 && hasBOM(src) {
				start = 3
			}
			if got, ok := l.Start(line); !ok || got != start {
				t.Fatalf("%q: Start(%d) = %d, %v, want %d", src, line, got, ok, start)
			}
			end, brk := len(src), 0
			if line < len(starts) {
				for end = start; ; end++ {
					if n := yamlBreak(src, end); n > 0 {
						brk = n
						break
					}
				}
			}
			if e, b := l.End(line); e != end || b != brk {
				t.Fatalf("%q: End(%d) = %d, %d, want %d, %d", src, line, e, b, end, brk)
			}
			for off := start; off <= end; off++ {
				if got := l.Line(off); got != line {
					t.Fatalf("%q: Line(%d) = %d, want %d", src, off, got, line)
				}
			}
			runes := utf8.RuneCount(src[start:end])
			for col := 0; col <= runes+3; col++ {
				want, ok := start, col >= 1 && col <= runes+1
				for c := 1; c < col && want < end; c++ {
					_, w := utf8.DecodeRune(src[want:end])
					want += w
				}
				got, gotOK := l.Offset(line, col)
				if gotOK != ok || ok && got != want {
					t.Fatalf("%q: Offset(%d, %d) = %d, %v, want %d, %v", src, line, col, got, gotOK, want, ok)
				}
				if got, _ := l.ClampedOffset(line, col); got != want {
					t.Fatalf("%q: ClampedOffset(%d, %d) = %d, want %d", src, line, col, got, want)
				}
			}
		}
		if _, ok := l.Start(len(starts) + 1); ok {
			t.Fatalf("%q: line %d exists", src, len(starts)+1)
		}
	}
}

// yamlBreak returns the length of the yaml.v3 line break at src[i], or 0.
func yamlBreak(src []byte, i int) int {
	switch {
	case i >= len(src):
		return 0
	case src[i] == '\n':
		return 1
	case src[i] == '\r' && i+1 < len(src) && src[i+1] == '\n':
		return 2
	case src[i] == '\r':
		return 1
	}
	return unicodeBreak(src, i)
}

// TestLinesOfUsesLoadedIndex checks that LinesOf finds the index built
// when the text was loaded, finds nothing for a copy of the text, and meets
// the new content when a buffer is loaded again after being refilled.
func TestLinesOfUsesLoadedIndex(t *testing.T) {
	src := []byte("title: a\nid: b\n")
	stop := WatchIndexWork()
	li := newLineIndex(src)
	for range 100 {
		if LinesOf(src).t != li.lineTable {
			t.Fatal("LinesOf does not return the loaded index")
		}
	}
	cp := append([]byte(nil), src...)
	if LinesOf(cp).t == li.lineTable {
		t.Fatal("a copy of the text shares the loaded index")
	}
	if w := stop(); w.Builds != 2 || w.Misses != 1 {
		t.Fatalf("%d builds, %d misses; want 2 (load and copy) and 1 (copy)", w.Builds, w.Misses)
	}
	copy(src, "title: a\r\nid: \n")
	newLineIndex(src)
	if e, n := LinesOf(src).End(1); e != 8 || n != 2 {
		t.Fatalf("after reloading the refilled buffer: End(1) = %d, %d, want 8, 2", e, n)
	}
}
