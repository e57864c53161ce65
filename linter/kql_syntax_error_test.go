package linter

import (
	"testing"

	"github.com/huntlint/huntlint/queries"
	"github.com/huntlint/huntlint/rules"
)

type lineMap struct{ text string }

// Position treats the query text as the whole file.
func (m lineMap) Position(off int) rules.Pos {
	line, col := 1, 1
	for _, r := range m.text[:off] {
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return rules.Pos{Line: line, Column: col}
}

func TestKQLMessage(t *testing.T) {
	tests := []struct{ query, want string }{
		{"T | where (x == 1", `expected ")" to close the "(" at line 1, column 11`},
		{"T | where x ==", "missing expression at the end of the query"},
		{"{ \"a\": 1 }", `missing expression before "{"`},
		{"T | summarise count()", `"summarise" is not a query operator; expected one such as where, project, extend or summarize`},
		{"T |", `missing query operator after "|"`},
		{"T | where x == 1 y == 2", `unexpected "y" after the end of a statement; separate statements with ";" or join them with "|"`},
		{"T | where x == 1\n\nS", `the statement ends here but text follows; separate statements with ";" or join them with "|"`},
		{"T | extend kind = 1", `"kind" is a KQL keyword here; write it as ['kind'] to use it as a name`},
		{"T | where x has 'abc", "unterminated string literal; add the closing '"},
		{"T | where x in list", `expected "(", found "list"`},
		{"T | top 10 by x, y", `unexpected ","; the query cannot continue here`},
	}
	for _, tt := range tests {
		r := queries.Parse(tt.query)
		if r.OK() {
			t.Errorf("%q parses", tt.query)
			continue
		}
		q := rules.Query{Text: tt.query, Map: lineMap{tt.query}}
		if got := kqlMessage(q, r.Diagnostics[0]); got != tt.want {
			t.Errorf("%q:\n got %s\nwant %s", tt.query, got, tt.want)
		}
	}
}
