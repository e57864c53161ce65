package linter

import (
	"fmt"
	"testing"

	"github.com/huntlint/huntlint/rules"
)

// TestDuplicateTitleOutputLinear lints many copies of one rule: each
// sigma-duplicate-title message names one other place and counts the rest,
// so that the output grows with the number of copies, not with its square.
func TestDuplicateTitleOutputLinear(t *testing.T) {
	const copies = 300
	files := make([]string, copies)
	for i := range files {
		files[i] = fmt.Sprintf("copies/r%03d.yml", i)
	}
	load := func(path string) ([]*rules.Rule, []rules.Problem) {
		return rules.LoadBytes(path, []byte("title: Copied Rule\nlogsource:\n    product: windows\n"+
			"detection:\n    selection:\n        Image|endswith: '\\x.exe'\n    condition: selection\n"))
	}
	res, err := Run(files, Options{Config: &Config{}, Select: []string{"sigma-duplicate-title"}, Load: load})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != copies {
		t.Fatalf("%d findings, want %d", len(res.Findings), copies)
	}
	for i, f := range res.Findings {
		other := "copies/r000.yml:1"
		if i == 0 {
			other = "copies/r001.yml:1"
		}
		want := `title "Copied Rule" is also used by ` + other + " and 298 other rules; make the titles tell the rules apart"
		if f.Message != want {
			t.Fatalf("%s: %q\nwant %q", f.Path, f.Message, want)
		}
	}
}
