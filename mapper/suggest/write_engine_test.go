package suggest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/huntlint/huntlint/internal/yamledit"
	"github.com/huntlint/huntlint/rules"
)

// Layouts the line-copying writer got wrong: items whose content starts on
// the line after their dash, flow lists with a trailing comma or comments,
// multi-line last items. Each is written, and loads to the old document
// plus the tags (the fuzz target's property, on fixed inputs).
func TestTagEditsLayouts(t *testing.T) {
	s, err := New(embedded(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]string{
		"title: t\ntags:\n -\n    attack.persistence\nlogsource:\n  product: windows\n": "title: t\ntags:\n -\n    attack.persistence\n - attack.execution\n - attack.t1059.001\nlogsource:\n  product: windows\n",
		"title: t\ntags: [attack.persistence,]\n":                                       "title: t\ntags: [attack.persistence, attack.execution, attack.t1059.001,]\n",
		"title: t\ntags: [attack.persistence # why\n]\n":                                "title: t\ntags: [attack.persistence, attack.execution, attack.t1059.001 # why\n]\n",
		"title: t\ntags:\n  - attack.persistence\n    and more\n# end\nlevel: low\n":    "title: t\ntags:\n  - attack.persistence\n    and more\n  - attack.execution\n  - attack.t1059.001\n# end\nlevel: low\n",
		"title: t\ntags:\n-   attack.persistence\n":                                     "title: t\ntags:\n-   attack.persistence\n-   attack.execution\n-   attack.t1059.001\n",
	}
	for src, want := range cases {
		src, want := src+det, want+det
		rs, probs := rules.LoadBytes("r.yml", []byte(src))
		if len(rs) != 1 || len(probs) > 0 {
			t.Fatalf("%q: %d rules, %v", src, len(rs), probs)
		}
		eds, adds, err := s.tagEdits(rs[0], []string{"T1059.001"})
		if err != nil {
			t.Errorf("%q: %v", src, err)
			continue
		}
		got, _ := yamledit.Apply(rs[0].Source, eds, yamledit.InOrder)
		if string(got) != want {
			t.Errorf("%q:\ngot  %q\nwant %q", src, got, want)
		}
		checkLoadsWithAdditions(t, rs[0], got, adds)
	}
}

const det = "detection: {sel: {a: b}, condition: sel}\n"

// A layout the engine cannot prove is refused with an error naming the
// file; WriteTags writes nothing and reports it.
func TestWriteTagsRefusesWhatItCannotProve(t *testing.T) {
	s, err := New(embedded(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "r.yml")
	// The last item is a kept block scalar: items inserted after its text
	// would take its trailing blank lines.
	src := "title: t\ntags:\n  - |+\n    keep\n\n\nlevel: low\n" + det
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	rs, _ := rules.Load(p)
	if len(rs) != 1 {
		t.Fatal("not loaded")
	}
	res := []Result{{Path: p, rule: rs[0], Suggested: []Suggestion{{Technique: "T1059.001"}}}}
	written, problems := s.WriteTags(res, false)
	b, _ := os.ReadFile(p)
	if len(problems) == 0 {
		checkLoadsWithAdditions(t, rs[0], b, []yamledit.Addition{{Key: "tags", Values: []string{"attack.execution", "attack.t1059.001"}}})
		return
	}
	if len(written) != 0 || string(b) != src || !strings.Contains(problems[0].Error(), p) {
		t.Errorf("written %v, problems %v, file %q", written, problems, b)
	}
}

// WriteTags refuses a read-only file unless force.
func TestWriteTagsReadOnly(t *testing.T) {
	s, err := New(embedded(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "r.yml")
	src := "title: t\ntags:\n  - attack.persistence\n" + det
	if err := os.WriteFile(p, []byte(src), 0o444); err != nil {
		t.Fatal(err)
	}
	rs, _ := rules.Load(p)
	res := []Result{{Path: p, rule: rs[0], Suggested: []Suggestion{{Technique: "T1059.001"}}}}
	written, problems := s.WriteTags(res, false)
	if b, _ := os.ReadFile(p); len(written) != 0 || len(problems) != 1 || !strings.Contains(problems[0].Error(), "read-only") || string(b) != src {
		t.Errorf("without force: written %v, problems %v, file %q", written, problems, b)
	}
	written, problems = s.WriteTags(res, true)
	if b, _ := os.ReadFile(p); len(written) != 1 || len(problems) != 0 || !strings.Contains(string(b), "attack.t1059.001") {
		t.Errorf("with force: written %v, problems %v, file %q", written, problems, b)
	}
}
