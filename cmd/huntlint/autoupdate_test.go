package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/huntlint/huntlint/mapper"
)

const autoRule = `title: Encoded PowerShell
id: 5b0e2a51-8f1c-4d2e-9a47-3c6f0d1e2b7a
status: test
description: Detects PowerShell started with an encoded command
author: huntlint tests
date: 2026-01-15
tags:
    - attack.execution
    - attack.t1059.001
logsource:
    product: windows
    category: process_creation
detection:
    selection:
        CommandLine|contains: ' -enc '
    condition: selection
level: high
`

// autoUpdateFrom points auto-update at srv's path for the test.
func autoUpdateFrom(t *testing.T, url string) {
	t.Helper()
	oldURLs, oldTimeout := autoUpdateURLs, autoUpdateTimeout
	autoUpdateURLs, autoUpdateTimeout = []string{url}, 200*time.Millisecond
	t.Cleanup(func() { autoUpdateURLs, autoUpdateTimeout = oldURLs, oldTimeout })
}

func writeRule(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "rule.yml")
	if err := os.WriteFile(p, []byte(autoRule), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestAutoUpdateFromEnvironment: HUNTLINT_CATALOG_AUTO_UPDATE refreshes
// the cache of any command that opens the catalog when it is older, says
// so at --log-level debug, then leaves a fresh cache alone.
func TestAutoUpdateFromEnvironment(t *testing.T) {
	cache := testCache(t)
	srv, hits := localMITRE(t)
	autoUpdateFrom(t, srv.URL+"/enterprise-attack.json")
	t.Setenv(autoUpdateEnv, "7d")
	rule := writeRule(t)
	code, out, errOut := runCLI(t, "lint", "--log-level", "debug", rule)
	if code != ExitOK || hits.Load() != 1 {
		t.Fatalf("exit %d, %d requests\n%s%s", code, hits.Load(), out, errOut)
	}
	for _, want := range []string{
		"auto-update: no cache; the embedded catalog 18.1 is ",
		" old, older than 7d; refreshing from " + srv.URL + "/enterprise-attack.json",
		"auto-update: stored enterprise-attack 19.0 in " + mapper.CachePath(cache, mapper.Enterprise) + " (none before)",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	// Fresh now: no request, from another command.
	code, out, errOut = runCLI(t, "version", "--log-level", "debug")
	if code != ExitOK || hits.Load() != 1 || !strings.Contains(errOut, "auto-update: cache less than an hour old, within 7d; not refreshing") ||
		!strings.Contains(out, "enterprise-attack 19.0 (cache") {
		t.Errorf("fresh: exit %d, %d requests\n%s%s", code, hits.Load(), out, errOut)
	}
	// The cache 12 days old: refreshed.
	then := time.Now().Add(-12*24*time.Hour - time.Hour)
	os.Chtimes(mapper.CachePath(cache, mapper.Enterprise), then, then)
	_, _, errOut = runCLI(t, "catalog", "info", "--log-level", "debug")
	if hits.Load() != 2 || !strings.Contains(errOut, "auto-update: cache 12 days old, older than 7d; refreshing from "+srv.URL) {
		t.Errorf("12 days: %d requests\n%s", hits.Load(), errOut)
	}
	// Never with --offline or --catalog; off with "off".
	os.Chtimes(mapper.CachePath(cache, mapper.Enterprise), then, then)
	runCLI(t, "lint", "--offline", rule)
	runCLI(t, "lint", "--catalog", mini18Path, "--catalog-release", "18.1", rule)
	t.Setenv(autoUpdateEnv, "off")
	runCLI(t, "lint", rule)
	if hits.Load() != 2 {
		t.Errorf("%d requests with --offline, --catalog or off", hits.Load())
	}
}

// TestAutoUpdateFallsBackInLint: a server that fails leaves lint to run on
// the cache, logging why.
func TestAutoUpdateFallsBackInLint(t *testing.T) {
	testCache(t)
	srv, _ := localMITRE(t)
	autoUpdateFrom(t, srv.URL+"/error")
	t.Setenv(autoUpdateEnv, "36h")
	code, out, errOut := runCLI(t, "lint", "--log-level", "debug", writeRule(t))
	if code != ExitOK || !strings.Contains(out, "0 errors") {
		t.Errorf("exit %d\n%s%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "auto-update: refresh failed (download "+srv.URL+"/error: HTTP 500 Internal Server Error; the cache is unchanged); using the embedded catalog 18.1") {
		t.Errorf("stderr:\n%s", errOut)
	}
}

// TestAutoUpdateFromConfig: the configuration's catalog { auto_update }
// applies to lint; the environment overrides it.
func TestAutoUpdateFromConfig(t *testing.T) {
	testCache(t)
	srv, hits := localMITRE(t)
	autoUpdateFrom(t, srv.URL+"/enterprise-attack.json")
	cfg := filepath.Join(t.TempDir(), ".huntlint.hcl")
	os.WriteFile(cfg, []byte("catalog {\n  auto_update = \"7d\"\n}\n"), 0o644)
	rule := writeRule(t)
	t.Setenv(autoUpdateEnv, "off")
	runCLI(t, "lint", "--config", cfg, rule)
	if hits.Load() != 0 {
		t.Errorf("HUNTLINT_CATALOG_AUTO_UPDATE=off: %d requests", hits.Load())
	}
	t.Setenv(autoUpdateEnv, "")
	code, out, errOut := runCLI(t, "lint", "--config", cfg, rule)
	if code != ExitOK || hits.Load() != 1 {
		t.Errorf("config: exit %d, %d requests\n%s%s", code, hits.Load(), out, errOut)
	}
}

func TestAutoUpdateBadEnvironment(t *testing.T) {
	testCache(t)
	t.Setenv(autoUpdateEnv, "weekly")
	code, out, errOut := runCLI(t, "lint", writeRule(t))
	if code != ExitUsage || out != "" || errOut != "huntlint: invalid HUNTLINT_CATALOG_AUTO_UPDATE=\"weekly\": use a positive number of days (\"7d\") or hours (\"36h\"), or off\n" {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}
