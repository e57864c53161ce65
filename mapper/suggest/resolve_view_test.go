package suggest

import (
	"path/filepath"
	"strings"
	"testing"

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

// TestResolveIsCatalogView checks that the suggester's technique lookup,
// now a view of the catalog's (Get and Resolve), gives the answers of its
// former own index for every technique and tactic of every domain of the
// embedded 18.1 release (each domain active in turn, two at once, and none)
// and of a v19-style release: by ID in either case, with and without
// "attack.", by name, by shortname and in PascalCase. Its callers pass IDs
// read with attackid.Exact or the suggester's own.
func TestResolveIsCatalogView(t *testing.T) {
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
	followed := 0
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
