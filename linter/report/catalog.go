package report

import (
	"fmt"
	"strings"
	"time"

	"github.com/huntlint/huntlint/linter"
	"github.com/huntlint/huntlint/mapper"
)

// catalogRelease describes one loaded domain in machine reports (the JSON
// and SARIF catalog block): its release, where it came from, its release
// date and age, and whether it is older than the catalog max_age.
type catalogRelease struct {
	Domain  string `json:"domain"`
	Release string `json:"release"`
	Source  string `json:"source"`
	Active  bool   `json:"active"`
	// Date is the release date (YYYY-MM-DD), "" when unknown.
	Date string `json:"date"`
	// AgeDays is the release's age in whole days when the report was made;
	// -1 when the date is unknown.
	AgeDays int `json:"age_days"`
	// Outdated is set when the release is older than max_age.
	Outdated bool `json:"outdated"`
}

// catalogReleases describes every loaded domain, active ones first.
func catalogReleases(rep *Input) []catalogRelease {
	out := []catalogRelease{}
	if rep.Catalog == nil {
		return out
	}
	now := rep.Catalog.Now()
	for _, r := range rep.Catalog.Releases() {
		cr := catalogRelease{Domain: string(r.Domain), Release: r.Version, Source: r.Source,
			Active: rep.Catalog.IsActive(r.Domain), AgeDays: r.AgeDays(now), Outdated: r.Outdated(now, rep.maxAge())}
		if d, ok := r.Date(); ok {
			cr.Date = d.Format("2006-01-02")
		}
		out = append(out, cr)
	}
	return out
}

func (rep *Input) maxAge() time.Duration {
	if rep.MaxAge > 0 {
		return rep.MaxAge
	}
	return linter.DefaultMaxAge
}

// OutdatedNote is the one line a run prints when an active domain's
// release is older than max_age: which release, how old, and how to get a
// current one; "" when the catalog is current enough.
func (rep *Input) OutdatedNote() string {
	if rep.Catalog == nil {
		return ""
	}
	r, age, ok := rep.Catalog.Oldest()
	if !ok || age <= rep.maxAge() {
		return ""
	}
	d, _ := r.Date()
	return fmt.Sprintf("the catalog is %s %s of %s, %s old (catalog max_age is %s); tags from newer releases are reported as attack-newer-release. Update it with huntlint catalog update, or pass --catalog with the current bundle",
		mapper.DomainTitle(r.Domain), r.VersionText(), d.Format("January 2006"), mapper.AgeText(age), ageSetting(rep.maxAge()))
}

// ageSetting spells an age as the configuration writes it: "200d", "36h".
func ageSetting(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		return fmt.Sprintf("%dd", d/(24*time.Hour))
	}
	return strings.TrimSuffix(strings.TrimSuffix(d.String(), "0s"), "0m")
}

// releaseDates names the release dates of the active domains for the text
// summary: "ATT&CK 18.1 of 2025-11-12".
func releaseDates(cat *mapper.Catalog) string {
	var names []string
	for _, d := range cat.Active() {
		r, _ := cat.Release(d)
		s := linter.ReleaseName(cat, d)
		if t, ok := r.Date(); ok {
			s += " of " + t.Format("2006-01-02")
		}
		names = append(names, s)
	}
	return strings.Join(names, " and ")
}
