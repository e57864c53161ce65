package suggest

import (
	"math"
	"sort"

	"github.com/huntlint/huntlint/internal/parallel"
	"github.com/huntlint/huntlint/rules"
)

// stacker orders the families (parent techniques) a rule's candidates
// belong to by a logistic regression over their signals (stacking): it
// learns how far to trust the neighbours' vote, the regressions, the
// knowledge base, the names, MITRE's texts and the family support from
// predictions on training rules held out of the models that made them. Its
// probability that a family is right becomes the score shown (suggest.go).
type stacker struct {
	w        []float64 // weights of the standardised signals, then the intercept
	mean, sd []float64
}

const (
	// stackFolds is the number of parts the training rules are split into
	// to predict each part with models learned from the others.
	stackFolds = 2
	// stackMin is the number of tagged training rules below which the
	// combined score alone orders the candidates.
	stackMin = 300
	// stackTop is how many of the best families by combined score are
	// reordered.
	stackTop = 20
	// stackRidge is the L2 penalty of the fit.
	stackRidge = 1.0
)

// family is the candidates of one family, best first by combined order.
type family struct {
	parent  string
	members []*candidate
}

// familiesOf groups list by family, in the order of each family's best
// member.
func familiesOf(list []*candidate) []*family {
	idx := map[string]*family{}
	var out []*family
	for _, c := range list {
		p := parentOf(c.tech.ID)
		g := idx[p]
		if g == nil {
			g = &family{parent: p}
			idx[p] = g
			out = append(out, g)
		}
		g.members = append(g.members, c)
	}
	return out
}

// signals returns the signals of family g, at position pos of the combined
// order, for the stacker.
func (g *family) signals(pos int, m *model) []float64 {
	var best, knn, alt, kb, name, prose, near, voters, total float64
	var strong, weak float64 // clues of the member with the most strong clues (then weak)
	first := float64(m.k)    // rank of the most similar neighbour voting for the family
	voted := map[*doc]float64{}
	top5 := map[int]bool{}
	for _, c := range g.members {
		if st, wk := clues(c); float64(st) > strong || float64(st) == strong && float64(wk) > weak {
			strong, weak = float64(st), float64(wk)
		}
		best = math.Max(best, c.score)
		if c.prose != nil {
			prose = math.Max(prose, c.prose.score)
		}
		if c.kb != nil {
			kb = math.Max(kb, c.kb.score)
		}
		if c.name != nil {
			name = math.Max(name, c.name.score)
		}
		if v := c.model; v != nil {
			knn += v.knn
			alt += v.alt
			total = v.total
			voters = math.Max(voters, float64(len(v.from))/float64(max(1, m.k)))
			for _, n := range v.from {
				voted[n.doc] = math.Pow(n.sim, m.power)
				near = math.Max(near, n.sim)
				first = math.Min(first, float64(n.rank))
				if n.rank < 5 {
					top5[n.rank] = true
				}
			}
		}
	}
	c := g.members[0] // conf, family and famProb are the family's
	// the neighbours' vote for the family, each neighbour counted once
	var famKnn float64
	for _, w := range voted {
		famKnn += w
	}
	if total > 0 {
		famKnn *= c.conf / total
	}
	return []float64{
		famKnn, prose, c.family, c.famProb, best, knn, alt, kb, name,
		c.conf, near, voters,
		math.Log1p(float64(m.families[g.parent])),
		float64(len(g.members)), 1 / float64(1+pos), b2f(pos == 0),
		c.conf * knn, c.conf * alt, c.conf * c.family,
		1 / (1 + first), float64(len(top5)), b2f(first == 0),
		strong, weak, b2f(strong == 0),
	}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// rerank reorders the first stackTop families of list by the stacker,
// each family's members staying together in their order. A family none of
// whose techniques has a tactic the rule names keeps the penalty of the
// combined score: its odds are multiplied by offTactic.
func (st *stacker) rerank(list []*candidate, m *model) []*candidate {
	fams := familiesOf(list)
	n := min(stackTop, len(fams))
	u := make([]float64, n)
	for i, g := range fams[:n] {
		u[i] = st.logit(g.signals(i, m))
		if g.members[0].offTactic {
			u[i] += math.Log(offTactic)
		}
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	for i, g := range fams[:n] {
		// the stacker's probability that the family is right, which the
		// score shown is read from (calibrated: learned on held-out
		// predictions)
		p := 1 / (1 + math.Exp(-u[i]))
		for _, c := range g.members {
			c.prob = p
		}
	}
	sort.SliceStable(order, func(a, b int) bool { return u[order[a]] > u[order[b]] })
	out := make([]*candidate, 0, len(list))
	for _, i := range order {
		out = append(out, fams[i].members...)
	}
	for _, g := range fams[n:] {
		out = append(out, g.members...)
	}
	return out
}

// logit returns the stacker's log-odds that signals x are of a right family.
func (st *stacker) logit(x []float64) float64 {
	u := st.w[len(x)]
	for j, v := range x {
		u += st.w[j] * (v - st.mean[j]) / st.sd[j]
	}
	return u
}

// trainStacker learns the stacker from the tagged rules among rs, or
// returns nil when there are too few of them. Each of stackFolds parts is
// predicted by models learned from the other parts; a family is right when
// it is the family of one of the rule's techniques.
func (s *Suggester) trainStacker(rs []*rules.Rule) *stacker {
	var tagged []*rules.Rule
	var gold [][]string
	for _, r := range rs {
		if g := s.Existing(r); len(g) > 0 {
			tagged = append(tagged, r)
			gold = append(gold, g)
		}
	}
	if len(tagged) < stackMin {
		return nil
	}
	xs := make([][][]float64, len(tagged))
	ys := make([][]float64, len(tagged))
	for part := range stackFolds {
		var train []*rules.Rule
		var test []int
		for i, r := range tagged {
			if i%stackFolds == part {
				test = append(test, i)
			} else {
				train = append(train, r)
			}
		}
		sub := &Suggester{ix: s.ix, kb: s.kb, phrases: s.phrases, cache: s.cache, p: s.p, prose: s.prose, inner: true}
		sub.train(train)
		parallel.For(len(test), 0, func(j int) {
			i := test[j]
			right := set(parents(gold[i]))
			fams := familiesOf(sub.candidates(sub.features(tagged[i]), tagged[i], nil, nil))
			for pos, g := range fams[:min(stackTop, len(fams))] {
				xs[i] = append(xs[i], g.signals(pos, sub.model))
				ys[i] = append(ys[i], b2f(right[g.parent]))
			}
		})
	}
	var x [][]float64
	var y []float64
	for i := range xs {
		x = append(x, xs[i]...)
		y = append(y, ys[i]...)
	}
	return fitStacker(x, y)
}

// fitStacker fits a logistic regression of y on x by Newton's method with
// step halving, on standardised signals with an L2 penalty (the intercept
// is not penalised). It returns nil when there is nothing to learn from.
func fitStacker(x [][]float64, y []float64) *stacker {
	if len(x) == 0 {
		return nil
	}
	d := len(x[0])
	st := &stacker{w: make([]float64, d+1), mean: make([]float64, d), sd: make([]float64, d)}
	n := float64(len(x))
	for _, r := range x {
		for j, v := range r {
			st.mean[j] += v / n
		}
	}
	for _, r := range x {
		for j, v := range r {
			st.sd[j] += (v - st.mean[j]) * (v - st.mean[j]) / n
		}
	}
	for j := range st.sd {
		st.sd[j] = math.Sqrt(st.sd[j])
		if st.sd[j] < 1e-9 {
			st.sd[j] = 1 // a constant signal: its weight stays 0
		}
	}
	z := make([][]float64, len(x))
	for i, r := range x {
		z[i] = make([]float64, d+1)
		for j, v := range r {
			z[i][j] = (v - st.mean[j]) / st.sd[j]
		}
		z[i][d] = 1
	}
	penalty := func(j int) float64 {
		if j == d {
			return 0
		}
		return stackRidge
	}
	loss := func(w []float64) float64 {
		var l float64
		for j, v := range w {
			l += penalty(j) * v * v / 2
		}
		for i, r := range z {
			var u float64
			for j, v := range r {
				u += w[j] * v
			}
			// log(1+e^u) - y*u, computed stably
			l += math.Max(u, 0) + math.Log1p(math.Exp(-math.Abs(u))) - y[i]*u
		}
		return l
	}
	for range 30 {
		grad := make([]float64, d+1)
		hess := make([][]float64, d+1)
		for j := range hess {
			hess[j] = make([]float64, d+1)
			hess[j][j] = penalty(j)
			grad[j] = penalty(j) * st.w[j]
		}
		for i, r := range z {
			var u float64
			for j, v := range r {
				u += st.w[j] * v
			}
			p := 1 / (1 + math.Exp(-u))
			h := p * (1 - p)
			for a, va := range r {
				grad[a] += (p - y[i]) * va
				for b := a; b < len(r); b++ {
					hess[a][b] += h * va * r[b]
				}
			}
		}
		for a := range hess {
			for b := 0; b < a; b++ {
				hess[a][b] = hess[b][a]
			}
		}
		step := solve(hess, grad)
		if step == nil {
			break
		}
		before := loss(st.w)
		next := make([]float64, d+1)
		moved := false
		for t := 1.0; t > 1e-4; t /= 2 {
			for j := range next {
				next[j] = st.w[j] - t*step[j]
			}
			if loss(next) < before {
				moved = true
				break
			}
		}
		if !moved {
			break
		}
		var size float64
		for j := range st.w {
			size += (next[j] - st.w[j]) * (next[j] - st.w[j])
		}
		copy(st.w, next)
		if size < 1e-10 {
			break
		}
	}
	return st
}

// solve returns x with a·x = b by Gaussian elimination with partial
// pivoting, or nil when a is singular. It overwrites a and b.
func solve(a [][]float64, b []float64) []float64 {
	n := len(b)
	for c := range n {
		piv := c
		for r := c + 1; r < n; r++ {
			if math.Abs(a[r][c]) > math.Abs(a[piv][c]) {
				piv = r
			}
		}
		if math.Abs(a[piv][c]) < 1e-12 {
			return nil
		}
		a[c], a[piv] = a[piv], a[c]
		b[c], b[piv] = b[piv], b[c]
		for r := c + 1; r < n; r++ {
			k := a[r][c] / a[c][c]
			for j := c; j < n; j++ {
				a[r][j] -= k * a[c][j]
			}
			b[r] -= k * b[c]
		}
	}
	x := make([]float64, n)
	for r := n - 1; r >= 0; r-- {
		v := b[r]
		for j := r + 1; j < n; j++ {
			v -= a[r][j] * x[j]
		}
		x[r] = v / a[r][r]
	}
	return x
}
