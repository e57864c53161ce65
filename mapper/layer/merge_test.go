package layer

import (
	"strings"
	"testing"
)

func mk(name string, entries ...Technique) MergeInput {
	return MergeInput{Name: name + ".json", Layers: []*Layer{{
		Name: name, Domain: "enterprise-attack",
		Versions:   &Versions{Attack: ptr("18.1"), Navigator: NavigatorVersion, Layer: LayerVersion},
		Techniques: entries,
		Gradient:   &Gradient{Colors: []string{"#ffffff", "#ff0000"}, MinValue: 0, MaxValue: 10},
	}}}
}

func te(id, tactic string, score float64) Technique {
	t := Technique{TechniqueID: id, Score: ptr(score), Comment: ptr("from " + id)}
	if tactic != "" {
		t.Tactic = ptr(tactic)
	}
	return t
}

func scoresOf(l *Layer) string {
	var parts []string
	for _, t := range l.Techniques {
		s := "-"
		if t.Score != nil {
			s = fmtNum(*t.Score)
		}
		tac := ""
		if t.Tactic != nil {
			tac = "/" + *t.Tactic
		}
		parts = append(parts, t.TechniqueID+tac+"="+s)
	}
	return strings.Join(parts, " ")
}

func TestMerge(t *testing.T) {
	a := mk("a", te("T1059", "execution", 2), te("T1078", "persistence", 1), te("T1078", "defense-evasion", 1))
	b := mk("b", te("T1059", "execution", 5), te("T1082", "discovery", 3))
	c := mk("c", te("T1059", "execution", 1), te("T1078", "persistence", 4))
	for _, tc := range []struct {
		op   MergeOp
		want string
	}{
		{MergeMax, "T1059/execution=5 T1078/persistence=4 T1078/defense-evasion=1 T1082/discovery=3"},
		{MergeSum, "T1059/execution=8 T1078/persistence=5 T1078/defense-evasion=1 T1082/discovery=3"},
		{MergeMin, "T1059/execution=1"},
	} {
		out, err := Merge([]MergeInput{a, b, c}, tc.op, goldenOptions())
		if err != nil {
			t.Fatal(err)
		}
		if len(out) != 1 {
			t.Fatalf("%s: %d layers", tc.op, len(out))
		}
		if got := scoresOf(out[0]); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.op, got, tc.want)
		}
		if err := out[0].Validate(nil); err != nil {
			t.Errorf("%s: %v", tc.op, err)
		}
	}
	out, _ := Merge([]MergeInput{a, b}, MergeMax, goldenOptions())
	l := out[0]
	if g := l.Gradient; g.MinValue != 1 || g.MaxValue != 5 || g.Colors[0] != "#ffffff" || g.Colors[1] != "#ff0000" {
		t.Errorf("gradient = %+v", g)
	}
	if *l.Versions.Attack != "18.1" || !strings.Contains(*l.Description, "max of 2 layers: a.json, b.json") {
		t.Errorf("versions %v description %q", *l.Versions.Attack, *l.Description)
	}
}

func TestMergeRefusesMixedReleases(t *testing.T) {
	a := mk("a", te("T1059", "execution", 2))
	b := mk("b", te("T1059", "execution", 2))
	b.Layers[0].Versions.Attack = ptr("17.1")
	_, err := Merge([]MergeInput{a, b}, MergeMax, goldenOptions())
	if err == nil || !strings.Contains(err.Error(), "is for ATT&CK 17.1 but an earlier enterprise-attack layer is for ATT&CK 18.1") {
		t.Errorf("err = %v", err)
	}
	if _, err := Merge([]MergeInput{a}, MergeMax, goldenOptions()); err == nil {
		t.Error("merging one file: no error")
	}
	if _, err := ParseMergeOp("avg"); err == nil || !strings.Contains(err.Error(), `invalid merge operation "avg": use max, sum or min`) {
		t.Errorf("ParseMergeOp: %v", err)
	}
}

func TestMergeGoldenLayers(t *testing.T) {
	full := coverageLayers(t, Options{})
	part := coverageLayers(t, Options{Formats: nil, Include: []string{"sigma/**"}})
	out, err := Merge([]MergeInput{{Name: "full.json", Layers: full}, {Name: "sigma.json", Layers: part}}, MergeSum, goldenOptions())
	if err != nil {
		t.Fatal(err)
	}
	scores := map[string]float64{}
	for _, e := range out[0].Techniques {
		if e.Score != nil {
			scores[e.TechniqueID] = *e.Score
		}
	}
	// Sigma rules count twice, the Sentinel and KQL rules once.
	for id, want := range map[string]float64{"T1059.001": 4, "T1078": 1, "T1547.001": 1, "T1003.001": 2} {
		if scores[id] != want {
			t.Errorf("%s = %v, want %v", id, scores[id], want)
		}
	}
}
