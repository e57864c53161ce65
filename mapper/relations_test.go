package mapper

import (
	"bytes"
	"compress/gzip"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/huntlint/huntlint/internal/testshared"
)

// relationsBundle is a small STIX bundle with groups, a campaign, software
// and uses / attributed-to relationships, among them a revoked and a
// deprecated relationship that must be left out.
const relationsBundle = `{"type":"bundle","id":"bundle--1","objects":[
{"type":"x-mitre-matrix","id":"x-mitre-matrix--1","name":"Enterprise","tactic_refs":["x-mitre-tactic--1"],"external_references":[{"source_name":"mitre-attack","external_id":"enterprise-attack"}]},
{"type":"x-mitre-tactic","id":"x-mitre-tactic--1","name":"Execution","x_mitre_shortname":"execution","external_references":[{"source_name":"mitre-attack","external_id":"TA0002"}],"modified":"2024-01-01T00:00:00.000Z"},
{"type":"attack-pattern","id":"attack-pattern--1","name":"Scripting","kill_chain_phases":[{"kill_chain_name":"mitre-attack","phase_name":"execution"}],"external_references":[{"source_name":"mitre-attack","external_id":"T1059"}],"modified":"2024-01-01T00:00:00.000Z"},
{"type":"attack-pattern","id":"attack-pattern--2","name":"PowerShell","x_mitre_is_subtechnique":true,"kill_chain_phases":[{"kill_chain_name":"mitre-attack","phase_name":"execution"}],"external_references":[{"source_name":"mitre-attack","external_id":"T1059.001"}],"modified":"2024-01-01T00:00:00.000Z"},
{"type":"intrusion-set","id":"intrusion-set--1","name":"Bears","aliases":["Bears","Cozy Bear","The Dukes"],"external_references":[{"source_name":"mitre-attack","external_id":"G0001"}],"modified":"2024-01-01T00:00:00.000Z"},
{"type":"campaign","id":"campaign--1","name":"Operation Honey","aliases":["Operation Honey"],"external_references":[{"source_name":"mitre-attack","external_id":"C0001"}],"modified":"2024-01-01T00:00:00.000Z"},
{"type":"malware","id":"malware--1","name":"Claw","x_mitre_aliases":["Claw","Paw"],"external_references":[{"source_name":"mitre-attack","external_id":"S0001"}],"modified":"2024-01-01T00:00:00.000Z"},
{"type":"relationship","id":"relationship--1","relationship_type":"uses","source_ref":"intrusion-set--1","target_ref":"attack-pattern--2","modified":"2025-03-04T05:06:07.000Z"},
{"type":"relationship","id":"relationship--2","relationship_type":"uses","source_ref":"campaign--1","target_ref":"attack-pattern--1","modified":"2023-01-01T00:00:00.000Z"},
{"type":"relationship","id":"relationship--3","relationship_type":"attributed-to","source_ref":"campaign--1","target_ref":"intrusion-set--1","modified":"2023-02-01T00:00:00.000Z"},
{"type":"relationship","id":"relationship--4","relationship_type":"uses","source_ref":"intrusion-set--1","target_ref":"malware--1","modified":"2023-03-01T00:00:00.000Z"},
{"type":"relationship","id":"relationship--5","relationship_type":"uses","source_ref":"malware--1","target_ref":"attack-pattern--1","modified":"2023-04-01T00:00:00.000Z"},
{"type":"relationship","id":"relationship--6","relationship_type":"uses","source_ref":"intrusion-set--1","target_ref":"attack-pattern--1","revoked":true,"modified":"2023-05-01T00:00:00.000Z"},
{"type":"relationship","id":"relationship--7","relationship_type":"uses","source_ref":"malware--1","target_ref":"attack-pattern--2","x_mitre_deprecated":true,"modified":"2023-06-01T00:00:00.000Z"},
{"type":"relationship","id":"relationship--8","relationship_type":"mitigates","source_ref":"course-of-action--1","target_ref":"attack-pattern--1","modified":"2023-06-01T00:00:00.000Z"}
]}`

func relString(r *Relation) string {
	return r.Source.ID + " " + string(r.Kind) + " " + r.Target.ID + " " + r.Modified
}

func TestRelationsFromBundle(t *testing.T) {
	c, err := LoadBundle(strings.NewReader(relationsBundle), "enterprise-attack-1.0.json", "")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range c.Relations(Enterprise) {
		got = append(got, relString(&r))
	}
	want := []string{
		"C0001 attributed-to G0001 2023-02-01T00:00:00.000Z",
		"C0001 uses T1059 2023-01-01T00:00:00.000Z",
		"G0001 uses S0001 2023-03-01T00:00:00.000Z",
		"G0001 uses T1059.001 2025-03-04T05:06:07.000Z",
		"S0001 uses T1059 2023-04-01T00:00:00.000Z",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("relations:\n got %q\nwant %q", got, want)
	}
	g, _ := c.Get(TypeGroup, "G0001")
	if want := []string{"Cozy Bear", "The Dukes"}; !reflect.DeepEqual(g.Aliases, want) {
		t.Errorf("aliases = %q, want %q", g.Aliases, want)
	}
	s, _ := c.Get(TypeSoftware, "S0001")
	if want := []string{"Paw"}; !reflect.DeepEqual(s.Aliases, want) {
		t.Errorf("software aliases = %q, want %q", s.Aliases, want)
	}
	tech, _ := c.Technique("T1059")
	var to []string
	for _, r := range c.RelationsTo(tech) {
		to = append(to, r.Source.ID)
	}
	sort.Strings(to)
	if want := []string{"C0001", "S0001"}; !reflect.DeepEqual(to, want) {
		t.Errorf("RelationsTo(T1059) = %q, want %q", to, want)
	}

	// The compact format keeps relations (with their dates) and aliases.
	var buf bytes.Buffer
	if err := WriteCompact(&buf, []string{"test"}, c); err != nil {
		t.Fatal(err)
	}
	c2, err := ReadCompact(bytes.NewReader(buf.Bytes()), "cache")
	if err != nil {
		t.Fatal(err)
	}
	got = nil
	for _, r := range c2.Relations(Enterprise) {
		got = append(got, relString(&r))
	}
	sort.Strings(got)
	sort.Strings(want)
	for i := range want {
		want[i] = want[i][:strings.LastIndexByte(want[i], ' ')+11]
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("compact relations:\n got %q\nwant %q", got, want)
	}
	g2, _ := c2.Get(TypeGroup, "G0001")
	if !reflect.DeepEqual(g2.Aliases, g.Aliases) {
		t.Errorf("compact aliases = %q", g2.Aliases)
	}
	for _, q := range []string{"G0001", "g0001", "Bears", "cozy bear", "COZY-BEAR", "  The   Dukes "} {
		if f := c2.Find(TypeGroup, q); len(f) != 1 || f[0].ID != "G0001" {
			t.Errorf("Find(group, %q) = %v", q, f)
		}
	}
	if f := c2.Find(TypeGroup, "Paw"); len(f) != 0 {
		t.Errorf("Find(group, Paw) = %v, want nothing (a software alias)", f)
	}
	if f := c2.Find(TypeSoftware, "paw"); len(f) != 1 || f[0].ID != "S0001" {
		t.Errorf("Find(software, paw) = %v", f)
	}
	v := c2.View(g2)
	if len(v.Uses) != 1 || v.Uses[0].ID != "T1059.001" || len(v.UsesSoftware) != 1 || len(v.Campaigns) != 1 || v.Campaigns[0].ID != "C0001" {
		t.Errorf("view of G0001 = %+v", v)
	}
	// What catalog show writes of the view (cmd/huntlint's writeViewText).
	if strings.Join(v.Aliases, ", ") != "Cozy Bear, The Dukes" || v.Campaigns[0].Name != "Operation Honey" {
		t.Errorf("view of G0001: aliases %q, campaigns %+v", v.Aliases, v.Campaigns)
	}
	if o, ok := c2.Get(TypeTechnique, v.Uses[0].ID); !ok || c2.FullName(o) != "Scripting: PowerShell" {
		t.Errorf("full name of %s: %v", v.Uses[0].ID, o)
	}
}

// A version 1 compact file (no aliases, no relations) still reads.
func TestReadCompactVersion1(t *testing.T) {
	v1 := "#huntlint-catalog 1\n@domain\tenterprise-attack\t1.0\t2024-01-01T00:00:00.000Z\t2\n@matrix\tTA0002\n" +
		"tactic\tTA0002\tx-mitre-tactic--1\tExecution\ta\t2024-01-01T00:00:00.000Z\t\t\t\t\texecution\n" +
		"technique\tT1059\tattack-pattern--1\tScripting\ta\t2024-01-01T00:00:00.000Z\t\t\texecution\tWindows\t\n"
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(v1))
	zw.Close()
	c, err := ReadCompact(&gz, "cache")
	if err != nil {
		t.Fatal(err)
	}
	if o, ok := c.Technique("T1059"); !ok || o.Name != "Scripting" {
		t.Errorf("T1059 = %v", o)
	}
	if n := len(c.Relations(Enterprise)); n != 0 {
		t.Errorf("%d relations in a version 1 file", n)
	}
	// A version 2 object line has 12 fields.
	bad := strings.Replace(v1, "#huntlint-catalog 1", "#huntlint-catalog 2", 1)
	if _, err := ReadCompact(strings.NewReader(bad), "cache"); err == nil || !strings.Contains(err.Error(), "expected 12") {
		t.Errorf("11 fields in version 2: err %v", err)
	}
	for _, line := range []string{"~u\t0\t9\t2024-01-01", "~x\t0\t1\t2024-01-01", "~u\t0\t1", "~u\t0\t2024-01-01\t1,x", "~u\t7\t2024-01-01\t1"} {
		v2 := strings.ReplaceAll(bad, "\texecution\tWindows\t\n", "\texecution\tWindows\t\t\n")
		v2 = strings.ReplaceAll(v2, "\t\t\t\t\texecution\n", "\t\t\t\t\texecution\t\n")
		if _, err := ReadCompact(strings.NewReader(v2), "cache"); err != nil {
			t.Fatalf("valid version 2: %v", err)
		}
		if _, err := ReadCompact(strings.NewReader(v2+line+"\n"), "cache"); err == nil {
			t.Errorf("relation line %q: no error", line)
		}
	}
}

// The embedded catalog holds the relations of the full bundle: every
// group's techniques, with their dates.
func TestEmbeddedRelationsMatchBundle(t *testing.T) {
	p := testshared.File(t, "attack/enterprise-attack-18.1.json.gz")
	full, err := LoadFile(p, "")
	if err != nil {
		t.Fatal(err)
	}
	emb, err := Open(Options{Offline: true})
	if err != nil {
		t.Fatal(err)
	}
	key := func(rs []Relation) []string {
		var out []string
		for _, r := range rs {
			out = append(out, string(r.Source.Type)+" "+r.Source.ID+" "+string(r.Kind)+" "+string(r.Target.Type)+" "+r.Target.ID+" "+r.Modified[:10])
		}
		sort.Strings(out)
		return out
	}
	a, b := key(full.Relations(Enterprise)), key(emb.Relations(Enterprise))
	if len(a) < 15000 {
		t.Errorf("only %d relations in the enterprise bundle", len(a))
	}
	if !reflect.DeepEqual(a, b) {
		t.Errorf("embedded relations differ from the bundle's: %d vs %d", len(b), len(a))
	}
	g := emb.Find(TypeGroup, "Cozy Bear")
	if len(g) != 1 || g[0].ID != "G0016" {
		t.Fatalf("Cozy Bear = %v", g)
	}
	v := emb.View(g[0])
	if len(v.Uses) < 50 || len(v.Campaigns) == 0 || len(v.UsesSoftware) == 0 {
		t.Errorf("G0016: %d techniques, %d campaigns, %d software", len(v.Uses), len(v.Campaigns), len(v.UsesSoftware))
	}
}

// A group in several domains is one answer: the active domain's.
func TestFindOnePerID(t *testing.T) {
	c, err := Open(Options{Offline: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"FIN7", "G0046", "fin-7"} {
		got := c.Find(TypeGroup, q)
		if q == "fin-7" {
			if len(got) != 0 {
				t.Errorf("Find(%q) = %v, want nothing (no such alias)", q, got)
			}
			continue
		}
		if len(got) != 1 || got[0].ID != "G0046" || got[0].Domain != Enterprise {
			t.Errorf("Find(%q) = %v", q, got)
		}
	}
}

// Both relation line forms read: grouped by source and day, and one
// relation a line.
func TestReadCompactRelationLines(t *testing.T) {
	head := "#huntlint-catalog 2\n@domain\tenterprise-attack\t1.0\t2024-01-01T00:00:00.000Z\t3\t3\n@matrix\tTA0002\n" +
		"tactic\tTA0002\tx-mitre-tactic--1\tExecution\ta\t2024-01-01\t\t\t\t\texecution\t\n" +
		"technique\tT1059\tattack-pattern--1\tScripting\ta\t2024-01-01\t\t\texecution\t\t\t\n" +
		"group\tG0001\tintrusion-set--1\tBears\ta\t2024-01-01\t\t\t\t\t\tCozy Bear,Dukes\n"
	for _, rels := range []string{"~u\t2\t2024-05-06\t1,0\n~a\t0\t2023-01-01\t2\n", "~u\t2\t1\t2024-05-06\n~u\t2\t0\t2024-05-06\n~a\t0\t2\t2023-01-01\n"} {
		c, err := ReadCompact(strings.NewReader(head+rels), "cache")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range c.Relations(Enterprise) {
			got = append(got, relString(&r))
		}
		sort.Strings(got)
		want := []string{"G0001 uses T1059 2024-05-06", "G0001 uses TA0002 2024-05-06", "TA0002 attributed-to G0001 2023-01-01"}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%q:\n got %q\nwant %q", rels, got, want)
		}
		g, _ := c.Get(TypeGroup, "G0001")
		if !reflect.DeepEqual(g.Aliases, []string{"Cozy Bear", "Dukes"}) {
			t.Errorf("aliases = %q", g.Aliases)
		}
	}
}
