package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/huntlint/huntlint/mapper/layer"
)

// runGapsCLI runs huntlint on the embedded catalog, which holds the
// groups' relationships.
func runGapsCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	t.Setenv("SOURCE_DATE_EPOCH", "1777377600") // 2026-04-28
	var out, errb bytes.Buffer
	code = run(append([]string{"--offline"}, args...), strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestGapsJSON(t *testing.T) {
	code, out, errs := runGapsCLI(t, "gaps", "--group", "Cozy Bear", "--format", "json", layerFixtures)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc struct {
		Catalog []struct {
			Domain, Release, Source string
		}
		Threats    []struct{ ID, Name, Type string }
		Techniques []struct {
			ID      string
			UsedBy  []string `json:"used_by"`
			Covered bool
			Rules   int
			Rank    int
		}
		Summary struct {
			Used, Covered int
			Percent       float64
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Threats) != 1 || doc.Threats[0].ID != "G0016" || doc.Threats[0].Type != "group" {
		t.Errorf("threats = %+v", doc.Threats)
	}
	if len(doc.Catalog) == 0 || doc.Catalog[0].Release != "18.1" {
		t.Errorf("catalog = %+v", doc.Catalog)
	}
	if doc.Summary.Used < 50 || doc.Summary.Used != len(doc.Techniques) {
		t.Errorf("summary %+v, %d techniques", doc.Summary, len(doc.Techniques))
	}
	covered := 0
	for i, tech := range doc.Techniques {
		if tech.Rank != i+1 || len(tech.UsedBy) != 1 || tech.UsedBy[0] != "G0016" {
			t.Errorf("technique %d = %+v", i, tech)
		}
		if tech.Covered != (tech.Rules > 0) {
			t.Errorf("%s: covered %v with %d rules", tech.ID, tech.Covered, tech.Rules)
		}
		if tech.Covered {
			covered++
		}
		// The fixtures' T1059.001 rules cover T1059.001, and T1059 through it.
		if (tech.ID == "T1059.001" || tech.ID == "T1059") && !tech.Covered {
			t.Errorf("%s not covered", tech.ID)
		}
	}
	if covered != doc.Summary.Covered || covered == 0 {
		t.Errorf("%d covered, summary says %d", covered, doc.Summary.Covered)
	}
}

func TestGapsFailUnderAndErrors(t *testing.T) {
	code, out, errs := runGapsCLI(t, "gaps", "--group", "G0016", "--fail-under", "50", layerFixtures)
	if code != ExitFindings || !strings.Contains(errs, "under --fail-under 50%") || !strings.Contains(out, "techniques used") {
		t.Errorf("--fail-under 50: exit %d, stderr %q", code, errs)
	}
	if code, _, errs := runGapsCLI(t, "gaps", "--group", "G0016", "--fail-under", "0", layerFixtures); code != ExitOK {
		t.Errorf("--fail-under 0: exit %d: %s", code, errs)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"gaps", layerFixtures}, "no threat chosen"},
		{[]string{"gaps", "--group", "Nobody Bear", layerFixtures}, `--group "Nobody Bear": no group has this ID, name or alias`},
		{[]string{"gaps", "--group", "G0016", "--since", "last week", layerFixtures}, `invalid --since "last week"`},
		{[]string{"gaps", "--group", "G0016", "--fail-under", "150", layerFixtures}, `invalid --fail-under "150"`},
		{[]string{"gaps", "--group", "G0016", "--format", "csv", layerFixtures}, `invalid --format "csv"`},
		{[]string{"layer", "--threat", "G0016", "--format", "csv", layerFixtures}, "--threat paints the navigator and html formats"},
	} {
		code, _, errs := runGapsCLI(t, tc.args...)
		if code != ExitUsage || !strings.Contains(errs, tc.want) || strings.Count(strings.TrimSpace(errs), "\n") > 0 {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and one line with %q", tc.args, code, errs, tc.want)
		}
	}
}

func TestGapsFormatsCLI(t *testing.T) {
	code, out, errs := runGapsCLI(t, "gaps", "--group", "APT29", "--campaign", "C0024", "--include-software", "--include-campaigns", "--since", "2020-01-01", "--format", "markdown", layerFixtures)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, s := range []string{"# Detection gaps", "G0016 APT29 (group), C0024 SolarWinds Compromise (campaign)", "relationships modified since 2020-01-01", "## Uncovered techniques, most used first", "## By tactic"} {
		if !strings.Contains(out, s) {
			t.Errorf("markdown lacks %q", s)
		}
	}
	code, out, errs = runGapsCLI(t, "gaps", "--top-used", "10", "--format", "navigator", layerFixtures)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	ls, err := layer.Decode(strings.NewReader(out), nil)
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	for _, e := range ls[0].Techniques {
		if e.Comment != nil && strings.HasPrefix(*e.Comment, "used by the 10 techniques used by the most groups") {
			used[e.TechniqueID] = true
		}
	}
	if len(used) != 10 || len(ls[0].LegendItems) != 3 {
		t.Errorf("%d used techniques in the layer (%v), legend %v", len(used), used, ls[0].LegendItems)
	}

	// layer --threat paints the same overlay on a coverage layer.
	code, out, errs = runGapsCLI(t, "layer", "--threat", "Cozy Bear", "--threat", "FIN7", layerFixtures)
	if code != ExitOK {
		t.Fatalf("layer --threat: exit %d: %s", code, errs)
	}
	ls, err = layer.Decode(strings.NewReader(out), nil)
	if err != nil {
		t.Fatal(err)
	}
	l := ls[0]
	if len(l.LegendItems) != 3 || !strings.Contains(*l.Description, "threats: G0016 APT29, G0046 FIN7") {
		t.Errorf("legend %v, description %q", l.LegendItems, *l.Description)
	}
	states := map[string]int{}
	for _, e := range l.Techniques {
		if e.Color != nil {
			states[*e.Color]++
		}
	}
	if states[layer.OverlayCoveredColor] == 0 || states[layer.OverlayUncoveredColor] == 0 || states[layer.OverlayUnusedColor] == 0 {
		t.Errorf("states = %v, want all three", states)
	}
	code, out, errs = runGapsCLI(t, "layer", "--threat", "G0016", "--format", "html", layerFixtures)
	if code != ExitOK || !strings.Contains(out, "used, not covered") || !strings.Contains(out, "threats: G0016 APT29") {
		t.Errorf("layer --threat html: exit %d: %s", code, errs)
	}
}
