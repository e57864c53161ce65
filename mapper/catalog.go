package mapper

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/huntlint/huntlint/mapper/attackid"
)

// Options say which catalog to open.
type Options struct {
	// Paths are STIX bundles given by the user (--catalog, HUNTLINT_CATALOG);
	// each replaces the embedded/cached data of its domain.
	Paths []string
	// Domains are the active domains (--domain); empty means enterprise only.
	// Inactive domains are still loaded so that checks can say where an
	// ID does exist.
	Domains []Domain
	// Offline ignores the download cache: embedded data (or Paths) only.
	Offline bool
	// CacheDir overrides os.UserCacheDir()/huntlint (tests).
	CacheDir string
	// Release overrides the release name for bundles that do not carry one.
	Release string
	// Now, when set, is the time catalog ages are judged by (tests);
	// otherwise the time of each call.
	Now func() time.Time
	// Log, when set, receives one line per domain saying where its data
	// comes from and why (a --catalog bundle, the embedded release, the
	// download cache), for --log-level debug.
	Log func(msg string)
}

// logf sends one decision to o.Log.
func (o Options) logf(format string, args ...any) {
	if o.Log != nil {
		o.Log(fmt.Sprintf(format, args...))
	}
}

// AllDomains lists the domains huntlint knows, in their canonical order.
var AllDomains = []Domain{Enterprise, Mobile, ICS}

// Catalog is a loaded ATT&CK knowledge base over one or more domains.
// It is immutable after loading and safe for concurrent use.
type Catalog struct {
	active   []Domain
	domains  []*domainData // active first, in the order given, then inactive
	byDomain map[Domain]*domainData
	// former holds, for a domain loaded from a bundle or the cache, the
	// embedded release of that domain when it is older: what tactics were
	// called before a rename.
	former map[Domain]*domainData

	now  func() time.Time
	nums *numIndex // see numbering
}

// numIndex holds the ID numbering of each object type, built on first use.
type numIndex struct {
	once sync.Once
	m    map[ObjectType]*numbering
}

// typeKey indexes objects by type and ATT&CK ID.
type typeKey struct {
	t  ObjectType
	id string
}

// domainData is one loaded domain.
type domainData struct {
	rel     Release
	all     []*Object // sorted by ID
	byID    map[typeKey]*Object
	byType  map[ObjectType][]*Object
	tactics []*Object // matrix order
	// unnumbered are the objects of known types that carry no ATT&CK ID
	// (data components before ATT&CK 18): never looked up, kept only so
	// that Diff can follow them by STIX id. Empty for compact catalogs.
	unnumbered []*Object
	// tacticNames maps folded shortnames and display names to tactics.
	tacticNames map[string]*Object
	// rels are the domain's uses and attributed-to relationships (see
	// relations.go), indexed on first use.
	rels relations
	// textsPath is the cache's texts file of the domain, read by
	// Catalog.LoadTexts; empty when the data did not come from the cache
	// or the texts were read.
	textsPath string
}

// index builds the lookup tables; order lists the tactics of the live
// matrices in matrix order.
func (d *domainData) index(order []*Object) {
	sortObjects(d.all)
	d.byID = make(map[typeKey]*Object, len(d.all))
	d.byType = map[ObjectType][]*Object{}
	for _, o := range d.all {
		k := typeKey{o.Type, o.ID}
		if old, ok := d.byID[k]; !ok || statusRank(o.Status) < statusRank(old.Status) {
			d.byID[k] = o
		}
		d.byType[o.Type] = append(d.byType[o.Type], o)
	}
	// Tactics: the matrix order first, then live tactics outside any
	// matrix, then deprecated and revoked ones, each group by ID.
	seen := map[*Object]bool{}
	tactics := append([]*Object(nil), order...)
	for _, t := range order {
		seen[t] = true
	}
	var rest []*Object
	for _, t := range d.byType[TypeTactic] {
		if !seen[t] {
			rest = append(rest, t)
		}
	}
	sort.SliceStable(rest, func(i, j int) bool { return statusRank(rest[i].Status) < statusRank(rest[j].Status) })
	all := append(tactics, rest...)
	for i, t := range all {
		t.Order = i
	}
	d.tactics = nil
	for _, t := range all {
		if t.Status == StatusActive || seen[t] {
			d.tactics = append(d.tactics, t)
		}
	}
	d.tacticNames = map[string]*Object{}
	for _, t := range all {
		for _, name := range []string{t.Shortname, t.Name} {
			if k := foldName(name); k != "" {
				if _, ok := d.tacticNames[k]; !ok {
					d.tacticNames[k] = t
				}
			}
		}
	}
	// Tactics of techniques in matrix order; unknown shortnames last.
	rank := map[string]int{}
	for _, t := range all {
		if _, ok := rank[t.Shortname]; !ok {
			rank[t.Shortname] = t.Order
		}
	}
	subs := map[string][]string{}
	for _, o := range d.byType[TypeTechnique] {
		if len(o.Tactics) > 1 {
			sort.SliceStable(o.Tactics, func(i, j int) bool {
				ri, ok := rank[o.Tactics[i]]
				if !ok {
					ri = len(rank)
				}
				rj, ok := rank[o.Tactics[j]]
				if !ok {
					rj = len(rank)
				}
				return ri < rj
			})
		}
		if o.Parent != "" {
			subs[o.Parent] = append(subs[o.Parent], o.ID)
		}
	}
	for _, o := range d.byType[TypeTechnique] {
		if s := subs[o.ID]; len(s) > 0 && o.Parent == "" {
			sort.Strings(s)
			o.Subtechniques = s
		}
	}
}

func statusRank(s Status) int {
	switch s {
	case StatusActive:
		return 0
	case StatusDeprecated:
		return 1
	}
	return 2
}

// foldName folds a tactic name for lookup: lower case, letters and digits
// only, so "Defense Evasion", "defense-evasion", "defense_evasion" and
// "DefenseEvasion" are one key.
func foldName(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || r > 127 {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// newCatalog assembles domains; active lists the active ones in order.
func newCatalog(ds []*domainData, active []Domain) *Catalog {
	c := &Catalog{byDomain: map[Domain]*domainData{}, nums: &numIndex{}}
	for _, d := range ds {
		c.byDomain[d.rel.Domain] = d
	}
	for _, a := range active {
		if d, ok := c.byDomain[a]; ok && !c.IsActive(a) {
			c.active = append(c.active, a)
			c.domains = append(c.domains, d)
		}
	}
	for _, dom := range AllDomains {
		if d, ok := c.byDomain[dom]; ok && !c.IsActive(dom) {
			c.domains = append(c.domains, d)
		}
	}
	return c
}

// Open loads the catalog described by opts: user paths first, else the newest
// of cache and embedded data per domain. Every known domain is loaded; the
// active ones (opts.Domains, default enterprise) are searched first.
func Open(opts Options) (*Catalog, error) {
	active := opts.Domains
	if len(active) == 0 {
		active = []Domain{Enterprise}
	}
	for _, a := range active {
		if knownDomain(string(a)) == "" {
			return nil, fmt.Errorf("unknown ATT&CK domain %q: use enterprise-attack, mobile-attack or ics-attack", a)
		}
	}
	got := map[Domain]*domainData{}
	for _, p := range opts.Paths {
		d, err := loadBundleFile(p, opts.Release)
		if err != nil {
			return nil, err
		}
		if err := validate(d); err != nil {
			return nil, fmt.Errorf("load catalog %q: not an ATT&CK catalog: %w", p, err)
		}
		if old, ok := got[d.rel.Domain]; ok {
			return nil, fmt.Errorf("two catalogs for %s: %q and %q; give one bundle per domain", d.rel.Domain, old.rel.Path, d.rel.Path)
		}
		got[d.rel.Domain] = d
		opts.logf("catalog %s: release %s from the bundle %s given by the user", d.rel.Domain, d.rel.Version, p)
	}
	var ds []*domainData
	for _, dom := range AllDomains {
		d := got[dom]
		if d == nil {
			var err error
			if d, err = loadDefault(dom, opts); err != nil {
				return nil, err
			}
		}
		if d != nil {
			ds = append(ds, d)
		}
	}
	c := newCatalog(ds, active)
	c.now = opts.Now
	for _, a := range active {
		if !c.IsActive(a) {
			return nil, fmt.Errorf("no catalog data for domain %s: give a bundle with --catalog", a)
		}
	}
	for _, d := range ds {
		if d.rel.Source == "embedded" {
			continue
		}
		if emb, err := embedded(d.rel.Domain); err == nil && emb != nil && CompareVersions(d.rel.Version, emb.rel.Version) > 0 {
			if c.former == nil {
				c.former = map[Domain]*domainData{}
			}
			c.former[d.rel.Domain] = emb
		}
	}
	return c, nil
}

// Releases describes every loaded domain, active ones first.
func (c *Catalog) Releases() []Release {
	out := make([]Release, len(c.domains))
	for i, d := range c.domains {
		out[i] = d.rel
	}
	return out
}

// Release describes domain d; ok is false when d is not loaded.
func (c *Catalog) Release(d Domain) (Release, bool) {
	if dd, ok := c.byDomain[d]; ok {
		return dd.rel, true
	}
	return Release{}, false
}

// Active returns the active domains in the order given.
func (c *Catalog) Active() []Domain { return append([]Domain(nil), c.active...) }

// IsActive reports whether d is an active domain.
func (c *Catalog) IsActive(d Domain) bool {
	for _, a := range c.active {
		if a == d {
			return true
		}
	}
	return false
}

// Tactics returns the live tactics of domain d in matrix order (tactics of
// the domain's live matrices first, then any other live tactic). Deprecated
// and revoked tactics are in Objects(d, TypeTactic). The slice and objects
// are shared: do not modify them.
func (c *Catalog) Tactics(d Domain) []*Object {
	if dd, ok := c.byDomain[d]; ok {
		return dd.tactics
	}
	return nil
}

// Objects returns every object of type t in domain d (all states), sorted by
// ID. The slice and objects are shared: do not modify them.
func (c *Catalog) Objects(d Domain, t ObjectType) []*Object {
	if dd, ok := c.byDomain[d]; ok {
		return dd.byType[t]
	}
	return nil
}

// normID strips an "attack." prefix and spaces and upper-cases an ID.
func normID(s string) string { return attackid.Norm(s) }

// Get finds an object of type t by ATT&CK ID in any case, with or without an
// "attack." prefix ("T1059.001", "t1059.001", "attack.t1059.001"). Active
// domains are searched first, in order, then inactive ones; the result's
// Domain says where it was found.
func (c *Catalog) Get(t ObjectType, id string) (*Object, bool) {
	k := typeKey{t, normID(id)}
	for _, d := range c.domains {
		if o, ok := d.byID[k]; ok {
			return o, true
		}
	}
	return nil, false
}

// GetIn finds an object of type t by ATT&CK ID in domain d only.
func (c *Catalog) GetIn(d Domain, t ObjectType, id string) (*Object, bool) {
	if dd, ok := c.byDomain[d]; ok {
		o, ok := dd.byID[typeKey{t, normID(id)}]
		return o, ok
	}
	return nil, false
}

// Tactic finds a tactic by ID ("TA0005"), shortname with hyphens or
// underscores ("defense-evasion", "defense_evasion"), display name ("Defense
// Evasion") or PascalCase ("DefenseEvasion"), any case, with or without an
// "attack." prefix. Active domains are searched first.
func (c *Catalog) Tactic(s string) (*Object, bool) {
	id := normID(s)
	if isTacticID(id) {
		return c.Get(TypeTactic, id)
	}
	k := foldName(id)
	if k == "" {
		return nil, false
	}
	for _, d := range c.domains {
		if o, ok := d.tacticNames[k]; ok {
			return o, true
		}
	}
	return nil, false
}

// LoadTexts reads the texts that the download cache keeps beside domains
// loaded from it (see TextsPath): descriptions and detection relationships,
// which only commands that use them need (tag, catalog show). Domains
// loaded from a bundle have them already, embedded ones never. It must not
// run concurrently with lookups.
func (c *Catalog) LoadTexts() error {
	for _, d := range c.domains {
		if d.textsPath == "" {
			continue
		}
		if err := attachTexts(d, d.textsPath); err != nil {
			return err
		}
		d.textsPath = ""
	}
	return nil
}

// CurrentTactic finds a tactic as Tactic does, and also by the name it had
// before a rename: when no active domain has a tactic of that name but the
// embedded release of an active domain had one, and the loaded release has
// a tactic with the same ID under another shortname (ATT&CK 19 renamed
// TA0005 from defense-evasion to stealth), it returns that tactic and the
// former one. Otherwise former is nil and the result is Tactic's.
func (c *Catalog) CurrentTactic(s string) (o, former *Object, ok bool) {
	o, ok = c.Tactic(s)
	if ok && c.IsActive(o.Domain) {
		return o, nil, true
	}
	for _, d := range c.active {
		old := c.former[d]
		if old == nil {
			continue
		}
		was, found := old.tacticNames[foldName(normID(s))]
		if !found {
			continue
		}
		if now, found := c.GetIn(d, TypeTactic, was.ID); found && now.Shortname != was.Shortname {
			return now, was, true
		}
	}
	return o, nil, ok
}

// FormerRelease names the release CurrentTactic took a former tactic of
// domain d from ("18.1"), "" when there is none.
func (c *Catalog) FormerRelease(d Domain) string {
	if old := c.former[d]; old != nil {
		return old.rel.Version
	}
	return ""
}

// TacticIn finds a tactic as Tactic does, in domain d only.
func (c *Catalog) TacticIn(d Domain, s string) (*Object, bool) {
	dd, ok := c.byDomain[d]
	if !ok {
		return nil, false
	}
	id := normID(s)
	if isTacticID(id) {
		o, ok := dd.byID[typeKey{TypeTactic, id}]
		return o, ok
	}
	o, ok := dd.tacticNames[foldName(id)]
	return o, ok
}

func isTacticID(s string) bool {
	k, ok := attackid.Classify(s)
	return ok && k == TypeTactic
}

// Resolve follows revoked-by links from o to the final live object. chain
// starts with o and ends with final; a cycle or a missing replacement ends the
// chain early and final is then nil. For an object that is not revoked, final
// is o and chain is [o].
func (c *Catalog) Resolve(o *Object) (final *Object, chain []*Object) {
	if o == nil {
		return nil, nil
	}
	seen := map[*Object]bool{}
	for cur := o; cur != nil; cur = cur.revokedBy {
		if seen[cur] {
			return nil, chain
		}
		seen[cur] = true
		chain = append(chain, cur)
		if cur.Status != StatusRevoked {
			return cur, chain
		}
	}
	return nil, chain
}

// Technique returns the technique with the given ID, like Get(TypeTechnique, id).
func (c *Catalog) Technique(id string) (*Object, bool) { return c.Get(TypeTechnique, id) }

// Parent returns the parent technique of a sub-technique, from o's domain.
func (c *Catalog) Parent(o *Object) (*Object, bool) {
	if o == nil || o.Parent == "" {
		return nil, false
	}
	return c.GetIn(o.Domain, TypeTechnique, o.Parent)
}

// TacticsOf returns the tactic objects of technique o, in matrix order, from
// o's domain; unknown shortnames are left out.
func (c *Catalog) TacticsOf(o *Object) []*Object {
	var out []*Object
	for _, s := range o.Tactics {
		if t, ok := c.TacticIn(o.Domain, s); ok {
			out = append(out, t)
		}
	}
	return out
}

// objectIDs returns the IDs of objs in order.
func objectIDs(objs []*Object) []string {
	out := make([]string, len(objs))
	for i, o := range objs {
		out[i] = o.ID
	}
	return out
}
