package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/huntlint/huntlint/mapper/layer"
)

const oldControls = `{
  "name": "EDR controls",
  "versions": {"attack": "9", "navigator": "4.4.1", "layer": "4.2"},
  "domain": "enterprise-attack",
  "techniques": [
    {"techniqueID": "T1086", "tactic": "execution", "score": 10, "comment": "Detect: script block logging", "category": "Detect"},
    {"techniqueID": "T1059.001", "tactic": "execution", "score": 5, "comment": "Protect: constrained language mode"},
    {"techniqueID": "T1003.001", "tactic": "credential-access", "score": 10},
    {"techniqueID": "T1064", "tactic": "execution", "score": 5}
  ]
}`

func runUpgrade(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	return runLayer(t, append([]string{"--offline", "layer", "upgrade"}, args...)...)
}

func TestLayerUpgradeCommand(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "controls.json")
	os.WriteFile(in, []byte(oldControls), 0o644)

	// To standard output: the layer there, the report on standard error.
	code, out, errs := runUpgrade(t, in)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	res, err := layer.Read(strings.NewReader(out), layer.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	l := res.Layers[0]
	if l.Versions.Layer != "4.5" || *l.Versions.Attack == "9" {
		t.Errorf("versions = %+v", l.Versions)
	}
	for _, want := range []string{"T1086 PowerShell -> T1059.001", "T1086 + T1059.001 merged", "T1064 Scripting: deprecated", "ATT&CK 9 -> "} {
		if !strings.Contains(errs, want) {
			t.Errorf("report lacks %q:\n%s", want, errs)
		}
	}
	if !strings.Contains(out, `"category": "Detect"`) {
		t.Errorf("unknown field lost:\n%s", out)
	}

	// -o FILE, JSON report on standard output, --fail-on-review.
	outFile := filepath.Join(dir, "new.json")
	code, out, errs = runUpgrade(t, in, "-o", outFile, "--format", "json", "--fail-on-review")
	if code != ExitFindings {
		t.Errorf("--fail-on-review exit %d: %s", code, errs)
	}
	var rep struct {
		Counts map[string]int `json:"counts"`
		Review int            `json:"review"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if rep.Counts["moved"] != 1 || rep.Counts["merged"] != 1 || rep.Counts["dropped"] != 1 || rep.Review != 3 {
		t.Errorf("report = %s", out)
	}
	if _, err := os.Stat(outFile); err != nil {
		t.Error(err)
	}

	// Upgrading the result again changes nothing.
	code, out, errs = runUpgrade(t, outFile, "--in-place", "--fail-on-review", "--format", "markdown")
	if code != ExitOK || !strings.Contains(out, "0 moved, 0 merged, 0 tactics-changed, 0 dropped, 2 kept; 0 to review") {
		t.Errorf("second upgrade: exit %d\n%s%s", code, out, errs)
	}

	// --from-catalog: the exact diff; embedded to embedded keeps all.
	code, out, errs = runUpgrade(t, outFile, "--from-catalog", "embedded", "-o", "-")
	if code != ExitOK || !strings.Contains(errs, "release diff ATT&CK") {
		t.Errorf("--from-catalog: exit %d %s", code, errs)
	}
	_ = out

	// A list of two domains into a folder: one file per domain.
	list := filepath.Join(dir, "both.json")
	os.WriteFile(list, []byte(`[{"name":"e","domain":"enterprise-attack","versions":{"layer":"4.5","navigator":"4.9.1"},"techniques":[{"techniqueID":"T1003"}]},
	{"name":"m","domain":"mobile-attack","techniques":[{"techniqueID":"T1404"}]}]`), 0o644)
	outDir := filepath.Join(dir, "out") + "/"
	if code, _, errs := runUpgrade(t, list, "-o", outDir); code != ExitOK {
		t.Fatalf("folder: exit %d %s", code, errs)
	}
	for _, f := range []string{"both-enterprise-attack.json", "both-mobile-attack.json"} {
		data, err := os.ReadFile(filepath.Join(outDir, f))
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(strings.TrimSpace(string(data)), "[") {
			t.Errorf("%s is a list", f)
		}
	}

	// --for-navlayers leaves out the mapping's own fields, and says so.
	code, out, errs = runUpgrade(t, in, "--for-navlayers", "-o", "-")
	if code != ExitOK || strings.Contains(out, "category") || !strings.Contains(errs, "technique field category (1) left out for mitreattack-python") {
		t.Errorf("--for-navlayers: exit %d\n%s\n%s", code, out, errs)
	}

	// Usage errors.
	for _, args := range [][]string{
		{in, "--in-place", "-o", outFile},
		{in, list, "-o", outFile},
		{in, "--split-domains"},
		{in, "--format", "yaml"},
		{filepath.Join(dir, "missing.json")},
	} {
		if code, _, errs := runUpgrade(t, args...); code != ExitUsage || strings.Count(strings.TrimSpace(errs), "\n") > 0 {
			t.Errorf("%v: exit %d, want one line: %s", args, code, errs)
		}
	}
}

func TestLayerDiffAgainstControls(t *testing.T) {
	dir := t.TempDir()
	det := filepath.Join(dir, "det.json")
	os.WriteFile(det, []byte(`{"name":"rules","domain":"enterprise-attack","techniques":[{"techniqueID":"T1059.001","score":2}]}`), 0o644)
	ctl := filepath.Join(dir, "ctl.json")
	os.WriteFile(ctl, []byte(oldControls), 0o644)
	code, out, errs := runLayer(t, "--offline", "layer", "diff", det, "--against", ctl)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "1 detected by a rule, 2 covered by a control, 1 both") || !strings.Contains(out, "| T1003.001 OS Credential Dumping: LSASS Memory | "+ctl+" |") &&
		!strings.Contains(out, "| T1003.001 LSASS Memory | "+ctl+" |") {
		t.Errorf("gaps:\n%s", out)
	}
	if !strings.Contains(errs, "upgraded in memory") {
		t.Errorf("no in-memory upgrade note: %s", errs)
	}
	if code, _, errs := runLayer(t, "--offline", "layer", "diff", det); code != ExitUsage || !strings.Contains(errs, "--against") {
		t.Errorf("one file without --against: exit %d %s", code, errs)
	}
}

// TestLayerSplitDomains: 'huntlint layer -o FOLDER' writes one layer
// object per file.
func TestLayerSplitDomains(t *testing.T) {
	dir := t.TempDir()
	code, _, errs := runLayer(t, "layer", layerFixtures, "-o", dir, "--split-domains")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	data, err := os.ReadFile(filepath.Join(dir, "coverage.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(data), "{") {
		t.Errorf("not one layer object: %.80s", data)
	}
}

// TestLayerMergeSplitDomains: merging lists of two domains into a folder
// gives one layer object per domain, each entry naming its sources.
func TestLayerMergeSplitDomains(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.json")
	b := filepath.Join(dir, "b.json")
	os.WriteFile(a, []byte(`[{"name":"ea","domain":"enterprise-attack","techniques":[{"techniqueID":"T1003","score":1}]},
	{"name":"ma","domain":"mobile-attack","techniques":[{"techniqueID":"T1404","score":1}]}]`), 0o644)
	os.WriteFile(b, []byte(`{"name":"eb","domain":"enterprise-attack","techniques":[{"techniqueID":"T1003","score":3}]}`), 0o644)
	out := filepath.Join(dir, "out")
	if code, _, errs := runLayer(t, "--offline", "layer", "merge", a, b, "-o", out, "--split-domains"); code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	f, err := os.Open(filepath.Join(out, "merged-enterprise-attack.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := layer.Read(f, layer.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	e := res.Layers[0].Techniques[0]
	var srcs []string
	for _, m := range e.Metadata {
		if m.Name == "layer" {
			srcs = append(srcs, m.Value)
		}
	}
	if *e.Score != 3 || strings.Join(srcs, " | ") != a+": ea | "+b+": eb" {
		t.Errorf("merged entry = %+v, sources %q", e, srcs)
	}
	if _, err := os.Stat(filepath.Join(out, "merged-mobile-attack.json")); err != nil {
		t.Error(err)
	}
}
