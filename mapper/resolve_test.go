package mapper

import (
	"reflect"
	"testing"

	"github.com/huntlint/huntlint/rules"
)

func TestResolveRef(t *testing.T) {
	c := loadFixture(t, "mini-18.json", "")
	cases := []struct {
		value     string
		kind      rules.RefKind
		typ       ObjectType
		object    string // ID of Object, "" for nil
		final     string
		chain     []string
		malformed bool
		canonical string
	}{
		{"T1059.001", rules.RefTechnique, TypeTechnique, "T1059.001", "T1059.001", []string{"T1059.001"}, false, "T1059.001"},
		{"t1059.001", rules.RefUnknown, TypeTechnique, "T1059.001", "T1059.001", []string{"T1059.001"}, false, "T1059.001"},
		{"attack.t1150", "", TypeTechnique, "T1150", "T1647", []string{"T1150", "T1547.011", "T1647"}, false, "T1150"},
		{"T1086", rules.RefTechnique, TypeTechnique, "T1086", "T1059.001", []string{"T1086", "T1059.001"}, false, "T1086"},
		{"T1086", rules.RefMitigation, TypeMitigation, "T1086", "T1086", []string{"T1086"}, false, "T1086"},
		{"T9999", rules.RefTechnique, TypeTechnique, "", "", nil, false, "T9999"},
		{"T1059.1", rules.RefTechnique, TypeTechnique, "", "", nil, true, ""},
		{"T105", rules.RefUnknown, TypeTechnique, "", "", nil, true, ""},
		{"M1038", rules.RefUnknown, TypeMitigation, "M1038", "M1038", []string{"M1038"}, false, "M1038"},
		{"g0016", rules.RefGroup, TypeGroup, "G0016", "G0016", []string{"G0016"}, false, "G0016"},
		{"S0002", rules.RefUnknown, TypeSoftware, "S0002", "S0002", []string{"S0002"}, false, "S0002"},
		{"DS0017", rules.RefUnknown, TypeDataSource, "DS0017", "DS0017", []string{"DS0017"}, false, "DS0017"},
		{"defense_evasion", rules.RefTactic, TypeTactic, "TA0005", "TA0005", []string{"TA0005"}, false, "defense-evasion"},
		{"CommandAndControl", rules.RefUnknown, TypeTactic, "TA0011", "TA0011", []string{"TA0011"}, false, "command-and-control"},
		{"TA0002", rules.RefTactic, TypeTactic, "TA0002", "TA0002", []string{"TA0002"}, false, "TA0002"},
		{"TA02", rules.RefTactic, TypeTactic, "", "", nil, true, ""},
		{"Lateral_Movement", rules.RefTactic, TypeTactic, "", "", nil, false, "lateral-movement"},
		{"defense evasion!", rules.RefTactic, TypeTactic, "", "", nil, true, ""},
		{"M1038", rules.RefTechnique, TypeTechnique, "", "", nil, true, ""},
		{"", rules.RefTechnique, TypeTechnique, "", "", nil, true, ""},
		{"", rules.RefUnknown, "", "", "", nil, true, ""},
	}
	for _, tc := range cases {
		r := c.ResolveRef(rules.Ref{Text: "attack." + tc.value, Value: tc.value, Kind: tc.kind})
		got := ""
		if r.Object != nil {
			got = r.Object.ID
		}
		final := ""
		if r.Final != nil {
			final = r.Final.ID
		}
		if r.Type != tc.typ || got != tc.object || final != tc.final || !reflect.DeepEqual(ids(r.Chain), tc.chain) ||
			r.Malformed != tc.malformed || r.Canonical != tc.canonical {
			t.Errorf("ResolveRef(%q, %s) = type %q object %q final %q chain %v malformed %v canonical %q; want %q %q %q %v %v %q",
				tc.value, tc.kind, r.Type, got, final, ids(r.Chain), r.Malformed, r.Canonical,
				tc.typ, tc.object, tc.final, tc.chain, tc.malformed, tc.canonical)
		}
		if r.Object != nil && r.Object.Type != r.Type {
			t.Errorf("ResolveRef(%q) resolved to a %s, asked for %s", tc.value, r.Object.Type, r.Type)
		}
	}
	r := c.ResolveRef(rules.Ref{Value: "T1086", Kind: rules.RefTechnique})
	if !r.Found() || !r.Revoked() || r.Deprecated() {
		t.Errorf("T1086 flags: found %v revoked %v deprecated %v", r.Found(), r.Revoked(), r.Deprecated())
	}
}

func TestIDTypeAndValidID(t *testing.T) {
	for id, want := range map[string]ObjectType{"T1059": TypeTechnique, "attack.ta0001": TypeTactic, "G0016": TypeGroup, "S0002": TypeSoftware,
		"C0024": TypeCampaign, "M1038": TypeMitigation, "DS0017": TypeDataSource, "DC0064": TypeDataComponent,
		"DET0001": TypeDetectionStrategy, "AN0001": TypeAnalytic, "A0001": TypeAsset} {
		if got, ok := IDType(id); !ok || got != want {
			t.Errorf("IDType(%q) = %q, %v; want %q", id, got, ok, want)
		}
	}
	for _, id := range []string{"", "X1234", "defense_evasion", "1234", "T"} {
		if got, ok := IDType(id); ok {
			t.Errorf("IDType(%q) = %q, want none", id, got)
		}
	}
	if !ValidID(TypeTechnique, "attack.t1059.001") || ValidID(TypeTechnique, "T1059.01") || ValidID(TypeTechnique, "T10590") {
		t.Error("ValidID technique shapes wrong")
	}
	if !ValidID(TypeMitigation, "T1086") || !ValidID(TypeMitigation, "M1038") || ValidID(TypeGroup, "G16") {
		t.Error("ValidID mitigation/group shapes wrong")
	}
}

func TestSimilar(t *testing.T) {
	c := loadFixture(t, "mini-18.json", "")
	first := func(objs []*Object) string {
		if len(objs) == 0 {
			return ""
		}
		return objs[0].ID
	}
	cases := []struct {
		typ  ObjectType
		s    string
		want string
	}{
		{TypeTechnique, "T1059.01", "T1059.001"},
		{TypeTechnique, "t1059.0001", "T1059.001"},
		{TypeTechnique, "T1547.01", "T1547.001"},
		{TypeTechnique, "Powershell", "T1059.001"},
		{TypeTechnique, "Ingress Tool Transfers", "T1105"},
		{TypeTactic, "defense_evation", "TA0005"},
		{TypeTactic, "comand_and_control", "TA0011"},
		{TypeTactic, "pr", ""},
		{TypeTactic, "priv", "TA0004"},
		{TypeTactic, "privilege", "TA0004"},
		{TypeGroup, "APT-29", "G0016"},
		{TypeTechnique, "T9999", ""},
		{TypeTechnique, "zzzzzzzzzz", ""},
	}
	for _, tc := range cases {
		if got := first(c.Similar(tc.typ, tc.s, 3)); got != tc.want {
			t.Errorf("Similar(%s, %q) = %q (%v), want %q", tc.typ, tc.s, got, ids(c.Similar(tc.typ, tc.s, 3)), tc.want)
		}
	}
	// Revoked objects are never suggested: T1086 is revoked, T1059.001 is not.
	for _, o := range c.Similar(TypeTechnique, "T1085", 10) {
		if o.Status == StatusRevoked {
			t.Errorf("revoked %s suggested", o.ID)
		}
	}
	if got := c.Similar(TypeTechnique, "T1059.01", 0); got != nil {
		t.Errorf("n=0 gave %v", got)
	}
}

func TestSearch(t *testing.T) {
	c := loadFixture(t, "mini-18.json", "")
	got := ids(c.Search("T1059", 4))
	if want := []string{"T1059", "T1059.001", "T1059.003"}; !reflect.DeepEqual(got[:3], want) {
		t.Errorf("Search(T1059) = %v", got)
	}
	res := c.Search("powershell", 5)
	if len(res) < 3 || res[0].ID != "T1059.001" || res[0].Type != TypeTechnique {
		t.Errorf("Search(powershell) = %v", ids(res))
	}
	// The live technique ranks above the revoked one of the same name.
	if res[1].ID != "T1086" || res[1].Type != TypeTechnique {
		t.Errorf("Search(powershell)[1] = %s %s", res[1].Type, res[1].ID)
	}
	if got := ids(c.Search("cobalt", 3)); len(got) == 0 || got[0] != "S0154" {
		t.Errorf("Search(cobalt) = %v", got)
	}
	if got := ids(c.Search("command and control", 1)); len(got) != 1 || got[0] != "TA0011" {
		t.Errorf("Search(command and control) = %v", got)
	}
	// An ID-like query matches IDs, not names that look alike.
	if got := ids(c.Search("T1059.01", 5)); len(got) == 0 || got[0] != "T1059.001" {
		t.Errorf("Search(T1059.01) = %v", got)
	}
	for _, o := range c.Search("G0015", 5) {
		if o.ID != "G0016" && o.ID != "G0007" {
			t.Errorf("Search(G0015) found %s %s", o.ID, o.Name)
		}
	}
	if got := c.Search("  ", 3); got != nil {
		t.Errorf("blank search = %v", got)
	}
}
