package queries

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/huntlint/huntlint/internal/testshared"
)

// BenchmarkParseCorpus parses every query of the shared KQL corpora, as
// huntlint loads them; MB/s is parse throughput on one core.
func BenchmarkParseCorpus(b *testing.B) {
	items := corpusItems(b)
	size := 0
	for _, it := range items {
		size += len(it.text)
	}
	b.SetBytes(int64(size))
	b.ResetTimer()
	cpu := testshared.CPUTime()
	for range b.N {
		for _, it := range items {
			Parse(it.text)
		}
	}
	reportCPU(b, cpu, size)
}

// reportCPU reports throughput per CPU second ("cpu-MB/s"), which stays
// meaningful when other processes share the machine.
func reportCPU(b *testing.B, start time.Duration, size int) {
	if d := testshared.CPUTime() - start; d > 0 {
		b.ReportMetric(float64(size)*float64(b.N)/d.Seconds()/1e6, "cpu-MB/s")
	}
}

// bigQuery returns a realistic query of at least n bytes: one long pipe.
func bigQuery(n int) string {
	var b strings.Builder
	b.WriteString("let allow = dynamic([\"svc\", \"admin\"]);\nDeviceProcessEvents\n")
	for i := 0; b.Len() < n; i++ {
		b.WriteString(`| where Timestamp > ago(7d) and ProcessCommandLine has_any ("vssadmin", "wbadmin") and AccountName !in~ (allow)
| extend Cmd = tolower(ProcessCommandLine), Parent = InitiatingProcessFileName, ['Odd name'] = strcat("a", 'b')
| summarize Count = count(), Devices = make_set(DeviceName, 100) by Cmd, bin(Timestamp, 1h)
`)
	}
	return b.String()
}

// BenchmarkParse1MB parses a one-megabyte query.
func BenchmarkParse1MB(b *testing.B) {
	q := bigQuery(1 << 20)
	b.SetBytes(int64(len(q)))
	b.ResetTimer()
	cpu := testshared.CPUTime()
	for range b.N {
		if r := Parse(q); !r.OK() {
			b.Fatal(r.Diagnostics)
		}
	}
	reportCPU(b, cpu, len(q))
}

// hostileInputs generate inputs of about n bytes that stress the parser:
// deep nesting, long lists, unterminated strings, garbage.
var hostileInputs = []struct {
	name  string
	valid bool // as Kusto.Language judges it
	gen   func(n int) string
}{
	{"query", true, bigQuery},
	{"parens", false, func(n int) string { return strings.Repeat("(", n) }},
	{"strings", true, func(n int) string { return strings.Repeat("'abc' ", n/6) }}, // adjacent literals concatenate
	{"unterminated", false, func(n int) string { return strings.Repeat("T | where x == 'a\n", n/18) }},
	{"operators", true, func(n int) string { return "T" + strings.Repeat(" | take 1", n/9) }},
	{"list", true, func(n int) string { return "T | where x in (" + strings.Repeat("1,", n/2) + "1)" }},
	{"garbage", false, func(n int) string { return strings.Repeat("}{)(][|;,.=", n/11) }},
}

// TestParseHostile parses every hostile input at 1 MB: no panic, valid ones
// parse clean, and invalid ones get a diagnostic inside the text.
func TestParseHostile(t *testing.T) {
	if testing.Short() {
		t.Skip("parses several megabytes")
	}
	for _, in := range hostileInputs {
		q := in.gen(1 << 20)
		r := Parse(q)
		if in.valid {
			if !r.OK() {
				t.Errorf("%s: valid 1 MB query reported: %+v", in.name, r.Diagnostics[0])
			}
			continue
		}
		if r.OK() {
			t.Errorf("%s: no diagnostic for an invalid 1 MB query", in.name)
			continue
		}
		if d := r.Diagnostics[0]; d.Offset < 0 || d.Offset > len(q) {
			t.Errorf("%s: diagnostic offset %d outside the text (%d bytes)", in.name, d.Offset, len(q))
		}
	}
}

// BenchmarkParseHostile parses each hostile input at 128 KB and at 1 MB;
// linear time shows as the same ns/B (and cpu-MB/s) at both sizes.
func BenchmarkParseHostile(b *testing.B) {
	for _, in := range hostileInputs {
		for _, size := range []int{128 << 10, 1 << 20} {
			q := in.gen(size)
			b.Run(fmt.Sprintf("%s/%dKB", in.name, size>>10), func(b *testing.B) {
				b.SetBytes(int64(len(q)))
				cpu := testshared.CPUTime()
				for range b.N {
					Parse(q)
				}
				reportCPU(b, cpu, len(q))
			})
		}
	}
}
