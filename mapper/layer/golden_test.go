package layer

import (
	"bytes"
	"github.com/huntlint/huntlint/internal/golden"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/huntlint/huntlint/rules"
)

// fixtureRules is the rule tree the layer goldens are built from, shared
// with cmd/huntlint's layer tests.
const fixtureRules = "../../testdata/rules/layer"

// loadFixtures loads every rule under fixtureRules, in path order, with
// slash paths relative to it.
func loadFixtures(t *testing.T) []*rules.Rule {
	t.Helper()
	var files []string
	err := filepath.WalkDir(fixtureRules, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	var out []*rules.Rule
	for _, f := range files {
		rs, probs := rules.Load(f)
		for _, p := range probs {
			t.Errorf("%s:%d: %s", p.Path, p.Line, p.Message)
		}
		for _, r := range rs {
			r.Path = strings.TrimPrefix(filepath.ToSlash(r.Path), fixtureRules+"/")
		}
		out = append(out, rs...)
	}
	return out
}

var goldenDate = time.Date(2026, 4, 28, 12, 0, 0, 0, time.UTC)

func goldenOptions() WriteOptions {
	return WriteOptions{Generator: "huntlint test", Date: goldenDate, Inputs: []string{"testdata/rules/layer"}}
}

// checkGolden compares got with testdata/golden/name, or rewrites it with -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden.File(t, filepath.Join("testdata", "golden", name), got)
}

func TestGolden(t *testing.T) {
	cat := testCatalog(t)
	rs := loadFixtures(t)
	for _, tc := range []struct {
		name string
		opts Options
		wo   func(*WriteOptions)
		fmts []OutputFormat
	}{
		{"coverage", Options{}, nil, OutputFormats},
		{"level-rollup", Options{Score: ScoreLevel, Rollup: true, StatusWeights: map[string]float64{"stable": 1, "test": 0.75, "experimental": 0.5}},
			func(o *WriteOptions) {
				o.LinkBase = "https://github.com/example/detections/blob/main/"
				o.MinColor, o.MaxColor = "#ffe766", "#8ec843"
			}, []OutputFormat{FormatNavigator, FormatCSV, FormatMarkdown}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cov, err := Aggregate(cat, rs, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			o := goldenOptions()
			if tc.wo != nil {
				tc.wo(&o)
			}
			for _, f := range tc.fmts {
				var buf bytes.Buffer
				if err := Write(&buf, f, cov, o); err != nil {
					t.Fatalf("%s: %v", f, err)
				}
				checkGolden(t, tc.name+"."+ext(f), buf.Bytes())
			}
		})
	}
}

func ext(f OutputFormat) string {
	switch f {
	case FormatNavigator:
		return "json"
	case FormatMarkdown:
		return "md"
	}
	return string(f)
}
