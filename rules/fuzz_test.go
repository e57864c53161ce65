package rules

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// fuzzLoad loads data as a file named name and checks the loader's
// invariants: no panic, every span inside the file and holding the
// reference's text, every query segment copied from the file.
func fuzzLoad(t *testing.T, name string, data []byte) {
	rules, problems := LoadBytes(name, data)
	for _, p := range problems {
		if p.Message == "" || p.Path != name {
			t.Fatalf("problem without message or path: %+v", p)
		}
	}
	for _, r := range rules {
		for _, ref := range r.Attack {
			s := ref.Span
			if s.StartOffset < 0 || s.EndOffset > len(data) || s.StartOffset > s.EndOffset {
				t.Fatalf("ref %q span %+v outside the file (%d bytes)", ref.Text, s, len(data))
			}
			if string(data[s.StartOffset:s.EndOffset]) != ref.Text && ref.Source != SourceSigmaTag {
				t.Fatalf("ref %q span holds %q", ref.Text, data[s.StartOffset:s.EndOffset])
			}
		}
		for _, q := range r.Queries {
			m := q.Map.(*LineMap)
			for _, sg := range m.segs {
				if sg.escape {
					if sg.fileOff < 0 || sg.fileOff >= len(data) || data[sg.fileOff] != '\\' && data[sg.fileOff] != '\'' {
						t.Fatalf("escape segment not at a backslash")
					}
					continue
				}
				if sg.fileOff < 0 || sg.fileOff+sg.textEnd-sg.textStart > len(data) {
					t.Fatalf("segment outside the file")
				}
				if string(data[sg.fileOff:sg.fileOff+sg.textEnd-sg.textStart]) != q.Text[sg.textStart:sg.textEnd] {
					t.Fatalf("segment text differs from the file")
				}
			}
			for off := 0; off <= len(q.Text); off += 1 + len(q.Text)/16 {
				if p := q.Map.Position(off); utf8.Valid(data) && (p.Line < 1 || p.Column < 1) {
					t.Fatalf("offset %d maps to %+v", off, p)
				}
			}
		}
	}
}

func addSeeds(f *testing.F, globs ...string) {
	for _, g := range globs {
		files, _ := filepath.Glob(filepath.Join("testdata", "golden", g))
		for _, file := range files {
			if strings.HasSuffix(file, ".out") {
				continue
			}
			data, err := os.ReadFile(file)
			if err == nil {
				f.Add(data)
			}
		}
	}
}

func FuzzSigma(f *testing.F) {
	addSeeds(f, "sigma*.yml", "bad*.yml")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzLoad(t, "f.yml", data) })
}

func FuzzSentinel(f *testing.F) {
	addSeeds(f, "sentinel*.yaml")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzLoad(t, "f.yaml", data) })
}

func FuzzKQL(f *testing.F) {
	addSeeds(f, "*.kql")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzLoad(t, "f.kql", data) })
}

func FuzzMarkdown(f *testing.F) {
	addSeeds(f, "*.md")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzLoad(t, "f.md", data) })
}
