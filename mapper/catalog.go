package mapper

import "errors"

// errUnimplemented marks API that is being built; every use is replaced
// before the catalog issue is resolved.
var errUnimplemented = errors.New("mapper: not implemented yet")

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
}

// Catalog is a loaded ATT&CK knowledge base over one or more domains.
// It is immutable after loading and safe for concurrent use.
type Catalog struct {
	// filled by the loader
}

// Open loads the catalog described by opts: user paths first, else the newest
// of cache and embedded data per domain.
func Open(opts Options) (*Catalog, error) { return nil, errUnimplemented }

// Releases describes every loaded domain, active ones first.
func (c *Catalog) Releases() []Release { return nil }

// Active returns the active domains in the order given.
func (c *Catalog) Active() []Domain { return nil }

// IsActive reports whether d is an active domain.
func (c *Catalog) IsActive(d Domain) bool { return false }

// Tactics returns the tactics of domain d in matrix order.
func (c *Catalog) Tactics(d Domain) []*Object { return nil }

// Objects returns every object of type t in domain d (all states), sorted by ID.
func (c *Catalog) Objects(d Domain, t ObjectType) []*Object { return nil }

// Get finds an object of type t by ATT&CK ID in any case, with or without an
// "attack." prefix ("T1059.001", "t1059.001", "attack.t1059.001"). Active
// domains are searched first, in order, then inactive ones; the result's
// Domain says where it was found.
func (c *Catalog) Get(t ObjectType, id string) (*Object, bool) { return nil, false }

// Tactic finds a tactic by ID ("TA0005"), shortname with hyphens or
// underscores ("defense-evasion", "defense_evasion"), display name ("Defense
// Evasion") or PascalCase ("DefenseEvasion"), any case, with or without an
// "attack." prefix. Active domains are searched first.
func (c *Catalog) Tactic(s string) (*Object, bool) { return nil, false }

// Resolve follows revoked-by links from o to the final live object. chain
// starts with o and ends with final; a cycle or a missing replacement ends the
// chain early and final is then nil.
func (c *Catalog) Resolve(o *Object) (final *Object, chain []*Object) { return nil, nil }

// Similar returns up to n objects of type t whose ID or name is nearest to s,
// best first, for "did you mean" messages.
func (c *Catalog) Similar(t ObjectType, s string, n int) []*Object { return nil }

// Search returns up to n objects of any type best matching text by ID and
// name, best first.
func (c *Catalog) Search(text string, n int) []*Object { return nil }
