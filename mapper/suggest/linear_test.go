package suggest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/huntlint/huntlint/rules"
)

// TestLinearLearns: the logistic regression ranks the technique of the
// rules that share a query's terms first, and is not consulted for a rule it
// was trained on (which would learn its own tags).
func TestLinearLearns(t *testing.T) {
	cat := embedded(t)
	sel := "    selection:\n        Image|endswith: '\\%s'\n        CommandLine|contains: '%s'\n"
	train := []*rules.Rule{
		sigma(t, "a", "Certutil Decode", []string{"attack.t1140"}, fmt.Sprintf(sel, "certutil.exe", "-decode")),
		sigma(t, "b", "Certutil Decode Hex", []string{"attack.t1140"}, fmt.Sprintf(sel, "certutil.exe", "-decodehex")),
		sigma(t, "c", "Whoami Execution", []string{"attack.t1033"}, fmt.Sprintf(sel, "whoami.exe", "/all")),
		sigma(t, "d", "Whoami Groups", []string{"attack.t1033"}, fmt.Sprintf(sel, "whoami.exe", "/groups")),
	}
	s, err := New(cat, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.p.learner, s.p.mix = "linear", 1
	s.train(train)
	q := sigma(t, "q", "Whoami Privileges", nil, fmt.Sprintf(sel, "whoami.exe", "/priv"))
	got := s.model.linearScores(s.model.vector(s.features(q)))
	if got["T1033"] <= got["T1140"] || got["T1033"] < 0.5 {
		t.Errorf("linear scores %v: want T1033 first, above 0.5", got)
	}
	var sum float64
	for _, p := range got {
		sum += p
	}
	if sum > 1.000001 {
		t.Errorf("probabilities sum to %v", sum)
	}
	// A training rule gets the neighbours' vote only: the same votes as
	// without the regression.
	mixed, _ := s.model.predict(s.features(train[2]), train[2])
	s.model.mix = 0
	plain, _ := s.model.predict(s.features(train[2]), train[2])
	if len(mixed) != len(plain) {
		t.Fatalf("votes for a training rule: %v, want %v", mixed, plain)
	}
	for id, v := range plain {
		if mixed[id] == nil || mixed[id].score != v.score {
			t.Errorf("vote for %s: %+v, want %+v", id, mixed[id], v)
		}
	}
}

// TestFamilyRegression: the family regression learns parent techniques,
// pooling the sub-techniques of a family, and is not consulted for a
// training rule.
func TestFamilyRegression(t *testing.T) {
	cat := embedded(t)
	sel := "    selection:\n        Image|endswith: '\\%s'\n        CommandLine|contains: '%s'\n"
	train := []*rules.Rule{
		sigma(t, "a", "Task Create", []string{"attack.t1053.005"}, fmt.Sprintf(sel, "schtasks.exe", "/create")),
		sigma(t, "b", "Task Create At", []string{"attack.t1053.002"}, fmt.Sprintf(sel, "schtasks.exe", "/sc")),
		sigma(t, "c", "Whoami Execution", []string{"attack.t1033"}, fmt.Sprintf(sel, "whoami.exe", "/all")),
	}
	s, err := New(cat, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.p.famHead = 1
	s.train(train)
	if got := s.model.fam.labels; len(got) != 2 {
		t.Fatalf("family labels %v, want T1053 and T1033", got)
	}
	q := sigma(t, "q", "Task Change", nil, fmt.Sprintf(sel, "schtasks.exe", "/change"))
	got := s.model.familyScores(s.features(q), q)
	if got["T1053"] <= got["T1033"] {
		t.Errorf("family scores %v: want T1053 first", got)
	}
	if got := s.model.familyScores(s.features(train[0]), train[0]); got != nil {
		t.Errorf("family scores for a training rule: %v", got)
	}
}

// TestRegressionEvidence: a suggestion the regression supports says so.
func TestRegressionEvidence(t *testing.T) {
	cat := embedded(t)
	sel := "    selection:\n        Image|endswith: '\\%s'\n        CommandLine|contains: '%s'\n"
	train := []*rules.Rule{
		sigma(t, "c", "Whoami Execution", []string{"attack.t1033"}, fmt.Sprintf(sel, "whoami.exe", "/all")),
		sigma(t, "d", "Whoami Groups", []string{"attack.t1033"}, fmt.Sprintf(sel, "whoami.exe", "/groups")),
		sigma(t, "a", "Certutil Decode", []string{"attack.t1140"}, fmt.Sprintf(sel, "certutil.exe", "-decode")),
	}
	s, err := New(cat, train)
	if err != nil {
		t.Fatal(err)
	}
	q := sigma(t, "q", "Whoami Privileges", nil, fmt.Sprintf(sel, "whoami.exe", "/priv"))
	sg := s.Suggest(q, 1)
	if len(sg) == 0 || sg[0].Technique != "T1033" {
		t.Fatalf("suggestions %+v: want T1033 first", sg)
	}
	found := false
	for _, e := range sg[0].Evidence {
		if strings.HasPrefix(e, "learned from the terms of tagged rules (probability ") {
			found = true
		}
	}
	if !found {
		t.Errorf("evidence %q lacks the regression's probability", sg[0].Evidence)
	}
}
