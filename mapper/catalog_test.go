package mapper

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/huntlint/huntlint/rules"
)

func loadFixture(t testing.TB, name, release string) *Catalog {
	t.Helper()
	// the mini bundles are shared by several packages (../testdata/attack);
	// texts.json is this package's own
	p := filepath.Join("..", "testdata", "attack", name)
	if _, err := os.Stat(p); err != nil {
		p = filepath.Join("testdata", name)
	}
	c, err := LoadFile(p, release)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func ids(objs []*Object) []string {
	var out []string
	for _, o := range objs {
		out = append(out, o.ID)
	}
	return out
}

func TestLoadFixtureRelease(t *testing.T) {
	c := loadFixture(t, "mini-18.json", "")
	rel := c.Releases()
	if len(rel) != 1 || rel[0].Domain != Enterprise || rel[0].Version != "unknown" || rel[0].Source != "path" {
		t.Fatalf("releases = %+v, want one enterprise release \"unknown\" from a path", rel)
	}
	if rel[0].Modified != "2025-10-28T12:00:00.000Z" {
		t.Errorf("modified = %q", rel[0].Modified)
	}
	c = loadFixture(t, "mini-18.json", "18.1")
	if v := c.Releases()[0].Version; v != "18.1" {
		t.Errorf("release flag: version = %q, want 18.1", v)
	}
	// STIX 2.1 with a collection object: the collection names the release
	// and wins over the flag.
	c = loadFixture(t, "mini-19.json", "18.1")
	if v := c.Releases()[0].Version; v != "19.0" {
		t.Errorf("collection: version = %q, want 19.0", v)
	}
}

func TestLoadReleaseFromFileNameAndGzip(t *testing.T) {
	data, err := os.ReadFile("../testdata/attack/mini-18.json")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(data)
	zw.Close()
	for name, content := range map[string][]byte{
		"enterprise-attack-18.1.json.gz":      gz.Bytes(),
		"enterprise-attack-17.1-slim.json.gz": gz.Bytes(),
		"enterprise-attack-16.0.json":         data,
		"bundle.json.gz":                      gz.Bytes(),
	} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, content, 0o644); err != nil {
			t.Fatal(err)
		}
		c, err := LoadFile(p, "")
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		want := map[string]string{
			"enterprise-attack-18.1.json.gz":      "18.1",
			"enterprise-attack-17.1-slim.json.gz": "17.1",
			"enterprise-attack-16.0.json":         "16.0",
			"bundle.json.gz":                      "unknown",
		}[name]
		if got := c.Releases()[0].Version; got != want {
			t.Errorf("%s: version %q, want %q", name, got, want)
		}
		if _, ok := c.Get(TypeTechnique, "T1059.001"); !ok {
			t.Errorf("%s: T1059.001 not loaded", name)
		}
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	data, _ := os.ReadFile("../testdata/attack/mini-18.json")
	cases := map[string]struct {
		content []byte
		want    string
	}{
		"truncated.json": {data[:len(data)/2], "truncated"},
		"array.json":     {[]byte(`[1,2]`), "not a STIX bundle"},
		"notbundle.json": {[]byte(`{"type":"indicator","objects":[]}`), `type is "indicator"`},
		"noobjects.json": {[]byte(`{"type":"bundle"}`), `no "objects"`},
		"garbage.json":   {[]byte(`{"type":"bundle","objects":[{"type":"attack-pattern","revoked":"yes"}]}`), "object 1"},
		"nodomain.json":  {[]byte(`{"type":"bundle","objects":[]}`), "cannot tell the ATT&CK domain"},
		"badgzip.json":   {[]byte{0x1f, 0x8b, 1, 2, 3}, "badgzip.json"},
	}
	for name, tc := range cases {
		p := filepath.Join(dir, name)
		os.WriteFile(p, tc.content, 0o644)
		_, err := LoadFile(p, "")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want it to mention %q", name, err, tc.want)
		}
		if err != nil && !strings.Contains(err.Error(), name) {
			t.Errorf("%s: err = %v does not name the file", name, err)
		}
	}
	if _, err := LoadFile(filepath.Join(dir, "missing.json"), ""); err == nil {
		t.Error("missing file: no error")
	}
}

func TestTacticsMatrixOrderAndRename(t *testing.T) {
	c18 := loadFixture(t, "mini-18.json", "")
	c19 := loadFixture(t, "mini-19.json", "")
	if got, want := ids(c18.Tactics(Enterprise)), []string{"TA0001", "TA0002", "TA0003", "TA0004", "TA0005", "TA0011"}; !reflect.DeepEqual(got, want) {
		t.Errorf("18 tactics = %v, want %v", got, want)
	}
	if got, want := ids(c19.Tactics(Enterprise)), []string{"TA0001", "TA0002", "TA0003", "TA0004", "TA0005", "TA0112", "TA0011"}; !reflect.DeepEqual(got, want) {
		t.Errorf("19 tactics = %v, want %v", got, want)
	}
	for i, tac := range c19.Tactics(Enterprise) {
		if tac.Order != i {
			t.Errorf("%s order %d, want %d", tac.ID, tac.Order, i)
		}
	}
	// The deprecated tactic is an object but not in the matrix.
	if o, ok := c18.Get(TypeTactic, "TA0099"); !ok || o.Status != StatusDeprecated {
		t.Errorf("TA0099 = %+v, %v", o, ok)
	}
	if len(c18.Objects(Enterprise, TypeTactic)) != 7 {
		t.Errorf("objects(tactic) = %v", ids(c18.Objects(Enterprise, TypeTactic)))
	}
	ta5, _ := c18.Tactic("TA0005")
	if ta5.Shortname != "defense-evasion" || ta5.Name != "Defense Evasion" {
		t.Errorf("18 TA0005 = %+v", ta5)
	}
	ta5, _ = c19.Tactic("ta0005")
	if ta5.Shortname != "stealth" || ta5.Name != "Stealth" {
		t.Errorf("19 TA0005 = %+v", ta5)
	}
	if _, ok := c19.Tactic("defense_evasion"); ok {
		t.Error("19 must not know defense_evasion")
	}
	if o, ok := c19.Tactic("DefenseImpairment"); !ok || o.ID != "TA0112" {
		t.Errorf("DefenseImpairment = %v, %v", o, ok)
	}
}

func TestTacticLookupSpellings(t *testing.T) {
	c := loadFixture(t, "mini-18.json", "")
	for _, s := range []string{"TA0011", "ta0011", "attack.ta0011", "command-and-control", "command_and_control",
		"attack.command_and_control", "Command and Control", "CommandAndControl", "commandandcontrol", " COMMAND-AND-CONTROL "} {
		o, ok := c.Tactic(s)
		if !ok || o.ID != "TA0011" {
			t.Errorf("Tactic(%q) = %v, %v; want TA0011", s, o, ok)
		}
	}
	for _, s := range []string{"", "attack.", "TA9999", "command", "T1059"} {
		if o, ok := c.Tactic(s); ok {
			t.Errorf("Tactic(%q) = %v, want none", s, o.ID)
		}
	}
}

func TestTechniqueFacts(t *testing.T) {
	c := loadFixture(t, "mini-18.json", "")
	for _, s := range []string{"T1059.001", "t1059.001", "attack.t1059.001", "ATTACK.T1059.001"} {
		o, ok := c.Get(TypeTechnique, s)
		if !ok || o.ID != "T1059.001" || o.Name != "PowerShell" || o.Parent != "T1059" || !o.IsSubtechnique() {
			t.Errorf("Get(%q) = %+v, %v", s, o, ok)
		}
	}
	p, _ := c.Technique("T1059")
	if !reflect.DeepEqual(p.Subtechniques, []string{"T1059.001", "T1059.003"}) || p.IsSubtechnique() {
		t.Errorf("T1059 subtechniques = %v", p.Subtechniques)
	}
	if !reflect.DeepEqual(p.Platforms, []string{"Windows", "Linux", "macOS"}) {
		t.Errorf("platforms = %v", p.Platforms)
	}
	// Tactics in matrix order, whatever the order of the kill chain phases.
	va, _ := c.Technique("T1078")
	if want := []string{"initial-access", "persistence", "privilege-escalation", "defense-evasion"}; !reflect.DeepEqual(va.Tactics, want) {
		t.Errorf("T1078 tactics = %v, want %v", va.Tactics, want)
	}
	if got := ids(c.TacticsOf(va)); !reflect.DeepEqual(got, []string{"TA0001", "TA0003", "TA0004", "TA0005"}) {
		t.Errorf("TacticsOf = %v", got)
	}
	if o, _ := c.Technique("T1064"); o.Status != StatusDeprecated {
		t.Errorf("T1064 status %s", o.Status)
	}
	if pp, ok := c.Parent(mustGet(t, c, TypeTechnique, "T1547.011")); !ok || pp.ID != "T1547" {
		t.Errorf("parent = %v", pp)
	}
	if o, ok := c.Get(TypeGroup, "g0016"); !ok || o.Name != "APT29" {
		t.Errorf("G0016 = %v", o)
	}
	for id, typ := range map[string]ObjectType{"S0002": TypeSoftware, "S0154": TypeSoftware, "C0024": TypeCampaign, "M1038": TypeMitigation,
		"DS0017": TypeDataSource, "DC0064": TypeDataComponent, "DET0001": TypeDetectionStrategy, "AN0001": TypeAnalytic} {
		if o, ok := c.Get(typ, id); !ok || o.Type != typ || o.Domain != Enterprise {
			t.Errorf("Get(%s, %s) = %v, %v", typ, id, o, ok)
		}
	}
	if got := len(c.Objects(Enterprise, TypeTechnique)); got != 19 {
		t.Errorf("techniques = %d, want 19", got)
	}
	objs := c.Objects(Enterprise, TypeTechnique)
	for i := 1; i < len(objs); i++ {
		if objs[i-1].ID > objs[i].ID {
			t.Errorf("Objects not sorted: %s before %s", objs[i-1].ID, objs[i].ID)
		}
	}
}

func mustGet(t testing.TB, c *Catalog, typ ObjectType, id string) *Object {
	t.Helper()
	o, ok := c.Get(typ, id)
	if !ok {
		t.Fatalf("%s %s not found", typ, id)
	}
	return o
}

func TestIDCollisionByType(t *testing.T) {
	c := loadFixture(t, "mini-18.json", "")
	tech := mustGet(t, c, TypeTechnique, "T1086")
	mit := mustGet(t, c, TypeMitigation, "T1086")
	if tech.Type != TypeTechnique || tech.Status != StatusRevoked || tech.Name != "PowerShell" {
		t.Errorf("technique T1086 = %+v", tech)
	}
	if mit.Type != TypeMitigation || mit.Status != StatusDeprecated || mit.Name != "PowerShell Mitigation" {
		t.Errorf("mitigation T1086 = %+v", mit)
	}
	if _, ok := c.Get(TypeGroup, "T1086"); ok {
		t.Error("T1086 found as a group")
	}
}

func TestRevocationChains(t *testing.T) {
	c := loadFixture(t, "mini-18.json", "")
	final, chain := c.Resolve(mustGet(t, c, TypeTechnique, "T1150"))
	if final == nil || final.ID != "T1647" || !reflect.DeepEqual(ids(chain), []string{"T1150", "T1547.011", "T1647"}) {
		t.Errorf("T1150 -> %v via %v", final, ids(chain))
	}
	o := mustGet(t, c, TypeTechnique, "T1086")
	if o.RevokedBy != "T1059.001" {
		t.Errorf("T1086 revoked by %q", o.RevokedBy)
	}
	final, chain = c.Resolve(mustGet(t, c, TypeTechnique, "T1059"))
	if final == nil || final.ID != "T1059" || len(chain) != 1 {
		t.Errorf("live: %v %v", final, chain)
	}
	if f, ch := c.Resolve(nil); f != nil || ch != nil {
		t.Error("Resolve(nil) not empty")
	}

	cy := loadFixture(t, "cycle.json", "")
	final, chain = cy.Resolve(mustGet(t, cy, TypeTechnique, "T1901"))
	if final != nil || !reflect.DeepEqual(ids(chain), []string{"T1901", "T1902"}) {
		t.Errorf("cycle: final %v chain %v", final, ids(chain))
	}
	final, chain = cy.Resolve(mustGet(t, cy, TypeTechnique, "T1903"))
	if final != nil || !reflect.DeepEqual(ids(chain), []string{"T1903"}) {
		t.Errorf("dangling: final %v chain %v", final, ids(chain))
	}

	c19 := loadFixture(t, "mini-19.json", "")
	final, _ = c19.Resolve(mustGet(t, c19, TypeTechnique, "T1562.001"))
	if final == nil || final.ID != "T1685" || !reflect.DeepEqual(final.Tactics, []string{"defense-impairment"}) {
		t.Errorf("19 T1562.001 -> %+v", final)
	}
}

func TestOpenPathsAndDomains(t *testing.T) {
	c, err := Open(Options{Paths: []string{"../testdata/attack/mini-18.json", "../testdata/attack/mini-mobile.json"}, Domains: []Domain{Mobile}, Offline: true, CacheDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c.Active(), []Domain{Mobile}) || !c.IsActive(Mobile) || c.IsActive(Enterprise) {
		t.Errorf("active = %v", c.Active())
	}
	rel := c.Releases()
	if rel[0].Domain != Mobile || rel[1].Domain != Enterprise {
		t.Errorf("releases not active first: %+v", rel)
	}
	// G0007 is in both: the active domain wins.
	if o := mustGet(t, c, TypeGroup, "G0007"); o.Domain != Mobile {
		t.Errorf("G0007 from %s, want mobile", o.Domain)
	}
	// T1059 only in the inactive domain: still found, Domain says where.
	if o := mustGet(t, c, TypeTechnique, "T1059"); o.Domain != Enterprise {
		t.Errorf("T1059 from %s", o.Domain)
	}
	if got := ids(c.Tactics(Mobile)); !reflect.DeepEqual(got, []string{"TA0041", "TA0032"}) {
		t.Errorf("mobile tactics = %v", got)
	}
	// Tactic names: active domain first (execution is in both).
	if o, _ := c.Tactic("execution"); o.ID != "TA0041" {
		t.Errorf("execution = %s, want mobile TA0041", o.ID)
	}
	if o, ok := c.TacticIn(Enterprise, "execution"); !ok || o.ID != "TA0002" {
		t.Errorf("TacticIn(enterprise) = %v", o)
	}

	if _, err := Open(Options{Paths: []string{"../testdata/attack/mini-18.json", "../testdata/attack/mini-19.json"}, Offline: true}); err == nil || !strings.Contains(err.Error(), "two catalogs for enterprise-attack") {
		t.Errorf("two bundles for one domain: %v", err)
	}
	empty := filepath.Join(t.TempDir(), "enterprise-attack-1.0.json")
	os.WriteFile(empty, []byte(`{"type":"bundle","objects":[]}`), 0o644)
	if _, err := Open(Options{Paths: []string{empty}, Offline: true}); err == nil || !strings.Contains(err.Error(), "not an ATT&CK catalog: no tactics in a matrix") {
		t.Errorf("empty bundle: %v", err)
	}
	if _, err := Open(Options{Domains: []Domain{"x"}}); err == nil || !strings.Contains(err.Error(), `unknown ATT&CK domain "x"`) {
		t.Errorf("bad domain: %v", err)
	}
}

// TestCurrentTacticAfterRename checks that with a newer release loaded, a
// tactic written by the name the embedded release gives it resolves to the
// tactic with the same ID today, and that nothing changes otherwise.
func TestCurrentTacticAfterRename(t *testing.T) {
	c, err := Open(Options{Paths: []string{"../testdata/attack/mini-19.json"}, Offline: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"defense-evasion", "defense_evasion", "Defense Evasion", "DefenseEvasion", "attack.defense-evasion"} {
		o, former, ok := c.CurrentTactic(name)
		if !ok || o.ID != "TA0005" || o.Shortname != "stealth" || o.Domain != Enterprise || former == nil || former.Shortname != "defense-evasion" {
			t.Errorf("%s: %+v, former %+v, %v", name, o, former, ok)
		}
	}
	if got := c.FormerRelease(Enterprise); got != "18.1" {
		t.Errorf("former release %q, want the embedded 18.1", got)
	}
	if o, former, ok := c.CurrentTactic("stealth"); !ok || o.ID != "TA0005" || former != nil {
		t.Errorf("stealth: %+v, former %+v", o, former)
	}
	if o, former, ok := c.CurrentTactic("execution"); !ok || o.ID != "TA0002" || former != nil {
		t.Errorf("execution: %+v, former %+v", o, former)
	}
	if _, _, ok := c.CurrentTactic("no-such-tactic"); ok {
		t.Error("an unknown name resolved")
	}
	res := c.ResolveRef(rules.Ref{Kind: rules.RefTactic, Text: "attack.defense-evasion", Value: "defense-evasion"})
	if res.Object == nil || res.Object.ID != "TA0005" || res.Canonical != "stealth" || res.Former == nil {
		t.Errorf("ResolveRef: %+v", res)
	}
	// The embedded catalog alone, or a bundle of its release or older: no
	// renames.
	emb, err := Open(Options{Offline: true})
	if err != nil {
		t.Fatal(err)
	}
	if o, former, ok := emb.CurrentTactic("defense-evasion"); !ok || o.Shortname != "defense-evasion" || former != nil || emb.FormerRelease(Enterprise) != "" {
		t.Errorf("embedded: %+v, former %+v", o, former)
	}
	old, err := Open(Options{Paths: []string{"../testdata/attack/mini-18.json"}, Release: "17.1", Offline: true})
	if err != nil {
		t.Fatal(err)
	}
	if old.FormerRelease(Enterprise) != "" {
		t.Error("a bundle no newer than the embedded release has no former names")
	}
}
