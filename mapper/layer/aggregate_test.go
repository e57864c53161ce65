package layer

import (
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"weak"

	"gopkg.in/yaml.v3"

	"github.com/huntlint/huntlint/mapper"
	"github.com/huntlint/huntlint/rules"
)

// testCatalog is a small enterprise catalog of real ATT&CK 18.1 facts (IDs,
// names, tactics, platforms, revocations) written for these tests.
func testCatalog(t testing.TB) *mapper.Catalog {
	t.Helper()
	cat, err := mapper.LoadFile("../../testdata/attack/layer/enterprise-attack-18.1.json", "")
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

func ref(v string) rules.Ref {
	return rules.Ref{Text: "attack." + strings.ToLower(v), Value: v, Kind: rules.RefTechnique, Source: rules.SourceSigmaTag}
}

func rule(path, title, level, status string, refs ...string) *rules.Rule {
	r := &rules.Rule{Path: path, Title: title, Level: level, Status: status, Format: rules.FormatSigma, Start: rules.Pos{Line: 1, Column: 1}}
	for _, v := range refs {
		r.Attack = append(r.Attack, ref(v))
	}
	return r
}

func cellScores(dc *DomainCoverage) map[string]float64 {
	out := map[string]float64{}
	for id, c := range dc.Cells {
		out[id] = c.Score
	}
	return out
}

func TestAggregateRevokedUnknownDeprecated(t *testing.T) {
	cat := testCatalog(t)
	rs := []*rules.Rule{
		rule("a.yml", "A", "high", "stable", "T1059.001", "T1059", "T1086"), // T1086 is revoked by T1059.001: counted once
		rule("b.yml", "B", "medium", "test", "T1150"),                       // revoked by T1647
		rule("c.yml", "C", "", "", "T9999", "T1064"),                        // unknown and deprecated
	}
	cov, err := Aggregate(cat, rs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(cov.Domains) != 1 || cov.Domains[0].Domain != mapper.Enterprise {
		t.Fatalf("domains = %v", cov.Domains)
	}
	dc := cov.Domains[0]
	got := cellScores(dc)
	want := map[string]float64{"T1059.001": 1, "T1059": 1, "T1647": 1}
	if len(got) != len(want) {
		t.Fatalf("cells = %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("score %s = %v, want %v", k, got[k], v)
		}
	}
	if len(cov.Unknown) != 1 || cov.Unknown[0].Ref.Value != "T9999" {
		t.Errorf("unknown = %+v", cov.Unknown)
	}
	if len(cov.Deprecated) != 1 || cov.Deprecated[0].Ref.Value != "T1064" {
		t.Errorf("deprecated = %+v", cov.Deprecated)
	}
	if len(cov.Revoked) != 2 {
		t.Errorf("revoked = %+v", cov.Revoked)
	}
	if c := dc.Cells["T1647"]; len(c.Revoked) != 1 || c.Revoked[0].Final.ID != "T1647" {
		t.Errorf("T1647 revoked notes = %+v", c.Revoked)
	}
	if !strings.Contains(cellComment(dc.Cells["T1647"]), "revoked T1150 counted here (T1150 -> T1647) in: B") {
		t.Errorf("comment does not name the revoked ID:\n%s", cellComment(dc.Cells["T1647"]))
	}
	if cov.Untagged != 1 {
		t.Errorf("untagged = %d, want 1 (rule C)", cov.Untagged)
	}
}

func TestScoreFunctions(t *testing.T) {
	cat := testCatalog(t)
	rs := []*rules.Rule{
		rule("a.yml", "A", "high", "stable", "T1082"),
		rule("b.yml", "B", "Medium", "test", "T1082"), // Sentinel spelling
		rule("c.yml", "C", "", "experimental", "T1082"),
		rule("d.yml", "D", "critical", "experimental", "T1003.001"),
	}
	weights, err := ParseStatusWeights("stable=1,test=0.75,experimental=0.5")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		f       ScoreFunc
		weights map[string]float64
		want    float64 // T1082
	}{
		{ScoreCount, nil, 3},
		{ScoreLevel, nil, 8 + 4 + 1},
		{ScoreMax, nil, 8},
		{ScoreCount, weights, 1 + 0.75 + 0.5},
		{ScoreLevel, weights, 8 + 3 + 0.5},
		{ScoreMax, weights, 8},
	} {
		cov, err := Aggregate(cat, rs, Options{Score: tc.f, StatusWeights: tc.weights})
		if err != nil {
			t.Fatal(err)
		}
		if got := cov.Domains[0].Cells["T1082"].Score; got != tc.want {
			t.Errorf("%s %v: T1082 = %v, want %v", tc.f, tc.weights, got, tc.want)
		}
	}
}

func TestRollup(t *testing.T) {
	cat := testCatalog(t)
	rs := []*rules.Rule{
		rule("a.yml", "A", "", "", "T1003.001"),
		rule("b.yml", "B", "", "", "T1003", "T1003.001"),
		rule("c.yml", "C", "", "", "T1547.001"),
	}
	cov, _ := Aggregate(cat, rs, Options{})
	dc := cov.Domains[0]
	if got := cellScores(dc); got["T1003"] != 1 || got["T1003.001"] != 2 || got["T1547"] != 0 {
		t.Errorf("without rollup: %v", got)
	}
	cov, _ = Aggregate(cat, rs, Options{Rollup: true})
	dc = cov.Domains[0]
	if got := cellScores(dc); got["T1003"] != 2 || got["T1003.001"] != 2 || got["T1547"] != 1 {
		t.Errorf("with rollup: %v", got)
	}
	if c := dc.Cells["T1547"]; len(c.Rules) != 0 || len(c.Rolled) != 1 {
		t.Errorf("T1547 rules %v rolled %v", c.Rules, c.Rolled)
	}
}

func TestFilters(t *testing.T) {
	cat := testCatalog(t)
	win := rule("rules/windows/a.yml", "A", "high", "stable", "T1059.001")
	win.Product = "windows"
	mac := rule("rules/macos/b.yml", "B", "low", "experimental", "T1647")
	mac.Product = "macos"
	none := rule("deprecated/c.yml", "C", "", "", "T1078")
	kql := &rules.Rule{Path: "hunt.kql", Format: rules.FormatKQL, Attack: []rules.Ref{ref("T1082")}}
	rs := []*rules.Rule{win, mac, none, kql}
	for _, tc := range []struct {
		name string
		opts Options
		want []string
	}{
		{"all", Options{}, []string{"T1059.001", "T1078", "T1082", "T1647"}},
		{"min-level", Options{MinLevel: "medium"}, []string{"T1059.001"}},
		{"min-status keeps non-sigma", Options{MinStatus: "test"}, []string{"T1059.001", "T1082"}},
		{"source-format", Options{Formats: []rules.Format{rules.FormatKQL}}, []string{"T1082"}},
		{"product", Options{Products: []string{"MacOS"}}, []string{"T1647"}},
		{"tactic", Options{Tactics: []string{"Defense Evasion"}}, []string{"T1078", "T1647"}},
		{"tactic by id", Options{Tactics: []string{"TA0002"}}, []string{"T1059.001"}},
		{"include", Options{Include: []string{"rules/**"}}, []string{"T1059.001", "T1647"}},
		{"exclude", Options{Exclude: []string{"deprecated/**", "*.kql"}}, []string{"T1059.001", "T1647"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cov, err := Aggregate(cat, rs, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range cov.Domains[0].Sorted() {
				got = append(got, c.Technique.ID)
			}
			if strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Errorf("cells = %v, want %v", got, tc.want)
			}
		})
	}
	if _, err := Aggregate(cat, rs, Options{Tactics: []string{"exfil"}}); err == nil || !strings.Contains(err.Error(), `unknown tactic "exfil"`) {
		t.Errorf("unknown tactic: err = %v", err)
	}
	if _, err := Aggregate(cat, rs, Options{Exclude: []string{"[a"}}); err == nil {
		t.Error("bad pattern: no error")
	}
}

func TestTacticFilterLimitsEntries(t *testing.T) {
	cat := testCatalog(t)
	cov, _ := Aggregate(cat, []*rules.Rule{rule("a.yml", "A", "", "", "T1078")}, Options{Tactics: []string{"persistence", "initial-access"}})
	c := cov.Domains[0].Cells["T1078"]
	if strings.Join(c.Tactics, ",") != "initial-access,persistence" {
		t.Errorf("tactics = %v, want matrix order initial-access,persistence", c.Tactics)
	}
}

func rulesOf(rs ...*rules.Rule) []*rules.Rule { return rs }

func TestZeroStatusWeightDropsCell(t *testing.T) {
	rs := rulesOf(rule("a.yml", "A", "high", "experimental", "T1082"), rule("b.yml", "B", "high", "stable", "T1059"))
	cov, err := Aggregate(testCatalog(t), rs, Options{StatusWeights: map[string]float64{"experimental": 0}})
	if err != nil {
		t.Fatal(err)
	}
	if got := cellScores(cov.Domains[0]); len(got) != 1 || got["T1059"] != 1 {
		t.Errorf("cells = %v, want only T1059", got)
	}
}

// TestTacticFilterAfterRename checks that --tactic takes a tactic's former
// name when a newer release than the embedded one is loaded.
func TestTacticFilterAfterRename(t *testing.T) {
	cat, err := mapper.Open(mapper.Options{Paths: []string{filepath.Join("..", "..", "testdata", "attack", "mini-19.json")}, Offline: true})
	if err != nil {
		t.Fatal(err)
	}
	set, err := tacticSet(cat, []string{"defense-evasion", "TA0002"})
	if err != nil || len(set) != 2 || !set["stealth"] || !set["execution"] {
		t.Errorf("tacticSet = %v, %v; want stealth and execution", set, err)
	}
}

// TestAggregatorKeepsNoRule: a rule added to an Aggregator, with its YAML
// tree, can be freed while the coverage lives on (layer and gaps drop each
// file once aggregated); only its RuleInfo and notes stay.
func TestAggregatorKeepsNoRule(t *testing.T) {
	cat := testCatalog(t)
	a, err := NewAggregator(cat, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var doc, tag weak.Pointer[yaml.Node]
	var rule weak.Pointer[rules.Rule]
	func() {
		rs, probs := rules.LoadBytes("a.yml", []byte("title: A\nid: 5f1e0a3c-0000-4000-8000-000000000001\n"+
			"logsource:\n  product: windows\ndetection:\n  sel:\n    a: b\n  condition: sel\n"+
			"tags:\n  - attack.t1059.001\n  - attack.t1086\n  - attack.t9999\n  - attack.t1064\n"))
		if len(rs) != 1 || len(probs) != 0 || rs[0].Doc == nil || len(rs[0].Attack) != 4 || rs[0].Attack[2].Node == nil {
			t.Fatalf("loaded %d rules, problems %v", len(rs), probs)
		}
		doc, tag, rule = weak.Make(rs[0].Doc), weak.Make(rs[0].Attack[2].Node), weak.Make(rs[0])
		a.Add(rs[0])
	}()
	cov := a.Coverage()
	runtime.GC()
	if doc.Value() != nil || tag.Value() != nil || rule.Value() != nil {
		t.Errorf("the coverage keeps the rule (%v), its YAML tree (%v) or a tag's node (%v)", rule.Value() != nil, doc.Value() != nil, tag.Value() != nil)
	}
	if len(cov.Rules) != 1 || len(cov.Unknown) != 1 || len(cov.Revoked) != 1 || len(cov.Deprecated) != 1 {
		t.Fatalf("rules %d, unknown %d, revoked %d, deprecated %d; want 1 each", len(cov.Rules), len(cov.Unknown), len(cov.Revoked), len(cov.Deprecated))
	}
	if got := cov.Unknown[0].Ref.Text; got != "attack.t9999" {
		t.Errorf("unknown reference %q, want attack.t9999", got)
	}
}
