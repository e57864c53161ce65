package main

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/huntlint/huntlint/internal/testshared"
)

func runCmd(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, nil, &out, &errOut)
	return out.String(), errOut.String(), code
}

func TestCatalogShowRevoked(t *testing.T) {
	out, errOut, code := runCmd(t, "catalog", "show", "--offline", "T1086")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"T1086 PowerShell (technique, enterprise-attack)\n",
		"  status:         revoked\n",
		"  revoked by:     T1059.001 Command and Scripting Interpreter: PowerShell\n",
		"T1086 PowerShell Mitigation (mitigation, enterprise-attack)\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	out, _, _ = runCmd(t, "catalog", "show", "--offline", "t1150")
	if !strings.Contains(out, "  chain:          T1150 -> T1547.011 -> T1647\n  use instead:    T1647 Plist File Modification\n") {
		t.Errorf("T1150:\n%s", out)
	}
}

func TestCatalogShowJSON(t *testing.T) {
	out, errOut, code := runCmd(t, "catalog", "show", "--offline", "--format", "json", "T1086", "defense_evasion")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got struct {
		Objects []struct {
			ID, Type, Name, Domain, Status, Shortname string
			ReplacedBy                                *struct{ ID string }  `json:"replaced_by"`
			RevokedBy                                 []struct{ ID string } `json:"revoked_by"`
		}
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v:\n%s", err, out)
	}
	if len(got.Objects) != 3 {
		t.Fatalf("objects = %+v", got.Objects)
	}
	o := got.Objects[0]
	if o.ID != "T1086" || o.Type != "technique" || o.Status != "revoked" || o.ReplacedBy == nil || o.ReplacedBy.ID != "T1059.001" || len(o.RevokedBy) != 1 {
		t.Errorf("T1086 = %+v", o)
	}
	if o := got.Objects[1]; o.Type != "mitigation" || o.Status != "deprecated" {
		t.Errorf("second = %+v", o)
	}
	if o := got.Objects[2]; o.ID != "TA0005" || o.Shortname != "defense-evasion" {
		t.Errorf("tactic = %+v", o)
	}
}

func TestCatalogShowUnknown(t *testing.T) {
	_, errOut, code := runCmd(t, "catalog", "show", "--offline", "T1059.01")
	if code != ExitUsage {
		t.Errorf("exit %d, want %d", code, ExitUsage)
	}
	if !strings.Contains(errOut, `no ATT&CK object "T1059.01" in the catalog; did you mean T1059.001 (Command and Scripting Interpreter: PowerShell)`) {
		t.Errorf("stderr: %s", errOut)
	}
	if _, _, code := runCmd(t, "catalog", "show", "--offline", "--format", "xml", "T1059"); code != ExitUsage {
		t.Errorf("bad format: exit %d", code)
	}
}

func TestCatalogInfo(t *testing.T) {
	out, errOut, code := runCmd(t, "catalog", "info", "--offline", "--format", "json", "--domain", "ics-attack")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got struct {
		Domains []struct {
			Domain, Release, Source string
			Active                  bool
			Counts                  map[string]int
		}
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Domains) != 3 || got.Domains[0].Domain != "ics-attack" || !got.Domains[0].Active || got.Domains[1].Active {
		t.Fatalf("domains = %+v", got.Domains)
	}
	for _, d := range got.Domains {
		if d.Release != "18.1" || d.Source != "embedded" || d.Counts["tactics"] < 10 || d.Counts["techniques"] == 0 {
			t.Errorf("%+v", d)
		}
	}
	out, _, _ = runCmd(t, "catalog", "info", "--offline")
	if !strings.HasPrefix(out, "enterprise-attack 18.1 (active; embedded)\n") || !strings.Contains(out, "  tactics:              14\n") {
		t.Errorf("text:\n%s", out)
	}
	// A user bundle replaces its domain and says so.
	out, _, code = runCmd(t, "catalog", "info", "--offline", "--catalog", "../../testdata/attack/mini-19.json")
	if code != ExitOK || !strings.Contains(out, "enterprise-attack 19.0 (active; path ") || !strings.Contains(out, "mobile-attack 18.1 (inactive; embedded)") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

func TestCatalogSearch(t *testing.T) {
	out, _, code := runCmd(t, "catalog", "search", "--offline", "-n", "2", "powershell")
	if code != ExitOK || !strings.HasPrefix(out, "T1059.001  technique          Command and Scripting Interpreter: PowerShell (enterprise-attack)\n") || strings.Count(out, "\n") != 2 {
		t.Errorf("exit %d:\n%s", code, out)
	}
	out, _, _ = runCmd(t, "catalog", "search", "--offline", "--format", "json", "zzzqqq")
	if strings.TrimSpace(out) != "{\n  \"results\": []\n}" {
		t.Errorf("no results json: %s", out)
	}
}

func TestCatalogDiff(t *testing.T) {
	out, errOut, code := runCmd(t, "catalog", "diff", "--old-release", "18.1", "../../testdata/attack/mini-18.json", "../../testdata/attack/mini-19.json")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"enterprise-attack 18.1 -> 19.0\n", "TA0005 Defense Evasion (defense-evasion) -> Stealth (stealth)",
		"T1562.001 Disable or Modify Tools: use T1685 Disable or Modify Tools",
		"  new tactics (1):\n    TA0112 Defense Impairment (defense-impairment)\n",
		"    T1105 Ingress Tool Transfer: +command-and-control -execution\n",
		"    T1070 \"Indicator Removal on Host\" -> \"Indicator Removal\"\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("lacks %q:\n%s", want, out)
		}
	}
	out, _, code = runCmd(t, "catalog", "diff", "--format", "json", "embedded", "embedded")
	var got struct {
		Domains []struct {
			Domain string
			Added  []any
		}
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil || code != ExitOK || len(got.Domains) != 3 || got.Domains[0].Added == nil {
		t.Errorf("embedded self diff: exit %d %v %+v", code, err, got)
	}
	_, errOut, code = runCmd(t, "catalog", "diff", "embedded", "/nonexistent.json")
	if code != ExitUsage || !strings.Contains(errOut, "/nonexistent.json") {
		t.Errorf("missing file: exit %d: %s", code, errOut)
	}
}

func TestVersionShowsReleases(t *testing.T) {
	out, _, code := runCmd(t, "version", "--offline")
	if code != ExitOK || !strings.Contains(out, "enterprise-attack 18.1 (embedded; released 2025-11-12, 13 months ago; outdated: run huntlint catalog update)\n") ||
		!strings.Contains(out, "mobile-attack 18.1 (embedded; released 2025-11-13, 13 months ago)\n") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

// TestCatalogAge: catalog info gives each domain's release date and age,
// and says it is outdated past the configuration's max_age (200 days by
// default).
func TestCatalogAge(t *testing.T) {
	type info struct {
		Domains []struct {
			Domain, Date string
			AgeDays      int `json:"age_days"`
			Outdated     bool
		} `json:"domains"`
	}
	read := func() info {
		t.Helper()
		out, errOut, code := runCmd(t, "catalog", "info", "--offline", "--format", "json")
		var got info
		if err := json.Unmarshal([]byte(out), &got); err != nil || code != ExitOK || len(got.Domains) != 3 {
			t.Fatalf("exit %d %v: %s", code, err, errOut)
		}
		return got
	}
	t.Chdir(t.TempDir())
	d := read().Domains[0]
	if d.Domain != "enterprise-attack" || d.Date != "2025-11-12" || d.AgeDays != 389 || !d.Outdated {
		t.Errorf("default max_age: %+v", d)
	}
	if err := os.WriteFile(".huntlint.hcl", []byte("catalog {\n  max_age = \"400d\"\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if d := read().Domains[0]; d.Outdated {
		t.Errorf("outdated within max_age 400d: %+v", d)
	}
	out, _, _ := runCmd(t, "catalog", "info", "--offline")
	if !strings.Contains(out, "  released:             2025-11-12 (13 months ago)\n") {
		t.Errorf("text:\n%s", out)
	}
	// lint reads the same max_age: no outdated note within it, one past it.
	rule := "title: t\nlogsource:\n    category: process_creation\ndetection:\n    s:\n        Image: x\n    condition: s\ntags:\n    - attack.execution\n    - attack.t1059\n"
	if err := os.WriteFile("r.yml", []byte(rule), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, _, _ := runCmd(t, "lint", "--offline", "r.yml"); strings.Contains(out, "note:") {
		t.Errorf("lint within max_age 400d:\n%s", out)
	}
	if err := os.WriteFile(".huntlint.hcl", []byte("catalog {\n  max_age = \"30d\"\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, _, _ := runCmd(t, "lint", "--offline", "r.yml"); strings.Count(out, "note: the catalog is ATT&CK 18.1 of November 2025, 13 months old (catalog max_age is 30d)") != 1 {
		t.Errorf("lint past max_age 30d:\n%s", out)
	}
	if err := os.WriteFile(".huntlint.hcl", []byte("catalog {\n  max_age = \"soon\"\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, errOut, code := runCmd(t, "catalog", "info", "--offline"); code != ExitUsage || !strings.Contains(errOut, `.huntlint.hcl:2:13: invalid age "soon"`) {
		t.Errorf("broken max_age: exit %d: %s", code, errOut)
	}
}

func TestCatalogUpdateRefusesPlainHTTP(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	out, errOut, code := runCmd(t, "catalog", "update", "--url", "http://example.com/enterprise-attack.json")
	if code != ExitUsage || out != "" || !strings.Contains(errOut, `invalid --url "http://example.com/enterprise-attack.json": use an https:// URL`) {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	out, _, code = runCmd(t, "catalog", "update", "--format", "json", "--url", "ftp://x/y")
	if code != ExitUsage || strings.TrimSpace(out) != "{\n  \"updated\": []\n}" {
		t.Errorf("json: exit %d, %q", code, out)
	}
}

// TestCatalogV19Bundle runs the catalog commands on a v19-style bundle: a
// renamed TA0005, a new TA0112 and T1562.001 revoked by T1685, all from data.
func TestCatalogV19Bundle(t *testing.T) {
	const v19 = "../../testdata/attack/mini-19.json"
	out, errOut, code := runCmd(t, "catalog", "show", "--offline", "--catalog", v19, "T1562.001", "stealth", "DefenseImpairment")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"T1562.001 Impair Defenses: Disable or Modify Tools (technique, enterprise-attack)\n  status:         revoked\n  revoked by:     T1685 Disable or Modify Tools\n",
		"TA0005 Stealth (tactic, enterprise-attack)\n  status:         active\n  shortname:      stealth\n",
		"TA0112 Defense Impairment (tactic, enterprise-attack)\n  status:         active\n  shortname:      defense-impairment\n  matrix order:   6\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("lacks %q:\n%s", want, out)
		}
	}
	// The enterprise v19 bundle has no defense-evasion any more; the
	// (inactive, embedded 18.1) mobile domain still does.
	out, _, code = runCmd(t, "catalog", "show", "--offline", "--catalog", v19, "defense-evasion")
	if code != ExitOK || !strings.HasPrefix(out, "TA0030 Defense Evasion (tactic, mobile-attack)\n") {
		t.Errorf("defense-evasion in v19: exit %d:\n%s", code, out)
	}
}

// TestCatalogDiffReal compares MITRE's 17.1 (slim) bundle with the embedded
// 18.1 catalog; the expected changes were verified on the bundles.
func TestCatalogDiffReal(t *testing.T) {
	old := testshared.File(t, "attack/enterprise-attack-17.1-slim.json.gz")
	out, errOut, code := runCmd(t, "catalog", "diff", old, "embedded")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"enterprise-attack 17.1 -> 18.1\n",
		"  added techniques (12):\n    T1036.012 Browser Fingerprint\n    T1059.013 Container CLI/API\n",
		"    T1681 Search Threat Vendor Data\n",
		"  renamed techniques (2):\n    T1497.003 \"Time Based Evasion\" -> \"Time Based Checks\"\n    T1552.003 \"Bash History\" -> \"Shell History\"\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("lacks %q:\n%s", want, out)
		}
	}
	// ATT&CK 18 deprecated every data source and gave the existing data
	// components ATT&CK IDs: they are not new.
	if !strings.Contains(out, "  newly deprecated data sources (37):\n    DS0001 Firmware\n") ||
		!strings.Contains(out, "    DS0005 WMI\n") || !strings.Contains(out, "  data components given an ATT&CK ID (109; they had none in 17.1)\n") {
		t.Errorf("data sources and components:\n%s", out)
	}
	for _, absent := range []string{"removed techniques", "newly revoked", "newly deprecated techniques", "tactic changes", "tactics (",
		"added data components", "removed data"} {
		if strings.Contains(out, absent) {
			t.Errorf("unexpected %q:\n%s", absent, out)
		}
	}
	out, errOut, code = runCmd(t, "catalog", "diff", "--format", "json", old, "embedded")
	var got struct {
		Domains []struct {
			Objects []struct {
				Type       string
				Added      []any
				Numbered   []any
				Deprecated []struct {
					ID        string
					OldStatus string `json:"old_status"`
					NewStatus string `json:"new_status"`
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil || code != ExitOK || len(got.Domains) != 1 {
		t.Fatalf("json: exit %d %v %s", code, err, errOut)
	}
	for _, k := range got.Domains[0].Objects {
		switch k.Type {
		case "data-source":
			if len(k.Deprecated) != 37 || k.Deprecated[4].ID != "DS0005" || k.Deprecated[4].OldStatus != "active" || k.Deprecated[4].NewStatus != "deprecated" {
				t.Errorf("data sources %+v", k)
			}
		case "data-component":
			if len(k.Added) != 0 || len(k.Numbered) != 109 {
				t.Errorf("data components: %d added, %d numbered", len(k.Added), len(k.Numbered))
			}
		}
	}
}

func TestCatalogReleaseFlag(t *testing.T) {
	const mini = "../../testdata/attack/mini-18.json"
	out, _, code := runCmd(t, "version", "--offline", "--catalog", mini)
	if code != ExitOK || !strings.Contains(out, "enterprise-attack unknown (path ") {
		t.Errorf("no release: exit %d:\n%s", code, out)
	}
	out, _, code = runCmd(t, "version", "--offline", "--catalog", mini, "--catalog-release", "18.1")
	if code != ExitOK || !strings.Contains(out, "enterprise-attack 18.1 (path ") {
		t.Errorf("--catalog-release: exit %d:\n%s", code, out)
	}
}
