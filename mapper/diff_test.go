package mapper

import (
	"bytes"
	"encoding/json"
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
	var buf bytes.Buffer
	WriteDiffText(&buf, diffs)
	for _, want := range []string{
		"enterprise-attack 18.1 -> 19.0\n",
		"  new tactics (1):\n    TA0112 Defense Impairment (defense-impairment)\n",
		"  renamed tactics (1):\n    TA0005 Defense Evasion (defense-evasion) -> Stealth (stealth)\n",
		"    T1562.001 Disable or Modify Tools: use T1685 Disable or Modify Tools\n",
		"    T1105 Ingress Tool Transfer: +command-and-control -execution\n",
		"    T1070 \"Indicator Removal on Host\" -> \"Indicator Removal\"\n",
	} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, buf.String())
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
	var buf bytes.Buffer
	WriteDiffText(&buf, []DomainDiff{d})
	if !strings.Contains(buf.String(), "  matrix order: TA0001 TA0002 ") {
		t.Errorf("text:\n%s", buf.String())
	}
}
