package rules

import (
	"bytes"
	"testing"
)

func TestReportText(t *testing.T) {
	rules, problems := Load("testdata/golden/sentinel_quoted.yaml")
	_, p2 := Load("testdata/golden/bad_binary.yml")
	_, p3 := Load("testdata/golden/bad_syntax.yml")
	problems = append(append(problems, p2...), p3...)
	rep := NewReport(rules, problems, func(r Ref) string {
		if r.Value == "T1110" {
			return "T1110"
		}
		return ""
	})
	var b bytes.Buffer
	if err := rep.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	if err := rep.WriteSummary(&b); err != nil {
		t.Fatal(err)
	}
	want := `testdata/golden/sentinel_quoted.yaml:1: sentinel hunting "Quoted query" id 3c4d5e6f-0000-4000-8000-000000000004
  attack 3:11 tactic "CredentialAccess" -> -
  attack 5:5 technique "T1110" -> T1110
  query 6:9
testdata/golden/bad_binary.yml: binary file (NUL byte at offset 9); expected a text file
testdata/golden/bad_syntax.yml:3:8: invalid YAML: did not find expected ',' or ']'
1 rules, 2 load problems
`
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestReportJSON(t *testing.T) {
	rules, problems := Load("testdata/golden/crlf.md")
	var b bytes.Buffer
	if err := NewReport(rules, problems, nil).WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	want := `{
  "rules": [
    {
      "path": "testdata/golden/crlf.md",
      "format": "markdown",
      "kind": "query",
      "id": "",
      "title": "CRLF markdown",
      "line": 1,
      "attack": [
        {
          "text": "attack.mitre.org/groups/G0016",
          "line": 7,
          "column": 7,
          "type": "group",
          "id": ""
        }
      ],
      "queries": [
        {
          "line": 4,
          "column": 1
        }
      ]
    }
  ],
  "errors": []
}
`
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}
