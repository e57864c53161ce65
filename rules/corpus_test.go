package rules

import (
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/huntlint/huntlint/internal/testshared"
)

// walkExt lists files under root with one of the extensions.
func walkExt(t testing.TB, root string, exts ...string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		for _, e := range exts {
			if !d.IsDir() && strings.HasSuffix(p, e) {
				files = append(files, p)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestSigmaHQCorpus(t *testing.T) {
	root := testshared.Corpus(t, "sigmahq-2026-04-28")
	var files []string
	entries, _ := filepath.Glob(filepath.Join(root, "rules*"))
	for _, e := range entries {
		files = append(files, walkExt(t, e, ".yml", ".yaml")...)
	}
	if len(files) != 3748 {
		t.Errorf("found %d rule files under rules*, want 3748", len(files))
	}
	rules, problems := LoadAll(files, 0)
	for _, p := range problems {
		t.Errorf("%s:%d:%d: %s", p.Path, p.Line, p.Column, p.Message)
	}
	if len(rules) != 3748 {
		t.Errorf("loaded %d rules, want 3748", len(rules))
	}
	kinds := map[Kind]int{}
	nosigma := 0
	for _, r := range rules {
		kinds[r.Kind]++
		if _, err := r.DecodeSigma(); err != nil {
			nosigma++
			t.Logf("sigma-go rejects %s: %v", r.Path, err)
		}
		for _, ref := range r.Attack {
			got := string(r.Source[ref.Span.StartOffset:ref.Span.EndOffset])
			if got != ref.Text {
				t.Errorf("%s: ref %q span holds %q", r.Path, ref.Text, got)
			}
		}
	}
	t.Logf("kinds %v; detection rules sigma-go rejected: %d", kinds, nosigma)
}

// loadCorpus loads every file with the extensions and fails on any problem.
func loadCorpus(t *testing.T, name string, exts ...string) []*Rule {
	root := testshared.Corpus(t, name)
	files := walkExt(t, root, exts...)
	rules, problems := LoadAll(files, 0)
	for _, p := range problems {
		t.Errorf("%s:%d:%d: %s", p.Path, p.Line, p.Column, p.Message)
	}
	for _, r := range rules {
		checkPositions(t, r)
	}
	t.Logf("%s: %d files, %d rules", name, len(files), len(rules))
	return rules
}

// checkPositions verifies that every reference span holds the reference's
// text and that every query's map sends each line start to a file line that
// holds the same text.
func checkPositions(t *testing.T, r *Rule) {
	t.Helper()
	li := newLineIndex(r.Source)
	for _, ref := range r.Attack {
		if got := string(r.Source[ref.Span.StartOffset:ref.Span.EndOffset]); got != ref.Text {
			t.Errorf("%s: ref %q: span holds %q", r.Path, ref.Text, got)
		}
		if p := li.pos(ref.Span.StartOffset); p != ref.Span.Start {
			t.Errorf("%s: ref %q: start %v, offset says %v", r.Path, ref.Text, ref.Span.Start, p)
		}
	}
	for i, q := range r.Queries {
		m, ok := q.Map.(*LineMap)
		if !ok {
			t.Fatalf("%s: query %d: map is %T", r.Path, i+1, q.Map)
		}
		if m.text != q.Text {
			t.Errorf("%s: query %d: map text differs from query text", r.Path, i+1)
		}
		if len(m.segs) == 0 && strings.TrimSpace(q.Text) != "" {
			t.Errorf("%s: query %d: no mapped segment", r.Path, i+1)
		}
		if len(m.segs) > 0 && q.Start != m.segs[0].pos {
			t.Errorf("%s: query %d: start %v, first segment at %v", r.Path, i+1, q.Start, m.segs[0].pos)
		}
		for _, s := range m.segs {
			text := q.Text[s.textStart:s.textEnd]
			if got := string(r.Source[s.fileOff : s.fileOff+len(text)]); got != text {
				t.Errorf("%s: query %d: segment %q maps to file text %q", r.Path, i+1, text, got)
			}
			if p := li.pos(s.fileOff); p != s.pos || q.Map.Position(s.textStart) != p {
				t.Errorf("%s: query %d: segment %q at %v, offset says %v", r.Path, i+1, text, s.pos, p)
			}
		}
	}
}

func countQueries(rules []*Rule) (n int) {
	for _, r := range rules {
		n += len(r.Queries)
	}
	return n
}

func TestReprise99Corpus(t *testing.T) {
	rules := loadCorpus(t, "reprise99-sentinel-queries", ".kql")
	if len(rules) != 462 {
		t.Errorf("loaded %d rules, want one per .kql file (462)", len(rules))
	}
	refs := 0
	for _, r := range rules {
		refs += len(r.Attack)
	}
	t.Logf("queries %d, refs %d", countQueries(rules), refs)
}

func TestM365Corpus(t *testing.T) {
	rules := loadCorpus(t, "m365-defender-hunting-queries", ".md")
	refs := map[RefKind]int{}
	for _, r := range rules {
		for _, ref := range r.Attack {
			refs[ref.Kind]++
		}
	}
	t.Logf("queries %d, refs %v", countQueries(rules), refs)
}
