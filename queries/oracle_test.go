package queries

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/huntlint/huntlint/internal/testshared"
	"github.com/huntlint/huntlint/rules"
)

var (
	updateVerdicts = flag.Bool("update-verdicts", false, "rerun the Kusto.Language oracle and rewrite testdata/verdicts")
	oracleScript   = flag.String("oracle", "/tmp/kusto-oracle/oracle.js", "path of the kusto-oracle oracle.js (with its node_modules)")
	showDisagree   = flag.Bool("disagreements", false, "print every disagreement with the oracle")
	oracleInput    = flag.String("oracle-input", "", "write the real queries as the oracle's JSON lines input to this file (to time the oracle)")
)

// kqlCorpora are the shared corpora that hold KQL queries.
var kqlCorpora = []string{"reprise99-sentinel-queries", "m365-defender-hunting-queries"}

// item is one query judged by the oracle.
type item struct {
	id   string
	text string
}

// verdict is one line of a verdict file. Offset is the byte offset of the
// oracle's first (lowest) diagnostic, -1 when ok.
type verdict struct {
	ID     string `json:"id"`
	SHA    string `json:"sha"`
	OK     bool   `json:"ok"`
	Offset int    `json:"offset"`
}

func hashText(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:8])
}

// corpusItems loads every file of the KQL corpora and of testdata/fixtures
// with rules.Load, exactly as huntlint lints them, and returns each query.
func corpusItems(t testing.TB) []item {
	var items []item
	add := func(prefix, root string) {
		var files []string
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && !strings.HasSuffix(p, ".out") {
				files = append(files, p)
			}
			return nil
		})
		sort.Strings(files)
		for _, f := range files {
			rs, _ := rules.Load(f)
			rel, _ := filepath.Rel(root, f)
			for _, r := range rs {
				if r.Format != rules.FormatKQL && r.Format != rules.FormatMarkdown && r.Format != rules.FormatSentinel {
					continue
				}
				for i, q := range r.Queries {
					items = append(items, item{id: fmt.Sprintf("%s/%s#%d", prefix, filepath.ToSlash(rel), i), text: q.Text})
				}
			}
		}
	}
	add("fixtures", filepath.Join("testdata", "fixtures"))
	for _, c := range kqlCorpora {
		add(c, testshared.Corpus(t, c))
	}
	return items
}

func mutantItems(real []item) []item {
	var out []item
	for _, it := range real {
		for _, m := range mutants(it.id, it.text) {
			out = append(out, item{id: it.id + "~" + m.kind, text: m.text})
		}
	}
	return out
}

// runOracle feeds items to the oracle and returns verdicts in item order.
func runOracle(t testing.TB, items []item) []verdict {
	var in bytes.Buffer
	enc := json.NewEncoder(&in)
	for _, it := range items {
		enc.Encode(map[string]string{"id": it.id, "text": it.text})
	}
	cmd := exec.Command("node", *oracleScript)
	cmd.Stdin = &in
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = os.Stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		t.Fatalf("run oracle %s: %v", *oracleScript, err)
	}
	size := 0
	for _, it := range items {
		size += len(it.text)
	}
	t.Logf("oracle: %d queries, %d bytes in %v (with Node.js start-up)", len(items), size, time.Since(start))
	byID := map[string]verdict{}
	sc := bufio.NewScanner(&out)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	text := map[string]string{}
	for _, it := range items {
		text[it.id] = it.text
	}
	for sc.Scan() {
		var r struct {
			ID          string
			OK          bool
			Diagnostics []struct{ Start int }
		}
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("oracle output: %v", err)
		}
		v := verdict{ID: r.ID, SHA: hashText(text[r.ID]), OK: r.OK, Offset: -1}
		for _, d := range r.Diagnostics {
			off := utf16ToByte(text[r.ID], d.Start)
			if v.Offset < 0 || off < v.Offset {
				v.Offset = off
			}
		}
		byID[r.ID] = v
	}
	vs := make([]verdict, 0, len(items))
	for _, it := range items {
		v, ok := byID[it.id]
		if !ok {
			t.Fatalf("oracle gave no verdict for %s", it.id)
		}
		vs = append(vs, v)
	}
	return vs
}

// utf16ToByte converts a UTF-16 code unit offset into a byte offset of s.
func utf16ToByte(s string, u int) int {
	n := 0
	for i, r := range s {
		if n >= u {
			return i
		}
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return len(s)
}

func verdictPath(name string) string { return filepath.Join("testdata", "verdicts", name+".jsonl") }

func writeVerdicts(t testing.TB, name string, vs []verdict) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	for _, v := range vs {
		enc.Encode(v)
	}
	if err := os.MkdirAll(filepath.Dir(verdictPath(name)), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(verdictPath(name), b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readVerdicts(t testing.TB, name string) map[string]verdict {
	data, err := os.ReadFile(verdictPath(name))
	if err != nil {
		t.Fatalf("read verdicts (regenerate with queries/regen-verdicts.sh): %v", err)
	}
	m := map[string]verdict{}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var v verdict
		if err := json.Unmarshal([]byte(line), &v); err != nil {
			t.Fatalf("%s: %v", verdictPath(name), err)
		}
		m[v.ID] = v
	}
	return m
}

// lineOf returns the 1-based line of a byte offset.
func lineOf(s string, off int) int {
	if off > len(s) {
		off = len(s)
	}
	return strings.Count(s[:off], "\n") + 1
}

// agreement compares huntlint with the oracle's verdicts on items.
type agreement struct {
	total, same       int
	bothBad, sameLine int
	missing           int // items without a verdict (stale file)
	kinds             map[string]int
	examples          []string
	lineDiffs         []string
}

func compare(items []item, vs map[string]verdict) agreement {
	a := agreement{kinds: map[string]int{}}
	for _, it := range items {
		v, ok := vs[it.id]
		if !ok || v.SHA != hashText(it.text) {
			a.missing++
			a.examples = append(a.examples, it.id+": no verdict for this text")
			continue
		}
		a.total++
		r := Parse(it.text)
		if r.OK() == v.OK {
			a.same++
		} else {
			kind := "false-error"
			msg := ""
			if r.OK() {
				kind = "missed-error"
				ctx := it.text[max(0, v.Offset-30):min(len(it.text), v.Offset+30)]
				msg = fmt.Sprintf("oracle error at line %d near %q", lineOf(it.text, v.Offset), ctx)
			} else {
				d := r.Diagnostics[0]
				ctx := it.text[max(0, d.Offset-30):min(len(it.text), d.Offset+30)]
				kind += ": " + d.Message
				msg = fmt.Sprintf("line %d near %q", lineOf(it.text, d.Offset), ctx)
			}
			if i := strings.IndexByte(it.id, '~'); i >= 0 {
				kind = it.id[i+1:] + " " + kind
			}
			a.kinds[kind]++
			a.examples = append(a.examples, fmt.Sprintf("%s: %s: %s", it.id, kind, msg))
		}
		if !r.OK() && !v.OK {
			a.bothBad++
			if lineOf(it.text, r.Diagnostics[0].Offset) == lineOf(it.text, v.Offset) {
				a.sameLine++
			} else {
				d := r.Diagnostics[0]
				a.lineDiffs = append(a.lineDiffs, fmt.Sprintf("%s: huntlint line %d %q near %q; oracle line %d near %q", it.id,
					lineOf(it.text, d.Offset), d.Message, it.text[max(0, d.Offset-20):min(len(it.text), d.Offset+20)],
					lineOf(it.text, v.Offset), it.text[max(0, v.Offset-20):min(len(it.text), v.Offset+20)]))
			}
		}
	}
	return a
}

func pct(n, d int) float64 {
	if d == 0 {
		return 100
	}
	return 100 * float64(n) / float64(d)
}

// TestOracleAgreement compares huntlint's verdicts with Kusto.Language's on
// every query of the shared corpora and fixtures, and on seeded mutants.
func TestOracleAgreement(t *testing.T) {
	real := corpusItems(t)
	muts := mutantItems(real)
	if *oracleInput != "" {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		for _, it := range real {
			enc.Encode(map[string]string{"id": it.id, "text": it.text})
		}
		if err := os.WriteFile(*oracleInput, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if *updateVerdicts {
		writeVerdicts(t, "real", runOracle(t, real))
		writeVerdicts(t, "mutants", runOracle(t, muts))
	}
	for _, set := range []struct {
		name      string
		items     []item
		minSame   float64
		checkLine bool
	}{
		{"real", real, 99.5, true},
		{"mutants", muts, 97, true},
	} {
		a := compare(set.items, readVerdicts(t, set.name))
		same, line := pct(a.same, a.total), pct(a.sameLine, a.bothBad)
		t.Logf("%s: %d queries, same verdict %d (%.2f%%), both not ok %d, same line %d (%.1f%%)",
			set.name, a.total, a.same, same, a.bothBad, a.sameLine, line)
		var kinds []string
		for k, n := range a.kinds {
			kinds = append(kinds, fmt.Sprintf("%5d %s", n, k))
		}
		sort.Sort(sort.Reverse(sort.StringSlice(kinds)))
		for _, k := range kinds {
			t.Logf("  disagreement %s", k)
		}
		if *showDisagree {
			for _, e := range a.examples {
				t.Log(e)
			}
			for _, e := range a.lineDiffs {
				t.Log("line: " + e)
			}
		}
		// Loader changes may add or change a few queries; the figures above
		// leave them out. Many stale verdicts mean the files need
		// regenerating.
		if a.missing > 0 {
			t.Logf("%s: %d queries have no verdict or changed text; regenerate with queries/regen-verdicts.sh", set.name, a.missing)
		}
		if pct(a.missing, a.total+a.missing) > 2 {
			t.Errorf("%s: %d of %d queries have no verdict or changed text; regenerate with queries/regen-verdicts.sh", set.name, a.missing, a.total+a.missing)
		}
		if same < set.minSame {
			t.Errorf("%s: same verdict on %.2f%% of queries, want >= %.1f%%", set.name, same, set.minSame)
		}
		if set.checkLine && line < 90 {
			t.Errorf("%s: same error line on %.1f%% of shared errors, want >= 90%%", set.name, line)
		}
	}
}

var _ = utf8.RuneError

var updateGolden = flag.Bool("update", false, "rewrite the golden diagnostics of testdata/fixtures")

// TestGoldenDiagnostics parses every query of testdata/fixtures/*.kql, as
// huntlint loads them, and compares the diagnostics, mapped to file
// positions, with X.out next to X.kql.
func TestGoldenDiagnostics(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "fixtures", "*.kql"))
	if len(files) == 0 {
		t.Fatal("no fixtures")
	}
	for _, f := range files {
		rs, problems := rules.Load(f)
		if len(problems) > 0 {
			t.Fatalf("%s: %v", f, problems)
		}
		var b strings.Builder
		for _, r := range rs {
			for _, q := range r.Queries {
				res := Parse(q.Text)
				if res.OK() {
					continue
				}
				d := res.Diagnostics[0]
				pos := q.Map.Position(d.Offset)
				fmt.Fprintf(&b, "%s:%d:%d: %s\n", filepath.Base(f), pos.Line, pos.Column, d.Message)
			}
		}
		golden := strings.TrimSuffix(f, ".kql") + ".out"
		if *updateGolden {
			if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (regenerate with go test ./queries -run TestGoldenDiagnostics -update)", err)
		}
		if string(want) != b.String() {
			t.Errorf("%s differs:\n--- want\n%s--- got\n%s", golden, want, b.String())
		}
	}
}
