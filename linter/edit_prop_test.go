package linter

import (
	"fmt"
	"math/rand"
	"reflect"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/huntlint/huntlint/internal/yamledit"
)

// genList writes a YAML document with a random tags list (block or flow,
// plain or quoted items, comments, LF or CRLF, optional BOM and final
// newline) between two other keys, and returns it with the tag values.
func genList(r *rand.Rand) (string, []string) {
	eol := "\n"
	if r.Intn(3) == 0 {
		eol = "\r\n"
	}
	n := 1 + r.Intn(5)
	var vals []string
	for i := 0; i < n; i++ {
		vals = append(vals, fmt.Sprintf("attack.t%04d", 1000+r.Intn(9000)))
	}
	item := func(v string) string {
		switch r.Intn(4) {
		case 0:
			return "'" + v + "'"
		case 1:
			return `"` + v + `"`
		}
		return v
	}
	var b strings.Builder
	if r.Intn(5) == 0 {
		b.WriteString("\xef\xbb\xbf")
	}
	b.WriteString("title: réseau ☃" + eol)
	if r.Intn(2) == 0 {
		// Flow list, maybe over several lines.
		multi := r.Intn(3) == 0
		b.WriteString("tags: [")
		for i, v := range vals {
			if multi {
				b.WriteString(eol + "    ")
			}
			b.WriteString(item(v))
			if i < n-1 {
				b.WriteString([]string{",", ", ", " , "}[r.Intn(3)])
			}
		}
		if multi {
			b.WriteString(eol)
		}
		b.WriteString("]")
		if r.Intn(3) == 0 {
			b.WriteString("  # flow")
		}
		b.WriteString(eol)
	} else {
		b.WriteString("tags:")
		if r.Intn(3) == 0 {
			b.WriteString(" # tags")
		}
		b.WriteString(eol)
		indent := strings.Repeat(" ", r.Intn(5))
		gap := []string{" ", "  ", "   "}[r.Intn(3)]
		for _, v := range vals {
			if r.Intn(4) == 0 {
				b.WriteString(indent + "# about it" + eol)
			}
			b.WriteString(indent + "-" + gap + item(v))
			if r.Intn(3) == 0 {
				b.WriteString("  # note")
			}
			b.WriteString(eol)
		}
	}
	b.WriteString("level: high")
	if r.Intn(4) != 0 {
		b.WriteString(eol)
	}
	return b.String(), vals
}

type doc struct {
	Title string   `yaml:"title"`
	Tags  []string `yaml:"tags"`
	Level string   `yaml:"level"`
}

// TestSeqEditsProperty edits thousands of generated lists and checks that
// the result is valid YAML holding exactly the expected list, with the other
// keys untouched and the line ends and byte order mark kept.
func TestSeqEditsProperty(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for c := 0; c < 3000; c++ {
		src, vals := genList(r)
		seq := tagsSeq(t, src)
		i := r.Intn(len(vals))
		check := func(op string, edits []Edit, want []string) {
			if edits == nil {
				t.Errorf("case %d: %s item %d: no edits for\n%q", c, op, i, src)
				return
			}
			got := applyRaw(t, []byte(src), edits)
			var d doc
			if err := yaml.Unmarshal([]byte(got), &d); err != nil {
				t.Errorf("case %d: %s item %d: invalid YAML %v\n%q\n->\n%q", c, op, i, err, src, got)
				return
			}
			if want == nil {
				want = []string{}
			}
			if d.Tags == nil {
				d.Tags = []string{}
			}
			if !reflect.DeepEqual(d.Tags, want) || d.Title != "réseau ☃" || d.Level != "high" {
				t.Errorf("case %d: %s item %d: got %+v want %v\n%q\n->\n%q", c, op, i, d, want, src, got)
			}
			if strings.HasPrefix(src, "\xef\xbb\xbf") != strings.HasPrefix(got, "\xef\xbb\xbf") {
				t.Errorf("case %d: BOM lost", c)
			}
			if strings.Contains(src, "\r\n") && strings.Count(got, "\n") != strings.Count(got, "\r\n") {
				t.Errorf("case %d: %s mixed line ends\n%q", c, op, got)
			}
			if strings.HasSuffix(src, "\n") != strings.HasSuffix(got, "\n") {
				t.Errorf("case %d: %s final newline changed\n%q\n->\n%q", c, op, src, got)
			}
		}
		del := append(append([]string(nil), vals[:i]...), vals[i+1:]...)
		check("delete", DeleteSeqItem([]byte(src), seq, seq.Content[i]), del)
		ins := append(append(append([]string(nil), vals[:i]...), "attack.execution"), vals[i:]...)
		check("insert", InsertSeqItemBefore([]byte(src), seq, seq.Content[i], "attack.execution"), ins)
	}
}

// FuzzDeleteSeqItem checks on arbitrary YAML that a deletion, when offered,
// yields valid YAML whose list lost exactly that item.
func FuzzDeleteSeqItem(f *testing.F) {
	f.Add("tags:\n  - a\n  - b\n", 0)
	f.Add("tags: [a, 'b', \"c\"]\n", 1)
	f.Add("tags:\r\n- a # x\r\n- b", 1)
	f.Fuzz(func(t *testing.T, src string, i int) {
		var root yaml.Node
		if yaml.Unmarshal([]byte(src), &root) != nil || len(root.Content) == 0 {
			return
		}
		m := root.Content[0]
		if m.Kind != yaml.MappingNode || len(m.Content) < 2 || m.Content[0].Value != "tags" {
			return
		}
		seq := m.Content[1]
		if seq.Kind != yaml.SequenceNode || len(seq.Content) == 0 {
			return
		}
		if i < 0 {
			i = -i
		}
		i %= len(seq.Content)
		for _, it := range seq.Content {
			if it.Kind != yaml.ScalarNode {
				return
			}
		}
		edits := DeleteSeqItem([]byte(src), seq, seq.Content[i])
		if edits == nil {
			return
		}
		out, err := yamledit.Apply([]byte(src), edits, yamledit.Exclusive)
		if err != nil {
			t.Fatalf("invalid edits %+v: %v", edits, err)
		}
		var before, after struct {
			Tags []string `yaml:"tags"`
		}
		if yaml.Unmarshal([]byte(src), &before) != nil || len(before.Tags) != len(seq.Content) {
			return
		}
		if err := yaml.Unmarshal(out, &after); err != nil {
			t.Fatalf("deleting item %d of %q gives invalid YAML %q: %v", i, src, out, err)
		}
		want := append(append([]string(nil), before.Tags[:i]...), before.Tags[i+1:]...)
		if len(want) == 0 && len(after.Tags) == 0 {
			return
		}
		if !reflect.DeepEqual(after.Tags, want) {
			t.Fatalf("deleting item %d of %q gives %q: tags %v, want %v", i, src, out, after.Tags, want)
		}
	})
}

// FuzzInsertSeqItemBefore checks on arbitrary YAML that an insertion, when
// offered, yields valid YAML whose list gained exactly that item.
func FuzzInsertSeqItemBefore(f *testing.F) {
	f.Add("tags:\n  - a\n  - b\n", 0, "attack.execution")
	f.Add("tags: [a, 'b', \"c\"]\n", 2, "x: y")
	f.Add("tags:\r\n- a # x\r\n- b", 1, "1.5")
	f.Fuzz(func(t *testing.T, src string, i int, text string) {
		var root yaml.Node
		if yaml.Unmarshal([]byte(src), &root) != nil || len(root.Content) == 0 {
			return
		}
		m := root.Content[0]
		if m.Kind != yaml.MappingNode || len(m.Content) < 2 || m.Content[0].Value != "tags" {
			return
		}
		seq := m.Content[1]
		if seq.Kind != yaml.SequenceNode || len(seq.Content) == 0 {
			return
		}
		for _, it := range seq.Content {
			if it.Kind != yaml.ScalarNode {
				return
			}
		}
		if i < 0 {
			i = -i
		}
		i %= len(seq.Content)
		var before, after struct {
			Tags []string `yaml:"tags"`
		}
		if yaml.Unmarshal([]byte(src), &before) != nil || len(before.Tags) != len(seq.Content) {
			return
		}
		edits := InsertSeqItemBefore([]byte(src), seq, seq.Content[i], text)
		if edits == nil {
			return
		}
		out, err := yamledit.Apply([]byte(src), edits, yamledit.Exclusive)
		if err != nil {
			t.Fatalf("invalid edits %+v: %v", edits, err)
		}
		if err := yaml.Unmarshal(out, &after); err != nil {
			t.Fatalf("inserting %q before item %d of %q gives invalid YAML %q: %v", text, i, src, out, err)
		}
		want := append(append(append([]string(nil), before.Tags[:i]...), text), before.Tags[i:]...)
		if !reflect.DeepEqual(after.Tags, want) {
			t.Fatalf("inserting %q before item %d of %q gives %q: tags %q, want %q", text, i, src, out, after.Tags, want)
		}
	})
}
