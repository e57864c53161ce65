package linter

import (
	"fmt"
	"strings"
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

// TestDuplicateIDOutputLinear: the same for copies sharing an id, in Sigma
// and Sentinel.
func TestDuplicateIDOutputLinear(t *testing.T) {
	const copies = 300
	for _, tc := range []struct {
		check, ext, body, want string
	}{
		{"sigma-duplicate-id", "yml", "title: Rule %d\nid: 8d3a4c2e-5f0b-4c1d-9e7a-2b6f1c0d9a31\nlogsource:\n    product: windows\n" +
			"detection:\n    selection:\n        Image|endswith: '\\x.exe'\n    condition: selection\n",
			`id "8d3a4c2e-5f0b-4c1d-9e7a-2b6f1c0d9a31" is also used by %s and 298 other rules; give one of the rules a new UUID`},
		{"sentinel-duplicate-id", "yaml", "id: 8d3a4c2e-5f0b-4c1d-9e7a-2b6f1c0d9a31\nname: Query %d\nquery: |\n  SecurityEvent\n",
			`is also used by %s and 298 other rules`},
	} {
		files := make([]string, copies)
		for i := range files {
			files[i] = fmt.Sprintf("copies/r%03d.%s", i, tc.ext)
		}
		n := 0
		load := func(path string) ([]*rules.Rule, []rules.Problem) {
			n++
			return rules.LoadBytes(path, []byte(fmt.Sprintf(tc.body, n)))
		}
		res, err := Run(files, Options{Config: &Config{}, Select: []string{tc.check}, Load: load})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Findings) != copies {
			t.Fatalf("%s: %d findings, want %d", tc.check, len(res.Findings), copies)
		}
		for i, f := range res.Findings {
			line := 2
			if tc.ext == "yaml" {
				line = 1
			}
			other := fmt.Sprintf("copies/r000.%s:%d", tc.ext, line)
			if i == 0 {
				other = fmt.Sprintf("copies/r001.%s:%d", tc.ext, line)
			}
			if want := fmt.Sprintf(tc.want, other); !strings.Contains(f.Message, want) {
				t.Fatalf("%s %s: %q\nwant %q", tc.check, f.Path, f.Message, want)
			}
		}
	}
}
