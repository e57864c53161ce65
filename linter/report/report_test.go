package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"
	"github.com/xeipuuv/gojsonschema"

	"github.com/huntlint/huntlint/internal/linttest"
	"github.com/huntlint/huntlint/internal/testshared"
	"github.com/huntlint/huntlint/linter"
	"github.com/huntlint/huntlint/rules"
)

// reportFixture lints the attack-revoked and attack-tag-style fixtures of
// linter/testdata, from linter/ so that paths read testdata/...
func reportFixture(t *testing.T) *Input {
	t.Helper()
	t.Chdir("..")
	cat := linttest.Catalog(t)
	res, err := linter.Run([]string{
		filepath.Join("testdata", "attack-revoked", "bad.yml"),
		filepath.Join("testdata", "attack-tag-style", "bad_sentinel.yaml"),
	}, linter.Options{Catalog: cat, Config: &linter.Config{}, Select: []string{"attack"}})
	if err != nil {
		t.Fatal(err)
	}
	return &Input{Result: res, Catalog: cat}
}

func render(t *testing.T, format string, opts Options, rep *Input) string {
	t.Helper()
	r, err := New(format, opts)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := r.Format(&b, rep); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestTextReporter(t *testing.T) {
	rep := reportFixture(t)
	out := render(t, "text", Options{ShowSource: true}, rep)
	want := "testdata/attack-revoked/bad.yml:9:7: error [attack-revoked] attack.t1150 was revoked in ATT&CK 18.1; use attack.t1647 (Plist File Modification) [*]\n" +
		" 9 |     - attack.t1150\n" +
		"   |       ^~~~~~~~~~~~\n"
	if !strings.HasPrefix(out, want) {
		t.Errorf("text output starts\n%s\nwant\n%s", out[:min(len(out), 400)], want)
	}
	if strings.Contains(out, "\x1b[") {
		t.Error("colours without Color")
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	summary, note := lines[len(lines)-2], lines[len(lines)-1]
	if !strings.HasPrefix(summary, "2 files, 2 rules: ") || !strings.HasSuffix(summary, "(checked against ATT&CK 18.1 of 2025-11-12)") {
		t.Errorf("summary line %q", summary)
	}
	wantNote := "note: the catalog is ATT&CK 18.1 of November 2025, 13 months old (catalog max_age is 200d); " +
		"tags from newer releases are reported as attack-newer-release. Update it with huntlint catalog update, or pass --catalog with the current bundle"
	if note != wantNote {
		t.Errorf("note line\n%q\nwant\n%q", note, wantNote)
	}
	if strings.Count(out, "note:") != 1 {
		t.Error("the outdated note is printed more than once")
	}
	// A max_age the catalog is within: no note.
	rep.MaxAge = 400 * 24 * time.Hour
	if out := render(t, "text", Options{}, rep); strings.Contains(out, "note:") {
		t.Errorf("note within max_age:\n%s", out)
	}
	rep.MaxAge = 0
	if out := render(t, "text", Options{NoSummary: true}, rep); strings.Contains(out, "note:") {
		t.Error("note under --quiet")
	}
	if col := render(t, "text", Options{Color: true}, rep); !strings.Contains(col, "\x1b[31merror\x1b[0m") {
		t.Error("no colour with Color")
	}
}

func TestJSONReporter(t *testing.T) {
	rep := reportFixture(t)
	out := render(t, "json", Options{}, rep)
	var doc struct {
		Version int `json:"version"`
		Catalog []struct {
			Domain, Release, Source, Date string
			Active, Outdated              bool
			AgeDays                       int `json:"age_days"`
		} `json:"catalog"`
		Findings []map[string]any `json:"findings"`
		Summary  struct {
			Files, Rules, Findings int
			BySeverity             map[string]int `json:"by_severity"`
		} `json:"summary"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Version != 1 || len(doc.Catalog) == 0 || doc.Catalog[0].Domain != "enterprise-attack" || !doc.Catalog[0].Active {
		t.Errorf("header: %+v", doc)
	}
	if c := doc.Catalog[0]; c.Date != "2025-11-12" || c.AgeDays != 389 || !c.Outdated {
		t.Errorf("catalog age: %+v, want 2025-11-12, 389 days, outdated", c)
	}
	if doc.Summary.Files != 2 || doc.Summary.Findings != len(doc.Findings) || doc.Summary.BySeverity["error"] == 0 {
		t.Errorf("summary: %+v", doc.Summary)
	}
	f := doc.Findings[0]
	for _, key := range []string{"check", "severity", "path", "line", "column", "end_line", "end_column", "message", "rule", "fixable"} {
		if _, ok := f[key]; !ok {
			t.Errorf("finding lacks %q: %v", key, f)
		}
	}
	if f["check"] != "attack-revoked" || f["line"] != float64(9) || f["column"] != float64(7) || f["end_column"] != float64(19) || f["fixable"] != true {
		t.Errorf("first finding: %v", f)
	}
	rule := f["rule"].(map[string]any)
	if rule["format"] != "sigma" || rule["title"] != "Suspicious Process" {
		t.Errorf("rule: %v", rule)
	}
}

func TestGitHubReporter(t *testing.T) {
	out := render(t, "github", Options{}, reportFixture(t))
	first := strings.SplitN(out, "\n", 2)[0]
	want := "::error file=testdata/attack-revoked/bad.yml,line=9,col=7,endLine=9,endColumn=19,title=[attack-revoked]::attack.t1150 was revoked in ATT&CK 18.1; use attack.t1647 (Plist File Modification)"
	if first != want {
		t.Errorf("got  %s\nwant %s", first, want)
	}
	if !strings.Contains(out, "::warning file=testdata/attack-tag-style/bad_sentinel.yaml") {
		t.Error("no warning command")
	}
	if n := strings.Count(out, "::notice title=huntlint catalog::the catalog is ATT&CK 18.1 of November 2025, 13 months old"); n != 1 {
		t.Errorf("%d outdated notices, want 1:\n%s", n, out)
	}
	if got := ghProperty("a,b:c%"); got != "a%2Cb%3Ac%25" {
		t.Errorf("escape: %s", got)
	}
}

// TestSARIFReporter validates the SARIF output against the official 2.1.0
// schema (from ../shared when present, else go-sarif's embedded copy).
func TestSARIFReporter(t *testing.T) {
	rep := reportFixture(t)
	out := render(t, "sarif", Options{ToolVersion: "1.2.3"}, rep)
	log, err := sarif.FromString(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := log.Validate(); err != nil {
		t.Errorf("go-sarif schema: %v", err)
	}
	if root := testshared.Root(); root != "" {
		schema, err := os.ReadFile(filepath.Join(root, "schemas", "sarif-schema-2.1.0.json"))
		if err != nil {
			t.Fatal(err)
		}
		res, err := gojsonschema.Validate(gojsonschema.NewBytesLoader(schema), gojsonschema.NewStringLoader(out))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range res.Errors() {
			t.Errorf("official schema: %s", e)
		}
	}
	var props struct {
		Runs []struct {
			Properties struct {
				Catalog []struct {
					Domain, Date string
					Outdated     bool
				} `json:"catalog"`
			} `json:"properties"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &props); err != nil || len(props.Runs) != 1 || len(props.Runs[0].Properties.Catalog) == 0 {
		t.Fatalf("SARIF run properties lack the catalog: %v", err)
	} else if c := props.Runs[0].Properties.Catalog[0]; c.Domain != "enterprise-attack" || c.Date != "2025-11-12" || !c.Outdated {
		t.Errorf("SARIF catalog block: %+v", c)
	}
	run := log.Runs[0]
	if len(run.Tool.Driver.Rules) != len(linter.Registry()) {
		t.Errorf("%d driver rules, want one per check (%d)", len(run.Tool.Driver.Rules), len(linter.Registry()))
	}
	r0 := run.Results[0]
	loc := r0.Locations[0].PhysicalLocation
	if *loc.ArtifactLocation.URI != "testdata/attack-revoked/bad.yml" || *loc.ArtifactLocation.URIBaseID != "%SRCROOT%" {
		t.Errorf("location %s %s", *loc.ArtifactLocation.URI, *loc.ArtifactLocation.URIBaseID)
	}
	if *loc.Region.StartLine != 9 || *loc.Region.StartColumn != 7 || r0.Level != "error" {
		t.Errorf("region/level: %+v %s", loc.Region, r0.Level)
	}
	idx := run.GetRuleIndex(*r0.RuleID)
	if r0.RuleIndex != idx || run.Tool.Driver.Rules[idx].Help == nil {
		t.Errorf("rule index %d, want %d with help", r0.RuleIndex, idx)
	}
	// Fingerprints do not depend on the line: the same output twice is stable.
	again := render(t, "sarif", Options{ToolVersion: "1.2.3"}, rep)
	if again != out {
		t.Error("SARIF output not deterministic")
	}
	if fp := r0.PartialFingerprints["huntlint/v1"]; len(fp) != 32 {
		t.Errorf("fingerprint %q", fp)
	}
	// The revoked tag's fix: replace the bytes of attack.t1150 with attack.t1647.
	if len(r0.Fixes) != 1 || len(r0.Fixes[0].ArtifactChanges) != 1 {
		t.Fatalf("fixes: %+v", r0.Fixes)
	}
	rp := r0.Fixes[0].ArtifactChanges[0].Replacements[0]
	src, err := os.ReadFile(filepath.Join("testdata", "attack-revoked", "bad.yml"))
	if err != nil {
		t.Fatal(err)
	}
	off, n := rp.DeletedRegion.ByteOffset, *rp.DeletedRegion.ByteLength
	if got := string(src[off : off+n]); got != "attack.t1150" || *rp.InsertedContent.Text != "attack.t1647" {
		t.Errorf("replacement %q -> %q", got, *rp.InsertedContent.Text)
	}
}

// TestExcerptOfLongLine: a finding on a long line shows a window of it
// around the finding, with the caret under the finding.
func TestExcerptOfLongLine(t *testing.T) {
	long := strings.Repeat("x", 500) + "TARGET" + strings.Repeat("y", 500)
	src := []byte("a: 1\n" + long + "\n")
	r := &linter.FindingRule{Source: src}
	f := linter.Finding{Check: "c", Severity: linter.SeverityWarning, Path: "long.yml", Rule: r, Message: "m",
		Span: rules.Span{Start: rules.Pos{Line: 2, Column: 501}, End: rules.Pos{Line: 2, Column: 507}}}
	out := render(t, "text", Options{ShowSource: true, NoSummary: true}, &Input{Result: &linter.Result{Findings: []linter.Finding{f}}})
	lines := strings.Split(out, "\n")
	if len(lines) < 3 {
		t.Fatalf("output:\n%s", out)
	}
	code, caret := lines[1], lines[2]
	if len([]rune(code)) > maxExcerpt+20 || !strings.Contains(code, "…") || !strings.Contains(code, "TARGET") {
		t.Errorf("excerpt %q", code)
	}
	at := strings.Index(code, "TARGET")
	if got := strings.Index(caret, "^~~~~~"); len([]rune(code[:at])) != len([]rune(caret[:got])) {
		t.Errorf("caret not under the finding:\n%s\n%s", code, caret)
	}
}
