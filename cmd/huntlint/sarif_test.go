package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/xeipuuv/gojsonschema"

	"github.com/huntlint/huntlint/internal/testshared"
)

// What GitHub code scanning needs from `huntlint lint --format sarif`, run
// as the action runs it (the reporter's own tests are in linter).

type sarifLog struct {
	Runs []struct {
		ColumnKind string `json:"columnKind"`
		Tool       struct {
			Driver struct {
				Rules []struct {
					ID   string `json:"id"`
					Help struct {
						Text     string `json:"text"`
						Markdown string `json:"markdown"`
					} `json:"help"`
					HelpURI string `json:"helpUri"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Results []struct {
			RuleID    string                `json:"ruleId"`
			Message   struct{ Text string } `json:"message"`
			Locations []struct {
				PhysicalLocation struct {
					ArtifactLocation struct {
						URI       string `json:"uri"`
						URIBaseID string `json:"uriBaseId"`
					} `json:"artifactLocation"`
					Region struct {
						StartLine   int `json:"startLine"`
						StartColumn int `json:"startColumn"`
					} `json:"region"`
				} `json:"physicalLocation"`
			} `json:"locations"`
			PartialFingerprints map[string]string `json:"partialFingerprints"`
		} `json:"results"`
	} `json:"runs"`
}

const sarifRule = `title: Encoded PowerShell
id: 5b0e2a51-8f1c-4d2e-9a47-3c6f0d1e2b7a
status: test
description: Detects PowerShell started with an encoded command
author: huntlint tests
date: 2026-01-15
tags:
    - attack.execution
    - attack.t1086
    - attack.T1086
    - attack.privilege_escalation
logsource:
    product: windows
    category: process_creation
detection:
    selection:
        CommandLine|contains: ' -enc '
    condition: selection
level: high
`

// lintSARIF runs lint --format sarif --output in the working folder and
// returns the raw report and its decoded form.
func lintSARIF(t *testing.T, paths ...string) (string, sarifLog) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "huntlint.sarif")
	args := append([]string{"lint", "--format", "sarif", "--output", out, "--fail-on", "never"}, paths...)
	if code, stdout, errs := runIn(t, "", args...); code != ExitOK || stdout != "" {
		t.Fatalf("lint --format sarif: exit %d, stdout %q, stderr %s", code, stdout, errs)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var log sarifLog
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatalf("SARIF is not JSON: %v", err)
	}
	if len(log.Runs) != 1 {
		t.Fatalf("%d runs, want 1", len(log.Runs))
	}
	return string(data), log
}

func fingerprints(t *testing.T, log sarifLog) map[string]string {
	t.Helper()
	fps := map[string]string{}
	for _, r := range log.Runs[0].Results {
		fp := r.PartialFingerprints["huntlint/v1"]
		if fp == "" {
			t.Errorf("result %s %q has no partial fingerprint", r.RuleID, r.Message.Text)
		}
		if old, dup := fps[fp]; dup {
			t.Errorf("results %q and %q share fingerprint %s", old, r.Message.Text, fp)
		}
		fps[fp] = r.RuleID + " " + r.Message.Text
	}
	return fps
}

// TestSARIFFingerprintsSurviveEdits: code scanning matches alerts across
// commits by partialFingerprints, so they must not change when lines are
// added above a finding, while the reported line does.
func TestSARIFFingerprintsSurviveEdits(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	rule := filepath.Join("rules", "encoded_powershell.yml")
	if err := os.MkdirAll("rules", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(rule, []byte(sarifRule), 0o644); err != nil {
		t.Fatal(err)
	}
	_, before := lintSARIF(t, rule)
	fpBefore := fingerprints(t, before)
	if len(fpBefore) < 3 {
		t.Fatalf("%d results, want at least 3 (revoked, duplicate, style): %v", len(fpBefore), fpBefore)
	}
	_, again := lintSARIF(t, rule)
	if fpAgain := fingerprints(t, again); !equalKeys(fpBefore, fpAgain) {
		t.Errorf("fingerprints differ between two runs:\n%v\n%v", fpBefore, fpAgain)
	}
	// Two lines added at the top of the file.
	if err := os.WriteFile(rule, []byte("# a comment\n# another\n"+sarifRule), 0o644); err != nil {
		t.Fatal(err)
	}
	_, moved := lintSARIF(t, rule)
	fpMoved := fingerprints(t, moved)
	if !equalKeys(fpBefore, fpMoved) {
		t.Errorf("fingerprints changed when lines were added above the findings:\n%v\n%v", fpBefore, fpMoved)
	}
	if l0, l1 := before.Runs[0].Results[0].Locations[0].PhysicalLocation.Region.StartLine,
		moved.Runs[0].Results[0].Locations[0].PhysicalLocation.Region.StartLine; l1 != l0+2 {
		t.Errorf("start line %d after adding two lines, want %d", l1, l0+2)
	}
	// An absolute path inside the working folder gives the same relative URI.
	abs, _ := filepath.Abs(rule)
	_, absLog := lintSARIF(t, abs)
	if !equalKeys(fpMoved, fingerprints(t, absLog)) {
		t.Error("fingerprints depend on how the path was given")
	}
	for _, r := range absLog.Runs[0].Results {
		loc := r.Locations[0].PhysicalLocation.ArtifactLocation
		if loc.URI != "rules/encoded_powershell.yml" || loc.URIBaseID != "%SRCROOT%" {
			t.Errorf("location %q base %q, want rules/encoded_powershell.yml relative to %%SRCROOT%%", loc.URI, loc.URIBaseID)
		}
	}
}

func equalKeys(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if _, ok := b[k]; !ok {
			return false
		}
	}
	return true
}

var fenceRE = regexp.MustCompile("(?s)```yaml\n.+?```")

// TestSARIFForCodeScanning lints the examples as the action does and checks
// what code scanning relies on: schema-valid SARIF 2.1.0, every result's
// rule in the driver with Markdown help (bad and good examples in fenced
// blocks) and a help URI, relative URIs under %SRCROOT%, 1-based regions.
func TestSARIFForCodeScanning(t *testing.T) {
	examples, err := filepath.Abs("../../examples")
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(filepath.Dir(examples))
	raw, log := lintSARIF(t, "examples")
	run := log.Runs[0]
	if run.ColumnKind != "unicodeCodePoints" {
		t.Errorf("columnKind %q: huntlint's columns count code points, and SARIF's default is UTF-16 code units", run.ColumnKind)
	}
	if len(run.Results) == 0 {
		t.Fatal("no results on the examples, which carry tag problems")
	}
	rules := map[string]bool{}
	for _, r := range run.Tool.Driver.Rules {
		rules[r.ID] = true
		if len(fenceRE.FindAllString(r.Help.Markdown, -1)) < 2 || r.Help.Text == "" {
			t.Errorf("rule %s: help markdown lacks bad and good examples in fenced blocks:\n%s", r.ID, r.Help.Markdown)
		}
		if !strings.HasPrefix(r.HelpURI, "https://") || !strings.HasSuffix(r.HelpURI, "#"+r.ID) {
			t.Errorf("rule %s: help URI %q", r.ID, r.HelpURI)
		}
	}
	var uris []string
	for _, r := range run.Results {
		if !rules[r.RuleID] {
			t.Errorf("result of rule %q, which the driver does not list", r.RuleID)
		}
		loc := r.Locations[0].PhysicalLocation
		uris = append(uris, loc.ArtifactLocation.URI)
		if loc.ArtifactLocation.URIBaseID != "%SRCROOT%" || strings.HasPrefix(loc.ArtifactLocation.URI, "/") || !strings.HasPrefix(loc.ArtifactLocation.URI, "examples/") {
			t.Errorf("location %q base %q, want a path under examples/ relative to %%SRCROOT%%", loc.ArtifactLocation.URI, loc.ArtifactLocation.URIBaseID)
		}
		if loc.Region.StartLine < 1 || loc.Region.StartColumn < 1 {
			t.Errorf("%s: region %+v is not 1-based", loc.ArtifactLocation.URI, loc.Region)
		}
	}
	sort.Strings(uris)
	for _, want := range []string{"examples/kql/", "examples/markdown/", "examples/sentinel/", "examples/sigma/"} {
		i := sort.SearchStrings(uris, want)
		if i == len(uris) || !strings.HasPrefix(uris[i], want) {
			t.Errorf("no result under %s; the examples cover every format", want)
		}
	}
	fingerprints(t, log)
	data, err := os.ReadFile(testshared.File(t, filepath.Join("schemas", "sarif-schema-2.1.0.json")))
	if err != nil {
		t.Fatal(err)
	}
	res, err := gojsonschema.Validate(gojsonschema.NewBytesLoader(data), gojsonschema.NewStringLoader(raw))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range res.Errors() {
		t.Errorf("official SARIF 2.1.0 schema: %s", e)
	}
}
