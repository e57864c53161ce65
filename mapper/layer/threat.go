package layer

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/huntlint/huntlint/mapper"
)

// Overlay marks the techniques that chosen threats (groups, campaigns,
// software) use on a coverage, in three states: used and covered, used and
// not covered, covered but not used. A used technique counts as covered
// when a rule names it or one of its sub-techniques.
type Overlay struct {
	Title string              // the threats, for titles and descriptions
	Used  map[string][]string // by OverlayKey: labels of the threats that use the technique
}

// OverlayKey is the key of technique t in Overlay.Used: "domain/ID".
func OverlayKey(t *mapper.Object) string { return string(t.Domain) + "/" + t.ID }

// The overlay's colours: a green, a red and a pale blue that stay apart for
// the common forms of colour blindness (red and green differ in lightness
// too).
const (
	OverlayCoveredColor   = "#31a354"
	OverlayUncoveredColor = "#e6550d"
	OverlayUnusedColor    = "#c6dbef"
)

// Legend labels of the three states.
const (
	overlayCoveredLabel   = "used and covered"
	overlayUncoveredLabel = "used, not covered"
	overlayUnusedLabel    = "covered, not used"
)

// overlayState says how the overlay paints technique t of dc: its colour,
// whether it is used, and the threats that use it.
func (ov *Overlay) state(dc *DomainCoverage, t *mapper.Object) (color string, used bool, users []string) {
	users, used = ov.Used[OverlayKey(t)]
	covered := overlayCovered(dc, t)
	switch {
	case used && covered:
		return OverlayCoveredColor, true, users
	case used:
		return OverlayUncoveredColor, true, users
	case covered:
		return OverlayUnusedColor, false, nil
	}
	return "", false, nil
}

// overlayCovered: a rule names t or one of its sub-techniques.
func overlayCovered(dc *DomainCoverage, t *mapper.Object) bool {
	if c := dc.Cells[t.ID]; c != nil && c.Score > 0 {
		return true
	}
	for _, s := range t.Subtechniques {
		if c := dc.Cells[s]; c != nil && c.Score > 0 {
			return true
		}
	}
	return false
}

// overlayCounts counts the used and the used and covered techniques of dc.
func (ov *Overlay) overlayCounts(dc *DomainCoverage) (used, covered int) {
	for _, t := range dc.Live {
		if _, ok := ov.Used[OverlayKey(t)]; ok {
			used++
			if overlayCovered(dc, t) {
				covered++
			}
		}
	}
	return used, covered
}

func (ov *Overlay) summary(dc *DomainCoverage) string {
	used, covered := ov.overlayCounts(dc)
	return fmt.Sprintf("threats: %s · %d techniques used, %d covered (%.1f%%)", ov.Title, used, covered, percent100(covered, used))
}

func percent100(n, of int) float64 {
	if of == 0 {
		return 100
	}
	return float64(n) * 100 / float64(of)
}

// NavigatorOverlay builds the Navigator layers of cov, as Navigator does,
// with ov painted on: every used technique and every covered one gets the
// colour of its state (no gradient), a comment naming the threats that use
// it and the rules that cover it, and the legend names the three states.
func NavigatorOverlay(cov *Coverage, o WriteOptions, ov *Overlay) []*Layer {
	layers := Navigator(cov, o)
	for i, l := range layers {
		dc := cov.Domains[i]
		byID := map[string]*mapper.Object{}
		for _, t := range dc.Live {
			byID[t.ID] = t
		}
		have := map[string]bool{}
		var out []Technique
		for _, e := range l.Techniques {
			t := byID[e.TechniqueID]
			if t == nil {
				out = append(out, e)
				continue
			}
			have[e.TechniqueID+"/"+deref(e.Tactic)] = true
			color, used, users := ov.state(dc, t)
			if color == "" {
				out = append(out, e) // a parent opened for its sub-techniques
				continue
			}
			e.Color = ptr(color)
			e.Comment = ptr(overlayComment(used, users, dc.Cells[t.ID], t))
			out = append(out, e)
		}
		// Used techniques no entry shows yet: uncovered ones, and parents
		// covered only through a sub-technique.
		var ids []string
		for k := range ov.Used {
			if id, ok := strings.CutPrefix(k, string(dc.Domain)+"/"); ok {
				ids = append(ids, id)
			}
		}
		sort.Strings(ids)
		for _, id := range ids {
			t := byID[id]
			if t == nil {
				continue
			}
			color, used, users := ov.state(dc, t)
			for _, tac := range dc.tacticsOf(t) {
				if have[id+"/"+tac] {
					continue
				}
				out = append(out, Technique{TechniqueID: id, Tactic: ptr(tac), Color: ptr(color),
					Comment: ptr(overlayComment(used, users, dc.Cells[id], t))})
			}
			// Show a used sub-technique under its parent.
			if t.IsSubtechnique() {
				for _, tac := range dc.tacticsOf(t) {
					if !have[t.Parent+"/"+tac] && !hasEntry(out, t.Parent, tac) && byID[t.Parent] != nil {
						out = append(out, Technique{TechniqueID: t.Parent, Tactic: ptr(tac), ShowSubtechniques: ptr(true)})
					}
				}
			}
		}
		order := map[string]int{}
		for i, t := range dc.Tactics {
			order[t.Shortname] = i
		}
		sort.SliceStable(out, func(i, j int) bool {
			if out[i].TechniqueID != out[j].TechniqueID {
				return out[i].TechniqueID < out[j].TechniqueID
			}
			return order[deref(out[i].Tactic)] < order[deref(out[j].Tactic)]
		})
		l.Techniques = out
		l.Gradient = nil
		l.LegendItems = []LegendItem{
			{Label: overlayCoveredLabel, Color: OverlayCoveredColor},
			{Label: overlayUncoveredLabel, Color: OverlayUncoveredColor},
			{Label: overlayUnusedLabel, Color: OverlayUnusedColor},
		}
		desc := ov.summary(dc)
		if l.Description != nil {
			desc = *l.Description + " · " + desc
		}
		l.Description = ptr(desc)
		l.Metadata = append(l.Metadata, Metadata{Name: "threats", Value: ov.Title})
	}
	return layers
}

func hasEntry(ts []Technique, id, tactic string) bool {
	for _, t := range ts {
		if t.TechniqueID == id && deref(t.Tactic) == tactic {
			return true
		}
	}
	return false
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// overlayComment names the users and the rules of a technique.
func overlayComment(used bool, users []string, c *Cell, t *mapper.Object) string {
	var parts []string
	if used {
		parts = append(parts, "used by "+strings.Join(users, ", "))
	} else {
		parts = append(parts, "not used by the selected threats")
	}
	if c != nil && len(c.Rules) > 0 {
		parts = append(parts, cellComment(c))
	} else if len(t.Subtechniques) > 0 && used {
		parts = append(parts, "no rule names it; see its sub-techniques")
	} else {
		parts = append(parts, "no rule")
	}
	return strings.Join(parts, "; ")
}

// WriteHTMLOverlay writes the page WriteHTML writes, with ov painted on the
// matrix: each cell in the colour of its state (a parent whose own state is
// none takes its sub-techniques' stripe), the threats that use a technique in
// its details, and a legend of the three states.
func WriteHTMLOverlay(w io.Writer, cov *Coverage, o WriteOptions, ov *Overlay) error {
	page := htmlPageOf(cov, o)
	page.Overlay = &htmlOverlay{Title: ov.Title, Covered: OverlayCoveredColor, Uncovered: OverlayUncoveredColor, Unused: OverlayUnusedColor}
	for i := range page.Domains {
		dc := cov.Domains[i]
		byID := map[string]*mapper.Object{}
		for _, t := range dc.Live {
			byID[t.ID] = t
		}
		page.Domains[i].Summary += " · " + ov.summary(dc)
		for ci := range page.Domains[i].Columns {
			col := &page.Domains[i].Columns[ci]
			col.Used, col.UsedCovered = 0, 0
			for k := range col.Cells {
				c := &col.Cells[k]
				t := byID[c.ID]
				if t == nil {
					continue
				}
				color, used, users := ov.state(dc, t)
				c.Fill, c.Text = "#ffffff", "#222"
				if color != "" {
					c.Fill = color
					if parseHex(color).dark() {
						c.Text = "#fff"
					}
				}
				count := func(color string, used bool) {
					if used {
						col.Used++
						if color == OverlayCoveredColor {
							col.UsedCovered++
						}
					}
				}
				count(color, used)
				// The stripe: the worst state among used sub-techniques.
				c.Stripe = ""
				var subUsers []string
				for _, s := range t.Subtechniques {
					st := byID[s]
					if st == nil {
						continue
					}
					sc, sused, su := ov.state(dc, st)
					if !sused {
						continue
					}
					if ci < len(dc.Tactics) && hasTactic(st, dc.Tactics[ci].Shortname) {
						count(sc, true)
					}
					subUsers = append(subUsers, st.ID+": "+strings.Join(su, ", "))
					if c.Stripe != OverlayUncoveredColor {
						c.Stripe = sc
					}
				}
				dt := page.Details[c.Key]
				dt.Users = users
				dt.SubUsers = subUsers
				dt.State = stateLabel(color)
				page.Details[c.Key] = dt
				c.Search += "\n" + strings.ToLower(strings.Join(append(append([]string(nil), users...), subUsers...), "\n"))
			}
		}
	}
	return htmlTemplate.Execute(w, page)
}

func stateLabel(color string) string {
	switch color {
	case OverlayCoveredColor:
		return overlayCoveredLabel
	case OverlayUncoveredColor:
		return overlayUncoveredLabel
	case OverlayUnusedColor:
		return overlayUnusedLabel
	}
	return "not covered, not used"
}

// htmlOverlay is the legend of the overlay on the HTML page.
type htmlOverlay struct {
	Title                      string
	Covered, Uncovered, Unused string
}
