package suggest

import (
	"math"
	"sort"
)

// linear is a multinomial logistic regression over the model's TF-IDF
// vectors, one class per technique (a rule with several techniques spreads
// its target over them), trained by stochastic gradient descent.
type linear struct {
	labels []string
	w      []float32 // term*L + label
	b      []float32
}

// sgd are the settings of the regressions' stochastic gradient descent.
type sgd struct {
	epochs int
	rate   float32
	// famEpochs, when above 0, are the family regression's epochs
	famEpochs int
	// decay shrinks every weight by this share of the rate after each
	// epoch (L2 regularisation)
	decay float32
}

// defaultSGD are the settings measured best (docs/tag.md).
var defaultSGD = sgd{epochs: 10, rate: 5}

func (m *model) trainLinear() {
	m.lin = m.fitLinear(func(d *doc) []string { return d.labels }, m.sgd.epochs)
}

// trainFamilies trains the regression on parent techniques (families).
func (m *model) trainFamilies() {
	e := m.sgd.epochs
	if m.sgd.famEpochs > 0 {
		e = m.sgd.famEpochs
	}
	m.fam = m.fitLinear(func(d *doc) []string { return parents(d.labels) }, e)
}

// fitLinear trains a regression on the labels that labelsOf gives each doc.
func (m *model) fitLinear(labelsOf func(*doc) []string, epochs int) *linear {
	idx := map[string]int{}
	lin := &linear{}
	for _, d := range m.docs {
		for _, l := range labelsOf(d) {
			if _, ok := idx[l]; !ok {
				idx[l] = len(lin.labels)
				lin.labels = append(lin.labels, l)
			}
		}
	}
	nl := len(lin.labels)
	if nl == 0 {
		return lin
	}
	lin.w = make([]float32, len(m.idf)*nl)
	lin.b = make([]float32, nl)
	z := make([]float32, nl)
	y := make([]float32, nl)
	order := make([]int, len(m.docs))
	for i := range order {
		order[i] = i
	}
	seed := uint32(2463534242)
	for e := 0; e < epochs; e++ {
		// deterministic shuffle (xorshift)
		for i := len(order) - 1; i > 0; i-- {
			seed ^= seed << 13
			seed ^= seed >> 17
			seed ^= seed << 5
			j := int(seed % uint32(i+1))
			order[i], order[j] = order[j], order[i]
		}
		rate := m.sgd.rate / float32(1+e)
		for _, di := range order {
			d := m.docs[di]
			lin.scores(d.vec, z)
			for i := range y {
				y[i] = 0
			}
			ls := labelsOf(d)
			for _, l := range ls {
				y[idx[l]] += 1 / float32(len(ls))
			}
			for l := range z {
				g := z[l] - y[l]
				if g > -1e-4 && g < 1e-4 {
					continue
				}
				g *= rate
				lin.b[l] -= g
				for _, p := range d.vec {
					lin.w[int(p.term)*nl+l] -= g * p.w
				}
			}
		}
		if m.sgd.decay > 0 {
			k := 1 - min(1, m.sgd.decay*rate)
			for i := range lin.w {
				lin.w[i] *= k
			}
		}
	}
	return lin
}

// scores writes the softmax probabilities of every label for vector v to z.
func (lin *linear) scores(v []posting, z []float32) {
	nl := len(lin.labels)
	copy(z, lin.b)
	for _, p := range v {
		row := lin.w[int(p.term)*nl : int(p.term)*nl+nl]
		for l, w := range row {
			z[l] += w * p.w
		}
	}
	best := float32(math.Inf(-1))
	for _, s := range z {
		best = max(best, s)
	}
	var sum float32
	for l, s := range z {
		z[l] = float32(math.Exp(float64(s - best)))
		sum += z[l]
	}
	for l := range z {
		z[l] /= sum
	}
}

// linearScores returns the probabilities of the 20 likeliest techniques.
func (m *model) linearScores(q []posting) map[string]float64 { return m.lin.top(q) }

// top returns the probabilities of the 20 likeliest labels for q.
func (lin *linear) top(q []posting) map[string]float64 {
	if len(lin.labels) == 0 {
		return nil
	}
	z := make([]float32, len(lin.labels))
	lin.scores(q, z)
	order := make([]int, len(z))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(i, j int) bool { return z[order[i]] > z[order[j]] })
	out := map[string]float64{}
	for _, i := range order[:min(20, len(order))] {
		out[lin.labels[i]] = float64(z[i])
	}
	return out
}
