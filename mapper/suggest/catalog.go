package suggest

import (
	"sort"
	"strings"

	"github.com/huntlint/huntlint/mapper"
	"github.com/huntlint/huntlint/mapper/attackid"
)

// technique is what the suggester needs to know of one ATT&CK technique.
type technique struct {
	ID      string
	Name    string
	Parent  string
	Tactics []string // tactic shortnames, matrix order
	Dead    bool     // revoked or deprecated: never suggested
	Text    string   // MITRE's texts about the technique, when the catalog has them
}

// tactic is one tactic of the active domain.
type tactic struct {
	ID        string
	Shortname string
	Name      string
}

// index is the part of the catalog the suggester uses.
type index struct {
	techs   map[string]*technique // by upper-case ID
	tactics map[string]*tactic    // by shortname
	live    []*technique          // suggestible techniques, sorted by ID
	cat     *mapper.Catalog       // resolves technique IDs (resolve)
	// current, when set, finds the tactic a name stands for today, also by
	// a former name (mapper.Catalog.CurrentTactic)
	current func(string) (shortname string, ok bool)
}

// indexFromCatalog reads the techniques and tactics of the catalog's active
// domains (enterprise when none is active).
func indexFromCatalog(cat *mapper.Catalog) *index {
	ix := &index{techs: map[string]*technique{}, tactics: map[string]*tactic{}, cat: cat}
	ix.current = func(s string) (string, bool) {
		if o, former, ok := cat.CurrentTactic(s); ok && former != nil {
			return o.Shortname, true
		}
		return "", false
	}
	domains := cat.Active()
	if len(domains) == 0 {
		domains = []mapper.Domain{mapper.Enterprise}
	}
	for _, d := range domains {
		for _, o := range cat.Tactics(d) {
			if _, ok := ix.tactics[o.Shortname]; !ok {
				ix.tactics[o.Shortname] = &tactic{ID: o.ID, Shortname: o.Shortname, Name: o.Name}
			}
		}
		for _, o := range cat.Objects(d, mapper.TypeTechnique) {
			if _, ok := ix.techs[o.ID]; ok {
				continue
			}
			ix.add(&technique{
				ID: o.ID, Name: o.Name, Parent: o.Parent, Tactics: o.Tactics,
				Dead: o.Status != mapper.StatusActive,
				Text: mitreText(cat, o),
			})
		}
	}
	ix.finish()
	return ix
}

func (ix *index) add(t *technique) { ix.techs[strings.ToUpper(t.ID)] = t }

func (ix *index) finish() {
	ix.live = ix.live[:0]
	for _, t := range ix.techs {
		if !t.Dead {
			ix.live = append(ix.live, t)
		}
	}
	sort.Slice(ix.live, func(i, j int) bool { return ix.live[i].ID < ix.live[j].ID })
}

// resolve turns a technique ID as written into the live technique it stands
// for, by the catalog's lookup (mapper.Catalog.Get) and revocations
// (mapper.Catalog.Resolve); nil when unknown, deprecated, unresolvable or
// not in the index's domains.
func (ix *index) resolve(id string) *technique {
	o, ok := ix.cat.Get(mapper.TypeTechnique, id)
	if !ok {
		return nil
	}
	final, _ := ix.cat.Resolve(o)
	if final == nil {
		return nil
	}
	if t := ix.techs[final.ID]; t != nil && !t.Dead {
		return t
	}
	return nil
}

// tactic finds a tactic by ID, shortname or name in any spelling
// ("TA0005", "defense_evasion", "Defense Evasion", "DefenseEvasion").
func (ix *index) tactic(s string) *tactic {
	v, _ := attackid.CutTagPrefix(s)
	f := foldTactic(strings.ToLower(v))
	for _, t := range ix.tactics {
		if f == foldTactic(t.Shortname) || f == foldTactic(t.Name) || strings.EqualFold(s, t.ID) {
			return t
		}
	}
	if ix.current != nil {
		if sn, ok := ix.current(s); ok {
			return ix.tactics[sn]
		}
	}
	return nil
}

// parentOf returns the parent technique ID of id, or id itself.
func parentOf(id string) string {
	if i := strings.IndexByte(id, '.'); i >= 0 {
		return id[:i]
	}
	return id
}

// mitreText returns MITRE's texts about technique o when the catalog has
// them (loaded from a full STIX bundle): its description, and the names of
// the detection strategies that detect it with their analytics'
// descriptions and log sources.
func mitreText(cat *mapper.Catalog, o *mapper.Object) string {
	parts := []string{o.Description}
	for _, id := range o.DetectedBy {
		det, ok := cat.Get(mapper.TypeDetectionStrategy, id)
		if !ok {
			continue
		}
		parts = append(parts, det.Name)
		for _, aid := range det.Analytics {
			if a, ok := cat.Get(mapper.TypeAnalytic, aid); ok {
				parts = append(parts, a.Description)
				parts = append(parts, a.LogSources...)
			}
		}
	}
	return strings.TrimSpace(strings.Join(parts, "\n"))
}
