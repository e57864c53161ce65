package layer

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/huntlint/huntlint/internal/attacktest"
	"github.com/huntlint/huntlint/internal/testshared"
	"github.com/huntlint/huntlint/mapper"
)

func embeddedCatalog(tb testing.TB) *mapper.Catalog {
	tb.Helper()
	cat, err := mapper.Open(mapper.Options{Offline: true, CacheDir: tb.TempDir()})
	if err != nil {
		tb.Fatal(err)
	}
	return cat
}

// firstWith returns the first enterprise technique of c with status s.
func firstWith(tb testing.TB, c *mapper.Catalog, s mapper.Status, sub bool) *mapper.Object {
	for _, o := range c.Objects(mapper.Enterprise, mapper.TypeTechnique) {
		if o.Status == s && o.IsSubtechnique() == sub {
			return o
		}
	}
	tb.Skipf("no %s technique in the catalog", s)
	return nil
}

func findChange(rep *UpgradeReport, kind ChangeKind, id string) *UpgradeChange {
	for i, c := range rep.Changes {
		if c.Kind == kind && c.TechniqueID == id {
			return &rep.Changes[i]
		}
	}
	return nil
}

func TestUpgradeTargetOnly(t *testing.T) {
	cat := embeddedCatalog(t)
	dep := firstWith(t, cat, mapper.StatusDeprecated, false)
	in := `{"name":"old","versions":{"layer":"4.2","navigator":"4.4","attack":"9"},"domain":"enterprise-attack",
	"filters":{"platforms":["Windows","Nonexistent OS"]},
	"techniques":[
	{"techniqueID":"T1086","tactic":"execution","score":3,"comment":"old powershell","color":"#ff0000","category":"Detect"},
	{"techniqueID":"T1059.001","tactic":"execution","score":5,"comment":"powershell","links":[{"label":"r","url":"https://x/r"}]},
	{"techniqueID":"T1003","tactic":"credential-access","score":1,"enabled":false,"showSubtechniques":true,
	 "metadata":[{"name":"owner","value":"blue"}]},
	{"techniqueID":"T1003","tactic":"impact","score":1,"comment":"wrong tactic"},
	{"techniqueID":"` + dep.ID + `","score":2},
	{"techniqueID":"T1999","score":2}
	]}`
	res, err := Read(strings.NewReader(in), ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	out, rep, err := Upgrade("old.json", res.Layers, UpgradeOptions{Target: cat})
	if err != nil {
		t.Fatal(err)
	}
	l := out[0]
	rel, _ := cat.Release(mapper.Enterprise)
	if *l.Versions.Attack != rel.Version || l.Versions.Layer != "4.5" {
		t.Errorf("versions = %+v", l.Versions)
	}
	if l.Filters == nil || len(l.Filters.Platforms) != 1 || l.Filters.Platforms[0] != "Windows" {
		t.Errorf("filters = %+v", l.Filters)
	}
	mv := findChange(rep, ChangeMoved, "T1086")
	if mv == nil || mv.To != "T1059.001" || len(mv.Chain) < 2 {
		t.Fatalf("moved = %+v\n%+v", mv, rep.Changes)
	}
	mg := findChange(rep, ChangeMerged, "T1059.001")
	if mg == nil || mg.Tactic != "execution" || strings.Join(mg.From, ",") != "T1086,T1059.001" {
		t.Errorf("merged = %+v", mg)
	}
	var ps *Technique
	for i, e := range l.Techniques {
		if e.TechniqueID == "T1059.001" {
			if ps != nil {
				t.Errorf("two T1059.001 entries after the merge")
			}
			ps = &l.Techniques[i]
		}
	}
	if ps == nil || *ps.Score != 5 || *ps.Comment != "old powershell\npowershell" || *ps.Color != "#ff0000" ||
		len(ps.Links) != 1 || string(ps.Extra["category"]) != `"Detect"` {
		t.Errorf("merged entry = %+v score %v comment %q color %q", ps, *ps.Score, *ps.Comment, *ps.Color)
	}
	if ps != nil && !strings.Contains(fmt.Sprint(ps.Metadata), "T1086 revoked") {
		t.Errorf("moved entry does not say so: %+v", ps.Metadata)
	}
	tc := findChange(rep, ChangeTactics, "T1003")
	if tc == nil || strings.Join(tc.OldTactics, ",") != "credential-access,impact" {
		t.Errorf("tactics changed = %+v", tc)
	}
	n := 0
	for _, e := range l.Techniques {
		if e.TechniqueID == "T1003" {
			n++
			if *e.Tactic != "credential-access" {
				t.Errorf("T1003 under %s", *e.Tactic)
			}
			// the entry placed from "impact" merges into the explicit one
			if e.Comment == nil || *e.Comment != "wrong tactic" || e.ShowSubtechniques == nil || len(e.Metadata) != 1 {
				t.Errorf("T1003 annotations lost: %+v", e)
			}
		}
	}
	if n != 1 {
		t.Errorf("T1003 entries = %d", n)
	}
	if c := findChange(rep, ChangeDropped, dep.ID); c == nil || c.Reason != "deprecated" {
		t.Errorf("deprecated = %+v", c)
	}
	if c := findChange(rep, ChangeDropped, "T1999"); c == nil || !strings.HasPrefix(c.Reason, "unknown") {
		t.Errorf("unknown = %+v", c)
	}
	if !rep.NeedsReview() || rep.Counts[ChangeDropped] != 2 {
		t.Errorf("counts = %v", rep.Counts)
	}
	for _, w := range []func(*bytes.Buffer) error{
		func(b *bytes.Buffer) error { return rep.WriteText(b) },
		func(b *bytes.Buffer) error { return rep.WriteMarkdown(b) },
		func(b *bytes.Buffer) error { return rep.WriteJSON(b) },
	} {
		var b bytes.Buffer
		if err := w(&b); err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"T1086", "T1999", dep.ID, "T1003"} {
			if !strings.Contains(b.String(), want) {
				t.Errorf("report lacks %s:\n%s", want, b.String())
			}
		}
	}
	var enc bytes.Buffer
	if err := Encode(&enc, out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(enc.String(), `"category": "Detect"`) {
		t.Errorf("unknown field lost:\n%s", enc.String())
	}
}

// TestUpgradeUnchangedKeepsEverything: a layer of the target release comes
// back with every annotation.
func TestUpgradeUnchangedKeepsEverything(t *testing.T) {
	cat := embeddedCatalog(t)
	in := `{"name":"n","domain":"enterprise-attack","techniques":[
	{"techniqueID":"T1003","tactic":"credential-access","score":1,"color":"#112233","comment":"c","enabled":false,
	 "metadata":[{"name":"a","value":"b"},{"divider":true}],"links":[{"label":"l","url":"https://x"}],"showSubtechniques":true,"x":1},
	{"techniqueID":"T1003.001","comment":"no tactic"}]}`
	res, _ := Read(strings.NewReader(in), ReadOptions{})
	out, rep, err := Upgrade("", res.Layers, UpgradeOptions{Target: cat})
	if err != nil {
		t.Fatal(err)
	}
	if rep.NeedsReview() || rep.Counts[ChangeKept] != 2 {
		t.Errorf("report: %+v", rep)
	}
	var a, b bytes.Buffer
	Encode(&a, []*Layer{{Name: "x", Domain: "enterprise-attack", Techniques: res.Layers[0].Techniques}})
	Encode(&b, []*Layer{{Name: "x", Domain: "enterprise-attack", Techniques: out[0].Techniques}})
	if a.String() != b.String() {
		t.Errorf("entries changed:\n%s\n%s", a.String(), b.String())
	}
}

func load17and18(tb testing.TB) (*mapper.Catalog, *mapper.Catalog) {
	tb.Helper()
	c17, err := mapper.LoadFile(testshared.File(tb, "attack/enterprise-attack-17.1-slim.json.gz"), "")
	if err != nil {
		tb.Fatal(err)
	}
	c18, err := mapper.LoadFile(testshared.File(tb, "attack/enterprise-attack-18.1.json.gz"), "")
	if err != nil {
		tb.Fatal(err)
	}
	return c17, c18
}

// layerFor builds a layer with every technique of c, in any state (a
// layer made for a release may still name techniques revoked before it):
// one entry per tactic for even positions, one entry without a tactic for
// odd ones, each with a score and a comment naming it.
func layerFor(c *mapper.Catalog, rel string) *Layer {
	l := &Layer{Name: "all of " + rel, Domain: "enterprise-attack", Versions: &Versions{Layer: "4.5", Navigator: NavigatorVersion, Attack: ptr(rel)}}
	i := 0
	for _, o := range c.Objects(mapper.Enterprise, mapper.TypeTechnique) {
		i++
		if i%2 == 1 || len(o.Tactics) == 0 {
			l.Techniques = append(l.Techniques, Technique{TechniqueID: o.ID, Score: ptr(float64(i)), Comment: ptr("note " + o.ID)})
			continue
		}
		for _, tac := range o.Tactics {
			l.Techniques = append(l.Techniques, Technique{TechniqueID: o.ID, Tactic: ptr(tac), Score: ptr(float64(i)), Comment: ptr("note " + o.ID + " " + tac)})
		}
	}
	return l
}

// TestUpgrade17to18AgreesWithCatalogDiff: upgrading a layer of every 17.1
// technique to 18.1 classifies each technique as catalog diff does, and
// loses no annotation.
func TestUpgrade17to18AgreesWithCatalogDiff(t *testing.T) {
	c17, c18 := load17and18(t)
	checkAgainstDiff(t, c17, c18, layerFor(c17, "17.1"))
}

// TestUpgrade18toV19AgreesWithCatalogDiff is the same from 18.1 to the
// v19-style release, which revokes techniques and moves some to a new
// tactic.
func TestUpgrade18toV19AgreesWithCatalogDiff(t *testing.T) {
	src := testshared.File(t, "attack/enterprise-attack-18.1.json.gz")
	c18, err := mapper.LoadFile(src, "")
	if err != nil {
		t.Fatal(err)
	}
	c19, err := mapper.LoadFile(attacktest.V19Like(t, src), "")
	if err != nil {
		t.Fatal(err)
	}
	checkAgainstDiff(t, c18, c19, layerFor(c18, "18.1"))
}

func checkAgainstDiff(t *testing.T, from, target *mapper.Catalog, l *Layer) {
	diffs := mapper.Diff(from, target)
	if len(diffs) != 1 {
		t.Fatalf("diffs = %d", len(diffs))
	}
	dd := diffs[0]
	want := map[string]ChangeKind{}
	to := map[string]string{}
	moved := map[string][]string{}
	for _, r := range dd.Revoked {
		want[r.ID] = ChangeMoved
		if r.ReplacedBy != nil {
			to[r.ID] = r.ReplacedBy.ID
		} else {
			want[r.ID] = ChangeDropped
		}
	}
	for _, r := range dd.Kind(mapper.TypeTechnique).Renumbered {
		want[r.OldID], to[r.OldID] = ChangeMoved, r.NewID
	}
	for _, d := range dd.Deprecated {
		want[d.ID] = ChangeDropped
	}
	for _, d := range dd.Removed {
		want[d.ID] = ChangeDropped
	}
	for _, m := range dd.Moved {
		for _, nt := range m.New {
			moved[m.ID] = append(moved[m.ID], nt.Shortname)
		}
	}
	inDiff := len(want)
	// Techniques already revoked or deprecated in the old release are in
	// no diff list: they follow the new release's chain, or are dropped.
	for _, o := range from.Objects(mapper.Enterprise, mapper.TypeTechnique) {
		if _, ok := want[o.ID]; ok {
			continue
		}
		switch o.Status {
		case mapper.StatusRevoked:
			cur, _ := target.GetIn(mapper.Enterprise, mapper.TypeTechnique, o.ID)
			if final, _ := target.Resolve(cur); final != nil && final.Status == mapper.StatusActive {
				want[o.ID], to[o.ID] = ChangeMoved, final.ID
			} else {
				want[o.ID] = ChangeDropped
			}
		case mapper.StatusDeprecated:
			want[o.ID] = ChangeDropped
		}
	}
	for _, mode := range []string{"release diff", "target only"} {
		t.Run(mode, func(t *testing.T) {
			o := UpgradeOptions{Target: target}
			if mode == "release diff" {
				o.From = from
			}
			out, rep, err := Upgrade("all.json", []*Layer{l}, o)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]ChangeKind{}
			gotTo := map[string]string{}
			gotTac := map[string][]string{}
			for _, c := range rep.Changes {
				switch c.Kind {
				case ChangeMoved, ChangeDropped:
					got[c.TechniqueID] = c.Kind
					gotTo[c.TechniqueID] = c.To
				case ChangeTactics:
					gotTac[c.TechniqueID] = c.NewTactics
				}
			}
			seen := map[string]bool{}
			for _, e := range l.Techniques {
				id := e.TechniqueID
				if seen[id] {
					continue
				}
				seen[id] = true
				w := want[id]
				if w == "" {
					w = ChangeKept
				}
				g := got[id]
				if g == "" {
					g = ChangeKept
				}
				if g != w {
					t.Errorf("%s: upgrade says %s, catalog diff %s", id, g, w)
				}
				if w == ChangeMoved && gotTo[id] != to[id] {
					t.Errorf("%s: moved to %s, catalog diff says %s", id, gotTo[id], to[id])
				}
				if nt, ok := moved[id]; ok && mode == "release diff" {
					if strings.Join(gotTac[id], ",") != strings.Join(nt, ",") {
						t.Errorf("%s: tactics %v, catalog diff says %v", id, gotTac[id], nt)
					}
				}
			}
			if mode == "release diff" {
				for id := range gotTac {
					if _, ok := moved[id]; !ok && want[id] == "" {
						t.Errorf("%s: tactics changed, but not in catalog diff", id)
					}
				}
			}
			// No annotation lost: every comment of a technique that is not
			// dropped is on an entry of its new ID, at no lower score.
			idx := map[string][]Technique{}
			for _, e := range out[0].Techniques {
				idx[e.TechniqueID] = append(idx[e.TechniqueID], e)
			}
			for _, e := range l.Techniques {
				if want[e.TechniqueID] == ChangeDropped {
					continue
				}
				nid := e.TechniqueID
				if v, ok := to[nid]; ok {
					nid = v
				}
				found := false
				for _, n := range idx[nid] {
					if n.Comment != nil && containsLine(*n.Comment, *e.Comment) && *n.Score >= *e.Score {
						found = true
					}
				}
				if !found {
					t.Errorf("%s (%s): annotation %q lost", e.TechniqueID, nid, *e.Comment)
				}
			}
			t.Logf("%s: %d techniques in the catalog diff; %s", mode, inDiff, rep.Summary())
		})
	}
}

// TestUpgradeV19: the v19-style release renames TA0005 and revokes the
// Impair Defenses sub-techniques; a layer of 18.1 follows both.
func TestUpgradeV19(t *testing.T) {
	src := testshared.File(t, "attack/enterprise-attack-18.1.json.gz")
	c18, err := mapper.LoadFile(src, "")
	if err != nil {
		t.Fatal(err)
	}
	c19, err := mapper.LoadFile(attacktest.V19Like(t, src), "")
	if err != nil {
		t.Fatal(err)
	}
	l := &Layer{Name: "v18", Domain: "enterprise-attack", Techniques: []Technique{
		{TechniqueID: "T1562.001", Tactic: ptr("defense-evasion"), Score: ptr(4.0), Comment: ptr("edr tamper")},
		{TechniqueID: "T1027", Tactic: ptr("defense-evasion"), Score: ptr(2.0)},
	}}
	for _, from := range []*mapper.Catalog{c18, nil} {
		out, rep, err := Upgrade("", []*Layer{l}, UpgradeOptions{Target: c19, From: from})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, e := range out[0].Techniques {
			got[e.TechniqueID] = *e.Tactic
		}
		if got["T1685"] != "defense-impairment" || got["T1027"] != "stealth" {
			t.Errorf("from %v: entries %v\n%+v", from != nil, got, rep.Changes)
		}
	}
}

// BenchmarkUpgrade10k upgrades a layer of 10,000 entries (ATT&CK 17.1
// techniques, repeated with other tactics and scores) to 18.1.
func BenchmarkUpgrade10k(b *testing.B) {
	c17, c18 := load17and18(b)
	base := layerFor(c17, "17.1")
	l := &Layer{Name: base.Name, Domain: base.Domain, Versions: base.Versions}
	for i := 0; len(l.Techniques) < 10000; i++ {
		e := base.Techniques[i%len(base.Techniques)]
		e.Score = ptr(float64(i))
		l.Techniques = append(l.Techniques, e)
	}
	for _, from := range []struct {
		name string
		c    *mapper.Catalog
	}{{"release-diff", c17}, {"target-only", nil}} {
		b.Run(from.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, _, err := Upgrade("", []*Layer{l}, UpgradeOptions{Target: c18, From: from.c}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
