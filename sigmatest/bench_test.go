package sigmatest

import (
	"context"
	"testing"
)

// BenchmarkCorpusRegression runs all of SigmaHQ's regression tests (rules
// loaded and unpacked once, outside the timing): compile, read the JSON
// events and evaluate, in parallel.
func BenchmarkCorpusRegression(b *testing.B) {
	dir := corpusTree(b)
	rs := loadTree(b, dir)
	m := DefaultMap()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rep := Run(context.Background(), rs, Options{Map: m})
		if rep.Summary.Passed < 160 {
			b.Fatalf("%+v", rep.Summary)
		}
	}
}
