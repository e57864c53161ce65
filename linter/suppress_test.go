package linter

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/huntlint/huntlint/mapper"
)

func lintSource(t *testing.T, name, src string, ids ...string) []Finding {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	fs, err := RunFiles([]string{p}, testCatalog(t), &Config{}, ids...)
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

// lintSourceCfg lints a Sigma rule text with the test catalog, cfg and the
// checks ids (all when empty).
func lintSourceCfg(t *testing.T, cfg *Config, src string, ids ...string) []Finding {
	t.Helper()
	p := filepath.Join(t.TempDir(), "r.yml")
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	fs, err := RunFiles([]string{p}, testCatalog(t), cfg, ids...)
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

// lintSourceWith lints a Sigma rule text with every check against cat.
func lintSourceWith(t *testing.T, cat *mapper.Catalog, src string) []Finding {
	t.Helper()
	p := filepath.Join(t.TempDir(), "r.yml")
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	fs, err := RunFiles([]string{p}, cat, &Config{})
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

const suppressSigma = `title: Old PowerShell Rule
id: 9a3f4c1e-5b6d-4e7f-8a9b-0c1d2e3f4a5b
status: test
logsource:
    product: windows
    category: process_creation
detection:
    selection:
        Image|endswith: '\powershell.exe'
    condition: selection
tags:
    - attack.execution
%s
level: medium
`

func TestSuppressions(t *testing.T) {
	cases := []struct {
		name, tags string
		want       []string // check IDs found, in order
	}{
		{"none", "    - attack.t1086", []string{"attack-revoked"}},
		{"same line", "    - attack.t1086  # huntlint:ignore attack-revoked -- kept for the old backend", nil},
		{"line above", "    # huntlint:ignore attack-revoked -- kept for the old backend\n    - attack.t1086", nil},
		{"two lines above", "    # huntlint:ignore attack-revoked -- too far\n    - attack.t1059.001\n    - attack.t1086", []string{"unused-suppression", "attack-revoked"}},
		{"list of checks", "    - attack.t1086  # huntlint:ignore attack-tag-style,attack-revoked -- old", []string{"unused-suppression"}},
		{"other check", "    - attack.t1086  # huntlint:ignore attack-tag-style -- old", []string{"attack-revoked", "unused-suppression"}},
		{"no reason", "    - attack.t1086  # huntlint:ignore attack-revoked", []string{"unused-suppression"}},
		{"file", "    - attack.t1086\n# huntlint:ignore-file attack-revoked -- whole file is legacy", nil},
		{"unknown check", "    - attack.t1059.001  # huntlint:ignore no-such-check -- x", []string{"unused-suppression"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fs := lintSource(t, "r.yml", strings.Replace(suppressSigma, "%s", c.tags, 1), "attack-revoked", "attack-tag-style", "unused-suppression")
			var got []string
			for _, f := range fs {
				got = append(got, f.Check)
			}
			if strings.Join(got, " ") != strings.Join(c.want, " ") {
				t.Errorf("got %v, want %v\n%s", got, c.want, formatGolden("", fs))
			}
		})
	}
}

// TestSuppressionNotRunCheck: a suppression of a check that did not run
// (--select) is not reported as unused.
func TestSuppressionNotRunCheck(t *testing.T) {
	src := strings.Replace(suppressSigma, "%s", "    - attack.t1059.001  # huntlint:ignore attack-revoked -- x", 1)
	if fs := lintSource(t, "r.yml", src, "attack-tag-style", "unused-suppression"); len(fs) != 0 {
		t.Errorf("got %s", formatGolden("", fs))
	}
}

func TestSuppressionKQL(t *testing.T) {
	src := "// MITRE: T1086 // huntlint:ignore attack-revoked -- old mapping kept for the report\nDeviceProcessEvents\n| take 1\n"
	if fs := lintSource(t, "q.kql", src, "attack-revoked", "unused-suppression"); len(fs) != 0 {
		t.Errorf("got %s", formatGolden("", fs))
	}
	src = "// huntlint:ignore attack-revoked -- old mapping\n// MITRE: T1086\nDeviceProcessEvents\n"
	if fs := lintSource(t, "q.kql", src, "attack-revoked", "unused-suppression"); len(fs) != 0 {
		t.Errorf("line above: got %s", formatGolden("", fs))
	}
}

// TestSuppressionInBrokenFile: a file that does not load ran no check but
// load-error, so its other suppressions are not reported as unused, and
// load-error itself can be suppressed.
func TestSuppressionInBrokenFile(t *testing.T) {
	src := "title: Broken\n# huntlint:ignore attack-revoked -- kept\ntags: [attack.t1086\n"
	fs := lintSource(t, "r.yml", src)
	if len(fs) != 1 || fs[0].Check != LoadErrorID {
		t.Errorf("got %s", formatGolden("", fs))
	}
	src = "# huntlint:ignore-file load-error -- a deliberately broken fixture\ntitle: Broken\ntags: [attack.t1086\n"
	if fs := lintSource(t, "r.yml", src); len(fs) != 0 {
		t.Errorf("got %s", formatGolden("", fs))
	}
}
