package suggest

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/huntlint/huntlint/internal/testshared"
	"github.com/huntlint/huntlint/mapper"
	"github.com/huntlint/huntlint/rules"
)

// loadTree loads every rule file under dir.
func loadTree(tb testing.TB, dir string) []*rules.Rule {
	tb.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch strings.ToLower(filepath.Ext(p)) {
		case ".yml", ".yaml", ".kql", ".md", ".txt":
			if !d.IsDir() {
				files = append(files, p)
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	rs, _ := rules.LoadAll(files, 0)
	return rs
}

// catalog18 loads the full ATT&CK 18.1 enterprise bundle from ../shared.
func catalog18(tb testing.TB) *mapper.Catalog {
	tb.Helper()
	cat, err := mapper.LoadFile(testshared.File(tb, "attack/enterprise-attack-18.1.json.gz"), "")
	if err != nil {
		tb.Fatal(err)
	}
	return cat
}

func TestSigmaHQEvaluation(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus evaluation")
	}
	dir := testshared.Corpus(t, "sigmahq-2026-04-28")
	rs := loadTree(t, filepath.Join(dir, "rules"))
	cat := catalog18(t)
	s, err := New(cat, nil)
	if err != nil {
		t.Fatal(err)
	}
	run, err := s.evalRun(rs, EvalOptions{Folds: 5})
	if err != nil {
		t.Fatal(err)
	}
	m := run.figures(DefaultMinScore)
	b, _ := json.MarshalIndent(m, "", "  ")
	t.Logf("%d rules loaded\n%s", len(rs), b)
	all := run.figures(0)
	t.Logf("every file suggested for (cut-off 0): top1 %.3f top3 %.3f parent top1 %.3f parent top3 %.3f", all.Top1Precision, all.Top3Recall, all.ParentTop1Precision, all.ParentTop3Recall)
	// Issue 20's targets at the default cut-off (parent top-1 precision
	// 0.75 with parent top-3 recall 0.80, docs/tag.md), and floors just
	// under the other measured figures, so that a change that makes
	// suggestions worse fails here.
	for _, c := range []struct {
		name       string
		got, floor float64
	}{
		{"parent_top1_precision", m.ParentTop1Precision, 0.75},
		{"parent_top3_recall", m.ParentTop3Recall, 0.80},
		{"top1_precision", m.Top1Precision, 0.69},
		{"top3_recall", m.Top3Recall, 0.73},
		{"coverage", m.Coverage, 0.89},
		{"parent_top1_precision at cut-off 0", all.ParentTop1Precision, 0.70},
		{"parent_top3_recall at cut-off 0", all.ParentTop3Recall, 0.84},
	} {
		if c.got < c.floor {
			t.Errorf("%s %.3f fell below %.2f", c.name, c.got, c.floor)
		}
	}
	if m.Rules < 2700 || m.Files < 2700 {
		t.Errorf("only %d tagged rules (%d files) evaluated; the loader lost rules or tags", m.Rules, m.Files)
	}
	// The embedded catalog has no texts: the other signals alone.
	emb, err := Evaluate(embedded(t), rs, EvalOptions{Folds: 5, MinScore: DefaultMinScore})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("embedded catalog: top1 %.3f top3 %.3f parent top1 %.3f parent top3 %.3f coverage %.3f", emb.Top1Precision, emb.Top3Recall, emb.ParentTop1Precision, emb.ParentTop3Recall, emb.Coverage)
	if emb.Top1Precision < embFloor[0] || emb.Top3Recall < embFloor[1] || emb.ParentTop1Precision < embFloor[2] || emb.ParentTop3Recall < embFloor[3] {
		t.Errorf("embedded catalog: top1 %.3f top3 %.3f parent top1 %.3f parent top3 %.3f fell below %v", emb.Top1Precision, emb.Top3Recall, emb.ParentTop1Precision, emb.ParentTop3Recall, embFloor)
	}
	// Knowing the tactics each rule names (rules tagged with tactics only).
	m, err = Evaluate(cat, rs, EvalOptions{Folds: 5, KeepTactics: true, MinScore: DefaultMinScore})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("knowing the tactics: top1 %.3f top3 %.3f parent top1 %.3f parent top3 %.3f coverage %.3f", m.Top1Precision, m.Top3Recall, m.ParentTop1Precision, m.ParentTop3Recall, m.Coverage)
	if m.Top3Recall < tacFloor[0] || m.ParentTop1Precision < tacFloor[1] || m.ParentTop3Recall < tacFloor[2] {
		t.Errorf("knowing the tactics: top3 %.3f parent top1 %.3f parent top3 %.3f fell below %v", m.Top3Recall, m.ParentTop1Precision, m.ParentTop3Recall, tacFloor)
	}
}

// Floors just under the measured figures at the default cut-off
// (docs/tag.md): the embedded catalog (top1, top3, parent top1, parent
// top3) and knowing the tactics (top3, parent top1, parent top3).
var (
	embFloor = [4]float64{0.68, 0.70, 0.74, 0.77}
	tacFloor = [3]float64{0.72, 0.87, 0.78}
)

func TestCrossFormatEvaluation(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus evaluation")
	}
	sigma := loadTree(t, filepath.Join(testshared.Corpus(t, "sigmahq-2026-04-28"), "rules"))
	m365 := loadTree(t, testshared.Corpus(t, "m365-defender-hunting-queries"))
	m, err := Evaluate(catalog18(t), m365, EvalOptions{Folds: 1, Train: sigma})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.MarshalIndent(m, "", "  ")
	t.Logf("trained on SigmaHQ, evaluated on m365-defender-hunting-queries:\n%s", b)
	if m.TacticRules < 200 || m.TacticTop3Recall < 0.6 {
		t.Errorf("tactic level: %d rules, recall %.3f; want at least 200 rules and 0.6", m.TacticRules, m.TacticTop3Recall)
	}
	m, err = Evaluate(catalog18(t), m365, EvalOptions{Folds: 1, Train: sigma, KeepTactics: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("the same, knowing the tactics each query names: top1 %.3f top3 %.3f parent top1 %.3f parent top3 %.3f coverage %.3f",
		m.Top1Precision, m.Top3Recall, m.ParentTop1Precision, m.ParentTop3Recall, m.Coverage)
}

// TestTune prints the figures of parameter variants (HUNTLINT_TUNE=1).
func TestTune(t *testing.T) {
	if os.Getenv("HUNTLINT_TUNE") == "" {
		t.Skip("set HUNTLINT_TUNE=1 to measure parameter variants")
	}
	dir := testshared.Corpus(t, "sigmahq-2026-04-28")
	rs := loadTree(t, filepath.Join(dir, "rules"))
	s, err := New(catalog18(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	variants := map[string]params{}
	only := defaultParams
	only.wKB, only.wName, only.wKBFull, only.wNameFull, only.calibrate = 0, 0, 0, 0, false
	variants["knn+linear"] = only
	only.learner, only.mix = "", 0
	variants["knn"] = only
	for _, l := range []string{"centroid", "bayes", "linear"} {
		p := only
		p.learner, p.mix = l, 1
		variants[l] = p
	}
	for _, keep := range []bool{false} {
		for _, name := range sortedKeys(variants) {
			s.p = variants[name]
			m, err := s.evaluate(rs, EvalOptions{Folds: 5, KeepTactics: keep})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%-12s tactics %-5v top1 %.3f top3 %.3f ptop1 %.3f ptop3 %.3f cov %.3f", name, keep, m.Top1Precision, m.Top3Recall, m.ParentTop1Precision, m.ParentTop3Recall, m.Coverage)
		}
	}
}

// BenchmarkEvaluateSigmaHQ measures 5-fold cross-validation over the whole
// SigmaHQ corpus (4,002 rules), loading excluded. Besides the elapsed time
// it reports cpu-s/op, the user and system CPU time of the evaluation: on a
// shared machine the elapsed time depends on the load, the CPU time much
// less (on 2 free cores the elapsed time is about half of it).
func BenchmarkEvaluateSigmaHQ(b *testing.B) {
	dir := testshared.Corpus(b, "sigmahq-2026-04-28")
	rs := loadTree(b, dir)
	cat := catalog18(b)
	b.ResetTimer()
	cpu := testshared.CPUTime()
	for range b.N {
		if _, err := Evaluate(cat, rs, EvalOptions{Folds: 5, MinScore: DefaultMinScore}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric((testshared.CPUTime()-cpu).Seconds()/float64(b.N), "cpu-s/op")
}

// BenchmarkTagSigmaHQ measures suggesting for every SigmaHQ rule with the
// model learned from all of them, loading excluded.
func BenchmarkTagSigmaHQ(b *testing.B) {
	dir := testshared.Corpus(b, "sigmahq-2026-04-28")
	rs := loadTree(b, dir)
	cat := catalog18(b)
	b.ResetTimer()
	for range b.N {
		s, err := New(cat, rs)
		if err != nil {
			b.Fatal(err)
		}
		s.Tag(rs, TagOptions{Top: 3, MinScore: DefaultMinScore})
	}
}
