package layer

import (
	"bytes"
	"strings"
	"testing"
)

func coverageLayers(t *testing.T, opts Options) []*Layer {
	t.Helper()
	cov, err := Aggregate(testCatalog(t), loadFixtures(t), opts)
	if err != nil {
		t.Fatal(err)
	}
	return Navigator(cov, goldenOptions())
}

func TestDiffGolden(t *testing.T) {
	old := coverageLayers(t, Options{Exclude: []string{"kql/**", "sigma/proc_access_win_lsass.yml", "sigma/proc_creation_win_powershell_legacy_tag.yml"}})
	new := coverageLayers(t, Options{Exclude: []string{"sigma/file_event_macos_plist.yml"}})
	d := DiffLayers(old, new, testCatalog(t))
	var ids []string
	for _, e := range d.Gained {
		ids = append(ids, "+"+e.TechniqueID)
	}
	for _, e := range d.Lost {
		ids = append(ids, "-"+e.TechniqueID)
	}
	for _, c := range d.Changed {
		ids = append(ids, "~"+c.TechniqueID+":"+fmtNum(c.Old)+">"+fmtNum(c.New))
	}
	if got, want := strings.Join(ids, " "), "+T1003.001 +T1547.001 -T1647 ~T1059.001:1>2"; got != want {
		t.Errorf("diff = %s, want %s", got, want)
	}
	var js, md bytes.Buffer
	if err := d.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	if err := d.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "diff.json", js.Bytes())
	checkGolden(t, "diff.md", md.Bytes())

	same := DiffLayers(new, new, nil)
	if !same.Empty() {
		t.Errorf("a layer differs from itself: %+v", same)
	}
	md.Reset()
	same.WriteMarkdown(&md)
	if !strings.Contains(md.String(), "No technique gained, lost or changed score.") {
		t.Errorf("empty diff markdown:\n%s", md.String())
	}
	js.Reset()
	same.WriteJSON(&js)
	if !jsonEqual(t, js.Bytes(), []byte(`{"gained":[],"lost":[],"changed":[]}`)) {
		t.Errorf("empty diff JSON = %s", js.String())
	}
}

func TestDiffWithoutCatalogUsesEntryTactics(t *testing.T) {
	old := []*Layer{{Name: "a", Domain: "enterprise-attack"}}
	new := []*Layer{{Name: "b", Domain: "enterprise-attack", Techniques: []Technique{
		{TechniqueID: "T1078", Tactic: ptr("persistence"), Score: ptr(2.0)},
		{TechniqueID: "T1078", Tactic: ptr("defense-evasion"), Score: ptr(2.0)},
		{TechniqueID: "T1003", ShowSubtechniques: ptr(true)}, // unscored: not coverage
	}}}
	d := DiffLayers(old, new, nil)
	if len(d.Gained) != 1 || d.Gained[0].TechniqueID != "T1078" || strings.Join(d.Gained[0].Tactics, ",") != "defense-evasion,persistence" || d.Gained[0].Score != 2 {
		t.Errorf("gained = %+v", d.Gained)
	}
}
