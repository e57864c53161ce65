package layer

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/huntlint/huntlint/mapper"
)

// ChangeKind classifies what Upgrade did to a technique of a layer.
type ChangeKind string

// Change kinds, in report order.
const (
	// ChangeKept: the technique is live in the target release; its entries
	// are unchanged.
	ChangeKept ChangeKind = "kept"
	// ChangeMoved: the technique was revoked (or renumbered); its entries
	// moved to the end of its revocation chain.
	ChangeMoved ChangeKind = "moved"
	// ChangeMerged: entries of several techniques landed on one technique
	// and tactic; their annotations were merged (see MergeRule).
	ChangeMerged ChangeKind = "merged"
	// ChangeTactics: the technique's tactics changed; its entries are
	// annotated under its current tactics.
	ChangeTactics ChangeKind = "tactics-changed"
	// ChangeDropped: the technique is deprecated, unknown to the target
	// release or revoked without a live replacement; its entries are left out.
	ChangeDropped ChangeKind = "dropped"
)

// ChangeKinds lists the kinds in report order.
var ChangeKinds = []ChangeKind{ChangeMoved, ChangeMerged, ChangeTactics, ChangeDropped, ChangeKept}

// MergeRule says how Upgrade combines the annotations of entries that land
// on one technique and tactic.
const MergeRule = "the highest score; comments joined, one per line, each once; " +
	"enabled unless every entry is disabled; the colour of the highest-scored entry that has one; " +
	"metadata and links of every entry, each once; showSubtechniques when any entry sets it; " +
	"unknown fields of the first entry that has each"

// UpgradeOptions say what to upgrade to.
type UpgradeOptions struct {
	// Target is the catalog to upgrade to (required).
	Target *mapper.Catalog
	// From, when not nil, is the layer's own release: the exact change
	// between the two releases is used (techniques followed by STIX id,
	// tactic changes known). Otherwise the target's revocations and
	// deprecations are.
	From *mapper.Catalog
}

// UpgradeChange is what happened to one technique of one layer.
type UpgradeChange struct {
	Kind        ChangeKind `json:"kind"`
	File        string     `json:"file,omitempty"`
	Layer       string     `json:"layer"`
	Domain      string     `json:"domain"`
	TechniqueID string     `json:"techniqueID"` // as in the layer (merged: the technique merged onto)
	Name        string     `json:"name,omitempty"`
	Entries     int        `json:"entries"` // layer entries concerned
	// Moved: the live replacement and the revocation chain from the layer's ID.
	To     string   `json:"to,omitempty"`
	ToName string   `json:"toName,omitempty"`
	Chain  []string `json:"chain,omitempty"`
	// Tactics changed: the tactics before (of the entries, or of the
	// release the layer was made for) and now.
	OldTactics []string `json:"oldTactics,omitempty"`
	NewTactics []string `json:"newTactics,omitempty"`
	// Merged: the tactic and the entries merged, as "T1086 (execution)".
	Tactic string   `json:"tactic,omitempty"`
	From   []string `json:"from,omitempty"`
	// Reason says why, in a few words.
	Reason string `json:"reason,omitempty"`
}

// UpgradeLayer describes one upgraded layer.
type UpgradeLayer struct {
	File        string   `json:"file,omitempty"`
	Name        string   `json:"name"`
	Domain      string   `json:"domain"`
	FromFormat  string   `json:"fromFormat"`
	FromRelease string   `json:"fromRelease,omitempty"` // versions.attack, "" when not given
	ToRelease   string   `json:"toRelease"`
	Method      string   `json:"method"`          // how changes were found
	Notes       []string `json:"notes,omitempty"` // reading notes and layer-level changes
}

// UpgradeReport lists every change of an upgrade by kind: the review list
// for a human.
type UpgradeReport struct {
	Layers  []UpgradeLayer     `json:"layers"`
	Changes []UpgradeChange    `json:"changes"`
	Counts  map[ChangeKind]int `json:"counts"`
}

// Append adds the layers and changes of o to r.
func (r *UpgradeReport) Append(o *UpgradeReport) {
	r.Layers = append(r.Layers, o.Layers...)
	r.Changes = append(r.Changes, o.Changes...)
	if r.Counts == nil {
		r.Counts = map[ChangeKind]int{}
	}
	for k, n := range o.Counts {
		r.Counts[k] += n
	}
}

// Review returns the changes a human should look at: all but kept.
func (r *UpgradeReport) Review() []UpgradeChange {
	var out []UpgradeChange
	for _, c := range r.Changes {
		if c.Kind != ChangeKept {
			out = append(out, c)
		}
	}
	return out
}

// NeedsReview reports whether anything but kept techniques is listed, or a
// layer-level note (a platform left out, a field dropped while reading).
func (r *UpgradeReport) NeedsReview() bool {
	if len(r.Review()) > 0 {
		return true
	}
	for _, l := range r.Layers {
		if len(l.Notes) > 0 {
			return true
		}
	}
	return false
}

// step is what happens to one technique ID of a layer.
type step struct {
	kind    ChangeKind // kept, moved or dropped
	to      *mapper.Object
	chain   []string
	reason  string
	fromTac []string // tactic IDs in the From release, when known
	moved   bool     // tactics changed between the releases (From known)
	name    string
}

// upgrader holds the lookups of one domain.
type upgrader struct {
	o       UpgradeOptions
	d       mapper.Domain
	toRel   string
	fromRel string
	byStix  map[string]*mapper.Object
	steps   map[string]*step
	renamed map[[2]string]int // entries whose tactic was renamed (old, new shortname)
}

func newUpgrader(o UpgradeOptions, d mapper.Domain) *upgrader {
	u := &upgrader{o: o, d: d, steps: map[string]*step{}, renamed: map[[2]string]int{}}
	if rel, ok := o.Target.Release(d); ok {
		u.toRel = rel.Version
	}
	if o.From != nil {
		if rel, ok := o.From.Release(d); ok {
			u.fromRel = rel.Version
		}
		u.byStix = map[string]*mapper.Object{}
		for _, t := range o.Target.Objects(d, mapper.TypeTechnique) {
			u.byStix[t.STIXID] = t
		}
	}
	return u
}

// tacticID is the tactic ID of shortname s in catalog c, "" when unknown.
func tacticID(c *mapper.Catalog, d mapper.Domain, s string) string {
	if t, ok := c.TacticIn(d, s); ok {
		return t.ID
	}
	return ""
}

func (u *upgrader) step(id string) *step {
	if s, ok := u.steps[id]; ok {
		return s
	}
	s := u.plan(id)
	u.steps[id] = s
	return s
}

func (u *upgrader) plan(id string) *step {
	tc := u.o.Target
	var cur *mapper.Object
	s := &step{}
	if u.o.From != nil {
		if fo, ok := u.o.From.GetIn(u.d, mapper.TypeTechnique, id); ok {
			s.name = fo.Name
			for _, t := range fo.Tactics {
				if tid := tacticID(u.o.From, u.d, t); tid != "" {
					s.fromTac = append(s.fromTac, tid)
				}
			}
			cur = u.byStix[fo.STIXID]
			if cur == nil {
				cur, _ = tc.GetIn(u.d, mapper.TypeTechnique, id)
			}
			if cur == nil {
				s.kind, s.reason = ChangeDropped, fmt.Sprintf("not in ATT&CK %s", u.toRel)
				return s
			}
		}
	}
	if cur == nil {
		o, ok := tc.GetIn(u.d, mapper.TypeTechnique, id)
		if !ok {
			s.kind, s.reason = ChangeDropped, fmt.Sprintf("unknown to ATT&CK %s", u.toRel)
			return s
		}
		cur = o
	}
	if s.name == "" {
		s.name = cur.Name
	}
	switch cur.Status {
	case mapper.StatusRevoked:
		final, chain := tc.Resolve(cur)
		for _, c := range chain {
			s.chain = append(s.chain, c.ID)
		}
		if cur.ID != id {
			s.chain = append([]string{id}, s.chain...)
		}
		if final == nil {
			s.kind, s.reason = ChangeDropped, "revoked without a live replacement ("+strings.Join(s.chain, " -> ")+")"
			return s
		}
		if final.Status == mapper.StatusDeprecated {
			s.kind, s.reason = ChangeDropped, "revoked by "+final.ID+", which is deprecated"
			return s
		}
		s.kind, s.to, s.reason = ChangeMoved, final, "revoked"
	case mapper.StatusDeprecated:
		s.kind, s.reason = ChangeDropped, "deprecated"
		return s
	default:
		s.to = cur
		if cur.ID != id {
			s.kind, s.reason, s.chain = ChangeMoved, "renumbered", []string{id, cur.ID}
		} else {
			s.kind = ChangeKept
		}
	}
	if u.o.From != nil && s.fromTac != nil {
		var now []string
		for _, t := range s.to.Tactics {
			if tid := tacticID(tc, u.d, t); tid != "" {
				now = append(now, tid)
			}
		}
		s.moved = !sameSet(s.fromTac, now)
	}
	return s
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	m := map[string]bool{}
	for _, x := range a {
		m[x] = true
	}
	for _, x := range b {
		if !m[x] {
			return false
		}
	}
	return true
}

// currentTactic maps an entry's tactic to the target release's shortname,
// following renames by tactic ID; "" when the target has no such tactic.
func (u *upgrader) currentTactic(s string) string {
	tc := u.o.Target
	if u.o.From != nil {
		if id := tacticID(u.o.From, u.d, s); id != "" {
			if t, ok := tc.GetIn(u.d, mapper.TypeTactic, id); ok {
				return t.Shortname
			}
			return ""
		}
	}
	if t, ok := tc.TacticIn(u.d, s); ok {
		return t.Shortname
	}
	if t, _, ok := tc.CurrentTactic(s); ok && t.Domain == u.d {
		return t.Shortname
	}
	return ""
}

// out is one entry of the upgraded layer being built.
type outEntry struct {
	t       Technique
	source  string // the layer's technique ID
	derived bool   // placed under a current tactic by Upgrade
}

// Upgrade brings layers to format 4.5 and to o.Target's release, layer by
// layer (file names the file in the report). Input layers are not modified.
func Upgrade(file string, layers []*Layer, o UpgradeOptions) ([]*Layer, *UpgradeReport, error) {
	if o.Target == nil {
		return nil, nil, fmt.Errorf("upgrade needs a target catalog")
	}
	rep := &UpgradeReport{Layers: []UpgradeLayer{}, Changes: []UpgradeChange{}, Counts: map[ChangeKind]int{}}
	var out []*Layer
	for _, l := range layers {
		nl, err := upgradeLayer(file, l, o, rep)
		if err != nil {
			return nil, nil, err
		}
		out = append(out, nl)
	}
	for _, c := range rep.Changes {
		rep.Counts[c.Kind]++
	}
	return out, rep, nil
}

func upgradeLayer(file string, l *Layer, o UpgradeOptions, rep *UpgradeReport) (*Layer, error) {
	d := mapper.Domain(l.Domain)
	if _, ok := o.Target.Release(d); !ok {
		return nil, fmt.Errorf("layer %q is for %s, which the catalog does not hold; load it with --catalog or --domain %s", l.Name, d, d)
	}
	if o.From != nil {
		if _, ok := o.From.Release(d); !ok {
			o.From = nil
		}
	}
	u := newUpgrader(o, d)
	info := UpgradeLayer{File: file, Name: l.Name, Domain: l.Domain, FromFormat: LayerVersion, ToRelease: u.toRel}
	if l.Source != nil {
		info.FromFormat = l.Source.Format
		info.Notes = append(info.Notes, l.Source.Notes...)
	}
	if l.Versions != nil && l.Versions.Attack != nil {
		info.FromRelease = *l.Versions.Attack
	}
	if o.From != nil {
		info.Method = fmt.Sprintf("release diff ATT&CK %s -> %s", u.fromRel, u.toRel)
		if info.FromRelease != "" && info.FromRelease != u.fromRel && !strings.HasPrefix(u.fromRel, info.FromRelease+".") {
			info.Notes = append(info.Notes, fmt.Sprintf("the layer names ATT&CK %s but --from-catalog is ATT&CK %s", info.FromRelease, u.fromRel))
		}
	} else {
		info.Method = fmt.Sprintf("revocations and deprecations of ATT&CK %s", u.toRel)
	}

	nl := *l
	nl.Source = nil
	nl.Extra = cloneExtra(l.Extra)
	nl.Versions = &Versions{Navigator: NavigatorVersion, Layer: LayerVersion}
	if l.Versions != nil {
		nl.Versions.Extra = cloneExtra(l.Versions.Extra)
	}
	if u.toRel != "" && u.toRel != "unknown" {
		nl.Versions.Attack = ptr(u.toRel)
	}
	nl.Filters = upgradeFilters(l.Filters, o.Target, d, u.toRel, &info)

	// Group the layer's entries by technique ID, in order.
	var ids []string
	byID := map[string][]int{}
	for i, t := range l.Techniques {
		if byID[t.TechniqueID] == nil {
			ids = append(ids, t.TechniqueID)
		}
		byID[t.TechniqueID] = append(byID[t.TechniqueID], i)
	}
	var entries []outEntry
	for _, id := range ids {
		idx := byID[id]
		s := u.step(id)
		ch := UpgradeChange{Kind: s.kind, File: file, Layer: l.Name, Domain: l.Domain, TechniqueID: id, Name: s.name,
			Entries: len(idx), Reason: s.reason}
		if s.kind == ChangeDropped {
			ch.Chain = s.chain
			rep.Changes = append(rep.Changes, ch)
			continue
		}
		to := s.to
		var now []string
		for _, t := range to.Tactics {
			if _, ok := o.Target.TacticIn(d, t); ok {
				now = append(now, t)
			}
		}
		var oldTac []string
		changedTactic := s.moved
		for _, i := range idx {
			e := l.Techniques[i]
			t := copyTechnique(e)
			t.TechniqueID = to.ID
			if s.kind == ChangeMoved {
				t.Metadata = append(t.Metadata, Metadata{Name: upgradeMeta, Value: movedNote(id, s, u.toRel)})
			}
			if to.IsSubtechnique() && t.ShowSubtechniques != nil {
				t.ShowSubtechniques = nil
			}
			if e.Tactic == nil {
				entries = append(entries, outEntry{t: t, source: id})
				continue
			}
			if !contains(oldTac, *e.Tactic) {
				oldTac = append(oldTac, *e.Tactic)
			}
			cur := u.currentTactic(*e.Tactic)
			if cur != "" && contains(now, cur) {
				if cur != *e.Tactic {
					u.renamed[[2]string{*e.Tactic, cur}]++
				}
				t.Tactic = ptr(cur)
				entries = append(entries, outEntry{t: t, source: id})
				continue
			}
			changedTactic = true
			if len(now) == 0 {
				t.Tactic = nil
				entries = append(entries, outEntry{t: t, source: id, derived: true})
				continue
			}
			for _, nt := range now {
				c := copyTechnique(t)
				c.Tactic = ptr(nt)
				entries = append(entries, outEntry{t: c, source: id, derived: true})
			}
		}
		if s.kind == ChangeMoved {
			ch.To, ch.ToName, ch.Chain = to.ID, to.Name, s.chain
			rep.Changes = append(rep.Changes, ch)
		}
		if changedTactic {
			tc := ch
			tc.Kind, tc.Reason, tc.Chain = ChangeTactics, "", nil
			tc.OldTactics = oldTac
			if s.fromTac != nil && len(oldTac) == 0 {
				for _, tid := range s.fromTac {
					if t, ok := o.From.GetIn(d, mapper.TypeTactic, tid); ok {
						tc.OldTactics = append(tc.OldTactics, t.Shortname)
					}
				}
			}
			tc.NewTactics = now
			if len(oldTac) == 0 {
				tc.Reason = "the entries carry no tactic and apply to the current ones"
			}
			rep.Changes = append(rep.Changes, tc)
		}
		if s.kind == ChangeKept && !changedTactic {
			rep.Changes = append(rep.Changes, ch)
		}
	}
	nl.Techniques = mergeEntries(entries, file, l, rep)
	var renames [][2]string
	for k := range u.renamed {
		renames = append(renames, k)
	}
	sort.Slice(renames, func(i, j int) bool { return renames[i][0] < renames[j][0] })
	for _, k := range renames {
		n := u.renamed[k]
		info.Notes = append(info.Notes, fmt.Sprintf("tactic %s is called %s in ATT&CK %s: %d %s moved to the new name", k[0], k[1], u.toRel, n, plural(n, "entry", "entries")))
	}
	nl.Metadata = nil
	for _, m := range l.Metadata { // the last upgrade replaces an earlier one's line
		if m.Name != upgradeMeta {
			nl.Metadata = append(nl.Metadata, m)
		}
	}
	nl.Metadata = append(nl.Metadata, Metadata{Name: upgradeMeta, Value: upgradeSummary(info)})
	if err := nl.Validate(nil); err != nil {
		return nil, fmt.Errorf("layer %q: the upgraded layer is not valid: %w", l.Name, err)
	}
	rep.Layers = append(rep.Layers, info)
	return &nl, nil
}

// upgradeMeta names the metadata Upgrade writes.
const upgradeMeta = "huntlint upgrade"

func upgradeSummary(info UpgradeLayer) string {
	from := info.FromRelease
	if from == "" {
		from = "release not given"
	}
	return fmt.Sprintf("ATT&CK %s -> %s, format %s -> %s (%s)", from, info.ToRelease, info.FromFormat, LayerVersion, info.Method)
}

func movedNote(id string, s *step, rel string) string {
	if s.reason == "renumbered" {
		return fmt.Sprintf("%s renumbered %s in ATT&CK %s", id, s.to.ID, rel)
	}
	return fmt.Sprintf("%s revoked in ATT&CK %s, replaced by %s (%s)", id, rel, s.to.ID, strings.Join(s.chain, " -> "))
}

// upgradeFilters keeps the platforms the target release knows.
func upgradeFilters(f *Filters, c *mapper.Catalog, d mapper.Domain, rel string, info *UpgradeLayer) *Filters {
	if f == nil {
		return nil
	}
	known := map[string]bool{}
	for _, t := range c.Objects(d, mapper.TypeTechnique) {
		for _, p := range t.Platforms {
			known[p] = true
		}
	}
	nf := &Filters{Extra: cloneExtra(f.Extra)}
	for _, p := range f.Platforms {
		if known[p] {
			nf.Platforms = append(nf.Platforms, p)
		} else {
			info.Notes = append(info.Notes, fmt.Sprintf("platform %q is not a platform of ATT&CK %s %s; left out of filters.platforms", p, rel, d))
		}
	}
	if len(nf.Platforms) == 0 && len(nf.Extra) == 0 {
		return nil
	}
	return nf
}

func copyTechnique(t Technique) Technique {
	c := t
	c.Metadata = append([]Metadata(nil), t.Metadata...)
	c.Links = append([]Link(nil), t.Links...)
	c.Extra = cloneExtra(t.Extra)
	return c
}

type tkey struct{ id, tactic string }

// mergeEntries groups entries by technique and tactic. Entries of one
// technique ID of the layer, none placed by Upgrade, stay as they are;
// otherwise a group is merged by MergeRule, and listed when it joins
// entries of several techniques.
func mergeEntries(entries []outEntry, file string, l *Layer, rep *UpgradeReport) []Technique {
	var keys []tkey
	groups := map[tkey][]outEntry{}
	for _, e := range entries {
		k := tkey{id: e.t.TechniqueID}
		if e.t.Tactic != nil {
			k.tactic = *e.t.Tactic
		}
		if groups[k] == nil {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], e)
	}
	out := make([]Technique, 0, len(entries))
	for _, k := range keys {
		g := groups[k]
		if len(g) == 1 {
			out = append(out, g[0].t)
			continue
		}
		sources := map[string]bool{}
		derived := false
		for _, e := range g {
			sources[e.source] = true
			derived = derived || e.derived
		}
		if len(sources) == 1 && !derived {
			for _, e := range g { // repeated entries of the layer: as they were
				out = append(out, e.t)
			}
			continue
		}
		ts := make([]Technique, len(g))
		var from []string
		for i, e := range g {
			ts[i] = e.t
			if !contains(from, e.source) {
				from = append(from, e.source)
			}
		}
		out = append(out, MergeAnnotations(ts))
		if len(from) > 1 {
			rep.Changes = append(rep.Changes, UpgradeChange{Kind: ChangeMerged, File: file, Layer: l.Name, Domain: l.Domain,
				TechniqueID: k.id, Tactic: k.tactic, From: from, Entries: len(g), Reason: "annotations merged: " + MergeRule})
		}
	}
	return out
}

// MergeAnnotations combines entries of one technique and tactic by
// MergeRule.
func MergeAnnotations(ts []Technique) Technique {
	m := copyTechnique(ts[0])
	var best *float64
	var bestColor *string
	var colorScore *float64
	allDisabled := true
	for i, t := range ts {
		if t.Enabled == nil || *t.Enabled {
			allDisabled = false
		}
		if t.Score != nil && (best == nil || *t.Score > *best) {
			best = ptr(*t.Score)
		}
		if t.Color != nil && *t.Color != "" {
			if bestColor == nil || (t.Score != nil && (colorScore == nil || *t.Score > *colorScore)) {
				bestColor, colorScore = t.Color, t.Score
			}
		}
		if i == 0 {
			continue
		}
		if t.Comment != nil && *t.Comment != "" {
			if m.Comment == nil || *m.Comment == "" {
				m.Comment = ptr(*t.Comment)
			} else if !containsLine(*m.Comment, *t.Comment) {
				m.Comment = ptr(*m.Comment + "\n" + *t.Comment)
			}
		}
		for _, md := range t.Metadata {
			if md.Divider || !containsMeta(m.Metadata, md) {
				m.Metadata = append(m.Metadata, md)
			}
		}
		m.Links = appendLinks(m.Links, t.Links)
		if t.ShowSubtechniques != nil && *t.ShowSubtechniques {
			m.ShowSubtechniques = ptr(true)
		}
		for k, v := range t.Extra {
			if _, ok := m.Extra[k]; !ok {
				if m.Extra == nil {
					m.Extra = map[string]json.RawMessage{}
				}
				m.Extra[k] = v
			}
		}
	}
	m.Score = best
	if bestColor != nil {
		m.Color = ptr(*bestColor)
	}
	if allDisabled {
		m.Enabled = ptr(false)
	} else if m.Enabled != nil {
		m.Enabled = ptr(true)
	}
	return m
}

func containsLine(text, s string) bool {
	return text == s || strings.HasPrefix(text, s+"\n") || strings.HasSuffix(text, "\n"+s) || strings.Contains(text, "\n"+s+"\n")
}

func containsMeta(ms []Metadata, m Metadata) bool {
	for _, x := range ms {
		if x == m {
			return true
		}
	}
	return false
}

// sortedKinds returns the kinds of r's changes in ChangeKinds order.
func sortChanges(cs []UpgradeChange) {
	order := map[ChangeKind]int{}
	for i, k := range ChangeKinds {
		order[k] = i
	}
	sort.SliceStable(cs, func(i, j int) bool { return order[cs[i].Kind] < order[cs[j].Kind] })
}
