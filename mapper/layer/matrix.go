package layer

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/huntlint/huntlint/mapper"
)

// column is one tactic of the matrix with its live parent techniques,
// sorted by name as the Navigator shows them.
type column struct {
	Tactic *mapper.Object
	Rows   []*row
}

// row is one parent technique in one column.
type row struct {
	Technique *mapper.Object
	Cell      *Cell   // nil when the technique itself is not covered
	Subs      []*Cell // covered sub-techniques
	SubTotal  int     // live sub-techniques
}

// Score is the technique's own score (0 when not covered).
func (r *row) Score() float64 {
	if r.Cell == nil {
		return 0
	}
	return r.Cell.Score
}

// BestSub is the highest score among covered sub-techniques.
func (r *row) BestSub() float64 {
	var m float64
	for _, s := range r.Subs {
		m = math.Max(m, s.Score)
	}
	return m
}

// matrix lays out dc as tactic columns of live parent techniques.
func matrix(dc *DomainCoverage) []column {
	subs := map[string][]*mapper.Object{}
	for _, t := range dc.Live {
		if t.IsSubtechnique() {
			subs[t.Parent] = append(subs[t.Parent], t)
		}
	}
	cols := make([]column, len(dc.Tactics))
	for i, tac := range dc.Tactics {
		cols[i].Tactic = tac
		for _, t := range dc.Live {
			if t.IsSubtechnique() || !hasTactic(t, tac.Shortname) {
				continue
			}
			r := &row{Technique: t, Cell: dc.Cells[t.ID]}
			for _, s := range subs[t.ID] {
				if !hasTactic(s, tac.Shortname) {
					continue
				}
				r.SubTotal++
				if c := dc.Cells[s.ID]; c != nil {
					r.Subs = append(r.Subs, c)
				}
			}
			cols[i].Rows = append(cols[i].Rows, r)
		}
		sort.SliceStable(cols[i].Rows, func(a, b int) bool {
			return cols[i].Rows[a].Technique.Name < cols[i].Rows[b].Technique.Name
		})
	}
	return cols
}

func hasTactic(o *mapper.Object, shortname string) bool {
	for _, s := range o.Tactics {
		if s == shortname {
			return true
		}
	}
	return false
}

// tacticStats counts live and covered techniques and sub-techniques of one
// tactic.
type tacticStats struct {
	Tactic                 *mapper.Object
	Techniques, TechCov    int
	Subtechniques, SubsCov int
}

func (s tacticStats) percent() float64 {
	return percent(s.TechCov+s.SubsCov, s.Techniques+s.Subtechniques)
}

func percent(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) * 100 / float64(of)
}

func stats(dc *DomainCoverage) (per []tacticStats, total tacticStats) {
	for _, tac := range dc.Tactics {
		s := tacticStats{Tactic: tac}
		for _, t := range dc.Live {
			if !hasTactic(t, tac.Shortname) {
				continue
			}
			cov := dc.Cells[t.ID] != nil && dc.Cells[t.ID].Score > 0
			if t.IsSubtechnique() {
				s.Subtechniques++
				if cov {
					s.SubsCov++
				}
			} else {
				s.Techniques++
				if cov {
					s.TechCov++
				}
			}
		}
		per = append(per, s)
	}
	for _, t := range dc.Live {
		cov := dc.Cells[t.ID] != nil && dc.Cells[t.ID].Score > 0
		if t.IsSubtechnique() {
			total.Subtechniques++
			if cov {
				total.SubsCov++
			}
		} else {
			total.Techniques++
			if cov {
				total.TechCov++
			}
		}
	}
	return per, total
}

// uncovered returns live parent techniques with no coverage at all (neither
// the technique nor any sub-technique), broadest first: most tactics, then
// most sub-techniques, then ID.
func uncovered(dc *DomainCoverage) []*mapper.Object {
	subCovered := map[string]bool{}
	subCount := map[string]int{}
	for _, t := range dc.Live {
		if t.IsSubtechnique() {
			subCount[t.Parent]++
			if dc.Cells[t.ID] != nil {
				subCovered[t.Parent] = true
			}
		}
	}
	var out []*mapper.Object
	for _, t := range dc.Live {
		if !t.IsSubtechnique() && dc.Cells[t.ID] == nil && !subCovered[t.ID] {
			out = append(out, t)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if ta, tb := len(dc.tacticsOf(a)), len(dc.tacticsOf(b)); ta != tb {
			return ta > tb
		}
		if subCount[a.ID] != subCount[b.ID] {
			return subCount[a.ID] > subCount[b.ID]
		}
		return a.ID < b.ID
	})
	return out
}

// rgb is a colour.
type rgb struct{ r, g, b float64 }

func parseHex(s string) rgb {
	s = strings.TrimPrefix(s, "#")
	if len(s) == 3 {
		s = string([]byte{s[0], s[0], s[1], s[1], s[2], s[2]})
	}
	var r, g, b int
	fmt.Sscanf(s, "%02x%02x%02x", &r, &g, &b)
	return rgb{float64(r), float64(g), float64(b)}
}

func (c rgb) hex() string {
	return fmt.Sprintf("#%02x%02x%02x", int(math.Round(c.r)), int(math.Round(c.g)), int(math.Round(c.b)))
}

// dark reports whether white text reads better than black on c.
func (c rgb) dark() bool {
	return 0.299*c.r+0.587*c.g+0.114*c.b < 140
}

// gradientColor is the colour of score s on the gradient lo..hi, on a
// logarithmic scale: rule counts are skewed (a few techniques have a hundred
// rules, most a handful), and a linear scale would paint nearly every cell
// the lightest colour. The Navigator layer keeps the linear gradient the
// format defines.
func gradientColor(lo, hi float64, from, to string, s float64) rgb {
	a, b := parseHex(from), parseHex(to)
	f := 0.0
	if hi > lo {
		f = math.Min(1, math.Max(0, math.Log1p(s-lo)/math.Log1p(hi-lo)))
	}
	return rgb{a.r + (b.r-a.r)*f, a.g + (b.g-a.g)*f, a.b + (b.b-a.b)*f}
}

// releaseName is "enterprise-attack 18.1" or "enterprise-attack (release unknown)".
func releaseName(dc *DomainCoverage) string {
	if v := dc.Release.Version; v != "" && v != "unknown" {
		return string(dc.Domain) + " " + v
	}
	return string(dc.Domain) + " (release unknown)"
}
