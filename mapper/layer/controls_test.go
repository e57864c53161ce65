package layer

import (
	"bytes"
	"strings"
	"testing"
)

func TestGaps(t *testing.T) {
	cat := embeddedCatalog(t)
	det := []*Layer{{Name: "rules", Domain: "enterprise-attack", Techniques: []Technique{
		{TechniqueID: "T1059.001", Score: ptr(2.0)},
		{TechniqueID: "T1003", Score: ptr(1.0)},
		{TechniqueID: "T1027", Score: ptr(1.0), Enabled: ptr(false)}, // disabled: not coverage
	}}}
	ctl := []ControlInput{{Name: "edr.json", Layers: []*Layer{{Name: "edr", Domain: "enterprise-attack", Techniques: []Technique{
		{TechniqueID: "T1003", Tactic: ptr("credential-access"), Score: ptr(10.0)},
		{TechniqueID: "T1486", Score: ptr(5.0)},
		{TechniqueID: "T1490", Score: ptr(0.0)}, // minimal: not coverage
	}}}}}
	gs := Gaps(det, ctl, cat)
	if len(gs) != 1 {
		t.Fatalf("reports = %d", len(gs))
	}
	g := gs[0]
	if g.Detected != 2 || g.Covered != 2 || g.Both != 1 || len(g.ControlOnly) != 1 || g.ControlOnly[0].TechniqueID != "T1486" {
		t.Errorf("gaps = %+v", g)
	}
	if len(g.Neither) != g.Total-3 {
		t.Errorf("neither = %d of %d", len(g.Neither), g.Total)
	}
	for _, e := range g.Neither {
		if e.TechniqueID == "T1027" || e.TechniqueID == "T1490" {
			continue
		}
		if e.TechniqueID == "T1003" || e.TechniqueID == "T1486" || e.TechniqueID == "T1059.001" {
			t.Errorf("%s listed as a gap", e.TechniqueID)
		}
	}
	var b bytes.Buffer
	if err := WriteGapsMarkdown(&b, gs, cat); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"**Impact**", "T1490 Inhibit System Recovery", "| T1486 Data Encrypted for Impact | edr.json |"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("markdown lacks %q", want)
		}
	}
}
