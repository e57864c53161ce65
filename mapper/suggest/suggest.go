// Package suggest proposes ATT&CK techniques for a rule from its content,
// with a score in [0,1] and the evidence behind it.
//
// Four signals are combined: a knowledge base of observable indicators
// (kb.yaml), a model learned from already-tagged rules (TF-IDF cosine
// nearest neighbours mixed with a logistic regression), technique names
// found in the rule's text, and ATT&CK's own texts about each technique when
// the catalog was loaded from a full STIX bundle (prose.go). Each gives a
// score s in [0,1] per technique; they combine as
// 1 - (1-wm*model)(1-wk*kb)(1-wn*name)(1-wp*text), so agreeing signals
// reinforce each other and none alone reaches 1. With enough tagged rules,
// a stacker learned from held-out predictions orders the families of the
// candidates (stack.go).
package suggest

import (
	"fmt"
	"sort"
	"strings"

	"github.com/huntlint/huntlint/mapper"
	"github.com/huntlint/huntlint/mapper/attackid"
	"github.com/huntlint/huntlint/rules"
)

// DefaultMinScore is the score below which suggestions are not shown by
// default, and at which the linter names a suggestion.
const DefaultMinScore = 0.25

// params are the tunable constants of the combination, measured on
// SigmaHQ by cross-validation (see docs/tag.md).
type params struct {
	wModel, wKB, wName float64 // weights of the signals when the model is confident
	wKBFull, wNameFull float64 // weights when the model knows nothing like the rule
	k                  int     // neighbours that vote
	power              float64 // a neighbour votes with its similarity to this power
	parentBoost        float64 // share of sibling scores added to a technique
	diverse            bool    // one technique per family before any second one
	learner            string  // "" (neighbours only), "centroid" or "bayes", mixed in
	mix                float64 // share of that learner in the model's score
	calibrate          bool    // learn evidence weights from the tagged rules
	famHead            float64 // weight of a family regression in family support
	splitVotes         float64 // see model.splitVotes
	stack              bool    // order the families by a stacker learned from held-out predictions
	wProse, wProseFull float64 // weights of MITRE's texts, as wKB and wKBFull
	fx                 featureWeights
	sgd                sgd
	confSim            float64 // see model.confSim
	tfMode             int     // see model.tfMode
	strongFirst        bool    // candidates on weak clues only after the others
	sameFormat         float64 // see model.sameFormat
	weakMax            int     // a suggestion with no strong clue is capped at weakCap when it has at most this many weak ones (-1: whatever their number)
}

var defaultParams = params{wModel: 1, wKB: 0.2, wName: 0.2, wKBFull: 0.9, wNameFull: 0.8, k: 20, power: 2, parentBoost: 0.8, diverse: true, calibrate: true, learner: "linear", mix: 0.4, famHead: 1, stack: true, wProse: 0.2, wProseFull: 0.8, fx: defaultFeatures, sgd: defaultSGD, confSim: 0.5, weakMax: 1}

// Suggestion is one proposed technique.
type Suggestion struct {
	Technique string   `json:"technique"` // "T1059.001"
	Name      string   `json:"name"`
	Score     float64  `json:"score"`    // in [0,1]
	Evidence  []string `json:"evidence"` // why: indicators, names, then similar tagged rules
}

// Suggester proposes techniques. Suggest, SuggestFor, Best and Tag are safe
// for concurrent use once it is built.
type Suggester struct {
	ix      *index
	kb      *kb
	phrases []namePhrase
	model   *model
	cal     *calibration
	cache   map[*rules.Rule]*features
	p       params
	stack   *stacker // learned ordering of the candidates, or nil
	inner   bool     // a suggester the stacker learns from: it has no stacker
	prose   *prose   // MITRE's texts, or nil
}

// New builds a suggester over the catalog's active domains, learning from
// the tagged rules among train (untagged ones are ignored). A file loaded
// twice (as a PATH and under --train) is learned from once, the first time,
// so that a rule is never its own neighbour.
func New(cat *mapper.Catalog, train []*rules.Rule) (*Suggester, error) {
	seen := map[string]bool{}
	var uniq []*rules.Rule
	for _, r := range train {
		if k := ruleKey(r); !seen[k] {
			seen[k] = true
			uniq = append(uniq, r)
		}
	}
	return newSuggester(indexFromCatalog(cat), uniq)
}

func newSuggester(ix *index, train []*rules.Rule) (*Suggester, error) {
	k, err := parseKB(kbYAML)
	if err != nil {
		return nil, err
	}
	s := &Suggester{ix: ix, kb: k, phrases: namePhrases(ix), cache: map[*rules.Rule]*features{}, p: defaultParams, prose: newProse(ix)}
	s.prime(train)
	s.train(train)
	return s, nil
}

// features returns the (cached) features of r.
func (s *Suggester) features(r *rules.Rule) *features {
	if f, ok := s.cache[r]; ok {
		return f
	}
	return s.analyse(r)
}

// analyse extracts r's features and matches them against the knowledge
// base and technique names.
func (s *Suggester) analyse(r *rules.Rule) *features {
	f := extract(r, s.p.fx)
	f.kbHits = s.kb.match(f)
	f.nameHits = matchNames(s.phrases, f)
	f.proseHits = s.prose.scores(f)
	if fx := s.p.fx; fx.kbTerms > 0 {
		// what the knowledge base and the names point to, as terms of the
		// learned models, which learn how far to trust each
		for id, h := range f.kbHits {
			f.terms["kb:"+id] += fx.kbTerms * h.score
		}
		for id, h := range f.nameHits {
			f.terms["nm:"+id] += fx.kbTerms * h.score
		}
	}
	return f
}

// train (re)builds the learned model from the tagged rules among rs.
func (s *Suggester) train(rs []*rules.Rule) {
	var fs []*features
	var docs []*doc
	for _, r := range rs {
		labels := s.Existing(r)
		if len(labels) == 0 {
			continue
		}
		fs = append(fs, s.features(r))
		docs = append(docs, &doc{title: r.Title, path: r.Path, key: r, labels: labels, format: string(r.Format)})
	}
	s.model = train(fs, docs, s.p)
	s.model.splitVotes = s.p.splitVotes
	if s.p.calibrate {
		s.cal = learnCalibration(fs, docs)
	} else {
		s.cal = nil
	}
	// The family regression trains alongside the learner mixed in: they
	// only read the model's vectors and each writes its own field.
	famDone := make(chan struct{})
	go func() {
		defer close(famDone)
		if s.p.famHead > 0 {
			s.model.trainFamilies()
		}
	}()
	defer func() { <-famDone }()
	switch s.p.learner {
	case "centroid":
		s.model.trainCentroids()
		s.model.mix = s.p.mix
	case "bayes":
		s.model.trainBayes(fs)
		s.model.mix = s.p.mix
	case "linear":
		s.model.trainLinear()
		s.model.mix = s.p.mix
	}
	s.stack = nil
	if s.p.stack && !s.inner {
		<-famDone
		s.stack = s.trainStacker(rs)
	}
}

// Trained returns the number of tagged rules the model learned from.
func (s *Suggester) Trained() int {
	if s.model == nil {
		return 0
	}
	return len(s.model.docs)
}

// Existing returns the live techniques the rule is tagged with (revoked IDs
// followed to their replacement, unknown ones dropped), sorted, without
// duplicates.
func (s *Suggester) Existing(r *rules.Rule) []string {
	seen := map[string]bool{}
	var out []string
	add := func(id string) {
		if t := s.ix.resolve(id); t != nil && !seen[t.ID] {
			seen[t.ID] = true
			out = append(out, t.ID)
		}
	}
	for _, ref := range r.Attack {
		if ref.Kind == rules.RefTechnique {
			add(ref.Value)
		}
	}
	if len(r.Attack) == 0 {
		for _, t := range r.Tags {
			// "attack.<technique ID>", the prefix in any case
			v, tagged := attackid.CutTagPrefix(t.Text)
			if id, ok := attackid.Exact(v); tagged && ok && id.Kind == attackid.Technique {
				add(strings.ToUpper(v))
			}
		}
	}
	sort.Strings(out)
	return out
}

// existingTactics returns the shortnames of the tactics r names (any
// spelling the catalog knows), sorted, without duplicates.
func (s *Suggester) existingTactics(r *rules.Rule) []string {
	seen := map[string]bool{}
	var out []string
	for _, ref := range r.Attack {
		if ref.Kind != rules.RefTactic {
			continue
		}
		if t := s.ix.tactic(ref.Value); t != nil && !seen[t.Shortname] {
			seen[t.Shortname] = true
			out = append(out, t.Shortname)
		}
	}
	sort.Strings(out)
	return out
}

// Suggest returns up to n techniques for r, best first, leaving out the
// techniques r is already tagged with (and their parents). It is what the
// attack-missing-technique check calls.
func (s *Suggester) Suggest(r *rules.Rule, n int) []Suggestion {
	return s.SuggestFor(r, n, false)
}

// Best returns the catalog object of r's top suggestion when it scores at
// least DefaultMinScore. Its signature is linter.TechniqueSuggester's, so that
// attack-missing-technique can name it: Options.Suggest = s.Best.
func (s *Suggester) Best(r *rules.Rule, cat *mapper.Catalog) (*mapper.Object, bool) {
	sg := s.Suggest(r, 1)
	if len(sg) == 0 || sg[0].Score < DefaultMinScore {
		return nil, false
	}
	return cat.Get(mapper.TypeTechnique, sg[0].Technique)
}

// SuggestFor is Suggest; with ignoreExisting it predicts as if r had no tags
// (and does not learn from r itself).
func (s *Suggester) SuggestFor(r *rules.Rule, n int, ignoreExisting bool) []Suggestion {
	var skip map[string]bool
	if !ignoreExisting {
		skip = map[string]bool{}
		for _, id := range s.Existing(r) {
			skip[id] = true
			skip[parentOf(id)] = true
		}
	}
	var tactics []string
	if !ignoreExisting {
		tactics = s.existingTactics(r)
	}
	return s.rank(s.features(r), r, n, skip, tactics)
}

// offTactic scales the score of a technique none of whose tactics the rule
// names, when the rule names tactics.
const offTactic = 0.1

// candidate collects the signals for one technique.
type candidate struct {
	tech  *technique
	model *modelVote
	kb    *kbHit
	name  *nameHit
	score float64
	rank  float64 // score plus family support, the sort key
	// tactic is the first tactic of the technique the rule names, when the
	// rule names tactics.
	tactic    string
	offTactic bool      // the rule names tactics, none of this technique's
	conf      float64   // the model's confidence for the rule
	family    float64   // summed scores of the technique's family, with the family regression's
	famProb   float64   // the family regression's probability for the family
	prose     *proseHit // similarity with MITRE's texts about the technique
	prob      float64   // the stacker's probability that the family is right, 0 without a stacker
	// bare: the rule selects nothing beyond its source (no value, event
	// ID or action): whatever points to a technique restates the source
	bare bool
}

// sharedTactic returns the first of have that is in want, or "".
func sharedTactic(have, want []string) string {
	for _, h := range have {
		for _, w := range want {
			if h == w {
				return h
			}
		}
	}
	return ""
}

// rank scores the candidates for features f. skip lists techniques not to
// suggest; tactics, when not empty, are the tactics the rule names: other
// techniques score offTactic times less.
func (s *Suggester) rank(f *features, self *rules.Rule, n int, skip map[string]bool, tactics []string) []Suggestion {
	list := s.candidates(f, self, skip, tactics)
	if s.stack != nil {
		list = s.stack.rerank(list, s.model)
	}
	if s.p.diverse {
		list = diversify(list)
	}
	if s.p.strongFirst {
		list = strongFirst(list)
	}
	if n >= 0 && len(list) > n {
		list = list[:n]
	}
	out := make([]Suggestion, 0, len(list))
	best := map[string]float64{} // best combined score of each family shown
	for _, c := range list {
		p := parentOf(c.tech.ID)
		if _, ok := best[p]; !ok {
			best[p] = c.score
		}
		score, ev := s.shownScore(c, best[p])
		out = append(out, Suggestion{
			Technique: c.tech.ID,
			Name:      c.tech.Name,
			Score:     round3(score),
			Evidence:  append(ev, evidence(c)...),
		})
	}
	return out
}

// weakCap is the highest score a suggestion resting on one weak clue (see
// shownScore) can have: below DefaultMinScore, so that it is never shown
// or written by default.
const weakCap = 0.2

// shownScore returns the score of c shown to users and the evidence line
// that explains it, when it is not the plain combined score. With a
// stacker, the score is its probability that c's family is right, scaled
// for a family's later members by their combined score relative to the
// family's best (famBest): a probability measured on held-out rules, by a
// stacker that reads how many strong and weak clues the family has. A
// suggestion with no strong clue and at most weakMax weak ones (one table
// or logsource, one similar rule, one weak regression), or on a rule that
// selects nothing beyond its source, is capped at weakCap: one weak clue
// never clears the default cut-off. Several weak clues that agree keep the
// stacker's probability.
func (s *Suggester) shownScore(c *candidate, famBest float64) (float64, []string) {
	score := c.score
	if c.prob > 0 {
		score = c.prob
		if famBest > 0 && c.score < famBest {
			score *= c.score / famBest
		}
	}
	if strong, weak := clues(c); strong == 0 && (c.bare || s.p.weakMax < 0 || weak <= s.p.weakMax) && score > weakCap {
		return weakCap, []string{"weak evidence only (" + weakClues(c) + "): held below the default cut-off"}
	}
	return score, nil
}

// Strength of a learned-model clue.
const (
	strongAlt = 0.3  // the regression's probability
	strongSim = 0.3  // the similarity of a voting neighbour
	strongNbr = 1    // voting neighbours at least that similar
	strongTxt = 0.25 // similarity with ATT&CK's texts
)

// clues counts c's strong and weak clues. Strong: a knowledge-base
// indicator of what the rule looks for (a binary, a command line, a
// registry path, an event ID, an action), a technique name in the rule's
// text, ATT&CK's texts at strongTxt, the regression at strongAlt, or
// strongNbr similar tagged rules. Weak: a table or logsource alone, one
// similar tagged rule, a weak regression. Every clue of a rule that selects
// nothing beyond its source (a query that only reads SigninLogs) is weak:
// the model's terms then restate the source.
func clues(c *candidate) (strong, weak int) {
	if c.bare {
		defer func() { strong, weak = 0, strong+weak }()
	}
	if c.kb != nil {
		for _, ev := range c.kb.evidence {
			if strings.HasPrefix(ev, "table ") || strings.HasPrefix(ev, "logsource ") {
				weak++
			} else {
				strong++
			}
		}
	}
	if c.name != nil {
		strong++
	}
	if c.prose != nil && c.prose.score >= strongTxt {
		strong++
	}
	if v := c.model; v != nil {
		if v.alt >= strongAlt {
			strong++
		} else if v.alt > 0 {
			weak++
		}
		near := 0
		for _, n := range v.from {
			if n.sim >= strongSim {
				near++
			}
		}
		switch {
		case near >= strongNbr:
			strong++
		case len(v.from) > 0:
			weak++
		}
	}
	return strong, weak
}

// weakClues names c's weak clues for the evidence line.
func weakClues(c *candidate) string {
	var parts []string
	if c.kb != nil {
		parts = append(parts, c.kb.evidence...)
	}
	if v := c.model; v != nil && len(v.from) > 0 {
		n := "similar tagged rules"
		if len(v.from) == 1 {
			n = "one similar tagged rule"
		}
		parts = append(parts, fmt.Sprintf("%s, the nearest at %.2f", n, v.from[0].sim))
	}
	if c.bare {
		parts = append([]string{"the rule selects nothing beyond its source"}, parts...)
	}
	if len(parts) == 0 {
		return "no indicator"
	}
	return strings.Join(parts, "; ")
}

// candidates collects and scores every technique some signal points to,
// sorted by score plus family support.
func (s *Suggester) candidates(f *features, self *rules.Rule, skip map[string]bool, tactics []string) []*candidate {
	cands := map[string]*candidate{}
	get := func(id string) *candidate {
		c := cands[id]
		if c == nil {
			t := s.ix.resolve(id)
			if t == nil || t.ID != id {
				return nil
			}
			c = &candidate{tech: t}
			cands[id] = c
		}
		return c
	}
	var key any
	if self != nil {
		key = self
	}
	votes, conf := s.model.predict(f, key)
	// The less the model knows this kind of rule, the more the knowledge
	// base and the names count.
	w := weights{
		model: s.p.wModel,
		kb:    s.p.wKB + (s.p.wKBFull-s.p.wKB)*(1-conf),
		name:  s.p.wName + (s.p.wNameFull-s.p.wName)*(1-conf),
		prose: s.p.wProse + (s.p.wProseFull-s.p.wProse)*(1-conf),
	}
	for id, v := range votes {
		if c := get(id); c != nil {
			c.model = v
		}
	}
	for id, h := range f.kbHits {
		if c := get(id); c != nil {
			h := *h // the cached hit is shared: calibrate a copy
			h.rescore(id, s.cal)
			c.kb = &h
		}
	}
	for id, h := range f.nameHits {
		if c := get(id); c != nil {
			h := *h
			h.score = s.cal.weight(id, h.evidence, h.prior)
			c.name = &h
		}
	}
	for id, h := range f.proseHits {
		if c := get(id); c != nil {
			c.prose = h
		}
	}
	var famScores map[string]float64
	if s.p.famHead > 0 {
		famScores = s.model.familyScores(f, key)
	}
	bare := len(f.values) == 0 && len(f.eventIDs) == 0
	list := make([]*candidate, 0, len(cands))
	for id, c := range cands {
		if skip[id] {
			continue
		}
		c.conf = conf
		c.bare = bare
		c.score = w.combine(c)
		if len(tactics) > 0 {
			c.tactic = sharedTactic(c.tech.Tactics, tactics)
			if c.tactic == "" {
				c.score *= offTactic
				c.offTactic = true
			}
		}
		if c.score > 0 {
			list = append(list, c)
		}
	}
	// Siblings support each other: a technique whose parent family has
	// other likely members ranks higher.
	family := map[string]float64{}
	for _, c := range list {
		family[parentOf(c.tech.ID)] += c.score
	}
	if s.p.famHead > 0 {
		// the family regression knows nothing of named tactics: it
		// supports only families with a technique of those tactics
		onTactic := map[string]bool{}
		for _, c := range list {
			if len(tactics) == 0 || c.tactic != "" {
				onTactic[parentOf(c.tech.ID)] = true
			}
		}
		for p, v := range famScores {
			if onTactic[p] {
				family[p] += s.p.famHead * v
			}
		}
	}
	for _, c := range list {
		p := parentOf(c.tech.ID)
		c.family = family[p]
		c.famProb = famScores[p]
		switch {
		case s.p.parentBoost == 1:
			c.rank = family[p]
		case s.p.parentBoost > 0:
			c.rank = c.score + s.p.parentBoost*(family[p]-c.score)
		default:
			c.rank = c.score
		}
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].rank != list[j].rank {
			return list[i].rank > list[j].rank
		}
		if list[i].score != list[j].score {
			return list[i].score > list[j].score
		}
		return list[i].tech.ID < list[j].tech.ID
	})
	return list
}

// strongFirst moves the candidates resting on weak clues only behind the
// others, keeping the order within each group.
func strongFirst(list []*candidate) []*candidate {
	var strong, weak []*candidate
	for _, c := range list {
		if n, _ := clues(c); n > 0 {
			strong = append(strong, c)
		} else {
			weak = append(weak, c)
		}
	}
	return append(strong, weak...)
}

// diversify moves a technique behind the others when a technique of the
// same family already ranks above it, so that the first suggestions cover
// different families.
func diversify(list []*candidate) []*candidate {
	seen := map[string]bool{}
	var first, later []*candidate
	for _, c := range list {
		p := parentOf(c.tech.ID)
		if seen[p] {
			later = append(later, c)
			continue
		}
		seen[p] = true
		first = append(first, c)
	}
	return append(first, later...)
}

// combine merges the signals of c into one score in [0,1].
func (w weights) combine(c *candidate) float64 {
	rest := 1.0
	if c.model != nil {
		rest *= 1 - w.model*c.model.score
	}
	if c.kb != nil {
		rest *= 1 - w.kb*c.kb.score
	}
	if c.name != nil {
		rest *= 1 - w.name*c.name.score
	}
	if c.prose != nil {
		rest *= 1 - w.prose*c.prose.score
	}
	return 1 - rest
}

// weights are the signal weights for one rule.
type weights struct{ model, kb, name, prose float64 }

func round3(x float64) float64 { return float64(int(x*1000+0.5)) / 1000 }

// evidence lists why c was suggested: indicators, the name, then the most
// similar tagged rules.
func evidence(c *candidate) []string {
	var ev []string
	if c.kb != nil {
		ev = append(ev, c.kb.evidence...)
	}
	if c.name != nil {
		ev = append(ev, c.name.evidence)
	}
	if c.prose != nil && c.prose.score >= 0.05 {
		ev = append(ev, fmt.Sprintf("ATT&CK's description and analytics of %s (similarity %.2f; shared: %s)", c.tech.ID, c.prose.score, strings.Join(c.prose.shared, ", ")))
	}
	if c.tactic != "" {
		ev = append(ev, "tactic "+c.tactic+" named by the rule")
	}
	if c.model != nil && c.model.alt >= 0.05 {
		ev = append(ev, fmt.Sprintf("learned from the terms of tagged rules (probability %.2f)", c.model.alt))
	}
	if c.model != nil {
		for i, n := range c.model.from {
			if i == 2 {
				break
			}
			e := fmt.Sprintf("similar tagged rule %q (similarity %.2f", strings.TrimSpace(n.doc.title), n.sim)
			if len(n.shared) > 0 {
				e += "; shared: " + strings.Join(n.shared, ", ")
			}
			ev = append(ev, e+")")
		}
	}
	return ev
}
