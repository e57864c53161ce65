package linter

import "testing"

func TestDataTypeNames(t *testing.T) {
	dts := []string{"SigninLogs", "CommonSecurityLog (Fortinet)", " Syslog "}
	for _, c := range []struct {
		table string
		ok    bool
	}{
		{"SigninLogs", true},
		{"signinlogs", true},
		{"CommonSecurityLog", true},
		{"Syslog", true},
		{"SigninLogsX", false},
		{"AuditLogs", false},
		{"Common", false},
	} {
		if got := dataTypeNames(dts, c.table); got != c.ok {
			t.Errorf("dataTypeNames(%q) = %v, want %v", c.table, got, c.ok)
		}
	}
}

func TestIsASIMParser(t *testing.T) {
	for _, c := range []struct {
		name string
		ok   bool
	}{
		{"imDns", true}, {"_Im_Dns", true}, {"_ASim_ProcessEvent", true}, {"ASimDnsActivityLogs", true}, {"vimProcessCreate", true},
		{"image", false}, {"impact", false}, {"SecurityEvent", false}, {"im", false},
	} {
		if got := isASIMParser(c.name); got != c.ok {
			t.Errorf("isASIMParser(%q) = %v, want %v", c.name, got, c.ok)
		}
	}
}

func TestFindWord(t *testing.T) {
	for _, c := range []struct {
		text, word string
		off        int
	}{
		{"SigninLogs | join AuditLogs on X", "AuditLogs", 18},
		{"AuditLogsX | union AuditLogs", "AuditLogs", 19},
		{"x_AuditLogs", "AuditLogs", -1},
		{"", "T", -1},
	} {
		if got := findWord(c.text, c.word); got != c.off {
			t.Errorf("findWord(%q, %q) = %d, want %d", c.text, c.word, got, c.off)
		}
	}
}

func TestSentinelEntityTable(t *testing.T) {
	seen := map[string]bool{}
	for _, e := range sentinelEntities {
		if seen[e.Type] {
			t.Errorf("entity %s listed twice", e.Type)
		}
		seen[e.Type] = true
		ids := map[string]bool{}
		for _, id := range e.Identifiers {
			ids[id] = true
		}
		if len(e.Required) == 0 {
			t.Errorf("%s has no required identifiers", e.Type)
		}
		for _, combo := range e.Required {
			for _, id := range combo {
				if !ids[id] {
					t.Errorf("%s requires %s, which is not one of its identifiers", e.Type, id)
				}
			}
		}
	}
}
