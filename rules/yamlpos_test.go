package rules

import (
	"strings"
	"testing"
)

// sigmaHead is the first eight lines of a Sigma rule; the cases below put
// their error on line 9.
const sigmaHead = "title: Suspicious Shell\nid: 5b9a3c1e-0d4f-4e8a-9b7c-6a5d4e3f2a1b\nstatus: test\n" +
	"description: Detects a shell\nauthor: huntlint tests\ndate: 2026-01-15\ntags:\n    - attack.t1059\n"

// TestYAMLErrorPosition checks that every YAML syntax error is reported at
// the line and column of the character yaml.v3 stops at, not 1:1 and not
// the line of the enclosing collection.
func TestYAMLErrorPosition(t *testing.T) {
	for _, c := range []struct {
		name, src string
		line, col int
		msg       string
	}{
		{"second colon on line 9", sigmaHead + "detection: selection: x\n", 9, 21, "mapping values are not allowed"},
		{"bad indentation on line 9", sigmaHead + "  level: high\n", 9, 3, "did not find expected key"},
		{"unclosed flow list on line 9", sigmaHead + "falsepositives: [a, b\n", 9, 17, "did not find expected ',' or ']'"},
		{"unterminated quote on line 9", sigmaHead + "level: \"high\n", 9, 8, "found unexpected end of stream"},
		{"tab on line 9", sigmaHead + "\tlevel: high\n", 9, 1, "tab character"},
		{"reserved character on line 9", sigmaHead + "level: @high\n", 9, 8, "cannot start any token"},
		{"unknown escape on line 9", sigmaHead + "level: \"hi\\qgh\"\n", 9, 11, "unknown escape"},
		{"unknown alias on line 9", sigmaHead + "level: *lvl\n", 9, 8, "unknown anchor 'lvl'"},
		{"error on line 1", "title: a: b\n", 1, 9, "mapping values are not allowed"},
		{"sequence item indented less", "title: a\ntags:\n  - a\n - b\n", 4, 2, "did not find expected key"},
		{"mapping inside a sequence", "title: a\ndetection:\n  sel:\n    - a\n    b: c\n", 5, 5, "did not find expected '-' indicator"},
		{"second document", "title: a\ndetection: {}\n---\ntitle: b\ndetection: x: y\n", 5, 13, "mapping values are not allowed"},
		{"after a multi-byte character", "title: é\nlevel: é: x\n", 2, 9, "mapping values are not allowed"},
		{"CRLF line breaks", strings.ReplaceAll(sigmaHead+"detection: selection: x\n", "\n", "\r\n"), 9, 21, "mapping values are not allowed"},
	} {
		t.Run(c.name, func(t *testing.T) {
			rs, probs := LoadBytes("rule.yml", []byte(c.src))
			if len(rs) != 0 || len(probs) != 1 {
				t.Fatalf("got %d rules and problems %v, want one problem", len(rs), probs)
			}
			p := probs[0]
			if p.Line != c.line || p.Column != c.col || !strings.Contains(p.Message, c.msg) {
				t.Errorf("got %d:%d %s, want %d:%d ...%s...", p.Line, p.Column, p.Message, c.line, c.col, c.msg)
			}
		})
	}
}

// TestDuplicateKey checks that a key written twice is a problem at the
// second key naming the first one's line, and that the rule reads the
// second, as the checks do.
func TestDuplicateKey(t *testing.T) {
	src := "title: Two tag lists\nid: 5b9a3c1e-0d4f-4e8a-9b7c-6a5d4e3f2a1c\ntags:\n    - attack.execution\n" +
		"logsource:\n    category: process_creation\n    product: windows\ndetection:\n    selection:\n        Image: x\n" +
		"    condition: selection\ntags:\n    - attack.t1059\n"
	rs, probs := LoadBytes("rule.yml", []byte(src))
	if len(rs) != 1 || len(probs) != 1 {
		t.Fatalf("got %d rules and problems %v, want one rule and one problem", len(rs), probs)
	}
	p := probs[0]
	want := `duplicate key "tags": the mapping already has it at line 3;`
	if p.Line != 12 || p.Column != 1 || !strings.HasPrefix(p.Message, want) {
		t.Errorf("got %d:%d %s, want 12:1 %s...", p.Line, p.Column, p.Message, want)
	}
	if a := rs[0].Attack; len(a) != 1 || a[0].Text != "attack.t1059" || a[0].Span.Start.Line != 13 {
		t.Errorf("references %+v, want attack.t1059 of the second list (line 13)", a)
	}
	// Nested mappings too, and each repeat is reported once.
	_, probs = LoadBytes("rule.yml", []byte("title: a\ndetection:\n    sel:\n        Image: a\n        Image: b\n        Image: c\n    condition: sel\n"))
	if len(probs) != 2 || probs[0].Line != 5 || probs[0].Column != 9 || probs[1].Line != 6 ||
		!strings.Contains(probs[1].Message, "at line 4") {
		t.Errorf("nested duplicates: got %v, want 5:9 and 6:9, both naming line 4", probs)
	}
}
