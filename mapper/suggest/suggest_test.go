package suggest

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/huntlint/huntlint/rules"
)

// sigma builds a Sigma rule in memory.
func sigma(t testing.TB, name, title string, tags []string, detection string) *rules.Rule {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "title: %s\nid: %s\nstatus: test\ndescription: test rule\n", title, name)
	if len(tags) > 0 {
		b.WriteString("tags:\n")
		for _, tg := range tags {
			b.WriteString("    - " + tg + "\n")
		}
	}
	b.WriteString("logsource:\n    category: process_creation\n    product: windows\ndetection:\n" + detection + "    condition: selection\nlevel: medium\n")
	rs, probs := rules.LoadBytes(name+".yml", []byte(b.String()))
	if len(probs) > 0 || len(rs) != 1 {
		t.Fatalf("load %s: %v\n%s", name, probs, b.String())
	}
	return rs[0]
}

func TestNamePhrases(t *testing.T) {
	s, err := New(embedded(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	byTech := map[string][]string{}
	for _, p := range s.phrases {
		byTech[p.tech] = append(byTech[p.tech], p.phrase)
	}
	if got := byTech["T1547.001"]; len(got) != 2 || got[0] != " registry run keys " || got[1] != " startup folder " {
		t.Errorf("T1547.001 phrases %q, want registry run keys and startup folder", got)
	}
	if got := byTech["T1564.012"]; len(got) != 1 || got[0] != " file path exclusions " {
		t.Errorf("T1564.012 phrases %q: a slash without spaces does not split", got)
	}
	if got := byTech["T1053.002"]; len(got) != 0 {
		t.Errorf("the name At must not be a phrase, got %q", got)
	}
	f := newFeatures()
	f.title = "suspicious rundll32 execution"
	f.descr = "creates a scheduled task with mshta"
	f.values = []string{`windows management instrumentation`}
	got := matchNames(s.phrases, f)
	for tech, want := range map[string]string{
		"T1218.011": `name "Rundll32" in title`,
		"T1053.005": `name "Scheduled Task" in description`,
		"T1047":     `name "Windows Management Instrumentation" in detection values`,
	} {
		if h := got[tech]; h == nil || h.evidence != want {
			t.Errorf("%s: got %+v, want %q", tech, h, want)
		}
	}
	if got["T1218.011"].score != nameInTitle || got["T1053.005"].score != nameInDescr || got["T1047"].score != nameInBody {
		t.Errorf("scores by place: %v %v %v", got["T1218.011"].score, got["T1053.005"].score, got["T1047"].score)
	}
	if h := got["T1218.005"]; h != nil {
		t.Errorf("a one-word name outside the title matched: %+v", h)
	}
	f.title = "powershell download cradle"
	if h := matchNames(s.phrases, f)["T1059.001"]; h == nil || h.score != nameInTitle/2 {
		t.Errorf("PowerShell is also in PowerShell Profile: want half the title score, got %+v", h)
	}
}

func TestModelNeighbours(t *testing.T) {
	cat := embedded(t)
	sel := "    selection:\n        Image|endswith: '\\%s'\n        CommandLine|contains: '%s'\n"
	train := []*rules.Rule{
		sigma(t, "a", "Certutil Decode", []string{"attack.t1140"}, fmt.Sprintf(sel, "certutil.exe", "-decode")),
		sigma(t, "b", "Certutil Decode Hex", []string{"attack.t1140"}, fmt.Sprintf(sel, "certutil.exe", "-decodehex")),
		sigma(t, "c", "Whoami Execution", []string{"attack.t1033"}, fmt.Sprintf(sel, "whoami.exe", "/all")),
		sigma(t, "d", "Untagged", nil, fmt.Sprintf(sel, "certutil.exe", "-decode")),
	}
	s, err := New(cat, train)
	if err != nil {
		t.Fatal(err)
	}
	if s.Trained() != 3 {
		t.Errorf("trained on %d rules, want the 3 tagged ones", s.Trained())
	}
	q := sigma(t, "q", "Certutil Decoding A File", nil, fmt.Sprintf(sel, "certutil.exe", "-decode"))
	votes, conf := s.model.predict(s.features(q), q)
	if votes["T1140"] == nil || votes["T1033"] != nil && votes["T1033"].score >= votes["T1140"].score {
		t.Fatalf("votes %+v: want T1140 first", votes)
	}
	if conf <= 0 || conf > 1 {
		t.Errorf("confidence %v outside (0,1]", conf)
	}
	if n := votes["T1140"].from[0].doc.title; !strings.HasPrefix(n, "Certutil Decode") {
		t.Errorf("nearest neighbour %q", n)
	}
	// A training rule is never its own neighbour.
	votes, _ = s.model.predict(s.features(train[2]), train[2])
	if v := votes["T1033"]; v != nil {
		t.Errorf("the rule voted for itself: %+v", v)
	}
}

func TestCombine(t *testing.T) {
	w := weights{model: 1, kb: 0.5, name: 0.5}
	c := &candidate{model: &modelVote{score: 0.5}, kb: &kbHit{score: 0.6}, name: &nameHit{score: 0.4}}
	// 1 - (1-0.5)(1-0.3)(1-0.2) = 1 - 0.5*0.7*0.8 = 0.72
	if got := w.combine(c); math.Abs(got-0.72) > 1e-9 {
		t.Errorf("combine = %v, want 0.72", got)
	}
	if got := w.combine(&candidate{kb: &kbHit{score: 0.6}}); math.Abs(got-0.3) > 1e-9 {
		t.Errorf("kb only = %v, want 0.3", got)
	}
	if got := w.combine(&candidate{}); got != 0 {
		t.Errorf("no signal = %v, want 0", got)
	}
}

func TestSuggestEvidenceAndExisting(t *testing.T) {
	s, err := New(embedded(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	r := loadOne(t, "testdata/rundll32.yml")
	if got := s.Existing(r); len(got) != 1 || got[0] != "T1218.011" {
		t.Fatalf("existing %v", got)
	}
	all := s.SuggestFor(r, 5, true)
	if len(all) == 0 || all[0].Technique != "T1218.011" || all[0].Name != "Rundll32" {
		t.Fatalf("ignoring existing tags, want T1218.011 first, got %+v", all)
	}
	ev := strings.Join(all[0].Evidence, "; ")
	if !strings.Contains(ev, `process "rundll32.exe"`) || !strings.Contains(ev, `name "Rundll32" in title`) {
		t.Errorf("evidence %q", ev)
	}
	if all[0].Score <= 0 || all[0].Score > 1 {
		t.Errorf("score %v outside (0,1]", all[0].Score)
	}
	for _, sg := range s.Suggest(r, 5) {
		if sg.Technique == "T1218.011" || sg.Technique == "T1218" {
			t.Errorf("existing technique (or its parent) suggested again: %+v", sg)
		}
	}
}

func TestRevokedTagsResolve(t *testing.T) {
	s, err := New(embedded(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	// T1150 was revoked by T1647 (Plist File Modification).
	r := sigma(t, "r", "Plist", []string{"attack.t1150", "attack.t9999", "attack.execution"}, "    selection:\n        Image: x\n")
	if got := s.Existing(r); len(got) != 1 || got[0] != "T1647" {
		t.Errorf("existing %v, want [T1647]", got)
	}
}

func TestBest(t *testing.T) {
	cat := embedded(t)
	s, err := New(cat, nil)
	if err != nil {
		t.Fatal(err)
	}
	r := sigma(t, "b", "Rundll32 Without Arguments", nil, "    selection:\n        Image|endswith: '\\rundll32.exe'\n")
	o, ok := s.Best(r, cat)
	if !ok || o.ID != "T1218.011" {
		t.Errorf("Best = %v, %v; want T1218.011", o, ok)
	}
	none := sigma(t, "n", "Nothing Here", nil, "    selection:\n        Foo: 'zzqq'\n")
	if o, ok := s.Best(none, cat); ok {
		t.Errorf("Best on a rule without signal = %v", o.ID)
	}
}

func TestCalibration(t *testing.T) {
	// "process a.exe" fired on 6 rules: right on 1, a sibling on 1, wrong on 4.
	fs := make([]*features, 6)
	docs := make([]*doc, 6)
	for i := range fs {
		fs[i] = newFeatures()
		fs[i].kbHits = map[string]*kbHit{"T1218.011": {evidence: []string{`process "a.exe"`}, weights: []float64{0.8}}}
		docs[i] = &doc{labels: []string{"T1105"}}
	}
	docs[0].labels = []string{"T1218.011"}
	docs[1].labels = []string{"T1218.005"}
	cal := learnCalibration(fs, docs)
	// (1 + 0.5 + 4*0.8) / (6 + 4) = 0.47
	if got := cal.weight("T1218.011", `process "a.exe"`, 0.8); math.Abs(got-0.47) > 1e-9 {
		t.Errorf("calibrated weight %v, want 0.47", got)
	}
	if got := cal.weight("T1218.011", "unseen", 0.6); got != 0.6 {
		t.Errorf("unseen evidence keeps its prior, got %v", got)
	}
	var none *calibration
	if got := none.weight("T1", "x", 0.3); got != 0.3 {
		t.Errorf("no calibration keeps the prior, got %v", got)
	}
	h := &kbHit{evidence: []string{`process "a.exe"`, "other"}, weights: []float64{0.8, 0.5}}
	h.rescore("T1218.011", cal)
	// 1 - (1-0.47)(1-0.5) = 0.735
	if math.Abs(h.score-0.735) > 1e-9 {
		t.Errorf("rescored %v, want 0.735", h.score)
	}
}

func TestDiversify(t *testing.T) {
	mk := func(ids ...string) []*candidate {
		var out []*candidate
		for _, id := range ids {
			out = append(out, &candidate{tech: &technique{ID: id}})
		}
		return out
	}
	var got []string
	for _, c := range diversify(mk("T1078.004", "T1078", "T1098", "T1136.003", "T1098.001")) {
		got = append(got, c.tech.ID)
	}
	if want := "T1078.004 T1098 T1136.003 T1078 T1098.001"; strings.Join(got, " ") != want {
		t.Errorf("diversify = %v, want %s", got, want)
	}
}

func TestNamedTacticsSteer(t *testing.T) {
	s, err := New(embedded(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	// reg.exe adding a Run key: persistence (T1547.001) and defense evasion
	// (T1112) both fit; the tactic the rule names decides.
	det := "    selection:\n        Image|endswith: '\\reg.exe'\n        CommandLine|contains: '\\CurrentVersion\\Run'\n"
	evasion := sigma(t, "e", "Registry Change", []string{"attack.defense-evasion"}, det)
	got := s.Suggest(evasion, 1)
	if len(got) != 1 || got[0].Technique != "T1112" {
		t.Fatalf("with defense-evasion named: %+v, want T1112", got)
	}
	if ev := strings.Join(got[0].Evidence, "; "); !strings.Contains(ev, "tactic defense-evasion named by the rule") {
		t.Errorf("evidence %q", ev)
	}
	persistence := sigma(t, "p", "Registry Change", []string{"attack.persistence"}, det)
	if got := s.Suggest(persistence, 1); len(got) != 1 || got[0].Technique != "T1547.001" {
		t.Errorf("with persistence named: %+v, want T1547.001", got)
	}
	// --ignore-existing ignores named tactics too.
	a, b := s.SuggestFor(evasion, 3, true), s.SuggestFor(persistence, 3, true)
	if len(a) == 0 || len(b) == 0 || a[0].Technique != b[0].Technique || a[0].Score != b[0].Score {
		t.Errorf("ignoring existing tags, the named tactic still counted: %+v vs %+v", a, b)
	}
}

func TestNewLearnsAFileOnce(t *testing.T) {
	cat := embedded(t)
	a := loadOne(t, "testdata/rundll32.yml")
	twin := loadOne(t, "testdata/rundll32.yml")
	s, err := New(cat, []*rules.Rule{a, twin})
	if err != nil {
		t.Fatal(err)
	}
	if s.Trained() != 1 {
		t.Errorf("trained on %d rules, want 1", s.Trained())
	}
	for _, sg := range s.SuggestFor(a, 5, true) {
		for _, ev := range sg.Evidence {
			if strings.Contains(ev, "similar tagged rule") {
				t.Errorf("the rule learned from its own twin: %v", ev)
			}
		}
	}
}

func TestSharedTerms(t *testing.T) {
	m := &model{terms: []string{"certutil", "f:commandline", "ls:category:process_creation", "decode", "eid:4688"}}
	a := []posting{{0, 0.5}, {1, 0.1}, {2, 0.3}, {3, 0.6}}
	b := []posting{{0, 0.4}, {1, 0.9}, {2, 0.2}, {4, 0.9}}
	// contributions: certutil 0.20, commandline 0.09, category 0.06; decode and the event ID are not shared
	got := strings.Join(m.shared(a, b, 3), ", ")
	if want := "certutil, field commandline, category process_creation"; got != want {
		t.Errorf("shared = %q, want %q", got, want)
	}
	if got := readableTerm("eid:4688"); got != "event ID 4688" {
		t.Errorf("readableTerm = %q", got)
	}
}

// TestExistingFromTagsAlone: a rule whose references were not taken apart
// still counts its "attack.<technique>" tags (the prefix in any case), and
// only well-formed technique IDs written exactly.
func TestExistingFromTagsAlone(t *testing.T) {
	s, err := New(embedded(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	r := &rules.Rule{Tags: []rules.Tag{
		{Text: "attack.t1059.001"}, {Text: "ATTACK.T1033"}, {Text: "attack.ta0002"}, {Text: "attack.t1105.1"},
		{Text: " attack.t1218"}, {Text: "attack.t1047 "}, {Text: "t1027"}, {Text: "attack.execution"},
	}}
	if got := strings.Join(s.Existing(r), " "); got != "T1033 T1059.001" {
		t.Errorf("existing %q, want \"T1033 T1059.001\"", got)
	}
}
