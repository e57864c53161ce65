package suggest

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/huntlint/huntlint/mapper"
	"github.com/huntlint/huntlint/mapper/attackid"
	"github.com/huntlint/huntlint/rules"
)

// ownResolve is the suggester's technique lookup as it was before it became
// a view of the catalog's: its own technique map, revocations followed by
// ID.
func ownResolve(ix *index, cat *mapper.Catalog, id string) *technique {
	v, _ := attackid.CutTagPrefix(id)
	t := ix.techs[strings.ToUpper(v)]
	for hops := 0; t != nil && hops < 10; hops++ {
		o, _ := cat.Technique(t.ID)
		if o.Status != mapper.StatusRevoked {
			break
		}
		t = ix.techs[o.RevokedBy]
	}
	if t == nil || t.Dead {
		return nil
	}
	return t
}

// viewCatalog is one catalog the lookup views are checked against.
type viewCatalog struct {
	name string
	cat  *mapper.Catalog
}

// viewCatalogs opens the embedded 18.1 release with each domain active in
// turn, two at once and none, and the v19-style mini release.
func viewCatalogs(t *testing.T) []viewCatalog {
	t.Helper()
	type setup struct {
		name string
		opts mapper.Options
	}
	setups := []setup{{"embedded", mapper.Options{}}}
	for _, d := range []mapper.Domain{mapper.Enterprise, mapper.Mobile, mapper.ICS} {
		setups = append(setups, setup{"embedded-" + string(d), mapper.Options{Domains: []mapper.Domain{d}}})
	}
	setups = append(setups,
		setup{"embedded-enterprise+ics", mapper.Options{Domains: []mapper.Domain{mapper.Enterprise, mapper.ICS}}},
		setup{"mini-19", mapper.Options{Paths: []string{filepath.Join("..", "..", "testdata", "attack", "mini-19.json")}}})
	var out []viewCatalog
	for _, s := range setups {
		s.opts.Offline, s.opts.CacheDir = true, t.TempDir()
		cat, err := mapper.Open(s.opts)
		if err != nil {
			t.Fatal(err)
		}
		if s.opts.Paths == nil {
			if r, ok := cat.Release(mapper.Enterprise); !ok || r.Version != "18.1" {
				t.Fatalf("embedded release %+v, want 18.1", r)
			}
		}
		out = append(out, viewCatalog{s.name, cat})
	}
	return out
}

// TestResolveIsCatalogView checks that the suggester's technique lookup,
// now a view of the catalog's (Get and Resolve), gives the answers of its
// former own index for every technique and tactic of every domain of the
// embedded 18.1 release (each domain active in turn, two at once, and none)
// and of a v19-style release: by ID in either case, with and without
// "attack.", by name, by shortname and in PascalCase. Its callers pass IDs
// read with attackid.Exact or the suggester's own.
func TestResolveIsCatalogView(t *testing.T) {
	followed := 0
	for _, s := range viewCatalogs(t) {
		cat := s.cat
		ix := indexFromCatalog(cat)
		var inputs []string
		for _, d := range []mapper.Domain{mapper.Enterprise, mapper.Mobile, mapper.ICS} {
			for _, typ := range []mapper.ObjectType{mapper.TypeTechnique, mapper.TypeTactic} {
				for _, o := range cat.Objects(d, typ) {
					inputs = append(inputs, o.ID, strings.ToLower(o.ID), "attack."+strings.ToLower(o.ID), "ATTACK."+o.ID,
						o.Name, strings.ToLower(o.Name), rules.PascalCase(o.Name))
					if o.Shortname != "" {
						inputs = append(inputs, o.Shortname, strings.ReplaceAll(o.Shortname, "-", "_"), "attack."+o.Shortname)
					}
				}
			}
		}
		inputs = append(inputs, "", "attack.", "T9999", "TA9999", "no-such-tactic", "defense-evasion", "DefenseEvasion", "attack.defense_evasion")
		n := 0
		for _, in := range inputs {
			got, want := ix.resolve(in), ownResolve(ix, cat, in)
			if got != want {
				t.Errorf("%s: resolve(%q) = %v, want %v", s.name, in, got, want)
			}
			if got != nil {
				n++
				if v, _ := attackid.CutTagPrefix(in); !strings.EqualFold(v, got.ID) {
					followed++ // a revoked technique, resolved to its replacement
				}
			}
		}
		if n == 0 {
			t.Errorf("%s: no technique found among %d inputs", s.name, len(inputs))
		}
	}
	if followed == 0 {
		t.Error("no revoked technique was resolved to its replacement")
	}
}

// ownTactic is the suggester's tactic lookup as it was before it became a
// view of the catalog's: one tactic per shortname of the index's domains
// (the first domain's on a collision), spellings compared by their letters
// only, IDs only as written, and former names through the catalog.
func ownTactic(cat *mapper.Catalog, domains []mapper.Domain, s string) *mapper.Object {
	letters := func(s string) string {
		var b strings.Builder
		for _, r := range strings.ToLower(s) {
			if unicode.IsLetter(r) {
				b.WriteRune(r)
			}
		}
		return b.String()
	}
	own := map[string]*mapper.Object{}
	for _, d := range domains {
		for _, o := range cat.Tactics(d) {
			if own[o.Shortname] == nil {
				own[o.Shortname] = o
			}
		}
	}
	v, _ := attackid.CutTagPrefix(s)
	f := letters(v)
	for _, t := range own {
		if f == letters(t.Shortname) || f == letters(t.Name) || strings.EqualFold(s, t.ID) {
			return t
		}
	}
	if o, former, ok := cat.CurrentTactic(s); ok && former != nil {
		return own[o.Shortname]
	}
	return nil
}

// TestResolveTacticIsCatalogView checks that the suggester's tactic lookup,
// now a view of the catalog's (CurrentTactic, within the suggester's
// domains), names the same tactic as its former own one for every ID, name,
// shortname and PascalCase spelling of every tactic of the embedded 18.1
// release (each domain active in turn, two at once, none) and of a
// v19-style release; and that the inputs the two read differently now get
// the catalog's answer: an "attack."-prefixed or space-padded ID is found,
// a name with digits added is not a tactic, and ICS's TA0109
// (lateral-movement, a shortname Enterprise's TA0008 also has) is found when
// ICS is active.
func TestResolveTacticIsCatalogView(t *testing.T) {
	show := func(o *mapper.Object) string {
		if o == nil {
			return ""
		}
		return string(o.Domain) + ":" + o.ID + ":" + o.Shortname
	}
	for _, s := range viewCatalogs(t) {
		cat := s.cat
		ix := indexFromCatalog(cat)
		shadowed := func(o *mapper.Object) bool {
			for _, d := range ix.domains {
				if d == o.Domain {
					return false
				}
				if x, ok := cat.TacticIn(d, o.Shortname); ok && x.Shortname == o.Shortname {
					return true
				}
			}
			return false
		}
		n, shadows := 0, 0
		for _, d := range []mapper.Domain{mapper.Enterprise, mapper.Mobile, mapper.ICS} {
			for _, o := range cat.Objects(d, mapper.TypeTactic) {
				for _, in := range []string{o.ID, strings.ToLower(o.ID), o.Name, strings.ToLower(o.Name), rules.PascalCase(o.Name),
					o.Shortname, strings.ReplaceAll(o.Shortname, "-", "_"), "attack." + o.Shortname} {
					got, want := ix.tactic(in), ownTactic(cat, ix.domains, in)
					if got != nil {
						n++
					}
					if got == want {
						continue
					}
					// The one input the two read differently here: the ID
					// of a tactic whose shortname a domain read before its
					// own also has, which the former one-per-shortname map
					// did not find.
					if strings.EqualFold(in, o.ID) && got == o && want == nil && shadowed(o) {
						shadows++
						continue
					}
					t.Errorf("%s: tactic(%q) = %s, want %s", s.name, in, show(got), show(want))
				}
			}
		}
		if n == 0 {
			t.Errorf("%s: no tactic found", s.name)
		}
		for _, in := range []string{"", "attack.", "TA9999", "no-such-tactic", "Execution2", "Defense Evasion 2", "attack.execution2"} {
			if got := ix.tactic(in); got != nil {
				t.Errorf("%s: tactic(%q) = %s, want none", s.name, in, show(got))
			}
		}
		for _, d := range ix.domains {
			for _, o := range cat.Tactics(d) {
				for _, in := range []string{"attack." + o.ID, "attack." + strings.ToLower(o.ID), " " + o.ID, o.ID + " "} {
					if got, want := ix.tactic(in), ix.tactic(o.ID); got != want || got == nil {
						t.Errorf("%s: tactic(%q) = %s, want %s as for %q", s.name, in, show(got), show(want), o.ID)
					}
				}
			}
		}
		if wantShadows := slices.Contains(ix.domains, mapper.ICS) && ix.domains[0] != mapper.ICS; wantShadows != (shadows > 0) {
			t.Errorf("%s: %d IDs of tactics with another domain's shortname read differently", s.name, shadows)
		}
		if slices.Contains(ix.domains, mapper.ICS) {
			if got := ix.tactic("TA0109"); got == nil || got.Domain != mapper.ICS || got.Shortname != "lateral-movement" {
				t.Errorf("%s: tactic(TA0109) = %s, want ICS's lateral-movement", s.name, show(got))
			}
		}
	}
}
