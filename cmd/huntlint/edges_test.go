package main

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/spf13/cobra"
)

// Tests of the edges a new user meets first (issue 16): deleted paths,
// files fix cannot load, one configuration for every command, strict
// environment values and symbolic links.

// edgeRule is a clean Sigma rule; edgeRevoked has one revoked technique
// (attack.t1086, fixable).
const (
	edgeRule    = "title: Whoami\nlogsource:\n    category: process_creation\n    product: windows\ndetection:\n    sel:\n        Image|endswith: '\\whoami.exe'\n    condition: sel\ntags:\n    - attack.discovery\n    - attack.t1033\n"
	edgeRevoked = "title: Encoded PowerShell\nlogsource:\n    category: process_creation\n    product: windows\ndetection:\n    sel:\n        CommandLine|contains: ' -enc '\n    condition: sel\ntags:\n    - attack.execution\n    - attack.t1086\n"
)

// writeEdgeFiles writes name -> content under dir, making folders.
func writeEdgeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestDeletedPathIsWarning: the README's git diff --name-only -z | huntlint
// lint - in a pull request that deletes a rule.
func TestDeletedPathIsWarning(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	writeEdgeFiles(t, dir, map[string]string{"rules/kept.yml": edgeRule, "rules/revoked.yml": edgeRevoked})
	const deletedWarning = `rules/deleted.yml:1:1: warning [load-missing] path "rules/deleted.yml" does not exist (deleted or renamed?): nothing read there`

	code, out, errs := runIn(t, "rules/kept.yml\x00rules/deleted.yml\x00", "lint", "--offline", "-")
	if code != ExitOK || !strings.Contains(out, deletedWarning) || !strings.Contains(out, "1 file, 1 rule") {
		t.Errorf("deleted path from stdin: exit %d, want 0 with the warning and the kept rule linted\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
	// The exit status follows the findings: the revoked tag still fails.
	code, out, _ = runIn(t, "rules/deleted.yml\nrules/revoked.yml\n", "lint", "--offline", "-")
	if code != ExitFindings || !strings.Contains(out, deletedWarning) || !strings.Contains(out, "[attack-revoked]") {
		t.Errorf("deleted and revoked: exit %d, want 1\n%s", code, out)
	}
	// --fail-on warning makes the deleted path fail the run.
	if code, _, _ = runIn(t, "rules/deleted.yml\n", "lint", "--offline", "--fail-on", "warning", "-"); code != ExitFindings {
		t.Errorf("--fail-on warning: exit %d, want 1", code)
	}
	// On the command line too, with the closest name in the folder.
	code, out, _ = runIn(t, "", "lint", "--offline", "rules/kept.yml", "rules/kepd.yml")
	if code != ExitOK || !strings.Contains(out, `path "rules/kepd.yml" does not exist (deleted or renamed?): nothing read there; did you mean "rules/kept.yml"?`) {
		t.Errorf("typo on the command line: exit %d\n%s", code, out)
	}
	// JSON carries it as a finding.
	_, out, _ = runIn(t, "", "lint", "--offline", "--format", "json", "rules/deleted.yml")
	if !strings.Contains(out, `"check": "load-missing"`) {
		t.Errorf("json lacks the load-missing finding:\n%s", out)
	}
	// --ignore load-missing hides it.
	if _, out, _ = runIn(t, "", "lint", "--offline", "--ignore", "load-missing", "rules/deleted.yml", "rules/kept.yml"); strings.Contains(out, "load-missing") {
		t.Errorf("--ignore load-missing:\n%s", out)
	}
	// fix names it on stderr and fixes the rest.
	code, _, errs = runIn(t, "rules/deleted.yml\nrules/revoked.yml\n", "fix", "--offline", "-")
	if code != ExitOK || !strings.Contains(errs, deletedWarning) {
		t.Errorf("fix with a deleted path: exit %d, want 0\n%s", code, errs)
	}
	if b, _ := os.ReadFile("rules/revoked.yml"); !strings.Contains(string(b), "attack.t1059.001") {
		t.Errorf("fix did not fix the other file:\n%s", b)
	}
}

// TestFixFailsLoudly: a file fix cannot load is named with the reason, and
// the exit status is 1, under --quiet too.
func TestFixFailsLoudly(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	writeEdgeFiles(t, dir, map[string]string{
		"broken.yml":  "title: Broken\nlogsource:\n    category: process_creation\ndetection:\n    sel:\n        Image: [x\n    condition: sel\ntags:\n    - attack.t1086\n",
		"revoked.yml": edgeRevoked,
	})
	for _, quiet := range []bool{false, true} {
		args := []string{"fix", "--offline", "broken.yml", "revoked.yml"}
		if quiet {
			args = append(args, "--quiet")
		}
		code, out, errs := runIn(t, "", args...)
		if code != ExitFindings || !strings.Contains(errs, "broken.yml:") || !strings.Contains(errs, "[load-error]") {
			t.Errorf("quiet=%v: exit %d, want 1 naming broken.yml\nstdout:\n%s\nstderr:\n%s", quiet, code, out, errs)
		}
		if !quiet && !strings.Contains(errs, "huntlint: 1 file was not loaded and not fixed") {
			t.Errorf("no count of the files not loaded:\n%s", errs)
		}
	}
	if b, _ := os.ReadFile("revoked.yml"); !strings.Contains(string(b), "attack.t1059.001") {
		t.Errorf("the loadable file was not fixed:\n%s", b)
	}
	// With nothing else to do, the broken file alone still fails.
	if code, _, errs := runIn(t, "", "fix", "--offline", "broken.yml"); code != ExitFindings || !strings.Contains(errs, "broken.yml:") {
		t.Errorf("broken file alone: exit %d\n%s", code, errs)
	}
}

func TestIsIOError(t *testing.T) {
	if !isIOError(&fs.PathError{Op: "rename", Path: "x", Err: syscall.EROFS}) || !isIOError(errors.Join(errors.New("write"), syscall.ENOSPC)) {
		t.Error("operating system errors are I/O errors")
	}
	if isIOError(errors.New("the fixed text would not load")) {
		t.Error("a fix undone is not an I/O error")
	}
}

// configCommands are the commands that resolve .huntlint.hcl, with the
// arguments that get them as far as reading it.
func configCommands(root *cobra.Command) map[string][]string {
	cmds := map[string][]string{
		"lint":         {"lint", "--offline", "."},
		"fix":          {"fix", "--offline", "."},
		"layer":        {"layer", "--offline", "."},
		"tag":          {"tag", "--offline", "."},
		"inspect":      {"inspect", "--offline", "."},
		"migrate":      {"migrate", "--from", "embedded", "--to", "embedded", "."},
		"catalog info": {"catalog", "info", "--offline"},
		"version":      {"version", "--offline"},
	}
	// Commands being added (gaps, test) join once they exist.
	extra := map[string][]string{"gaps": {"gaps", "--offline", "--top-used", "5", "."}, "test": {"test", "--offline", "."}}
	for name, args := range extra {
		if c, _, err := root.Find([]string{name}); err == nil && c.Name() == name {
			cmds[name] = args
		}
	}
	return cmds
}

// TestBrokenConfigStopsEveryCommand: a broken .huntlint.hcl is exit 2 with
// file:line:col in every command that reads rules or the catalog.
func TestBrokenConfigStopsEveryCommand(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	writeEdgeFiles(t, dir, map[string]string{
		"rules/a.yml":   edgeRule,
		".huntlint.hcl": "paths {\n  exclude = [\"deprecated/**\"]\n}\ncatalog {\n  offline = maybe\n}\n",
	})
	for name, args := range configCommands(tree()) {
		code, out, errs := runIn(t, "", args...)
		if code != ExitUsage || !strings.Contains(errs, ".huntlint.hcl:5:") {
			t.Errorf("%s with a broken config: exit %d, want 2 naming .huntlint.hcl:5:col\nstdout:\n%s\nstderr:\n%s", name, code, out, errs)
		}
	}
	// --config and HUNTLINT_CONFIG name it too.
	os.Rename(".huntlint.hcl", "broken.hcl")
	if code, _, errs := runIn(t, "", "layer", "--offline", "--config", "broken.hcl", "."); code != ExitUsage || !strings.Contains(errs, "broken.hcl:5:") {
		t.Errorf("layer --config broken.hcl: exit %d, %s", code, errs)
	}
	t.Setenv("HUNTLINT_CONFIG", "broken.hcl")
	for _, args := range [][]string{{"version", "--offline"}, {"inspect", "--offline", "."}} {
		if code, _, errs := runIn(t, "", args...); code != ExitUsage || !strings.Contains(errs, "broken.hcl:5:") {
			t.Errorf("%v with HUNTLINT_CONFIG=broken.hcl: exit %d, %s", args, code, errs)
		}
	}
}

// TestConfigSharedByCommands: layer, inspect and tag skip the paths the
// configuration excludes, and version, catalog info and layer use the
// catalog it names, as lint does.
func TestConfigSharedByCommands(t *testing.T) {
	bundle, err := filepath.Abs(filepath.Join("..", "..", "testdata", "attack", "mini-19.json"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	t.Chdir(dir)
	writeEdgeFiles(t, dir, map[string]string{
		"rules/a.yml":            edgeRule,
		"rules/deprecated/b.yml": edgeRevoked,
	})
	// Without a configuration, both rules count.
	if _, out, _ := runIn(t, "", "inspect", "--offline", "rules"); !strings.Contains(out, "deprecated") {
		t.Fatalf("inspect without config misses the deprecated rule:\n%s", out)
	}
	writeEdgeFiles(t, dir, map[string]string{".huntlint.hcl": "paths {\n  exclude = [\"deprecated/**\"]\n}\n"})
	for _, args := range [][]string{
		{"inspect", "--offline", "rules"},
		{"layer", "--offline", "--format", "csv", "rules"},
		{"tag", "--offline", "rules"},
		{"lint", "--offline", "rules"},
	} {
		if code, out, errs := runIn(t, "", args...); code == ExitUsage || strings.Contains(out, "deprecated") || strings.Contains(out, "T1086") {
			t.Errorf("%v reads the excluded folder: exit %d\n%s%s", args, code, out, errs)
		}
	}
	// The catalog block: every command reports and uses its release.
	writeEdgeFiles(t, dir, map[string]string{".huntlint.hcl": "catalog {\n  path = [\"" + filepath.ToSlash(bundle) + "\"]\n}\n"})
	for _, args := range [][]string{
		{"version", "--offline"},
		{"catalog", "info", "--offline"},
		{"lint", "--offline", "--format", "json", "rules/a.yml"},
		{"layer", "--offline", "rules/a.yml"},
	} {
		code, out, errs := runIn(t, "", args...)
		if code == ExitUsage || !strings.Contains(out, "19.0") && !strings.Contains(out, `"19"`) {
			t.Errorf("%v does not use the configured ATT&CK 19 bundle: exit %d\n%s%s", args, code, out, errs)
		}
	}
}

// TestStrictEnvironment: every HUNTLINT_* value is parsed like its flag; a
// bad one is exit 2 naming the variable and what it accepts.
func TestStrictEnvironment(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	writeEdgeFiles(t, dir, map[string]string{"a.yml": edgeRule})
	bad := []struct{ env, val, want string }{
		{"HUNTLINT_QUIET", "maybe", `invalid HUNTLINT_QUIET="maybe" for --quiet: use true or false (or 1 or 0)`},
		{"HUNTLINT_OFFLINE", "yes", `invalid HUNTLINT_OFFLINE="yes" for --offline: use true or false (or 1 or 0)`},
		{"HUNTLINT_LOG_LEVEL", "loud", `invalid HUNTLINT_LOG_LEVEL="loud" for --log-level: use trace, debug, info, warn or error`},
		{"HUNTLINT_LOG_FORMAT", "xml", `invalid HUNTLINT_LOG_FORMAT="xml" for --log-format: use console or json`},
		{"HUNTLINT_DOMAIN", "enterprise-attack,pre-attack", `invalid HUNTLINT_DOMAIN="enterprise-attack,pre-attack" for --domain: "pre-attack" is not one of enterprise-attack, mobile-attack or ics-attack (comma-separated)`},
		{"HUNTLINT_LINT_FORMAT", "xml", `invalid HUNTLINT_LINT_FORMAT="xml" for --format of 'huntlint lint': use text, json, sarif or github`},
		{"HUNTLINT_LINT_JOBS", "many", `invalid HUNTLINT_LINT_JOBS="many" for --jobs of 'huntlint lint': use a whole number`},
		{"HUNTLINT_FAIL_ON", "warnings", `invalid HUNTLINT_FAIL_ON="warnings" for --fail-on of 'huntlint lint': use error, warning, info or never`},
		{"HUNTLINT_FOLLOW_SYMLINKS", "on", `invalid HUNTLINT_FOLLOW_SYMLINKS="on" for --follow-symlinks of 'huntlint lint': use true or false (or 1 or 0)`},
		{"HUNTLINT_CATALOG_AUTO_UPDATE", "weekly", `invalid HUNTLINT_CATALOG_AUTO_UPDATE="weekly"`},
	}
	for _, c := range bad {
		t.Run(c.env, func(t *testing.T) {
			t.Setenv(c.env, c.val)
			code, out, errs := runIn(t, "", "lint", "a.yml")
			if code != ExitUsage || out != "" || !strings.Contains(errs, c.want) {
				t.Errorf("%s=%s: exit %d, stdout %q, stderr %q; want exit 2 and %q", c.env, c.val, code, out, errs, c.want)
			}
		})
	}
	// Values listed in a usage with remarks in parentheses.
	t.Setenv("HUNTLINT_LAYER_SCORE", "sum")
	if code, _, errs := runIn(t, "", "layer", "--offline", "a.yml"); code != ExitUsage || !strings.Contains(errs, `invalid HUNTLINT_LAYER_SCORE="sum" for --score of 'huntlint layer': use count, level or max`) {
		t.Errorf("HUNTLINT_LAYER_SCORE=sum: exit %d, %q", code, errs)
	}
	t.Setenv("HUNTLINT_LAYER_SCORE", "")
	// Good values, in any case; an empty variable is unset.
	t.Setenv("HUNTLINT_OFFLINE", "TRUE")
	t.Setenv("HUNTLINT_QUIET", "1")
	t.Setenv("HUNTLINT_LINT_FORMAT", "JSON")
	t.Setenv("HUNTLINT_LOG_LEVEL", "")
	code, out, errs := runIn(t, "", "lint", "a.yml")
	if code != ExitOK || !strings.HasPrefix(strings.TrimSpace(out), "{") {
		t.Errorf("good values: exit %d\n%s%s", code, out, errs)
	}
	// The command line wins over a bad variable.
	t.Setenv("HUNTLINT_LINT_FORMAT", "xml")
	if code, _, errs := runIn(t, "", "lint", "--format", "text", "a.yml"); code != ExitOK {
		t.Errorf("--format over a bad HUNTLINT_LINT_FORMAT: exit %d %s", code, errs)
	}
}

// TestSymlinksReported: lint and fix skip symbolic links in folders with
// an info each, and follow them with --follow-symlinks.
func TestSymlinksReported(t *testing.T) {
	outside := t.TempDir()
	writeEdgeFiles(t, outside, map[string]string{"target.yml": edgeRevoked, "shared/c.yml": edgeRule, "notes.txt": "x"})
	dir := t.TempDir()
	t.Chdir(dir)
	writeEdgeFiles(t, dir, map[string]string{"rules/a.yml": edgeRule})
	for link, target := range map[string]string{
		"rules/link.yml":   filepath.Join(outside, "target.yml"),
		"rules/shared":     filepath.Join(outside, "shared"),
		"rules/notes.txt":  filepath.Join(outside, "notes.txt"), // not a rule file: not reported
		"rules/broken.yml": filepath.Join(outside, "gone.yml"),
	} {
		if err := os.Symlink(target, link); err != nil {
			t.Skipf("symbolic links: %v", err)
		}
	}
	code, out, errs := runIn(t, "", "lint", "--offline", "rules")
	for _, want := range []string{
		"rules/link.yml:1:1: info [load-skipped] symbolic link not followed: pass --follow-symlinks to read what it points to",
		"rules/shared:1:1: info [load-skipped] symbolic link to a folder not followed",
		"rules/broken.yml:1:1: info [load-skipped] broken symbolic link not followed",
		"1 file, 1 rule",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("lint without --follow-symlinks lacks %q: exit %d\n%s%s", want, code, out, errs)
		}
	}
	if strings.Contains(out, "notes.txt") || code != ExitOK {
		t.Errorf("exit %d, or a link to a file lint never reads is reported:\n%s", code, out)
	}
	code, out, _ = runIn(t, "", "lint", "--offline", "--follow-symlinks", "rules")
	if code != ExitFindings || !strings.Contains(out, "rules/link.yml:") || !strings.Contains(out, "[attack-revoked]") || !strings.Contains(out, "3 files, 3 rules") || !strings.Contains(out, "broken symbolic link") {
		t.Errorf("lint --follow-symlinks: exit %d\n%s", code, out)
	}
	// fix: the info on stderr, the link's target untouched without the flag.
	code, _, errs = runIn(t, "", "fix", "--offline", "rules")
	if code != ExitOK || !strings.Contains(errs, "rules/link.yml:1:1: info [load-skipped]") {
		t.Errorf("fix without --follow-symlinks: exit %d\n%s", code, errs)
	}
	if b, _ := os.ReadFile(filepath.Join(outside, "target.yml")); string(b) != edgeRevoked {
		t.Errorf("fix changed a file behind a link it did not follow:\n%s", b)
	}
	// layer and inspect note the link on stderr.
	if _, _, errs = runIn(t, "", "inspect", "--offline", "rules"); !strings.Contains(errs, "rules/link.yml: symbolic link not followed") {
		t.Errorf("inspect: %s", errs)
	}
}

// TestWriteFailureIsExitIO: a report the system refuses to take is exit 3,
// ExitIO, naming what could not be written. The target lies under a
// regular file of a temporary folder, so the system refuses the write
// (ENOTDIR) without the test touching any file of the machine's own.
func TestWriteFailureIsExitIO(t *testing.T) {
	blocker := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(blocker, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(blocker, "report.json")
	for _, args := range [][]string{
		{"lint", "--offline", "-o", target, cleanRule},
		{"layer", "--offline", "-o", target, cleanRule},
	} {
		code, _, errs := runIn(t, "", args...)
		if code != ExitIO || !strings.Contains(errs, target) || !strings.Contains(errs, "not a directory") {
			t.Errorf("%v: exit %d, stderr %q; want exit 3 naming %s", args, code, errs, target)
		}
	}
	if b, err := os.ReadFile(blocker); err != nil || string(b) != "x" {
		t.Errorf("the file in the way changed: %q %v", b, err)
	}
}
