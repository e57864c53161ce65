package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// untaggedRule is a Sigma rule that names a tactic but no technique.
const untaggedRule = `title: Suspicious Process
id: 7c1d5a8e-3b2f-4c6d-9e0a-000000000201
status: test
description: Detects a suspicious process start
author: huntlint tests
date: 2026-01-15
tags:
    - attack.execution
logsource:
    product: windows
    category: process_creation
detection:
    selection:
        Image|endswith: '\evil.exe'
    condition: selection
level: medium
`

// changelog names revoked ATT&CK IDs in prose and holds no query.
const changelog = "# Changelog\n\n- The PowerShell query moved from T1086 to T1059.001.\n- attack.t1150 is now attack.t1647.\n"

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	return dir
}

// TestLintCoverageOptIn: attack-missing-technique runs only when asked for,
// by --select or by the configuration's lint preset.
func TestLintCoverageOptIn(t *testing.T) {
	writeFiles(t, map[string]string{"rules/untagged.yml": untaggedRule})
	const finding = "rules/untagged.yml:7:1: warning [attack-missing-technique]"
	code, out, errs := runIn(t, "", "lint", "--offline", "--fail-on", "warning", "rules")
	if code != ExitOK || strings.Contains(out, "attack-missing-technique") {
		t.Errorf("default run: exit %d\n%s%s", code, out, errs)
	}
	for _, sel := range []string{"coverage", "attack-missing-technique"} {
		code, out, errs = runIn(t, "", "lint", "--offline", "--fail-on", "warning", "--select", sel, "rules")
		if code != ExitFindings || !strings.Contains(out, finding) {
			t.Errorf("--select %s: exit %d\n%s%s", sel, code, out, errs)
		}
	}
	if err := os.WriteFile(".huntlint.hcl", []byte("lint {\n  preset = \"coverage\"\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs = runIn(t, "", "lint", "--offline", "--fail-on", "warning", "rules")
	if code != ExitFindings || !strings.Contains(out, finding) {
		t.Errorf("preset coverage: exit %d\n%s%s", code, out, errs)
	}
	if err := os.WriteFile(".huntlint.hcl", []byte("lint {\n  preset = \"full\"\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs = runIn(t, "", "lint", "--offline", "rules")
	if code != ExitUsage || !strings.Contains(errs, `.huntlint.hcl:2:12: invalid preset "full"`) {
		t.Errorf("bad preset: exit %d\n%s", code, errs)
	}
}

// TestLintMinSeverity: infos are shown by default and --min-severity
// hides them; a bad value is a usage error naming the accepted ones.
func TestLintMinSeverity(t *testing.T) {
	writeFiles(t, map[string]string{"CHANGELOG.md": changelog})
	const note = "CHANGELOG.md:1:1: info [load-skipped] Markdown without a KQL query"
	code, out, errs := runIn(t, "", "lint", "--offline", ".")
	if code != ExitOK || !strings.Contains(out, note) {
		t.Errorf("default: exit %d\n%s%s", code, out, errs)
	}
	code, out, errs = runIn(t, "", "lint", "--offline", "--min-severity", "warning", ".")
	if code != ExitOK || strings.Contains(out, "load-skipped") || !strings.Contains(out, "0 infos") {
		t.Errorf("--min-severity warning: exit %d\n%s%s", code, out, errs)
	}
	code, _, errs = runIn(t, "", "lint", "--offline", "--min-severity", "notice", ".")
	if code != ExitUsage || !strings.Contains(errs, `invalid --min-severity "notice": use info, warning or error`) {
		t.Errorf("bad --min-severity: exit %d\n%s", code, errs)
	}
}

// TestFixLeavesDocumentation: a changelog that names revoked IDs is not a
// query, and fix leaves it byte for byte.
func TestFixLeavesDocumentation(t *testing.T) {
	writeFiles(t, map[string]string{"CHANGELOG.md": changelog})
	code, out, errs := runIn(t, "", "fix", "--offline", ".")
	got, err := os.ReadFile("CHANGELOG.md")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != changelog {
		t.Errorf("fix rewrote the changelog (exit %d):\n%s\n%s%s", code, got, out, errs)
	}
	if code != ExitOK {
		t.Errorf("fix on documentation: exit %d\n%s%s", code, out, errs)
	}
}
