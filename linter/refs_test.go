package linter

import (
	"testing"

	"github.com/huntlint/huntlint/mapper"
)

// TestSpellURL: a link's ID path is rewritten whole, a sub-technique
// written with "." included; wiki links and other folders are left alone.
func TestSpellURL(t *testing.T) {
	tech := &mapper.Object{ID: "T1547.015", Type: mapper.TypeTechnique}
	tac := &mapper.Object{ID: "TA0005", Type: mapper.TypeTactic}
	for _, c := range []struct {
		u    string
		o    *mapper.Object
		want string
	}{
		{"https://attack.mitre.org/techniques/T1059/001/", tech, "https://attack.mitre.org/techniques/T1547/015/"},
		{"https://attack.mitre.org/techniques/T1059.001", tech, "https://attack.mitre.org/techniques/T1547/015"},
		{"attack.mitre.org/Techniques/T1059", tech, "attack.mitre.org/techniques/T1547/015"},
		{"https://attack.mitre.org/tactics/TA0002/", tac, "https://attack.mitre.org/tactics/TA0005/"},
		{"https://attack.mitre.org/wiki/Technique/T1086", tech, ""},
		{"https://attack.mitre.org/groups/G0016", tech, ""},
		{"https://attack.mitre.org/techniques/T1059", &mapper.Object{ID: "G0016", Type: mapper.TypeGroup}, ""},
	} {
		if got := spellURL(c.u, c.o); got != c.want {
			t.Errorf("spellURL(%q, %s) = %q, want %q", c.u, c.o.ID, got, c.want)
		}
	}
}
