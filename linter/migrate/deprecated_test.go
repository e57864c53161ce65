package migrate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"github.com/huntlint/huntlint/internal/golden"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/huntlint/huntlint/internal/testshared"
	"github.com/huntlint/huntlint/linter"
	"github.com/huntlint/huntlint/linter/fix"
	"github.com/huntlint/huntlint/mapper"
	"github.com/huntlint/huntlint/rules"
)

// kindObj is one object of a release built by kindRelease: STIX type,
// ATT&CK ID, state and, for techniques, tactic shortnames (for tactics:
// shortname and name).
type kindObj struct {
	stixType, id string
	status       mapper.Status
	extra        []string
}

// kindRelease writes an enterprise STIX 2.0 bundle of objs (revokedBy maps
// ATT&CK IDs) and loads it. An object's STIX id derives from its type and
// ATT&CK ID, so the same object has the same STIX id in every release.
func kindRelease(t *testing.T, release string, objs []kindObj, revokedBy map[string]string) *mapper.Catalog {
	t.Helper()
	stixID := func(typ, id string) string {
		return fmt.Sprintf("%s--00000000-0000-4000-8000-%012x", typ, len(typ)*1000003+int(crc(id)))
	}
	ids := map[string]string{}
	var out []map[string]any
	var tactics []string
	for _, o := range objs {
		sid := stixID(o.stixType, o.id)
		ids[o.id] = sid
		m := map[string]any{"type": o.stixType, "id": sid, "name": "Name of " + o.id,
			"created": "2020-01-01T00:00:00.000Z", "modified": "2020-01-01T00:00:00.000Z",
			"x_mitre_domains":     []string{"enterprise-attack"},
			"external_references": []map[string]string{{"source_name": "mitre-attack", "external_id": o.id}}}
		switch o.status {
		case mapper.StatusDeprecated:
			m["x_mitre_deprecated"] = true
		case mapper.StatusRevoked:
			m["revoked"] = true
		}
		switch o.stixType {
		case "x-mitre-tactic":
			m["x_mitre_shortname"], m["name"] = o.extra[0], o.extra[1]
			tactics = append(tactics, sid)
		case "attack-pattern":
			var phases []map[string]string
			for _, p := range o.extra {
				phases = append(phases, map[string]string{"kill_chain_name": "mitre-attack", "phase_name": p})
			}
			m["kill_chain_phases"] = phases
			m["x_mitre_platforms"] = []string{"Windows"}
		}
		out = append(out, m)
	}
	out = append(out, map[string]any{"type": "x-mitre-matrix", "id": "x-mitre-matrix--00000000-0000-4000-8000-000000000001",
		"name": "Enterprise ATT&CK", "tactic_refs": tactics, "created": "2020-01-01T00:00:00.000Z", "modified": "2020-01-01T00:00:00.000Z",
		"external_references": []map[string]string{{"source_name": "mitre-attack", "external_id": "enterprise-attack"}}})
	n := 0
	for from, to := range revokedBy {
		n++
		out = append(out, map[string]any{"type": "relationship", "id": fmt.Sprintf("relationship--00000000-0000-4000-8000-%012d", n),
			"relationship_type": "revoked-by", "source_ref": ids[from], "target_ref": ids[to],
			"created": "2020-01-01T00:00:00.000Z", "modified": "2020-01-01T00:00:00.000Z"})
	}
	data, err := json.Marshal(map[string]any{"type": "bundle", "id": "bundle--00000000-0000-4000-8000-000000000000", "objects": out})
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "enterprise-attack-"+release+".json")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := mapper.LoadFile(p, "")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func crc(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint32(s[i])) * 16777619
	}
	return h
}

// deprecatedReleases are two releases in which the new one deprecates an
// object of every kind: techniques (T1001 newly, T1002 already in the old
// release), T1003 revoked by T1004 which is deprecated too, the tactic
// TA0002 persistence, a group (G0002 stays live), the only software, a
// campaign, a mitigation, every data source, a data component, a
// detection strategy and an analytic.
func deprecatedReleases(t *testing.T) Options {
	A, D, R := mapper.StatusActive, mapper.StatusDeprecated, mapper.StatusRevoked
	tactics := func(persistence mapper.Status) []kindObj {
		return []kindObj{
			{"x-mitre-tactic", "TA0001", A, []string{"execution", "Execution"}},
			{"x-mitre-tactic", "TA0002", persistence, []string{"persistence", "Persistence"}},
		}
	}
	old := append(tactics(A),
		kindObj{"attack-pattern", "T1001", A, []string{"execution"}},
		kindObj{"attack-pattern", "T1002", D, []string{"execution"}},
		kindObj{"attack-pattern", "T1003", A, []string{"execution"}},
		kindObj{"attack-pattern", "T1004", A, []string{"execution"}},
		kindObj{"attack-pattern", "T1005", A, []string{"execution", "persistence"}},
		kindObj{"intrusion-set", "G0001", A, nil},
		kindObj{"intrusion-set", "G0002", A, nil},
		kindObj{"tool", "S0001", A, nil},
		kindObj{"campaign", "C0001", A, nil},
		kindObj{"course-of-action", "M1001", A, nil},
		kindObj{"x-mitre-data-source", "DS0001", A, nil},
		kindObj{"x-mitre-data-source", "DS0002", A, nil},
		kindObj{"x-mitre-data-component", "DC0001", A, nil},
		kindObj{"x-mitre-detection-strategy", "DET0001", A, nil},
		kindObj{"x-mitre-analytic", "AN0001", A, nil},
	)
	cur := append(tactics(D),
		kindObj{"attack-pattern", "T1001", D, []string{"execution"}},
		kindObj{"attack-pattern", "T1002", D, []string{"execution"}},
		kindObj{"attack-pattern", "T1003", R, []string{"execution"}},
		kindObj{"attack-pattern", "T1004", D, []string{"execution"}},
		kindObj{"attack-pattern", "T1005", A, []string{"execution", "persistence"}},
		kindObj{"intrusion-set", "G0001", D, nil},
		kindObj{"intrusion-set", "G0002", A, nil},
		kindObj{"tool", "S0001", D, nil},
		kindObj{"campaign", "C0001", D, nil},
		kindObj{"course-of-action", "M1001", D, nil},
		kindObj{"x-mitre-data-source", "DS0001", D, nil},
		kindObj{"x-mitre-data-source", "DS0002", D, nil},
		kindObj{"x-mitre-data-component", "DC0001", D, nil},
		kindObj{"x-mitre-detection-strategy", "DET0001", D, nil},
		kindObj{"x-mitre-analytic", "AN0001", D, nil},
	)
	return Options{From: kindRelease(t, "1.0", old, nil), To: kindRelease(t, "2.0", cur, map[string]string{"T1003": "T1004"})}
}

// position is "file:line:col" of a finding, the file by base name.
func position(f linter.Finding) string {
	return fmt.Sprintf("%s:%d:%d", filepath.Base(f.Path), f.Span.Start.Line, f.Span.Start.Column)
}

// lintDeprecated returns the positions lint reports as attack-deprecated
// against cat.
func lintDeprecated(t *testing.T, files []string, cat *mapper.Catalog) []string {
	t.Helper()
	fs, err := linter.RunFiles(files, cat, nil, "attack-deprecated")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range fs {
		if f.Check == "attack-deprecated" {
			out = append(out, position(f))
		}
	}
	return out
}

// TestMigrateListsEveryDeprecated migrates rules of every format that name
// deprecated objects of every kind: each is listed for review as
// migrate-deprecated at its line and none is changed, every reference lint
// reports as attack-deprecated is among them, and a second run (or a run
// from the new release to itself) lists them again.
func TestMigrateListsEveryDeprecated(t *testing.T) {
	opts := deprecatedReleases(t)
	dir, files := copyTree(t, filepath.Join("testdata", "deprecated"))
	findings := Files(files, opts, 2)
	var report strings.Builder
	deprecated := map[string]bool{}
	for _, f := range findings {
		if f.Check == CheckDeprecated {
			deprecated[position(f)] = true
			if f.Fix != nil {
				t.Errorf("a deprecated reference has a fix: %s", linter.FormatFinding(f))
			}
		}
		f.Path = filepath.Base(f.Path)
		report.WriteString(linter.FormatFinding(f) + "\n")
	}
	golden.File(t, filepath.Join("testdata", "deprecated.golden"), []byte(report.String()))

	want := []string{
		"sigma.yml:12:5",                           // attack.persistence (tactic)
		"sigma.yml:13:5",                           // attack.t1001, newly deprecated
		"sigma.yml:14:5",                           // attack.t1002, deprecated already
		"sigma.yml:15:5",                           // attack.t1003, revoked by the deprecated T1004
		"sigma.yml:17:5",                           // attack.g0001
		"sigma.yml:18:5",                           // attack.s0001
		"sigma.yml:19:5",                           // attack.c0001
		"sigma.yml:20:5",                           // attack.ds0001
		"sigma.yml:21:5",                           // attack.dc0001
		"sigma.yml:22:5",                           // attack.det0001
		"sigma.yml:23:5",                           // attack.an0001
		"sentinel.yaml:12:5", "sentinel.yaml:15:5", // Persistence, T1001
		"sigma.yml:24:5",                 // attack.m1001
		"hunt.kql:1:21", "hunt.kql:1:33", // T1002, the DS0002 link
	}
	sort.Strings(want)
	var got []string
	for p := range deprecated {
		got = append(got, p)
	}
	sort.Strings(got)
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("deprecated references listed:\n got %v\nwant %v", got, want)
	}
	linted := lintDeprecated(t, files, opts.To)
	for _, p := range linted {
		if !deprecated[p] {
			t.Errorf("lint reports %s as attack-deprecated; migrate does not list it", p)
		}
	}
	t.Logf("lint: attack-deprecated at %v", linted)
	if len(linted) < len(want)-1 {
		t.Errorf("lint reports only %d attack-deprecated references: %v", len(linted), linted)
	}

	// Nothing to change: the files stay as they are, the references stay
	// listed on the next run and from the new release to itself.
	before := map[string][]byte{}
	for _, p := range files {
		before[p], _ = os.ReadFile(p)
	}
	sum, err := Apply(findings, opts, fix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Files) != 0 {
		t.Errorf("changed %d files", len(sum.Files))
	}
	for _, o := range []Options{opts, {From: opts.To, To: opts.To}} {
		n := 0
		for _, f := range Files(files, o, 1) {
			if f.Check == CheckDeprecated {
				n++
			}
		}
		if n != len(want) {
			t.Errorf("run again: %d deprecated references, want %d", n, len(want))
		}
	}
	for _, p := range files {
		now, _ := os.ReadFile(p)
		if !bytes.Equal(now, before[p]) {
			t.Errorf("%s changed", p)
		}
	}

	// The JSON report lists each with file, line and the reference as written.
	var js bytes.Buffer
	if err := NewReport(findings, sum, opts.From, opts.To, false).WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Review []struct {
			Check, Path, Reference, Message string
			Line, Column                    int
		}
		Summary struct {
			Review, Deprecated int
		}
		To []struct{ Domain, Release string }
	}
	if err := json.Unmarshal(js.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range rep.Review {
		if r.Check == CheckDeprecated && filepath.Base(r.Path) == "sigma.yml" && r.Line == 20 && r.Column == 5 && r.Reference == "attack.ds0001" &&
			strings.Contains(r.Message, "ATT&CK 2.0 has no live data source left") {
			found = true
		}
		if filepath.Dir(r.Path) != dir {
			t.Errorf("review path %s is not under %s", r.Path, dir)
		}
	}
	if !found || rep.Summary.Deprecated != len(want) || rep.Summary.Review < len(want) || len(rep.To) != 1 || rep.To[0].Release != "2.0" {
		t.Errorf("JSON report:\n%s", js.String())
	}
}

// TestMigrateSigmaHQListsDeprecated migrates the SigmaHQ corpus (tagged
// against ATT&CK 18) from 17.1 to 18.1 and from 18.1 to itself: both list
// attack.ds0005 (WMI, deprecated with every data source in 18) and every
// reference lint reports as attack-deprecated against 18.1.
func TestMigrateSigmaHQListsDeprecated(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus test")
	}
	from := loadCatalog(t, testshared.File(t, "attack/enterprise-attack-17.1-slim.json.gz"))
	to := loadCatalog(t, testshared.File(t, "attack/enterprise-attack-18.1.json.gz"))
	root := testshared.Corpus(t, "sigmahq-2026-04-28")
	files, probs := rules.Discover([]string{root}, rules.DiscoverOptions{})
	if len(probs) > 0 {
		t.Fatalf("discover: %v", probs)
	}
	rel := func(f linter.Finding) string {
		p, _ := filepath.Rel(root, f.Path)
		return fmt.Sprintf("%s:%d:%d", p, f.Span.Start.Line, f.Span.Start.Column)
	}
	lint, err := linter.RunFiles(files, to, nil, "attack-deprecated")
	if err != nil {
		t.Fatal(err)
	}
	var flagged []string
	for _, f := range lint {
		if f.Check == "attack-deprecated" {
			flagged = append(flagged, rel(f))
		}
	}
	if len(flagged) == 0 {
		t.Fatal("lint reports no attack-deprecated reference in SigmaHQ")
	}
	const ds0005 = "rules/windows/powershell/powershell_script/posh_ps_create_volume_shadow_copy.yml:12:7"
	for _, o := range []Options{{From: from, To: to}, {From: to, To: to}} {
		listed := map[string]string{}
		for _, f := range Files(files, o, 0) {
			if f.Check == CheckDeprecated {
				listed[rel(f)] = f.Message
			}
		}
		if msg := listed[ds0005]; !strings.HasPrefix(msg, "attack.ds0005 (WMI) is deprecated in ATT&CK 18.1") {
			t.Errorf("%s is not listed as deprecated: %q", ds0005, msg)
		}
		for _, p := range flagged {
			if _, ok := listed[p]; !ok {
				t.Errorf("lint reports %s as attack-deprecated; migrate does not list it", p)
			}
		}
		t.Logf("lint: %d attack-deprecated; migrate: %d migrate-deprecated", len(flagged), len(listed))
	}
}
