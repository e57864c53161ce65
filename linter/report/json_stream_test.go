package report

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/huntlint/huntlint/linter"
)

// jsonReport is the whole JSON document, which JSON.Format writes a finding
// at a time.
type jsonReport struct {
	Version  int              `json:"version"`
	Catalog  []catalogRelease `json:"catalog"`
	Findings []jsonFinding    `json:"findings"`
	Summary  jsonSummary      `json:"summary"`
}

// TestJSONStreamsTheDocument: the JSON report, written a finding at a time,
// is byte for byte the whole document encoded at once with two-space
// indents, with findings, without any, and without a catalog.
func TestJSONStreamsTheDocument(t *testing.T) {
	full := reportFixture(t)
	if len(full.Result.Findings) < 2 {
		t.Fatalf("fixture has %d findings, want several", len(full.Result.Findings))
	}
	for name, in := range map[string]*Input{
		"findings":   full,
		"none":       {Result: &linter.Result{Files: 1, Checks: full.Result.Checks}, Catalog: full.Catalog},
		"no catalog": {Result: full.Result},
	} {
		got := render(t, "json", Options{}, in)
		res := in.Result
		doc := jsonReport{Version: JSONVersion, Catalog: catalogReleases(in), Findings: []jsonFinding{}, Summary: jsonSummaryOf(res)}
		for _, f := range res.Findings {
			doc.Findings = append(doc.Findings, jsonFindingOf(f))
		}
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetIndent("", "  ")
		if err := enc.Encode(doc); err != nil {
			t.Fatal(err)
		}
		if got != want.String() {
			t.Errorf("%s: streamed report differs from the whole document:\n%s\nwant:\n%s", name, got, want.String())
		}
	}
}
