package sigmacond

import (
	"strings"
	"testing"
)

func TestParseConditionAccepts(t *testing.T) {
	for _, c := range []struct {
		cond string
		refs []string
	}{
		{"selection", []string{"selection"}},
		{"selection and not filter", []string{"selection", "filter"}},
		{"(sel1 or sel2) and not (f1 or f2)", []string{"sel1", "sel2", "f1", "f2"}},
		{"all of selection_* and not 1 of filter_*", []string{"selection_*", "filter_*"}},
		{"1 of them", []string{"them"}},
		{"all of them", []string{"them"}},
		{"not not a", []string{"a"}},
		{"a and b or c and not d", []string{"a", "b", "c", "d"}},
		{"sel-1 and sel.2", []string{"sel-1", "sel.2"}},
		{"selection | count() by src_ip > 10", []string{"selection"}},
		{"selection | count(dst_port) by src_ip >= 10", []string{"selection"}},
		{"selection and filter1 | sum(question_length) by src_ip > 300000", []string{"selection", "filter1"}},
		{"selection | count() > 3", []string{"selection"}},
		{"a | near b and not c", []string{"a", "b", "c"}},
		{"  selection\n  and not filter  ", []string{"selection", "filter"}},
	} {
		refs, err := Parse(c.cond)
		if err != nil {
			t.Errorf("%q: unexpected error at %d: %s", c.cond, err.Off, err.Msg)
			continue
		}
		var got []string
		for _, r := range refs {
			got = append(got, r.Text)
		}
		if strings.Join(got, ",") != strings.Join(c.refs, ",") {
			t.Errorf("%q: refs %v, want %v", c.cond, got, c.refs)
		}
	}
}

func TestParseConditionRejects(t *testing.T) {
	for _, c := range []struct {
		cond string
		off  int
		msg  string
	}{
		{"", 0, "empty"},
		{"selection and", 13, "expected a search identifier"},
		{"(selection", 10, "to close"},
		{"selection)", 9, `unexpected ")"`},
		{"selection AND filter", 10, "lower case"},
		{"2 of sel*", 0, "unsupported quantifier"},
		{"any of sel*", 0, "unsupported quantifier"},
		{"1 of", 4, "after \"1 of\""},
		{"1 of and", 5, "after \"1 of\""},
		{"selection_*", 0, "needs a quantifier"},
		{"sel or", 6, "expected a search identifier"},
		{"not", 3, "expected a search identifier"},
		{"sel filter", 4, `unexpected "filter"`},
		{"sel | avg(x) by y", 17, "comparison"},
		{"sel | median(x) > 1", 6, "unknown aggregation"},
		{"sel | count( > 1", 13, `expected ")"`},
		{"sel | count() > x", 16, "number"},
		{"them", 0, "unexpected keyword"},
	} {
		_, err := Parse(c.cond)
		if err == nil {
			t.Errorf("%q: no error", c.cond)
			continue
		}
		if err.Off != c.off || !strings.Contains(err.Msg, c.msg) {
			t.Errorf("%q: error at %d %q, want at %d containing %q", c.cond, err.Off, err.Msg, c.off, c.msg)
		}
	}
}

func TestGlobMatch(t *testing.T) {
	for _, c := range []struct {
		p, n string
		ok   bool
	}{
		{"selection_*", "selection_img", true},
		{"selection_*", "selection_", true},
		{"selection_*", "selection", false},
		{"*", "anything", true},
		{"sel*img", "sel_cli_img", true},
		{"sel*img", "sel_cli", false},
		{"a*b*c", "aXbYc", true},
		{"a*b*c", "aXcYb", false},
		{"filter", "filter", true},
		{"filter", "filters", false},
	} {
		if got := globMatch(c.p, c.n); got != c.ok {
			t.Errorf("globMatch(%q, %q) = %v, want %v", c.p, c.n, got, c.ok)
		}
	}
}

func FuzzParseCondition(f *testing.F) {
	for _, s := range []string{"selection and not filter", "1 of sel*", "a | count() by b > 1", "((a)", "not"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		refs, err := Parse(s)
		if err != nil && (err.Off < 0 || err.Off > len(s)) {
			t.Fatalf("error offset %d outside %q", err.Off, s)
		}
		for _, r := range refs {
			if r.Off < 0 || r.Off+len(r.Text) > len(s) || s[r.Off:r.Off+len(r.Text)] != r.Text {
				t.Fatalf("ref %+v does not point into %q", r, s)
			}
		}
	})
}
