package mapper

import (
	"sort"
	"strings"
)

// DomainDiff lists what changed in one domain between two catalogs.
//
// Objects are followed by STIX id, then by ATT&CK ID (an object whose STIX
// id changed, as software moving between "tool" and "malware", is still the
// same object), so an object that gains an ATT&CK ID (data components in
// ATT&CK 18) or gets another one is not counted as removed and added.
// Objects stands for every object kind; the technique and tactic fields
// repeat its technique and tactic parts in their own shapes. Tactic
// membership is compared by tactic ID, so renaming a tactic does not count
// as moving its techniques.
type DomainDiff struct {
	Domain     Domain `json:"domain"`
	OldRelease string `json:"old_release"`
	NewRelease string `json:"new_release"`

	NewTactics     []TacticRef     `json:"new_tactics"`                 // tactics new in NEW
	RenamedTactics []TacticRename  `json:"renamed_tactics"`             // same tactic, new shortname or name
	RemovedTactics []TacticRef     `json:"removed_tactics"`             // tactics gone from NEW
	Reordered      *TacticReorder  `json:"reordered_tactics,omitempty"` // tactics in both matrices in another order
	Added          []ObjectRef     `json:"added"`                       // techniques new in NEW
	Removed        []ObjectRef     `json:"removed"`                     // techniques gone from NEW
	Renamed        []Rename        `json:"renamed"`                     // techniques with a new name
	Revoked        []Revocation    `json:"revoked"`                     // techniques revoked in NEW, not in OLD
	Deprecated     []ObjectRef     `json:"deprecated"`                  // techniques deprecated in NEW, not in OLD
	Moved          []TacticChange  `json:"moved"`                       // techniques live in both whose tactics changed
	Other          []CountedChange `json:"other"`                       // added/removed IDs of other object types
	// Objects classifies every object kind, in KindOrder; every kind is
	// listed, changed or not.
	Objects []KindDiff `json:"objects"`
}

// KindOrder is the order of object kinds in DomainDiff.Objects and in the
// text output.
var KindOrder = []ObjectType{TypeTactic, TypeTechnique, TypeGroup, TypeSoftware, TypeCampaign, TypeMitigation,
	TypeDataSource, TypeDataComponent, TypeDetectionStrategy, TypeAnalytic, TypeAsset}

// KindDiff classifies the objects of one kind between two releases. Every
// object of the kind in either release is in at most one of Added and
// Removed, or is followed from OLD to NEW, where it may be renamed,
// renumbered, numbered, reparented and change state (revoked, deprecated,
// reactivated) at once.
type KindDiff struct {
	Type ObjectType `json:"type"`
	Old  KindCounts `json:"old"`
	New  KindCounts `json:"new"`

	Added   []ObjectRef  `json:"added"`   // only in NEW (any state; ID empty when it has none)
	Removed []ObjectRef  `json:"removed"` // only in OLD
	Renamed []NameChange `json:"renamed"` // another name (tactics: or shortname)
	// Numbered are objects without an ATT&CK ID in OLD that have one in
	// NEW (data components in ATT&CK 18): the same objects, not new ones.
	Numbered   []ObjectRef    `json:"numbered"`
	Renumbered []Renumbering  `json:"renumbered"` // another ATT&CK ID (new ID empty: lost it)
	Reparented []ParentChange `json:"reparented"` // techniques: another parent, or became or stopped being a sub-technique
	Revoked    []Revocation   `json:"revoked"`    // revoked in NEW, not in OLD, with the replacement
	Deprecated []StatusChange `json:"deprecated"` // deprecated in NEW, not in OLD
	// Reactivated are objects deprecated or revoked in OLD and active in NEW.
	Reactivated []StatusChange `json:"reactivated"`
}

// KindCounts counts the objects of one kind in one release by state;
// Unnumbered counts those without an ATT&CK ID (included in the states).
type KindCounts struct {
	Total         int `json:"total"`
	Active        int `json:"active"`
	Deprecated    int `json:"deprecated"`
	Revoked       int `json:"revoked"`
	Unnumbered    int `json:"unnumbered"`
	Subtechniques int `json:"subtechniques,omitempty"` // techniques only, any state
}

// Rename is an object whose name changed.
type Rename struct {
	ID      string `json:"id"`
	OldName string `json:"old_name"`
	NewName string `json:"new_name"`
}

// NameChange is an object of DomainDiff.Objects whose name (or, for a
// tactic, shortname) changed.
type NameChange struct {
	ID           string `json:"id"`
	OldName      string `json:"old_name"`
	NewName      string `json:"new_name"`
	OldShortname string `json:"old_shortname,omitempty"` // tactics
	NewShortname string `json:"new_shortname,omitempty"` // tactics
}

// Renumbering is an object whose ATT&CK ID changed.
type Renumbering struct {
	OldID string `json:"old_id"`
	NewID string `json:"new_id"`
	Name  string `json:"name"`
}

// ParentChange is a technique whose parent changed; an empty parent means
// a top-level technique.
type ParentChange struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	OldParent string `json:"old_parent"`
	NewParent string `json:"new_parent"`
}

// StatusChange is an object whose state changed.
type StatusChange struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	OldStatus Status `json:"old_status"`
	NewStatus Status `json:"new_status"`
}

// Revocation is an object newly revoked, with its replacement chain in NEW.
type Revocation struct {
	ID         string      `json:"id"`
	Name       string      `json:"name"`
	Chain      []ObjectRef `json:"chain"`                 // replacements after ID, in order
	ReplacedBy *ObjectRef  `json:"replaced_by,omitempty"` // live end of the chain
	OldStatus  Status      `json:"old_status,omitempty"`  // its state in OLD
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

// CountedChange lists the ATT&CK IDs of added and removed objects of a
// type other than technique and tactic (the IDs of DomainDiff.Objects'
// Added and Removed; objects without an ATT&CK ID are left out).
type CountedChange struct {
	Type    ObjectType `json:"type"`
	Added   []string   `json:"added"`
	Removed []string   `json:"removed"`
}

// Changes counts the objects that changed in any way.
func (k *KindDiff) Changes() int {
	return len(k.Added) + len(k.Removed) + len(k.Renamed) + len(k.Numbered) + len(k.Renumbered) + len(k.Reparented) +
		len(k.Revoked) + len(k.Deprecated) + len(k.Reactivated)
}

// Kind returns the classification of object kind t.
func (d *DomainDiff) Kind(t ObjectType) *KindDiff {
	for i := range d.Objects {
		if d.Objects[i].Type == t {
			return &d.Objects[i]
		}
	}
	return nil
}

// Empty reports whether nothing changed.
func (d *DomainDiff) Empty() bool {
	n := len(d.Added) + len(d.Removed) + len(d.Renamed) + len(d.Revoked) + len(d.Deprecated) + len(d.Moved) +
		len(d.NewTactics) + len(d.RemovedTactics) + len(d.RenamedTactics) + len(d.Other)
	for i := range d.Objects {
		n += d.Objects[i].Changes()
	}
	return n == 0 && d.Reordered == nil
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

// pair is one object followed from OLD (o) to NEW (n).
type pair struct{ o, n *Object }

// matching follows the objects of one kind from OLD to NEW.
type matching struct {
	pairs          []pair // in NEW's order (by ID)
	added, removed []*Object
}

// kindObjects returns the objects of type t of a domain, with an ATT&CK ID
// (sorted by ID) and then without.
func kindObjects(d *domainData, t ObjectType) []*Object {
	out := append([]*Object(nil), d.byType[t]...)
	for _, o := range d.unnumbered {
		if o.Type == t {
			out = append(out, o)
		}
	}
	return out
}

// match pairs objects by STIX id, then the rest by ATT&CK ID.
func match(olds, news []*Object) matching {
	var m matching
	byStix := map[string]*Object{}
	for _, o := range olds {
		if o.STIXID != "" {
			if _, dup := byStix[o.STIXID]; !dup {
				byStix[o.STIXID] = o
			}
		}
	}
	used := map[*Object]bool{}
	paired := map[*Object]*Object{}
	for _, n := range news {
		if o, ok := byStix[n.STIXID]; ok && n.STIXID != "" && !used[o] {
			used[o] = true
			paired[n] = o
		}
	}
	byID := map[string][]*Object{}
	for _, o := range olds {
		if !used[o] && o.ID != "" {
			byID[o.ID] = append(byID[o.ID], o)
		}
	}
	for _, n := range news {
		if _, ok := paired[n]; ok || n.ID == "" {
			continue
		}
		for _, o := range byID[n.ID] {
			if !used[o] {
				used[o] = true
				paired[n] = o
				break
			}
		}
	}
	for _, n := range news {
		if o, ok := paired[n]; ok {
			m.pairs = append(m.pairs, pair{o, n})
		} else {
			m.added = append(m.added, n)
		}
	}
	for _, o := range olds {
		if !used[o] {
			m.removed = append(m.removed, o)
		}
	}
	return m
}

func countKind(t ObjectType, objs []*Object) KindCounts {
	c := KindCounts{Total: len(objs)}
	for _, o := range objs {
		switch o.Status {
		case StatusActive:
			c.Active++
		case StatusDeprecated:
			c.Deprecated++
		case StatusRevoked:
			c.Revoked++
		}
		if o.ID == "" {
			c.Unnumbered++
		}
		if t == TypeTechnique && o.IsSubtechnique() {
			c.Subtechniques++
		}
	}
	return c
}

// revocation describes n, revoked in NEW, with its chain in nc.
func revocation(nc *Catalog, o, n *Object) Revocation {
	r := Revocation{ID: n.ID, Name: n.Name, Chain: []ObjectRef{}}
	if o != nil {
		r.OldStatus = o.Status
	}
	final, chain := nc.Resolve(n)
	for _, x := range chain[1:] {
		r.Chain = append(r.Chain, refOf(x))
	}
	if final != nil {
		f := refOf(final)
		r.ReplacedBy = &f
	}
	return r
}

// diffKind classifies the objects of kind t; m is their matching.
func diffKind(nc *Catalog, t ObjectType, olds, news []*Object, m matching) KindDiff {
	k := KindDiff{Type: t, Old: countKind(t, olds), New: countKind(t, news)}
	for _, n := range m.added {
		k.Added = append(k.Added, refOf(n))
	}
	for _, o := range m.removed {
		k.Removed = append(k.Removed, refOf(o))
	}
	for _, p := range m.pairs {
		o, n := p.o, p.n
		if o.Name != n.Name || (t == TypeTactic && o.Shortname != n.Shortname) {
			r := NameChange{ID: n.ID, OldName: o.Name, NewName: n.Name}
			if t == TypeTactic {
				r.OldShortname, r.NewShortname = o.Shortname, n.Shortname
			}
			k.Renamed = append(k.Renamed, r)
		}
		switch {
		case o.ID == "" && n.ID != "":
			k.Numbered = append(k.Numbered, refOf(n))
		case o.ID != n.ID:
			k.Renumbered = append(k.Renumbered, Renumbering{OldID: o.ID, NewID: n.ID, Name: n.Name})
		}
		if t == TypeTechnique && o.Parent != n.Parent {
			k.Reparented = append(k.Reparented, ParentChange{ID: n.ID, Name: n.Name, OldParent: o.Parent, NewParent: n.Parent})
		}
		if o.Status == n.Status {
			continue
		}
		sc := StatusChange{ID: n.ID, Name: n.Name, OldStatus: o.Status, NewStatus: n.Status}
		switch n.Status {
		case StatusRevoked:
			k.Revoked = append(k.Revoked, revocation(nc, o, n))
		case StatusDeprecated:
			k.Deprecated = append(k.Deprecated, sc)
		case StatusActive:
			k.Reactivated = append(k.Reactivated, sc)
		}
	}
	k.normalize()
	return k
}

func diffDomain(oc, nc *Catalog, od, nd *domainData) DomainDiff {
	dd := DomainDiff{Domain: od.rel.Domain, OldRelease: od.rel.Version, NewRelease: nd.rel.Version}
	dom := od.rel.Domain

	matches := map[ObjectType]matching{}
	for _, t := range KindOrder {
		olds, news := kindObjects(od, t), kindObjects(nd, t)
		m := match(olds, news)
		matches[t] = m
		dd.Objects = append(dd.Objects, diffKind(nc, t, olds, news, m))
	}

	tm := matches[TypeTactic]
	for _, t := range tm.added {
		dd.NewTactics = append(dd.NewTactics, tacticRef(t))
	}
	for _, p := range tm.pairs {
		if p.o.Shortname != p.n.Shortname || p.o.Name != p.n.Name {
			dd.RenamedTactics = append(dd.RenamedTactics, TacticRename{ID: p.n.ID, OldShortname: p.o.Shortname,
				NewShortname: p.n.Shortname, OldName: p.o.Name, NewName: p.n.Name})
		}
	}
	for _, t := range tm.removed {
		dd.RemovedTactics = append(dd.RemovedTactics, tacticRef(t))
	}
	// Reordered: the tactics in both matrices stand in another order
	// (adding or removing a tactic alone is not a reorder).
	oldOrder, newOrder := objectIDs(od.tactics), objectIDs(nd.tactics)
	if strings.Join(common(oldOrder, newOrder), ",") != strings.Join(common(newOrder, oldOrder), ",") {
		dd.Reordered = &TacticReorder{Old: oldOrder, New: newOrder}
	}

	tk := dd.Kind(TypeTechnique)
	dd.Added = append(dd.Added, tk.Added...)
	dd.Removed = append(dd.Removed, tk.Removed...)
	for _, r := range tk.Renamed {
		dd.Renamed = append(dd.Renamed, Rename{ID: r.ID, OldName: r.OldName, NewName: r.NewName})
	}
	dd.Revoked = append(dd.Revoked, tk.Revoked...)
	for _, s := range tk.Deprecated {
		dd.Deprecated = append(dd.Deprecated, ObjectRef{ID: s.ID, Name: s.Name, Status: s.NewStatus})
	}
	for _, p := range matches[TypeTechnique].pairs {
		if p.n.Status == StatusActive && p.o.Status == StatusActive {
			if ch, moved := tacticChange(oc, nc, dom, p.o, p.n); moved {
				dd.Moved = append(dd.Moved, ch)
			}
		}
	}

	for _, k := range dd.Objects {
		if k.Type == TypeTechnique || k.Type == TypeTactic {
			continue
		}
		ch := CountedChange{Type: k.Type, Added: []string{}, Removed: []string{}}
		for _, r := range k.Added {
			if r.ID != "" {
				ch.Added = append(ch.Added, r.ID)
			}
		}
		for _, r := range k.Removed {
			if r.ID != "" {
				ch.Removed = append(ch.Removed, r.ID)
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
	nonNil(&d.Objects)
	sort.Slice(d.Moved, func(i, j int) bool { return d.Moved[i].ID < d.Moved[j].ID })
}

// normalize turns nil lists into empty ones and sorts them by ID (then
// name, for objects without an ID).
func (k *KindDiff) normalize() {
	nonNil(&k.Added)
	nonNil(&k.Removed)
	nonNil(&k.Renamed)
	nonNil(&k.Numbered)
	nonNil(&k.Renumbered)
	nonNil(&k.Reparented)
	nonNil(&k.Revoked)
	nonNil(&k.Deprecated)
	nonNil(&k.Reactivated)
	byRef := func(s []ObjectRef) {
		sort.SliceStable(s, func(i, j int) bool { return lessIDName(s[i].ID, s[i].Name, s[j].ID, s[j].Name) })
	}
	byRef(k.Added)
	byRef(k.Removed)
	byRef(k.Numbered)
	sort.SliceStable(k.Renamed, func(i, j int) bool {
		return lessIDName(k.Renamed[i].ID, k.Renamed[i].NewName, k.Renamed[j].ID, k.Renamed[j].NewName)
	})
	sort.SliceStable(k.Renumbered, func(i, j int) bool {
		return lessIDName(k.Renumbered[i].NewID, k.Renumbered[i].Name, k.Renumbered[j].NewID, k.Renumbered[j].Name)
	})
	sort.SliceStable(k.Reparented, func(i, j int) bool { return k.Reparented[i].ID < k.Reparented[j].ID })
	sort.SliceStable(k.Revoked, func(i, j int) bool {
		return lessIDName(k.Revoked[i].ID, k.Revoked[i].Name, k.Revoked[j].ID, k.Revoked[j].Name)
	})
	for _, s := range [][]StatusChange{k.Deprecated, k.Reactivated} {
		sort.SliceStable(s, func(i, j int) bool { return lessIDName(s[i].ID, s[i].Name, s[j].ID, s[j].Name) })
	}
}

// lessIDName orders by ID, objects without one last, then by name.
func lessIDName(id1, name1, id2, name2 string) bool {
	if (id1 == "") != (id2 == "") {
		return id2 == ""
	}
	if id1 != id2 {
		return id1 < id2
	}
	return name1 < name2
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
