package linter

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/huntlint/huntlint/mapper"
	"github.com/huntlint/huntlint/rules"
)

// TestMissingTechniqueSuggestHook: a wired suggester's best technique is
// named in the message, spelled for the rule's format.
func TestMissingTechniqueSuggestHook(t *testing.T) {
	cat := testCatalog(t)
	var asked []string
	opts := Options{Catalog: cat, Config: &Config{}, Select: []string{"attack-missing-technique"},
		Suggest: func(r *rules.Rule, c *mapper.Catalog) (*mapper.Object, bool) {
			asked = append(asked, filepath.Base(r.Path))
			return c.Get(mapper.TypeTechnique, "T1059.001")
		}}
	res, err := Run([]string{
		filepath.Join("testdata", "attack-missing-technique", "bad.yml"),
		filepath.Join("testdata", "attack-missing-technique", "good.yml"),
	}, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 1 {
		t.Fatalf("findings: %s", formatGolden("", res.Findings))
	}
	want := "such as attack.t1059.001 (Command and Scripting Interpreter: PowerShell) (the best match by huntlint suggest)"
	if !strings.Contains(res.Findings[0].Message, want) {
		t.Errorf("message %q lacks %q", res.Findings[0].Message, want)
	}
	if strings.Join(asked, ",") != "bad.yml" {
		t.Errorf("suggester asked for %v, want only the untagged rule", asked)
	}
}
