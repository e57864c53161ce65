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
	m, err := Evaluate(cat, rs, EvalOptions{Folds: 5})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.MarshalIndent(m, "", "  ")
	t.Logf("%d rules loaded\n%s", len(rs), b)
	// The targets (parent_top3_recall 0.80, top3_recall 0.65,
	// parent_top1_precision 0.70), met with the full STIX bundle, and floors
	// just under the other measured figures (docs/tag.md), so that a change
	// that makes suggestions worse fails here.
	for _, c := range []struct {
		name       string
		got, floor float64
	}{
		{"top1_precision", m.Top1Precision, 0.64},
		{"top3_recall", m.Top3Recall, 0.65},
		{"parent_top1_precision", m.ParentTop1Precision, 0.70},
		{"parent_top3_recall", m.ParentTop3Recall, 0.80},
		{"coverage", m.Coverage, 0.99},
	} {
		if c.got < c.floor {
			t.Errorf("%s %.3f fell below %.2f", c.name, c.got, c.floor)
		}
	}
	if m.Rules < 2700 {
		t.Errorf("only %d tagged rules evaluated; the loader lost rules or tags", m.Rules)
	}
	// The embedded catalog has no texts: the other signals alone.
	emb, err := Evaluate(embedded(t), rs, EvalOptions{Folds: 5})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("embedded catalog: top1 %.3f top3 %.3f parent top1 %.3f parent top3 %.3f", emb.Top1Precision, emb.Top3Recall, emb.ParentTop1Precision, emb.ParentTop3Recall)
	if emb.Top1Precision < 0.63 || emb.Top3Recall < 0.70 || emb.ParentTop1Precision < 0.685 || emb.ParentTop3Recall < 0.795 {
		t.Errorf("embedded catalog: top1 %.3f top3 %.3f parent top1 %.3f parent top3 %.3f fell below 0.63, 0.70, 0.685, 0.795", emb.Top1Precision, emb.Top3Recall, emb.ParentTop1Precision, emb.ParentTop3Recall)
	}
	// Knowing the tactics each rule names (rules tagged with tactics only).
	m, err = Evaluate(cat, rs, EvalOptions{Folds: 5, KeepTactics: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("knowing the tactics: top1 %.3f top3 %.3f parent top1 %.3f parent top3 %.3f", m.Top1Precision, m.Top3Recall, m.ParentTop1Precision, m.ParentTop3Recall)
	if m.Top3Recall < 0.75 || m.ParentTop1Precision < 0.79 || m.ParentTop3Recall < 0.87 {
		t.Errorf("knowing the tactics: top3 %.3f parent top1 %.3f parent top3 %.3f fell below 0.75, 0.79, 0.87", m.Top3Recall, m.ParentTop1Precision, m.ParentTop3Recall)
	}
}

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
// SigmaHQ corpus (4,002 rules), loading excluded.
func BenchmarkEvaluateSigmaHQ(b *testing.B) {
	dir := testshared.Corpus(b, "sigmahq-2026-04-28")
	rs := loadTree(b, dir)
	cat := catalog18(b)
	b.ResetTimer()
	for range b.N {
		if _, err := Evaluate(cat, rs, EvalOptions{Folds: 5}); err != nil {
			b.Fatal(err)
		}
	}
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
