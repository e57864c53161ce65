package suggest

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/huntlint/huntlint/internal/testshared"
	"github.com/huntlint/huntlint/mapper"
)

// TestTuneFeatures prints the figures of feature and ranking variants of
// the default settings on SigmaHQ's rules folder, 5 folds
// (HUNTLINT_TUNE2=name,name... or "all"); docs/tag.md lists what was
// measured this way.
func TestTuneFeatures(t *testing.T) {
	want := os.Getenv("HUNTLINT_TUNE2")
	if want == "" {
		t.Skip("set HUNTLINT_TUNE2 to measure variants")
	}
	dir := testshared.Corpus(t, "sigmahq-2026-04-28")
	rs := loadTree(t, filepath.Join(dir, "rules"))
	cat := catalog18(t)
	folds := 5 // HUNTLINT_TUNE2_FOLDS checks a variant on other folds
	if n, err := strconv.Atoi(os.Getenv("HUNTLINT_TUNE2_FOLDS")); err == nil && n > 1 {
		folds = n
	}
	type variant struct {
		name string
		p    params
	}
	base := variant{"base", defaultParams}
	vs := []variant{base}
	add := func(name string, f func(v *variant)) {
		v := base
		v.name = name
		f(&v)
		vs = append(vs, v)
	}
	add("no-refs", func(v *variant) { v.p.fx.refs = 0 })
	add("no-bigrams", func(v *variant) { v.p.fx.bigrams = 0 })
	add("no-regression", func(v *variant) { v.p.learner, v.p.mix = "", 0 })
	add("no-family-regression", func(v *variant) { v.p.famHead = 0 })
	add("no-regressions", func(v *variant) { v.p.learner, v.p.mix, v.p.famHead = "", 0, 0 })
	add("family-support-0.6", func(v *variant) { v.p.parentBoost = 0.6 })
	add("mix-0.3", func(v *variant) { v.p.mix = 0.3 })
	add("mix-0.5", func(v *variant) { v.p.mix = 0.5 })
	add("epochs-20", func(v *variant) { v.p.sgd.epochs = 20 })
	add("split-votes-0.5", func(v *variant) { v.p.splitVotes = 0.5 })
	add("split-votes-1", func(v *variant) { v.p.splitVotes = 1 })
	add("related-1", func(v *variant) { v.p.fx.related = 1 })
	add("related-3", func(v *variant) { v.p.fx.related = 3 })
	add("k-30", func(v *variant) { v.p.k = 30 })
	add("power-3", func(v *variant) { v.p.power = 3 })
	add("flags-and-leaves", func(v *variant) { v.p.fx.split = 1 })
	add("field-value-pairs", func(v *variant) { v.p.fx.pairs = 1 })
	add("false-positives", func(v *variant) { v.p.fx.fp = 1 })
	add("level", func(v *variant) { v.p.fx.level = 1 })
	add("kb-as-terms", func(v *variant) { v.p.fx.kbTerms = 1 })
	add("kb-weight-0.4", func(v *variant) { v.p.wKB, v.p.wName = 0.4, 0.4 })
	add("logsource-fields", func(v *variant) { v.p.fx.lsField = 1 })
	add("logsource-fields-0.5", func(v *variant) { v.p.fx.lsField = 0.5 })
	add("logsource-pairs", func(v *variant) { v.p.fx.lsPair = 1 })
	add("family-epochs-20", func(v *variant) { v.p.sgd.famEpochs = 20 })
	add("family-epochs-5", func(v *variant) { v.p.sgd.famEpochs = 5 })
	add("rate-2", func(v *variant) { v.p.sgd.rate = 2 })
	add("rate-10", func(v *variant) { v.p.sgd.rate = 10 })
	add("decay-0.002", func(v *variant) { v.p.sgd.decay = 0.002 })
	add("decay-0.01", func(v *variant) { v.p.sgd.decay = 0.01 })
	add("stem", func(v *variant) { v.p.fx.stem = 1 })
	add("stem-conf-0.4", func(v *variant) { v.p.fx.stem, v.p.confSim = 1, 0.4 })
	add("stem-conf-0.6", func(v *variant) { v.p.fx.stem, v.p.confSim = 1, 0.6 })
	add("stem-conf-0.7", func(v *variant) { v.p.fx.stem, v.p.confSim = 1, 0.7 })
	add("stem-k-30", func(v *variant) { v.p.fx.stem, v.p.k = 1, 30 })
	add("stem-binary-tf", func(v *variant) { v.p.fx.stem, v.p.tfMode = 1, 1 })
	add("stem-idf-squared", func(v *variant) { v.p.fx.stem, v.p.tfMode = 1, 2 })
	add("stem-descr-0.5", func(v *variant) { v.p.fx.stem, v.p.fx.descr = 1, 0.5 })
	add("stem-descr-1.5", func(v *variant) { v.p.fx.stem, v.p.fx.descr = 1, 1.5 })
	add("stem-values-1.5", func(v *variant) { v.p.fx.stem, v.p.fx.value = 1, 1.5 })
	add("stem-values-0.7", func(v *variant) { v.p.fx.stem, v.p.fx.value = 1, 0.7 })
	add("stem-fields-0.5", func(v *variant) { v.p.fx.stem, v.p.fx.field = 1, 0.5 })
	add("descr-1.5", func(v *variant) { v.p.fx.descr = 1.5 })
	add("descr-1", func(v *variant) { v.p.fx.descr = 1 })
	add("stem-descr-2", func(v *variant) { v.p.fx.stem, v.p.fx.descr = 1, 2 })
	add("stem-descr-3", func(v *variant) { v.p.fx.stem, v.p.fx.descr = 1, 3 })
	add("stem-descr-2-fields-0.5", func(v *variant) { v.p.fx.stem, v.p.fx.descr, v.p.fx.field = 1, 2, 0.5 })
	add("stem-descr-2-title-3", func(v *variant) { v.p.fx.stem, v.p.fx.descr, v.p.fx.title = 1, 2, 3 })
	add("descr-2.5", func(v *variant) { v.p.fx.descr = 2.5 })
	add("descr-2-title-3", func(v *variant) { v.p.fx.descr, v.p.fx.title = 2, 3 })
	add("descr-2-title-2.5", func(v *variant) { v.p.fx.descr, v.p.fx.title = 2, 2.5 })
	add("values-0.7", func(v *variant) { v.p.fx.value = 0.7 })
	add("fields-0.7", func(v *variant) { v.p.fx.field = 0.7 })
	add("refs-0.7", func(v *variant) { v.p.fx.refs = 0.7 })
	add("description-bigrams", func(v *variant) { v.p.fx.descrBigrams = 1 })
	add("description-bigrams-0.5", func(v *variant) { v.p.fx.descrBigrams = 0.5 })
	add("family-rerank", func(v *variant) { v.p.parentBoost = 1 })
	add("no-stack", func(v *variant) { v.p.stack = false })
	add("no-prose", func(v *variant) { v.p.wProse, v.p.wProseFull = 0, 0 })
	add("no-stack-no-prose", func(v *variant) { v.p.stack, v.p.wProse, v.p.wProseFull = false, 0, 0 })
	add("prose-0.2-0.5", func(v *variant) { v.p.wProse, v.p.wProseFull = 0.2, 0.5 })
	add("prose-0.3-0.6", func(v *variant) { v.p.wProse, v.p.wProseFull = 0.3, 0.6 })
	add("mix-0.5-family-1.5", func(v *variant) { v.p.mix, v.p.famHead = 0.5, 1.5 })
	for _, v := range vs {
		if want != "all" && !strings.Contains(","+want+",", ","+v.name+",") {
			continue
		}
		s, err := New(cat, nil)
		if err != nil {
			t.Fatal(err)
		}
		s.p = v.p
		m, err := s.evaluate(rs, EvalOptions{Folds: folds})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%-22s top1 %.3f top3 %.3f ptop1 %.3f ptop3 %.3f cov %.3f", v.name, m.Top1Precision, m.Top3Recall, m.ParentTop1Precision, m.ParentTop3Recall, m.Coverage)
	}
}

// BenchmarkSuggesterSigmaHQEmbedded measures building the suggester from
// every SigmaHQ rule with the embedded catalog and naming the best
// suggestion for each rule, as lint --suggest does; loading excluded.
func BenchmarkSuggesterSigmaHQEmbedded(b *testing.B) {
	dir := testshared.Corpus(b, "sigmahq-2026-04-28")
	rs := loadTree(b, dir)
	cat, err := mapper.Open(mapper.Options{Offline: true})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		s, err := New(cat, rs)
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range rs {
			s.Best(r, cat)
		}
	}
}
