package linter

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/huntlint/huntlint/internal/yamledit"
)

// TestAttackFixes applies the fix of each ATT&CK finding on its own and
// checks the resulting tag list.
func TestAttackFixes(t *testing.T) {
	cases := []struct {
		name, check string
		tags, want  string
		cfg         *Config
		app         Applicability
	}{
		{"revoked", "attack-revoked",
			"    - attack.defense-evasion\n    - attack.t1150\n",
			"    - attack.defense-evasion\n    - attack.t1647\n", nil, FixSafe},
		{"revoked replacement already listed", "attack-revoked",
			"    - attack.execution\n    - attack.t1086\n    - attack.t1059.001\n",
			"    - attack.execution\n    - attack.t1059.001\n", nil, FixSafe},
		{"style", "attack-tag-style",
			"    - attack.defense_evasion\n    - attack.t1027\n",
			"    - attack.defense-evasion\n    - attack.t1027\n", nil, FixSafe},
		{"style underscore config", "attack-tag-style",
			"    - attack.defense-evasion\n    - attack.t1027\n",
			"    - attack.defense_evasion\n    - attack.t1027\n", &Config{Sigma: SigmaConfig{TacticStyle: TacticUnderscore}}, FixSafe},
		{"duplicate", "attack-duplicate-tag",
			"    - attack.execution\n    - attack.t1059.001\n    - attack.t1059.001\n",
			"    - attack.execution\n    - attack.t1059.001\n", nil, FixSafe},
		{"missing tactic", "attack-missing-tactic",
			"    - attack.t1003.001\n",
			"    - attack.credential-access\n    - attack.t1003.001\n", nil, FixSafe},
		{"orphan tactic", "attack-orphan-tactic",
			"    - attack.execution\n    - attack.persistence\n    - attack.t1059.001\n",
			"    - attack.execution\n    - attack.t1059.001\n", nil, FixUnsafe},
		{"malformed", "attack-malformed-tag",
			"    - attack.execution\n    - attack.t1059.1\n",
			"    - attack.execution\n    - attack.t1059.001\n", nil, FixUnsafe},
		{"tactic mismatch", "attack-tactic-mismatch",
			"    - attack.execution\n    - attack.t1059.001\n    - attack.t1105\n",
			"    - attack.execution\n    - attack.command-and-control\n    - attack.t1059.001\n    - attack.t1105\n", nil, FixUnsafe},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := strings.Replace(suppressSigma, "    - attack.execution\n%s\n", c.tags, 1)
			cfg := c.cfg
			if cfg == nil {
				cfg = &Config{}
			}
			fs := lintSourceCfg(t, cfg, src, c.check)
			if len(fs) != 1 || fs[0].Fix == nil {
				t.Fatalf("want one fixable finding, got:\n%s", formatGolden("", fs))
			}
			if fs[0].Fix.Applicability != c.app {
				t.Errorf("applicability %s, want %s", fs[0].Fix.Applicability, c.app)
			}
			out, err := yamledit.Apply([]byte(src), fs[0].Fix.Edits, yamledit.Exclusive)
			if err != nil {
				t.Fatal(err)
			}
			want := strings.Replace(suppressSigma, "    - attack.execution\n%s\n", c.want, 1)
			if string(out) != want {
				t.Errorf("fixed:\n%s\nwant:\n%s", out, want)
			}
		})
	}
}

const fixSentinel = `id: 7c4b2e1a-9d8f-4a6b-b3c2-1e0f9a8b7c6d
name: Processes Opening LSASS
description: |
  Finds processes that open lsass.exe.
requiredDataConnectors:
  - connectorId: MicrosoftThreatProtection
    dataTypes:
      - DeviceEvents
tactics:
%s
relevantTechniques:
%s
query: |
  DeviceEvents
  | where FileName =~ "lsass.exe"
`

func TestAttackFixesSentinel(t *testing.T) {
	cases := []struct{ name, check, tactics, techs, wantTactics, wantTechs string }{
		{"style", "attack-tag-style", "  - Credential Access", "  - T1003.001", "  - CredentialAccess", "  - T1003.001"},
		{"technique style", "attack-tag-style", "  - CredentialAccess", "  - t1003.001", "  - CredentialAccess", "  - T1003.001"},
		{"mismatch adds tactic", "attack-tactic-mismatch", "  - Execution", "  - T1003.001", "  - CredentialAccess\n  - Execution", "  - T1003.001"},
		{"revoked", "attack-revoked", "  - Execution", "  - T1086", "  - Execution", "  - T1059.001"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "hunt.yaml")
			src := fmt.Sprintf(fixSentinel, c.tactics, c.techs)
			if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			fs, err := RunFiles([]string{p}, testCatalog(t), &Config{}, c.check)
			if err != nil {
				t.Fatal(err)
			}
			if len(fs) != 1 || fs[0].Fix == nil {
				t.Fatalf("want one fixable finding, got:\n%s", formatGolden("", fs))
			}
			out, err := yamledit.Apply([]byte(src), fs[0].Fix.Edits, yamledit.Exclusive)
			if err != nil {
				t.Fatal(err)
			}
			if want := fmt.Sprintf(fixSentinel, c.wantTactics, c.wantTechs); string(out) != want {
				t.Errorf("fixed:\n%s\nwant:\n%s", out, want)
			}
		})
	}
}
