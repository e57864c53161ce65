package linter

import (
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/huntlint/huntlint/mapper"
	"github.com/huntlint/huntlint/rules"
)

// panicky is a check that fails on every rule.
type panicky struct{}

func (panicky) Doc() *Doc        { return &Doc{ID: "test-panic", Category: "meta", Severity: SeverityError} }
func (panicky) Run(ctx *Context) { panic("boom") }

// TestRunnerRecoversPanics: a failing check becomes a finding naming the
// file, and the other files are still linted.
func TestRunnerRecoversPanics(t *testing.T) {
	files := []string{
		filepath.Join("testdata", "attack-revoked", "bad.yml"),
		filepath.Join("testdata", "attack-revoked", "good.yml"),
	}
	res, err := Run(files, Options{Catalog: testCatalog(t), Config: &Config{}, Checks: []Check{loadError{}, panicky{}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 2 {
		t.Fatalf("findings: %s", formatGolden("", res.Findings))
	}
	for i, f := range res.Findings {
		want := files[i] + ":1:1: error [load-error] internal error while linting this file: boom; please report it"
		if got := FormatFinding(f); got != want || f.Span.End != f.Span.Start {
			t.Errorf("finding %d: %s (span %v), want %s", i, got, f.Span, want)
		}
	}
}

// formatProbe reports every rule it is run on, and every rule its RunSet is
// given, for the formats in its Doc.
type formatProbe struct{ formats []rules.Format }

func (p formatProbe) Doc() *Doc {
	return &Doc{ID: "test-formats", Category: "meta", Severity: SeverityInfo, Formats: p.formats}
}

func (formatProbe) Run(ctx *Context) {
	ctx.Reportf(rules.Span{}, nil, "run on %s", ctx.Rule.Format)
}

func (formatProbe) RunSet(rs []*setRule, _ *mapper.Catalog, _ *Config, report SetReport) {
	for _, r := range rs {
		report.Reportf(r, rules.Span{}, nil, "set has %s", r.Format)
	}
}

// TestRunnerFiltersByFormats: Doc.Formats decides which rules a check runs
// on and which its RunSet sees; no Formats means every rule.
func TestRunnerFiltersByFormats(t *testing.T) {
	files := []string{
		filepath.Join("testdata", "attack-tag-style", "bad.yml"),
		filepath.Join("testdata", "attack-tag-style", "bad_sentinel.yaml"),
		filepath.Join("testdata", "kql-syntax-error", "bad_kql.kql"),
	}
	for _, c := range []struct {
		formats []rules.Format
		want    []string
	}{
		{nil, []string{"run on sigma", "set has sigma", "run on sentinel", "set has sentinel", "run on kql", "set has kql"}},
		{[]rules.Format{rules.FormatSentinel}, []string{"run on sentinel", "set has sentinel"}},
		{[]rules.Format{rules.FormatSigma, rules.FormatKQL}, []string{"run on sigma", "set has sigma", "run on kql", "set has kql"}},
	} {
		res, err := Run(files, Options{Config: &Config{}, Checks: []Check{formatProbe{c.formats}}})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range res.Findings {
			got = append(got, f.Message)
		}
		sort.Strings(got)
		want := append([]string(nil), c.want...)
		sort.Strings(want)
		if strings.Join(got, "; ") != strings.Join(want, "; ") {
			t.Errorf("Formats %v: got %q, want %q", c.formats, got, want)
		}
	}
}
