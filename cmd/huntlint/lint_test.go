package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

const lintTestdata = "../../linter/testdata"

func TestLintExitCodes(t *testing.T) {
	bad := filepath.Join(lintTestdata, "attack-revoked", "bad.yml")
	good := filepath.Join(lintTestdata, "attack-revoked", "good.yml")
	style := filepath.Join(lintTestdata, "attack-tag-style", "bad.yml")
	cases := []struct {
		name string
		args []string
		code int
		out  string
	}{
		{"errors", []string{"lint", bad}, ExitFindings, "error [attack-revoked] attack.t1150 was revoked in ATT&CK 18.1; use attack.t1647 (Plist File Modification)"},
		{"clean", []string{"lint", good}, ExitOK, "1 file, 1 rule: 0 errors, 0 warnings, 0 infos"},
		{"fail-on never", []string{"lint", "--fail-on", "never", bad}, ExitOK, "attack-revoked"},
		{"warnings pass by default", []string{"lint", style}, ExitOK, "warning [attack-tag-style]"},
		{"fail-on warning", []string{"lint", "--fail-on", "warning", style}, ExitFindings, "warning [attack-tag-style]"},
		{"ignore", []string{"lint", "--ignore", "attack-revoked,attack-platform-mismatch", bad}, ExitOK, "0 errors"},
		{"select", []string{"lint", "--select", "attack-tag-style", bad}, ExitOK, "0 errors, 0 warnings, 0 infos"},
		{"statistics", []string{"lint", "--statistics", "--fail-on", "never", bad}, ExitOK, "     2  attack-revoked\n"},
		{"show source", []string{"lint", "--show-source", bad}, ExitFindings, " 9 |     - attack.t1150\n   |       ^~~~~~~~~~~~\n"},
		{"github", []string{"lint", "--format", "github", bad}, ExitFindings, "::error file=" + bad + ",line=9,col=7"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errs := runCLI(t, c.args...)
			if code != c.code {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, c.code, out, errs)
			}
			if !strings.Contains(out, c.out) {
				t.Errorf("stdout lacks %q:\n%s", c.out, out)
			}
		})
	}
}

func TestLintUsageErrors(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "bad.hcl")
	if err := os.WriteFile(cfg, []byte("sigma {\n  tactic_style = \"camel\"\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		args []string
		err  string
	}{
		{"unknown check", []string{"lint", "--select", "attack-revokd", lintTestdata}, `unknown check or category "attack-revokd"; did you mean "attack-revoked"`},
		{"format", []string{"lint", "--format", "xml", lintTestdata}, `invalid format "xml"`},
		{"fail-on", []string{"lint", "--fail-on", "fatal", lintTestdata}, `invalid --fail-on "fatal"`},
		{"config value", []string{"lint", "--config", cfg, lintTestdata}, cfg + `:2:18: invalid tactic_style "camel"`},
		{"config missing", []string{"lint", "--config", filepath.Join(dir, "none.hcl"), lintTestdata}, "config file not found"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, errs := runCLI(t, c.args...)
			if code != ExitUsage {
				t.Errorf("exit %d, want %d", code, ExitUsage)
			}
			if !strings.Contains(errs, c.err) {
				t.Errorf("stderr lacks %q:\n%s", c.err, errs)
			}
		})
	}
}

func TestLintJSONOutputFile(t *testing.T) {
	out := filepath.Join(t.TempDir(), "report.json")
	code, stdout, _ := runCLI(t, "lint", "--format", "json", "--output", out, filepath.Join(lintTestdata, "attack-revoked"))
	if code != ExitFindings || stdout != "" {
		t.Errorf("exit %d, stdout %q", code, stdout)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Version  int
		Findings []struct{ Check, Path string }
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Version != 1 || len(doc.Findings) == 0 {
		t.Errorf("report: %s", data)
	}
}

// TestLintConfigTacticStyle: a .huntlint.hcl found by walking up changes
// what attack-tag-style accepts.
func TestLintConfigTacticStyle(t *testing.T) {
	dir := t.TempDir()
	rule, err := os.ReadFile(filepath.Join(lintTestdata, "attack-tag-style", "bad.yml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "r.yml"), rule, 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, ".huntlint.hcl")
	if err := os.WriteFile(cfg, []byte("sigma {\n  tactic_style = \"any\"\n}\ncheck \"attack-tag-style\" {\n  severity = \"error\"\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, out, _ := runCLI(t, "lint", "--config", cfg, dir)
	if strings.Contains(out, "defense_evasion") {
		t.Errorf("tactic_style any still flags underscores:\n%s", out)
	}
	if !strings.Contains(out, "error [attack-tag-style]") {
		t.Errorf("severity override not applied:\n%s", out)
	}
}

func TestChecksCommand(t *testing.T) {
	code, out, _ := runCLI(t, "checks")
	if code != ExitOK || !strings.Contains(out, "attack-revoked") {
		t.Errorf("checks: %d\n%s", code, out)
	}
	code, out, _ = runCLI(t, "checks", "--format", "json")
	var list []map[string]any
	if code != ExitOK || json.Unmarshal([]byte(out), &list) != nil || len(list) < 14 {
		t.Errorf("checks --format json: %d\n%s", code, out)
	}
	code, out, _ = runCLI(t, "checks", "attack-revoked")
	if code != ExitOK || !strings.Contains(out, "Fix (safe)") {
		t.Errorf("checks attack-revoked: %d\n%s", code, out)
	}
	if code, _, _ = runCLI(t, "checks", "nope"); code != ExitUsage {
		t.Errorf("unknown check: exit %d", code)
	}
}

func TestLintFix(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile(filepath.Join(lintTestdata, "attack-revoked", "bad.yml"))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "r.yml")
	if err := os.WriteFile(p, src, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCLI(t, "lint", "--fix", "--fail-on", "warning", dir)
	if code != ExitOK {
		t.Errorf("exit %d after --fix\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
	got, _ := os.ReadFile(p)
	if strings.Contains(string(got), "attack.t1150") || !strings.Contains(string(got), "attack.t1647") {
		t.Errorf("not fixed:\n%s", got)
	}
	if code, _, _ := runCLI(t, "lint", "--unsafe-fixes", dir); code != ExitUsage {
		t.Errorf("--unsafe-fixes without --fix: exit %d", code)
	}
}

func TestLintQuiet(t *testing.T) {
	bad := filepath.Join(lintTestdata, "attack-revoked", "bad.yml")
	code, out, _ := runCLI(t, "lint", "--quiet", bad)
	if code != ExitFindings || !strings.Contains(out, "[attack-revoked]") || strings.Contains(out, "checked against") {
		t.Errorf("--quiet: exit %d, want findings without the summary line:\n%s", code, out)
	}
}
