package suggest

import (
	"slices"
	"sort"
	"strings"

	"github.com/huntlint/huntlint/mapper"
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

// index is the part of the catalog the suggester uses.
type index struct {
	techs   map[string]*technique // by upper-case ID
	live    []*technique          // suggestible techniques, sorted by ID
	cat     *mapper.Catalog       // resolves technique IDs (resolve) and tactics (tactic)
	domains []mapper.Domain       // the domains read: the active ones, else enterprise
}

// indexFromCatalog reads the techniques and tactics of the catalog's active
// domains (enterprise when none is active).
func indexFromCatalog(cat *mapper.Catalog) *index {
	ix := &index{techs: map[string]*technique{}, cat: cat, domains: cat.Active()}
	if len(ix.domains) == 0 {
		ix.domains = []mapper.Domain{mapper.Enterprise}
	}
	for _, d := range ix.domains {
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

// tactic finds the live tactic of the index's domains that s names, read
// as lint reads tactic values (mapper.Catalog.CurrentTactic): by ID,
// shortname or name with or without "attack.", spaces, case and punctuation
// aside ("TA0005", "defense_evasion", "Defense Evasion", "DefenseEvasion"),
// also by a name it had before a rename; nil otherwise.
func (ix *index) tactic(s string) *mapper.Object {
	if ix.cat == nil {
		return nil
	}
	o, _, ok := ix.cat.CurrentTactic(s)
	if !ok || !slices.Contains(ix.domains, o.Domain) || !slices.Contains(ix.cat.Tactics(o.Domain), o) {
		return nil
	}
	return o
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
