package suggest

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/huntlint/huntlint/rules"
)

// TestScoreArithmetic checks the metrics on a fixture computed by hand.
func TestScoreArithmetic(t *testing.T) {
	gold := [][]string{
		{"T1059.001"},          // r1
		{"T1218.011", "T1105"}, // r2
		{"T1003.001"},          // r3
		{"T1547.001", "T1112"}, // r4
	}
	pred := [][]string{
		{"T1059.001", "T1027", "T1140"},          // r1: exact top1; T1059.001 in the top 3
		{"T1218", "T1105", "T1036", "T1218.011"}, // r2: top1 wrong (T1218 is not gold) but parent right; T1105 in the top 3 (T1218.011 is 4th)
		{},                                       // r3: no suggestion: not covered, a miss
		{"T1112", "T1547.009", "T1082"},          // r4: exact top1; one of its two techniques in the top 3 is a hit
	}
	tactics := map[string][]string{
		"T1059.001": {"execution"},
		"T1218.011": {"defense-evasion"},
		"T1105":     {"command-and-control"},
		"T1003.001": {"credential-access"},
		"T1547.001": {"persistence", "privilege-escalation"},
		"T1112":     {"defense-evasion", "persistence"},
	}
	m := score(gold, pred, func(id string) []string { return tactics[id] })
	want := &Metrics{
		Rules:               4,
		Coverage:            0.75,  // 3 of 4 rules
		Top1Precision:       0.667, // r1, r4 of 3 covered
		ParentTop1Precision: 1,     // r1, r2, r4 of 3 covered
		Top3Recall:          0.75,  // r1, r2, r4 of all 4 files (r3 counts as a miss)
		ParentTop3Recall:    0.75,  // r1, r2, r4
		PerTacticRecall: map[string]float64{
			"execution":            1,   // T1059.001 found
			"defense-evasion":      0.5, // T1218.011 missed (4th), T1112 found
			"command-and-control":  1,   // T1105 found
			"credential-access":    0,   // T1003.001 missed
			"persistence":          0.5, // T1547.001 missed, T1112 found
			"privilege-escalation": 0,   // T1547.001 missed
		},
	}
	if !reflect.DeepEqual(m, want) {
		t.Errorf("score:\n got %+v\nwant %+v", m, want)
	}
	// Tactic level: r1 names execution (covered by T1059.001), r4 names
	// persistence and discovery (T1112 covers persistence only): (1 + 0.5) / 2.
	n, rec := tacticScore([][]string{{"execution"}, {"persistence", "discovery"}}, [][]string{pred[0], pred[3]}, func(id string) []string { return tactics[id] })
	if n != 2 || rec != 0.75 {
		t.Errorf("tacticScore = %d, %v; want 2, 0.75", n, rec)
	}
	if empty := score(nil, nil, nil); empty.Rules != 0 || empty.Top1Precision != 0 {
		t.Errorf("empty score %+v", empty)
	}
}

// TestCutAndFiles: a file whose first suggestion is below the cut-off gets
// none, otherwise all its suggestions; a file of several rules counts once,
// with their tags and suggestions merged.
func TestCutAndFiles(t *testing.T) {
	list := []Suggestion{{Technique: "T1105", Score: 0.6}, {Technique: "T1140", Score: 0.1}}
	if got := Cut(list, 0.25); len(got) != 2 {
		t.Errorf("first suggestion above the cut-off: got %v, want both", got)
	}
	if got := Cut(list, 0.7); got != nil {
		t.Errorf("first suggestion below the cut-off: got %v, want none", got)
	}
	a := &rules.Rule{Path: "a.md", Format: rules.FormatMarkdown}
	a2 := &rules.Rule{Path: "a.md", Format: rules.FormatMarkdown, DocIndex: 1}
	b := &rules.Rule{Path: "b.md", Format: rules.FormatMarkdown}
	files := byFile([]*rules.Rule{a, b, a2},
		[][]string{{"T1105"}, {"T1003.001"}, {"T1140"}}, [][]string{nil, nil, {"defense-evasion"}},
		[][]Suggestion{
			{{Technique: "T1140", Score: 0.3}, {Technique: "T1027", Score: 0.2}},
			{{Technique: "T1003.001", Score: 0.9}},
			{{Technique: "T1140", Score: 0.5}, {Technique: "T1105", Score: 0.4}, {Technique: "T1082", Score: 0.35}, {Technique: "T1033", Score: 0.1}},
		})
	if len(files) != 2 {
		t.Fatalf("%d files, want 2", len(files))
	}
	var ids []string
	for _, sg := range files[0].suggested {
		ids = append(ids, fmt.Sprintf("%s %.2f", sg.Technique, sg.Score))
	}
	if !reflect.DeepEqual(files[0].gold, []string{"T1105", "T1140"}) || !reflect.DeepEqual(files[0].goldTac, []string{"defense-evasion"}) ||
		!reflect.DeepEqual(ids, []string{"T1140 0.50", "T1105 0.40", "T1082 0.35"}) {
		t.Errorf("a.md: gold %v tactics %v suggested %v", files[0].gold, files[0].goldTac, ids)
	}
	if len(files[1].suggested) != 1 || files[1].format != "markdown" {
		t.Errorf("b.md: %+v", files[1])
	}
}

func TestEvaluateDoesNotLeakTags(t *testing.T) {
	cat := embedded(t)
	techs := []string{"T1003.001", "T1105", "T1112", "T1140", "T1033", "T1082"}
	var test, train []*rules.Rule
	load := func(name, title, tag string, n int) *rules.Rule {
		src := fmt.Sprintf("title: %s\nid: %s\nlogsource:\n    product: p%s\ndetection:\n    selection:\n        Foo%d: 'qq%s'\n    condition: selection\ntags:\n    - %s\n",
			title, name, name, n, name, tag)
		rs, probs := rules.LoadBytes(name+".yml", []byte(src))
		if len(rs) != 1 || len(probs) > 0 {
			t.Fatalf("%v", probs)
		}
		return rs[0]
	}
	for i, id := range techs {
		// Each pair of rules shares only its technique ID, in the title (in
		// two spellings) and the tags: stripped from the text, the ID must
		// not carry one rule's tags to the other.
		tag := "attack." + strings.ToLower(id)
		test = append(test, load(fmt.Sprintf("a%d", i), id+" alpha"+strings.Repeat("x", i), tag, i))
		train = append(train, load(fmt.Sprintf("b%d", i), tag+" beta"+strings.Repeat("y", i), tag, i+10))
	}
	m, err := Evaluate(cat, test, EvalOptions{Folds: 1, Train: train})
	if err != nil {
		t.Fatal(err)
	}
	if m.Rules != 6 || m.Trained != 6 {
		t.Errorf("rules %d trained %d", m.Rules, m.Trained)
	}
	if m.Top3Recall != 0 || m.ParentTop3Recall != 0 {
		t.Errorf("technique IDs in titles leaked tags between rules: %+v", m)
	}
}

func TestEvaluateLearnsAcrossFolds(t *testing.T) {
	cat := embedded(t)
	var rs []*rules.Rule
	for i := 0; i < 12; i++ {
		id, img := "T1140", "certutil.exe"
		title := "Decode Payload With Certutil Variant"
		if i%2 == 1 {
			id, img, title = "T1033", "whoami.exe", "Owner Discovery Via Whoami Variant"
		}
		rs = append(rs, sigma(t, fmt.Sprintf("r%02d", i), fmt.Sprintf("%s %d", title, i), []string{"attack." + strings.ToLower(id)},
			fmt.Sprintf("    selection:\n        Image|endswith: '\\%s'\n", img)))
	}
	m, err := Evaluate(cat, rs, EvalOptions{Folds: 3})
	if err != nil {
		t.Fatal(err)
	}
	if m.Top1Precision != 1 || m.Top3Recall != 1 || m.Coverage != 1 {
		t.Errorf("near-identical rules across folds: %+v", m)
	}
	if _, err := Evaluate(cat, rs[:2], EvalOptions{Folds: 5}); err == nil {
		t.Errorf("2 tagged rules in 5 folds: want an error")
	}
	// With one fold the model learns from Train only.
	m, err = Evaluate(cat, rs[:4], EvalOptions{Folds: 1, Train: rs[4:]})
	if err != nil {
		t.Fatal(err)
	}
	if m.Rules != 4 || m.Trained != 8 || m.Top1Precision != 1 {
		t.Errorf("cross-set evaluation: %+v", m)
	}
}
