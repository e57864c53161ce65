package linter

import (
	"sort"
	"testing"

	"gopkg.in/yaml.v3"
)

// applyRaw applies edits (assumed non-overlapping) to src.
func applyRaw(t *testing.T, src []byte, edits []Edit) string {
	t.Helper()
	es := append([]Edit(nil), edits...)
	sort.SliceStable(es, func(i, j int) bool { return es[i].Start < es[j].Start })
	out := []byte{}
	last := 0
	for _, e := range es {
		if e.Start < last || e.End < e.Start || e.End > len(src) {
			t.Fatalf("bad edit %+v (last %d, len %d)", e, last, len(src))
		}
		out = append(out, src[last:e.Start]...)
		out = append(out, e.New...)
		last = e.End
	}
	out = append(out, src[last:]...)
	return string(out)
}

// tagsSeq parses src and returns the "tags" sequence node.
func tagsSeq(t *testing.T, src string) *yaml.Node {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatalf("parse: %v", err)
	}
	m := doc.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == "tags" {
			return m.Content[i+1]
		}
	}
	t.Fatal("no tags key")
	return nil
}

// tagValues re-parses out and returns the tags, failing when out is not YAML.
func tagValues(t *testing.T, out string) []string {
	t.Helper()
	var v struct {
		Tags []string `yaml:"tags"`
	}
	if err := yaml.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("result is not valid YAML: %v\n%s", err, out)
	}
	return v.Tags
}

func TestDeleteSeqItem(t *testing.T) {
	tests := []struct {
		name string
		src  string
		del  int
		want string
	}{
		{"block middle", "title: x\ntags:\n  - a\n  - b\n  - c\nlevel: high\n", 1,
			"title: x\ntags:\n  - a\n  - c\nlevel: high\n"},
		{"block first", "tags:\n  - a\n  - b\n", 0, "tags:\n  - b\n"},
		{"block last", "tags:\n  - a\n  - b\nlevel: low\n", 1, "tags:\n  - a\nlevel: low\n"},
		{"block last no final newline", "tags:\n  - a\n  - b", 1, "tags:\n  - a"},
		{"block crlf", "tags:\r\n  - a\r\n  - b\r\n  - c\r\n", 1, "tags:\r\n  - a\r\n  - c\r\n"},
		{"block crlf last no final newline", "tags:\r\n  - a\r\n  - b", 1, "tags:\r\n  - a"},
		{"block with comment on item", "tags:\n  - a # keep\n  - b # old one\n  - c\n", 1,
			"tags:\n  - a # keep\n  - c\n"},
		{"block comment line kept", "tags:\n  - a\n  # about b\n  - b\n", 0,
			"tags:\n  # about b\n  - b\n"},
		{"block quoted", "tags:\n  - 'a'\n  - \"b\"\n  - c\n", 1, "tags:\n  - 'a'\n  - c\n"},
		{"block zero indent", "tags:\n- a\n- b\n", 0, "tags:\n- b\n"},
		{"block bom", "\xef\xbb\xbftags:\n  - a\n  - b\n", 1, "\xef\xbb\xbftags:\n  - a\n"},
		{"block unicode before", "title: réseau ☃\ntags:\n  - a\n  - b\n", 0, "title: réseau ☃\ntags:\n  - b\n"},
		{"block only item", "tags:\n  - a\nlevel: high\n", 0, "tags: []\nlevel: high\n"},
		{"block only item commented key", "tags: # the tags\n  - a\n", 0, "tags: [] # the tags\n"},
		{"flow middle", "tags: [a, b, c]\n", 1, "tags: [a, c]\n"},
		{"flow first", "tags: [a, b, c]\n", 0, "tags: [b, c]\n"},
		{"flow last", "tags: [a, b, c]\n", 2, "tags: [a, b]\n"},
		{"flow only", "tags: [a]\n", 0, "tags: []\n"},
		{"flow quoted", "tags: ['a', \"b\", 'c']\n", 1, "tags: ['a', 'c']\n"},
		{"flow tight", "tags: [a,b,c]\n", 2, "tags: [a,b]\n"},
		{"flow multiline", "tags: [\n  a,\n  b\n]\n", 1, "tags: [\n  a\n]\n"},
		{"flow multiline first", "tags: [\n  a,\n  b\n]\n", 0, "tags: [\n  b\n]\n"},
		{"flow crlf", "tags: [a, b]\r\nlevel: x\r\n", 0, "tags: [b]\r\nlevel: x\r\n"},
		{"block tab before comment", "tags:\n  - a\t# c\n  - b\t# d\n", 0, "tags:\n  - b\t# d\n"},
		{"flow tabs", "tags: [a,\tb,\tc]\n", 1, "tags: [a,\tc]\n"},
		{"flow trailing comma only item", "tags: [a,]\n", 0, "tags: []\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seq := tagsSeq(t, tt.src)
			edits := DeleteSeqItem([]byte(tt.src), seq, seq.Content[tt.del])
			if edits == nil {
				t.Fatal("no edits")
			}
			got := applyRaw(t, []byte(tt.src), edits)
			if got != tt.want {
				t.Errorf("got\n%q\nwant\n%q", got, tt.want)
			}
			tagValues(t, got)
		})
	}
}

func TestDeleteSeqItemRefuses(t *testing.T) {
	tests := []struct {
		name string
		src  string
		del  int
	}{
		{"multi-line plain", "tags:\n  - a\n  - b\n    continued\n", 1},
		{"block scalar", "tags:\n  - |\n    a\n  - b\n", 0},
		{"anchored", "tags:\n  - &x a\n  - b\n", 0},
		{"nested dash", "tags:\n  - - a\n    - b\n", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seq := tagsSeq(t, tt.src)
			item := seq.Content[tt.del]
			if tt.name == "nested dash" {
				seq = seq.Content[0]
				item = seq.Content[0]
			}
			if edits := DeleteSeqItem([]byte(tt.src), seq, item); edits != nil {
				t.Errorf("got edits %+v, want none", edits)
			}
		})
	}
	// An item of another sequence is refused.
	src := "tags: [a]\nother: [b]\n"
	seq := tagsSeq(t, src)
	var doc yaml.Node
	_ = yaml.Unmarshal([]byte(src), &doc)
	if edits := DeleteSeqItem([]byte(src), seq, doc.Content[0].Content[3].Content[0]); edits != nil {
		t.Errorf("foreign item: got edits %+v", edits)
	}
}

func TestInsertSeqItemBefore(t *testing.T) {
	tests := []struct {
		name   string
		src    string
		before int
		text   string
		want   string
	}{
		{"block", "tags:\n  - attack.t1059\n", 0, "attack.execution",
			"tags:\n  - attack.execution\n  - attack.t1059\n"},
		{"block middle", "tags:\n  - a\n  - b\n", 1, "x", "tags:\n  - a\n  - x\n  - b\n"},
		{"block zero indent", "tags:\n- a\n", 0, "x", "tags:\n- x\n- a\n"},
		{"block wide dash", "tags:\n    -   a\n", 0, "x", "tags:\n    -   x\n    -   a\n"},
		{"block crlf", "tags:\r\n  - a\r\n", 0, "x", "tags:\r\n  - x\r\n  - a\r\n"},
		{"block crlf last line", "tags:\r\n  - a", 0, "x", "tags:\r\n  - x\r\n  - a"},
		{"block single quoted", "tags:\n  - 'a'\n", 0, "x", "tags:\n  - 'x'\n  - 'a'\n"},
		{"block double quoted", "tags:\n  - \"a\"\n", 0, "x", "tags:\n  - \"x\"\n  - \"a\"\n"},
		{"block comment kept", "tags:\n  - a # note\n", 0, "x", "tags:\n  - x\n  - a # note\n"},
		{"block plain needs quotes", "tags:\n  - a\n", 0, "x: y", "tags:\n  - 'x: y'\n  - a\n"},
		{"block plain number", "tags:\n  - a\n", 0, "1.5", "tags:\n  - '1.5'\n  - a\n"},
		{"block bom", "\xef\xbb\xbftags:\n  - a\n", 0, "x", "\xef\xbb\xbftags:\n  - x\n  - a\n"},
		{"flow", "tags: [a, b]\n", 0, "x", "tags: [x, a, b]\n"},
		{"flow last", "tags: [a, b]\n", 1, "x", "tags: [a, x, b]\n"},
		{"flow tight", "tags: [a,b]\n", 1, "x", "tags: [a,x,b]\n"},
		{"flow single", "tags: [a]\n", 0, "x", "tags: [x, a]\n"},
		{"flow quoted", "tags: [\"a\"]\n", 0, "x", "tags: [\"x\", \"a\"]\n"},
		{"flow multiline", "tags: [\n  a,\n  b\n]\n", 1, "x", "tags: [\n  a,\n  x,\n  b\n]\n"},
		{"block tab before comment", "tags:\n  - a\t# c\n", 0, "x", "tags:\n  - x\n  - a\t# c\n"},
		{"flow tabs", "tags: [a,\tb]\n", 1, "x", "tags: [a,\tx,\tb]\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seq := tagsSeq(t, tt.src)
			edits := InsertSeqItemBefore([]byte(tt.src), seq, seq.Content[tt.before], tt.text)
			if edits == nil {
				t.Fatal("no edits")
			}
			got := applyRaw(t, []byte(tt.src), edits)
			if got != tt.want {
				t.Errorf("got\n%q\nwant\n%q", got, tt.want)
			}
			tags := tagValues(t, got)
			if tags[tt.before] != tt.text {
				t.Errorf("inserted value reads back as %q, want %q", tags[tt.before], tt.text)
			}
		})
	}
}

func TestPosOffset(t *testing.T) {
	src := []byte("\xef\xbb\xbfa: é☃x\r\nb\rc\u2028d")
	tests := []struct {
		line, col int
		want      byte
	}{
		{1, 1, 'a'}, {1, 6, 'x'}, {2, 1, 'b'}, {3, 1, 'c'}, {4, 1, 'd'},
	}
	for _, tt := range tests {
		off, ok := PosOffset(src, tt.line, tt.col)
		if !ok || src[off] != tt.want {
			t.Errorf("PosOffset(%d,%d) = %d,%v", tt.line, tt.col, off, ok)
		}
	}
	if _, ok := PosOffset(src, 9, 1); ok {
		t.Error("line past the end accepted")
	}
	if _, ok := PosOffset(src, 1, 40); ok {
		t.Error("column past the line end accepted")
	}
}
