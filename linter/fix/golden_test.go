package fix

import (
	"bytes"
	"fmt"
	"github.com/huntlint/huntlint/internal/golden"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/huntlint/huntlint/internal/linttest"
	"github.com/huntlint/huntlint/linter"
)

// Fix golden tests. Each input of testdata/in/ (Sigma block, flow,
// quoted, commented, CRLF+BOM lists; Sentinel YAML; .kql; Markdown) is
// fixed through the real ATT&CK checks (inputs named all-* through every
// check), once with safe fixes and once with
// unsafe ones too. testdata/golden/X.fixed is the expected text after
// the safe fixes, X.unsafe.fixed after the unsafe ones (only when it differs),
// and summary.golden the summary per file. The --diff output of each run
// must apply with patch and git apply and give the same text, and a second
// run must change nothing. Regenerate with
//
//	go test ./linter/fix -run TestFixGolden -update
//
// and read every changed line before committing.
func TestFixGolden(t *testing.T) {
	cat := linttest.Catalog(t)
	inDir := filepath.Join("testdata", "in")
	goldDir := filepath.Join("testdata", "golden")
	ents, err := os.ReadDir(inDir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		if !e.IsDir() {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	var summary strings.Builder
	for _, name := range names {
		src, err := os.ReadFile(filepath.Join(inDir, name))
		if err != nil {
			t.Fatal(err)
		}
		var safeOut []byte
		for _, unsafe := range []bool{false, true} {
			dir := t.TempDir()
			p := filepath.Join(dir, name)
			if err := os.WriteFile(p, src, 0o644); err != nil {
				t.Fatal(err)
			}
			opts := linter.Options{Catalog: cat, Config: &linter.Config{}, Select: []string{"attack"}}
			if strings.HasPrefix(name, "all-") {
				opts.Select = nil
			}
			fix := func(diff *bytes.Buffer) Summary {
				res, err := linter.Run([]string{p}, opts)
				if err != nil {
					t.Fatal(err)
				}
				fo := Options{Unsafe: unsafe, Relint: Relinter(opts)}
				if diff != nil {
					fo.Diff = diff
				}
				sum, err := Apply(res.Findings, fo)
				if err != nil {
					t.Fatal(err)
				}
				return sum
			}
			var diff bytes.Buffer
			fix(&diff)
			sum := fix(nil)
			got, _ := os.ReadFile(p)
			mode := "safe"
			if unsafe {
				mode = "unsafe"
			}
			fmt.Fprintf(&summary, "== %s (%s)\n", name, mode)
			var text bytes.Buffer
			_ = sum.WriteText(&text, false)
			for _, e := range sum.Errors {
				t.Errorf("%s: %v", name, e)
			}
			summary.Write(text.Bytes())
			if !unsafe {
				safeOut = got
				golden.File(t, filepath.Join(goldDir, name+".fixed"), got)
			} else {
				gp := filepath.Join(goldDir, name+".unsafe.fixed")
				if bytes.Equal(got, safeOut) {
					if _, err := os.Stat(gp); err == nil {
						if *golden.Update {
							os.Remove(gp)
						} else {
							t.Errorf("%s: unsafe fixes change nothing more, but %s exists", name, gp)
						}
					}
				} else {
					golden.File(t, gp, got)
				}
			}
			if len(sum.Files) > 0 {
				checkPatch(t, dir, p, string(src), diff.String(), string(got))
				if err := os.WriteFile(p, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			// A second run is a no-op.
			if again := fix(nil); len(again.Files) != 0 {
				t.Errorf("%s (%s): second run changed the file", name, mode)
			}
		}
	}
	golden.File(t, filepath.Join(goldDir, "summary.golden"), []byte(summary.String()))
}
