package linter

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/huntlint/huntlint/rules"
)

// FuzzParseConfig: no configuration text makes the HCL reader panic; a
// parsed configuration answers every question about every check, and an
// error is a message.
func FuzzParseConfig(f *testing.F) {
	if b, err := os.ReadFile("../.huntlint.example.hcl"); err == nil {
		f.Add(string(b))
	}
	for _, s := range []string{
		"",
		`check "attack-revoked" { severity = "error" }`,
		`check "attack-tag-style" { enabled = false }` + "\n" + `lint { preset = "all" }`,
		`paths { include = ["**/*.yml"] exclude = ["deprecated/**"] }`,
		`catalog { release = "18.1" max_age = "90d" auto_update = true }`,
		`sigma { tactic_style = "underscore" }`,
		`check "nope" {}`,
		`severity = 1`,
		"check \"attack-revoked\" {\n  severity = \"${x}\"\n}\n",
	} {
		f.Add(s)
	}
	ids := CheckIDs(Registry())
	f.Fuzz(func(t *testing.T, src string) {
		cfg, err := ParseConfig("fuzz.hcl", []byte(src), ids)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		for _, id := range ids {
			cfg.Enabled(id)
			cfg.SeverityOf(id, SeverityWarning)
		}
		cfg.Catalog.MaxAgeOrDefault()
	})
}

// FuzzSuppressions: directives are found in any text without a panic, each
// with a span inside the text, and filtering findings by them never
// panics.
func FuzzSuppressions(f *testing.F) {
	for _, s := range []string{
		"tags: [attack.t1086] # huntlint:ignore attack-revoked -- kept for the old SIEM\n",
		"# huntlint:ignore attack-revoked,attack-tag-style -- reason\ntags: [x]\n",
		"# huntlint:ignore-file attack-revoked -- whole file\r\n",
		"// huntlint:ignore kql-syntax-error -- generated\nSecurityEvent | take 1\n",
		"<!-- huntlint:ignore attack-revoked -- doc -->\n",
		"# huntlint:ignore\n# huntlint:ignore x --\n#huntlint:ignore-file\xff -- \xc3\n",
	} {
		f.Add(s)
	}
	cfg := &Config{}
	enabled := map[string]bool{UnusedSuppressionID: true}
	for _, id := range CheckIDs(Registry()) {
		enabled[id] = true
	}
	f.Fuzz(func(t *testing.T, src string) {
		s := parseSuppressions("r.yml", []byte(src))
		if s == nil {
			return
		}
		var fs []Finding
		for _, sup := range s.list {
			sp := sup.span
			if sp.StartOffset < 0 || sp.StartOffset > sp.EndOffset || sp.EndOffset > len(src) || sp.Start.Line < 1 || sp.Start.Column < 1 || sp.End.Column < 1 {
				t.Fatalf("directive span %+v outside the %d-byte text", sp, len(src))
			}
			for _, id := range sup.checks {
				fs = append(fs, Finding{Check: id, Path: "r.yml", Span: rules.Span{Start: rules.Pos{Line: sup.line, Column: 1}}})
			}
		}
		fs = append(fs, Finding{Check: "attack-revoked", Path: "r.yml", Span: rules.Span{Start: rules.Pos{Line: 1, Column: 1}}})
		s.loaded = true
		s.filter(fs, enabled, cfg)
	})
}

// pipelineNames are the file names FuzzFixPipeline gives each input, one
// per format: Sigma, Sentinel, KQL and Markdown.
var pipelineNames = []string{"r.yml", "r.yaml", "q.kql", "h.md"}

// FuzzFixPipeline runs the whole pipeline on any text in every format:
// lint, fix (safe and unsafe, to a fixed point, re-linting each pass),
// relint, fix again. Nothing panics; a text that loaded still loads after
// the fix, with no load error; and the second fix changes nothing.
func FuzzFixPipeline(f *testing.F) {
	files, _ := filepath.Glob("testdata/fix/in/*")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil && len(b) < 4096 {
			f.Add(string(b))
		}
	}
	for _, s := range []string{
		"title: t\nid: 5d4f2a8e-1111-4c3a-9a55-123456789abc\nstatus: test\nlevel: high\ntags:\n  - attack.t1086\n  - attack.Execution\n  - attack.t1059.001\nlogsource:\n  product: windows\ndetection:\n  sel:\n    Image|endswith: x.exe\n  condition: sel\n",
		"title: t\ntags: [attack.t1086, attack.t1086, attack_execution]\nlogsource: {product: windows}\ndetection: {sel: {a: b}, condition: sel}\n",
		"id: 5d4f2a8e-1111-4c3a-9a55-123456789abc\nname: q\ndescription: d\nseverity: Medium\nrequiredDataConnectors: []\nqueryFrequency: 1h\nqueryPeriod: 1h\ntriggerOperator: gt\ntriggerThreshold: 0\ntactics:\n  - execution\nrelevantTechniques:\n  - T1086\nquery: |\n  SecurityEvent | take 1\nversion: 1.0.0\nkind: Scheduled\n",
		"// Tactics: Execution\n// Techniques: T1086\nSecurityEvent | where EventID == 4688\n",
		"# Hunt\n\nTechniques: T1086, t1059.001\n\n```kql\nSecurityEvent | take 1\n```\n",
	} {
		f.Add(s)
	}
	opts := Options{Catalog: testCatalog(f), Config: &Config{}}
	relint := Relinter(opts)
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > 1<<14 {
			return
		}
		for _, name := range pipelineNames {
			for _, unsafe := range []bool{false, true} {
				fixPipeline(t, relint, name, []byte(src), unsafe)
			}
		}
	})
}

// fixPipeline is one FuzzFixPipeline run on one file name.
func fixPipeline(t *testing.T, relint func(string, []byte) ([]Finding, error), name string, src []byte, unsafe bool) {
	t.Helper()
	fs, err := relint(name, src)
	if err != nil {
		t.Fatalf("%s: lint: %v", name, err)
	}
	loaded := !hasLoadError(fs)
	fo := FixOptions{DryRun: true, Relint: relint, Unsafe: unsafe, Jobs: 1}
	sum, err := ApplyFixes(fs, fo)
	if err != nil {
		t.Fatalf("%s: fix: %v", name, err)
	}
	if len(sum.Files) == 0 {
		return
	}
	if !loaded {
		t.Fatalf("%s: a file with a load error was changed", name)
	}
	after := sum.Files[0].After
	fs2, err := relint(name, after)
	if err != nil {
		t.Fatalf("%s: relint: %v", name, err)
	}
	if hasLoadError(fs2) {
		t.Fatalf("%s (unsafe %v): the fixed text no longer loads:\n--- before\n%s\n--- after\n%s\n--- findings\n%s", name, unsafe, src, after, findingLines(fs2))
	}
	if len(sum.Errors) > 0 {
		return // did not settle: reported, and the second run may go on
	}
	sum2, err := ApplyFixes(fs2, fo)
	if err != nil {
		t.Fatalf("%s: second fix: %v", name, err)
	}
	if len(sum2.Files) > 0 {
		t.Fatalf("%s (unsafe %v): the second fix changed the file:\n--- before\n%s\n--- after first fix\n%s\n--- after second fix\n%s", name, unsafe, src, after, sum2.Files[0].After)
	}
}

func hasLoadError(fs []Finding) bool {
	for _, f := range fs {
		if f.Check == LoadErrorID {
			return true
		}
	}
	return false
}

func findingLines(fs []Finding) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString(f.Check + ": " + f.Message + "\n")
	}
	return b.String()
}
