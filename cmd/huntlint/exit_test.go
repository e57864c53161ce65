package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestStreamFailureIsExitIO: a standard output that refuses writes and a
// standard input that cannot be read are I/O failures (exit 3), not usage
// errors, whichever command meets them.
func TestStreamFailureIsExitIO(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "out")
	if err := os.WriteFile(name, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	readOnly, err := os.Open(name) // writes fail: the file is open for reading
	if err != nil {
		t.Fatal(err)
	}
	defer readOnly.Close()
	rules := filepath.Join(dir, "rules") // migrate may rewrite what it reads
	if err := os.CopyFS(rules, os.DirFS("../../testdata/rules/migrate-mini")); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"checks"},
		{"checks", "--format", "json"},
		{"inspect", "--offline", cleanRule},
		{"lint", "--offline", cleanRule},
		{"layer", "--offline", cleanRule},
		{"completion", "bash"},
		{"migrate", "--from", "embedded", "--to", "embedded", "--format", "json", rules},
	} {
		var errb bytes.Buffer
		code := run(args, strings.NewReader(""), readOnly, &errb)
		if code != ExitIO || !strings.Contains(errb.String(), "bad file descriptor") {
			t.Errorf("%v with an unwritable standard output: exit %d, stderr %q; want exit %d naming the failure", args, code, errb.String(), ExitIO)
		}
	}

	folder, err := os.Open(dir) // reads fail: a folder is no stream
	if err != nil {
		t.Fatal(err)
	}
	defer folder.Close()
	var out, errb bytes.Buffer
	code := run([]string{"lint", "--offline", "-"}, folder, &out, &errb)
	if code != ExitIO || !strings.Contains(errb.String(), "read file names from standard input") {
		t.Errorf("lint - with an unreadable standard input: exit %d, stderr %q; want exit %d", code, errb.String(), ExitIO)
	}
}
