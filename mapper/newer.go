package mapper

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/huntlint/huntlint/internal/textdist"
	"github.com/huntlint/huntlint/mapper/attackid"
)

// The catalog huntlint reads always trails the rules it judges: ATT&CK ships a
// release about every six months and rule sets follow within days. This file
// tells a reference from a newer release (a technique numbered after the last
// one the catalog has) from a typo, and says how old the catalog is.

// releaseInterval is how often ATT&CK ships a release, used to estimate how
// many releases may have followed the catalog.
const releaseInterval = 182 * 24 * time.Hour

// Date returns the release date of r: the modified timestamp of its
// collection object, else the newest modified timestamp in the bundle; ok is
// false when r has none.
func (r Release) Date() (time.Time, bool) {
	return parseStamp(r.Modified)
}

func parseStamp(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, false
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// Age returns how old release r is at now; ok is false when its date is
// unknown.
func (r Release) Age(now time.Time) (time.Duration, bool) {
	d, ok := r.Date()
	if !ok {
		return 0, false
	}
	if age := now.Sub(d); age > 0 {
		return age, true
	}
	return 0, true
}

// AgeDays is r's age at now in whole days, -1 when its date is unknown.
func (r Release) AgeDays(now time.Time) int {
	age, ok := r.Age(now)
	if !ok {
		return -1
	}
	return int(age.Hours() / 24)
}

// Outdated reports whether r is older than maxAge at now; a release of
// unknown date is not.
func (r Release) Outdated(now time.Time, maxAge time.Duration) bool {
	age, ok := r.Age(now)
	return ok && age > maxAge
}

// AgeText describes an age for people: "12 days", "13 months", "2 years".
func AgeText(age time.Duration) string {
	days := int(age.Hours() / 24)
	switch {
	case days == 1:
		return "1 day"
	case days < 60:
		return fmt.Sprintf("%d days", days)
	case days < 730:
		return fmt.Sprintf("%d months", int(math.Round(float64(days)/30.44)))
	}
	return fmt.Sprintf("%d years", days/365)
}

// Describe names the release with its date and age at now, for messages:
// "ATT&CK 18.1 (November 2025, 13 months old)".
func (r Release) Describe(now time.Time) string {
	name := DomainTitle(r.Domain) + " " + r.VersionText()
	d, ok := r.Date()
	if !ok {
		return name
	}
	age, _ := r.Age(now)
	return fmt.Sprintf("%s (%s, %s old)", name, d.Format("January 2006"), AgeText(age))
}

// VersionText is the release number for messages: "18.1", or "(release
// unknown)".
func (r Release) VersionText() string {
	if r.Version == "" || r.Version == "unknown" {
		return "(release unknown)"
	}
	return r.Version
}

// DomainTitle is ATT&CK's own name of a domain: "ATT&CK", "ATT&CK for
// Mobile", "ATT&CK for ICS".
func DomainTitle(d Domain) string {
	switch d {
	case Mobile:
		return "ATT&CK for Mobile"
	case ICS:
		return "ATT&CK for ICS"
	}
	return "ATT&CK"
}

// Now is the time the catalog judges ages by: Options.Now when it was set,
// else the time of the call.
func (c *Catalog) Now() time.Time {
	if c.now != nil {
		return c.now()
	}
	return time.Now()
}

// At returns the catalog judging ages as of now instead of the time of each
// call (tests, reproducible reports). It shares c's data.
func (c *Catalog) At(now time.Time) *Catalog {
	cc := *c
	cc.now = func() time.Time { return now }
	return &cc
}

// Oldest returns the oldest release among the active domains (the one whose
// age matters most), with its age; ok is false when no active domain has a
// date.
func (c *Catalog) Oldest() (r Release, age time.Duration, ok bool) {
	now := c.Now()
	for _, d := range c.active {
		rel := c.byDomain[d].rel
		a, known := rel.Age(now)
		if known && (!ok || a > age) {
			r, age, ok = rel, a, true
		}
	}
	return r, age, ok
}

// ReleasesSince estimates how many ATT&CK releases may have followed the
// catalog's active domains by now: one per six months of age, at least one.
func (c *Catalog) ReleasesSince() int {
	_, age, ok := c.Oldest()
	if !ok {
		return 1
	}
	return max(1, int(math.Ceil(float64(age)/float64(releaseInterval))))
}

// Newer says why a reference the catalog does not have looks like it comes
// from a newer ATT&CK release than the catalog's.
type Newer struct {
	// Type is the kind of object the reference names.
	Type ObjectType
	// Release is the catalog release the reference is newer than (of the
	// active domain whose numbering it continues).
	Release Release
	// After is the last ID of the catalog the reference is numbered after
	// ("T1681", "T1562.013", "TA0111"); empty for tactics named by a name.
	After string
	// Parent is the parent technique of a sub-technique whose parent the
	// catalog has; nil otherwise.
	Parent *Object
	// AfterDomain is the domain of After when it is not Release's (the
	// numbering is shared: ATT&CK numbered its v19 tactic TA0112 after
	// ICS's TA0111); empty otherwise.
	AfterDomain Domain
}

// Reason says why the reference looks newer, for messages: "is numbered
// after its last technique T1681".
func (n *Newer) Reason() string {
	switch {
	case n.Type == TypeTactic && n.After == "":
		return "is no misspelling of one of its tactics"
	case n.Parent != nil && n.After == "":
		return fmt.Sprintf("is a sub-technique of %s (%s), which has none there", n.Parent.ID, n.Parent.Name)
	case n.Parent != nil:
		return fmt.Sprintf("is numbered after %s, the last sub-technique of %s (%s)", n.After, n.Parent.ID, n.Parent.Name)
	case n.Type == TypeTechnique && strings.Contains(n.After, "."):
		return fmt.Sprintf("is a sub-technique of a technique numbered after its last technique %s", strings.SplitN(n.After, ".", 2)[0])
	}
	if n.AfterDomain != "" {
		return fmt.Sprintf("is numbered after %s, the last %s of any domain (%s)", n.After, typeWord(n.Type), DomainTitle(n.AfterDomain))
	}
	return fmt.Sprintf("is numbered after its last %s %s", typeWord(n.Type), n.After)
}

func typeWord(t ObjectType) string {
	switch t {
	case TypeDataSource:
		return "data source"
	case TypeDataComponent:
		return "data component"
	case TypeDetectionStrategy:
		return "detection strategy"
	}
	return string(t)
}

// idNumber splits a well-formed ID into its prefix, number and sub-technique
// number (0 when none): "T1059.001" -> "T", 1059, 1.
func idNumber(s string) (prefix string, n, sub int, ok bool) {
	id, ok := attackid.Parse(s)
	if strings.HasSuffix(s, ".000") {
		return "", 0, 0, false // no sub-technique is numbered 0
	}
	return id.Prefix, id.Number, id.Sub, ok
}

// numbering summarises the ID numbers of one object type: the last number
// of each loaded domain and of all, and how many objects there are.
type numbering struct {
	last     map[Domain]int
	lastAll  int
	count    int
	numbers  map[int]bool // every number of the type in any loaded domain
	maxSubs  int          // the most sub-techniques of one parent
	lastIDOf map[Domain]string
}

func (c *Catalog) numbering(t ObjectType) *numbering {
	c.nums.once.Do(func() {
		c.nums.m = map[ObjectType]*numbering{}
		for _, d := range c.domains {
			for typ, objs := range d.byType {
				nb := c.nums.m[typ]
				if nb == nil {
					nb = &numbering{last: map[Domain]int{}, numbers: map[int]bool{}, lastIDOf: map[Domain]string{}}
					c.nums.m[typ] = nb
				}
				for _, o := range objs {
					_, n, sub, ok := idNumber(o.ID)
					if !ok || sub != 0 || (typ == TypeMitigation && !strings.HasPrefix(o.ID, "M")) {
						continue
					}
					nb.count++
					nb.numbers[n] = true
					if n > nb.last[d.rel.Domain] {
						nb.last[d.rel.Domain] = n
						nb.lastIDOf[d.rel.Domain] = o.ID
					}
					nb.lastAll = max(nb.lastAll, n)
					nb.maxSubs = max(nb.maxSubs, len(o.Subtechniques))
				}
			}
		}
	})
	return c.nums.m[t]
}

// perRelease is how many new IDs of a kind one ATT&CK release plausibly
// adds, derived from the catalog: a twentieth of the objects of that kind it
// holds, at least ten (ATT&CK adds a few dozen techniques a release, a
// handful of tactics a decade).
func (nb *numbering) perRelease(t ObjectType) int {
	if t == TypeTactic {
		return max(2, nb.count/20)
	}
	return max(10, nb.count/20)
}

// NewerRef tells whether a reference of type t that the catalog does not
// have looks like it comes from a newer ATT&CK release. id is the upper-case
// ID ("T1685.001", "TA0112"), or "" for a tactic named by a name (name then
// holds it: "stealth", "Defense Impairment", "DefenseImpairment").
//
// An ID is newer when it is numbered after the last ID of its kind that an
// active domain has (or the catalog as a whole has, for numbering that the
// domains share), by no more than the IDs that the releases since the
// catalog's plausibly added (see perRelease and ReleasesSince); a
// sub-technique when its parent is known and it is numbered after the
// parent's last sub-technique within that bound, or when its parent is
// itself newer. A tactic name is newer when it is well formed and no near
// miss of a tactic any loaded domain has. Everything else is a typo.
func (c *Catalog) NewerRef(t ObjectType, id, name string) (*Newer, bool) {
	if t == TypeTactic && id == "" {
		return c.newerTacticName(name)
	}
	prefix, n, sub, ok := idNumber(id)
	if !ok {
		return nil, false
	}
	if t == TypeMitigation && prefix != "M" {
		return nil, false
	}
	releases := c.ReleasesSince()
	if t == TypeTechnique && sub != 0 {
		parentID := fmt.Sprintf("%s%04d", prefix, n)
		if p, ok := c.Get(TypeTechnique, parentID); ok {
			last := 0
			for _, s := range p.Subtechniques {
				if _, _, k, ok := idNumber(s); ok {
					last = max(last, k)
				}
			}
			nb := c.numbering(TypeTechnique)
			bound := releases * max(5, (nb.maxSubs+1)/2)
			if sub <= last || sub > last+bound {
				return nil, false
			}
			rel, _ := c.Release(p.Domain)
			after := ""
			if last > 0 {
				after = fmt.Sprintf("%s.%03d", parentID, last)
			}
			return &Newer{Type: t, Release: rel, After: after, Parent: p}, true
		}
		parent, ok := c.NewerRef(TypeTechnique, parentID, "")
		if !ok || sub > releases*10 {
			return nil, false
		}
		parent.After += fmt.Sprintf(".%03d", sub)
		return parent, true
	}
	nb := c.numbering(t)
	if nb == nil {
		return nil, false
	}
	bound := releases * nb.perRelease(t)
	// After the last ID of all loaded domains (tactic and technique numbers
	// are shared: ATT&CK numbered its v19 tactic TA0112 after ICS's TA0111).
	if n > nb.lastAll && n <= nb.lastAll+bound {
		d := c.lastDomain(nb, nb.lastAll)
		rel, _ := c.Release(d)
		n := &Newer{Type: t, Release: rel, After: nb.lastIDOf[d]}
		if !c.IsActive(d) {
			n.Release, _ = c.Release(c.active[0])
			n.AfterDomain = d
		}
		return n, true
	}
	// After the last ID of an active domain, with no ID of another domain in
	// between (ICS numbers its techniques T08xx).
	for _, d := range c.active {
		last, ok := nb.last[d]
		if !ok || n <= last || n > last+bound {
			continue
		}
		between := false
		for k := last + 1; k < n; k++ {
			if nb.numbers[k] {
				between = true
				break
			}
		}
		if !between {
			rel, _ := c.Release(d)
			return &Newer{Type: t, Release: rel, After: nb.lastIDOf[d]}, true
		}
	}
	return nil, false
}

// lastDomain is the domain holding number n last: an active one when it
// can be.
func (c *Catalog) lastDomain(nb *numbering, n int) Domain {
	for _, d := range c.active {
		if nb.last[d] == n {
			return d
		}
	}
	for _, d := range c.domains {
		if nb.last[d.rel.Domain] == n {
			return d.rel.Domain
		}
	}
	return c.active[0]
}

// newerTacticName: a well-formed tactic name that is no near miss of a
// known tactic's shortname or name.
func (c *Catalog) newerTacticName(name string) (*Newer, bool) {
	// A bare "attack." leaves "", which is no more well formed than it.
	name, _ = attackid.CutTagPrefix(strings.TrimSpace(name))
	if !wellFormedTacticName(name) {
		return nil, false
	}
	k := foldName(name)
	if len(k) < 4 {
		return nil, false
	}
	for _, d := range c.domains {
		for known := range d.tacticNames {
			if nearMiss(k, known) {
				return nil, false
			}
		}
	}
	rel, _ := c.Release(c.active[0])
	return &Newer{Type: TypeTactic, Release: rel}, true
}

// wellFormedTacticName: words of letters joined by single hyphens,
// underscores or spaces ("defense-impairment", "Defense Impairment"), or
// PascalCase ("DefenseImpairment").
func wellFormedTacticName(s string) bool {
	if s == "" {
		return false
	}
	prevSep := true
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z':
			prevSep = false
		case r == '-' || r == '_' || r == ' ':
			if prevSep {
				return false
			}
			prevSep = true
		default:
			return false
		}
	}
	return !prevSep
}

// nearMiss reports whether folded name a is a misspelling of known name b:
// a few edits apart (a quarter of the length, at least two), or one
// containing the other.
func nearMiss(a, b string) bool {
	if strings.Contains(a, b) || strings.Contains(b, a) {
		return true
	}
	return textdist.Levenshtein(a, b) <= max(2, min(len(a), len(b))/4)
}
