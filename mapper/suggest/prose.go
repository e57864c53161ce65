package suggest

import (
	"regexp"
	"sort"
	"strings"
)

// prose is the signal of MITRE's own texts about each technique — its
// description and the names and descriptions of the analytics that detect
// it — when the user loads a full STIX bundle (the embedded catalog carries
// no texts). A rule scores the cosine between the TF-IDF vectors of its
// words and of each technique's text.
type prose struct {
	vocab map[string]int32
	terms []string // term by ID
	idf   []float32
	post  [][]posting // term -> (technique index, weight)
	vecs  [][]posting // technique index -> its vector, sorted by term
	techs []*technique
}

// proseHit is the prose signal for one technique.
type proseHit struct {
	score  float64  // cosine similarity
	shared []string // the words that weigh most in it
}

var (
	citationRe = regexp.MustCompile(`\(Citation:[^)]*\)`)
	mdLinkRe   = regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`)
	htmlTagRe  = regexp.MustCompile(`</?[a-z]+>`)
)

// proseWords returns the words of a MITRE text, citations and link targets
// removed.
func proseWords(text string) map[string]float64 {
	text = citationRe.ReplaceAllString(text, " ")
	text = mdLinkRe.ReplaceAllString(text, "$1")
	text = htmlTagRe.ReplaceAllString(text, " ")
	f := &features{terms: map[string]float64{}}
	f.addWords(strings.ToLower(stripIDs(text)), 1)
	return f.terms
}

// newProse indexes the texts of the live techniques that have one, or
// returns nil when none has.
func newProse(ix *index) *prose {
	var techs []*technique
	var docs []map[string]float64
	for _, t := range ix.live {
		if t.Text == "" {
			continue
		}
		techs = append(techs, t)
		docs = append(docs, proseWords(t.Name+" "+t.Name+" "+t.Text))
	}
	if len(techs) == 0 {
		return nil
	}
	p := &prose{techs: techs}
	p.vocab, p.terms, p.idf = vocabulary(docs)
	p.post = make([][]posting, len(p.idf))
	p.vecs = make([][]posting, len(docs))
	for i, d := range docs {
		p.vecs[i] = p.vector(d)
		for _, e := range p.vecs[i] {
			p.post[e.term] = append(p.post[e.term], posting{int32(i), e.w})
		}
	}
	return p
}

// vector returns the L2-normalised TF-IDF vector of the words in terms.
func (p *prose) vector(terms map[string]float64) []posting {
	return tfidf(terms, p.vocab, p.idf, 0)
}

// proseTop is how many techniques the prose signal names per rule.
const proseTop = 10

// scores returns the cosine of the rule's words with the texts of the
// proseTop most similar techniques, and the words they share.
func (p *prose) scores(f *features) map[string]*proseHit {
	if p == nil {
		return nil
	}
	words := &features{terms: map[string]float64{}}
	words.addWords(f.title, 2)
	words.addWords(f.descr, 1)
	for _, v := range f.values {
		words.addWords(v, 1)
	}
	q := p.vector(words.terms)
	acc := map[int32]float64{}
	for _, e := range q {
		for _, d := range p.post[e.term] {
			acc[d.term] += float64(e.w) * float64(d.w)
		}
	}
	type hit struct {
		i int32
		s float64
	}
	hits := make([]hit, 0, len(acc))
	for i, s := range acc {
		hits = append(hits, hit{i, s})
	}
	sort.Slice(hits, func(a, b int) bool {
		if hits[a].s != hits[b].s {
			return hits[a].s > hits[b].s
		}
		return hits[a].i < hits[b].i
	})
	out := map[string]*proseHit{}
	for _, h := range hits[:min(proseTop, len(hits))] {
		out[p.techs[h.i].ID] = &proseHit{score: h.s, shared: p.shared(q, p.vecs[h.i], 3)}
	}
	return out
}

// shared returns up to n words that contribute most to the dot product of
// the sorted vectors a and b.
func (p *prose) shared(a, b []posting, n int) []string {
	var out []string
	for _, t := range topShared(a, b, n) {
		out = append(out, p.terms[t])
	}
	return out
}
