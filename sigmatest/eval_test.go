package sigmatest

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/huntlint/huntlint/rules"
)

func loadRule(t *testing.T, src string) *rules.Rule {
	t.Helper()
	rs, probs := rules.LoadBytes("rule.yml", []byte(src))
	if len(probs) > 0 || len(rs) != 1 {
		t.Fatalf("load: %v", probs)
	}
	return rs[0]
}

func ruleWith(logsource, detection string) string {
	return "title: Test rule\nid: 11111111-2222-3333-4444-555555555555\nstatus: test\n" +
		"logsource:\n" + logsource + "detection:\n" + detection + "level: low\n"
}

const procWin = "    category: process_creation\n    product: windows\n"

func event(t *testing.T, js string) Event {
	t.Helper()
	evs, err := ParseEvents([]byte(js))
	if err != nil || len(evs) != 1 {
		t.Fatalf("events %s: %v", js, err)
	}
	return evs[0]
}

func TestMatchSemantics(t *testing.T) {
	sysmon := func(fields string) string {
		return `{"Event":{"System":{"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational"},"EventData":{` + fields + `}}}`
	}
	cases := []struct {
		name, logsource, detection, event string
		want                              bool
		equivalent                        string // part of an Equivalents line; "" for none
	}{
		{"plain", procWin, "    sel:\n        Image: 'C:\\Windows\\cmd.exe'\n    condition: sel\n", sysmon(`"Image":"c:\\windows\\CMD.exe"`), true, ""},
		{"wildcard", procWin, "    sel:\n        Image: '*\\cmd.exe'\n    condition: sel\n", sysmon(`"Image":"C:\\Windows\\cmd.exe"`), true, "wildcards"},
		{"wildcard no match", procWin, "    sel:\n        Image: '*\\cmd.exe'\n    condition: sel\n", sysmon(`"Image":"C:\\Windows\\cmd.exe.bak"`), false, "wildcards"},
		{"question mark", procWin, "    sel:\n        Image|endswith: '\\cm?.exe'\n    condition: sel\n", sysmon(`"Image":"C:\\x\\cmd.exe"`), true, "wildcards"},
		{"escaped star", procWin, "    sel:\n        CommandLine|contains: 'a\\*b'\n    condition: sel\n", sysmon(`"CommandLine":"xa*by"`), true, "wildcards"},
		{"escaped star literal", procWin, "    sel:\n        CommandLine|contains: 'a\\*b'\n    condition: sel\n", sysmon(`"CommandLine":"xaZZby"`), false, "wildcards"},
		{"windash slash", procWin, "    sel:\n        CommandLine|windash|contains: ' -enc '\n    condition: sel\n", sysmon(`"CommandLine":"powershell /enc AAA"`), true, "field CommandLine|windash|contains: windash"},
		{"windash en dash", procWin, "    sel:\n        CommandLine|windash|contains: ' -enc '\n    condition: sel\n", sysmon(`"CommandLine":"powershell –enc AAA"`), true, "windash"},
		{"windash all", procWin, "    sel:\n        CommandLine|windash|contains|all:\n            - ' -a '\n            - ' -b '\n    condition: sel\n", sysmon(`"CommandLine":"x /a /b "`), true, "windash"},
		{"windash all missing one", procWin, "    sel:\n        CommandLine|windash|contains|all:\n            - ' -a '\n            - ' -b '\n    condition: sel\n", sysmon(`"CommandLine":"x /a "`), false, "windash"},
		{"cased", procWin, "    sel:\n        CommandLine|cased|contains: 'AbC'\n    condition: sel\n", sysmon(`"CommandLine":"xabcx"`), false, "cased"},
		{"re flag i", procWin, "    sel:\n        CommandLine|re|i: 'ab+c'\n    condition: sel\n", sysmon(`"CommandLine":"xABBCx"`), true, "re flags"},
		{"re case-sensitive", procWin, "    sel:\n        CommandLine|re: 'ab+c'\n    condition: sel\n", sysmon(`"CommandLine":"xABBCx"`), false, ""},
		{"null absent", procWin, "    sel:\n        Image: '*'\n        OriginalFileName: null\n    condition: sel\n", sysmon(`"Image":"a"`), true, "null"},
		{"null present", procWin, "    sel:\n        OriginalFileName: null\n    condition: sel\n", sysmon(`"OriginalFileName":"a.exe"`), false, "null"},
		{"percent literal", procWin, "    sel:\n        CommandLine|contains: '%APPDATA%'\n    condition: sel\n", sysmon(`"CommandLine":"copy x %appdata%\\y"`), true, ""},
		{"number", procWin, "    sel:\n        IntegrityLevel: 3\n    condition: sel\n", sysmon(`"IntegrityLevel":3`), true, ""},
		{"gt", procWin, "    sel:\n        Count|gt: 3\n    condition: sel\n", sysmon(`"Count":"10"`), true, ""},
		{"cidr", "    category: network_connection\n    product: windows\n", "    sel:\n        DestinationIp|cidr: '10.0.0.0/8'\n    condition: sel\n", `{"Event":{"System":{"EventID":3},"EventData":{"DestinationIp":"10.1.2.3"}}}`, true, ""},
		{"digit pattern", procWin, "    selection_1_a:\n        Image|endswith: '\\a.exe'\n    selection_2_a:\n        Image|endswith: '\\b.exe'\n    condition: 1 of selection_1_* or all of selection_2_*\n", sysmon(`"Image":"C:\\b.exe"`), true, "parsed by huntlint"},
		{"one of name", procWin, "    sel:\n        Image|endswith: '\\a.exe'\n    condition: 1 of sel\n", sysmon(`"Image":"C:\\a.exe"`), true, ""},
		{"not filter", procWin, "    sel:\n        Image|endswith: '\\a.exe'\n    filter:\n        CommandLine|contains: safe\n    condition: sel and not filter\n", sysmon(`"Image":"C:\\a.exe","CommandLine":"a safe run"`), false, ""},
		{"security 4688 mapping", procWin, "    sel:\n        Image|endswith: '\\whoami.exe'\n    condition: sel\n", `{"Event":{"System":{"EventID":4688,"Channel":"Security"},"EventData":{"NewProcessName":"C:\\Windows\\whoami.exe"}}}`, true, ""},
		{"wrong event id", procWin, "    sel:\n        Image|endswith: '\\whoami.exe'\n    condition: sel\n", `{"Event":{"System":{"EventID":3},"EventData":{"Image":"C:\\Windows\\whoami.exe"}}}`, false, ""},
		{"wrong channel", procWin, "    sel:\n        Image|endswith: '\\whoami.exe'\n    condition: sel\n", `{"Event":{"System":{"EventID":1,"Channel":"Security"},"EventData":{"Image":"C:\\Windows\\whoami.exe"}}}`, false, ""},
		{"list value", "    product: aws\n    service: cloudtrail\n", "    sel:\n        tags: prod\n        userIdentity.type: IAMUser\n    condition: sel\n", `{"tags":["dev","prod"],"userIdentity":{"type":"IAMUser"}}`, true, ""},
		{"keywords", procWin, "    keywords:\n        - 'evil.exe'\n        - 'bad*tool'\n    condition: keywords\n", sysmon(`"CommandLine":"run BAD-x-TOOL now"`), true, "keywords"},
		{"keywords no match", procWin, "    keywords:\n        - 'evil.exe'\n    condition: keywords\n", sysmon(`"CommandLine":"good.exe"`), false, "keywords"},
		{"keywords and field", procWin, "    keywords:\n        - 'evil'\n    sel:\n        Image|endswith: '\\a.exe'\n    condition: keywords and sel\n", sysmon(`"Image":"C:\\a.exe","CommandLine":"x evil y"`), true, "keywords"},
		{"service channel", "    product: windows\n    service: security\n", "    sel:\n        EventID: 4624\n    condition: sel\n", `{"Event":{"System":{"EventID":4624,"Channel":"Security"}}}`, true, ""},
		{"service channel mismatch", "    product: windows\n    service: security\n", "    sel:\n        EventID: 4624\n    condition: sel\n", `{"Event":{"System":{"EventID":4624,"Channel":"System"}}}`, false, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := loadRule(t, ruleWith(tc.logsource, tc.detection))
			c, err := Compile(r, DefaultMap())
			if err != nil {
				t.Fatal(err)
			}
			got, err := c.Match(context.Background(), event(t, tc.event))
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("match = %v, want %v", got, tc.want)
			}
			eq := strings.Join(c.Equivalents, "\n")
			if tc.equivalent == "" && eq != "" {
				t.Errorf("unexpected equivalents: %s", eq)
			}
			if tc.equivalent != "" && !strings.Contains(eq, tc.equivalent) {
				t.Errorf("equivalents %q lack %q", eq, tc.equivalent)
			}
		})
	}
}

func TestNotEvaluable(t *testing.T) {
	cases := []struct{ name, detection, reason string }{
		{"lookahead", "    sel:\n        CommandLine|re: 'a(?!b)'\n    condition: sel\n", "RE2"},
		{"fieldref", "    sel:\n        User|fieldref: TargetUser\n    condition: sel\n", "fieldref modifier is not supported"},
		{"utf16le", "    sel:\n        CommandLine|utf16le|base64offset|contains: ab\n    condition: sel\n", "not supported"},
		{"aggregation", "    sel:\n        EventID: 1\n    condition: sel | count() > 5\n", "aggregates events"},
		{"exists true", "    sel:\n        Image|exists: true\n    condition: sel\n", "exists: true"},
		{"expand", "    sel:\n        User|expand: '%admins%'\n    condition: sel\n", "placeholder"},
		{"bad condition", "    sel:\n        EventID: 1\n    condition: sel and (\n", "does not parse"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := loadRule(t, ruleWith(procWin, tc.detection))
			_, err := Compile(r, DefaultMap())
			var ne *NotEvaluable
			if !errors.As(err, &ne) {
				t.Fatalf("err = %v, want not evaluable", err)
			}
			if !strings.Contains(ne.Reason, tc.reason) || !strings.HasPrefix(err.Error(), "not evaluable (") {
				t.Errorf("reason %q lacks %q", ne.Reason, tc.reason)
			}
		})
	}
	corr := "title: C\nid: 11111111-2222-3333-4444-555555555556\ncorrelation:\n    type: event_count\n    rules: [a]\n    timespan: 1h\n    condition:\n        gte: 5\n"
	rs, _ := rules.LoadBytes("c.yml", []byte(corr))
	if len(rs) == 1 {
		if _, err := Compile(rs[0], DefaultMap()); err == nil || !strings.Contains(err.Error(), "correlation") {
			t.Errorf("correlation: %v", err)
		}
	}
}

func TestParseConditionFallback(t *testing.T) {
	for _, s := range []string{
		"all of selection_1_* or all of selection_2_*",
		"(selection1 and not 1 of filter_*) or 1 of selection_5136_*",
		"spoolsv and ( a or (b and not c) or all of suspicious_rundll32_* )",
		"1 of them and not all of them",
		"any of sel*",
	} {
		if _, err := parseCondition(s); err != nil {
			t.Errorf("%q: %v", s, err)
		}
	}
	for _, s := range []string{"", "a and", "(a", "a b", "1 of", "not", "a )", strings.Repeat("(", 300) + "a" + strings.Repeat(")", 300)} {
		if _, err := parseCondition(s); err == nil {
			t.Errorf("%q parsed", s)
		}
	}
}

func TestReadEventsErrors(t *testing.T) {
	cases := map[string]string{
		"":                           "no events",
		"   \n":                      "no events",
		`{"a": 1`:                    "line 1",
		"{\"a\": 1}\n{\"b\": }":      "event 2: line 2: invalid JSON",
		`"text"`:                     "a string, not a JSON object",
		`[1, 2]`:                     "a list item is a number",
		`[{"a": 1}, "x"]`:            "event 2",
		strings.Repeat(`{"a":`, 100): "line 1",
		strings.Repeat(`{"a":`, 70) + "1" + strings.Repeat("}", 70): "nested more than 64 levels",
	}
	for in, want := range cases {
		_, err := ParseEvents([]byte(in))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%.40q: err = %v, want %q", in, err, want)
		}
	}
}
