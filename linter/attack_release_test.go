package linter

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/huntlint/huntlint/internal/yamledit"
	"github.com/huntlint/huntlint/mapper"
)

// TestNewReleaseFromData lints the same rules against the small v18- and
// v19-style fixture bundles of ../testdata/attack: renamed tactic shortnames,
// new tactics and new revocations come from the catalog, nothing is typed
// into the checks.
func TestNewReleaseFromData(t *testing.T) {
	load := func(name, release string) *mapper.Catalog {
		cat, err := mapper.LoadFile(filepath.Join("..", "testdata", "attack", name), release)
		if err != nil {
			t.Fatal(err)
		}
		return cat.At(testDay)
	}
	v18, v19 := load("mini-18.json", "18.1"), load("mini-19.json", "")
	rule := strings.Replace(suppressSigma, "%s", "    - attack.stealth\n    - attack.defense-impairment\n    - attack.t1562.001\n    - attack.t1685", 1)
	rule = strings.Replace(rule, "    - attack.execution\n", "", 1)
	findings := func(cat *mapper.Catalog) string {
		fs := lintSourceWith(t, cat, rule)
		var b strings.Builder
		for _, f := range fs {
			if f.Severity >= SeverityWarning {
				b.WriteString(f.Check + ": " + f.Message + "\n")
			}
		}
		return b.String()
	}
	got19 := findings(v19)
	want19 := "attack-revoked: attack.t1562.001 was revoked in ATT&CK 19.0; use attack.t1685 (Disable or Modify Tools)\n"
	if got19 != want19 {
		t.Errorf("v19:\n%s\nwant:\n%s", got19, want19)
	}
	got18 := findings(v18)
	// The mini 18.1 bundle's techniques end far below T1685, so T1685 is a
	// typo there; the tactic names are no misspelling of its tactics.
	for _, want := range []string{
		`attack-newer-release: "attack.stealth" is not in ATT&CK 18.1 (October 2025, 13 months old) and is no misspelling of one of its tactics: it probably comes from a newer ATT&CK release; run huntlint catalog update`,
		`attack-newer-release: "attack.defense-impairment" is not in ATT&CK 18.1 (October 2025, 13 months old)`,
		`attack-unknown-technique: "attack.t1685" is not a technique in ATT&CK 18.1`,
	} {
		if !strings.Contains(got18, want) {
			t.Errorf("v18 findings lack %q:\n%s", want, got18)
		}
	}
}

// TestDeterministicOrder: the findings do not depend on --jobs.
func TestDeterministicOrder(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "attack-*", "bad*"))
	if err != nil || len(files) < 10 {
		t.Fatalf("fixtures: %v %d", err, len(files))
	}
	cat := testCatalog(t)
	var outs []string
	for _, jobs := range []int{1, 3, 8} {
		res, err := Run(files, Options{Catalog: cat, Config: &Config{}, Jobs: jobs})
		if err != nil {
			t.Fatal(err)
		}
		outs = append(outs, formatGolden("testdata", res.Findings))
	}
	if outs[0] != outs[1] || outs[0] != outs[2] {
		t.Error("findings differ between --jobs 1, 3 and 8")
	}
}

// TestRenamedTactic lints tactics written by their ATT&CK 18 names against
// the v19-style bundle loaded as --catalog: the embedded 18.1 release says
// what TA0005 was called, the bundle what it is called now.
func TestRenamedTactic(t *testing.T) {
	cat, err := mapper.Open(mapper.Options{Paths: []string{filepath.Join("..", "testdata", "attack", "mini-19.json")}, Offline: true})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, tags, want, message string
		others                    []string // other checks that must not report
	}{
		{"renamed", "    - attack.defense-evasion\n    - attack.t1027\n",
			"    - attack.stealth\n    - attack.t1027\n",
			"attack.defense-evasion is TA0005, which ATT&CK 19.0 renamed from Defense Evasion to Stealth; write attack.stealth (Stealth)",
			[]string{"attack-tag-style", "attack-wrong-domain", "attack-unknown-tactic"}},
		{"underscores", "    - attack.defense_evasion\n    - attack.t1027\n",
			"    - attack.stealth\n    - attack.t1027\n",
			"attack.defense_evasion is TA0005, which ATT&CK 19.0 renamed from Defense Evasion to Stealth; write attack.stealth (Stealth)",
			[]string{"attack-tag-style"}},
		{"current name listed too", "    - attack.defense-evasion\n    - attack.stealth\n    - attack.t1027\n",
			"    - attack.stealth\n    - attack.t1027\n",
			"attack.defense-evasion is TA0005, which ATT&CK 19.0 renamed from Defense Evasion to Stealth; write attack.stealth (Stealth)",
			[]string{"attack-duplicate-tag"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := strings.Replace(suppressSigma, "    - attack.execution\n%s\n", c.tags, 1)
			var renamed []Finding
			for _, f := range lintSourceWith(t, cat, src) {
				for _, other := range c.others {
					if f.Check == other {
						t.Errorf("%s also reported: %s", other, f.Message)
					}
				}
				if f.Check == "attack-renamed-tactic" {
					renamed = append(renamed, f)
				}
			}
			if len(renamed) != 1 || renamed[0].Message != c.message || renamed[0].Fix == nil || renamed[0].Fix.Applicability != FixSafe {
				t.Fatalf("attack-renamed-tactic findings: %+v", renamed)
			}
			out, err := yamledit.Apply([]byte(src), renamed[0].Fix.Edits, yamledit.Exclusive)
			if err != nil {
				t.Fatal(err)
			}
			if want := strings.Replace(suppressSigma, "    - attack.execution\n%s\n", c.want, 1); string(out) != want {
				t.Errorf("fixed:\n%s\nwant:\n%s", out, want)
			}
		})
	}
	// Against the embedded release, the old name is current: nothing to say.
	src := strings.Replace(suppressSigma, "    - attack.execution\n%s\n", "    - attack.defense-evasion\n    - attack.t1027\n", 1)
	for _, f := range lintSourceWith(t, testCatalog(t), src) {
		if f.Check == "attack-renamed-tactic" {
			t.Errorf("embedded release: %s", f.Message)
		}
	}
}
