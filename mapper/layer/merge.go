package layer

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
)

// MergeOp names how merged scores combine.
type MergeOp string

// Merge operations.
const (
	// MergeMax keeps every technique with its highest score (union).
	MergeMax MergeOp = "max"
	// MergeSum keeps every technique with the sum of its scores (union).
	MergeSum MergeOp = "sum"
	// MergeMin keeps the techniques scored in every layer, with the lowest
	// score (intersection: what all layers cover).
	MergeMin MergeOp = "min"
)

// MergeOps lists the merge operations in documentation order.
var MergeOps = []MergeOp{MergeMax, MergeSum, MergeMin}

// ParseMergeOp checks a --op value.
func ParseMergeOp(s string) (MergeOp, error) {
	if op := MergeOp(s); slices.Contains(MergeOps, op) {
		return op, nil
	}
	return "", fmt.Errorf("invalid merge operation %q: use max, sum or min", s)
}

// MergeInput is one layer file to merge.
type MergeInput struct {
	Name   string // file name, for the merged layer's description
	Layers []*Layer
}

// Merge combines layer files domain by domain into one layer per domain.
// Entries match by technique ID and tactic; their scores combine with op;
// comments, links and metadata of every input are kept; the gradient spans
// the merged scores with the first input's end colours. Layers of different
// ATT&CK releases are refused: technique placement differs between releases.
func Merge(inputs []MergeInput, op MergeOp, o WriteOptions) ([]*Layer, error) {
	o = o.withDefaults()
	if len(inputs) < 2 {
		return nil, fmt.Errorf("merge needs at least 2 layer files, got %d", len(inputs))
	}
	type part struct {
		name  string
		layer *Layer
	}
	var domains []string
	byDomain := map[string][]part{}
	release := map[string]string{} // domain -> attack version
	for _, in := range inputs {
		for _, l := range in.Layers {
			if l.Versions != nil && l.Versions.Attack != nil {
				v := *l.Versions.Attack
				if prev, ok := release[l.Domain]; ok && prev != v {
					return nil, fmt.Errorf("%s: layer %q is for ATT&CK %s but an earlier %s layer is for ATT&CK %s; regenerate the layers with one catalog",
						in.Name, l.Name, v, l.Domain, prev)
				}
				release[l.Domain] = v
			}
			if byDomain[l.Domain] == nil {
				domains = append(domains, l.Domain)
			}
			byDomain[l.Domain] = append(byDomain[l.Domain], part{in.Name, l})
		}
	}
	var out []*Layer
	for _, dm := range domains {
		parts := byDomain[dm]
		var layers []*Layer
		var names []string
		for _, p := range parts {
			layers = append(layers, p.layer)
			names = append(names, p.name)
		}
		m := mergeDomain(layers, names, op)
		first := layers[0]
		m.Name = o.Name
		if len(domains) > 1 {
			m.Name += " (" + dm + ")"
		}
		m.Description = ptr(fmt.Sprintf("%s of %d layers: %s", op, len(layers), strings.Join(names, ", ")))
		m.Versions = &Versions{Navigator: NavigatorVersion, Layer: LayerVersion}
		if v, ok := release[dm]; ok {
			m.Versions.Attack = ptr(v)
		}
		m.Sorting, m.Layout, m.HideDisabled = first.Sorting, first.Layout, first.HideDisabled
		m.ShowTacticRowBackground, m.TacticRowBackground = first.ShowTacticRowBackground, first.TacticRowBackground
		m.SelectTechniquesAcrossTactics, m.SelectSubtechniquesWithParent, m.SelectVisibleTechniques =
			first.SelectTechniquesAcrossTactics, first.SelectSubtechniquesWithParent, first.SelectVisibleTechniques
		lo, hi := scoreRange(m.Techniques)
		minC, maxC := o.MinColor, o.MaxColor
		if g := first.Gradient; g != nil && len(g.Colors) >= 2 {
			minC, maxC = g.Colors[0], g.Colors[len(g.Colors)-1]
		}
		m.Gradient = &Gradient{Colors: []string{minC, maxC}, MinValue: lo, MaxValue: hi}
		m.LegendItems = []LegendItem{{Label: "score " + fmtNum(lo), Color: minC}, {Label: "score " + fmtNum(hi), Color: maxC}}
		m.Metadata = append([]Metadata{
			{Name: "generator", Value: o.Generator},
			{Name: "date", Value: o.Date.UTC().Format("2006-01-02")},
			{Name: "merge", Value: string(op)},
			{Name: "inputs", Value: strings.Join(names, ", ")},
		}, m.Metadata...)
		if err := m.Validate(nil); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// scoreRange is the gradient range of merged entries.
func scoreRange(ts []Technique) (lo, hi float64) {
	first := true
	for _, t := range ts {
		if t.Score == nil {
			continue
		}
		if first || *t.Score < lo {
			lo = *t.Score
		}
		if first || *t.Score > hi {
			hi = *t.Score
		}
		first = false
	}
	lo, hi = math.Floor(lo), math.Ceil(hi) // whole numbers, as mitreattack-python requires
	if hi <= lo {
		lo = 0
		if hi <= 0 {
			hi = 1
		}
	}
	return lo, hi
}

type entryKey struct{ id, tactic string }

// sourceName names an input layer in merged metadata: the file, and the
// layer's name when the file holds several layers or the name says more.
func sourceName(file string, l *Layer) string {
	if l.Name == "" || l.Name == file {
		return file
	}
	if file == "" {
		return l.Name
	}
	return file + ": " + l.Name
}

func mergeDomain(layers []*Layer, files []string, op MergeOp) *Layer {
	m := &Layer{Domain: layers[0].Domain}
	var keys []entryKey
	merged := map[entryKey]*Technique{}
	present := map[entryKey]int{} // layers with the entry scored
	seenIn := map[entryKey]int{}  // layers with the entry at all
	var platforms []string
	for li, l := range layers {
		src := sourceName(files[li], l)
		if l.Filters != nil {
			for _, p := range l.Filters.Platforms {
				if !contains(platforms, p) {
					platforms = append(platforms, p)
				}
			}
		}
		if len(l.Metadata) > 0 {
			m.Metadata = append(m.Metadata, Metadata{Name: "layer", Value: src})
			m.Metadata = append(m.Metadata, l.Metadata...)
		}
		m.Links = appendLinks(m.Links, l.Links)
		inLayer := map[entryKey]bool{}
		for _, t := range l.Techniques {
			k := entryKey{id: t.TechniqueID}
			if t.Tactic != nil {
				k.tactic = *t.Tactic
			}
			dup := inLayer[k]
			inLayer[k] = true
			if !dup {
				seenIn[k]++
			}
			e := merged[k]
			if e == nil {
				e = &Technique{TechniqueID: t.TechniqueID, Tactic: t.Tactic, Enabled: t.Enabled, Color: t.Color}
				merged[k] = e
				keys = append(keys, k)
			}
			if t.Score != nil {
				if !dup {
					present[k]++
				}
				switch {
				case e.Score == nil:
					e.Score = ptr(*t.Score)
				case op == MergeSum:
					e.Score = ptr(round(*e.Score + *t.Score))
				case op == MergeMax && *t.Score > *e.Score, op == MergeMin && *t.Score < *e.Score:
					e.Score = ptr(*t.Score)
				}
			}
			if t.Comment != nil && *t.Comment != "" {
				if e.Comment == nil {
					e.Comment = ptr(*t.Comment)
				} else if !strings.Contains(*e.Comment, *t.Comment) {
					e.Comment = ptr(*e.Comment + "\n" + *t.Comment)
				}
			}
			// Every entry names the layers it came from, then their metadata
			// (no dividers: mitreattack-python refuses them in metadata).
			e.Metadata = append(e.Metadata, Metadata{Name: "layer", Value: src})
			e.Metadata = append(e.Metadata, t.Metadata...)
			if t.Extra != nil {
				for k, v := range t.Extra {
					if _, ok := e.Extra[k]; !ok {
						if e.Extra == nil {
							e.Extra = map[string]json.RawMessage{}
						}
						e.Extra[k] = v
					}
				}
			}
			e.Links = appendLinks(e.Links, t.Links)
			if t.ShowSubtechniques != nil && *t.ShowSubtechniques {
				e.ShowSubtechniques = ptr(true)
			}
		}
	}
	if len(platforms) > 0 {
		sort.Strings(platforms)
		m.Filters = &Filters{Platforms: platforms}
	}
	sort.SliceStable(keys, func(i, j int) bool { return keys[i].id < keys[j].id })
	for _, k := range keys {
		e := merged[k]
		if op == MergeMin {
			if seenIn[k] < len(layers) {
				continue // not in every layer
			}
			if present[k] < len(layers) {
				e.Score = nil // unscored in some layer: not covered by all
			}
		}
		m.Techniques = append(m.Techniques, *e)
	}
	return m
}

func appendLinks(dst, src []Link) []Link {
	for _, l := range src {
		if l.Divider {
			continue
		}
		dup := false
		for _, d := range dst {
			if d.URL == l.URL && d.Label == l.Label {
				dup = true
			}
		}
		if !dup {
			dst = append(dst, l)
		}
	}
	return dst
}
