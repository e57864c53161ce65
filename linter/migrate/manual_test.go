package migrate

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/huntlint/huntlint/linter"
	"github.com/huntlint/huntlint/linter/fix"
	"github.com/huntlint/huntlint/mapper"
	"github.com/huntlint/huntlint/rules"
)

// bundle builds a small enterprise STIX 2.0 bundle: tactics as
// "TA0001=execution:Execution", techniques as "T1001=tactic1,tactic2" (a
// trailing "!" marks revoked, "~" deprecated) and revoked-by links.
type bundle struct {
	tactics    []string
	techniques []string
	revokedBy  map[string]string
	release    string
}

func (b bundle) catalog(t *testing.T) *mapper.Catalog {
	t.Helper()
	var objs []map[string]any
	ids := map[string]string{}
	ref := func(id string) []map[string]string {
		return []map[string]string{{"source_name": "mitre-attack", "external_id": id}}
	}
	var tacticRefs []string
	for i, s := range b.tactics {
		id, rest, _ := strings.Cut(s, "=")
		short, name, _ := strings.Cut(rest, ":")
		sid := fmt.Sprintf("x-mitre-tactic--00000000-0000-4000-8000-%012d", i)
		tacticRefs = append(tacticRefs, sid)
		objs = append(objs, map[string]any{"type": "x-mitre-tactic", "id": sid, "name": name, "x_mitre_shortname": short,
			"created": "2020-01-01T00:00:00.000Z", "modified": "2020-01-01T00:00:00.000Z", "external_references": ref(id)})
	}
	objs = append(objs, map[string]any{"type": "x-mitre-matrix", "id": "x-mitre-matrix--00000000-0000-4000-8000-000000000001",
		"name": "Enterprise ATT&CK", "tactic_refs": tacticRefs, "created": "2020-01-01T00:00:00.000Z",
		"modified": "2020-01-01T00:00:00.000Z", "external_references": ref("enterprise-attack")})
	for i, s := range b.techniques {
		id, rest, _ := strings.Cut(s, "=")
		o := map[string]any{"type": "attack-pattern", "name": "Technique " + id,
			"created": "2020-01-01T00:00:00.000Z", "modified": "2020-01-01T00:00:00.000Z", "external_references": ref(id),
			"x_mitre_platforms": []string{"Windows"}, "x_mitre_is_subtechnique": strings.Contains(id, ".")}
		if strings.HasSuffix(rest, "!") {
			o["revoked"] = true
			rest = strings.TrimSuffix(rest, "!")
		}
		if strings.HasSuffix(rest, "~") {
			o["x_mitre_deprecated"] = true
			rest = strings.TrimSuffix(rest, "~")
		}
		var phases []map[string]string
		for _, p := range strings.Split(rest, ",") {
			if p != "" {
				phases = append(phases, map[string]string{"kill_chain_name": "mitre-attack", "phase_name": p})
			}
		}
		o["kill_chain_phases"] = phases
		sid := fmt.Sprintf("attack-pattern--00000000-0000-4000-8000-%012d", i)
		o["id"] = sid
		ids[id] = sid
		objs = append(objs, o)
	}
	n := 0
	for from, to := range b.revokedBy {
		n++
		objs = append(objs, map[string]any{"type": "relationship", "id": fmt.Sprintf("relationship--00000000-0000-4000-8000-%012d", n),
			"relationship_type": "revoked-by", "source_ref": ids[from], "target_ref": ids[to],
			"created": "2020-01-01T00:00:00.000Z", "modified": "2020-01-01T00:00:00.000Z"})
	}
	data, err := json.Marshal(map[string]any{"type": "bundle", "id": "bundle--00000000-0000-4000-8000-000000000000", "spec_version": "2.0", "objects": objs})
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "enterprise-attack-"+b.release+".json")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := mapper.LoadFile(p, "")
	if err != nil {
		t.Fatalf("load test bundle: %v", err)
	}
	return c
}

// plan migrates one Sigma rule with the given tags and returns the findings
// formatted, and the migrated text.
func plan(t *testing.T, opts Options, tags ...string) ([]string, string) {
	t.Helper()
	src := "title: T\nlogsource:\n  product: windows\ndetection:\n  sel:\n    a: b\n  condition: sel\ntags:\n"
	for _, tag := range tags {
		src += "  - " + tag + "\n"
	}
	p := filepath.Join(t.TempDir(), "r.yml")
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	fs := Files([]string{p}, opts, 1)
	var out []string
	for _, f := range fs {
		f.Path = "r.yml"
		out = append(out, linter.FormatFinding(f))
	}
	if _, err := Apply(fs, opts, fix.Options{}); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(p)
	if _, probs := rules.LoadBytes(p, b); len(probs) > 0 {
		t.Errorf("migrated rule does not load: %v", probs)
	}
	return out, string(b[strings.Index(string(b), "tags:\n")+6:])
}

func TestMigrateNeedsHuman(t *testing.T) {
	old := bundle{release: "1.0",
		tactics:    []string{"TA0001=execution:Execution", "TA0002=persistence:Persistence", "TA0003=old-tactic:Old Tactic", "TA0004=discovery:Discovery"},
		techniques: []string{"T1001=execution", "T1002=persistence", "T1003=old-tactic", "T1004=execution", "T1005=execution", "T1006=execution", "T1007=discovery", "T1008=execution,discovery"},
	}.catalog(t)
	cur := bundle{release: "2.0",
		tactics: []string{"TA0001=execution:Execution", "TA0002=persistence:Persistence", "TA0004=discovery:Discovery", "TA0005=collection:Collection"},
		techniques: []string{
			"T1001=execution", "T1002=persistence", "T1003=execution",
			"T1004=execution!",            // revoked without a replacement
			"T1005=execution~",            // deprecated (split)
			"T1006=persistence,discovery", // moved to two tactics
			"T1007=collection",            // moved from discovery
			"T1008=execution",             // lost discovery
		},
	}.catalog(t)
	opts := Options{From: old, To: cur}
	tests := []struct {
		name string
		tags []string
		want []string // substrings of the findings, in order
		text string   // tags after migration
	}{
		{"removed tactic", []string{"attack.old-tactic", "attack.t1003"},
			[]string{"warning [migrate-manual] tactic TA0003 (Old Tactic) is not in ATT&CK 2.0; choose the tactic by hand"},
			"  - attack.old-tactic\n  - attack.t1003\n"},
		{"technique gone", []string{"attack.execution", "attack.t1009"}, nil,
			"  - attack.execution\n  - attack.t1009\n"},
		{"revoked without replacement", []string{"attack.execution", "attack.t1004"},
			[]string{"attack.t1004 (Technique T1004) is revoked in ATT&CK 2.0 without a live replacement (chain T1004); choose its successor by hand"},
			"  - attack.execution\n  - attack.t1004\n"},
		{"deprecated", []string{"attack.execution", "attack.t1005"},
			[]string{"warning [migrate-deprecated] attack.t1005 (Technique T1005) is deprecated in ATT&CK 2.0 without a replacement; use a current technique instead, or remove the reference"},
			"  - attack.execution\n  - attack.t1005\n"},
		{"ambiguous new tactics", []string{"attack.execution", "attack.t1006"},
			[]string{"attack.t1006 belongs to Persistence or Discovery in ATT&CK 2.0, which the rule does not list; choose its tactic tags by hand"},
			"  - attack.execution\n  - attack.t1006\n"},
		{"unambiguous move", []string{"attack.discovery", "attack.t1007"},
			[]string{"info [migrate-tactic-moved] attack.t1007 belongs to Collection in ATT&CK 2.0, not to Discovery; attack.discovery becomes attack.collection [*]"},
			"  - attack.collection\n  - attack.t1007\n"},
		{"old tactic still justified", []string{"attack.execution", "attack.discovery", "attack.t1001", "attack.t1006", "attack.t1007"},
			[]string{"attack.t1007 belongs to Collection in ATT&CK 2.0; added attack.collection [*]"},
			"  - attack.execution\n  - attack.discovery\n  - attack.collection\n  - attack.t1001\n  - attack.t1006\n  - attack.t1007\n"},
		{"orphaned tactic", []string{"attack.execution", "attack.discovery", "attack.t1008"},
			[]string{"warning [migrate-manual] attack.discovery no longer belongs to any technique of the rule in ATT&CK 2.0; remove it or add a technique by hand"},
			"  - attack.execution\n  - attack.discovery\n  - attack.t1008\n"},
		{"nothing changed", []string{"attack.persistence", "attack.t1002"}, nil,
			"  - attack.persistence\n  - attack.t1002\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, text := plan(t, opts, tt.tags...)
			if len(got) != len(tt.want) {
				t.Fatalf("findings:\n%s\nwant %d", strings.Join(got, "\n"), len(tt.want))
			}
			for i := range got {
				if !strings.Contains(got[i], tt.want[i]) {
					t.Errorf("finding %d:\n%s\nwant it to contain\n%s", i, got[i], tt.want[i])
				}
			}
			if text != tt.text {
				t.Errorf("tags after migration:\n%s\nwant\n%s", text, tt.text)
			}
		})
	}
}

func TestMigrateTacticIDsStay(t *testing.T) {
	opts := miniOptions(t)
	got, text := plan(t, opts, "attack.ta0005", "attack.t1070")
	if len(got) != 0 || text != "  - attack.ta0005\n  - attack.t1070\n" {
		t.Errorf("findings %v, tags\n%s", got, text)
	}
}

// A reference to another domain than the new release covers is no question
// for a human.
func TestMigrateOtherDomainSilent(t *testing.T) {
	from := loadCatalog(t, filepath.Join("..", "..", "testdata", "attack", "mini-mobile.json"))
	to := miniOptions(t).To
	got, text := plan(t, Options{From: from, To: to}, "attack.discovery", "attack.t1426")
	if len(got) != 0 || text != "  - attack.discovery\n  - attack.t1426\n" {
		t.Errorf("findings %v, tags\n%s", got, text)
	}
}
