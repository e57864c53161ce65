package sigmatest

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/bradleyjkemp/sigma-go"

	"github.com/huntlint/huntlint/internal/testshared"
	"github.com/huntlint/huntlint/rules"
)

const (
	corpusName     = "sigmahq-2026-04-28"
	regressionName = "sigmahq-regression-2026-04-28"
)

// corpusTree unpacks the SigmaHQ rules with their regression data beside
// the rule folders, as in SigmaHQ's repository: regression_data/ and
// tests/thor.yml.
func corpusTree(tb testing.TB) string {
	tb.Helper()
	dir := testshared.Corpus(tb, corpusName)
	reg := testshared.Corpus(tb, regressionName)
	src := filepath.Join(reg, regressionName)
	if err := os.Rename(filepath.Join(src, "regression_data"), filepath.Join(dir, "regression_data")); err != nil {
		tb.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "tests"), 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.Rename(filepath.Join(src, "thor.yml"), filepath.Join(dir, "tests", "thor.yml")); err != nil {
		tb.Fatal(err)
	}
	return dir
}

func loadTree(tb testing.TB, dir string) []*rules.Rule {
	tb.Helper()
	files, probs := rules.Discover([]string{dir}, rules.DiscoverOptions{})
	if len(probs) > 0 {
		tb.Fatalf("discover: %v", probs)
	}
	rs, _ := rules.LoadAll(files, 0)
	return rs
}

func TestCorpusRegression(t *testing.T) {
	dir := corpusTree(t)
	rs := loadTree(t, dir)
	for _, mapName := range []string{"built-in", "thor.yml"} {
		t.Run(mapName, func(t *testing.T) {
			m := DefaultMap()
			if mapName == "thor.yml" {
				var err error
				if m, err = LoadLogsourceMap(filepath.Join(dir, "tests", "thor.yml")); err != nil {
					t.Fatal(err)
				}
			}
			rep := Run(context.Background(), rs, Options{Map: m})
			s := rep.Summary
			t.Logf("%+v", s)
			if s.Rules < 160 {
				t.Fatalf("only %d rules with regression data", s.Rules)
			}
			for _, res := range rep.Results {
				rel := strings.TrimPrefix(res.Path, dir+string(filepath.Separator))
				switch {
				case res.Status == StatusPass:
				case res.NotEvaluable != "":
					t.Logf("not evaluable: %s: %s", rel, res.NotEvaluable)
				default:
					for _, tr := range res.Tests {
						t.Errorf("%s: %s: %s: %s %s", rel, res.Status, tr.Name, tr.Status, tr.Message)
					}
					if res.Message != "" {
						t.Errorf("%s: %s", rel, res.Message)
					}
				}
			}
		})
	}
}

// alterEvent changes the value of every field the detection names (and
// the event fields the logsource variants map them to), so that the rule
// must not match any more.
func alterEvent(c *Compiled, ev Event) Event {
	out := Event{}
	for k, v := range ev {
		out[k] = v
	}
	names := map[string]bool{}
	for _, f := range c.Fields {
		names[f] = true
		for _, v := range c.Variants {
			for _, t := range v.FieldMappings[f] {
				names[t] = true
			}
		}
	}
	for k := range out {
		short := k
		if i := strings.LastIndexByte(k, '.'); i >= 0 {
			short = k[i+1:]
		}
		if names[k] || names[short] {
			out[k] = "huntlint-altered-value"
		}
	}
	for n := range names {
		if _, ok := out[n]; !ok {
			out[n] = "huntlint-altered-value"
		}
	}
	return out
}

// TestCorpusAlteredEventsFail changes, in every test event of every rule
// that passes, the values of the fields its detection names: each such
// rule must then fail.
func TestCorpusAlteredEventsFail(t *testing.T) {
	dir := corpusTree(t)
	rs := loadTree(t, dir)
	m := DefaultMap()
	rep := Run(context.Background(), rs, Options{Map: m})
	n := 0
	for _, res := range rep.Results {
		if res.Status != StatusPass {
			continue
		}
		c, err := Compile(res.Rule, m)
		if err != nil {
			t.Fatalf("%s: %v", res.Path, err)
		}
		for _, tr := range res.Tests {
			data, err := os.ReadFile(tr.Events)
			if err != nil {
				t.Fatal(err)
			}
			evs, err := ParseEvents(data)
			if err != nil {
				t.Fatal(err)
			}
			for i := range evs {
				evs[i] = alterEvent(c, evs[i])
			}
			alt := TestResult{Name: tr.Name, Events: tr.Events, Expected: tr.Expected}
			evalEvents(context.Background(), c, evs, &alt)
			if alt.Status != StatusFail {
				t.Errorf("%s: with the fields %v altered, the test %q is %s (%s), want fail", res.Path, c.Fields, tr.Name, alt.Status, alt.Message)
			}
			n++
		}
	}
	t.Logf("%d tests of %d rules fail once their events are altered", n, rep.Summary.Passed)
	if n < 160 {
		t.Fatalf("only %d altered tests", n)
	}
}

// TestCorpusCompile compiles every Sigma detection rule of SigmaHQ's rules*
// folders: each one compiles or is not evaluable with a reason, and the
// valid rules whose conditions sigma-go v0.6.6 rejects (search-name
// patterns with digits) compile through huntlint's condition parser.
func TestCorpusCompile(t *testing.T) {
	dir := testshared.Corpus(t, corpusName)
	rs := loadTree(t, dir)
	m := DefaultMap()
	reasons := map[string]int{}
	var compiled, notEvaluable, fallback, sgRejected int
	for _, r := range rs {
		rel := strings.TrimPrefix(r.Path, dir+string(filepath.Separator))
		if r.Format != rules.FormatSigma || r.Kind != rules.KindDetection || !strings.HasPrefix(rel, "rules") {
			continue
		}
		var sr sigma.Rule // what sigma-go's own decoder makes of the rule
		sgErr := r.Doc.Content[0].Decode(&sr)
		rejected := sgErr != nil && strings.Contains(sgErr.Error(), "invalid token '*'")
		if rejected {
			sgRejected++
		}
		c, err := Compile(r, m)
		if err != nil {
			var ne *NotEvaluable
			if !errors.As(err, &ne) || ne.Reason == "" {
				t.Errorf("%s: %v", rel, err)
				continue
			}
			if strings.Contains(ne.Reason, "does not parse") {
				t.Errorf("%s: %v", rel, err)
			}
			notEvaluable++
			reasons[reasonKind(ne.Reason)]++
			if rejected {
				t.Logf("sigma-go rejects %s; not evaluable for another reason: %s", rel, ne.Reason)
			}
			continue
		}
		compiled++
		if rejected {
			fallback++
			if !strings.Contains(strings.Join(c.Equivalents, "\n"), "parsed by huntlint") {
				t.Errorf("%s: sigma-go rejects it (%v) but no equivalent is named", rel, sgErr)
			}
		}
	}
	keys := make([]string, 0, len(reasons))
	for k := range reasons {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.Logf("not evaluable: %4d %s", reasons[k], k)
	}
	t.Logf("%d compiled (%d of the %d sigma-go v0.6.6 rejects through huntlint's condition parser), %d not evaluable", compiled, fallback, sgRejected, notEvaluable)
	if sgRejected != 12 || fallback != 12 {
		t.Errorf("sigma-go rejects %d rules (want SigmaHQ's 12), %d compile through the condition parser", sgRejected, fallback)
	}
}

// reasonKind groups not-evaluable reasons for the log.
func reasonKind(r string) string {
	switch {
	case strings.Contains(r, "keyword list"):
		return "keyword list"
	case strings.Contains(r, "aggregates events"):
		return "aggregation"
	case strings.Contains(r, "RE2"):
		return "regular expression Go's RE2 lacks"
	case strings.Contains(r, "expand modifier"):
		return "expand (placeholders)"
	case strings.Contains(r, "modifier is not supported"):
		i := strings.Index(r, "the ")
		return "modifier " + strings.Fields(r[i+4:])[0]
	}
	return r
}
