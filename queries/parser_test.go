package queries

import (
	"reflect"
	"strings"
	"testing"
)

// Every verdict below was checked against Kusto.Language (the oracle).
func TestParseValid(t *testing.T) {
	for _, q := range []string{
		"T",
		"T | where x == 1",
		"T | where x = 1",
		"let x = 1;",
		"T ; S",
		"T | where x == 1;",
		"T | summarize",
		"T | project",
		"T | summarize by x",
		"T | project x == 1",
		"T | project kind",
		"T | where x in (mylist)",
		"T | where x == 1abc",
		"T | where x > 1d and y < 2min and z > 10microseconds and w > 1tick",
		`T | where x == "a" "b"`,
		"T | join (S) on $left.a == $right.b and c",
		"T | join kind=inner S on x",
		"T | join (S)",
		"T | distinct *",
		"T | project-away a*, b",
		"T | project a=1, (b, c) = f(x)",
		`let f = (a:string, b:long=1) { T | where x == a }; f("x")`,
		`T | where * has "x"`,
		"T | summarize arg_max(T, *) by x",
		`T | where x matches regex "a"`,
		`T | where x has_any ("a") and y !in~ ("b")`,
		"T | where x between (1 .. 2) and y !between (1..2)",
		`T | where x !startswith "a" and y !contains_cs "a" and z !has_cs "x" and w !hasprefix "a"`,
		"T | where x == datetime(2020-01-01) and y == guid(abc) and z == timespan(1d)",
		"T | where x == 0x1f and y == 1e5 and z == 1.5e-3",
		"T | where x['a'].b.[0] == 1",
		"T | extend x = typeof(string)",
		`T | extend x = ["a"]`,
		`print x = dynamic({"a": "b" "c"})`,
		"T | mv-expand x to typeof(string), y",
		`T | sort by x nulls first`,
		`T | where not(x)`,
		"T | where dynamic([1,2]) == 1",
		`T | take 10 | search "x"`,
		"T | make-series n = count() default = 0 on Time in range(ago(7d), now(), 1d) by y",
		"T | partition by X (top 1 by Y)",
		"T | render timechart with (title = \"x\", ytitle = \"y\")",
		"externaldata(a: string) [@\"https://example.com/x.csv\"] with (format = \"csv\")",
		"datatable(a: string, b: long) [\"x\", 1, \"y\", 2]",
		"range x from 1 to 10 step 1 | fork (where x > 4 | count) (take 1)",
		"cluster(\"c\").database(\"d\").T | union table(\"S\"), database(\"e\").U",
	} {
		if r := Parse(q); !r.OK() {
			t.Errorf("Parse(%q): unexpected error at %d: %s", q, r.Diagnostics[0].Offset, r.Diagnostics[0].Message)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		in  string
		off int
		msg string
	}{
		{"T | where (x", 12, "Expected: )"},
		{"T | where x ==", 14, "Missing expression"},
		{"T | foo x", 4, "Query operator expected."},
		{"T | where", 9, "Missing expression"},
		{"T |", 3, "Query operator expected."},
		{"T | summarize count() by", 24, "Missing expression"},
		{"T | take", 8, "Missing expression"},
		{"| where x", 0, "The incomplete fragment is unexpected."},
		{"T | extend kind=1", 11, "The name 'kind' needs to be bracketed as ['kind'] to be used in this context."},
		{"T | where x has 'a", 18, "Missing: '"},
		{`T | where x in ("a", "b"`, 24, "Expected: )"},
		{"T | where x == 1 | ", 18, "Query operator expected."},
		{"T | where x == 1 y == 2", 17, "Expected: ;"},
		{"T | where x == 1\n\nS", 16, "Expected: ;"},
		{"T | where x in mylist", 15, "Expected: ("},
		{"T | extend", 10, "Missing expression"},
		{"print", 5, "Missing expression"},
		{"T | where by == 1", 10, "The name 'by' needs to be bracketed as ['by'] to be used in this context."},
		{"T | where x == 1 or", 19, "Missing expression"},
		{"T | where ago(30d\n| where y", 17, "Expected: )"},
		{"T | where x in (0, 1\n| where y", 20, "Expected: )"},
		{"T | where (x == 1) y", 19, "Expected: ;"},
		{"T | top 10 by x desc, y asc", 20, "The incomplete fragment is unexpected."},
	}
	for _, tt := range tests {
		r := Parse(tt.in)
		if r.OK() {
			t.Errorf("Parse(%q): no error, want %q at %d", tt.in, tt.msg, tt.off)
			continue
		}
		d := r.Diagnostics[0]
		if d.Offset != tt.off || d.Message != tt.msg {
			t.Errorf("Parse(%q) = %q at %d, want %q at %d", tt.in, d.Message, d.Offset, tt.msg, tt.off)
		}
	}
}

func TestFacts(t *testing.T) {
	q := `let lookback = 7d;
let admins = dynamic(["admin", "root"]);
let recent = DeviceLogonEvents | where Timestamp > ago(lookback);
DeviceProcessEvents
| where Timestamp > ago(1h) and ProcessCommandLine has "vssadmin" and FileName in~ ("a.exe", "b.exe")
| where AccountName !in (admins) and ProcessId == 4
| join kind=inner (recent) on DeviceId
| union (SecurityEvent | where EventID == 4688), Syslog
| lookup (IdentityInfo | project AccountUPN) on $left.AccountName == $right.AccountUPN
| summarize count() by DeviceName
| extend s = strcat(DeviceName, "-")`
	r := Parse(q)
	if !r.OK() {
		t.Fatalf("parse: %+v", r.Diagnostics)
	}
	f := r.Facts
	if want := []string{"DeviceLogonEvents", "DeviceProcessEvents", "SecurityEvent", "Syslog", "IdentityInfo"}; !reflect.DeepEqual(f.Tables, want) {
		t.Errorf("Tables = %q, want %q", f.Tables, want)
	}
	if want := []string{"lookback", "admins", "recent"}; !reflect.DeepEqual(f.Lets, want) {
		t.Errorf("Lets = %q, want %q", f.Lets, want)
	}
	if want := []string{"where", "join", "union", "lookup", "project", "summarize", "extend"}; !reflect.DeepEqual(f.Operators, want) {
		t.Errorf("Operators = %q, want %q", f.Operators, want)
	}
	if want := []string{"ago", "count", "strcat"}; !reflect.DeepEqual(f.Functions, want) {
		t.Errorf("Functions = %q, want %q", f.Functions, want)
	}
	if want := []string{"7d", "1h"}; !reflect.DeepEqual(f.TimeWindows, want) {
		t.Errorf("TimeWindows = %q, want %q", f.TimeWindows, want)
	}
	var got []string
	for _, l := range f.Literals {
		got = append(got, l.Column+" "+l.Operator+" "+l.Value)
		if !strings.Contains(q[l.Offset:], strings.Trim(l.Value, "-")) {
			t.Errorf("literal %q: offset %d does not point at it", l.Value, l.Offset)
		}
	}
	want := []string{"AccountName !in admin", "AccountName !in root", "ProcessCommandLine has vssadmin", "FileName in~ a.exe", "FileName in~ b.exe",
		"ProcessId == 4", "EventID == 4688", "  -"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Literals =\n%q\nwant\n%q", got, want)
	}
}

func TestParseNeverPanics(t *testing.T) {
	for _, q := range []string{"", ";", "(", ")", "[", "]", "{", "}", "|", "let", "let x", "let x =",
		"let f = (", "let f = (a:", "datatable(", "dynamic(", "dynamic([", "T | join", "T | parse x with",
		"T | mv-apply x on (", "T | render", "T | as", strings.Repeat("(", 10000), strings.Repeat("-", 10000) + "1",
		"x" + strings.Repeat(".y", 5000), strings.Repeat("T | where x == 1 ", 1000)} {
		Parse(q)
	}
}

func TestDiagnosticOpen(t *testing.T) {
	tests := []struct {
		in   string
		open int
	}{
		{"T | where (x == 1", 10},
		{"T | where f(g(x), (y)", 11},
		{"print dynamic([1, 2)", 14},
		{"T | where x ==", -1},
	}
	for _, tt := range tests {
		r := Parse(tt.in)
		if r.OK() || r.Diagnostics[0].Open != tt.open {
			t.Errorf("Parse(%q) = %+v, want Open %d", tt.in, r.Diagnostics, tt.open)
		}
	}
}

func TestFactsLetList(t *testing.T) {
	q := `let tools = dynamic(["vssadmin", "wbadmin"]);
let n = 5;
DeviceProcessEvents
| where FileName in~ (tools) and ProcessCommandLine has_any (tools)`
	r := Parse(q)
	var got []string
	for _, l := range r.Facts.Literals {
		got = append(got, l.Column+" "+l.Operator+" "+l.Value)
	}
	want := []string{"FileName in~ vssadmin", "FileName in~ wbadmin", "  5"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Literals = %q, want %q", got, want)
	}
}

func TestUnquote(t *testing.T) {
	for in, want := range map[string]string{
		`'a'`: "a", `"a\"b"`: `a"b`, `'a\'b'`: "a'b", `@'a''b'`: "a'b", `@"c:\x"`: `c:\x`,
		`"a\nb"`: "a\nb", `"\x41\u0042\U00000043"`: "ABC", `h'secret'`: "secret", "```a\nb```": "a\nb",
		`"\\"`: `\`,
	} {
		if got := unquote(in); got != want {
			t.Errorf("unquote(%s) = %q, want %q", in, got, want)
		}
	}
}
