package suggest

import (
	"math"
	"sort"
)

// Alternative learners, measured against k-nearest neighbours by the
// cross-validation in corpus_test.go; see docs/tag.md for the figures.

// centroids is a Rocchio classifier: one normalised mean TF-IDF vector per
// technique; a rule scores its cosine with each.
type centroids struct {
	labels []string
	post   [][]posting // term -> (label index, weight)
}

func (m *model) trainCentroids() {
	sum := map[string]map[int32]float64{}
	for _, d := range m.docs {
		for _, l := range d.labels {
			c := sum[l]
			if c == nil {
				c = map[int32]float64{}
				sum[l] = c
			}
			for _, p := range d.vec {
				c[p.term] += float64(p.w)
			}
		}
	}
	cs := &centroids{post: make([][]posting, len(m.idf))}
	for _, l := range sortedKeys(sum) {
		c := sum[l]
		var norm float64
		for _, w := range c {
			norm += w * w
		}
		norm = math.Sqrt(norm)
		li := int32(len(cs.labels))
		cs.labels = append(cs.labels, l)
		for t, w := range c {
			cs.post[t] = append(cs.post[t], posting{li, float32(w / norm)})
		}
	}
	m.cent = cs
}

// centroidScores returns the cosine of q with every technique centroid.
func (m *model) centroidScores(q []posting) map[string]float64 {
	acc := map[int32]float64{}
	for _, p := range q {
		for _, c := range m.cent.post[p.term] {
			acc[c.term] += float64(p.w) * float64(c.w)
		}
	}
	out := make(map[string]float64, len(acc))
	for li, s := range acc {
		out[m.cent.labels[li]] = s
	}
	return out
}

// bayes is a multinomial naive Bayes classifier over the same terms, one
// class per technique (a rule with several techniques counts for each).
type bayes struct {
	labels  []string
	prior   []float64   // log prior
	logp    [][]float64 // label -> term -> log P(term | label)
	unknown []float64   // label -> log P(unseen term | label)
}

func (m *model) trainBayes(fs []*features) {
	idx := map[string]int{}
	var counts []map[int32]float64
	var totals []float64
	var docsPer []float64
	for i, d := range m.docs {
		for _, l := range d.labels {
			li, ok := idx[l]
			if !ok {
				li = len(counts)
				idx[l] = li
				counts = append(counts, map[int32]float64{})
				totals = append(totals, 0)
				docsPer = append(docsPer, 0)
			}
			docsPer[li]++
			for t, tf := range fs[i].terms {
				if id, ok := m.vocab[t]; ok && tf > 0 {
					w := 1 + math.Log(1+tf)
					counts[li][id] += w
					totals[li] += w
				}
			}
		}
	}
	const alpha = 0.1
	v := float64(len(m.idf))
	b := &bayes{labels: make([]string, len(counts))}
	for l, li := range idx {
		b.labels[li] = l
	}
	var ndocs float64
	for _, n := range docsPer {
		ndocs += n
	}
	b.prior = make([]float64, len(counts))
	b.logp = make([][]float64, len(counts))
	b.unknown = make([]float64, len(counts))
	for li := range counts {
		b.prior[li] = math.Log(docsPer[li] / ndocs)
		den := totals[li] + alpha*v
		b.unknown[li] = math.Log(alpha / den)
		row := make([]float64, len(m.idf))
		for t := range row {
			row[t] = b.unknown[li]
		}
		for t, c := range counts[li] {
			row[t] = math.Log((c + alpha) / den)
		}
		b.logp[li] = row
	}
	m.nb = b
}

// bayesScores returns the posterior probability of each technique (a
// softmax over the log likelihoods), keeping the best 20.
func (m *model) bayesScores(f *features) map[string]float64 {
	b := m.nb
	logs := make([]float64, len(b.labels))
	copy(logs, b.prior)
	for t, tf := range f.terms {
		id, ok := m.vocab[t]
		if !ok || tf <= 0 {
			continue
		}
		w := 1 + math.Log(1+tf)
		for li := range logs {
			logs[li] += w * b.logp[li][id]
		}
	}
	best := math.Inf(-1)
	for _, l := range logs {
		best = math.Max(best, l)
	}
	var z float64
	for i, l := range logs {
		logs[i] = math.Exp(l - best)
		z += logs[i]
	}
	order := make([]int, len(logs))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(i, j int) bool { return logs[order[i]] > logs[order[j]] })
	out := map[string]float64{}
	for _, i := range order[:min(20, len(order))] {
		out[b.labels[i]] = logs[i] / z
	}
	return out
}
