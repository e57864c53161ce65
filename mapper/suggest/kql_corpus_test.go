package suggest

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/huntlint/huntlint/internal/testshared"
	"github.com/huntlint/huntlint/rules"
)

// TestKQLTargets checks issue 20's targets on the Bert-JanP collection at
// the default cut-off, with the full ATT&CK bundle: held out (learned from
// SigmaHQ only) and under 5 folds (learning from SigmaHQ as well). Parent
// top-3 recall meets its target (0.65) in both; parent top-1 precision does
// not (target 0.70): the floors are just under the measured figures
// (docs/tag.md), so that a change that makes suggestions worse fails here.
func TestKQLTargets(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus evaluation")
	}
	sigma := loadTree(t, filepath.Join(testshared.Corpus(t, "sigmahq-2026-04-28"), "rules"))
	bert := loadTree(t, testshared.Corpus(t, "bertjan-hunting-queries-2026-04-13"))
	cat := catalog18(t)
	for _, c := range []struct {
		name            string
		opts            EvalOptions
		top1, top3, cov float64
	}{
		{"held out, learned from SigmaHQ", EvalOptions{Folds: 1, Train: sigma, MinScore: DefaultMinScore}, 0.58, 0.65, 0.75},
		{"5 folds, learning from SigmaHQ too", EvalOptions{Folds: 5, Train: sigma, MinScore: DefaultMinScore}, 0.61, 0.70, 0.82},
	} {
		m, err := Evaluate(cat, bert, c.opts)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d files, parent top1 %.3f parent top3 %.3f top1 %.3f top3 %.3f coverage %.3f", c.name, m.Files, m.ParentTop1Precision, m.ParentTop3Recall, m.Top1Precision, m.Top3Recall, m.Coverage)
		if m.Files < 115 {
			t.Errorf("%s: only %d tagged files evaluated; the loader lost queries or tags", c.name, m.Files)
		}
		if m.ParentTop1Precision < c.top1 || m.ParentTop3Recall < c.top3 || m.Coverage < c.cov {
			t.Errorf("%s: parent top1 %.3f, parent top3 %.3f, coverage %.3f fell below %.2f, %.2f, %.2f", c.name, m.ParentTop1Precision, m.ParentTop3Recall, m.Coverage, c.top1, c.top3, c.cov)
		}
	}
}

// namedRun is the held-out predictions of one evaluation setting.
type namedRun struct {
	name string
	run  *evalRun
}

// issue20Runs skips the test unless the variable env is set, and evaluates
// the settings of docs/tag.md on SigmaHQ's rules and the Bert-JanP
// collection: Bert-JanP held out (learned from SigmaHQ only), under 5 folds
// learning from SigmaHQ as well and alone, SigmaHQ alone under 5 folds, and
// both pooled under 5 folds.
// The catalog is the full ATT&CK bundle when env is "full", else the
// embedded one; tweak, when not nil, changes the parameters.
func issue20Runs(t *testing.T, env string, tweak func(*params)) []namedRun {
	t.Helper()
	mode := os.Getenv(env)
	if mode == "" {
		t.Skipf("set %s=1 (or =full, with the full ATT&CK bundle) to measure", env)
	}
	sigma := loadTree(t, filepath.Join(testshared.Corpus(t, "sigmahq-2026-04-28"), "rules"))
	bert := loadTree(t, testshared.Corpus(t, "bertjan-hunting-queries-2026-04-13"))
	cat := embedded(t)
	if mode == "full" {
		cat = catalog18(t)
	}
	var out []namedRun
	for _, c := range []struct {
		name string
		eval []*rules.Rule
		opts EvalOptions
	}{
		{"bertjan held out, learned from sigmahq", bert, EvalOptions{Folds: 1, Train: sigma}},
		{"bertjan 5-fold, with sigmahq", bert, EvalOptions{Folds: 5, Train: sigma}},
		{"bertjan 5-fold alone", bert, EvalOptions{Folds: 5}},
		{"sigmahq 5-fold alone", sigma, EvalOptions{Folds: 5}},
		{"sigmahq and bertjan together, 5-fold", append(append([]*rules.Rule(nil), sigma...), bert...), EvalOptions{Folds: 5}},
	} {
		s, err := New(cat, nil)
		if err != nil {
			t.Fatal(err)
		}
		if tweak != nil {
			tweak(&s.p)
		}
		run, err := s.evalRun(c.eval, c.opts)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, namedRun{c.name, run})
	}
	return out
}

// TestKQLFigures prints the cross-format figures of docs/tag.md, each
// source alone and combined, at the default cut-off and at 0
// (HUNTLINT_KQL_FIGURES=1; =full for the full ATT&CK bundle).
func TestKQLFigures(t *testing.T) {
	for _, r := range issue20Runs(t, "HUNTLINT_KQL_FIGURES", nil) {
		for _, x := range []float64{DefaultMinScore, 0} {
			m := r.run.figures(x)
			b, _ := json.Marshal(m)
			t.Logf("%s at %.2f: %s", r.name, x, b)
			var text bytes.Buffer
			_ = WriteMetricsText(&text, m)
			t.Logf("%s at %.2f:\n%s", r.name, x, text.String())
		}
	}
}

// TestKQLSameFormat measures neighbours of the query's own format weighted
// more (HUNTLINT_KQL_SAMEFORMAT=1): Bert-JanP under 5 folds, learning from
// SigmaHQ as well.
func TestKQLSameFormat(t *testing.T) {
	if os.Getenv("HUNTLINT_KQL_SAMEFORMAT") == "" {
		t.Skip("set HUNTLINT_KQL_SAMEFORMAT=1 to measure")
	}
	sigma := loadTree(t, filepath.Join(testshared.Corpus(t, "sigmahq-2026-04-28"), "rules"))
	bert := loadTree(t, testshared.Corpus(t, "bertjan-hunting-queries-2026-04-13"))
	for _, x := range []float64{1, 1.3, 1.6} {
		s, err := New(embedded(t), nil)
		if err != nil {
			t.Fatal(err)
		}
		s.p.sameFormat = x
		m, err := s.evaluate(bert, EvalOptions{Folds: 5, Train: sigma})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("same format x%.1f: top1 %.3f top3 %.3f parent top1 %.3f parent top3 %.3f; recall at 0.8 %.3f", x, m.Top1Precision, m.Top3Recall, m.ParentTop1Precision, m.ParentTop3Recall, m.AtPrecision.Recall)
	}
}

// TestCutSweep prints, for the settings of issue20Runs, the figures at
// several cut-offs from one run (HUNTLINT_CUT_SWEEP=1; =full for the full
// ATT&CK bundle; HUNTLINT_WEAKMAX sets the weak clues held below the
// cut-off, see params.weakMax), and those of the stricter reading in which
// every suggestion, not only a file's first, must clear the cut-off.
func TestCutSweep(t *testing.T) {
	weakMax := defaultParams.weakMax
	if v := os.Getenv("HUNTLINT_WEAKMAX"); v != "" {
		weakMax, _ = strconv.Atoi(v)
	}
	for _, r := range issue20Runs(t, "HUNTLINT_CUT_SWEEP", func(p *params) { p.weakMax = weakMax }) {
		for _, x := range []float64{0, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4} {
			m := r.run.figures(x)
			t.Logf("%s at %.2f: files %d ptop1 %.3f ptop3 %.3f top1 %.3f top3 %.3f cov %.3f", r.name, x, m.Files, m.ParentTop1Precision, m.ParentTop3Recall, m.Top1Precision, m.Top3Recall, m.Coverage)
		}
		var g, p [][]string
		for _, fl := range r.run.files {
			if len(fl.gold) == 0 {
				continue
			}
			var ids []string
			for _, sg := range fl.suggested {
				if sg.Score >= DefaultMinScore {
					ids = append(ids, sg.Technique)
				}
			}
			g, p = append(g, fl.gold), append(p, ids)
		}
		m := score(g, p, r.run.tacticsOf)
		t.Logf("%s, every suggestion cut at %.2f: ptop1 %.3f ptop3 %.3f cov %.3f", r.name, DefaultMinScore, m.ParentTop1Precision, m.ParentTop3Recall, m.Coverage)
	}
}
