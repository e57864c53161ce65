package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDebugLogSaysWhatAndWhy: --log-level debug tells on stderr where the
// catalog came from and why, and which paths discovery left out; at the
// default level none of it is printed.
func TestDebugLogSaysWhatAndWhy(t *testing.T) {
	dir := t.TempDir()
	data, err := os.ReadFile(cleanRule)
	if err != nil {
		t.Fatal(err)
	}
	hidden := filepath.Join(dir, ".drafts")
	if err := os.MkdirAll(hidden, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{filepath.Join(dir, "rule.yml"), filepath.Join(hidden, "draft.yml")} {
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// A YAML file of another kind (a CI configuration) holds no rule: it is
	// counted, and only the debug log says it was skipped and why.
	ci := filepath.Join(dir, "ci.yml")
	if err := os.WriteFile(ci, []byte("foo: bar\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	notRule := "skipped " + ci + ": not a rule: no Sigma or Sentinel keys (title, logsource, detection,"
	for _, args := range [][]string{
		{"lint", "--offline", dir},
		{"inspect", "--offline", dir},
	} {
		code, _, errs := runIn(t, "", append([]string{"--log-level", "debug"}, args...)...)
		if code != ExitOK {
			t.Errorf("%v: exit %d, stderr %q", args, code, errs)
		}
		for _, want := range []string{
			"catalog enterprise-attack: embedded release ",
			"offline, the download cache is not read",
			"skipped " + hidden + ": a hidden or vendored folder, not entered",
		} {
			if !strings.Contains(errs, want) {
				t.Errorf("%v --log-level debug: stderr lacks %q:\n%s", args, want, errs)
			}
		}
		if args[0] == "lint" && !strings.Contains(errs, notRule) {
			t.Errorf("%v --log-level debug: stderr lacks %q:\n%s", args, notRule, errs)
		}
		code, _, errs = runIn(t, "", args...)
		if code != ExitOK || errs != "" {
			t.Errorf("%v at the default level: exit %d, stderr %q; want nothing", args, code, errs)
		}
	}
}
