//go:build unix

package linter

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/huntlint/huntlint/internal/testshared"
	"github.com/huntlint/huntlint/rules"
)

// sigmaFiles unpacks the SigmaHQ corpus once per benchmark and returns its
// rule files, as huntlint lint would discover them.
func sigmaFiles(b *testing.B) []string {
	b.Helper()
	dir := testshared.Corpus(b, "sigmahq-2026-04-28")
	files, probs := rules.Discover([]string{dir}, rules.DiscoverOptions{})
	if len(probs) > 0 {
		b.Fatal(probs)
	}
	return files
}

// BenchmarkLintSigmaHQ lints the whole SigmaHQ corpus with every check, on
// all processors: the figure to compare with BenchmarkParseFloorSigmaHQ
// (target: at most 2x).
func BenchmarkLintSigmaHQ(b *testing.B) {
	files := sigmaFiles(b)
	cat := testCatalog(b)
	b.ResetTimer()
	defer reportCPU(b)()
	for i := 0; i < b.N; i++ {
		res, err := Run(files, Options{Catalog: cat, Config: &Config{}})
		if err != nil {
			b.Fatal(err)
		}
		if res.Rules < 3748 {
			b.Fatalf("%d rules", res.Rules)
		}
	}
}

// BenchmarkParseFloorSigmaHQ is the floor: read every file of the corpus
// and parse it into yaml.v3 nodes, on all processors, nothing else.
func BenchmarkParseFloorSigmaHQ(b *testing.B) {
	files := sigmaFiles(b)
	var yml []string
	for _, f := range files {
		if strings.HasSuffix(f, ".yml") || strings.HasSuffix(f, ".yaml") {
			yml = append(yml, f)
		}
	}
	b.ResetTimer()
	defer reportCPU(b)()
	for i := 0; i < b.N; i++ {
		next := make(chan string)
		var wg sync.WaitGroup
		for w := 0; w < runtime.GOMAXPROCS(0); w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for p := range next {
					src, err := os.ReadFile(p)
					if err != nil {
						b.Error(err)
						continue
					}
					dec := yaml.NewDecoder(strings.NewReader(string(src)))
					for {
						var n yaml.Node
						if err := dec.Decode(&n); err != nil {
							break
						}
					}
				}
			}()
		}
		for _, p := range yml {
			next <- p
		}
		close(next)
		wg.Wait()
	}
	_ = filepath.Separator
}

// reportCPU adds the process CPU time (user + system) per operation to a
// benchmark's results: on a shared, loaded machine it compares two
// benchmarks more faithfully than wall time.
func reportCPU(b *testing.B) func() {
	start := testshared.CPUTime()
	return func() {
		b.ReportMetric(float64((testshared.CPUTime()-start).Milliseconds())/float64(b.N), "cpu-ms/op")
	}
}
