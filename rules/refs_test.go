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
