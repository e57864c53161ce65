package suggest

import (
	"bytes"
	"testing"

	"github.com/huntlint/huntlint/rules"
)

func sampleResults() []Result {
	return []Result{
		{
			Path: "r/a.yml", line: 1,
			Rule:     RuleInfo{ID: "1", Title: "Rundll32 From Temp", Format: rules.FormatSigma},
			Existing: []string{"T1027"},
			Suggested: []Suggestion{{
				Technique: "T1218.011", Name: "Rundll32", Score: 0.742,
				Evidence: []string{`process "rundll32.exe"`, `name "Rundll32" in title`},
			}},
		},
		{Path: "q/b.kql", line: 3, Rule: RuleInfo{Format: rules.FormatKQL}, Existing: []string{}, Suggested: []Suggestion{}},
	}
}

func TestWriteText(t *testing.T) {
	var b bytes.Buffer
	if err := WriteText(&b, sampleResults()); err != nil {
		t.Fatal(err)
	}
	if err := WriteSummary(&b, sampleResults()); err != nil {
		t.Fatal(err)
	}
	want := `r/a.yml:1: Rundll32 From Temp [sigma]
  tagged: T1027
  0.74 T1218.011 Rundll32
       process "rundll32.exe"
       name "Rundll32" in title
q/b.kql:3: (untitled) [kql]
  no suggestion
2 rules, 1 with suggestions
`
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestWriteJSON(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, sampleResults()); err != nil {
		t.Fatal(err)
	}
	want := `{
  "suggestions": [
    {
      "path": "r/a.yml",
      "rule": {
        "id": "1",
        "title": "Rundll32 From Temp",
        "format": "sigma"
      },
      "existing": [
        "T1027"
      ],
      "suggested": [
        {
          "technique": "T1218.011",
          "name": "Rundll32",
          "score": 0.742,
          "evidence": [
            "process \"rundll32.exe\"",
            "name \"Rundll32\" in title"
          ]
        }
      ]
    },
    {
      "path": "q/b.kql",
      "rule": {
        "id": "",
        "title": "",
        "format": "kql"
      },
      "existing": [],
      "suggested": []
    }
  ]
}
`
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
	b.Reset()
	if err := WriteJSON(&b, nil); err != nil || b.String() != "{\n  \"suggestions\": []\n}\n" {
		t.Errorf("empty: %q %v", b.String(), err)
	}
}
