package linter

import (
	"path/filepath"
	"sort"
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
	want := "such as attack.t1059.001 (Command and Scripting Interpreter: PowerShell) (the best match by huntlint tag)"
	if !strings.Contains(res.Findings[0].Message, want) {
		t.Errorf("message %q lacks %q", res.Findings[0].Message, want)
	}
	if strings.Join(asked, ",") != "bad.yml" {
		t.Errorf("suggester asked for %v, want only the untagged rule", asked)
	}
}

// TestMissingTechniqueSuggestFor: SuggestFor sees every rule loaded, from
// all files, before any check runs, and the suggester it builds is used.
func TestMissingTechniqueSuggestFor(t *testing.T) {
	cat := testCatalog(t)
	var seen []string
	opts := Options{Catalog: cat, Config: &Config{}, Select: []string{"attack-missing-technique"},
		SuggestFor: func(all []*rules.Rule) TechniqueSuggester {
			for _, r := range all {
				seen = append(seen, filepath.Base(r.Path))
			}
			return func(r *rules.Rule, c *mapper.Catalog) (*mapper.Object, bool) {
				return c.Get(mapper.TypeTechnique, "T1059.001")
			}
		}}
	res, err := Run([]string{
		filepath.Join("testdata", "attack-missing-technique", "bad.yml"),
		filepath.Join("testdata", "attack-missing-technique", "good.yml"),
	}, opts)
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(seen)
	if strings.Join(seen, ",") != "bad.yml,good.yml" {
		t.Errorf("SuggestFor saw %v, want both files' rules", seen)
	}
	if len(res.Findings) != 1 || !strings.Contains(res.Findings[0].Message, "such as attack.t1059.001") {
		t.Fatalf("findings: %s", formatGolden("", res.Findings))
	}
}
