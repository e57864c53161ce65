package linter

import (
	"github.com/huntlint/huntlint/internal/golden"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/huntlint/huntlint/internal/linttest"
	"github.com/huntlint/huntlint/mapper"
)

// Golden tests for checks, one convention for every check: testdata/<check-id>/
// holds input files named bad* or good* (Sigma .yml, Sentinel .yaml, .kql,
// .md; a cross-file case is one multi-document file) and may hold a
// .huntlint.hcl. Each input is linted on its own with every check (so that
// suppressions and fixes meet the others). A bad* input must produce at least
// one finding of the check, and the file beside it with .out for its
// extension lists those findings, one per line as FormatFinding prints them,
// paths relative to the folder. A good* input must produce none and has no
// .out file. The tree testdata/ok/ must produce no finding of any check.
// Regenerate with
//
//	go test ./linter/ -run TestGolden -update
//
// and read every changed line before committing. TestGolden covers every
// check of the registry: adding a check means adding its folder only.

var update = golden.Update

// testCatalog is the catalog the tests lint against (linttest.Catalog).
func testCatalog(tb testing.TB) *mapper.Catalog { return linttest.Catalog(tb) }

// testDay is the day the tests judge the catalog's age by (linttest.Day).
var testDay = linttest.Day

// goldenInputs lists the input files of a golden folder.
func goldenInputs(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || strings.HasSuffix(p, ".out") || strings.HasSuffix(p, ".fixed") || strings.HasSuffix(p, ".hcl") {
			return nil
		}
		files = append(files, p)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	return files
}

// formatGolden formats findings for a golden file, paths relative to dir
// (also paths of other files that messages name).
func formatGolden(dir string, fs []Finding) string {
	var b strings.Builder
	prefix := filepath.Clean(dir) + string(filepath.Separator)
	for _, f := range fs {
		if rel, err := filepath.Rel(dir, f.Path); err == nil {
			f.Path = filepath.ToSlash(rel)
		}
		f.Message = strings.ReplaceAll(f.Message, prefix, "")
		b.WriteString(FormatFinding(f))
		b.WriteByte('\n')
	}
	return b.String()
}

// goldenConfig returns the configuration of a golden folder: its
// .huntlint.hcl when present, else defaults.
func goldenConfig(t *testing.T, dir string) *Config {
	t.Helper()
	p := filepath.Join(dir, ConfigFileName)
	if _, err := os.Stat(p); err != nil {
		return &Config{}
	}
	cfg, err := LoadConfig(p, CheckIDs(Registry()))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// runGolden lints each input of testdata/<id>/ alone with every check and
// compares the findings of check id with the convention above. Inputs need
// distinct names without extension (bad.yml, bad_sentinel.yaml, bad_kql.kql).
func runGolden(t *testing.T, id string) {
	t.Helper()
	dir := filepath.Join("testdata", id)
	inputs := goldenInputs(t, dir)
	if len(inputs) == 0 {
		t.Fatalf("%s has no golden inputs: add bad and good examples", dir)
	}
	cat := testCatalog(t)
	cfg := goldenConfig(t, dir)
	if len(cfg.Catalog.Paths) > 0 {
		// the folder names its own catalog bundle, beside the embedded data
		var err error
		if cat, err = mapper.Open(mapper.Options{Paths: cfg.Catalog.Paths, Offline: true}); err != nil {
			t.Fatal(err)
		}
	}
	sawBad := false
	stems := map[string]string{}
	for _, in := range inputs {
		stem := strings.TrimSuffix(in, filepath.Ext(in))
		if other, dup := stems[stem]; dup {
			t.Fatalf("%s and %s would share %s.out: rename one", other, in, stem)
		}
		stems[stem] = in
		all, err := RunFiles([]string{in}, cat, cfg)
		if err != nil {
			t.Fatal(err)
		}
		var fs []Finding
		for _, f := range all {
			if f.Check != id {
				continue
			}
			fs = append(fs, f)
			if f.Span.Start.Line < 1 || f.Span.Start.Column < 1 || f.Span.End.Line < f.Span.Start.Line {
				t.Errorf("finding without a proper position: %s", FormatFinding(f))
			}
		}
		switch base := filepath.Base(in); {
		case strings.HasPrefix(base, "bad"):
			sawBad = true
			if len(fs) == 0 {
				t.Errorf("%s: no %s finding, want at least one", in, id)
			}
			golden.File(t, stem+".out", []byte(formatGolden(dir, fs)))
		case strings.HasPrefix(base, "good"):
			if len(fs) > 0 {
				t.Errorf("%s: want no finding, got:\n%s", in, formatGolden(dir, fs))
			}
			if _, err := os.Stat(stem + ".out"); err == nil {
				t.Errorf("%s.out: a good input has no golden file; remove it", stem)
			}
		default:
			t.Errorf("%s: name golden inputs bad* (they produce findings) or good* (they produce none)", in)
		}
	}
	if !sawBad {
		t.Errorf("%s has no bad* input", dir)
	}
	outs, _ := filepath.Glob(filepath.Join(dir, "*.out"))
	for _, o := range outs {
		if _, ok := stems[strings.TrimSuffix(o, ".out")]; !ok {
			t.Errorf("%s belongs to no input; remove it", o)
		}
	}
}

// TestGolden runs the golden files of every registered check but those
// whose findings come from discovery only (load-missing, see
// TestDocExamples and the cmd tests).
func TestGolden(t *testing.T) {
	for _, c := range Registry() {
		d := c.Doc()
		if discoveryOnly[d.ID] {
			continue
		}
		t.Run(d.ID, func(t *testing.T) { runGolden(t, d.ID) })
	}
}

// TestGoldenOK lints testdata/ok with every check: it must be clean.
func TestGoldenOK(t *testing.T) {
	cat := testCatalog(t)
	fs, err := RunFiles(goldenInputs(t, filepath.Join("testdata", "ok")), cat, &Config{})
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) > 0 {
		t.Errorf("testdata/ok must lint clean, got:\n%s", formatGolden("testdata", fs))
	}
}
