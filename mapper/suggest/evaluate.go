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
	// MinScore is the cut-off (see Cut): a file whose first suggestion
	// scores below it gets none.
	MinScore float64
	// KeepTactics hides only the techniques of each rule, not the tactics
	// it names: the situation of rules tagged with tactics only.
	KeepTactics bool
}

// Metrics are the figures of an evaluation. A sub-technique counts at
// parent level in the parent_* figures.
type Metrics struct {
	Rules int `json:"rules"` // tagged rules evaluated
	// Files is the number of files with tagged rules: the unit every figure
	// counts, each file once (its tags are its rules' tags, its
	// suggestions its rules' suggestions merged).
	Files    int     `json:"files"`
	MinScore float64 `json:"min_score"` // the cut-off the figures are measured at
	Folds    int     `json:"folds"`
	Trained  int     `json:"trained"` // tagged rules learned from (largest fold)
	// Top1Precision: of the files with a suggestion at the cut-off, the
	// share whose first suggestion is one of the file's techniques.
	Top1Precision float64 `json:"top1_precision"`
	// Top3Recall: of all files with tags, the share where one of the first
	// three suggestions is one of the file's techniques (a file without
	// suggestion counts as a miss).
	Top3Recall float64 `json:"top3_recall"`
	// ParentTop1Precision and ParentTop3Recall are the same with every
	// technique, suggested or tagged, replaced by its parent (T1059.001
	// counts as T1059).
	ParentTop1Precision float64            `json:"parent_top1_precision"`
	ParentTop3Recall    float64            `json:"parent_top3_recall"`
	Coverage            float64            `json:"coverage"`          // files with a suggestion at the cut-off
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
	run, err := s.evalRun(rs, opts)
	if err != nil {
		return nil, err
	}
	return run.figures(opts.MinScore), nil
}

// evalRun is the held-out predictions of an evaluation, per file, from
// which the figures at any cut-off are computed.
type evalRun struct {
	files                 []*evalFile
	rules, folds, trained int
	tacticsOf             func(string) []string
}

// evalRun predicts every tagged rule among rs by models that did not learn
// from it (see Evaluate).
func (s *Suggester) evalRun(rs []*rules.Rule, opts EvalOptions) (*evalRun, error) {
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
	// each rule's first three suggestions, whatever their score: the cut-off
	// is applied per file below
	ranked := make([][]Suggestion, len(items))
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
			var tactics []string
			if opts.KeepTactics {
				tactics = goldTac[i]
			}
			ranked[i] = s.rank(s.features(items[i]), items[i], 3, nil, tactics)
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
	return &evalRun{files: byFile(items, gold, goldTac, ranked), rules: ntagged, folds: k, trained: trained, tacticsOf: tacticsOf}, nil
}

// figures computes the metrics at cut-off minScore (see cut), each file
// counted once. The reliability table and the recall at a fixed precision
// read every file's first suggestion, whatever its score.
func (run *evalRun) figures(minScore float64) *Metrics {
	var tg, tp, all, cg, cp [][]string
	var allScores [][]float64
	var tf []string
	for _, fl := range run.files {
		ids, _ := cut(fl.suggested, minScore)
		if len(fl.gold) > 0 {
			a, as := cut(fl.suggested, 0)
			tg, tp, all = append(tg, fl.gold), append(tp, ids), append(all, a)
			allScores, tf = append(allScores, as), append(tf, fl.format)
		}
		if len(fl.goldTac) > 0 {
			cg, cp = append(cg, fl.goldTac), append(cp, ids)
		}
	}
	m := score(tg, tp, run.tacticsOf)
	m.Rules, m.Files, m.MinScore = run.rules, len(tg), minScore
	calibrationFigures(m, tg, all, allScores)
	if pf := perFormat(tf, tg, tp, all, allScores, run.tacticsOf); len(pf) > 1 {
		for _, x := range pf {
			x.MinScore = minScore
		}
		m.PerFormat = pf
	}
	m.TacticRules, m.TacticTop3Recall = tacticScore(cg, cp, run.tacticsOf)
	m.Folds = run.folds
	m.Trained = run.trained
	return m
}

// evalFile is one evaluated file: the union of its rules' tags and its
// rules' suggestions merged.
type evalFile struct {
	gold, goldTac []string
	suggested     []Suggestion
	format        string
}

// byFile groups the evaluated rules by file, in order of their first rule,
// so that each file counts once: a file's techniques and tactics are those
// of its rules, and its suggestions are its rules' suggestions merged, each
// technique at its best score, best first (a file of one rule keeps that
// rule's order).
func byFile(items []*rules.Rule, gold, goldTac [][]string, ranked [][]Suggestion) []*evalFile {
	idx := map[string]int{}
	var out []*evalFile
	var members [][]int
	for i, r := range items {
		key, err := filepath.Abs(r.Path)
		if err != nil {
			key = r.Path
		}
		n, ok := idx[key]
		if !ok {
			n = len(out)
			idx[key] = n
			out = append(out, &evalFile{format: string(r.Format)})
			members = append(members, nil)
		}
		members[n] = append(members[n], i)
	}
	for n, fl := range out {
		var g, gt []string
		for _, i := range members[n] {
			g, gt = append(g, gold[i]...), append(gt, goldTac[i]...)
		}
		fl.gold, fl.goldTac = uniqSorted(g), uniqSorted(gt)
		if len(members[n]) == 1 {
			fl.suggested = ranked[members[n][0]]
			continue
		}
		best := map[string]int{}
		for _, i := range members[n] {
			for _, sg := range ranked[i] {
				if j, ok := best[sg.Technique]; !ok {
					best[sg.Technique] = len(fl.suggested)
					fl.suggested = append(fl.suggested, sg)
				} else if sg.Score > fl.suggested[j].Score {
					fl.suggested[j] = sg
				}
			}
		}
		sort.SliceStable(fl.suggested, func(a, b int) bool { return fl.suggested[a].Score > fl.suggested[b].Score })
		if len(fl.suggested) > 3 {
			fl.suggested = fl.suggested[:3]
		}
	}
	return out
}

// uniqSorted returns l sorted without duplicates.
func uniqSorted(l []string) []string {
	out := append([]string(nil), l...)
	sort.Strings(out)
	n := 0
	for i, v := range out {
		if i == 0 || v != out[n-1] {
			out[n] = v
			n++
		}
	}
	return out[:n]
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

// score computes the metrics of predictions pred (best first, after the
// cut-off) against the gold techniques of each file.
func score(gold, pred [][]string, tacticsOf func(string) []string) *Metrics {
	m := &Metrics{Rules: len(gold), PerTacticRecall: map[string]float64{}}
	if len(gold) == 0 {
		return m
	}
	var covered, top1, ptop1, top3, ptop3 int
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
		hit, phit := false, false
		for _, t := range p {
			hit = hit || gs[t]
			phit = phit || gp[parentOf(t)]
		}
		if hit {
			top3++
		}
		if phit {
			ptop3++
		}
		ps := set(p)
		for _, t := range g {
			for _, tac := range tacticsOf(t) {
				tacAll[tac]++
				if ps[t] {
					tacHit[tac]++
				}
			}
		}
	}
	m.Coverage = ratio(covered, len(gold))
	m.Top1Precision = ratio(top1, covered)
	m.ParentTop1Precision = ratio(ptop1, covered)
	m.Top3Recall = ratio(top3, len(gold))
	m.ParentTop3Recall = ratio(ptop3, len(gold))
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
