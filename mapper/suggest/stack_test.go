package suggest

import (
	"math"
	"testing"

	"github.com/huntlint/huntlint/rules"
)

func TestSolve(t *testing.T) {
	// 2x + y = 5, x + 3y = 10 -> x = 1, y = 3; the first pivot is swapped
	x := solve([][]float64{{1, 3}, {2, 1}}, []float64{10, 5})
	if len(x) != 2 || math.Abs(x[0]-1) > 1e-9 || math.Abs(x[1]-3) > 1e-9 {
		t.Errorf("solve = %v, want [1 3]", x)
	}
	if solve([][]float64{{1, 2}, {2, 4}}, []float64{1, 2}) != nil {
		t.Error("a singular system must give nil")
	}
}

// TestFitStacker checks that the fit weighs a signal that predicts the
// target up, one that predicts its absence down, and ignores a constant.
func TestFitStacker(t *testing.T) {
	var x [][]float64
	var y []float64
	for i := range 400 {
		good := float64(i % 2)
		noise := float64((i*7919)%13) / 13
		// signal 0 agrees with the target 9 times in 10, signal 1
		// disagrees, signal 2 is constant, signal 3 is noise
		s0, s1 := good, 1-good
		if i%10 == 0 {
			s0, s1 = 1-s0, 1-s1
		}
		x = append(x, []float64{s0, s1, 5, noise})
		y = append(y, good)
	}
	st := fitStacker(x, y)
	if st.w[0] <= 0.5 || st.w[1] >= -0.5 || math.Abs(st.w[2]) > 1e-9 || math.Abs(st.w[3]) > 0.3 {
		t.Errorf("weights %v: want signal 0 up, 1 down, 2 zero, 3 near zero", st.w)
	}
	hi := st.logit([]float64{1, 0, 5, 0.5})
	lo := st.logit([]float64{0, 1, 5, 0.5})
	if p := 1 / (1 + math.Exp(-hi)); p < 0.8 {
		t.Errorf("P(right | signal) = %.2f", p)
	}
	if hi <= lo {
		t.Errorf("logits %v <= %v", hi, lo)
	}
	if fitStacker(nil, nil) != nil {
		t.Error("no rows must give no stacker")
	}
}

// TestRerankByFamily checks that the stacker reorders whole families, keeps
// each family's members together and in their order, and keeps the
// penalty of a family off the tactics the rule names.
func TestRerankByFamily(t *testing.T) {
	m := &model{k: 20, power: 2, families: map[string]int{}}
	c := func(id string, score float64) *candidate {
		return &candidate{tech: &technique{ID: id}, score: score, rank: score, conf: 1}
	}
	list := []*candidate{c("T1059.001", 0.9), c("T1059", 0.5), c("T1218.011", 0.4), c("T1140", 0.3)}
	// a stacker that trusts only the knowledge base (signal 7)
	d := len(familiesOf(list)[0].signals(0, m))
	st := &stacker{w: make([]float64, d+1), mean: make([]float64, d), sd: make([]float64, d)}
	for j := range st.sd {
		st.sd[j] = 1
	}
	st.w[7] = 1
	list[3].kb = &kbHit{score: 0.9}
	list[2].kb = &kbHit{score: 0.5}
	var got []string
	for _, c := range st.rerank(list, m) {
		got = append(got, c.tech.ID)
	}
	if want := "T1140 T1218.011 T1059.001 T1059"; join(got) != want {
		t.Errorf("order %s, want %s", join(got), want)
	}
	// off the named tactics, T1140's log-odds fall by log(10), below the
	// families the knowledge base says nothing of
	list[3].offTactic = true
	got = got[:0]
	for _, c := range st.rerank(list, m) {
		got = append(got, c.tech.ID)
	}
	if want := "T1218.011 T1059.001 T1059 T1140"; join(got) != want {
		t.Errorf("off-tactic order %s, want %s", join(got), want)
	}
}

func join(l []string) string {
	out := ""
	for i, s := range l {
		if i > 0 {
			out += " "
		}
		out += s
	}
	return out
}

func TestStackerNeedsEnoughRules(t *testing.T) {
	var train []*rules.Rule
	for i := range 10 {
		train = append(train, sigma(t, "r"+string(rune('a'+i)), "Certutil Decode", []string{"attack.t1140"}, "    selection:\n        CommandLine|contains: '-decode'\n"))
	}
	s, err := New(embedded(t), train)
	if err != nil {
		t.Fatal(err)
	}
	if s.stack != nil {
		t.Errorf("a stacker learned from %d rules; it needs %d", len(train), stackMin)
	}
}
