package suggest

import (
	"math"
	"sort"
	"strings"
)

// doc is one training rule for the learned model.
type doc struct {
	title  string
	path   string
	key    any      // identifies the rule, so that it is never its own neighbour
	labels []string // resolved technique IDs
	vec    []posting
	format string // the rule's format ("sigma", "markdown", ...)
}

// posting is a (term, weight) pair of a vector, or a (doc, weight) pair of
// a term's posting list.
type posting struct {
	term int32
	w    float32
}

// model is the learned signal: TF-IDF vectors of tagged rules, queried by
// cosine k-nearest neighbours. Rocchio centroids and naive Bayes
// (learners.go) were measured against it and lost (docs/tag.md); they stay
// selectable through params for re-measuring.
type model struct {
	vocab map[string]int32
	terms []string // term by ID
	idf   []float32
	docs  []*doc
	post  [][]posting // term -> (doc, weight) of the docs containing it
	k     int
	power float64 // a neighbour's vote is its similarity to this power
	cent  *centroids
	nb    *bayes
	lin   *linear
	fam   *linear      // regression over families (parent techniques), or nil
	keys  map[any]bool // the training rules' keys
	// families counts the training rules of each family (parent technique)
	families map[string]int
	// splitVotes divides a neighbour's vote among its techniques: by their
	// number to this power (0: each gets the whole vote)
	splitVotes float64
	mix        float64 // share of the centroid or Bayes score in the vote
	// confSim is the similarity of the nearest rule at which the model is
	// fully confident.
	confSim float64
	// sameFormat multiplies the similarity of a neighbour of the query's
	// own format when that is not Sigma (1: no change)
	sameFormat float64
	// tfMode chooses the term weighting: 0 sublinear TF-IDF, 1 binary
	// TF-IDF, 2 sublinear TF times IDF squared.
	tfMode int
	sgd    sgd // the regressions' settings
}

// train builds the model from the features and labels of tagged rules.
func train(fs []*features, docs []*doc, p params) *model {
	m := &model{docs: docs, k: p.k, power: p.power, confSim: p.confSim, sameFormat: p.sameFormat, tfMode: p.tfMode, sgd: p.sgd, keys: map[any]bool{}, families: map[string]int{}}
	for _, d := range docs {
		if d.key != nil {
			m.keys[d.key] = true
		}
		for _, p := range parents(d.labels) {
			m.families[p]++
		}
	}
	sets := make([]map[string]float64, len(fs))
	for i, f := range fs {
		sets[i] = f.terms
	}
	m.vocab, m.terms, m.idf = vocabulary(sets)
	m.post = make([][]posting, len(m.idf))
	for i, f := range fs {
		docs[i].vec = m.vector(f)
		for _, p := range docs[i].vec {
			m.post[p.term] = append(m.post[p.term], posting{int32(i), p.w})
		}
	}
	return m
}

// vocabulary numbers the terms of docs in order of appearance and returns
// them with their smoothed inverse document frequency.
func vocabulary(docs []map[string]float64) (map[string]int32, []string, []float32) {
	vocab := map[string]int32{}
	var terms []string
	var df []int
	for _, d := range docs {
		for t := range d {
			id, ok := vocab[t]
			if !ok {
				id = int32(len(df))
				vocab[t] = id
				terms = append(terms, t)
				df = append(df, 0)
			}
			df[id]++
		}
	}
	n := float64(len(docs))
	idf := make([]float32, len(df))
	for i, d := range df {
		idf[i] = float32(math.Log((n+1)/(float64(d)+1)) + 1)
	}
	return vocab, terms, idf
}

// vector returns the L2-normalised TF-IDF vector of f over the vocabulary.
func (m *model) vector(f *features) []posting {
	return tfidf(f.terms, m.vocab, m.idf, m.tfMode)
}

// tfidf returns the L2-normalised TF-IDF vector of terms over vocab, sorted
// by term, weighted as mode says (see model.tfMode); nil when no term is
// known.
func tfidf(terms map[string]float64, vocab map[string]int32, idf []float32, mode int) []posting {
	var v []posting
	var norm float64
	for t, tf := range terms {
		id, ok := vocab[t]
		if !ok || tf <= 0 {
			continue
		}
		var w float64
		switch mode {
		case 1: // binary
			w = float64(idf[id])
		case 2: // idf squared
			w = (1 + math.Log(tf)) * float64(idf[id]) * float64(idf[id])
		default:
			w = (1 + math.Log(tf)) * float64(idf[id])
		}
		v = append(v, posting{id, float32(w)})
		norm += w * w
	}
	if norm == 0 {
		return nil
	}
	inv := float32(1 / math.Sqrt(norm))
	for i := range v {
		v[i].w *= inv
	}
	sort.Slice(v, func(i, j int) bool { return v[i].term < v[j].term })
	return v
}

// neighbour is a training rule similar to the query.
type neighbour struct {
	doc    *doc
	sim    float64
	shared []string // the terms that weigh most in the similarity, readable
	rank   int      // 0 for the most similar
}

// modelVote is the learned evidence for one technique.
type modelVote struct {
	score float64
	from  []neighbour // voting neighbours, most similar first
	alt   float64     // the score of the learner mixed in (the regression's probability)
	knn   float64     // the neighbours' vote alone
	total float64     // the summed weights of all the rule's neighbours
}

// predict returns technique votes from the k most similar training rules,
// skipping the rule identified by self, and the model's confidence in [0,1]
// (the similarity of the nearest rule, relative to 0.5).
func (m *model) predict(f *features, self any) (map[string]*modelVote, float64) {
	if m == nil || len(m.docs) == 0 {
		return nil, 0
	}
	q := m.vector(f)
	if len(q) == 0 {
		return nil, 0
	}
	acc := make([]float64, len(m.docs))
	var touched []int32
	for _, p := range q {
		for _, d := range m.post[p.term] {
			if acc[d.term] == 0 {
				touched = append(touched, d.term)
			}
			acc[d.term] += float64(p.w) * float64(d.w)
		}
	}
	// keep the k best in nb, sorted, by insertion
	nb := make([]neighbour, 0, m.k+1)
	better := func(a, b neighbour) bool {
		if a.sim != b.sim {
			return a.sim > b.sim
		}
		return a.doc.path < b.doc.path
	}
	for _, d := range touched {
		sim := acc[d]
		if sim <= 0 || self != nil && m.docs[d].key == self {
			continue
		}
		if m.sameFormat > 0 && m.sameFormat != 1 && f.format != "" && f.format != "sigma" && m.docs[d].format == f.format {
			sim = math.Min(1, sim*m.sameFormat)
		}
		n := neighbour{doc: m.docs[d], sim: sim}
		if len(nb) == m.k && !better(n, nb[len(nb)-1]) {
			continue
		}
		at := sort.Search(len(nb), func(i int) bool { return better(n, nb[i]) })
		nb = append(nb, neighbour{})
		copy(nb[at+1:], nb[at:])
		nb[at] = n
		if len(nb) > m.k {
			nb = nb[:m.k]
		}
	}
	if len(nb) == 0 {
		return nil, 0
	}
	for i := range nb {
		nb[i].shared = m.shared(q, nb[i].doc.vec, 3)
		nb[i].rank = i
	}
	var total float64
	for _, n := range nb {
		total += math.Pow(n.sim, m.power)
	}
	if total == 0 {
		return nil, 0
	}
	// Confidence grows with the best similarity: a vote among distant
	// neighbours is weak.
	conf := math.Min(1, nb[0].sim/m.confSim)
	out := map[string]*modelVote{}
	for _, n := range nb {
		for _, l := range n.doc.labels {
			v := out[l]
			if v == nil {
				v = &modelVote{}
				out[l] = v
			}
			share := math.Pow(n.sim, m.power) / total
			if m.splitVotes > 0 {
				share /= math.Pow(float64(len(n.doc.labels)), m.splitVotes)
			}
			v.score += share
			v.from = append(v.from, n)
		}
	}
	for _, v := range out {
		v.score *= conf
		v.knn = v.score
		v.total = total
	}
	// The learners mixed in are trained on every training rule: a rule that
	// is one of them gets the neighbours' vote only, so that it never
	// learns its own tags.
	if m.mix > 0 && (self == nil || !m.keys[self]) {
		var alt map[string]float64
		if m.cent != nil {
			alt = m.centroidScores(q)
			best := 0.0
			for _, s := range alt {
				best = math.Max(best, s)
			}
			for l, s := range alt {
				alt[l] = s / best * conf
			}
		} else if m.nb != nil {
			alt = m.bayesScores(f)
		} else if m.lin != nil {
			alt = m.linearScores(q)
		}
		for _, v := range out {
			v.score *= 1 - m.mix
		}
		for l, s := range alt {
			v := out[l]
			if v == nil {
				v = &modelVote{}
				out[l] = v
			}
			v.score += m.mix * s
			v.alt = s
		}
	}
	for _, v := range out {
		v.score = math.Min(v.score, 1)
	}
	return out, conf
}

// familyScores returns the family regression's probabilities for f, nil
// when there is none or self is a training rule.
func (m *model) familyScores(f *features, self any) map[string]float64 {
	if m == nil || m.fam == nil || self != nil && m.keys[self] {
		return nil
	}
	return m.fam.top(m.vector(f))
}

// shared returns up to n terms that contribute most to the dot product of
// the sorted vectors a and b, as people read them.
func (m *model) shared(a, b []posting, n int) []string {
	var out []string
	for _, t := range topShared(a, b, n) {
		out = append(out, readableTerm(m.terms[t]))
	}
	return out
}

// topShared returns up to n term IDs that contribute most to the dot
// product of the sorted vectors a and b.
func topShared(a, b []posting, n int) []int32 {
	type contrib struct {
		term int32
		w    float32
	}
	var cs []contrib
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i].term < b[j].term:
			i++
		case a[i].term > b[j].term:
			j++
		default:
			cs = append(cs, contrib{a[i].term, a[i].w * b[j].w})
			i++
			j++
		}
	}
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].w != cs[j].w {
			return cs[i].w > cs[j].w
		}
		return cs[i].term < cs[j].term
	})
	var out []int32
	for _, c := range cs[:min(n, len(cs))] {
		out = append(out, c.term)
	}
	return out
}

// readableTerm turns a model term into words: "f:commandline" -> "field
// commandline", "ls:category:process_creation" -> "category
// process_creation".
func readableTerm(t string) string {
	kind, rest, ok := strings.Cut(t, ":")
	if !ok {
		return t
	}
	switch kind {
	case "f":
		return "field " + rest
	case "m":
		return "modifier " + rest
	case "ls":
		return strings.Replace(rest, ":", " ", 1)
	case "t":
		return "table " + rest
	case "eid":
		return "event ID " + rest
	case "fn":
		return "function " + rest
	}
	return t
}
