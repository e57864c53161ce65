package mapper

import (
	"testing"

	"github.com/huntlint/huntlint/internal/testshared"
)

// reportCPU adds the CPU time per operation (all threads, GC included) to
// a benchmark: wall time is unreliable on a busy machine.
func reportCPU(b *testing.B, start int64) {
	if end := cpuTime(); start >= 0 && end >= 0 && b.N > 0 {
		b.ReportMetric(float64(end-start)/float64(b.N)/1e6, "cpu-ms/op")
	}
}

// BenchmarkLoadEnterpriseBundle loads the full enterprise 18.1 bundle
// (7.5 MB gzip, 33 MB JSON).
func BenchmarkLoadEnterpriseBundle(b *testing.B) {
	p := testshared.File(b, "attack/enterprise-attack-18.1.json.gz")
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		if _, err := LoadFile(p, ""); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, start)
}

// BenchmarkLoadEmbedded decodes the embedded catalog (enterprise, mobile
// and ICS), as the first Open of a process does.
func BenchmarkLoadEmbedded(b *testing.B) {
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		if _, err := decodeCompact(embeddedCatalog, "embedded"); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, start)
}
