package gaps

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/huntlint/huntlint/mapper"
	"github.com/huntlint/huntlint/mapper/layer"
	"github.com/huntlint/huntlint/rules"
)

// A small hand-built catalog: two tactics; T1059 with sub-techniques
// .001 and .003; T1053 with .005; T1547; T1086 revoked by T1059.001; T1200
// deprecated; three groups (two share an alias), a campaign attributed to
// G0001 and a piece of software G0001 uses.
func testCatalog(t *testing.T) *mapper.Catalog {
	t.Helper()
	var objs []string
	n := 0
	obj := func(typ, id, name, extra string) string {
		n++
		stix := fmt.Sprintf("%s--%d", typ, n)
		objs = append(objs, fmt.Sprintf(`{"type":%q,"id":%q,"name":%q,"modified":"2024-01-01T00:00:00.000Z","external_references":[{"source_name":"mitre-attack","external_id":%q}]%s}`, typ, stix, name, id, extra))
		return stix
	}
	tech := func(id, name, tactic, extra string) string {
		if strings.Contains(id, ".") {
			extra += `,"x_mitre_is_subtechnique":true`
		}
		return obj("attack-pattern", id, name, fmt.Sprintf(`,"kill_chain_phases":[{"kill_chain_name":"mitre-attack","phase_name":%q}]%s`, tactic, extra))
	}
	rel := func(kind, src, dst, modified string) {
		n++
		objs = append(objs, fmt.Sprintf(`{"type":"relationship","id":"relationship--%d","relationship_type":%q,"source_ref":%q,"target_ref":%q,"modified":%q}`, n, kind, src, dst, modified))
	}
	ta2 := obj("x-mitre-tactic", "TA0002", "Execution", `,"x_mitre_shortname":"execution"`)
	ta3 := obj("x-mitre-tactic", "TA0003", "Persistence", `,"x_mitre_shortname":"persistence"`)
	objs = append(objs, fmt.Sprintf(`{"type":"x-mitre-matrix","id":"x-mitre-matrix--0","name":"Enterprise","tactic_refs":[%q,%q],"external_references":[{"source_name":"mitre-attack","external_id":"enterprise-attack"}]}`, ta2, ta3))
	t1059 := tech("T1059", "Command and Scripting Interpreter", "execution", "")
	t1059001 := tech("T1059.001", "PowerShell", "execution", "")
	t1059003 := tech("T1059.003", "Windows Command Shell", "execution", "")
	tech("T1053", "Scheduled Task/Job", "persistence", "")
	t1053005 := tech("T1053.005", "Scheduled Task", "persistence", "")
	t1547 := tech("T1547", "Boot or Logon Autostart Execution", "persistence", "")
	t1086 := tech("T1086", "PowerShell", "execution", `,"revoked":true`)
	t1200 := tech("T1200", "Old Thing", "execution", `,"x_mitre_deprecated":true`)
	rel("revoked-by", t1086, t1059001, "2024-01-01T00:00:00.000Z")
	g1 := obj("intrusion-set", "G0001", "Bears", `,"aliases":["Bears","Cozy Bear"]`)
	g2 := obj("intrusion-set", "G0002", "Wolves", `,"aliases":["Wolves","Shared"]`)
	obj("intrusion-set", "G0003", "Foxes", `,"aliases":["Foxes","Shared"]`)
	c1 := obj("campaign", "C0001", "Operation Honey", `,"aliases":["Operation Honey"]`)
	s1 := obj("malware", "S0001", "Claw", `,"x_mitre_aliases":["Claw","Paw"]`)
	rel("uses", g1, t1086, "2024-06-01T00:00:00.000Z")
	rel("uses", g1, t1059, "2020-01-01T00:00:00.000Z")
	rel("uses", g1, t1200, "2024-01-01T00:00:00.000Z")
	rel("uses", g1, s1, "2024-01-01T00:00:00.000Z")
	rel("uses", s1, t1547, "2024-01-01T00:00:00.000Z")
	rel("attributed-to", c1, g1, "2024-01-01T00:00:00.000Z")
	rel("uses", c1, t1053005, "2024-01-01T00:00:00.000Z")
	rel("uses", g2, t1059003, "2025-01-01T00:00:00.000Z")
	rel("uses", g2, t1059, "2025-01-01T00:00:00.000Z")
	bundle := `{"type":"bundle","id":"bundle--1","objects":[` + strings.Join(objs, ",\n") + `]}`
	c, err := mapper.LoadBundle(strings.NewReader(bundle), "enterprise-attack-1.0.json", "")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// testRules writes four Sigma rules: one on T1059.003 (covers T1059 too),
// one on the revoked T1086 (counts for T1059.001), a low one on T1547 and
// one on the parent T1053 (which does not cover T1053.005).
func testRules(t *testing.T) []*rules.Rule {
	t.Helper()
	dir := t.TempDir()
	write := func(name, tag, level string) {
		body := fmt.Sprintf("title: %s\nstatus: test\nlogsource:\n  product: windows\n  category: process_creation\ndetection:\n  sel:\n    Image|endswith: '\\x.exe'\n  condition: sel\nlevel: %s\ntags:\n  - attack.%s\n", name, level, tag)
		if err := os.WriteFile(filepath.Join(dir, name+".yml"), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("cmd", "t1059.003", "high")
	write("old_powershell", "t1086", "high")
	write("autostart", "t1547", "low")
	write("schtasks", "t1053", "high")
	files, probs := rules.Discover([]string{dir}, rules.DiscoverOptions{})
	rs, lp := rules.LoadAll(files, 0)
	if len(probs)+len(lp) > 0 || len(rs) != 4 {
		t.Fatalf("rules: %d, problems %v %v", len(rs), probs, lp)
	}
	return rs
}

func build(t *testing.T, c *mapper.Catalog, rs []*rules.Rule, opts layer.Options, sel Selection) *Report {
	t.Helper()
	cov, err := layer.Aggregate(c, rs, opts)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Build(c, cov, sel)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// rows are "rank ID usedby covered/rules".
func rows(r *Report) []string {
	var out []string
	for _, t := range r.Techniques {
		out = append(out, fmt.Sprintf("%d %s %s %v/%d", t.Rank, t.Technique.ID, strings.Join(t.UsedBy, ","), t.Covered, len(t.Rules)))
	}
	return out
}

func TestGapsSmallCatalog(t *testing.T) {
	c := testCatalog(t)
	rs := testRules(t)
	cases := []struct {
		name    string
		sel     Selection
		opts    layer.Options
		want    []string
		summary Summary
	}{
		{"revoked and sub-techniques", Selection{Groups: []string{"G0001"}}, layer.Options{},
			// T1086 counts as T1059.001 (covered by the T1086 rule through the
			// revocation); T1059 is covered by its sub-technique's rule;
			// the deprecated T1200 is left out.
			[]string{"1 T1059 G0001 true/2", "2 T1059.001 G0001 true/1"}, Summary{2, 2, 100}},
		{"alias, campaigns", Selection{Groups: []string{"cozy bear"}, IncludeCampaigns: true}, layer.Options{},
			// The parent T1053's rule does not cover the sub-technique.
			[]string{"1 T1059 G0001 true/2", "2 T1059.001 G0001 true/1", "3 T1053.005 G0001 false/0"}, Summary{3, 2, 66.7}},
		{"software, filtered rules", Selection{Groups: []string{"Bears"}, IncludeSoftware: true}, layer.Options{MinLevel: "high"},
			[]string{"1 T1059 G0001 true/2", "2 T1059.001 G0001 true/1", "3 T1547 G0001 false/0"}, Summary{3, 2, 66.7}},
		{"software kept", Selection{Groups: []string{"Bears"}, IncludeSoftware: true}, layer.Options{},
			[]string{"1 T1059 G0001 true/2", "2 T1059.001 G0001 true/1", "3 T1547 G0001 true/1"}, Summary{3, 3, 100}},
		{"since", Selection{Groups: []string{"G0001"}, Since: "2024-01-01"}, layer.Options{},
			[]string{"1 T1059.001 G0001 true/1"}, Summary{1, 1, 100}},
		{"two groups ranked", Selection{Groups: []string{"G0002", "G0001"}}, layer.Options{},
			[]string{"1 T1059 G0002,G0001 true/2", "2 T1059.001 G0001 true/1", "3 T1059.003 G0002 true/1"}, Summary{3, 3, 100}},
		{"campaign and software selected", Selection{Campaigns: []string{"Operation Honey"}, Software: []string{"paw"}}, layer.Options{MinLevel: "high"},
			[]string{"1 T1053.005 C0001 false/0", "2 T1547 S0001 false/0"}, Summary{2, 0, 0}},
		{"top used", Selection{TopUsed: 1}, layer.Options{},
			[]string{"1 T1059 top-used true/2"}, Summary{1, 1, 100}},
		{"threat of any type", Selection{Any: []string{"Claw", "Operation Honey"}}, layer.Options{},
			[]string{"1 T1053.005 C0001 false/0", "2 T1547 S0001 true/1"}, Summary{2, 1, 50}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := build(t, c, rs, tc.opts, tc.sel)
			if got := rows(r); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("techniques:\n got %q\nwant %q", got, tc.want)
			}
			if r.Summary != tc.summary {
				t.Errorf("summary = %+v, want %+v", r.Summary, tc.summary)
			}
		})
	}
	r := build(t, c, rs, layer.Options{}, Selection{Groups: []string{"G0001"}})
	if !reflect.DeepEqual(r.Dropped, []string{"T1200"}) {
		t.Errorf("dropped = %v, want the deprecated T1200", r.Dropped)
	}
}

func TestResolveThreatErrors(t *testing.T) {
	c := testCatalog(t)
	for _, tc := range []struct {
		sel  Selection
		want string
	}{
		{Selection{Groups: []string{"Shared"}}, `--group "Shared" names 2 objects (G0002 Wolves, G0003 Foxes): give the ID`},
		{Selection{Groups: []string{"Nobody"}}, `--group "Nobody": no group has this ID, name or alias`},
		{Selection{Groups: []string{"Claw"}}, `no group has`}, // software is not a group
		{Selection{Any: []string{"Nobody"}}, `no group, campaign or software has`},
		{Selection{Software: []string{" "}}, `--software: empty value`},
	} {
		_, err := ResolveThreats(c, tc.sel)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: err %v, want %q", tc.sel, err, tc.want)
		}
	}
	th, err := ResolveThreats(c, Selection{Groups: []string{"G0001", "Bears", "cozy-bear"}})
	if err != nil || len(th) != 1 || th[0].ID != "G0001" || th[0].Type != "group" {
		t.Errorf("one group named three ways: %v %v", th, err)
	}
}

func TestParseSince(t *testing.T) {
	for in, want := range map[string]string{"2024-01-31": "2024-01-31", "2024-01-31T23:00:00Z": "2024-01-31", " 2020-02-02 ": "2020-02-02"} {
		if got, err := ParseSince(in); err != nil || got != want {
			t.Errorf("ParseSince(%q) = %q, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "yesterday", "2024-13-01"} {
		if _, err := ParseSince(in); err == nil {
			t.Errorf("ParseSince(%q): no error", in)
		}
	}
}

func TestGapsFormats(t *testing.T) {
	c := testCatalog(t)
	r := build(t, c, testRules(t), layer.Options{}, Selection{Groups: []string{"G0001"}, IncludeCampaigns: true})
	wo := layer.WriteOptions{Name: "gaps test", Generator: "huntlint test", Date: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)}

	var buf bytes.Buffer
	if err := Write(&buf, FormatJSON, r, wo); err != nil {
		t.Fatal(err)
	}
	var j map[string]any
	if err := json.Unmarshal(buf.Bytes(), &j); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"catalog", "threats", "techniques", "summary"} {
		if _, ok := j[k]; !ok {
			t.Errorf("json lacks %q", k)
		}
	}
	var doc JSON
	json.Unmarshal(buf.Bytes(), &doc)
	if len(doc.Threats) != 1 || doc.Threats[0] != (Threat{ID: "G0001", Name: "Bears", Type: "group"}) {
		t.Errorf("threats = %+v", doc.Threats)
	}
	first := doc.Techniques[0]
	if first.ID != "T1059" || !first.Covered || first.Rules != 2 || first.Rank != 1 || !reflect.DeepEqual(first.UsedBy, []string{"G0001"}) || !reflect.DeepEqual(first.Tactics, []string{"execution"}) {
		t.Errorf("first technique = %+v", first)
	}
	if doc.Summary != (Summary{Used: 3, Covered: 2, Percent: 66.7}) {
		t.Errorf("summary = %+v", doc.Summary)
	}

	buf.Reset()
	if err := Write(&buf, FormatText, r, wo); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"threats: G0001 Bears (group)", "(with the campaigns attributed to groups)", "T1053.005", "3 techniques used, 2 covered (66.7%), 1 not covered", "left out: T1200"} {
		if !strings.Contains(buf.String(), s) {
			t.Errorf("text lacks %q:\n%s", s, buf.String())
		}
	}

	buf.Reset()
	if err := Write(&buf, FormatMarkdown, r, wo); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"# Detection gaps", "**Threats:** G0001 Bears (group)", "| 3 | T1053.005 Scheduled Task/Job: Scheduled Task | persistence | G0001 |", "| TA0002 Execution | 2 | 2 | 100% |", "| TA0003 Persistence | 1 | 0 | 0% |"} {
		if !strings.Contains(buf.String(), s) {
			t.Errorf("markdown lacks %q:\n%s", s, buf.String())
		}
	}

	buf.Reset()
	if err := Write(&buf, FormatNavigator, r, wo); err != nil {
		t.Fatal(err)
	}
	ls, err := layer.Decode(bytes.NewReader(buf.Bytes()), nil)
	if err != nil {
		t.Fatal(err)
	}
	l := ls[0]
	if len(l.LegendItems) != 3 || l.Gradient != nil {
		t.Errorf("legend %+v, gradient %+v", l.LegendItems, l.Gradient)
	}
	state := map[string]string{}
	comments := map[string]string{}
	for _, e := range l.Techniques {
		if e.Color != nil {
			state[e.TechniqueID] = *e.Color
			comments[e.TechniqueID] = *e.Comment
		}
	}
	want := map[string]string{
		"T1059":     layer.OverlayCoveredColor,   // used, covered by a sub-technique's rule
		"T1059.001": layer.OverlayCoveredColor,   // used, covered through the revoked T1086
		"T1053.005": layer.OverlayUncoveredColor, // used, no rule
		"T1059.003": layer.OverlayUnusedColor,    // covered, not used
		"T1053":     layer.OverlayUnusedColor,
		"T1547":     layer.OverlayUnusedColor,
	}
	if !reflect.DeepEqual(state, want) {
		t.Errorf("navigator states:\n got %v\nwant %v", state, want)
	}
	if c := comments["T1059.001"]; !strings.Contains(c, "used by G0001 Bears") || !strings.Contains(c, "old_powershell") {
		t.Errorf("T1059.001 comment = %q", c)
	}
	if c := comments["T1053.005"]; !strings.Contains(c, "used by G0001 Bears") || !strings.Contains(c, "no rule") {
		t.Errorf("T1053.005 comment = %q", c)
	}

	buf.Reset()
	if err := Write(&buf, FormatHTML, r, wo); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"used, not covered", "threats: G0001 Bears", "background:" + layer.OverlayUncoveredColor, "background:" + layer.OverlayCoveredColor, `"users":["G0001 Bears"]`} {
		if !strings.Contains(buf.String(), s) {
			t.Errorf("html lacks %q", s)
		}
	}
}

// A catalog without relationships (a slim bundle, an old cache) is an
// error, not a report of threats that use nothing.
func TestGapsNeedRelations(t *testing.T) {
	bundle := `{"type":"bundle","id":"bundle--1","objects":[
{"type":"x-mitre-matrix","id":"x-mitre-matrix--1","name":"Enterprise","tactic_refs":["x-mitre-tactic--1"],"external_references":[{"source_name":"mitre-attack","external_id":"enterprise-attack"}]},
{"type":"x-mitre-tactic","id":"x-mitre-tactic--1","name":"Execution","x_mitre_shortname":"execution","external_references":[{"source_name":"mitre-attack","external_id":"TA0002"}]},
{"type":"attack-pattern","id":"attack-pattern--1","name":"Scripting","kill_chain_phases":[{"kill_chain_name":"mitre-attack","phase_name":"execution"}],"external_references":[{"source_name":"mitre-attack","external_id":"T1059"}]},
{"type":"intrusion-set","id":"intrusion-set--1","name":"Bears","external_references":[{"source_name":"mitre-attack","external_id":"G0001"}]}]}`
	c, err := mapper.LoadBundle(strings.NewReader(bundle), "enterprise-attack-2.0-slim.json", "")
	if err != nil {
		t.Fatal(err)
	}
	cov, err := layer.Aggregate(c, nil, layer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, sel := range []Selection{{Groups: []string{"G0001"}}, {TopUsed: 5}} {
		_, err := Build(c, cov, sel)
		if err == nil || !strings.Contains(err.Error(), "enterprise-attack 2.0 catalog") || !strings.Contains(err.Error(), "holds no uses relationships") {
			t.Errorf("%+v: err %v", sel, err)
		}
	}
}
