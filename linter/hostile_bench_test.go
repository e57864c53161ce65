//go:build unix

package linter

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/huntlint/huntlint/internal/hostile"
	"github.com/huntlint/huntlint/internal/testshared"
)

// hostileSizes returns the element counts of BenchmarkHostile: 1k, 2k, 4k
// and 8k, or the comma-separated counts in $HUNTLINT_HOSTILE_SIZES.
func hostileSizes(b *testing.B) []int {
	env := os.Getenv("HUNTLINT_HOSTILE_SIZES")
	if env == "" {
		return []int{1000, 2000, 4000, 8000}
	}
	var sizes []int
	for _, f := range strings.Split(env, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			b.Fatalf("HUNTLINT_HOSTILE_SIZES: %q is not a positive count", f)
		}
		sizes = append(sizes, n)
	}
	return sizes
}

// BenchmarkHostile lints one generated hostile file (see internal/hostile)
// with every default check, per shape and size, the way huntlint lint reads
// a file. Time per operation should double with the size;
// bench/hostile.sh prints the ratios. Besides wall time it reports the
// process's CPU time per operation (cpu-ns/op), which other work on a
// shared machine disturbs less.
func BenchmarkHostile(b *testing.B) {
	cat := testCatalog(b)
	sizes := hostileSizes(b)
	for _, sh := range hostile.Shapes {
		for _, n := range sizes {
			b.Run(fmt.Sprintf("%s/n=%d", sh.Name, n), func(b *testing.B) {
				path := filepath.Join(b.TempDir(), sh.Name+".yml")
				if err := os.WriteFile(path, []byte(sh.Gen(n)), 0o644); err != nil {
					b.Fatal(err)
				}
				b.ResetTimer()
				start := testshared.CPUTime()
				defer func() { b.ReportMetric(float64(testshared.CPUTime()-start)/float64(b.N), "cpu-ns/op") }()
				for b.Loop() {
					res, err := Run([]string{path}, Options{Catalog: cat, Config: &Config{}, Jobs: 1})
					if err != nil {
						b.Fatal(err)
					}
					if res.Rules != 1 {
						b.Fatalf("%d rules", res.Rules)
					}
				}
			})
		}
	}
}
