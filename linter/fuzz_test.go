package linter

import (
	"os"
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
