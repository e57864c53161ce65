package rules

import "testing"

func TestPascalCase(t *testing.T) {
	for in, want := range map[string]string{
		"Command and Control":   "CommandAndControl",
		"defense-evasion":       "DefenseEvasion",
		"privilege_escalation":  "PrivilegeEscalation",
		"attack-unknown-tactic": "AttackUnknownTactic",
		"  Initial   Access ":   "InitialAccess",
		"évasion":               "Évasion",
		"":                      "",
	} {
		if got := PascalCase(in); got != want {
			t.Errorf("PascalCase(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestURLIDPath(t *testing.T) {
	for u, want := range map[string]string{
		"https://attack.mitre.org/techniques/T1059/001/": "/techniques/T1059/001 techniques",
		"https://attack.mitre.org/techniques/T1059.001":  "/techniques/T1059.001 techniques",
		"attack.mitre.org/Techniques/T1059":              "/Techniques/T1059 techniques",
		"https://attack.mitre.org/wiki/Technique/T1086":  "/wiki/Technique/T1086 wiki/technique",
		"https://attack.mitre.org/tactics/TA0002/":       "/tactics/TA0002 tactics",
		"https://attack.mitre.org/groups/G0016":          "/groups/G0016 groups",
		"https://attack.mitre.org/datasources/DS0009":    "/datasources/DS0009 datasources",
		"https://attack.mitre.org/resources/":            "",
		"https://example.com/techniques/T1059":           "",
	} {
		got := ""
		if start, end, folder, ok := URLIDPath(u); ok {
			got = u[start:end] + " " + folder
		}
		if got != want {
			t.Errorf("URLIDPath(%q) = %q, want %q", u, got, want)
		}
	}
}
