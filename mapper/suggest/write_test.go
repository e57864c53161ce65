package suggest

import (
	"github.com/huntlint/huntlint/internal/golden"
	"path/filepath"
	"strings"
	"testing"

	"github.com/huntlint/huntlint/internal/yamledit"
	"github.com/huntlint/huntlint/rules"
)

// writeCases name the techniques added to each rule of each fixture.
var writeCases = map[string][][]string{
	"block.yml":            {{"T1218.011"}},              // tactic present: technique only
	"nokey.yml":            {{"T1033"}},                  // tags created before logsource
	"flow.yml":             {{"T1059.001", "T1027"}},     // flow list; T1027 already there
	"emptycomment.yml":     {{"T1033"}},                  // quoted empty key with a comment
	"empty.yml":            {{"T1053.005"}},              // "tags:" with no value
	"crlf.yml":             {{"T1140"}},                  // CRLF kept
	"underscore.yml":       {{"T1003.002"}},              // credential_access present
	"multi.yml":            {{"T1033"}, {"T1082"}},       // one edit per document
	"sentinel.yaml":        {{"T1053.005", "T1059.001"}}, // techniques appended; Execution covers both
	"sentinel_flow.yaml":   {{"T1543.003", "T1569.002"}}, // flow lists, one empty
	"nonewline.yml":        {{"T1033"}},                  // last line without a newline
	"sentinel_nokeys.yaml": {{"T1053.005", "T1105"}},     // both keys created before query
}

func TestTagEditsGolden(t *testing.T) {
	s, err := New(embedded(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	for name, techs := range writeCases {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join("testdata", "write", name)
			rs, probs := rules.Load(path)
			if len(probs) > 0 || len(rs) != len(techs) {
				t.Fatalf("load: %d rules, problems %v", len(rs), probs)
			}
			var edits []Edit
			for i, r := range rs {
				eds, err := s.TagEdits(r, techs[i])
				if err != nil {
					t.Fatal(err)
				}
				edits = append(edits, eds...)
			}
			got, err := yamledit.Apply(rs[0].Source, edits, yamledit.InOrder)
			if err != nil {
				t.Fatal(err)
			}
			golden.File(t, path+".fixed", got)
			// The result must load, carry the techniques and keep every
			// other line.
			again, probs := rules.LoadBytes(path, got)
			if len(probs) > 0 || len(again) != len(rs) {
				t.Fatalf("fixed file does not load: %v", probs)
			}
			for i, r := range again {
				have := map[string]bool{}
				for _, id := range s.Existing(r) {
					have[id] = true
				}
				for _, id := range techs[i] {
					if !have[id] {
						t.Errorf("rule %d: %s missing after the edit (has %v)", i, id, s.Existing(r))
					}
				}
			}
			if missing := lostLines(string(rs[0].Source), string(got)); missing != "" && !strings.Contains(name, "flow") { // a flow list's line changes
				t.Errorf("line changed or lost: %q", missing)
			}
		})
	}
}

// lostLines returns the first line of before that is not in after, in order.
func lostLines(before, after string) string {
	rest := after
	for _, l := range strings.SplitAfter(before, "\n") {
		if l == "" {
			continue
		}
		i := strings.Index(rest, l)
		if i < 0 {
			return l
		}
		rest = rest[i+len(l):]
	}
	return ""
}

func TestTagEditsRefuseOtherFormats(t *testing.T) {
	s, err := New(embedded(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	r := loadOne(t, "testdata/write/query.kql")
	_, err = s.TagEdits(r, []string{"T1053.005"})
	if err == nil || !strings.Contains(err.Error(), "cannot write tags into a kql file") {
		t.Errorf("got %v", err)
	}
	rs, _ := rules.LoadBytes("x.yml", []byte("title: X\nid: 1\ntags: attack.t1059\nlogsource:\n  product: windows\ndetection:\n  sel:\n    a: b\n  condition: sel\n"))
	if len(rs) == 1 {
		if _, err := s.TagEdits(rs[0], []string{"T1105"}); err == nil || !strings.Contains(err.Error(), "x.yml:3:7: tags is not a list") {
			t.Errorf("scalar tags: got %v", err)
		}
	}
}
