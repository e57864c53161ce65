package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/huntlint/huntlint/mapper"
)

// TestDiffTextGolden: catalog diff's text form of two release diffs that
// mapper's tests computed (testdata/catalog-text/*.json, the JSON form of
// catalog diff): one with a change of every kind of object, one with the
// tactics' matrix order changed. The .txt beside each is the exact text.
func TestDiffTextGolden(t *testing.T) {
	for _, name := range []string{"every-kind", "reorder"} {
		data, err := os.ReadFile(filepath.Join("testdata", "catalog-text", name+".json"))
		if err != nil {
			t.Fatal(err)
		}
		var diffs []mapper.DomainDiff
		if err := json.Unmarshal(data, &diffs); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		want, err := os.ReadFile(filepath.Join("testdata", "catalog-text", name+".txt"))
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		writeDiffText(&b, diffs)
		if b.String() != string(want) {
			t.Errorf("%s: text differs\n got:\n%s\nwant:\n%s", name, b.String(), want)
		}
	}
}

// TestViewTextRows: catalog show writes the rows of the texts (detections,
// analytics) and the relations (aliases, campaigns, techniques) a view has.
func TestViewTextRows(t *testing.T) {
	c, err := mapper.Open(mapper.Options{Offline: true})
	if err != nil {
		t.Fatal(err)
	}
	v := mapper.ObjectView{ID: "T9999", Name: "Test Technique", Type: mapper.TypeTechnique, Domain: mapper.Enterprise,
		Status: mapper.StatusActive, DetectedBy: []mapper.ObjectRef{{ID: "DET0001", Name: "Detection of Decoding"}},
		Analytics: []mapper.ObjectRef{{ID: "AN0001"}, {ID: "AN0002"}}, Aliases: []string{"Cozy Bear", "The Dukes"},
		Campaigns: []mapper.ObjectRef{{ID: "C0001", Name: "Operation Honey", Status: mapper.StatusActive}},
		Uses:      []mapper.ObjectRef{{ID: "T1059.001", Name: "PowerShell", Status: mapper.StatusDeprecated}}}
	var b strings.Builder
	writeViewText(&b, c, v)
	for _, want := range []string{
		"T9999 Test Technique (technique, enterprise-attack)\n",
		"  detected by:    DET0001 Detection of Decoding\n",
		"  analytics:      AN0001, AN0002\n",
		"  aliases:        Cozy Bear, The Dukes\n",
		"  campaigns:      C0001 Operation Honey\n",
		"  techniques:     1\n                  T1059.001 Command and Scripting Interpreter: PowerShell [deprecated]\n",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("view text lacks %q:\n%s", want, b.String())
		}
	}
}

// TestInfoTextTexts: catalog info names the texts row only for a domain
// whose cache keeps MITRE's texts.
func TestInfoTextTexts(t *testing.T) {
	for _, texts := range []bool{false, true} {
		var b strings.Builder
		writeInfoText(&b, []mapper.DomainInfo{{Domain: mapper.Enterprise, Release: "18.1", Source: "cache", Texts: texts}})
		if got := strings.Contains(b.String(), "  texts: "); got != texts {
			t.Errorf("texts %v: text %q", texts, b.String())
		}
	}
}
