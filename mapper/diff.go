package mapper

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// DomainDiff lists what changed in one domain between two catalogs.
// Techniques are compared by ID (sub-techniques included); tactic
// membership is compared by tactic ID, so renaming a tactic does not count
// as moving its techniques.
type DomainDiff struct {
	Domain     Domain `json:"domain"`
	OldRelease string `json:"old_release"`
	NewRelease string `json:"new_release"`

	NewTactics     []TacticRef     `json:"new_tactics"`                 // tactics new in NEW
	RenamedTactics []TacticRename  `json:"renamed_tactics"`             // same ID, new shortname or name
	RemovedTactics []TacticRef     `json:"removed_tactics"`             // tactics gone from NEW
	Reordered      *TacticReorder  `json:"reordered_tactics,omitempty"` // tactics in both matrices in another order
	Added          []ObjectRef     `json:"added"`                       // techniques new in NEW
	Removed        []ObjectRef     `json:"removed"`                     // techniques gone from NEW
	Renamed        []Rename        `json:"renamed"`                     // techniques with a new name
	Revoked        []Revocation    `json:"revoked"`                     // techniques revoked in NEW, not in OLD
	Deprecated     []ObjectRef     `json:"deprecated"`                  // techniques deprecated in NEW, not in OLD
	Moved          []TacticChange  `json:"moved"`                       // techniques live in both whose tactics changed
	Other          []CountedChange `json:"other"`                       // added/removed IDs of other object types
}

// Rename is an object whose name changed.
type Rename struct {
	ID      string `json:"id"`
	OldName string `json:"old_name"`
	NewName string `json:"new_name"`
}

// Revocation is a technique newly revoked, with its replacement chain in NEW.
type Revocation struct {
	ID         string      `json:"id"`
	Name       string      `json:"name"`
	Chain      []ObjectRef `json:"chain"`                 // replacements after ID, in order
	ReplacedBy *ObjectRef  `json:"replaced_by,omitempty"` // live end of the chain
}

// TacticRef names a tactic.
type TacticRef struct {
	ID        string `json:"id"`
	Shortname string `json:"shortname"`
	Name      string `json:"name"`
}

// TacticRename is a tactic whose shortname or name changed.
type TacticRename struct {
	ID           string `json:"id"`
	OldShortname string `json:"old_shortname"`
	NewShortname string `json:"new_shortname"`
	OldName      string `json:"old_name"`
	NewName      string `json:"new_name"`
}

// TacticChange is a technique whose tactics changed (by tactic ID).
type TacticChange struct {
	ID      string      `json:"id"`
	Name    string      `json:"name"`
	Old     []TacticRef `json:"old"`
	New     []TacticRef `json:"new"`
	Added   []TacticRef `json:"added"`
	Removed []TacticRef `json:"removed"`
}

// TacticReorder is a change of the matrix order (tactic IDs).
type TacticReorder struct {
	Old []string `json:"old"`
	New []string `json:"new"`
}

// CountedChange lists added and removed objects of another type.
type CountedChange struct {
	Type    ObjectType `json:"type"`
	Added   []string   `json:"added"`
	Removed []string   `json:"removed"`
}

// Empty reports whether nothing changed.
func (d *DomainDiff) Empty() bool {
	return len(d.Added)+len(d.Removed)+len(d.Renamed)+len(d.Revoked)+len(d.Deprecated)+len(d.Moved)+
		len(d.NewTactics)+len(d.RemovedTactics)+len(d.RenamedTactics)+len(d.Other) == 0 && d.Reordered == nil
}

// Diff compares every domain loaded in both catalogs, in old's order.
func Diff(old, new *Catalog) []DomainDiff {
	var out []DomainDiff
	for _, od := range old.domains {
		if nd, ok := new.byDomain[od.rel.Domain]; ok {
			out = append(out, diffDomain(old, new, od, nd))
		}
	}
	return out
}

func tacticRef(t *Object) TacticRef { return TacticRef{ID: t.ID, Shortname: t.Shortname, Name: t.Name} }

func diffDomain(oc, nc *Catalog, od, nd *domainData) DomainDiff {
	dd := DomainDiff{Domain: od.rel.Domain, OldRelease: od.rel.Version, NewRelease: nd.rel.Version}
	dom := od.rel.Domain

	for _, t := range nd.byType[TypeTactic] {
		o, ok := od.byID[typeKey{TypeTactic, t.ID}]
		switch {
		case !ok:
			dd.NewTactics = append(dd.NewTactics, tacticRef(t))
		case o.Shortname != t.Shortname || o.Name != t.Name:
			dd.RenamedTactics = append(dd.RenamedTactics, TacticRename{ID: t.ID, OldShortname: o.Shortname,
				NewShortname: t.Shortname, OldName: o.Name, NewName: t.Name})
		}
	}
	for _, t := range od.byType[TypeTactic] {
		if _, ok := nd.byID[typeKey{TypeTactic, t.ID}]; !ok {
			dd.RemovedTactics = append(dd.RemovedTactics, tacticRef(t))
		}
	}
	// Reordered: the tactics in both matrices stand in another order
	// (adding or removing a tactic alone is not a reorder).
	oldOrder, newOrder := objectIDs(od.tactics), objectIDs(nd.tactics)
	if strings.Join(common(oldOrder, newOrder), ",") != strings.Join(common(newOrder, oldOrder), ",") {
		dd.Reordered = &TacticReorder{Old: oldOrder, New: newOrder}
	}

	for _, n := range nd.byType[TypeTechnique] {
		o, ok := od.byID[typeKey{TypeTechnique, n.ID}]
		if !ok {
			dd.Added = append(dd.Added, refOf(n))
			continue
		}
		if o.Name != n.Name {
			dd.Renamed = append(dd.Renamed, Rename{ID: n.ID, OldName: o.Name, NewName: n.Name})
		}
		if n.Status == StatusRevoked && o.Status != StatusRevoked {
			r := Revocation{ID: n.ID, Name: n.Name, Chain: []ObjectRef{}}
			final, chain := nc.Resolve(n)
			for _, x := range chain[1:] {
				r.Chain = append(r.Chain, refOf(x))
			}
			if final != nil {
				f := refOf(final)
				r.ReplacedBy = &f
			}
			dd.Revoked = append(dd.Revoked, r)
		}
		if n.Status == StatusDeprecated && o.Status != StatusDeprecated {
			dd.Deprecated = append(dd.Deprecated, refOf(n))
		}
		if n.Status == StatusActive && o.Status == StatusActive {
			if ch, moved := tacticChange(oc, nc, dom, o, n); moved {
				dd.Moved = append(dd.Moved, ch)
			}
		}
	}
	for _, o := range od.byType[TypeTechnique] {
		if _, ok := nd.byID[typeKey{TypeTechnique, o.ID}]; !ok {
			dd.Removed = append(dd.Removed, refOf(o))
		}
	}

	for _, t := range []ObjectType{TypeGroup, TypeSoftware, TypeCampaign, TypeMitigation, TypeDataSource, TypeDataComponent,
		TypeDetectionStrategy, TypeAnalytic, TypeAsset} {
		ch := CountedChange{Type: t, Added: []string{}, Removed: []string{}}
		for _, n := range nd.byType[t] {
			if _, ok := od.byID[typeKey{t, n.ID}]; !ok {
				ch.Added = append(ch.Added, n.ID)
			}
		}
		for _, o := range od.byType[t] {
			if _, ok := nd.byID[typeKey{t, o.ID}]; !ok {
				ch.Removed = append(ch.Removed, o.ID)
			}
		}
		if len(ch.Added)+len(ch.Removed) > 0 {
			dd.Other = append(dd.Other, ch)
		}
	}
	dd.normalize()
	return dd
}

// tacticChange compares the tactics of a technique by tactic ID.
func tacticChange(oc, nc *Catalog, dom Domain, o, n *Object) (TacticChange, bool) {
	ot, nt := tacticObjects(oc, dom, o), tacticObjects(nc, dom, n)
	ch := TacticChange{ID: n.ID, Name: n.Name, Added: []TacticRef{}, Removed: []TacticRef{}}
	for _, t := range ot {
		ch.Old = append(ch.Old, tacticRef(t))
		if !hasID(nt, t.ID) {
			ch.Removed = append(ch.Removed, tacticRef(t))
		}
	}
	for _, t := range nt {
		ch.New = append(ch.New, tacticRef(t))
		if !hasID(ot, t.ID) {
			ch.Added = append(ch.Added, tacticRef(t))
		}
	}
	return ch, len(ch.Added)+len(ch.Removed) > 0
}

// normalize turns nil lists into empty ones, so JSON output always has
// lists, and sorts by ID.
func (d *DomainDiff) normalize() {
	nonNil(&d.NewTactics)
	nonNil(&d.RenamedTactics)
	nonNil(&d.RemovedTactics)
	nonNil(&d.Added)
	nonNil(&d.Removed)
	nonNil(&d.Renamed)
	nonNil(&d.Revoked)
	nonNil(&d.Deprecated)
	nonNil(&d.Moved)
	nonNil(&d.Other)
	sort.Slice(d.Moved, func(i, j int) bool { return d.Moved[i].ID < d.Moved[j].ID })
}

func nonNil[T any](s *[]T) {
	if *s == nil {
		*s = []T{}
	}
}

// tacticObjects returns the tactic objects of technique o in its catalog.
func tacticObjects(c *Catalog, d Domain, o *Object) []*Object {
	var out []*Object
	for _, s := range o.Tactics {
		if t, ok := c.TacticIn(d, s); ok {
			out = append(out, t)
		}
	}
	return out
}

func hasID(ts []*Object, id string) bool {
	for _, t := range ts {
		if t.ID == id {
			return true
		}
	}
	return false
}

// WriteDiffText writes diffs as text: one section per kind of change.
func WriteDiffText(w io.Writer, diffs []DomainDiff) {
	for i, d := range diffs {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "%s %s -> %s\n", d.Domain, d.OldRelease, d.NewRelease)
		if d.Empty() {
			fmt.Fprintln(w, "  no changes")
			continue
		}
		section := func(title string, n int) bool {
			if n > 0 {
				fmt.Fprintf(w, "  %s (%d):\n", title, n)
			}
			return n > 0
		}
		if section("new tactics", len(d.NewTactics)) {
			for _, t := range d.NewTactics {
				fmt.Fprintf(w, "    %s %s (%s)\n", t.ID, t.Name, t.Shortname)
			}
		}
		if section("renamed tactics", len(d.RenamedTactics)) {
			for _, t := range d.RenamedTactics {
				fmt.Fprintf(w, "    %s %s (%s) -> %s (%s)\n", t.ID, t.OldName, t.OldShortname, t.NewName, t.NewShortname)
			}
		}
		if section("removed tactics", len(d.RemovedTactics)) {
			for _, t := range d.RemovedTactics {
				fmt.Fprintf(w, "    %s %s (%s)\n", t.ID, t.Name, t.Shortname)
			}
		}
		if d.Reordered != nil {
			fmt.Fprintf(w, "  matrix order: %s -> %s\n", strings.Join(d.Reordered.Old, " "), strings.Join(d.Reordered.New, " "))
		}
		if section("added techniques", len(d.Added)) {
			for _, t := range d.Added {
				fmt.Fprintf(w, "    %s %s%s\n", t.ID, t.Name, statusNote(t.Status))
			}
		}
		if section("removed techniques", len(d.Removed)) {
			for _, t := range d.Removed {
				fmt.Fprintf(w, "    %s %s\n", t.ID, t.Name)
			}
		}
		if section("renamed techniques", len(d.Renamed)) {
			for _, t := range d.Renamed {
				fmt.Fprintf(w, "    %s %q -> %q\n", t.ID, t.OldName, t.NewName)
			}
		}
		if section("newly revoked techniques", len(d.Revoked)) {
			for _, r := range d.Revoked {
				use := "no live replacement"
				if r.ReplacedBy != nil {
					use = "use " + r.ReplacedBy.ID + " " + r.ReplacedBy.Name
				}
				via := ""
				if len(r.Chain) > 1 {
					var hops []string
					for _, x := range r.Chain[:len(r.Chain)-1] {
						hops = append(hops, x.ID)
					}
					via = " (via " + strings.Join(hops, " -> ") + ")"
				}
				fmt.Fprintf(w, "    %s %s: %s%s\n", r.ID, r.Name, use, via)
			}
		}
		if section("newly deprecated techniques", len(d.Deprecated)) {
			for _, t := range d.Deprecated {
				fmt.Fprintf(w, "    %s %s\n", t.ID, t.Name)
			}
		}
		if section("tactic changes", len(d.Moved)) {
			for _, m := range d.Moved {
				var parts []string
				for _, t := range m.Added {
					parts = append(parts, "+"+t.Shortname)
				}
				for _, t := range m.Removed {
					parts = append(parts, "-"+t.Shortname)
				}
				fmt.Fprintf(w, "    %s %s: %s\n", m.ID, m.Name, strings.Join(parts, " "))
			}
		}
		for _, o := range d.Other {
			fmt.Fprintf(w, "  %s: %d added, %d removed\n", o.Type, len(o.Added), len(o.Removed))
		}
	}
}

func statusNote(s Status) string {
	if s == StatusActive {
		return ""
	}
	return " [" + string(s) + "]"
}

// common returns the items of a that are also in b, in a's order.
func common(a, b []string) []string {
	in := map[string]bool{}
	for _, x := range b {
		in[x] = true
	}
	var out []string
	for _, x := range a {
		if in[x] {
			out = append(out, x)
		}
	}
	return out
}
