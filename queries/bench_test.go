package queries

import (
	"strings"
	"testing"
	"time"
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
	cpu := cpuTime()
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
	if d := cpuTime() - start; d > 0 {
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
	cpu := cpuTime()
	for range b.N {
		if r := Parse(q); !r.OK() {
			b.Fatal(r.Diagnostics)
		}
	}
	reportCPU(b, cpu, len(q))
}

// TestParseLinear parses hostile and realistic inputs of 128 KB and 1 MB
// and fails when the larger takes far more than eight times as long (a
// quadratic parser would take 64 times). Durations are compared, not
// bounded, so that a slow machine does not fail it.
func TestParseLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	inputs := map[string]func(n int) string{
		"query":   bigQuery,
		"parens":  func(n int) string { return strings.Repeat("(", n) },
		"strings": func(n int) string { return strings.Repeat("'abc' ", n/6) },
		"unterminated": func(n int) string {
			return strings.Repeat("T | where x == 'a\n", n/18)
		},
		"operators": func(n int) string { return "T" + strings.Repeat(" | take 1", n/9) },
		"list":      func(n int) string { return "T | where x in (" + strings.Repeat("1,", n/2) + "1)" },
		"garbage":   func(n int) string { return strings.Repeat("}{)(][|;,.=", n/11) },
	}
	for name, gen := range inputs {
		small, large := gen(128<<10), gen(1<<20)
		d1 := timeParse(small)
		d4 := timeParse(large)
		t.Logf("%s: 128 KB %v, 1 MB %v", name, d1, d4)
		if d4 > 24*d1 && d4 > 200*time.Millisecond {
			t.Errorf("%s: 1 MB took %v, 128 KB %v: not linear", name, d4, d1)
		}
	}
}

func timeParse(s string) time.Duration {
	best := time.Duration(1 << 62)
	for range 3 {
		start := time.Now()
		Parse(s)
		if d := time.Since(start); d < best {
			best = d
		}
	}
	return best
}
