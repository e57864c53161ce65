package migrate

import (
	"strings"
	"testing"

	"github.com/huntlint/huntlint/internal/attacktest"
	"github.com/huntlint/huntlint/internal/testshared"
)

// TestMigrateSigmaHQToV19Like moves SigmaHQ's rules from the real 18.1
// release to a v19-style release derived from it: thousands of tags change,
// only tag lines change, every file still loads and a second run is a no-op.
func TestMigrateSigmaHQToV19Like(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus test")
	}
	real18 := testshared.File(t, "attack/enterprise-attack-18.1.json.gz")
	opts := Options{From: loadCatalog(t, real18), To: loadCatalog(t, attacktest.V19Like(t, real18))}
	counts, sum := migrateCorpus(t, testshared.Corpus(t, "sigmahq-2026-04-28"), opts, "18.1 -> v19-like", 3)
	if counts[CheckTacticRenamed] < 1000 || counts[CheckRevoked] == 0 || counts[CheckTacticMoved] == 0 {
		t.Errorf("expected thousands of renamed tactics and some revoked and moved ones: %v", counts)
	}
	for _, fc := range sum.Files {
		for old := range attacktest.V19Revoked {
			if strings.Contains(string(fc.After), "attack."+strings.ToLower(old)+"\n") {
				t.Errorf("%s still holds attack.%s, revoked in the v19-style release", fc.Path, strings.ToLower(old))
			}
		}
		if strings.Contains(string(fc.After), "attack.defense-evasion") {
			t.Errorf("%s still holds attack.defense-evasion", fc.Path)
		}
	}
}
