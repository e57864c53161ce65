package linter

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseConfig(t *testing.T) {
	src := `
catalog {
  path    = ["attack/enterprise-attack-18.1.json.gz"]
  domains = ["enterprise-attack", "ics-attack"]
  offline = true
}
paths {
  include = ["rules/**/*.yml"]
  exclude = ["deprecated/**"]
}
check "attack-platform-mismatch" {
  enabled = false
}
check "attack-missing-technique" {
  severity = "info"
}
sigma {
  tactic_style = "underscore"
}
`
	cfg, err := ParseConfig("/repo/.huntlint.hcl", []byte(src), CheckIDs(Registry()))
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.Catalog.Paths; len(got) != 1 || got[0] != filepath.Join("/repo", "attack/enterprise-attack-18.1.json.gz") {
		t.Errorf("catalog paths %v: want them relative to the config folder", got)
	}
	if !cfg.Catalog.Offline || len(cfg.Catalog.Domains) != 2 {
		t.Errorf("catalog block %+v", cfg.Catalog)
	}
	if cfg.Paths.Include[0] != "rules/**/*.yml" || cfg.Paths.Exclude[0] != "deprecated/**" {
		t.Errorf("paths block %+v", cfg.Paths)
	}
	if cfg.Enabled("attack-platform-mismatch") || !cfg.Enabled("attack-revoked") {
		t.Error("check enabled flags wrong")
	}
	if got := cfg.SeverityOf("attack-missing-technique", SeverityWarning); got != SeverityInfo {
		t.Errorf("severity %v, want info", got)
	}
	if cfg.Sigma.TacticStyle != TacticUnderscore {
		t.Errorf("tactic style %q", cfg.Sigma.TacticStyle)
	}
}

// TestParseConfigErrors: unknown blocks and attributes and bad values are
// errors that name file, line and column.
func TestParseConfigErrors(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"unknown block", "rules {\n}\n", "c.hcl:1:1: Unsupported block type"},
		{"unknown attribute", "sigma {\n  tactics = \"x\"\n}\n", "c.hcl:2:3: Unsupported argument"},
		{"bad tactic style", "sigma {\n  tactic_style = \"camel\"\n}\n", `c.hcl:2:18: invalid tactic_style "camel": use hyphen, underscore or any`},
		{"bad severity", "check \"attack-revoked\" {\n  severity = \"fatal\"\n}\n", `c.hcl:2:14: invalid severity "fatal": use error, warning or info`},
		{"unknown check", "check \"attack-revokd\" {\n  enabled = false\n}\n", `c.hcl:1:7: unknown check "attack-revokd"; did you mean "attack-revoked"`},
		{"bad domain", "catalog {\n  domains = [\"pre-attack\"]\n}\n", `c.hcl:2:13: invalid domain "pre-attack"`},
		{"syntax", "sigma {\n", "c.hcl:1:"},
		{"wrong type", "check \"attack-revoked\" {\n  enabled = \"no\"\n}\n", "c.hcl:2:"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseConfig("c.hcl", []byte(c.src), CheckIDs(Registry()))
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not contain %q", err, c.want)
			}
		})
	}
}

func TestFindConfigWalksUp(t *testing.T) {
	root := t.TempDir()
	sub := filepath.Join(root, "a", "b")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if got := FindConfig(sub); got != "" && strings.HasPrefix(got, root) {
		t.Fatalf("found %q before writing one", got)
	}
	p := filepath.Join(root, ConfigFileName)
	if err := os.WriteFile(p, []byte("sigma {\n  tactic_style = \"any\"\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := FindConfig(sub); got != p {
		t.Errorf("FindConfig = %q, want %q", got, p)
	}
	cfg, err := ResolveConfig("", sub, nil)
	if err != nil || cfg.Sigma.TacticStyle != TacticAny {
		t.Errorf("ResolveConfig: %+v %v", cfg, err)
	}
	if _, err := ResolveConfig(filepath.Join(root, "missing.hcl"), sub, nil); err == nil {
		t.Error("missing explicit config: no error")
	}
}

// TestExampleConfig keeps the documented example configuration valid.
func TestExampleConfig(t *testing.T) {
	if _, err := LoadConfig(filepath.Join("..", ".huntlint.example.hcl"), CheckIDs(Registry())); err != nil {
		t.Fatal(err)
	}
}

func TestSelectChecks(t *testing.T) {
	all := Registry()
	got, err := SelectChecks(all, nil, []string{"attack-revoked,load"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, c := range all {
		if d := c.Doc(); d.Category == "load" || d.ID == "attack-revoked" {
			want = append(want, d.ID)
		}
	}
	if ids := strings.Join(CheckIDs(got), " "); ids != strings.Join(want, " ") {
		t.Errorf("select: %s, want %s", ids, strings.Join(want, " "))
	}
	got, _ = SelectChecks(all, nil, []string{"attack"}, []string{"attack-platform-mismatch"})
	for _, c := range got {
		if c.Doc().Category != "attack" || c.Doc().ID == "attack-platform-mismatch" {
			t.Errorf("select attack, ignore platform: got %s", c.Doc().ID)
		}
	}
	if _, err := SelectChecks(all, nil, []string{"attack-revokd"}, nil); err == nil || !strings.Contains(err.Error(), `did you mean "attack-revoked"`) {
		t.Errorf("unknown ID: %v", err)
	}
	f := false
	cfg := &Config{Checks: map[string]CheckConfig{"attack-revoked": {Enabled: &f}}}
	got, _ = SelectChecks(all, cfg, nil, nil)
	for _, c := range got {
		if c.Doc().ID == "attack-revoked" {
			t.Error("check disabled in config still runs")
		}
	}
	got, _ = SelectChecks(all, cfg, []string{"attack-revoked"}, nil)
	if len(got) != 1 {
		t.Error("--select of a disabled check must run it")
	}
}

func TestCatalogAges(t *testing.T) {
	cfg, err := ParseConfig("c.hcl", []byte("catalog {\n  max_age = \"30d\"\n  auto_update = \"36h\"\n}\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Catalog.MaxAge != 30*24*time.Hour || cfg.Catalog.AutoUpdate != 36*time.Hour {
		t.Errorf("ages: %v %v", cfg.Catalog.MaxAge, cfg.Catalog.AutoUpdate)
	}
	if (CatalogConfig{}).MaxAgeOrDefault() != 200*24*time.Hour {
		t.Error("default max_age is not 200 days")
	}
	_, err = ParseConfig("c.hcl", []byte("catalog {\n  max_age = \"soon\"\n}\n"), nil)
	if err == nil || !strings.Contains(err.Error(), "c.hcl:2:13: invalid age \"soon\"") {
		t.Errorf("bad max_age: %v", err)
	}
	for _, bad := range []string{"0d", "-3d", "d", "7x"} {
		if _, err := ParseAge(bad); err == nil {
			t.Errorf("ParseAge(%q) passed", bad)
		}
	}
}

// TestCoverageGroup checks that attack-missing-technique is opt-in: off by
// default and in its category, on with --select of its ID or group, the
// coverage preset, or enabled = true.
func TestCoverageGroup(t *testing.T) {
	all := Registry()
	coverage := 0 // the checks of the coverage group
	for _, c := range all {
		if c.Doc().Group == CoverageGroup {
			coverage++
		}
	}
	has := func(cs []Check) bool { return slices.Contains(CheckIDs(cs), "attack-missing-technique") }
	sel := func(cfg *Config, s, i []string) []Check {
		t.Helper()
		got, err := SelectChecks(all, cfg, s, i)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	if has(sel(nil, nil, nil)) || has(sel(&Config{}, []string{"attack"}, nil)) {
		t.Error("attack-missing-technique runs by default or with --select attack")
	}
	if got := sel(nil, []string{"coverage"}, nil); !has(got) || len(got) != coverage {
		t.Errorf("--select coverage: %v", CheckIDs(got))
	}
	if !has(sel(nil, []string{"attack-missing-technique"}, nil)) {
		t.Error("--select attack-missing-technique does not run it")
	}
	cfg, err := ParseConfig("c.hcl", []byte("lint {\n  preset = \"coverage\"\n}\n"), CheckIDs(all))
	if err != nil {
		t.Fatal(err)
	}
	if got := sel(cfg, nil, nil); !has(got) || len(got) != len(sel(nil, nil, nil))+coverage {
		t.Errorf("preset coverage: %v", CheckIDs(got))
	}
	if !has(sel(cfg, []string{"attack"}, nil)) || has(sel(cfg, nil, []string{"coverage"})) {
		t.Error("preset coverage: --select attack must keep it, --ignore coverage drop it")
	}
	on := true
	if !has(sel(&Config{Checks: map[string]CheckConfig{"attack-missing-technique": {Enabled: &on}}}, nil, nil)) {
		t.Error("enabled = true does not turn it on")
	}
	_, err = ParseConfig("c.hcl", []byte("lint {\n  preset = \"coverag\"\n}\n"), nil)
	if err == nil || !strings.Contains(err.Error(), `c.hcl:2:12: invalid preset "coverag"; did you mean "coverage": use default or coverage`) {
		t.Errorf("bad preset: %v", err)
	}
}

// TestMinSeverity checks that --min-severity hides the findings below it
// and that infos are shown by default.
func TestMinSeverity(t *testing.T) {
	dir := t.TempDir()
	doc := filepath.Join(dir, "CHANGELOG.md")
	rule := filepath.Join(dir, "rule.kql")
	if err := os.WriteFile(doc, []byte("# Changelog\n\n- moved from T1086 to T1059.001\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(rule, []byte("// T1086\nDeviceProcessEvents | take 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cat := testCatalog(t)
	for _, c := range []struct {
		min  Severity
		want string
	}{
		{0, "info:load-skipped error:attack-revoked"},
		{SeverityWarning, "error:attack-revoked"},
		{SeverityError, "error:attack-revoked"},
	} {
		res, err := Lint([]string{dir}, Options{Catalog: cat, Config: &Config{}, MinSeverity: c.min})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range res.Findings {
			got = append(got, f.Severity.String()+":"+f.Check)
		}
		if strings.Join(got, " ") != c.want {
			t.Errorf("min %v: got %v, want %s", c.min, got, c.want)
		}
	}
}
