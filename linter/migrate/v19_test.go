package migrate

import (
	"compress/gzip"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/huntlint/huntlint/internal/testshared"
)

// v19Like derives a v19-style release from the real ATT&CK 18.1 bundle, as
// ATT&CK v19 changed it: TA0005 renamed to Stealth (shortname stealth), a
// new tactic TA0112 Defense Impairment taking the Impair Defenses family
// (T1562.*), and T1562.001 revoked by a new top-level technique T1685.
func v19Like(t testing.TB, src string) string {
	t.Helper()
	f, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var b map[string]any
	if err := json.NewDecoder(zr).Decode(&b); err != nil {
		t.Fatal(err)
	}
	objs := b["objects"].([]any)
	extID := func(o map[string]any) string {
		refs, _ := o["external_references"].([]any)
		for _, r := range refs {
			m := r.(map[string]any)
			if m["source_name"] == "mitre-attack" {
				id, _ := m["external_id"].(string)
				return id
			}
		}
		return ""
	}
	var t1562001 map[string]any
	var ta0005 string
	for _, x := range objs {
		o := x.(map[string]any)
		switch o["type"] {
		case "x-mitre-tactic":
			if extID(o) == "TA0005" {
				o["name"], o["x_mitre_shortname"] = "Stealth", "stealth"
				ta0005 = o["id"].(string)
			}
		case "attack-pattern":
			id := extID(o)
			phases, _ := o["kill_chain_phases"].([]any)
			for _, p := range phases {
				m := p.(map[string]any)
				if m["kill_chain_name"] == "mitre-attack" && m["phase_name"] == "defense-evasion" {
					if strings.HasPrefix(id, "T1562") {
						m["phase_name"] = "defense-impairment"
					} else {
						m["phase_name"] = "stealth"
					}
				}
			}
			if id == "T1562.001" {
				t1562001 = o
			}
		}
	}
	if t1562001 == nil || ta0005 == "" {
		t.Fatal("the 18.1 bundle lacks T1562.001 or TA0005")
	}
	newTactic := map[string]any{
		"type": "x-mitre-tactic", "id": "x-mitre-tactic--6f0e2a9c-1d3b-4c5e-8f7a-9b0c1d2e3f40", "name": "Defense Impairment",
		"x_mitre_shortname": "defense-impairment", "created": "2026-04-28T00:00:00.000Z", "modified": "2026-04-28T00:00:00.000Z",
		"x_mitre_domains":     []string{"enterprise-attack"},
		"external_references": []map[string]string{{"source_name": "mitre-attack", "external_id": "TA0112"}},
	}
	t1685 := map[string]any{
		"type": "attack-pattern", "id": "attack-pattern--0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "name": "Disable or Modify Tools",
		"created": "2026-04-28T00:00:00.000Z", "modified": "2026-04-28T00:00:00.000Z",
		"x_mitre_domains": []string{"enterprise-attack"}, "x_mitre_platforms": t1562001["x_mitre_platforms"],
		"x_mitre_is_subtechnique": false,
		"kill_chain_phases":       []map[string]string{{"kill_chain_name": "mitre-attack", "phase_name": "defense-impairment"}},
		"external_references":     []map[string]string{{"source_name": "mitre-attack", "external_id": "T1685"}},
	}
	t1562001["revoked"] = true
	rel := map[string]any{
		"type": "relationship", "id": "relationship--0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4e", "relationship_type": "revoked-by",
		"source_ref": t1562001["id"], "target_ref": t1685["id"],
		"created": "2026-04-28T00:00:00.000Z", "modified": "2026-04-28T00:00:00.000Z",
	}
	for _, x := range objs {
		o := x.(map[string]any)
		if o["type"] != "x-mitre-matrix" {
			continue
		}
		refs := o["tactic_refs"].([]any)
		var out []any
		for _, r := range refs {
			out = append(out, r)
			if r == ta0005 {
				out = append(out, newTactic["id"])
			}
		}
		o["tactic_refs"] = out
	}
	b["objects"] = append(objs, newTactic, t1685, rel)
	p := filepath.Join(t.TempDir(), "enterprise-attack-19.0.json")
	data, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestMigrateSigmaHQToV19Like moves SigmaHQ's rules from the real 18.1
// release to a v19-style release derived from it: thousands of tags change,
// only tag lines change, every file still loads and a second run is a no-op.
func TestMigrateSigmaHQToV19Like(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus test")
	}
	real18 := testshared.File(t, "attack/enterprise-attack-18.1.json.gz")
	opts := Options{From: loadCatalog(t, real18), To: loadCatalog(t, v19Like(t, real18))}
	counts, sum := migrateCorpus(t, testshared.Corpus(t, "sigmahq-2026-04-28"), opts, "18.1 -> v19-like", 3)
	if counts[CheckTacticRenamed] < 1000 || counts[CheckRevoked] == 0 || counts[CheckTacticMoved] == 0 {
		t.Errorf("expected thousands of renamed tactics and some revoked and moved ones: %v", counts)
	}
	for _, fc := range sum.Files {
		if strings.Contains(string(fc.After), "attack.defense-evasion") || strings.Contains(string(fc.After), "attack.t1562.001") {
			t.Errorf("%s still holds a v18 tag", fc.Path)
		}
	}
}
