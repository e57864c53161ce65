package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Tests of the conventions every command shares (cliutil.go, completion.go).

const (
	revokedRule = "../../linter/testdata/attack-revoked/bad.yml"  // two errors
	cleanRule   = "../../linter/testdata/attack-revoked/good.yml" // clean
	styleRule   = "../../linter/testdata/attack-tag-style/bad.yml"
)

// runIn runs the CLI with stdin as standard input.
func runIn(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

// tree is the command tree as users get it.
func tree() *cobra.Command {
	a := &app{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard}
	return a.rootCommand()
}

func TestCompletionShells(t *testing.T) {
	want := map[string]string{
		"bash":       "# bash completion V2 for huntlint",
		"zsh":        "#compdef huntlint",
		"fish":       "complete -c huntlint",
		"powershell": "Register-ArgumentCompleter -CommandName 'huntlint'",
	}
	for shell, marker := range want {
		for _, extra := range [][]string{nil, {"--no-descriptions"}} {
			code, out, errs := runIn(t, "", append([]string{"completion", shell}, extra...)...)
			if code != ExitOK || errs != "" {
				t.Errorf("completion %s %v: exit %d, stderr %q", shell, extra, code, errs)
			}
			if !strings.Contains(out, marker) {
				t.Errorf("completion %s %v lacks %q", shell, extra, marker)
			}
		}
	}
	for _, args := range [][]string{{"completion"}, {"completion", "tcsh"}, {"completion", "bash", "zsh"}} {
		code, _, errs := runIn(t, "", args...)
		if code != ExitUsage || !strings.Contains(errs, "bash, zsh, fish or powershell") {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 naming the shells", args, code, errs)
		}
	}
}

// TestCompletionCompletes asks the completion machinery the shells call for
// the commands after "l" and the flags of lint.
func TestCompletionCompletes(t *testing.T) {
	_, out, _ := runIn(t, "", "__complete", "l")
	for _, c := range []string{"layer", "lint"} {
		if !strings.Contains(out, c+"\t") {
			t.Errorf("completing %q does not offer %s:\n%s", "l", c, out)
		}
	}
	_, out, _ = runIn(t, "", "__complete", "lint", "--fail")
	if !strings.Contains(out, "--fail-on") {
		t.Errorf("completing lint --fail does not offer --fail-on:\n%s", out)
	}
	_, out, _ = runIn(t, "", "__complete", "completion", "")
	for _, s := range completionShells {
		if !strings.Contains(out, s) {
			t.Errorf("completing completion does not offer %s:\n%s", s, out)
		}
	}
}

func TestUnknownFlagSuggests(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"lint", "--formt", "json"}, "unknown flag: --formt; did you mean --format? (see 'huntlint lint --help')"},
		{[]string{"layer", "diff", "--outptu", "x", "a", "b"}, "did you mean --output? (see 'huntlint layer diff --help')"},
		{[]string{"lint", "--catalg", "x"}, "did you mean --catalog?"},
		{[]string{"fix", "--zzzzzz"}, "unknown flag: --zzzzzz (see 'huntlint fix --help')"},
	}
	for _, c := range cases {
		code, out, errs := runIn(t, "", c.args...)
		if code != ExitUsage || out != "" || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and %q", c.args, code, out, errs, c.want)
		}
	}
	code, _, errs := runIn(t, "", "lnt")
	if code != ExitUsage || !strings.Contains(errs, "lint") {
		t.Errorf("unknown command: exit %d, %q", code, errs)
	}
}

// pathCommands are the commands whose arguments are paths, with the flags
// they need to get as far as reading them.
func pathCommands(t *testing.T) map[string][]string {
	t.Helper()
	got := map[string][]string{}
	walkCommands(tree(), func(c *cobra.Command) {
		if c.Annotations[pathArgsAnnotation] == "true" {
			args := strings.Fields(c.CommandPath())[1:]
			if c.Name() == "migrate" {
				args = append(args, "--from", "embedded", "--to", "embedded")
			}
			got[c.Name()] = args
		}
	})
	for _, want := range []string{"lint", "fix", "inspect", "layer", "tag", "migrate"} {
		if got[want] == nil {
			t.Errorf("%s is not marked as taking paths (Use should end in [PATH...])", want)
		}
	}
	return got
}

// TestMissingPathIsUsageError: a path that does not exist is a usage error
// naming it, except in lint and fix, where it is a load-missing warning
// (TestDeletedPathIsWarning).
func TestMissingPathIsUsageError(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "detections"), 0o755); err != nil {
		t.Fatal(err)
	}
	typo := filepath.Join(dir, "detectoins")
	for name, args := range pathCommands(t) {
		code, out, errs := runIn(t, "", append(args, "--offline", typo)...)
		if name == "lint" || name == "fix" {
			want := `path "` + typo + `" does not exist (deleted or renamed?): nothing read there; did you mean "` + filepath.Join(dir, "detections") + `"?`
			if code != ExitOK || !strings.Contains(out+errs, "warning [load-missing] "+want) {
				t.Errorf("%s: exit %d, output %q; want exit 0 and %q", name, code, out+errs, want)
			}
			continue
		}
		want := `path "` + typo + `" does not exist; did you mean "` + filepath.Join(dir, "detections") + `"?`
		if code != ExitUsage || !strings.Contains(errs, want) {
			t.Errorf("%s: exit %d, stderr %q; want exit 2 and %q", name, code, errs, want)
		}
	}
	code, _, errs := runIn(t, "", "inspect", filepath.Join(dir, "zzzz"))
	if code != ExitUsage || strings.Contains(errs, "did you mean") {
		t.Errorf("no close name: exit %d, %q", code, errs)
	}
	code, out, _ := runIn(t, "", "lint", "--offline", filepath.Join(dir, "zzzz"))
	if code != ExitOK || !strings.Contains(out, "[load-missing]") || strings.Contains(out, "did you mean") {
		t.Errorf("lint, no close name: exit %d, %q", code, out)
	}
}

func TestPathsFromStdin(t *testing.T) {
	// Only the listed file is linted, although its folder holds more.
	code, out, errs := runIn(t, revokedRule+"\n", "lint", "-")
	if code != ExitFindings || !strings.Contains(out, "1 file, 1 rule: 2 errors") {
		t.Errorf("lint -: exit %d\n%s%s", code, out, errs)
	}
	// NUL-separated (git diff -z, find -print0) and CR LF lists.
	for _, list := range []string{revokedRule + "\x00" + cleanRule + "\x00", revokedRule + "\r\n" + cleanRule + "\r\n\r\n"} {
		code, out, errs = runIn(t, list, "lint", "-")
		if code != ExitFindings || !strings.Contains(out, "2 files, 2 rules: 2 errors") {
			t.Errorf("lint - with %q: exit %d\n%s%s", list, code, out, errs)
		}
	}
	// "-" mixes with paths on the command line.
	code, out, _ = runIn(t, cleanRule+"\n", "lint", styleRule, "-")
	if code != ExitOK || !strings.Contains(out, "2 files, 2 rules") {
		t.Errorf("lint path -: exit %d\n%s", code, out)
	}
	// Nothing on stdin means nothing to do, not the current folder.
	code, out, errs = runIn(t, "", "lint", "-")
	if code != ExitOK || out != "" || !strings.Contains(errs, "no file names on standard input") {
		t.Errorf("empty stdin: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	code, _, errs = runIn(t, "x\n", "lint", "-", "-")
	if code != ExitUsage || !strings.Contains(errs, "may be given once") {
		t.Errorf("two dashes: exit %d, %q", code, errs)
	}
	code, out, errs = runIn(t, "no/such/rule.yml\n", "lint", "-")
	if code != ExitOK || !strings.Contains(out, `warning [load-missing] path "no/such/rule.yml" does not exist`) {
		t.Errorf("missing name on stdin: exit %d, %q %q", code, out, errs)
	}
	code, _, errs = runIn(t, "no/such/rule.yml\n", "inspect", "-")
	if code != ExitUsage || !strings.Contains(errs, `path "no/such/rule.yml" does not exist`) {
		t.Errorf("inspect, missing name on stdin: exit %d, %q", code, errs)
	}
	// Every path command takes "-".
	for name, args := range pathCommands(t) {
		code, _, errs := runIn(t, "", append(args, "-")...)
		if code != ExitOK || !strings.Contains(errs, "nothing to "+name) {
			t.Errorf("%s -: exit %d, %q", name, code, errs)
		}
	}
}

func TestFlagsFromEnvironment(t *testing.T) {
	// A command's own variable.
	t.Setenv("HUNTLINT_LINT_FAIL_ON", "warning")
	if code, _, errs := runIn(t, "", "lint", styleRule); code != ExitFindings {
		t.Errorf("HUNTLINT_LINT_FAIL_ON=warning: exit %d, want 1: %s", code, errs)
	}
	// The command line wins.
	if code, _, errs := runIn(t, "", "lint", "--fail-on", "error", styleRule); code != ExitOK {
		t.Errorf("--fail-on error over the environment: exit %d: %s", code, errs)
	}
	// The command's variable wins over the shared one.
	t.Setenv("HUNTLINT_FAIL_ON", "never")
	if code, _, _ := runIn(t, "", "lint", styleRule); code != ExitFindings {
		t.Errorf("HUNTLINT_LINT_FAIL_ON must win over HUNTLINT_FAIL_ON: exit %d", code)
	}
	os.Unsetenv("HUNTLINT_LINT_FAIL_ON")
	if code, _, _ := runIn(t, "", "lint", revokedRule); code != ExitOK {
		t.Errorf("HUNTLINT_FAIL_ON=never: exit %d, want 0", code)
	}
	// List flags take comma-separated values.
	t.Setenv("HUNTLINT_LINT_IGNORE", "attack-revoked, attack-platform-mismatch")
	t.Setenv("HUNTLINT_FAIL_ON", "error")
	if code, out, _ := runIn(t, "", "lint", revokedRule); code != ExitOK || !strings.Contains(out, "0 errors") {
		t.Errorf("HUNTLINT_LINT_IGNORE: exit %d\n%s", code, out)
	}
	// Bad values name the variable.
	t.Setenv("HUNTLINT_JOBS", "many")
	code, _, errs := runIn(t, "", "lint", cleanRule)
	if code != ExitUsage || !strings.Contains(errs, `HUNTLINT_JOBS="many"`) || !strings.Contains(errs, "--jobs") {
		t.Errorf("bad HUNTLINT_JOBS: exit %d, %q", code, errs)
	}
}

func TestEnvVarNames(t *testing.T) {
	names := map[string]EnvVar{}
	for _, v := range EnvVars(tree()) {
		if !v.Shared {
			if old, dup := names[v.Name]; dup {
				t.Errorf("%s sets both %s --%s and %s --%s", v.Name, old.Command, old.Flag, v.Command, v.Flag)
			}
			names[v.Name] = v
		}
	}
	// No command variable may be read as a global flag's variable too.
	root := tree()
	root.PersistentFlags().VisitAll(func(f *pflag.Flag) {
		if v, ok := names[envName(f.Name)]; ok {
			t.Errorf("%s is both global --%s and %s --%s", v.Name, f.Name, v.Command, v.Flag)
		}
	})
	for _, want := range []string{"HUNTLINT_LINT_FORMAT", "HUNTLINT_LINT_FAIL_ON", "HUNTLINT_LAYER_DIFF_FORMAT", "HUNTLINT_FIX_UNSAFE_FIXES", "HUNTLINT_CATALOG_SEARCH_LIMIT"} {
		if _, ok := names[want]; !ok {
			t.Errorf("no variable %s", want)
		}
	}
}

func TestQuiet(t *testing.T) {
	dir := t.TempDir()
	broken := filepath.Join(dir, "broken.yml")
	if err := os.WriteFile(broken, []byte("title: [unclosed\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, loud := runIn(t, "", "layer", "-o", filepath.Join(dir, "l.json"), broken)
	code, _, quiet := runIn(t, "", "layer", "-q", "-o", filepath.Join(dir, "l.json"), broken)
	if code != ExitFindings || !strings.Contains(quiet, "broken.yml") || strings.Contains(quiet, "left out of the layer") {
		t.Errorf("layer -q: exit %d, stderr %q; want the problem without the summary", code, quiet)
	}
	if !strings.Contains(loud, "left out of the layer") {
		t.Errorf("layer without -q lacks its summary: %q", loud)
	}
	t.Setenv("HUNTLINT_QUIET", "1")
	if _, _, errs := runIn(t, "", "layer", "-o", filepath.Join(dir, "l.json"), broken); strings.Contains(errs, "left out") {
		t.Errorf("HUNTLINT_QUIET=1: %q", errs)
	}
}

func TestOutputIsAtomic(t *testing.T) {
	for _, c := range []struct {
		args []string // before -o
		want string   // in the output
	}{
		{[]string{"layer"}, `"techniques"`},
		{[]string{"lint", "--format", "json"}, `"findings"`},
	} {
		t.Run(c.args[0], func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "report.json")
			if err := os.WriteFile(out, []byte("old"), 0o600); err != nil {
				t.Fatal(err)
			}
			args := func(o string) []string { return append(append(append([]string{}, c.args...), "-o", o), cleanRule) }
			if code, _, errs := runIn(t, "", args(out)...); code != ExitOK {
				t.Fatalf("%v: exit %d: %s", args(out), code, errs)
			}
			data, err := os.ReadFile(out)
			if err != nil || !strings.Contains(string(data), c.want) {
				t.Errorf("-o did not replace the file: %q %v", data, err)
			}
			if fi, _ := os.Stat(out); fi.Mode().Perm() != 0o600 {
				t.Errorf("mode %v, want the old file's 0600 kept", fi.Mode().Perm())
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 1 {
				t.Errorf("temporary files left beside the output: %v", entries)
			}
			// A folder or a missing folder is a usage error and writes nothing
			// (layer writes one file per domain into a folder -o names).
			bads := []string{dir, filepath.Join(dir, "missing", "report.json")}
			if c.args[0] == "layer" {
				bads = bads[1:]
			}
			for _, bad := range bads {
				code, _, errs := runIn(t, "", args(bad)...)
				if code != ExitUsage || !strings.Contains(errs, "write "+bad) {
					t.Errorf("-o %s: exit %d, %q", bad, code, errs)
				}
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 1 {
				t.Errorf("a failed write left files: %v", entries)
			}
			if code, stdout, _ := runIn(t, "", args("-")...); code != ExitOK || !strings.Contains(stdout, c.want) {
				t.Errorf("-o - is standard output: exit %d", code)
			}
		})
	}
}

// TestHelpConventions: every command has a short description; every flag a
// usage text in lower case without a trailing period, and --output always
// has the -o shorthand.
func TestHelpConventions(t *testing.T) {
	walkCommands(tree(), func(c *cobra.Command) {
		if c.Hidden || c.Name() == "help" {
			return
		}
		if c.Short == "" {
			t.Errorf("%s has no short description", c.CommandPath())
		}
		c.LocalFlags().VisitAll(func(f *pflag.Flag) {
			u := f.Usage
			switch {
			case u == "":
				t.Errorf("%s --%s has no usage text", c.CommandPath(), f.Name)
			case strings.HasSuffix(u, "."):
				t.Errorf("%s --%s: usage ends with a period: %q", c.CommandPath(), f.Name, u)
			case unicode.IsUpper([]rune(u)[0]) && !strings.HasPrefix(u, "STIX") && !strings.HasPrefix(u, "URL"):
				t.Errorf("%s --%s: usage starts upper case: %q", c.CommandPath(), f.Name, u)
			}
			if f.Name == "output" && f.Shorthand != "o" {
				t.Errorf("%s --output has no -o shorthand", c.CommandPath())
			}
		})
	})
}

// TestCompletionValues: flag values complete from the data each flag is
// checked against (formats, severities, levels, evidence modes), the check
// registry and the catalog's domains.
func TestCompletionValues(t *testing.T) {
	cases := []struct {
		args []string
		want []string
		not  string
	}{
		{[]string{"lint", "--format", ""}, []string{"text", "json", "sarif", "github"}, ""},
		{[]string{"lint", "--fail-on", "w"}, []string{"warning"}, "error"},
		{[]string{"lint", "--select", "attack-rev"}, []string{"attack-revoked"}, "sigma"},
		{[]string{"lint", "--ignore", "attack-revoked,sig"}, []string{"attack-revoked,sigma", "attack-revoked,sigma-invalid-id"}, "attack-revoked,attack"},
		{[]string{"layer", "--format", ""}, []string{"navigator", "csv", "markdown", "svg", "html"}, ""},
		{[]string{"layer", "merge", "--op", ""}, []string{"max", "sum", "min"}, ""},
		{[]string{"--domain", ""}, []string{"enterprise-attack", "mobile-attack", "ics-attack"}, ""},
		{[]string{"--log-level", ""}, []string{"trace", "debug", "info", "warn", "error"}, ""},
		{[]string{"--log-format", ""}, []string{"console", "json"}, ""},
		{[]string{"lint", "--select", "cov"}, []string{"coverage"}, ""},
		{[]string{"gaps", "--evidence", ""}, []string{"none", "tested"}, "or"},
		{[]string{"layer", "--min-status", ""}, []string{"experimental", "test", "stable"}, "deprecated"},
		{[]string{"layer", "--source-format", "sigma,k"}, []string{"sigma,kql"}, "sigma,sigma"},
		{[]string{"checks", "--format", ""}, []string{"text", "markdown", "json"}, ""},
		{[]string{"test", "--format", "g"}, []string{"github"}, "text"},
		{[]string{"catalog", "info", "--format", ""}, []string{"text", "json"}, "markdown"},
		{[]string{"checks", "attack-unknown-t"}, []string{"attack-unknown-technique", "attack-unknown-tactic"}, "attack-revoked"},
	}
	for _, c := range cases {
		_, out, _ := runIn(t, "", append([]string{"__complete"}, c.args...)...)
		got := map[string]bool{}
		for _, l := range strings.Split(out, "\n") {
			got[strings.SplitN(l, "\t", 2)[0]] = true
		}
		for _, w := range c.want {
			if !got[w] {
				t.Errorf("completing %q does not offer %q:\n%s", c.args, w, out)
			}
		}
		if c.not != "" && got[c.not] {
			t.Errorf("completing %q offers %q", c.args, c.not)
		}
	}
}

// TestFlagChoicesInUsage: every flag that declares its values names each
// of them in its help, so help, completion and the checks say the same.
func TestFlagChoicesInUsage(t *testing.T) {
	n := 0
	walkCommands((&app{}).rootCommand(), func(c *cobra.Command) {
		c.LocalFlags().VisitAll(func(f *pflag.Flag) {
			words := map[string]bool{}
			for _, w := range strings.FieldsFunc(f.Usage, func(r rune) bool { return r == ',' || r == ' ' || r == ':' || r == '(' || r == ')' || r == ';' }) {
				words[w] = true
			}
			for _, v := range flagChoices(f) {
				n++
				if !words[v] {
					t.Errorf("%s --%s accepts %q, which its usage %q does not name", c.CommandPath(), f.Name, v, f.Usage)
				}
			}
		})
	})
	if n < 60 {
		t.Errorf("only %d flag values declared", n)
	}
}

// TestFixQuiet: fix -q fixes and prints nothing; --show-fixes still lists
// the fixes it was asked for.
func TestFixQuiet(t *testing.T) {
	data, err := os.ReadFile(revokedRule)
	if err != nil {
		t.Fatal(err)
	}
	for _, extra := range [][]string{nil, {"--show-fixes"}} {
		rule := filepath.Join(t.TempDir(), "rule.yml")
		if err := os.WriteFile(rule, data, 0o644); err != nil {
			t.Fatal(err)
		}
		code, out, errs := runIn(t, "", append(append([]string{"fix", "-q"}, extra...), rule)...)
		if code != ExitOK || errs != "" {
			t.Errorf("fix -q %v: exit %d, stderr %q", extra, code, errs)
		}
		if extra == nil && out != "" || extra != nil && !strings.Contains(out, "[attack-revoked]") || strings.Contains(out, "fixed ") {
			t.Errorf("fix -q %v printed %q", extra, out)
		}
		if after, _ := os.ReadFile(rule); bytes.Equal(after, data) {
			t.Errorf("fix -q %v did not fix the rule", extra)
		}
	}
}

// TestEnvChecksDeclaredChoices: a variable for a flag with choices takes
// one of them in any case, and is refused naming them otherwise
// (HUNTLINT_LAYER_EVIDENCE=tested was refused while the values were read
// from the help text).
func TestEnvChecksDeclaredChoices(t *testing.T) {
	fs := pflag.NewFlagSet("layer", pflag.ContinueOnError)
	fs.String("evidence", "none", "count rules by test evidence: none, or tested")
	choices(fs, "evidence", evidenceModes)
	f := fs.Lookup("evidence")
	if err := setFromEnv(f, "Tested"); err != nil || f.Value.String() != "tested" {
		t.Errorf("Tested: %v, value %q", err, f.Value.String())
	}
	if err := setFromEnv(f, "or"); err == nil || err.Error() != "use none or tested" {
		t.Errorf("or: %v, want use none or tested", err)
	}
}
