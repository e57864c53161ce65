package mapper

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestDiffMini(t *testing.T) {
	old := loadFixture(t, "mini-18.json", "18.1")
	new := loadFixture(t, "mini-19.json", "")
	diffs := Diff(old, new)
	if len(diffs) != 1 {
		t.Fatalf("%d diffs", len(diffs))
	}
	d := diffs[0]
	if d.Domain != Enterprise || d.OldRelease != "18.1" || d.NewRelease != "19.0" {
		t.Errorf("header %+v", d)
	}
	if want := []TacticRef{{"TA0112", "defense-impairment", "Defense Impairment"}}; !reflect.DeepEqual(d.NewTactics, want) {
		t.Errorf("new tactics %+v", d.NewTactics)
	}
	if want := []TacticRename{{"TA0005", "defense-evasion", "stealth", "Defense Evasion", "Stealth"}}; !reflect.DeepEqual(d.RenamedTactics, want) {
		t.Errorf("renamed tactics %+v", d.RenamedTactics)
	}
	if len(d.RemovedTactics) != 0 {
		t.Errorf("removed tactics %+v", d.RemovedTactics)
	}
	// A new tactic inserted in the matrix is not a reorder.
	if d.Reordered != nil {
		t.Errorf("reordered %+v", d.Reordered)
	}
	if want := []ObjectRef{{"T1685", "Disable or Modify Tools", StatusActive}}; !reflect.DeepEqual(d.Added, want) {
		t.Errorf("added %+v", d.Added)
	}
	if want := []ObjectRef{{"T1064", "Scripting", StatusDeprecated}}; !reflect.DeepEqual(d.Removed, want) {
		t.Errorf("removed %+v", d.Removed)
	}
	if want := []Rename{{"T1070", "Indicator Removal on Host", "Indicator Removal"}}; !reflect.DeepEqual(d.Renamed, want) {
		t.Errorf("renamed %+v", d.Renamed)
	}
	if len(d.Revoked) != 1 || d.Revoked[0].ID != "T1562.001" || d.Revoked[0].ReplacedBy == nil || d.Revoked[0].ReplacedBy.ID != "T1685" {
		t.Errorf("revoked %+v", d.Revoked)
	}
	if want := []ObjectRef{{"T1070.003", "Clear Command History", StatusDeprecated}}; !reflect.DeepEqual(d.Deprecated, want) {
		t.Errorf("deprecated %+v", d.Deprecated)
	}
	// The TA0005 rename moves nothing; T1562 and T1105 really moved.
	var moved []string
	for _, m := range d.Moved {
		moved = append(moved, m.ID)
	}
	if !reflect.DeepEqual(moved, []string{"T1105", "T1562"}) {
		t.Errorf("moved %v", moved)
	}
	for _, m := range d.Moved {
		if m.ID == "T1105" && (m.Added[0].ID != "TA0011" || m.Removed[0].ID != "TA0002") {
			t.Errorf("T1105 move %+v", m)
		}
		if m.ID == "T1562" && (m.Added[0].ID != "TA0112" || m.Removed[0].ID != "TA0005") {
			t.Errorf("T1562 move %+v", m)
		}
	}

	// Same catalog: nothing changed.
	same := Diff(old, old)
	if !same[0].Empty() {
		t.Errorf("self diff not empty: %+v", same[0])
	}
	js, _ := json.Marshal(same[0])
	if !strings.Contains(string(js), `"added":[]`) {
		t.Errorf("empty lists not [] in JSON: %s", js)
	}
}

func TestDiffReorder(t *testing.T) {
	old := loadFixture(t, "mini-18.json", "")
	new := loadFixture(t, "mini-18.json", "")
	nd := new.byDomain[Enterprise]
	nd.tactics[0], nd.tactics[1] = nd.tactics[1], nd.tactics[0]
	d := Diff(old, new)[0]
	if d.Reordered == nil || d.Reordered.New[0] != "TA0002" || d.Reordered.Old[0] != "TA0001" {
		t.Errorf("reordered = %+v", d.Reordered)
	}

}

// stixSpec is one object of a test bundle: "type id ATT&CK-ID status name"
// fields are given directly; extra holds type-specific fields.
type stixSpec struct {
	typ, stix, id string
	status        Status
	name          string
	extra         map[string]any
}

// writeBundle writes a STIX 2.0 enterprise bundle of specs (plus a matrix
// of its tactics and revoked-by links, source STIX id -> target STIX id).
func writeBundle(t *testing.T, name string, specs []stixSpec, revokedBy map[string]string) string {
	t.Helper()
	var objs []map[string]any
	var tactics []string
	for _, s := range specs {
		o := map[string]any{"type": s.typ, "id": s.stix, "name": s.name,
			"created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z",
			"x_mitre_domains": []string{"enterprise-attack"}, "external_references": []any{}}
		if s.id != "" {
			o["external_references"] = []map[string]string{{"source_name": "mitre-attack", "external_id": s.id}}
		}
		switch s.status {
		case StatusRevoked:
			o["revoked"] = true
		case StatusDeprecated:
			o["x_mitre_deprecated"] = true
		}
		for k, v := range s.extra {
			o[k] = v
		}
		if s.typ == "x-mitre-tactic" {
			tactics = append(tactics, s.stix)
		}
		objs = append(objs, o)
	}
	objs = append(objs, map[string]any{"type": "x-mitre-matrix", "id": "x-mitre-matrix--1", "name": "Enterprise ATT&CK",
		"tactic_refs": tactics, "external_references": []map[string]string{{"source_name": "mitre-attack", "external_id": "enterprise-attack"}}})
	i := 0
	for src, dst := range revokedBy {
		i++
		objs = append(objs, map[string]any{"type": "relationship", "id": fmt.Sprintf("relationship--%d", i),
			"relationship_type": "revoked-by", "source_ref": src, "target_ref": dst})
	}
	b, err := json.Marshal(map[string]any{"type": "bundle", "id": "bundle--1", "objects": objs})
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func tactic(stix, id, short, name string, st Status) stixSpec {
	return stixSpec{"x-mitre-tactic", stix, id, st, name, map[string]any{"x_mitre_shortname": short}}
}

func technique(stix, id, name string, st Status, tactics ...string) stixSpec {
	var phases []map[string]string
	for _, p := range tactics {
		phases = append(phases, map[string]string{"kill_chain_name": "mitre-attack", "phase_name": p})
	}
	return stixSpec{"attack-pattern", stix, id, st, name, map[string]any{"kill_chain_phases": phases,
		"x_mitre_is_subtechnique": strings.Contains(id, ".")}}
}

// TestDiffEveryKind builds two releases that change every object kind in
// every way a release can, and checks each classification, in Go, text and
// JSON.
func TestDiffEveryKind(t *testing.T) {
	A, D, R := StatusActive, StatusDeprecated, StatusRevoked
	old := []stixSpec{
		tactic("x-mitre-tactic--1", "TA0001", "initial-access", "Initial Access", A),
		tactic("x-mitre-tactic--2", "TA0002", "execution", "Execution", A),
		tactic("x-mitre-tactic--3", "TA0003", "persistence", "Persistence", A),
		tactic("x-mitre-tactic--4", "TA0004", "privilege-escalation", "Privilege Escalation", A),
		technique("attack-pattern--1", "T1001", "Old Name", A, "execution"),
		technique("attack-pattern--2", "T1002", "Revoked Later", A, "execution"),
		technique("attack-pattern--4", "T1004", "Deprecated Later", A, "execution"),
		technique("attack-pattern--5", "T1005", "Back Again", D, "execution"),
		technique("attack-pattern--6", "T1006", "Gone", A, "execution"),
		technique("attack-pattern--7", "T1007", "Moves", A, "execution"),
		technique("attack-pattern--8", "T1008", "Parent A", A, "execution"),
		technique("attack-pattern--9", "T1009", "Parent B", A, "execution"),
		technique("attack-pattern--81", "T1008.001", "Child", A, "execution"),
		{"intrusion-set", "intrusion-set--1", "G0001", A, "Group One", nil},
		{"intrusion-set", "intrusion-set--2", "G0002", A, "Group Two", nil},
		{"intrusion-set", "intrusion-set--3", "G0003", A, "Group Three", nil},
		{"intrusion-set", "intrusion-set--4", "G0004", A, "Group Four", nil},
		{"tool", "tool--1", "S0001", A, "Was A Tool", nil},
		{"malware", "malware--2", "S0002", A, "Old Malware", nil},
		{"campaign", "campaign--1", "C0001", A, "Campaign One", nil},
		{"course-of-action", "course-of-action--1", "M1001", A, "Mitigation One", nil},
		{"x-mitre-data-source", "x-mitre-data-source--1", "DS0001", A, "Process", nil},
		{"x-mitre-data-source", "x-mitre-data-source--2", "DS0002", A, "File", nil},
		{"x-mitre-data-source", "x-mitre-data-source--3", "DS0003", D, "Already Deprecated", nil},
		{"x-mitre-data-component", "x-mitre-data-component--1", "", A, "Process Creation", nil},
		{"x-mitre-data-component", "x-mitre-data-component--2", "", D, "File Access", nil},
		{"x-mitre-data-component", "x-mitre-data-component--3", "", A, "Dropped", nil},
		{"x-mitre-asset", "x-mitre-asset--1", "A0001", A, "Old Asset", nil},
	}
	new := []stixSpec{
		tactic("x-mitre-tactic--1", "TA0001", "initial-access", "Initial Access", A),
		tactic("x-mitre-tactic--2", "TA0002", "running", "Running", A),
		tactic("x-mitre-tactic--3", "TA0003", "persistence", "Persistence", D),
		tactic("x-mitre-tactic--5", "TA0005", "stealth", "Stealth", A),
		technique("attack-pattern--1", "T1001", "New Name", A, "running"),
		technique("attack-pattern--2", "T1002", "Revoked Later", R, "running"),
		technique("attack-pattern--3", "T1003", "Replacement", A, "running"),
		technique("attack-pattern--4", "T1004", "Deprecated Later", D, "running"),
		technique("attack-pattern--5", "T1005", "Back Again", A, "running"),
		technique("attack-pattern--7", "T1007", "Moves", A, "initial-access"),
		technique("attack-pattern--8", "T1008", "Parent A", A, "running"),
		technique("attack-pattern--9", "T1009", "Parent B", A, "running"),
		technique("attack-pattern--81", "T1009.001", "Child", A, "running"),
		{"intrusion-set", "intrusion-set--1", "G0001", R, "Group One", nil},
		{"intrusion-set", "intrusion-set--2", "G0002", A, "Group Two", nil},
		{"intrusion-set", "intrusion-set--3", "G0003", D, "Group Three", nil},
		{"intrusion-set", "intrusion-set--5", "G0005", A, "Group Five", nil},
		{"malware", "malware--1", "S0001", A, "Was A Tool", nil},
		{"malware", "malware--2", "S0002", A, "New Malware", nil},
		{"campaign", "campaign--1", "C0001", D, "Campaign One", nil},
		{"course-of-action", "course-of-action--1", "M1001", A, "Mitigation One", nil},
		{"course-of-action", "course-of-action--2", "M1002", A, "Mitigation Two", nil},
		{"x-mitre-data-source", "x-mitre-data-source--1", "DS0001", D, "Process", nil},
		{"x-mitre-data-source", "x-mitre-data-source--2", "DS0002", D, "File", nil},
		{"x-mitre-data-source", "x-mitre-data-source--3", "DS0003", D, "Already Deprecated", nil},
		{"x-mitre-data-component", "x-mitre-data-component--1", "DC0001", A, "Process Creation", nil},
		{"x-mitre-data-component", "x-mitre-data-component--2", "DC0002", D, "File Access", nil},
		{"x-mitre-detection-strategy", "x-mitre-detection-strategy--1", "DET0001", A, "Strategy", nil},
		{"x-mitre-analytic", "x-mitre-analytic--1", "AN0001", A, "Analytic", nil},
		{"x-mitre-asset", "x-mitre-asset--1", "A0002", A, "Old Asset", nil},
	}
	oc, err := LoadFile(writeBundle(t, "enterprise-attack-1.0.json", old, nil), "")
	if err != nil {
		t.Fatal(err)
	}
	nc, err := LoadFile(writeBundle(t, "enterprise-attack-2.0.json", new, map[string]string{
		"attack-pattern--2": "attack-pattern--3", "intrusion-set--1": "intrusion-set--2"}), "")
	if err != nil {
		t.Fatal(err)
	}
	d := Diff(oc, nc)[0]

	refIDs := func(rs []ObjectRef) string {
		var s []string
		for _, r := range rs {
			s = append(s, r.ID+"/"+string(r.Status))
		}
		return strings.Join(s, " ")
	}
	statusIDs := func(ss []StatusChange) string {
		var s []string
		for _, x := range ss {
			s = append(s, x.ID+":"+string(x.OldStatus)+">"+string(x.NewStatus))
		}
		return strings.Join(s, " ")
	}
	revIDs := func(rs []Revocation) string {
		var s []string
		for _, r := range rs {
			to := "-"
			if r.ReplacedBy != nil {
				to = r.ReplacedBy.ID
			}
			s = append(s, r.ID+">"+to)
		}
		return strings.Join(s, " ")
	}
	type want struct {
		added, removed, renamed, numbered, renumbered, reparented, revoked, deprecated, reactivated string
		oldCounts, newCounts                                                                        KindCounts
	}
	wants := map[ObjectType]want{
		TypeTactic: {added: "TA0005/active", removed: "TA0004/active", renamed: "TA0002 Execution>Running",
			deprecated: "TA0003:active>deprecated", oldCounts: KindCounts{Total: 4, Active: 4}, newCounts: KindCounts{Total: 4, Active: 3, Deprecated: 1}},
		TypeTechnique: {added: "T1003/active", removed: "T1006/active", renamed: "T1001 Old Name>New Name",
			renumbered: "T1008.001>T1009.001", reparented: "T1009.001 T1008>T1009", revoked: "T1002>T1003",
			deprecated: "T1004:active>deprecated", reactivated: "T1005:deprecated>active",
			oldCounts: KindCounts{Total: 9, Active: 8, Deprecated: 1, Subtechniques: 1},
			newCounts: KindCounts{Total: 9, Active: 7, Deprecated: 1, Revoked: 1, Subtechniques: 1}},
		TypeGroup: {added: "G0005/active", removed: "G0004/active", revoked: "G0001>G0002", deprecated: "G0003:active>deprecated",
			oldCounts: KindCounts{Total: 4, Active: 4}, newCounts: KindCounts{Total: 4, Active: 2, Deprecated: 1, Revoked: 1}},
		// S0001 moved from tool to malware (another STIX id): the same software.
		TypeSoftware: {renamed: "S0002 Old Malware>New Malware",
			oldCounts: KindCounts{Total: 2, Active: 2}, newCounts: KindCounts{Total: 2, Active: 2}},
		TypeCampaign: {deprecated: "C0001:active>deprecated",
			oldCounts: KindCounts{Total: 1, Active: 1}, newCounts: KindCounts{Total: 1, Deprecated: 1}},
		TypeMitigation: {added: "M1002/active", oldCounts: KindCounts{Total: 1, Active: 1}, newCounts: KindCounts{Total: 2, Active: 2}},
		TypeDataSource: {deprecated: "DS0001:active>deprecated DS0002:active>deprecated",
			oldCounts: KindCounts{Total: 3, Active: 2, Deprecated: 1}, newCounts: KindCounts{Total: 3, Deprecated: 3}},
		// Data components without an ATT&CK ID that get one are numbered,
		// not added; the one that disappears is removed.
		TypeDataComponent: {removed: "/active", numbered: "DC0001/active DC0002/deprecated",
			oldCounts: KindCounts{Total: 3, Active: 2, Deprecated: 1, Unnumbered: 3}, newCounts: KindCounts{Total: 2, Active: 1, Deprecated: 1}},
		TypeDetectionStrategy: {added: "DET0001/active", newCounts: KindCounts{Total: 1, Active: 1}},
		TypeAnalytic:          {added: "AN0001/active", newCounts: KindCounts{Total: 1, Active: 1}},
		TypeAsset: {renumbered: "A0001>A0002",
			oldCounts: KindCounts{Total: 1, Active: 1}, newCounts: KindCounts{Total: 1, Active: 1}},
	}
	if len(d.Objects) != len(KindOrder) {
		t.Fatalf("%d kinds, want %d", len(d.Objects), len(KindOrder))
	}
	for i, k := range d.Objects {
		if k.Type != KindOrder[i] {
			t.Errorf("kind %d is %s, want %s", i, k.Type, KindOrder[i])
		}
		w := wants[k.Type]
		var renamed, renumbered, reparented []string
		for _, r := range k.Renamed {
			renamed = append(renamed, r.ID+" "+r.OldName+">"+r.NewName)
		}
		for _, r := range k.Renumbered {
			renumbered = append(renumbered, r.OldID+">"+r.NewID)
		}
		for _, r := range k.Reparented {
			reparented = append(reparented, r.ID+" "+r.OldParent+">"+r.NewParent)
		}
		got := want{refIDs(k.Added), refIDs(k.Removed), strings.Join(renamed, " "), refIDs(k.Numbered),
			strings.Join(renumbered, " "), strings.Join(reparented, " "), revIDs(k.Revoked), statusIDs(k.Deprecated),
			statusIDs(k.Reactivated), k.Old, k.New}
		if got != w {
			t.Errorf("%s:\n got %+v\nwant %+v", k.Type, got, w)
		}
	}
	// The technique and tactic fields agree with Objects.
	if refIDs(d.Added) != "T1003/active" || refIDs(d.Removed) != "T1006/active" || revIDs(d.Revoked) != "T1002>T1003" ||
		refIDs(d.Deprecated) != "T1004/deprecated" || len(d.Renamed) != 1 {
		t.Errorf("technique fields %+v", d)
	}
	if len(d.NewTactics) != 1 || d.NewTactics[0].ID != "TA0005" || len(d.RemovedTactics) != 1 || d.RemovedTactics[0].ID != "TA0004" ||
		len(d.RenamedTactics) != 1 || d.RenamedTactics[0].NewShortname != "running" {
		t.Errorf("tactic fields %+v %+v %+v", d.NewTactics, d.RemovedTactics, d.RenamedTactics)
	}
	// T1007 moved from execution (TA0002) to initial-access; the TA0002
	// rename moves nothing.
	if len(d.Moved) != 1 || d.Moved[0].ID != "T1007" || d.Moved[0].Added[0].ID != "TA0001" || d.Moved[0].Removed[0].ID != "TA0002" {
		t.Errorf("moved %+v", d.Moved)
	}
	var other []string
	for _, o := range d.Other {
		other = append(other, fmt.Sprintf("%s+%v-%v", o.Type, o.Added, o.Removed))
	}
	if got := strings.Join(other, " "); got != "group+[G0005]-[G0004] mitigation+[M1002]-[] detection-strategy+[DET0001]-[] analytic+[AN0001]-[]" {
		t.Errorf("other %s", got)
	}

	// The text form of this diff, which lists no unchanged object, is
	// cmd/huntlint/testdata/catalog-text/every-kind.txt.

	// JSON: every kind, every list present.
	js, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	var back struct {
		Objects []map[string]any `json:"objects"`
	}
	if err := json.Unmarshal(js, &back); err != nil || len(back.Objects) != len(KindOrder) {
		t.Fatalf("json: %v %s", err, js)
	}
	for _, k := range back.Objects {
		for _, f := range []string{"added", "removed", "renamed", "numbered", "renumbered", "reparented", "revoked", "deprecated", "reactivated"} {
			if _, ok := k[f].([]any); !ok {
				t.Errorf("%v: %s is not a list in JSON", k["type"], f)
			}
		}
	}
	if !strings.Contains(string(js), `{"id":"DS0001","name":"Process","old_status":"active","new_status":"deprecated"}`) {
		t.Errorf("json lacks the DS0001 deprecation: %s", js)
	}
	// The same release twice: nothing changed.
	if self := Diff(nc, nc)[0]; !self.Empty() {
		t.Errorf("self diff: %+v", self)
	}
}
