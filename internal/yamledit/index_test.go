package yamledit

import (
	"bytes"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/huntlint/huntlint/rules"
)

// The position helpers look positions up in the file's line index. These
// tests compare them with scans from the start of the text, as yaml.v3
// counts lines, on random texts and on every YAML fixture.

func scanPosOffset(src []byte, line, col int) (int, bool) {
	if line < 1 || col < 1 {
		return 0, false
	}
	i := 0
	if bytes.HasPrefix(src, []byte("\xef\xbb\xbf")) {
		i = 3
	}
	for l := 1; l < line; l++ {
		for i < len(src) && breakLen(src, i) == 0 {
			i++
		}
		if i >= len(src) {
			return 0, false
		}
		i += breakLen(src, i)
	}
	for c := 1; c < col; c++ {
		if i >= len(src) || breakLen(src, i) > 0 {
			return 0, false
		}
		_, w := utf8.DecodeRune(src[i:])
		i += w
	}
	return i, true
}

func scanLineStart(src []byte, i int) int {
	for i > 0 {
		c := src[i-1]
		if c == '\n' || c == '\r' || c == 0x85 && i >= 2 && src[i-2] == 0xC2 ||
			(c == 0xA8 || c == 0xA9) && i >= 3 && src[i-2] == 0x80 && src[i-3] == 0xE2 {
			return i
		}
		i--
	}
	if bytes.HasPrefix(src, []byte("\xef\xbb\xbf")) {
		return 3
	}
	return 0
}

func scanFileBreak(src []byte) string {
	for i := range src {
		if n := breakLen(src, i); n > 0 {
			return string(src[i : i+n])
		}
	}
	return "\n"
}

func randomLines(r *rand.Rand) []byte {
	pieces := []string{"a", "- x", " ", "é", "🎯", "\n", "\r\n", "\r", "\u0085", "\u2028", "\u2029", "\t", "#"}
	var b strings.Builder
	if r.Intn(4) == 0 {
		b.WriteString("\ufeff")
	}
	for range r.Intn(60) {
		p := pieces[r.Intn(len(pieces))]
		if r.Intn(8) == 0 {
			p = strings.Repeat(p, 1+r.Intn(100))
		}
		b.WriteString(p)
	}
	return []byte(b.String())
}

func TestPositionHelpersMatchScans(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	for k := range 300 {
		src := randomLines(r)
		if k%10 != 0 {
			// Loading registers the text's index, as for every rule; the
			// other (short) texts get an index per lookup.
			rules.LoadBytes("random.yml", src)
		} else if len(src) > 300 {
			src = src[:300]
		}
		if got, want := fileBreak(src), scanFileBreak(src); got != want {
			t.Fatalf("%q: fileBreak = %q, want %q", src, got, want)
		}
		for i := 0; i <= len(src); i++ {
			if got, want := lineStart(src, i), scanLineStart(src, i); got != want {
				t.Fatalf("%q: lineStart(%d) = %d, want %d", src, i, got, want)
			}
			ge, gb := lineEnd(src, i)
			we, wb := scanLineEnd(src, i)
			if ge != we || gb != wb {
				t.Fatalf("%q: lineEnd(%d) = %d, %d, want %d, %d", src, i, ge, gb, we, wb)
			}
		}
		lines := bytes.Count(src, []byte("\n")) + bytes.Count(src, []byte("\r")) + 3
		for range 2000 {
			line, col := r.Intn(lines+1), r.Intn(150)
			got, gok := PosOffset(src, line, col)
			want, wok := scanPosOffset(src, line, col)
			if gok != wok || gok && got != want {
				t.Fatalf("%q: PosOffset(%d, %d) = %d, %v, want %d, %v", src, line, col, got, gok, want, wok)
			}
		}
	}
}

// scanPlainExtent is a block plain scalar's extent by a scan of the whole
// line: it ends before " #" or at the line end, trailing blanks excluded.
func scanPlainExtent(src []byte, v string, start, lend int) (int, int, bool) {
	end := start
	for i := start; i < lend; i++ {
		if src[i] == '#' && i > start && (src[i-1] == ' ' || src[i-1] == '\t') {
			break
		}
		end = i + 1
	}
	for end > start && (src[end-1] == ' ' || src[end-1] == '\t') {
		end--
	}
	if string(src[start:end]) != v {
		return 0, 0, false
	}
	return start, end, true
}

func TestPlainExtentMatchesScan(t *testing.T) {
	r := rand.New(rand.NewSource(4))
	alphabet := "ab #\t,:"
	for range 20000 {
		line := make([]byte, r.Intn(12))
		for i := range line {
			line[i] = alphabet[r.Intn(len(alphabet))]
		}
		var v string
		switch k := r.Intn(len(line) + 1); {
		case r.Intn(2) == 0:
			v = string(line[:k])
		default:
			v = strings.TrimRight(string(line[:k]), " \t")
		}
		gs, ge, gok := plainExtent(line, v, 0, len(line))
		ws, we, wok := scanPlainExtent(line, v, 0, len(line))
		if gs != ws || ge != we || gok != wok {
			t.Fatalf("%q, value %q: plainExtent = %d, %d, %v, want %d, %d, %v", line, v, gs, ge, gok, ws, we, wok)
		}
	}
}

// walkParentSeq is ParentSeq by a walk of the whole tree.
func walkParentSeq(n, item *yaml.Node, depth int) *yaml.Node {
	if n == nil || depth > 64 {
		return nil
	}
	for _, ch := range n.Content {
		if n.Kind == yaml.SequenceNode && ch == item {
			return n
		}
		if p := walkParentSeq(ch, item, depth+1); p != nil {
			return p
		}
	}
	return nil
}

// TestNodeLookupsMatchWalks finds the parent sequence and the index of
// every node of every YAML fixture by position and by a walk.
func TestNodeLookupsMatchWalks(t *testing.T) {
	var files []string
	for _, pat := range []string{"../../linter/testdata/*/*.yml", "../../linter/testdata/*/*.yaml", "../../linter/testdata/*/*/*.yml", "../../linter/testdata/*/*/*.yaml"} {
		fs, _ := filepath.Glob(pat)
		files = append(files, fs...)
	}
	if len(files) < 50 {
		t.Fatalf("only %d YAML fixtures", len(files))
	}
	nodes := 0
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		dec := yaml.NewDecoder(bytes.NewReader(src))
		for {
			var doc yaml.Node
			if dec.Decode(&doc) != nil {
				break
			}
			var visit func(n *yaml.Node)
			visit = func(n *yaml.Node) {
				for i, ch := range n.Content {
					nodes++
					if got, want := ParentSeq(&doc, ch), walkParentSeq(&doc, ch, 0); got != want {
						t.Fatalf("%s:%d:%d: ParentSeq differs from a walk", f, ch.Line, ch.Column)
					}
					if n.Kind == yaml.SequenceNode {
						if got := seqIndex(n, ch); got != i {
							t.Fatalf("%s:%d:%d: seqIndex = %d, want %d", f, ch.Line, ch.Column, got, i)
						}
					}
					visit(ch)
				}
			}
			visit(&doc)
		}
	}
	t.Logf("%d files, %d nodes", len(files), nodes)
}
