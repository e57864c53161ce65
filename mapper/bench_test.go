package mapper

import (
	"testing"

	"github.com/huntlint/huntlint/internal/testshared"
)

// BenchmarkLoadEnterpriseBundle loads the full 45 MB enterprise 18.1 bundle.
func BenchmarkLoadEnterpriseBundle(b *testing.B) {
	p := testshared.File(b, "attack/enterprise-attack-18.1.json.gz")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := LoadFile(p, ""); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadEmbedded decodes the embedded catalog (enterprise, mobile
// and ICS), as the first Open of a process does.
func BenchmarkLoadEmbedded(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := decodeCompact(embeddedCatalog, "embedded"); err != nil {
			b.Fatal(err)
		}
	}
}
