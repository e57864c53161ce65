package suggest

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/huntlint/huntlint/internal/yamledit"
	"github.com/huntlint/huntlint/rules"
)

// FuzzTagEdits checks that adding tags to any YAML never panics and, when it
// succeeds, leaves YAML that loads to the same documents plus the added
// values (checked here by decoding both texts to Go values, apart from the
// engine's own node comparison).
func FuzzTagEdits(f *testing.F) {
	files, _ := filepath.Glob("testdata/write/*.y*ml")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(string(b))
		}
	}
	f.Add("title: t\ntags:\n -\n    attack.persistence\n -\n    attack.t1053\nlogsource: {}\n")
	f.Add("title: t\ntags: [a, b,]\n")
	f.Add("title: t\ntags: [a, # c\n  b # d\n]\n")
	f.Add("title: t\ntags:\n- a\n- |+\n  keep\n\n\nlevel: high\n")
	f.Add("title: t\ntags:\n  - a\n    b\n# after\n")
	s, err := New(embedded(f), nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, src string) {
		for _, name := range []string{"r.yml", "r.yaml"} {
			rs, _ := rules.LoadBytes(name, []byte(src))
			for _, r := range rs {
				if r.Doc == nil {
					continue
				}
				eds, adds, err := s.tagEdits(r, []string{"T1059.001", "T1053.005"})
				if err != nil {
					continue
				}
				out, err := yamledit.Apply(r.Source, eds, yamledit.InOrder)
				if err != nil {
					t.Fatalf("edits do not apply: %v", err)
				}
				checkLoadsWithAdditions(t, r, out, adds)
			}
		}
		// Features and suggestions never panic either.
		rs, _ := rules.LoadBytes("q.kql", []byte(src))
		for _, r := range rs {
			s.Suggest(r, 3)
		}
	})
}

// checkLoadsWithAdditions decodes the documents of r's file before and
// after the edits to Go values: every document but r's is unchanged, and
// r's has the added values at the end of each list.
func checkLoadsWithAdditions(t *testing.T, r *rules.Rule, out []byte, adds []yamledit.Addition) {
	t.Helper()
	before, err := decodeAll(r.Source)
	if err != nil {
		return
	}
	after, err := decodeAll(out)
	if err != nil {
		t.Fatalf("valid YAML became invalid: %v\n%s", err, out)
	}
	if len(after) != len(before) {
		t.Fatalf("%d documents became %d:\n%s", len(before), len(after), out)
	}
	docs, _ := yamledit.Documents(r.Source)
	root := r.Doc
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		root = root.Content[0]
	}
	target := yamledit.DocIndex(docs, root)
	again, _ := decodeAll(r.Source)
	for i := range before {
		if !reflect.DeepEqual(before[i], again[i]) {
			continue // NaN and the like: not comparable
		}
		want := before[i]
		if i == target {
			m, ok := want.(map[string]interface{})
			if !ok {
				continue
			}
			for _, a := range adds {
				var list []interface{}
				if l, ok := m[a.Key].([]interface{}); ok {
					list = l
				}
				for _, v := range a.Values {
					list = append(list, v)
				}
				m[a.Key] = list
			}
		}
		if !reflect.DeepEqual(want, after[i]) {
			t.Fatalf("document %d changed beyond the added tags:\nbefore:\n%s\nafter:\n%s", i+1, r.Source, out)
		}
	}
}

// decodeAll decodes every YAML document of b to Go values.
func decodeAll(b []byte) ([]interface{}, error) {
	docs, err := yamledit.Documents(b)
	if err != nil {
		return nil, err
	}
	var vs []interface{}
	for _, d := range docs {
		var v interface{}
		if err := d.Decode(&v); err != nil {
			return nil, err
		}
		vs = append(vs, v)
	}
	return vs, nil
}
