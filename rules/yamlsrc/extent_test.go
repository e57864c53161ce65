package yamlsrc

import (
	"strings"
	"testing"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// at returns the byte offsets of node n's line and column in src and of
// that line's end, as a line index gives them ("\n" ends lines).
func at(t *testing.T, src string, n *yaml.Node) (off, lineEnd int) {
	t.Helper()
	lines := strings.SplitAfter(src, "\n")
	for _, l := range lines[:n.Line-1] {
		off += len(l)
	}
	lineEnd = off + len(strings.TrimSuffix(lines[n.Line-1], "\n"))
	for c := 1; c < n.Column; c++ {
		_, w := utf8.DecodeRuneInString(src[off:])
		off += w
	}
	return off, lineEnd
}

// valueOf parses src and returns the value of key in its root mapping.
func valueOf(t *testing.T, src, key string) *yaml.Node {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatal(err)
	}
	_, v := Lookup(Root(&doc), key)
	if v == nil {
		t.Fatalf("no key %q in %q", key, src)
	}
	return v
}

func TestScalarTextAndSpan(t *testing.T) {
	for _, tc := range []struct {
		name, src  string
		text, span string // the source text each range covers
	}{
		{"plain", "k: hello world # note\n", "hello world", "hello world"},
		{"plain non-ASCII", "k: café au lait\n", "café au lait", "café au lait"},
		{"plain over lines", "k: first part\n  second part\n", "first", "first part"},
		{"single-quoted", "k: 'it''s here' # c\n", "it''s here", "'it''s here'"},
		{"double-quoted with escapes", `k: "a \"b\" \\ c" # c` + "\n", `a \"b\" \\ c`, `"a \"b\" \\ c"`},
		{"double-quoted over lines", "k: \"one\n  two\"\nz: 1\n", "one\n  two", `"one`},
		{"literal block", "k: |\n  line one\n  line two\n", "|", "|"},
		{"folded block with header", "k: >-  # c\n  folded\n", ">-  # c", ">"},
		{"flow list", "k: [a,\n  b]\n", "", "["},
		{"flow mapping", "k: {a: 1,\n  b: 2}\n", "", "{"},
		{"alias", "a: &x v\nk: *x\n", "", "*x"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := valueOf(t, tc.src, "k")
			off, end := at(t, tc.src, n)
			if n.Kind == yaml.ScalarNode {
				s, e := ScalarText([]byte(tc.src), n, off, end)
				if got := tc.src[s:e]; got != tc.text {
					t.Errorf("ScalarText covers %q, want %q", got, tc.text)
				}
			}
			s, e := Span([]byte(tc.src), n, off, end)
			if got := tc.src[s:e]; got != tc.span {
				t.Errorf("Span covers %q, want %q", got, tc.span)
			}
		})
	}
}

// A plain value that runs past its first line is marked up to that line's
// end, and an unterminated quote (text cut short) up to the end of the text.
func TestSpanStopsAtLineEnd(t *testing.T) {
	src := "k: 'open\n"
	n := &yaml.Node{Kind: yaml.ScalarNode, Style: yaml.SingleQuotedStyle, Value: "open", Line: 1, Column: 4}
	off, end := at(t, src, n)
	if s, e := Span([]byte(src), n, off, end); src[s:e] != "'open" {
		t.Errorf("Span covers %q, want %q", src[s:e], "'open")
	}
	if s, e := ScalarText([]byte(src), n, off, end); src[s:e] != "open\n" {
		t.Errorf("ScalarText covers %q, want %q", src[s:e], "open\n")
	}
}
