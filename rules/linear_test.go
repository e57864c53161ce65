package rules_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/huntlint/huntlint/internal/hostile"
	"github.com/huntlint/huntlint/linter"
	"github.com/huntlint/huntlint/mapper"
	"github.com/huntlint/huntlint/rules"
)

// maxDecoded bounds the bytes one column conversion may decode, whatever
// the length of the line: a jump to a character mark, then a few characters.
const maxDecoded = 1024

// TestLintPositionWorkLinear proves without a clock that a lint of one
// hostile file looks positions up in linear work: it lints each shape of
// internal/hostile at n, 2n and 4n elements and counts what the line index
// does. The file's index is built once, at load, and every lookup of the
// loader and of the checks (PosOffset, spans, fix edits) uses it: no
// lookup builds another. A column conversion decodes a bounded number of
// bytes, and the number of conversions grows with the file, not with its
// square.
func TestLintPositionWorkLinear(t *testing.T) {
	cat, err := mapper.Open(mapper.Options{Offline: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, sh := range hostile.Shapes {
		t.Run(sh.Name, func(t *testing.T) {
			var prev rules.IndexWork
			for _, n := range []int{500, 1000, 2000} {
				src := sh.Gen(n)
				path := filepath.Join(t.TempDir(), sh.Name+".yml")
				if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
					t.Fatal(err)
				}
				stop := rules.WatchIndexWork()
				res, err := linter.Run([]string{path}, linter.Options{Catalog: cat, Config: &linter.Config{}, Jobs: 1})
				w := stop()
				if err != nil {
					t.Fatal(err)
				}
				if res.Rules != 1 {
					t.Fatalf("n=%d: %d rules", n, res.Rules)
				}
				for _, f := range res.Findings {
					if f.Check == linter.LoadErrorID {
						t.Fatalf("n=%d: %s", n, linter.FormatFinding(f))
					}
				}
				if w.Builds != 1 || w.Scanned != int64(len(src)) || w.Misses != 0 {
					t.Errorf("n=%d: %d index builds scanning %d bytes and %d lookups without the file's index; "+
						"want one build of the %d-byte file, at load, and none after", n, w.Builds, w.Scanned, w.Misses, len(src))
				}
				if w.Decoded > w.Lookups*maxDecoded {
					t.Errorf("n=%d: %d column conversions decoded %d bytes, more than %d each", n, w.Lookups, w.Decoded, maxDecoded)
				}
				if prev.Lookups > 0 && (w.Lookups > 2*prev.Lookups+64 || w.Decoded > 2*prev.Decoded+4096) {
					t.Errorf("n=%d: %d column conversions decoding %d bytes, more than twice the %d decoding %d at half the size",
						n, w.Lookups, w.Decoded, prev.Lookups, prev.Decoded)
				}
				t.Logf("n=%d: %d bytes, %d findings, %d conversions decoding %d bytes", n, len(src), len(res.Findings), w.Lookups, w.Decoded)
				prev = w
			}
		})
	}
}
