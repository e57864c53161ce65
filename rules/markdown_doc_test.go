package rules

import "testing"

// TestMarkdownQueryOrDocumentation: a Markdown file is a query only when it
// holds one, fenced or as an unfenced KQL paragraph; prose, tables, lists
// and fragments that start with a pipe are not queries, and a file with no
// query yields no rule however many ATT&CK IDs it names.
func TestMarkdownQueryOrDocumentation(t *testing.T) {
	for _, c := range []struct {
		src     string
		queries int // -1: no rule
	}{
		{"# q\n\nEmailEvents\n| where A == 1\n| take 1\n", 1},
		{"# q\n\n// hunt\nlet x = 1;\nT\n| where A == x\n", 1},
		{"# q\n\nDeviceEvents | where A == 1\n| project B\n", 1},
		{"# q\n\n```kql\nDeviceEvents\n| take 1\n```\n\nAdd:\n\n```kql\n| where A == 1\n```\n", 1},
		{"# q\n\nRun this query\n| where A == 1\n", -1},
		{"# q\n\n| Tactic | Covered |\n|---|---|\n| where | v |\n", -1},
		{"# Changelog\n\n- moved from T1086 to T1059.001\n| where it was\n", -1},
		{"# Changelog\n\nThe query moved from T1086 to T1059.001 (attack.t1150 is attack.t1647).\n", -1},
		{"# q\n\n```kql\n| where A == 1\n```\n", -1},
	} {
		rs, probs := LoadBytes("a.md", []byte(c.src))
		if len(probs) > 0 {
			t.Errorf("%q: problems %v", c.src, probs)
		}
		got := -1
		if len(rs) == 1 {
			got = len(rs[0].Queries)
		}
		if len(rs) > 1 || got != c.queries {
			t.Errorf("%q: %d rules, %d queries, want %d queries (-1: no rule)", c.src, len(rs), got, c.queries)
		}
		if got == -1 && !IsDocumentation("a.md") {
			t.Errorf("IsDocumentation(a.md) is false")
		}
	}
}
