// Package linttest holds what the tests of linter and its packages
// (linter/report, linter/fix) share: the ATT&CK catalog they lint against
// and the day they judge its age by.
package linttest

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/huntlint/huntlint/internal/testshared"
	"github.com/huntlint/huntlint/mapper"
)

// Day is the day the tests judge the catalog's age by, so that goldens
// do not change with the calendar: thirteen months after ATT&CK 18.1.
var Day = time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)

var (
	catOnce sync.Once
	catVal  *mapper.Catalog
	catErr  error
)

// Catalog returns the embedded catalog (offline), or the ATT&CK 18.1
// bundles of ../shared when the build has no embedded data, with enterprise
// active and mobile and ICS loaded, judged at Day. It skips the test when
// there is neither.
func Catalog(tb testing.TB) *mapper.Catalog {
	tb.Helper()
	catOnce.Do(func() {
		catVal, catErr = mapper.Open(mapper.Options{Offline: true})
		if catErr == nil {
			if r, ok := catVal.Release(mapper.Enterprise); !ok || r.Version == "" {
				catErr = os.ErrNotExist
			}
		}
		if catErr != nil && testshared.Root() != "" {
			root := testshared.Root()
			catVal, catErr = mapper.Open(mapper.Options{Offline: true, Paths: []string{
				filepath.Join(root, "attack", "enterprise-attack-18.1.json.gz"),
				filepath.Join(root, "attack", "mobile-attack-18.1.json.gz"),
				filepath.Join(root, "attack", "ics-attack-18.1.json.gz"),
			}})
		}
	})
	if catErr != nil {
		tb.Skipf("no ATT&CK catalog for tests (neither embedded nor ../shared): %v", catErr)
	}
	return catVal.At(Day)
}
