package mapper

import (
	"reflect"
	"testing"
)

// TestLoadKeepsTextsAndDetections checks what a full STIX bundle adds to
// the facts: descriptions of techniques and analytics, the live detection
// strategies that detect a technique, their analytics and the analytics'
// log sources.
func TestLoadKeepsTextsAndDetections(t *testing.T) {
	c := loadFixture(t, "texts.json", "18.1")
	get := func(typ ObjectType, id string) *Object {
		t.Helper()
		o, ok := c.Get(typ, id)
		if !ok {
			t.Fatalf("%s %s missing", typ, id)
		}
		return o
	}
	t1140 := get(TypeTechnique, "T1140")
	if t1140.Description != "Adversaries may decode payloads with certutil.(Citation: Example)" {
		t.Errorf("T1140 description = %q", t1140.Description)
	}
	if !reflect.DeepEqual(t1140.DetectedBy, []string{"DET0001"}) {
		t.Errorf("T1140 detected by %v, want only the live DET0001", t1140.DetectedBy)
	}
	if t1027 := get(TypeTechnique, "T1027"); t1027.Description != "" || t1027.DetectedBy != nil {
		t.Errorf("T1027 = %q, %v: a uses relationship is not a detection", t1027.Description, t1027.DetectedBy)
	}
	det := get(TypeDetectionStrategy, "DET0001")
	if det.Name != "Detection of Decoding with Built-in Tools" || !reflect.DeepEqual(det.Analytics, []string{"AN0001"}) {
		t.Errorf("DET0001 = %q, analytics %v (a dangling reference is dropped)", det.Name, det.Analytics)
	}
	an := get(TypeAnalytic, "AN0001")
	if an.Description != "Watch certutil started with -decode." || !reflect.DeepEqual(an.LogSources, []string{"WinEventLog:Security EventCode=4688"}) {
		t.Errorf("AN0001 = %q, %v", an.Description, an.LogSources)
	}
	if tac := get(TypeTactic, "TA0005"); tac.Description != "" {
		t.Errorf("tactic description kept: %q", tac.Description)
	}
}

// TestEnterpriseDetections checks the detection relationships of the real
// 18.1 bundle: most live techniques are detected by a strategy whose
// analytics have descriptions.
func TestEnterpriseDetections(t *testing.T) {
	c := loadShared(t, "enterprise-attack-18.1.json.gz")
	var live, described, detected int
	for _, o := range c.Objects(Enterprise, TypeTechnique) {
		if o.Status != StatusActive {
			continue
		}
		live++
		if o.Description != "" {
			described++
		}
		if len(o.DetectedBy) > 0 {
			detected++
		}
	}
	if described != live || detected < live*9/10 {
		t.Errorf("%d live techniques: %d described, %d detected", live, described, detected)
	}
	t1140, _ := c.Get(TypeTechnique, "T1140")
	if len(t1140.DetectedBy) == 0 {
		t.Fatal("T1140 has no detection strategy")
	}
	det, ok := c.Get(TypeDetectionStrategy, t1140.DetectedBy[0])
	if !ok || len(det.Analytics) == 0 {
		t.Fatalf("%s: %v", t1140.DetectedBy[0], det)
	}
	an, ok := c.Get(TypeAnalytic, det.Analytics[0])
	if !ok || an.Description == "" || len(an.LogSources) == 0 {
		t.Fatalf("%s: %+v", det.Analytics[0], an)
	}
	t.Logf("%d live techniques, %d detected; T1140 by %s: %q", live, detected, det.ID, det.Name)
}

// TestShowDetections checks what `catalog show` says of detections when the
// catalog was loaded from a full bundle.
func TestShowDetections(t *testing.T) {
	c := loadFixture(t, "texts.json", "18.1")
	show := func(typ ObjectType, id string) ObjectView {
		t.Helper()
		o, ok := c.Get(typ, id)
		if !ok {
			t.Fatalf("%s missing", id)
		}
		return c.View(o)
	}
	v := show(TypeTechnique, "T1140")
	if len(v.DetectedBy) != 1 || v.DetectedBy[0].ID != "DET0001" || v.DetectedBy[0].Name != "Detection of Decoding with Built-in Tools" {
		t.Errorf("T1140: %+v", v.DetectedBy)
	}
	v = show(TypeDetectionStrategy, "DET0001")
	if len(v.Analytics) != 1 || v.Analytics[0].ID != "AN0001" {
		t.Errorf("DET0001: %+v", v.Analytics)
	}
	v = show(TypeAnalytic, "AN0001")
	if len(v.LogSources) != 1 || v.LogSources[0] != "WinEventLog:Security EventCode=4688" {
		t.Errorf("AN0001: %q", v.LogSources)
	}
	if v = show(TypeTechnique, "T1027"); len(v.DetectedBy) != 0 {
		t.Errorf("T1027 has no detection strategy: %+v", v.DetectedBy)
	}
}

// TestInfoTexts checks that catalog info says whether texts are at hand.
func TestInfoTexts(t *testing.T) {
	for _, c := range []struct {
		cat  *Catalog
		want bool
	}{
		{loadFixture(t, "texts.json", "18.1"), true},
		{embeddedOnly(t), false},
	} {
		if infos := c.cat.Info(); infos[0].Texts != c.want {
			t.Errorf("texts %v, want %v", infos[0].Texts, c.want)
		}
	}
}

func embeddedOnly(t *testing.T) *Catalog {
	t.Helper()
	c, err := Open(Options{Offline: true})
	if err != nil {
		t.Fatal(err)
	}
	return c
}
