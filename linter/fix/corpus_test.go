package fix

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/huntlint/huntlint/internal/testshared"
	"github.com/huntlint/huntlint/linter"
	"github.com/huntlint/huntlint/mapper"
	"github.com/huntlint/huntlint/rules"
)

// snapshot reads every regular file under root.
func snapshot(t testing.TB, root string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !d.Type().IsRegular() {
			return err
		}
		b, err := os.ReadFile(p)
		out[p] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// changedLines returns the lines of a missing from b and of b missing from a
// (a multiset difference: moved lines do not count).
func changedLines(a, b []byte) (removed, added []string) {
	count := map[string]int{}
	for _, l := range strings.SplitAfter(string(a), "\n") {
		count[l]++
	}
	for _, l := range strings.SplitAfter(string(b), "\n") {
		count[l]--
	}
	for l, n := range count {
		for ; n > 0; n-- {
			removed = append(removed, l)
		}
		for ; n < 0; n++ {
			added = append(added, l)
		}
	}
	return removed, added
}

// reTagLine is a Sigma tags item holding an ATT&CK tag, in any list style;
// a flow list line "tags: [a, b]" counts as a tag line too.
var reTagLine = regexp.MustCompile(`(?i)^\s*(-\s+['"]?attack\.[^\s'"]+['"]?\s*(#.*)?|tags:\s*\[.*\]\s*(#.*)?)\r?\n?$`)

// TestFixCorpusSafety fixes a copy of SigmaHQ's rules with the ATT&CK checks
// (safe fixes, then unsafe ones too) and proves the edits are trustworthy:
// only tag lines change, every file still loads, re-linting finds no fix
// left to apply, and a second run changes nothing.
func TestFixCorpusSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus test")
	}
	cat, err := mapper.Open(mapper.Options{Offline: true})
	if err != nil {
		t.Fatalf("open the embedded catalog: %v", err)
	}
	root := testshared.Corpus(t, "sigmahq-2026-04-28")
	orig := snapshot(t, root)
	opts := linter.Options{Catalog: cat, Select: []string{"attack"}}
	for _, unsafe := range []bool{false, true} {
		name := "safe"
		if unsafe {
			name = "unsafe"
		}
		t.Run(name, func(t *testing.T) {
			before := snapshot(t, root)
			res, err := linter.Lint([]string{root}, opts)
			if err != nil {
				t.Fatal(err)
			}
			loadErr := map[string]bool{}
			for _, f := range res.Findings {
				if isLoadError(&f) {
					loadErr[f.Path] = true
				}
			}
			sum, err := Apply(res.Findings, Options{Unsafe: unsafe, Relint: Relinter(opts)})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %d fixes in %d files, %d remaining, %d errors", name, sum.Fixed(), len(sum.Files), sum.Remaining(), len(sum.Errors))
			for _, c := range sum.Checks {
				t.Logf("  %s: fixed %d, remaining %d, unsafe %d", c.Check, c.Fixed, c.Remaining, c.Unsafe)
			}
			if sum.Fixed() == 0 {
				t.Fatal("nothing was fixed: the corpus has tag problems to fix")
			}
			for _, e := range sum.Errors {
				if !loadErr[e.Path] {
					t.Errorf("not fixed: %v", e)
				}
			}
			after := snapshot(t, root)
			if len(after) != len(before) {
				t.Errorf("%d files before, %d after (temporary files left?)", len(before), len(after))
			}
			changed := 0
			for p, b := range after {
				a := before[p]
				if bytes.Equal(a, b) {
					continue
				}
				changed++
				if loadErr[p] {
					t.Errorf("%s has a load error but was written", p)
				}
				removed, added := changedLines(a, b)
				for _, l := range append(removed, added...) {
					if !reTagLine.MatchString(l) {
						t.Errorf("%s: a line other than a tag changed: %q", p, l)
					}
				}
				if _, probs := rules.LoadBytes(p, b); len(probs) > 0 && !loadErr[p] {
					t.Errorf("%s no longer loads: %v", p, probs[0].Message)
				}
			}
			if changed != len(sum.Files) {
				t.Errorf("%d files changed on disk, the summary says %d", changed, len(sum.Files))
			}
			// Re-lint: nothing applicable is left.
			res2, err := linter.Lint([]string{root}, opts)
			if err != nil {
				t.Fatal(err)
			}
			fo := Options{Unsafe: unsafe}
			for _, f := range res2.Findings {
				if fo.applicable(f.Fix) {
					t.Errorf("fixable after fixing: %s", linter.FormatFinding(f))
				}
			}
			// A second run is a no-op.
			sum2, _ := Apply(res2.Findings, Options{Unsafe: unsafe, Relint: Relinter(opts)})
			if len(sum2.Files) != 0 || sum2.Fixed() != 0 {
				t.Errorf("second run changed %d files", len(sum2.Files))
			}
		})
	}
	// Files nobody should have touched are byte for byte the same.
	final := snapshot(t, root)
	same := 0
	for p, b := range orig {
		if bytes.Equal(final[p], b) {
			same++
		}
	}
	t.Logf("%d of %d files unchanged", same, len(orig))
}

// TestFixCorpusAllChecks runs every check's fixes (safe and unsafe) on a
// copy of SigmaHQ's rules: each fix changes at most a line or two (nothing
// is re-serialised), every file still loads, nothing fixable is left and a
// second run is a no-op.
func TestFixCorpusAllChecks(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus test")
	}
	cat, err := mapper.Open(mapper.Options{Offline: true})
	if err != nil {
		t.Fatalf("open the embedded catalog: %v", err)
	}
	root := testshared.Corpus(t, "sigmahq-2026-04-28")
	before := snapshot(t, root)
	opts := linter.Options{Catalog: cat}
	res, err := linter.Lint([]string{root}, opts)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := Apply(res.Findings, Options{Unsafe: true, Relint: Relinter(opts)})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("all checks: %d fixes in %d files, %d remaining, %d errors", sum.Fixed(), len(sum.Files), sum.Remaining(), len(sum.Errors))
	for _, c := range sum.Checks {
		t.Logf("  %s: fixed %d, remaining %d", c.Check, c.Fixed, c.Remaining)
	}
	loadErr := map[string]bool{}
	for _, f := range res.Findings {
		if isLoadError(&f) {
			loadErr[f.Path] = true
		}
	}
	for _, e := range sum.Errors {
		if !loadErr[e.Path] {
			t.Errorf("not fixed: %v", e)
		}
	}
	fixes := map[string]int{}
	for _, fc := range sum.Files {
		fixes[fc.Path] = fc.Fixes
	}
	for p, b := range snapshot(t, root) {
		a := before[p]
		if bytes.Equal(a, b) {
			continue
		}
		removed, added := changedLines(a, b)
		if n := len(removed) + len(added); n > 2*fixes[p]+2 {
			t.Errorf("%s: %d fixes changed %d lines", p, fixes[p], n)
		}
		if _, probs := rules.LoadBytes(p, b); len(probs) > 0 {
			t.Errorf("%s no longer loads: %v", p, probs[0].Message)
		}
	}
	res2, err := linter.Lint([]string{root}, opts)
	if err != nil {
		t.Fatal(err)
	}
	fo := Options{Unsafe: true}
	for _, f := range res2.Findings {
		if fo.applicable(f.Fix) {
			t.Errorf("fixable after fixing: %s", linter.FormatFinding(f))
		}
	}
	if sum2, _ := Apply(res2.Findings, Options{Unsafe: true, Relint: Relinter(opts)}); len(sum2.Files) != 0 {
		t.Errorf("second run changed %d files", len(sum2.Files))
	}
}

// BenchmarkFixCorpus measures lint plus fix (diff mode, nothing written) of
// SigmaHQ's rules with the ATT&CK checks.
func BenchmarkFixCorpus(b *testing.B) {
	cat, err := mapper.Open(mapper.Options{Offline: true})
	if err != nil {
		b.Fatal(err)
	}
	root := testshared.Corpus(b, "sigmahq-2026-04-28")
	opts := linter.Options{Catalog: cat, Select: []string{"attack"}}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := linter.Lint([]string{root}, opts)
		if err != nil {
			b.Fatal(err)
		}
		var diff bytes.Buffer
		if _, err := Apply(res.Findings, Options{Unsafe: true, Relint: Relinter(opts), Diff: &diff}); err != nil {
			b.Fatal(err)
		}
	}
}
