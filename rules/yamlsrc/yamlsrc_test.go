package yamlsrc

import (
	"testing"

	"gopkg.in/yaml.v3"
)

func parse(t *testing.T, src string) *yaml.Node {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatal(err)
	}
	return &doc
}

// TestLookupLastKeyWins: of a key written twice, Lookup returns the last
// one, and Duplicates reports that one at its line with the first.
func TestLookupLastKeyWins(t *testing.T) {
	doc := parse(t, "title: a\ntags:\n  - attack.t1059\nid: x\ntags:\n  - attack.t1003\n")
	k, v := Lookup(Root(doc), "tags")
	if k == nil || k.Line != 5 || v.Content[0].Value != "attack.t1003" {
		t.Fatalf("Lookup(tags) = %v, %v; want the second key, line 5", k, v)
	}
	var got [][2]int
	Duplicates(doc, func(dup, first *yaml.Node) { got = append(got, [2]int{dup.Line, first.Line}) })
	if len(got) != 1 || got[0] != [2]int{5, 2} {
		t.Errorf("Duplicates = %v, want [[5 2]]", got)
	}
	if k, v := Lookup(Root(doc), "missing"); k != nil || v != nil {
		t.Errorf("Lookup(missing) = %v, %v", k, v)
	}
	if k, _ := Lookup(v, "tags"); k != nil {
		t.Error("Lookup in a sequence found a key")
	}
}

// TestDuplicatesLargeMappingsAndMergeKeys: mappings of more than 16 keys
// take the indexed path, nested mappings are walked, and merge keys are no
// duplicates.
func TestDuplicatesLargeMappingsAndMergeKeys(t *testing.T) {
	src := "base: &b {x: 1}\n"
	for _, k := range []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"} {
		src += k + ": 1\n"
	}
	src += "n:\n  <<: *b\n  <<: *b\n  y: 1\n  y: 2\na: 2\n"
	doc := parse(t, src)
	var got []string
	Duplicates(doc, func(dup, _ *yaml.Node) { got = append(got, dup.Value) })
	if len(got) != 2 || got[0] != "a" || got[1] != "y" {
		t.Errorf("Duplicates = %q, want [a y]", got)
	}
}

func TestRootAndResolve(t *testing.T) {
	doc := parse(t, "a: &x {k: v}\nb: *x\n")
	root := Root(doc)
	if root == nil || Root(root) != root {
		t.Fatal("Root of a document or of its mapping is not the mapping")
	}
	_, b := Lookup(root, "b")
	if b.Kind != yaml.AliasNode {
		t.Fatal("Lookup followed the alias")
	}
	if v := Value(root, "b"); v == nil || v.Kind != yaml.MappingNode {
		t.Errorf("Value(b) = %v, want the anchored mapping", v)
	}
	if Root(parse(t, "- a\n")) != nil || Root(nil) != nil || Root(&yaml.Node{Kind: yaml.DocumentNode}) != nil {
		t.Error("Root of a list, nil or an empty document is not nil")
	}
}
