// Package attacktest builds ATT&CK releases for tests from the real ones in
// ../shared: a v19-style release derived from 18.1, and the same change
// applied to the tags of a rule set.
package attacktest

import (
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// V19Date is the release date of the v19-style bundle.
const V19Date = "2026-04-28T00:00:00.000Z"

// V19Revoked maps the 18.1 techniques the v19-style release revokes to
// their replacements, as ATT&CK 19 moved the Impair Defenses family to new
// techniques of its new Defense Impairment tactic.
var V19Revoked = map[string]string{
	"T1562.001": "T1685",
	"T1562.002": "T1686.001",
	"T1562.006": "T1686.002",
}

// V19New are the techniques the v19-style release adds, with their tactic
// shortname: T1685 and T1686 (with sub-techniques) and a few more.
var V19New = []struct{ ID, Name, Tactic string }{
	{"T1682", "Hidden Execution Guardrails", "stealth"},
	{"T1683", "Cloud Log Tampering", "stealth"},
	{"T1684", "Masquerade Cloud Identity", "stealth"},
	{"T1685", "Disable or Modify Tools", "defense-impairment"},
	{"T1685.001", "Disable Security Tool Updates", "defense-impairment"},
	{"T1685.002", "Uninstall Security Agent", "defense-impairment"},
	{"T1686", "Impair Logging", "defense-impairment"},
	{"T1686.001", "Disable Windows Event Logging", "defense-impairment"},
	{"T1686.002", "Indicator Blocking", "defense-impairment"},
}

// V19Like writes a v19-style enterprise bundle derived from the real 18.1
// bundle src (gzip JSON) into a temporary folder and returns its path: TA0005
// renamed Stealth (stealth); a new tactic TA0112 Defense Impairment
// (defense-impairment) after it in the matrix, taking the Impair Defenses
// family (T1562.*); the techniques of V19New; the revocations of V19Revoked;
// and a collection object naming release 19.0 of V19Date.
func V19Like(tb testing.TB, src string) string {
	tb.Helper()
	f, err := os.Open(src)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		tb.Fatal(err)
	}
	var b map[string]any
	if err := json.NewDecoder(zr).Decode(&b); err != nil {
		tb.Fatal(err)
	}
	objs := b["objects"].([]any)
	byID := map[string]map[string]any{}
	var ta0005 string
	for _, x := range objs {
		o := x.(map[string]any)
		id := extID(o)
		switch o["type"] {
		case "x-mitre-tactic":
			if id == "TA0005" {
				o["name"], o["x_mitre_shortname"] = "Stealth", "stealth"
				ta0005 = o["id"].(string)
			}
		case "attack-pattern":
			byID[id] = o
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
		}
	}
	if ta0005 == "" || byID["T1562.001"] == nil {
		tb.Fatal("the 18.1 bundle lacks TA0005 or T1562.001")
	}
	n := 0
	stixID := func(kind string) string {
		n++
		return fmt.Sprintf("%s--00000000-0000-4000-8000-%012d", kind, n)
	}
	newTactic := map[string]any{
		"type": "x-mitre-tactic", "id": stixID("x-mitre-tactic"), "name": "Defense Impairment",
		"x_mitre_shortname": "defense-impairment", "created": V19Date, "modified": V19Date,
		"x_mitre_domains":     []string{"enterprise-attack"},
		"external_references": []map[string]string{{"source_name": "mitre-attack", "external_id": "TA0112"}},
	}
	added := []any{newTactic}
	platforms := byID["T1562.001"]["x_mitre_platforms"]
	for _, nt := range V19New {
		o := map[string]any{
			"type": "attack-pattern", "id": stixID("attack-pattern"), "name": nt.Name,
			"created": V19Date, "modified": V19Date,
			"x_mitre_domains": []string{"enterprise-attack"}, "x_mitre_platforms": platforms,
			"x_mitre_is_subtechnique": strings.Contains(nt.ID, "."),
			"kill_chain_phases":       []map[string]string{{"kill_chain_name": "mitre-attack", "phase_name": nt.Tactic}},
			"external_references":     []map[string]string{{"source_name": "mitre-attack", "external_id": nt.ID}},
		}
		byID[nt.ID] = o
		added = append(added, o)
		if parent, _, ok := strings.Cut(nt.ID, "."); ok {
			added = append(added, relationship(stixID("relationship"), "subtechnique-of", o["id"], byID[parent]["id"]))
		}
	}
	for old, repl := range V19Revoked {
		o := byID[old]
		o["revoked"], o["modified"] = true, V19Date
		added = append(added, relationship(stixID("relationship"), "revoked-by", o["id"], byID[repl]["id"]))
	}
	for _, x := range objs {
		o := x.(map[string]any)
		if o["type"] != "x-mitre-matrix" {
			continue
		}
		var out []any
		for _, r := range o["tactic_refs"].([]any) {
			out = append(out, r)
			if r == ta0005 {
				out = append(out, newTactic["id"])
			}
		}
		o["tactic_refs"] = out
	}
	added = append(added, map[string]any{
		"type": "x-mitre-collection", "id": stixID("x-mitre-collection"), "name": "Enterprise ATT&CK",
		"x_mitre_version": "19.0", "created": V19Date, "modified": V19Date,
	})
	b["objects"] = append(objs, added...)
	p := filepath.Join(tb.TempDir(), "enterprise-attack-19.0.json")
	data, err := json.Marshal(b)
	if err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		tb.Fatal(err)
	}
	return p
}

func relationship(id string, kind string, src, dst any) map[string]any {
	return map[string]any{"type": "relationship", "id": id, "relationship_type": kind,
		"source_ref": src, "target_ref": dst, "created": V19Date, "modified": V19Date}
}

func extID(o map[string]any) string {
	refs, _ := o["external_references"].([]any)
	for _, r := range refs {
		m, _ := r.(map[string]any)
		if m["source_name"] == "mitre-attack" {
			id, _ := m["external_id"].(string)
			return id
		}
	}
	return ""
}

var (
	reTagLine  = regexp.MustCompile(`(?m)^([ \t]*-[ \t]*)attack\.([a-z0-9._-]+)[ \t]*\r?$`)
	reTechTag  = regexp.MustCompile(`^t\d{4}(\.\d{3})?$`)
	impairedRe = regexp.MustCompile(`^t(1562|1685|1686)(\.|$)`)
)

// V19Tags rewrites the ATT&CK tags of one Sigma rule as its authors did for
// ATT&CK 19: the techniques of V19Revoked become their replacements, and
// attack.defense-evasion becomes attack.defense-impairment for the Impair
// Defenses family and attack.stealth for the rest (both when the rule has
// both). It returns the new text and the 1-based lines of the tags that
// ATT&CK 18.1 does not have.
func V19Tags(src string) (string, []int) {
	var techs []string
	for _, m := range reTagLine.FindAllStringSubmatch(src, -1) {
		if reTechTag.MatchString(m[2]) {
			techs = append(techs, m[2])
		}
	}
	impaired, other := false, false
	for _, t := range techs {
		if impairedRe.MatchString(t) {
			impaired = true
		} else {
			other = true
		}
	}
	var tactics []string
	if impaired {
		tactics = append(tactics, "defense-impairment")
	}
	if other || !impaired {
		tactics = append(tactics, "stealth")
	}
	out := reTagLine.ReplaceAllStringFunc(src, func(line string) string {
		m := reTagLine.FindStringSubmatch(line)
		lead, tag := m[1], m[2]
		if repl, ok := V19Revoked[strings.ToUpper(tag)]; ok {
			return lead + "attack." + strings.ToLower(repl)
		}
		if tag == "defense-evasion" {
			var lines []string
			for _, t := range tactics {
				lines = append(lines, lead+"attack."+t)
			}
			return strings.Join(lines, "\n")
		}
		return line
	})
	newer := map[string]bool{"stealth": true, "defense-impairment": true}
	for _, nt := range V19New {
		newer[strings.ToLower(nt.ID)] = true
	}
	var lines []int
	for i, l := range strings.Split(out, "\n") {
		if m := reTagLine.FindStringSubmatch(l); m != nil && newer[m[2]] {
			lines = append(lines, i+1)
		}
	}
	sort.Ints(lines)
	return out, lines
}
