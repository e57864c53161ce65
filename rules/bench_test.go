package rules

import (
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"github.com/huntlint/huntlint/internal/testshared"
	"gopkg.in/yaml.v3"
)

func sigmaHQFiles(b *testing.B) []string {
	root := testshared.Corpus(b, "sigmahq-2026-04-28")
	var files []string
	dirs, _ := filepath.Glob(filepath.Join(root, "rules*"))
	for _, d := range dirs {
		files = append(files, walkExt(b, d, ".yml")...)
	}
	return files
}

// BenchmarkLoadSigmaHQ loads SigmaHQ's rules* folders (3,748 rules) the way
// the linter does: every file read, parsed once, decoded, positioned.
func BenchmarkLoadSigmaHQ(b *testing.B) {
	files := sigmaHQFiles(b)
	for _, jobs := range []int{1, 0} {
		name := "jobs=1"
		if jobs == 0 {
			name = "jobs=all"
		}
		b.Run(name, func(b *testing.B) {
			defer reportCPU(b)()
			for b.Loop() {
				rules, problems := LoadAll(files, jobs)
				if len(rules) != len(files) || len(problems) > 0 {
					b.Fatalf("%d rules, %d problems", len(rules), len(problems))
				}
			}
		})
	}
}

// BenchmarkYAMLFloorSigmaHQ is the floor for BenchmarkLoadSigmaHQ: only
// reading the same files and parsing them with yaml.v3 into nodes.
func BenchmarkYAMLFloorSigmaHQ(b *testing.B) {
	files := sigmaHQFiles(b)
	parse := func(f string) {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		var n yaml.Node
		if err := yaml.Unmarshal(data, &n); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("jobs=1", func(b *testing.B) {
		defer reportCPU(b)()
		for b.Loop() {
			for _, f := range files {
				parse(f)
			}
		}
	})
	b.Run("jobs=all", func(b *testing.B) {
		defer reportCPU(b)()
		for b.Loop() {
			var wg sync.WaitGroup
			next := make(chan string)
			for range runtime.GOMAXPROCS(0) {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for f := range next {
						parse(f)
					}
				}()
			}
			for _, f := range files {
				next <- f
			}
			close(next)
			wg.Wait()
		}
	})
}

// reportCPU adds the process CPU time per operation (user plus system) to a
// benchmark's figures: wall time is unreliable on a shared machine.
func reportCPU(b *testing.B) func() {
	start := cpuTime()
	return func() {
		if b.N > 0 {
			b.ReportMetric(float64((cpuTime()-start).Milliseconds())/float64(b.N), "cpu-ms/op")
		}
	}
}

// BenchmarkLoadKQLCorpora loads the 462 .kql files of reprise99 and the 276
// Markdown files of m365-defender-hunting-queries.
func BenchmarkLoadKQLCorpora(b *testing.B) {
	files := walkExt(b, testshared.Corpus(b, "reprise99-sentinel-queries"), ".kql")
	files = append(files, walkExt(b, testshared.Corpus(b, "m365-defender-hunting-queries"), ".md")...)
	defer reportCPU(b)()
	for b.Loop() {
		if _, problems := LoadAll(files, 1); len(problems) > 0 {
			b.Fatal(problems)
		}
	}
}
