package linter

import (
	"strings"
	"testing"
)

// aheadRule is a Sigma rule with the given tags.
func aheadRule(tags ...string) string {
	return strings.Replace(suppressSigma, "%s", "    - "+strings.Join(tags, "\n    - "), 1)
}

// TestAheadRuleFixes: in a rule tagged for a newer release, a revoked
// technique from long ago whose replacement fits the rule's tactics is still
// fixed; one whose replacement belongs to a tactic the newer release may have
// renamed is reported without a fix, and no fix writes a tactic.
func TestAheadRuleFixes(t *testing.T) {
	cat := testCatalog(t)
	byCheck := func(src string) map[string]Finding {
		m := map[string]Finding{}
		for _, f := range lintSourceWith(t, cat.At(testDay), src) {
			m[f.Check] = f
		}
		return m
	}
	fs := byCheck(aheadRule("attack.stealth", "attack.t1086", "attack.t1685"))
	rev, ok := fs["attack-revoked"]
	if !ok || rev.Fix == nil || rev.Fix.Applicability != FixSafe || rev.Fix.Edits[0].New != "attack.t1059.001" {
		t.Errorf("T1086 in a v19 rule: %+v, want a safe fix to attack.t1059.001", rev)
	}
	fs = byCheck(aheadRule("attack.defense-impairment", "attack.t1089"))
	rev, ok = fs["attack-revoked"]
	if !ok || rev.Fix != nil || !strings.Contains(rev.Message, "not fixed: this rule holds references from a newer ATT&CK release, which may have renamed or moved T1562.001") {
		t.Errorf("T1089 in a v19 rule listing defense-impairment: %+v, want no fix", rev)
	}
	fs = byCheck(aheadRule("attack.defense_evasion", "attack.t1685"))
	if st, ok := fs["attack-tag-style"]; !ok || st.Fix != nil {
		t.Errorf("a tactic restyled in a rule ahead of the catalog: %+v, want the finding without a fix", st)
	}
	// The same rules without the newer references are judged and fixed.
	fs = byCheck(aheadRule("attack.defense_evasion", "attack.t1089"))
	if fs["attack-tag-style"].Fix == nil || fs["attack-revoked"].Fix == nil {
		t.Errorf("a rule of the catalog's release lost its fixes: %+v", fs)
	}
}

// TestNewerBeyondBoundIsTypo: T1905 is far past 18.1's last technique, a
// typo with its did-you-mean, not a newer release.
func TestNewerBeyondBoundIsTypo(t *testing.T) {
	fs := lintSourceWith(t, testCatalog(t), aheadRule("attack.execution", "attack.t1905"))
	var got []string
	for _, f := range fs {
		got = append(got, f.Check+": "+f.Message)
	}
	all := strings.Join(got, "\n")
	if !strings.Contains(all, `attack-unknown-technique: "attack.t1905" is not a technique in ATT&CK 18.1; did you mean`) || strings.Contains(all, "attack-newer-release") {
		t.Errorf("T1905:\n%s", all)
	}
}
