package mapper

import (
	"reflect"
	"testing"

	"github.com/huntlint/huntlint/internal/testshared"
	"github.com/huntlint/huntlint/rules"
)

// Integration tests on MITRE's published bundles in ../shared/attack.

func loadShared(t testing.TB, name string) *Catalog {
	t.Helper()
	c, err := LoadFile(testshared.File(t, "attack/"+name), "")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestRealEnterprise181(t *testing.T) {
	c := loadShared(t, "enterprise-attack-18.1.json.gz")
	rel := c.Releases()[0]
	if rel.Domain != Enterprise || rel.Version != "18.1" {
		t.Errorf("release = %+v", rel)
	}
	tac := c.Tactics(Enterprise)
	if len(tac) != 14 || tac[0].Shortname != "reconnaissance" || tac[len(tac)-1].Shortname != "impact" {
		t.Errorf("tactics = %v", ids(tac))
	}
	final, chain := c.Resolve(mustGet(t, c, TypeTechnique, "T1150"))
	if final == nil || final.ID != "T1647" || !reflect.DeepEqual(ids(chain), []string{"T1150", "T1547.011", "T1647"}) {
		t.Errorf("T1150 chain = %v", ids(chain))
	}
	r := c.ResolveRef(rules.Ref{Value: "T1086", Kind: rules.RefTechnique})
	if !r.Revoked() || r.Final == nil || r.Final.ID != "T1059.001" {
		t.Errorf("T1086 -> %+v", r.Final)
	}
	if m := mustGet(t, c, TypeMitigation, "T1086"); m.Status != StatusDeprecated {
		t.Errorf("mitigation T1086 status %s", m.Status)
	}
	ps := mustGet(t, c, TypeTechnique, "T1059.001")
	if ps.Name != "PowerShell" || ps.Parent != "T1059" || !reflect.DeepEqual(ps.Tactics, []string{"execution"}) {
		t.Errorf("T1059.001 = %+v", ps)
	}
	va := mustGet(t, c, TypeTechnique, "T1078")
	if want := []string{"initial-access", "persistence", "privilege-escalation", "defense-evasion"}; !reflect.DeepEqual(va.Tactics, want) {
		t.Errorf("T1078 tactics = %v, want %v", va.Tactics, want)
	}
	if o, ok := c.Tactic("CommandAndControl"); !ok || o.ID != "TA0011" {
		t.Errorf("CommandAndControl = %v", o)
	}
	// Every revoked technique resolves to a live one (no broken chains in 18.1).
	for _, o := range c.Objects(Enterprise, TypeTechnique) {
		if o.Status != StatusRevoked {
			continue
		}
		if final, chain := c.Resolve(o); final == nil {
			t.Errorf("%s: broken revocation chain %v", o.ID, ids(chain))
		}
	}
	counts := map[ObjectType]int{}
	for _, typ := range []ObjectType{TypeTechnique, TypeGroup, TypeSoftware, TypeCampaign, TypeMitigation, TypeDataSource, TypeDataComponent, TypeDetectionStrategy, TypeAnalytic} {
		counts[typ] = len(c.Objects(Enterprise, typ))
	}
	want := map[ObjectType]int{TypeTechnique: 835, TypeGroup: 187, TypeSoftware: 787, TypeCampaign: 52, TypeMitigation: 268,
		TypeDataSource: 38, TypeDataComponent: 109, TypeDetectionStrategy: 691, TypeAnalytic: 1739}
	if !reflect.DeepEqual(counts, want) {
		t.Errorf("counts = %v, want %v", counts, want)
	}
	// catalog info counts, checked independently on the bundle.
	wantInfo := Counts{Tactics: 14, Techniques: 216, Subtechniques: 475, Revoked: 132, Deprecated: 12, Groups: 172, Software: 784,
		Campaigns: 52, Mitigations: 44, DataSources: 0, DataComponents: 106, DetectionStrategies: 691, Analytics: 1739}
	if got := c.Info()[0].Counts; got != wantInfo {
		t.Errorf("info counts = %+v, want %+v", got, wantInfo)
	}
}

func TestRealOtherDomains(t *testing.T) {
	ics := loadShared(t, "ics-attack-18.1.json.gz")
	if rel := ics.Releases()[0]; rel.Domain != ICS || rel.Version != "18.1" {
		t.Errorf("ics release = %+v", rel)
	}
	if n := len(ics.Tactics(ICS)); n != 12 {
		t.Errorf("ics tactics = %d", n)
	}
	if n := len(ics.Objects(ICS, TypeAsset)); n != 18 {
		t.Errorf("ics assets = %d", n)
	}
	mob := loadShared(t, "mobile-attack-18.1.json.gz")
	if rel := mob.Releases()[0]; rel.Domain != Mobile || rel.Version != "18.1" {
		t.Errorf("mobile release = %+v", rel)
	}
	// The deprecated "Network-Based Effects" matrix does not add tactics.
	if n := len(mob.Tactics(Mobile)); n != 12 {
		t.Errorf("mobile tactics = %d: %v", n, ids(mob.Tactics(Mobile)))
	}
	slim := loadShared(t, "enterprise-attack-17.1-slim.json.gz")
	if rel := slim.Releases()[0]; rel.Version != "17.1" {
		t.Errorf("slim release = %+v", rel)
	}
}

func TestRealDiff171To181(t *testing.T) {
	old := loadShared(t, "enterprise-attack-17.1-slim.json.gz")
	new := loadShared(t, "enterprise-attack-18.1.json.gz")
	d := Diff(old, new)[0]
	// Facts verified independently on the bundles: 12 techniques added,
	// none removed, two renamed, nothing newly revoked or deprecated, no
	// tactic changes (17.1 and 18.1 have the same 14 tactics).
	var added []string
	for _, a := range d.Added {
		added = append(added, a.ID)
	}
	wantAdded := []string{"T1036.012", "T1059.013", "T1204.005", "T1213.006", "T1518.002", "T1546.018", "T1562.013",
		"T1677", "T1678", "T1679", "T1680", "T1681"}
	if !reflect.DeepEqual(added, wantAdded) {
		t.Errorf("added %v, want %v", added, wantAdded)
	}
	wantRenamed := []Rename{{"T1497.003", "Time Based Evasion", "Time Based Checks"}, {"T1552.003", "Bash History", "Shell History"}}
	if !reflect.DeepEqual(d.Renamed, wantRenamed) {
		t.Errorf("renamed %+v", d.Renamed)
	}
	if len(d.Removed)+len(d.Revoked)+len(d.Deprecated)+len(d.Moved)+len(d.NewTactics)+len(d.RenamedTactics)+len(d.RemovedTactics) != 0 || d.Reordered != nil {
		t.Errorf("unexpected changes: %+v", d)
	}
	other := map[ObjectType]int{}
	for _, o := range d.Other {
		other[o.Type] = len(o.Added)
		if len(o.Removed) != 0 {
			t.Errorf("%s removed %v", o.Type, o.Removed)
		}
	}
	if other[TypeGroup] != 6 || other[TypeSoftware] != 29 || other[TypeCampaign] != 5 {
		t.Errorf("other changes %v", other)
	}
	if len(d.Added) != 12 || d.Added[0].ID != "T1036.012" || d.Added[0].Name != "Browser Fingerprint" {
		t.Errorf("added %+v, want 12 from T1036.012 Browser Fingerprint", d.Added)
	}
}
