package suggest

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/huntlint/huntlint/rules"
)

// FuzzTagEdits checks that adding tags to any YAML never panics and, when it
// succeeds, leaves YAML that still parses.
func FuzzTagEdits(f *testing.F) {
	files, _ := filepath.Glob("testdata/write/*.y*ml")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(string(b))
		}
	}
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
				eds, err := s.TagEdits(r, []string{"T1059.001", "T1053.005"})
				if err != nil {
					continue
				}
				out, err := Apply(r.Source, eds)
				if err != nil {
					t.Fatalf("edits do not apply: %v", err)
				}
				if parseAll(r.Source) == nil {
					if err := parseAll(out); err != nil {
						t.Fatalf("valid YAML became invalid: %v\n%s", err, out)
					}
				}
			}
		}
		// Features and suggestions never panic either.
		rs, _ := rules.LoadBytes("q.kql", []byte(src))
		for _, r := range rs {
			s.Suggest(r, 3)
		}
	})
}

// parseAll decodes every YAML document of b.
func parseAll(b []byte) error {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	for {
		var n yaml.Node
		if err := dec.Decode(&n); err != nil {
			if err == io.EOF {
				return nil
			}
			return err
		}
	}
}
