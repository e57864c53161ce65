package suggest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/huntlint/huntlint/internal/testshared"
	"github.com/huntlint/huntlint/mapper"
)

// TestTuneFeatures prints the figures of feature and ranking variants
// (HUNTLINT_TUNE2=name,name... or "all").
func TestTuneFeatures(t *testing.T) {
	want := os.Getenv("HUNTLINT_TUNE2")
	if want == "" {
		t.Skip("set HUNTLINT_TUNE2 to measure variants")
	}
	dir := testshared.Corpus(t, "sigmahq-2026-04-28")
	rs := loadTree(t, filepath.Join(dir, "rules"))
	cat := catalog18(t)
	type variant struct {
		name string
		fx   featureWeights
		p    params
	}
	base := variant{"base", fx, defaultParams}
	vs := []variant{base}
	add := func(name string, f func(v *variant)) {
		v := base
		v.name = name
		f(&v)
		vs = append(vs, v)
	}
	type linv struct {
		name string
		e    int
		r    float32
		mix  float64
	}
	lins := map[string]linv{}
	for _, l := range []linv{{"e15", 15, 5, 0.4}, {"mix0.5", 10, 5, 0.5}, {"pow3", 10, 5, 0.4}, {"wkb0.4", 10, 5, 0.4}, {"mix0.3", 10, 5, 0.3}} {
		lins[l.name] = l
		add(l.name, func(v *variant) {
			v.p.learner = "linear"
			v.p.mix = l.mix
			switch l.name {
			case "pairs":
				v.p.parentBoost = 0.6
				v.fx.pairs = 1
			case "split":
				v.p.parentBoost = 0.6
				v.fx.split = 1
			case "fp":
				v.p.parentBoost = 0.6
				v.fx.fp = 1
			case "ttl3":
				v.p.parentBoost = 0.6
				v.fx.title = 3
			case "pow3":
				v.p.power = 3
			case "wkb0.4":
				v.p.wKB, v.p.wName = 0.4, 0.4
			case "famhead1.5":
				v.p.famHead, v.p.parentBoost = 1.5, 0.8
			case "famhead-mix0.5":
				v.p.famHead, v.p.parentBoost = 1, 0.8
			case "famhead-k30":
				v.p.famHead, v.p.parentBoost, v.p.k = 1, 0.8, 30
			case "fh1b1":
				v.p.famHead, v.p.parentBoost = 1, 1
			case "fh2b1":
				v.p.famHead, v.p.parentBoost = 2, 1
			case "fh3b1":
				v.p.famHead, v.p.parentBoost = 3, 1
			case "fh1b08":
				v.p.famHead, v.p.parentBoost = 1, 0.8
			case "fam08":
				v.p.parentBoost = 0.8
			}
		})
	}
	saved := fx
	defer func() { fx = saved }()
	for _, v := range vs {
		if want != "all" && !strings.Contains(","+want+",", ","+v.name+",") {
			continue
		}
		fx = v.fx
		if l, ok := lins[v.name]; ok {
			linearEpochs, linearRate = l.e, l.r
		}
		s, err := New(cat, nil)
		if err != nil {
			t.Fatal(err)
		}
		s.p = v.p
		m, err := s.evaluate(rs, EvalOptions{Folds: 5})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%-12s top1 %.3f top3 %.3f ptop1 %.3f ptop3 %.3f cov %.3f", v.name, m.Top1Precision, m.Top3Recall, m.ParentTop1Precision, m.ParentTop3Recall, m.Coverage)
	}
}

func ftoa(f float64) string { return fmt.Sprint(f) }

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
