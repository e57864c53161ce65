package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/huntlint/huntlint/mapper/layer"
)

const (
	layerCatalog  = "../../testdata/attack/layer/enterprise-attack-18.1.json"
	layerFixtures = "../../testdata/rules/layer"
)

func runLayer(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	t.Setenv("SOURCE_DATE_EPOCH", "1777377600") // 2026-04-28
	var out, errb bytes.Buffer
	code = run(append([]string{"--catalog", layerCatalog}, args...), strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestLayerCSVMatchesGolden(t *testing.T) {
	code, out, errs := runLayer(t, "layer", layerFixtures, "--format", "csv")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	want, err := os.ReadFile("../../mapper/layer/testdata/golden/coverage.csv")
	if err != nil {
		t.Fatal(err)
	}
	if out != string(want) {
		t.Errorf("csv differs from the package golden:\n%s", out)
	}
}

func TestLayerNavigatorFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "layer.json")
	code, out, errs := runLayer(t, "layer", layerFixtures, "-o", path, "--score", "level", "--rollup",
		"--link-base", "https://example.com/repo/blob/main", "--name", "team coverage")
	if code != ExitOK || out != "" {
		t.Fatalf("exit %d, stdout %q, stderr %s", code, out, errs)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ls, err := layer.Decode(f, nil)
	if err != nil {
		t.Fatal(err)
	}
	l := ls[0]
	if l.Name != "team coverage" || *l.Versions.Attack != "18.1" || l.Domain != "enterprise-attack" {
		t.Errorf("name %q attack %q domain %q", l.Name, *l.Versions.Attack, l.Domain)
	}
	var date string
	for _, m := range l.Metadata {
		if m.Name == "date" {
			date = m.Value
		}
	}
	if date != "2026-04-28" {
		t.Errorf("date = %q, want SOURCE_DATE_EPOCH's 2026-04-28", date)
	}
	found := false
	for _, e := range l.Techniques {
		if e.TechniqueID == "T1547" && e.Score != nil && *e.Score == 1 && len(e.Links) == 1 &&
			e.Links[0].URL == "https://example.com/repo/blob/main/../../testdata/rules/layer/kql/registry_run_keys.kql" {
			found = true
		}
	}
	if !found {
		t.Errorf("T1547 is not rolled up from T1547.001 with a link to the .kql file")
	}
}

func TestLayerUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--format", "pdf"}, `invalid format "pdf": use navigator, csv, markdown, svg, html`},
		{[]string{"--score", "avg"}, `invalid score function "avg": use count, level or max`},
		{[]string{"--min-level", "severe"}, `invalid level "severe"`},
		{[]string{"--min-status", "beta"}, `invalid status "beta"`},
		{[]string{"--status-weight", "test=x"}, `invalid status weight "test=x"`},
		{[]string{"--source-format", "splunk"}, `invalid --source-format "splunk"`},
		{[]string{"--tactic", "exfil"}, `unknown tactic "exfil"`},
		{[]string{"--min-color", "red"}, `invalid colour "red"`},
		{[]string{"--link-base", "example.com"}, `invalid --link-base "example.com"`},
	} {
		code, _, errs := runLayer(t, append([]string{"layer", layerFixtures}, tc.args...)...)
		if code != ExitUsage || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and %q", tc.args, code, errs, tc.want)
		}
	}
}

func TestLayerLoadProblemsExit1(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "good.yml"), []byte("title: Good\nlogsource:\n  product: windows\ndetection:\n  sel:\n    a: b\n  condition: sel\ntags:\n  - attack.t1082\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "bad.yml"), []byte("title: [unclosed\n"), 0o644)
	code, out, errs := runLayer(t, "layer", dir, "--format", "csv")
	if code != ExitFindings {
		t.Errorf("exit %d, want 1", code)
	}
	if !strings.Contains(out, "T1082,System Information Discovery,discovery,1,1,Good") {
		t.Errorf("the layer of the good file is missing:\n%s", out)
	}
	if !strings.Contains(errs, "bad.yml:1") || !strings.Contains(errs, "left out of the layer") {
		t.Errorf("stderr does not name the bad file:\n%s", errs)
	}
}

func TestLayerDiffAndMerge(t *testing.T) {
	dir := t.TempDir()
	old, new := filepath.Join(dir, "old.json"), filepath.Join(dir, "new.json")
	if code, _, errs := runLayer(t, "layer", layerFixtures, "--source-format", "sigma", "-o", old); code != 0 {
		t.Fatal(errs)
	}
	if code, _, errs := runLayer(t, "layer", layerFixtures, "-o", new); code != 0 {
		t.Fatal(errs)
	}
	code, out, errs := runLayer(t, "layer", "diff", old, new, "--format", "json")
	if code != ExitOK {
		t.Fatalf("diff exit %d: %s", code, errs)
	}
	var d struct {
		Gained  []struct{ TechniqueID string }
		Lost    []struct{ TechniqueID string }
		Changed []struct{ TechniqueID string }
	}
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatal(err)
	}
	var gained []string
	for _, g := range d.Gained {
		gained = append(gained, g.TechniqueID)
	}
	if strings.Join(gained, " ") != "T1078 T1078.004 T1547.001" || len(d.Lost) != 0 || len(d.Changed) != 0 {
		t.Errorf("diff = %s", out)
	}
	code, out, _ = runLayer(t, "layer", "diff", old, new)
	if code != ExitOK || !strings.Contains(out, "| gained | T1547.001 Registry Run Keys / Startup Folder | 1 |") {
		t.Errorf("markdown diff (exit %d):\n%s", code, out)
	}

	code, out, errs = runLayer(t, "layer", "merge", old, new, "--op", "sum")
	if code != ExitOK {
		t.Fatalf("merge exit %d: %s", code, errs)
	}
	ls, err := layer.Decode(strings.NewReader(out), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ls[0].Techniques {
		if e.TechniqueID == "T1059.001" && (e.Score == nil || *e.Score != 4) {
			t.Errorf("T1059.001 summed = %v, want 4", e.Score)
		}
	}
	if code, _, errs := runLayer(t, "layer", "merge", old, new, "--op", "avg"); code != ExitUsage || !strings.Contains(errs, `invalid merge operation "avg"`) {
		t.Errorf("bad op: exit %d %s", code, errs)
	}
	// An invalid value is left out with a note; a layer that cannot be
	// made valid is refused.
	os.WriteFile(filepath.Join(dir, "odd.json"), []byte(`{"name":"x","domain":"enterprise-attack","sorting":9}`), 0o644)
	if code, _, errs := runLayer(t, "layer", "diff", old, filepath.Join(dir, "odd.json")); code != ExitOK || !strings.Contains(errs, `odd.json: sorting 9 is not 0, 1, 2 or 3; left out`) {
		t.Errorf("odd layer: exit %d %s", code, errs)
	}
	os.WriteFile(filepath.Join(dir, "bad.json"), []byte(`{"name":"x","domain":"nowhere"}`), 0o644)
	if code, _, errs := runLayer(t, "layer", "diff", old, filepath.Join(dir, "bad.json")); code != ExitUsage || !strings.Contains(errs, `bad.json: invalid Navigator 4.5 layer: "domain" is "nowhere"`) {
		t.Errorf("invalid layer: exit %d %s", code, errs)
	}
}

// TestLayerDocsNameEveryFlag keeps docs/layers.md in step with the flags.
func TestLayerDocsNameEveryFlag(t *testing.T) {
	doc, err := os.ReadFile("../../docs/layers.md")
	if err != nil {
		t.Fatal(err)
	}
	a := &app{}
	cmd := a.layerCommand()
	cmds := append([]*cobra.Command{cmd}, cmd.Commands()...)
	for _, c := range cmds {
		c.Flags().VisitAll(func(f *pflag.Flag) {
			if f.Name == "help" || f.Name == "output" {
				return
			}
			if !strings.Contains(string(doc), "--"+f.Name) {
				t.Errorf("docs/layers.md does not mention %s --%s", c.Name(), f.Name)
			}
		})
	}
}
