package attacktest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/huntlint/huntlint/internal/testshared"
	"github.com/huntlint/huntlint/rules"
)

// V19Corpus unpacks SigmaHQ's rules (tagged for ATT&CK 18) and retags them
// as their authors did for ATT&CK 19 (V19Tags). It returns the
// rule files and, per changed file, the lines of tags ATT&CK 18.1 lacks.
func V19Corpus(t testing.TB) (files []string, newer map[string][]int) {
	t.Helper()
	dir := testshared.Corpus(t, "sigmahq-2026-04-28")
	all, probs := rules.Discover([]string{dir}, rules.DiscoverOptions{})
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	newer = map[string][]int{}
	for _, p := range all {
		rel, _ := filepath.Rel(dir, p)
		if !strings.HasPrefix(filepath.ToSlash(rel), "rules") {
			continue
		}
		files = append(files, p)
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out, lines := V19Tags(string(src))
		if out == string(src) {
			continue
		}
		if err := os.WriteFile(p, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
		newer[p] = lines
	}
	if len(newer) < 1000 {
		t.Fatalf("only %d rules retagged for ATT&CK 19; SigmaHQ has well over a thousand with attack.defense-evasion", len(newer))
	}
	return files, newer
}
