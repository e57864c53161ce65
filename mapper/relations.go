package mapper

import (
	"sort"
	"strings"
	"sync"
)

// RelationKind names a relationship the catalog keeps between ATT&CK
// objects, as STIX spells it.
type RelationKind string

// The relationships the catalog keeps (besides revoked-by and
// subtechnique-of, which it folds into the objects).
const (
	// RelUses: a group, campaign or software uses a technique, or a group
	// or campaign uses a piece of software.
	RelUses RelationKind = "uses"
	// RelAttributedTo: a campaign is attributed to a group.
	RelAttributedTo RelationKind = "attributed-to"
)

// Relation is one relationship between two objects of the same domain, with
// the STIX modified timestamp of the relationship.
type Relation struct {
	Kind     RelationKind
	Source   *Object
	Target   *Object
	Modified string
}

// relations holds a domain's relationships and, built on first use, their
// indexes by source and target.
type relations struct {
	all      []Relation
	once     *sync.Once
	bySource map[*Object][]*Relation
	byTarget map[*Object][]*Relation
}

func (r *relations) index() {
	if r.once == nil {
		return
	}
	r.once.Do(func() {
		r.bySource = make(map[*Object][]*Relation, len(r.all)/8)
		r.byTarget = make(map[*Object][]*Relation, len(r.all)/4)
		for i := range r.all {
			x := &r.all[i]
			r.bySource[x.Source] = append(r.bySource[x.Source], x)
			r.byTarget[x.Target] = append(r.byTarget[x.Target], x)
		}
	})
}

// setRelations installs rels (sorted for stable output) in d.
func (d *domainData) setRelations(rels []Relation) {
	sort.SliceStable(rels, func(i, j int) bool {
		a, b := rels[i], rels[j]
		if a.Source != b.Source {
			return lessObject(a.Source, b.Source)
		}
		if a.Target != b.Target {
			return lessObject(a.Target, b.Target)
		}
		return a.Kind < b.Kind
	})
	d.rels = relations{all: rels, once: &sync.Once{}}
}

func lessObject(a, b *Object) bool {
	if a.ID != b.ID {
		return a.ID < b.ID
	}
	if a.Type != b.Type {
		return a.Type < b.Type
	}
	return a.STIXID < b.STIXID
}

// relationKind maps a STIX relationship type and the types of its ends to a
// kept kind; ok is false for relationships the catalog does not keep.
func relationKind(rel string, src, dst ObjectType) (RelationKind, bool) {
	switch RelationKind(rel) {
	case RelUses:
		if (src == TypeGroup || src == TypeCampaign || src == TypeSoftware) && dst == TypeTechnique {
			return RelUses, true
		}
		if (src == TypeGroup || src == TypeCampaign) && dst == TypeSoftware {
			return RelUses, true
		}
	case RelAttributedTo:
		if src == TypeCampaign && dst == TypeGroup {
			return RelAttributedTo, true
		}
	}
	return "", false
}

// Relations returns every kept relationship of domain d, grouped by source
// in source order (within a source the order is not fixed). The slice is
// shared: do not modify it.
func (c *Catalog) Relations(d Domain) []Relation {
	if dd, ok := c.byDomain[d]; ok {
		return dd.rels.all
	}
	return nil
}

// RelationsFrom returns the relationships whose source is o, in no fixed
// order. The relations are shared: do not modify them.
func (c *Catalog) RelationsFrom(o *Object) []*Relation {
	dd, ok := c.byDomain[o.Domain]
	if !ok {
		return nil
	}
	dd.rels.index()
	return dd.rels.bySource[o]
}

// RelationsTo returns the relationships whose target is o, in no fixed
// order. The relations are shared: do not modify them.
func (c *Catalog) RelationsTo(o *Object) []*Relation {
	dd, ok := c.byDomain[o.Domain]
	if !ok {
		return nil
	}
	dd.rels.index()
	return dd.rels.byTarget[o]
}

// Find returns the objects of type t that s names: its ATT&CK ID (as Get
// takes it), else its name or one of its aliases, in any case and spacing
// ("Cozy Bear", "cozy bear", "APT29"). An ID gives one object; a name can
// give several (an alias two groups share), one per ID (a group in several
// domains is taken from the first, active domains first), by ID, live
// objects before revoked and deprecated ones.
func (c *Catalog) Find(t ObjectType, s string) []*Object {
	if o, ok := c.Get(t, s); ok {
		return []*Object{o}
	}
	key := foldAlias(s)
	if key == "" {
		return nil
	}
	var out []*Object
	seen := map[string]bool{} // one object per ID: groups are in several domains
	for _, d := range c.domains {
		var hits []*Object
		for _, o := range d.byType[t] {
			if seen[o.ID] {
				continue
			}
			if foldAlias(o.Name) == key {
				hits = append(hits, o)
				continue
			}
			for _, a := range o.Aliases {
				if foldAlias(a) == key {
					hits = append(hits, o)
					break
				}
			}
		}
		sort.SliceStable(hits, func(i, j int) bool { return statusRank(hits[i].Status) < statusRank(hits[j].Status) })
		for _, h := range hits {
			seen[h.ID] = true
		}
		out = append(out, hits...)
	}
	return out
}

// foldAlias folds a name for comparison: lower case, runs of spaces,
// hyphens and underscores as one space.
func foldAlias(s string) string {
	f := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return r == ' ' || r == '-' || r == '_' || r == '\t'
	})
	return strings.Join(f, " ")
}

// viewRelations adds o's aliases and relations to v.
func (c *Catalog) viewRelations(o *Object, v *ObjectView) {
	switch o.Type {
	case TypeGroup, TypeCampaign, TypeSoftware:
	case TypeTechnique:
		var n UsedByCount
		seen := map[*Object]bool{}
		for _, r := range c.RelationsTo(o) {
			if r.Kind != RelUses || r.Source.Status != StatusActive || seen[r.Source] {
				continue
			}
			seen[r.Source] = true
			switch r.Source.Type {
			case TypeGroup:
				n.Groups++
			case TypeCampaign:
				n.Campaigns++
			case TypeSoftware:
				n.Software++
			}
		}
		if n != (UsedByCount{}) {
			v.UsedBy = &n
		}
		return
	default:
		return
	}
	v.Aliases = o.Aliases
	for _, r := range c.RelationsFrom(o) {
		switch {
		case r.Kind == RelUses && r.Target.Type == TypeTechnique:
			v.Uses = append(v.Uses, refOf(r.Target))
		case r.Kind == RelUses && r.Target.Type == TypeSoftware:
			v.UsesSoftware = append(v.UsesSoftware, refOf(r.Target))
		case r.Kind == RelAttributedTo:
			v.AttributedTo = append(v.AttributedTo, refOf(r.Target))
		}
	}
	if o.Type == TypeGroup {
		for _, r := range c.RelationsTo(o) {
			if r.Kind == RelAttributedTo {
				v.Campaigns = append(v.Campaigns, refOf(r.Source))
			}
		}
	}
	for _, refs := range [][]ObjectRef{v.Uses, v.UsesSoftware, v.AttributedTo, v.Campaigns} {
		sort.Slice(refs, func(i, j int) bool { return refs[i].ID < refs[j].ID })
	}
}
