// Package gaps compares what chosen adversaries do with what rules detect:
// the techniques that groups, campaigns and software use (the catalog's uses
// relationships), whether a rule covers each, and which uncovered ones come
// first.
package gaps

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/huntlint/huntlint/mapper"
	"github.com/huntlint/huntlint/mapper/layer"
)

// Selection chooses the threats.
type Selection struct {
	Groups    []string // ID, name or alias of groups
	Campaigns []string // of campaigns
	Software  []string // of software
	// Any are threats of any of the three types (groups first, then
	// campaigns, then software), as `layer --threat` takes them.
	Any []string
	// TopUsed adds the N techniques used by the most groups as one threat.
	TopUsed int
	// IncludeSoftware counts the techniques of the software a group or
	// campaign uses; IncludeCampaigns those of the campaigns attributed to
	// a group.
	IncludeSoftware  bool
	IncludeCampaigns bool
	// Since keeps only relationships modified on or after this day
	// (YYYY-MM-DD); empty keeps all.
	Since string
}

// Empty reports whether s selects no threat.
func (s Selection) Empty() bool {
	return len(s.Groups)+len(s.Campaigns)+len(s.Software)+len(s.Any) == 0 && s.TopUsed <= 0
}

// ParseSince checks a --since value: a day (2024-01-31) or an RFC 3339 time,
// returned as the day.
func ParseSince(s string) (string, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t.Format("2006-01-02"), nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC().Format("2006-01-02"), nil
	}
	return "", fmt.Errorf("invalid --since %q: use a date such as 2024-01-31", s)
}

// TopUsedType is the Type of the threat that --top-used adds.
const TopUsedType = "top-used"

// Threat is one selected adversary: a group, a campaign, a piece of
// software, or the top-used techniques.
type Threat struct {
	ID     string         `json:"id"`
	Name   string         `json:"name"`
	Type   string         `json:"type"`
	Object *mapper.Object `json:"-"` // nil for top-used
}

// Label is "G0016 APT29".
func (t Threat) Label() string { return t.ID + " " + t.Name }

// Technique is one technique the selected threats use.
type Technique struct {
	Technique *mapper.Object
	Name      string   // full name ("Command and Scripting Interpreter: PowerShell")
	Tactics   []string // tactic shortnames in matrix order
	UsedBy    []string // IDs of the threats that use it, in threat order
	Covered   bool
	// Rules are the rules that name the technique or one of its
	// sub-techniques (revoked tags counted under their replacement).
	Rules []*layer.RuleInfo
	Rank  int // 1-based: most threats first, then matrix order
	order [2]int
}

// Summary counts the used and covered techniques.
type Summary struct {
	Used    int     `json:"used"`
	Covered int     `json:"covered"`
	Percent float64 `json:"percent"` // covered / used, 100 when nothing is used
}

// Report is the comparison of threats and coverage.
type Report struct {
	Releases   []mapper.Release
	Threats    []Threat
	Techniques []*Technique // by rank
	Summary    Summary
	Coverage   *layer.Coverage
	Selection  Selection
	// Dropped are the technique IDs used by the threats that the report
	// leaves out: deprecated ones, and revoked ones without a live
	// replacement.
	Dropped []string
}

// ResolveThreats finds the threats of sel in cat. A name or alias shared by
// several objects, or one that names none, is an error that says so.
func ResolveThreats(cat *mapper.Catalog, sel Selection) ([]Threat, error) {
	var out []Threat
	seen := map[*mapper.Object]bool{}
	add := func(o *mapper.Object) {
		if final, _ := cat.Resolve(o); final != nil {
			o = final // a revoked group counts as its replacement
		}
		if !seen[o] {
			seen[o] = true
			out = append(out, Threat{ID: o.ID, Name: o.Name, Type: string(o.Type), Object: o})
		}
	}
	find := func(types []mapper.ObjectType, flag, s string) error {
		var hits []*mapper.Object
		for _, t := range types {
			if hits = cat.Find(t, s); len(hits) > 0 {
				break
			}
		}
		switch {
		case len(hits) == 0:
			kinds := string(types[0])
			if len(types) > 1 {
				kinds = "group, campaign or software"
			}
			return fmt.Errorf("%s %q: no %s has this ID, name or alias; look it up with 'huntlint catalog search \"%s\"'", flag, s, kinds, s)
		case len(hits) > 1 && hits[0].Status == hits[1].Status:
			var names []string
			for _, h := range hits {
				names = append(names, h.ID+" "+h.Name)
			}
			return fmt.Errorf("%s %q names %d objects (%s): give the ID", flag, s, len(hits), strings.Join(names, ", "))
		}
		add(hits[0])
		return nil
	}
	lists := []struct {
		flag  string
		types []mapper.ObjectType
		vals  []string
	}{
		{"--group", []mapper.ObjectType{mapper.TypeGroup}, sel.Groups},
		{"--campaign", []mapper.ObjectType{mapper.TypeCampaign}, sel.Campaigns},
		{"--software", []mapper.ObjectType{mapper.TypeSoftware}, sel.Software},
		{"--threat", []mapper.ObjectType{mapper.TypeGroup, mapper.TypeCampaign, mapper.TypeSoftware}, sel.Any},
	}
	for _, l := range lists {
		for _, v := range l.vals {
			if strings.TrimSpace(v) == "" {
				return nil, fmt.Errorf("%s: empty value; give an ID, name or alias", l.flag)
			}
			if err := find(l.types, l.flag, v); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// since reports whether relation r passes the Since filter.
func (s Selection) since(r *mapper.Relation) bool {
	return s.Since == "" || r.Modified >= s.Since || strings.HasPrefix(r.Modified, s.Since)
}

// Build compares the threats of sel with cov, a coverage Aggregate built
// from the rules with the filters wanted (no rollup and no tactic filter:
// gaps judges sub-techniques itself).
func Build(cat *mapper.Catalog, cov *layer.Coverage, sel Selection) (*Report, error) {
	threats, err := ResolveThreats(cat, sel)
	if err != nil {
		return nil, err
	}
	// A catalog without relations (a slim bundle, a cache written before
	// huntlint kept them) would make every threat look harmless.
	var domains []mapper.Domain
	for _, th := range threats {
		domains = append(domains, th.Object.Domain)
	}
	if sel.TopUsed > 0 {
		domains = append(domains, cat.Active()...)
	}
	for _, d := range domains {
		if len(cat.Relations(d)) == 0 {
			rel, _ := cat.Release(d)
			where := rel.Source
			if rel.Path != "" {
				where += " " + rel.Path
			}
			return nil, fmt.Errorf("the %s %s catalog (%s) holds no uses relationships, so no threat's techniques are known: run 'huntlint catalog update', or use --offline or --catalog with a full STIX bundle", d, rel.Version, where)
		}
	}
	rep := &Report{Releases: cat.Releases(), Coverage: cov, Selection: sel}
	used := map[*mapper.Object]*Technique{}
	dropped := map[string]bool{}
	use := func(th Threat, t *mapper.Object) {
		final, _ := cat.Resolve(t)
		if final == nil || final.Status != mapper.StatusActive || final.Type != mapper.TypeTechnique {
			dropped[t.ID] = true
			return
		}
		u := used[final]
		if u == nil {
			u = &Technique{Technique: final}
			used[final] = u
		}
		if len(u.UsedBy) == 0 || u.UsedBy[len(u.UsedBy)-1] != th.ID {
			u.UsedBy = append(u.UsedBy, th.ID)
		}
	}
	for _, th := range threats {
		for _, t := range techniquesOf(cat, th.Object, sel) {
			use(th, t)
		}
	}
	if sel.TopUsed > 0 {
		top := topUsed(cat, sel)
		if len(top) > sel.TopUsed {
			top = top[:sel.TopUsed]
		}
		th := Threat{ID: TopUsedType, Name: fmt.Sprintf("the %d techniques used by the most groups", sel.TopUsed), Type: TopUsedType}
		threats = append(threats, th)
		for _, t := range top {
			use(th, t)
		}
	}
	rep.Threats = threats
	// UsedBy in threat order.
	pos := map[string]int{}
	for i, th := range threats {
		pos[th.ID] = i
	}
	for _, u := range used {
		sort.SliceStable(u.UsedBy, func(i, j int) bool { return pos[u.UsedBy[i]] < pos[u.UsedBy[j]] })
		u.Name = cat.FullName(u.Technique)
		u.Tactics = u.Technique.Tactics
		u.order = matrixOrder(cat, u.Technique)
		u.Rules = coveringRules(cat, cov, u.Technique)
		u.Covered = len(u.Rules) > 0
		rep.Techniques = append(rep.Techniques, u)
	}
	sort.Slice(rep.Techniques, func(i, j int) bool {
		a, b := rep.Techniques[i], rep.Techniques[j]
		if len(a.UsedBy) != len(b.UsedBy) {
			return len(a.UsedBy) > len(b.UsedBy)
		}
		return lessOrder(a, b)
	})
	for i, u := range rep.Techniques {
		u.Rank = i + 1
		rep.Summary.Used++
		if u.Covered {
			rep.Summary.Covered++
		}
	}
	rep.Summary.Percent = 100
	if rep.Summary.Used > 0 {
		rep.Summary.Percent = float64(int(float64(rep.Summary.Covered)*1000/float64(rep.Summary.Used)+0.5)) / 10
	}
	for id := range dropped {
		rep.Dropped = append(rep.Dropped, id)
	}
	sort.Strings(rep.Dropped)
	return rep, nil
}

// techniquesOf returns the techniques threat o uses, as the catalog's
// relationships say (unresolved; in no particular order, with repeats).
func techniquesOf(cat *mapper.Catalog, o *mapper.Object, sel Selection) []*mapper.Object {
	var out []*mapper.Object
	var walk func(o *mapper.Object, software, campaigns bool)
	walk = func(o *mapper.Object, software, campaigns bool) {
		for _, r := range cat.RelationsFrom(o) {
			if r.Kind != mapper.RelUses || !sel.since(r) {
				continue
			}
			switch r.Target.Type {
			case mapper.TypeTechnique:
				out = append(out, r.Target)
			case mapper.TypeSoftware:
				if software {
					walk(r.Target, false, false)
				}
			}
		}
		if campaigns && o.Type == mapper.TypeGroup {
			for _, r := range cat.RelationsTo(o) {
				if r.Kind == mapper.RelAttributedTo && r.Source.Type == mapper.TypeCampaign && sel.since(r) {
					walk(r.Source, software, false)
				}
			}
		}
	}
	walk(o, sel.IncludeSoftware, sel.IncludeCampaigns)
	return out
}

// topUsed returns the live techniques of the active domains used by at
// least one live group, by the number of such groups (direct uses
// relationships), then matrix order.
func topUsed(cat *mapper.Catalog, sel Selection) []*mapper.Object {
	count := map[*mapper.Object]map[*mapper.Object]bool{}
	for _, d := range cat.Active() {
		for _, g := range cat.Objects(d, mapper.TypeGroup) {
			if g.Status != mapper.StatusActive {
				continue
			}
			for _, r := range cat.RelationsFrom(g) {
				if r.Kind != mapper.RelUses || r.Target.Type != mapper.TypeTechnique || !sel.since(r) {
					continue
				}
				final, _ := cat.Resolve(r.Target)
				if final == nil || final.Status != mapper.StatusActive {
					continue
				}
				if count[final] == nil {
					count[final] = map[*mapper.Object]bool{}
				}
				count[final][g] = true
			}
		}
	}
	var out []*Technique
	for t := range count {
		out = append(out, &Technique{Technique: t, order: matrixOrder(cat, t)})
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if na, nb := len(count[a.Technique]), len(count[b.Technique]); na != nb {
			return na > nb
		}
		return lessOrder(a, b)
	})
	objs := make([]*mapper.Object, len(out))
	for i, t := range out {
		objs[i] = t.Technique
	}
	return objs
}

// matrixOrder is the position of t's first tactic in its matrix, then 0
// for a technique and 1 for a sub-technique (a parent before its subs).
func matrixOrder(cat *mapper.Catalog, t *mapper.Object) [2]int {
	o := [2]int{1 << 20, 0}
	if ts := cat.TacticsOf(t); len(ts) > 0 {
		o[0] = ts[0].Order
	}
	return o
}

// lessOrder is matrix order: first tactic, then technique ID.
func lessOrder(a, b *Technique) bool {
	if a.order[0] != b.order[0] {
		return a.order[0] < b.order[0]
	}
	if a.Technique.Domain != b.Technique.Domain {
		return a.Technique.Domain < b.Technique.Domain
	}
	return a.Technique.ID < b.Technique.ID
}

// coveringRules returns the rules of cov that name t or one of its
// sub-techniques, sorted by path and line.
func coveringRules(cat *mapper.Catalog, cov *layer.Coverage, t *mapper.Object) []*layer.RuleInfo {
	var dc *layer.DomainCoverage
	for _, d := range cov.Domains {
		if d.Domain == t.Domain {
			dc = d
		}
	}
	if dc == nil {
		return nil
	}
	var out []*layer.RuleInfo
	seen := map[*layer.RuleInfo]bool{}
	for _, id := range append([]string{t.ID}, t.Subtechniques...) {
		if c := dc.Cells[id]; c != nil {
			for _, r := range c.Rules {
				if !seen[r] {
					seen[r] = true
					out = append(out, r)
				}
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Path != out[j].Path {
			return out[i].Path < out[j].Path
		}
		return out[i].Line < out[j].Line
	})
	return out
}

// Uncovered returns the used techniques no rule covers, by rank.
func (r *Report) Uncovered() []*Technique {
	var out []*Technique
	for _, t := range r.Techniques {
		if !t.Covered {
			out = append(out, t)
		}
	}
	return out
}

// Overlay is the report as a layer overlay: the users of each technique.
func (r *Report) Overlay() *layer.Overlay {
	ov := &layer.Overlay{Used: map[string][]string{}}
	names := map[string]string{}
	var labels []string
	for _, th := range r.Threats {
		names[th.ID] = th.Label()
		if th.Type == TopUsedType {
			names[th.ID] = th.Name
		}
		labels = append(labels, names[th.ID])
	}
	ov.Title = strings.Join(labels, ", ")
	for _, t := range r.Techniques {
		var users []string
		for _, id := range t.UsedBy {
			users = append(users, names[id])
		}
		ov.Used[layer.OverlayKey(t.Technique)] = users
	}
	return ov
}
