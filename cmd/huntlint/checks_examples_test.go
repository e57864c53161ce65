package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/huntlint/huntlint/linter"
)

// TestChecksExamplesCLI runs every check's documented example command
// (docs/checks.md, huntlint checks) through the CLI, in a folder that holds
// only the Bad example, and compares what it prints with the recorded
// output: the documentation shows what huntlint really prints. An example
// that needs the v19 catalog gets the v19-style fixture bundle under the
// name its command gives.
func TestChecksExamplesCLI(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("HUNTLINT_OFFLINE", "1")
	mini19, err := filepath.Abs(filepath.Join("..", "..", "testdata", "attack", "mini-19.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range linter.Registry() {
		d := c.Doc()
		t.Run(d.ID, func(t *testing.T) {
			t.Chdir(t.TempDir())
			args := strings.Fields(d.ExampleCommand())
			if args[0] != "huntlint" {
				t.Fatalf("example command %q does not run huntlint", d.ExampleCommand())
			}
			if !strings.HasPrefix(d.Bad, "huntlint ") {
				if err := os.WriteFile(d.ExampleName(), []byte(d.Bad), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			for i, a := range args {
				if a == "--catalog" && i+1 < len(args) {
					b, err := os.ReadFile(mini19)
					if err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(args[i+1], b, 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
			code, out, errOut := runIn(t, "", args[1:]...)
			if out != d.BadOutput() {
				t.Errorf("$ %s (exit %d)\n%s%s--- recorded in docs/checks.md\n%s", d.ExampleCommand(), code, out, errOut, d.BadOutput())
			}
			if code == ExitOK && d.Severity == linter.SeverityError {
				t.Errorf("$ %s: exit 0 for an error", d.ExampleCommand())
			}
		})
	}
}
