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
		if r.Kind == KindDetection && r.Sigma == nil {
			nosigma++
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
