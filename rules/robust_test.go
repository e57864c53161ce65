package rules

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadRefusals(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.yml")
	if err := os.WriteFile(big, []byte("title: "+strings.Repeat("x", 100)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		load func() ([]*Rule, []Problem)
		want string
	}{
		{"missing", func() ([]*Rule, []Problem) { return Load(filepath.Join(dir, "nope.yml")) }, "cannot read file: no such file or directory"},
		{"directory", func() ([]*Rule, []Problem) { return Load(dir) }, "is a directory, not a file"},
		{"device", func() ([]*Rule, []Problem) { return Load(os.DevNull) }, "not a regular file"},
		{"oversized", func() ([]*Rule, []Problem) { return LoadOptions{MaxSize: 50}.Load(big) }, "file is 108 bytes, larger than the 50 byte limit; not loaded"},
		{"utf16", func() ([]*Rule, []Problem) { return LoadBytes("a.yml", []byte{0xFF, 0xFE, 't', 0}) }, "file is UTF-16 encoded; save it as UTF-8"},
		{"deep flow", func() ([]*Rule, []Problem) {
			return LoadBytes("a.yml", []byte("x: "+strings.Repeat("[", 200000)))
		}, "invalid YAML"},
		{"deep block", func() ([]*Rule, []Problem) {
			var b strings.Builder
			for i := range 2000 {
				b.WriteString(strings.Repeat(" ", i) + "k:\n")
			}
			return LoadBytes("a.yml", []byte(b.String()))
		}, "nests deeper than 500 levels"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rules, problems := c.load()
			if len(rules) != 0 || len(problems) != 1 || !strings.Contains(problems[0].Message, c.want) {
				t.Errorf("got %d rules, problems %v; want one problem %q", len(rules), problems, c.want)
			}
		})
	}
}

func TestUnknownExtensionSniffed(t *testing.T) {
	rules, problems := LoadBytes("query.txt", []byte("// hunt\nDeviceEvents\n| take 1\n"))
	if len(problems) > 0 || len(rules) != 1 || rules[0].Format != FormatKQL || len(rules[0].Queries) != 1 {
		t.Errorf("KQL in a .txt file: rules %v, problems %v", rules, problems)
	}
	rules, problems = LoadBytes("rule.sigma", []byte("title: t\nlogsource: {}\ndetection: {sel: {a: 1}, condition: sel}\n"))
	if len(problems) > 0 || len(rules) != 1 || rules[0].Format != FormatSigma {
		t.Errorf("Sigma in a .sigma file: rules %v, problems %v", rules, problems)
	}
}

func TestEmptyUnknownFile(t *testing.T) {
	_, problems := LoadBytes("notes.txt", []byte(" \n"))
	if len(problems) != 1 || problems[0].Message != "empty file: nothing to load" {
		t.Errorf("got %v", problems)
	}
}

// TestHostileLongLines loads one-line files of about 1 MB full of
// references: every conversion must stay linear (a quadratic one would make
// this test run for hours).
func TestHostileLongLines(t *testing.T) {
	n := 40000
	tags := "title: é\nlogsource: {}\ndetection: {s: {a: 1}, condition: s}\ntags: [" + strings.Repeat("attack.t1059, ", n) + "é]\n"
	prose := "# t\n" + strings.Repeat("T1059 https://attack.mitre.org/techniques/T1055/011 é ", n/2) + "\n\n```kql\nDeviceEvents | take 1\n```\n"
	comment := "// Tactics: " + strings.Repeat("tactics: Execution, ", n) + "\nT\n"
	for _, c := range []struct {
		name, text string
		refs       int
	}{
		{"tags.yml", tags, n},
		{"prose.md", prose, n},
		{"comment.kql", comment, 0},
	} {
		rules, problems := LoadBytes(c.name, []byte(c.text))
		if len(problems) > 0 || len(rules) != 1 {
			t.Fatalf("%s: %d rules, problems %v", c.name, len(rules), problems)
		}
		if c.refs > 0 && len(rules[0].Attack) != c.refs {
			t.Errorf("%s: %d refs, want %d", c.name, len(rules[0].Attack), c.refs)
		}
		checkPositions(t, rules[0])
	}
}
