package suggest

import (
	"fmt"
	"hash/fnv"
	"path/filepath"
	"sort"

	"github.com/huntlint/huntlint/internal/parallel"
	"github.com/huntlint/huntlint/mapper"
	"github.com/huntlint/huntlint/rules"
)

// EvalOptions configure Evaluate.
type EvalOptions struct {
	// Folds is the number of cross-validation folds (default 5). With 1,
	// nothing is held out by folds: the model learns from Train only and
	// every tagged rule is evaluated (cross-format evaluation).
	Folds int
	// Train are extra tagged rules that are always learned from.
	Train []*rules.Rule
	// MinScore drops suggestions scoring below it.
	MinScore float64
	// KeepTactics hides only the techniques of each rule, not the tactics
	// it names: the situation of rules tagged with tactics only.
	KeepTactics bool
}

// Metrics are the figures of an evaluation. A sub-technique counts at
// parent level in the parent_* figures.
type Metrics struct {
	Rules               int                `json:"rules"` // tagged rules evaluated
	Folds               int                `json:"folds"`
	Trained             int                `json:"trained"`        // tagged rules learned from (largest fold)
	Top1Precision       float64            `json:"top1_precision"` // top suggestion among the rule's techniques, over rules with a suggestion
	Top3Recall          float64            `json:"top3_recall"`    // share of a rule's techniques among the top 3, averaged over rules
	ParentTop1Precision float64            `json:"parent_top1_precision"`
	ParentTop3Recall    float64            `json:"parent_top3_recall"`
	Coverage            float64            `json:"coverage"`          // rules with any suggestion
	PerTacticRecall     map[string]float64 `json:"per_tactic_recall"` // top-3 recall of the techniques of each tactic

	// Tactic level, for rules that name tactics (most KQL hunting queries
	// name tactics only): the share of a rule's tactics that the tactics of
	// its top 3 suggestions cover, averaged over those rules.
	TacticRules      int     `json:"tactic_rules"`
	TacticTop3Recall float64 `json:"tactic_top3_recall"`

	// Calibration: how often the first suggestion is right for each band
	// of its score, the recall at a fixed precision (DefaultWritePrecision,
	// parent level) and what tag --write would write by default.
	Reliability []ReliabilityBin `json:"reliability,omitempty"`
	AtPrecision AtPrecision      `json:"at_precision"`
	Written     AtPrecision      `json:"written"`
	// PerFormat are the figures of each format (sigma, sentinel, kql,
	// markdown) among the evaluated rules, when there are several.
	PerFormat map[string]*Metrics `json:"per_format,omitempty"`
}

// Evaluate runs K-fold cross-validation over the tagged rules among rs: each
// fold's rules are predicted with their tags ignored, by a model that learned
// from the other folds (and opts.Train) only. The knowledge base and names do
// not learn. Folds are assigned by a hash of each rule's file name, position
// and ID, so results are reproducible wherever the files are.
func Evaluate(cat *mapper.Catalog, rs []*rules.Rule, opts EvalOptions) (*Metrics, error) {
	s, err := New(cat, nil)
	if err != nil {
		return nil, err
	}
	return s.evaluate(rs, opts)
}

func (s *Suggester) evaluate(rs []*rules.Rule, opts EvalOptions) (*Metrics, error) {
	k := opts.Folds
	if k == 0 {
		k = 5
	}
	if k < 1 {
		return nil, fmt.Errorf("folds must be at least 1, not %d", k)
	}
	// A file given both to evaluate and to learn from is only evaluated:
	// learning from a held-out rule's twin would leak its tags.
	evaluated := map[string]bool{}
	for _, r := range rs {
		evaluated[ruleKey(r)] = true
	}
	var extra []*rules.Rule
	for _, r := range opts.Train {
		if !evaluated[ruleKey(r)] {
			extra = append(extra, r)
		}
	}
	opts.Train = extra
	s.prime(append(append([]*rules.Rule(nil), rs...), opts.Train...))
	// Rules tagged with techniques are scored on techniques; rules tagged
	// with tactics (Markdown tactic tables, Sentinel tactics) also on
	// tactics. Only technique-tagged rules are learned from.
	var items []*rules.Rule
	var gold, goldTac [][]string
	ntagged := 0
	for _, r := range rs {
		g, gt := s.Existing(r), s.existingTactics(r)
		if len(g) == 0 && len(gt) == 0 {
			continue
		}
		if len(g) > 0 {
			ntagged++
		}
		items = append(items, r)
		gold = append(gold, g)
		goldTac = append(goldTac, gt)
	}
	if k > 1 && ntagged < k {
		return nil, fmt.Errorf("%d tagged rules are too few for %d folds", ntagged, k)
	}
	fold := make([]int, len(items))
	for i, r := range items {
		h := fnv.New32a()
		fmt.Fprintf(h, "%s#%d#%s", filepath.Base(r.Path), r.DocIndex, r.ID)
		fold[i] = int(h.Sum32() % uint32(k))
	}
	pred := make([][]string, len(items))
	predScore := make([][]float64, len(items))
	trained := 0
	for f := 0; f < k; f++ {
		train := append([]*rules.Rule(nil), opts.Train...)
		var test []int
		for i, r := range items {
			if k > 1 && fold[i] != f {
				if len(gold[i]) > 0 {
					train = append(train, r)
				}
			} else {
				test = append(test, i)
			}
		}
		s.train(train)
		trained = max(trained, s.Trained())
		parallel.For(len(test), 0, func(j int) {
			i := test[j]
			var ids []string
			var scores []float64
			var tactics []string
			if opts.KeepTactics {
				tactics = goldTac[i]
			}
			for _, sg := range s.rank(s.features(items[i]), items[i], 3, nil, tactics) {
				if sg.Score >= opts.MinScore {
					ids = append(ids, sg.Technique)
					scores = append(scores, sg.Score)
				}
			}
			pred[i], predScore[i] = ids, scores
		})
		if k == 1 {
			break
		}
	}
	tacticsOf := func(id string) []string {
		if t := s.ix.resolve(id); t != nil {
			return t.Tactics
		}
		return nil
	}
	var tg, tp, cg, cp [][]string
	var ts [][]float64
	for i := range items {
		if len(gold[i]) > 0 {
			tg, tp = append(tg, gold[i]), append(tp, pred[i])
			ts = append(ts, predScore[i])
		}
		if len(goldTac[i]) > 0 {
			cg, cp = append(cg, goldTac[i]), append(cp, pred[i])
		}
	}
	m := score(tg, tp, tacticsOf)
	calibrationFigures(m, tg, tp, ts)
	if pf := perFormat(items, gold, pred, predScore, tacticsOf); len(pf) > 1 {
		m.PerFormat = pf
	}
	m.TacticRules, m.TacticTop3Recall = tacticScore(cg, cp, tacticsOf)
	m.Folds = k
	m.Trained = trained
	return m, nil
}

// tacticScore returns the number of rules with tactics and their mean
// tactic recall by the top 3 suggestions.
func tacticScore(gold, pred [][]string, tacticsOf func(string) []string) (int, float64) {
	if len(gold) == 0 {
		return 0, 0
	}
	var sum float64
	for i, g := range gold {
		p := pred[i]
		if len(p) > 3 {
			p = p[:3]
		}
		got := map[string]bool{}
		for _, id := range p {
			for _, t := range tacticsOf(id) {
				got[t] = true
			}
		}
		hit := 0
		for _, t := range g {
			if got[t] {
				hit++
			}
		}
		sum += float64(hit) / float64(len(g))
	}
	return len(gold), round3(sum / float64(len(gold)))
}

// ruleKey identifies a rule by its file and document.
func ruleKey(r *rules.Rule) string {
	p, err := filepath.Abs(r.Path)
	if err != nil {
		p = r.Path
	}
	return fmt.Sprintf("%s#%d#%d", p, r.DocIndex, r.Start.Line)
}

// score computes the metrics of predictions pred (best first) against the
// gold techniques of each rule.
func score(gold, pred [][]string, tacticsOf func(string) []string) *Metrics {
	m := &Metrics{Rules: len(gold), PerTacticRecall: map[string]float64{}}
	if len(gold) == 0 {
		return m
	}
	var covered, top1, ptop1 int
	var rec, prec float64
	tacHit, tacAll := map[string]int{}, map[string]int{}
	for i, g := range gold {
		p := pred[i]
		if len(p) > 3 {
			p = p[:3]
		}
		gs := set(g)
		gp := set(parents(g))
		if len(p) > 0 {
			covered++
			if gs[p[0]] {
				top1++
			}
			if gp[parentOf(p[0])] {
				ptop1++
			}
		}
		ps := set(p)
		pp := set(parents(p))
		hit := 0
		for _, t := range g {
			if ps[t] {
				hit++
			}
			for _, tac := range tacticsOf(t) {
				tacAll[tac]++
				if ps[t] {
					tacHit[tac]++
				}
			}
		}
		rec += float64(hit) / float64(len(g))
		phit := 0
		for t := range gp {
			if pp[t] {
				phit++
			}
		}
		prec += float64(phit) / float64(len(gp))
	}
	n := float64(len(gold))
	m.Coverage = ratio(covered, len(gold))
	m.Top1Precision = ratio(top1, covered)
	m.ParentTop1Precision = ratio(ptop1, covered)
	m.Top3Recall = round3(rec / n)
	m.ParentTop3Recall = round3(prec / n)
	for tac, all := range tacAll {
		m.PerTacticRecall[tac] = ratio(tacHit[tac], all)
	}
	return m
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return round3(float64(a) / float64(b))
}

func set(l []string) map[string]bool {
	m := make(map[string]bool, len(l))
	for _, s := range l {
		m[s] = true
	}
	return m
}

// parents maps technique IDs to their parents, without duplicates, in order.
func parents(l []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, id := range l {
		p := parentOf(id)
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

// prime computes the features of rs in parallel into the cache. It must not
// run concurrently with anything else.
func (s *Suggester) prime(rs []*rules.Rule) {
	var todo []*rules.Rule
	seen := map[*rules.Rule]bool{}
	for _, r := range rs {
		if _, ok := s.cache[r]; !ok && !seen[r] {
			seen[r] = true
			todo = append(todo, r)
		}
	}
	fs := make([]*features, len(todo))
	parallel.For(len(todo), 0, func(i int) { fs[i] = s.analyse(todo[i]) })
	for i, r := range todo {
		s.cache[r] = fs[i]
	}
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
