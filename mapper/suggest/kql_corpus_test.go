package suggest

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/huntlint/huntlint/internal/testshared"
	"github.com/huntlint/huntlint/rules"
)

// TestKQLFigures prints the cross-format figures of docs/tag.md: the
// Bert-JanP collection held out (learned from SigmaHQ only) and under
// 5-fold (learning from SigmaHQ as well). Set HUNTLINT_KQL_FIGURES=1; with
// =full the full ATT&CK bundle is the catalog.
func TestKQLFigures(t *testing.T) {
	mode := os.Getenv("HUNTLINT_KQL_FIGURES")
	if mode == "" {
		t.Skip("set HUNTLINT_KQL_FIGURES=1 to measure the cross-format figures")
	}
	sigma := loadTree(t, filepath.Join(testshared.Corpus(t, "sigmahq-2026-04-28"), "rules"))
	bert := loadTree(t, testshared.Corpus(t, "bertjan-hunting-queries-2026-04-13"))
	cat := embedded(t)
	if mode == "full" {
		cat = catalog18(t)
	}
	for _, c := range []struct {
		name string
		eval []*rules.Rule
		opts EvalOptions
	}{
		{"bertjan held out, learned from sigmahq", bert, EvalOptions{Folds: 1, Train: sigma}},
		{"bertjan 5-fold, with sigmahq", bert, EvalOptions{Folds: 5, Train: sigma}},
		{"bertjan 5-fold alone", bert, EvalOptions{Folds: 5}},
		{"bertjan held out, learned from sigmahq, at the default cut-off", bert, EvalOptions{Folds: 1, Train: sigma, MinScore: DefaultMinScore}},
		{"bertjan 5-fold, with sigmahq, at the default cut-off", bert, EvalOptions{Folds: 5, Train: sigma, MinScore: DefaultMinScore}},
	} {
		m, err := Evaluate(cat, c.eval, c.opts)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(m)
		t.Logf("%s: %s", c.name, b)
		var text bytes.Buffer
		_ = WriteMetricsText(&text, m)
		t.Logf("%s:\n%s", c.name, text.String())
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
