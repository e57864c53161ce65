package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const widgetRule = `title: Widget Loader %s
id: %s
status: test
description: Detects the widget loader started with a remote widget.
author: huntlint
date: 2026-01-01
%slogsource:
    category: process_creation
    product: windows
detection:
    selection:
        Image|endswith: '\wdgtldr.exe'
        CommandLine|contains: '--remote-widget'
    condition: selection
level: medium
`

// writeWidgetRules writes two rules tagged T1127 and one untagged rule with
// the same content, which no knowledge-base indicator covers: only a
// suggester that learned from the tagged rules can name T1127.
func writeWidgetRules(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	tags := "tags:\n    - attack.defense-evasion\n    - attack.t1127\n"
	for name, body := range map[string]string{
		"a.yml":        fmt.Sprintf(widgetRule, "Started", "0b4c6c1e-5f0e-4a57-9c1a-2f7d6f6e0a01", tags),
		"b.yml":        fmt.Sprintf(widgetRule, "Executed", "0b4c6c1e-5f0e-4a57-9c1a-2f7d6f6e0a02", tags),
		"untagged.yml": fmt.Sprintf(widgetRule, "Run", "0b4c6c1e-5f0e-4a57-9c1a-2f7d6f6e0a03", ""),
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestLintSuggestLearnsFromLintedRules(t *testing.T) {
	dir := writeWidgetRules(t)
	var out, errOut bytes.Buffer
	code := run([]string{"lint", "--offline", "--select", "attack-missing-technique", "--suggest", dir}, nil, &out, &errOut)
	if code != ExitOK {
		t.Fatalf("exit %d, want %d; stderr %s", code, ExitOK, errOut.String())
	}
	want := "untagged.yml:1:1: warning [attack-missing-technique] rule names no ATT&CK technique and cannot appear on a coverage layer; add the technique it detects, such as attack.t1127 (Trusted Developer Utilities Proxy Execution) (the best match by huntlint tag)\n"
	if !strings.Contains(out.String(), want) {
		t.Errorf("output lacks\n%s\ngot\n%s", want, out.String())
	}
	if strings.Count(out.String(), "attack-missing-technique]") != 1 {
		t.Errorf("want one finding, got\n%s", out.String())
	}
}

func TestLintSuggestOff(t *testing.T) {
	dir := writeWidgetRules(t)
	var out, errOut bytes.Buffer
	code := run([]string{"lint", "--offline", "--select", "attack-missing-technique", "--suggest=false", dir}, nil, &out, &errOut)
	if code != ExitOK {
		t.Fatalf("exit %d, want %d; stderr %s", code, ExitOK, errOut.String())
	}
	if !strings.Contains(out.String(), "untagged.yml") || strings.Contains(out.String(), "such as") {
		t.Errorf("want the finding without a suggestion, got\n%s", out.String())
	}
}

// TestLintSuggestTurnsOnItsCheck: --suggest alone runs the opt-in
// attack-missing-technique check it feeds, beside the default set; a
// configuration that turns the check off wins.
func TestLintSuggestTurnsOnItsCheck(t *testing.T) {
	dir := writeWidgetRules(t)
	var out, errOut bytes.Buffer
	run([]string{"lint", "--offline", "--suggest", dir}, nil, &out, &errOut)
	if !strings.Contains(out.String(), "[attack-missing-technique] rule names no ATT&CK technique") || !strings.Contains(out.String(), "such as attack.t1127") {
		t.Errorf("--suggest alone:\n%s%s", out.String(), errOut.String())
	}
	cfg := filepath.Join(dir, "off.hcl")
	if err := os.WriteFile(cfg, []byte("check \"attack-missing-technique\" {\n  enabled = false\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	run([]string{"lint", "--offline", "--suggest", "--config", cfg, dir}, nil, &out, &errOut)
	if strings.Contains(out.String(), "attack-missing-technique") {
		t.Errorf("--suggest with the check turned off:\n%s", out.String())
	}
	out.Reset()
	run([]string{"lint", "--offline", dir}, nil, &out, &errOut)
	if strings.Contains(out.String(), "attack-missing-technique") {
		t.Errorf("plain lint runs the opt-in check:\n%s", out.String())
	}
}
