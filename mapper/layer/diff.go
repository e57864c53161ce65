package layer

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/huntlint/huntlint/mapper"
)

// DiffEntry is a technique gained or lost between two layers.
type DiffEntry struct {
	Domain      string   `json:"domain"`
	TechniqueID string   `json:"techniqueID"`
	Name        string   `json:"name,omitempty"`
	Tactics     []string `json:"tactics"`
	Score       float64  `json:"score"`
}

// DiffChange is a technique whose score changed.
type DiffChange struct {
	Domain      string   `json:"domain"`
	TechniqueID string   `json:"techniqueID"`
	Name        string   `json:"name,omitempty"`
	Tactics     []string `json:"tactics"`
	Old         float64  `json:"old"`
	New         float64  `json:"new"`
}

// Diff is the coverage change from an old to a new layer file.
type Diff struct {
	Gained  []DiffEntry  `json:"gained"`
	Lost    []DiffEntry  `json:"lost"`
	Changed []DiffChange `json:"changed"`

	cat *mapper.Catalog
}

// Empty reports whether nothing changed.
func (d *Diff) Empty() bool { return len(d.Gained)+len(d.Lost)+len(d.Changed) == 0 }

// scored is a technique's score and tactics in one layer.
type scored struct {
	score   float64
	tactics []string
}

// techniqueScores returns the scored techniques of l: a technique's score is
// the highest of its scored entries (entries of one technique carry the
// same score in layers huntlint writes); unscored entries do not count.
func techniqueScores(l *Layer) map[string]*scored {
	out := map[string]*scored{}
	for _, t := range l.Techniques {
		if t.Score == nil || (t.Enabled != nil && !*t.Enabled) {
			continue
		}
		s := out[t.TechniqueID]
		if s == nil {
			s = &scored{score: *t.Score}
			out[t.TechniqueID] = s
		}
		if *t.Score > s.score {
			s.score = *t.Score
		}
		if t.Tactic != nil && !contains(s.tactics, *t.Tactic) {
			s.tactics = append(s.tactics, *t.Tactic)
		}
	}
	return out
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// DiffLayers compares the layers of two files domain by domain. cat, when
// not nil, names techniques, fills in tactics of entries without one, and
// orders tactics as in the matrix.
func DiffLayers(old, new []*Layer, cat *mapper.Catalog) *Diff {
	d := &Diff{Gained: []DiffEntry{}, Lost: []DiffEntry{}, Changed: []DiffChange{}, cat: cat}
	byDomain := func(ls []*Layer) map[string]map[string]*scored {
		m := map[string]map[string]*scored{}
		for _, l := range ls {
			s := techniqueScores(l)
			if m[l.Domain] == nil {
				m[l.Domain] = s
				continue
			}
			for id, v := range s { // several layers of one domain: the highest score
				if w := m[l.Domain][id]; w == nil || v.score > w.score {
					m[l.Domain][id] = v
				}
			}
		}
		return m
	}
	o, n := byDomain(old), byDomain(new)
	var domains []string
	for dm := range o {
		domains = append(domains, dm)
	}
	for dm := range n {
		if o[dm] == nil {
			domains = append(domains, dm)
		}
	}
	sort.Strings(domains)
	for _, dm := range domains {
		os, ns := o[dm], n[dm]
		for id, nv := range ns {
			name, tactics := d.describe(dm, id, nv.tactics)
			ov := os[id]
			switch {
			case ov == nil:
				d.Gained = append(d.Gained, DiffEntry{dm, id, name, tactics, nv.score})
			case ov.score != nv.score:
				d.Changed = append(d.Changed, DiffChange{dm, id, name, tactics, ov.score, nv.score})
			}
		}
		for id, ov := range os {
			if ns[id] == nil {
				name, tactics := d.describe(dm, id, ov.tactics)
				d.Lost = append(d.Lost, DiffEntry{dm, id, name, tactics, ov.score})
			}
		}
	}
	sort.Slice(d.Gained, func(i, j int) bool {
		return entryLess(d.Gained[i].Domain, d.Gained[i].TechniqueID, d.Gained[j].Domain, d.Gained[j].TechniqueID)
	})
	sort.Slice(d.Lost, func(i, j int) bool {
		return entryLess(d.Lost[i].Domain, d.Lost[i].TechniqueID, d.Lost[j].Domain, d.Lost[j].TechniqueID)
	})
	sort.Slice(d.Changed, func(i, j int) bool {
		return entryLess(d.Changed[i].Domain, d.Changed[i].TechniqueID, d.Changed[j].Domain, d.Changed[j].TechniqueID)
	})
	return d
}

func entryLess(d1, id1, d2, id2 string) bool {
	if d1 != d2 {
		return d1 < d2
	}
	return id1 < id2
}

// describe names a technique and completes its tactics from the catalog.
func (d *Diff) describe(domain, id string, tactics []string) (string, []string) {
	tactics = append([]string(nil), tactics...)
	if d.cat == nil {
		sort.Strings(tactics)
		return "", tactics
	}
	o, ok := d.cat.GetIn(mapper.Domain(domain), mapper.TypeTechnique, id)
	if !ok {
		sort.Strings(tactics)
		return "", tactics
	}
	if len(tactics) == 0 {
		tactics = append(tactics, o.Tactics...)
	}
	order := map[string]int{}
	for i, t := range d.cat.Tactics(mapper.Domain(domain)) {
		order[t.Shortname] = i + 1
	}
	sort.SliceStable(tactics, func(i, j int) bool { return tacticLess(order, tactics[i], tactics[j]) })
	return o.Name, tactics
}

func tacticLess(order map[string]int, a, b string) bool {
	oa, ob := order[a], order[b]
	if oa == 0 {
		oa = 1 << 20
	}
	if ob == 0 {
		ob = 1 << 20
	}
	if oa != ob {
		return oa < ob
	}
	return a < b
}

// WriteJSON writes {"gained":[…],"lost":[…],"changed":[…]}.
func (d *Diff) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(d)
}

// WriteMarkdown writes the change by tactic, fit for a pull-request comment.
// A technique in several tactics is listed under each.
func (d *Diff) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	b.WriteString("### ATT&CK coverage change\n\n")
	if d.Empty() {
		b.WriteString("No technique gained, lost or changed score.\n")
		_, err := io.WriteString(w, b.String())
		return err
	}
	fmt.Fprintf(&b, "**%d gained, %d lost, %d changed score**\n", len(d.Gained), len(d.Lost), len(d.Changed))
	type line struct {
		id, text string
	}
	// domain -> tactic -> lines
	groups := map[string]map[string][]line{}
	add := func(domain string, tactics []string, id, text string) {
		if groups[domain] == nil {
			groups[domain] = map[string][]line{}
		}
		if len(tactics) == 0 {
			tactics = []string{""}
		}
		for _, t := range tactics {
			groups[domain][t] = append(groups[domain][t], line{id, text})
		}
	}
	label := func(id, name string) string {
		if name == "" {
			return id
		}
		return id + " " + mdEscape(name)
	}
	for _, e := range d.Gained {
		add(e.Domain, e.Tactics, e.TechniqueID, fmt.Sprintf("| gained | %s | %s |", label(e.TechniqueID, e.Name), fmtNum(e.Score)))
	}
	for _, e := range d.Lost {
		add(e.Domain, e.Tactics, e.TechniqueID, fmt.Sprintf("| lost | %s | ~~%s~~ |", label(e.TechniqueID, e.Name), fmtNum(e.Score)))
	}
	for _, c := range d.Changed {
		what := "up"
		if c.New < c.Old {
			what = "down"
		}
		add(c.Domain, c.Tactics, c.TechniqueID, fmt.Sprintf("| %s | %s | %s → %s |", what, label(c.TechniqueID, c.Name), fmtNum(c.Old), fmtNum(c.New)))
	}
	var domains []string
	for dm := range groups {
		domains = append(domains, dm)
	}
	sort.Strings(domains)
	for _, dm := range domains {
		order := map[string]int{}
		names := map[string]string{}
		if d.cat != nil {
			for i, t := range d.cat.Tactics(mapper.Domain(dm)) {
				order[t.Shortname] = i + 1
				names[t.Shortname] = t.Name
			}
		}
		var tactics []string
		for t := range groups[dm] {
			tactics = append(tactics, t)
		}
		sort.Slice(tactics, func(i, j int) bool { return tacticLess(order, tactics[i], tactics[j]) })
		if len(domains) > 1 {
			fmt.Fprintf(&b, "\n#### %s\n", dm)
		}
		for _, t := range tactics {
			title := names[t]
			switch {
			case t == "":
				title = "Tactic not given"
			case title == "":
				title = t
			}
			fmt.Fprintf(&b, "\n**%s**\n\n| change | technique | score |\n| --- | --- | --- |\n", title)
			ls := groups[dm][t]
			sort.SliceStable(ls, func(i, j int) bool { return ls[i].id < ls[j].id })
			for _, l := range ls {
				b.WriteString(l.text + "\n")
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
