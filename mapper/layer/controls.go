package layer

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/huntlint/huntlint/mapper"
)

// GapReport sets detection coverage beside control coverage for one
// domain: of the live techniques and sub-techniques of the catalog, which
// a rule detects, which a control covers, and which neither does.
type GapReport struct {
	Domain   string `json:"domain"`
	Release  string `json:"release"`
	Total    int    `json:"total"`    // live techniques and sub-techniques
	Detected int    `json:"detected"` // scored in a detection layer
	Covered  int    `json:"covered"`  // scored in a control layer
	Both     int    `json:"both"`
	// Neither lists the techniques no rule detects and no control covers.
	Neither []GapEntry `json:"neither"`
	// ControlOnly lists the techniques a control covers and no rule detects.
	ControlOnly []GapEntry `json:"controlOnly"`
	// Controls names, per technique of ControlOnly, the control layers
	// that cover it.
	Controls map[string][]string `json:"controls"`
}

// GapEntry is a technique of a GapReport.
type GapEntry struct {
	TechniqueID string   `json:"techniqueID"`
	Name        string   `json:"name,omitempty"`
	Tactics     []string `json:"tactics"`
}

// ControlInput is one control-mapping layer file.
type ControlInput struct {
	Name   string
	Layers []*Layer
}

// covering returns the techniques an entry covers in ls: enabled entries
// with a score above 0 (control mappings score "minimal" coverage 0 or
// leave it unscored).
func covering(ls []*Layer, domain string) map[string]bool {
	out := map[string]bool{}
	for _, l := range ls {
		if l.Domain != domain {
			continue
		}
		for _, t := range l.Techniques {
			if t.Enabled != nil && !*t.Enabled {
				continue
			}
			if t.Score != nil && *t.Score > 0 {
				out[t.TechniqueID] = true
			}
		}
	}
	return out
}

// Gaps compares detection layers with control layers, domain by domain
// (the domains of the detection layers that cat holds). All layers must be
// of cat's release (upgrade them first).
func Gaps(detections []*Layer, controls []ControlInput, cat *mapper.Catalog) []GapReport {
	var domains []string
	for _, l := range detections {
		if !contains(domains, l.Domain) {
			domains = append(domains, l.Domain)
		}
	}
	sort.Strings(domains)
	d := &Diff{cat: cat}
	var out []GapReport
	for _, dm := range domains {
		rel, ok := cat.Release(mapper.Domain(dm))
		if !ok {
			continue
		}
		det := covering(detections, dm)
		byCtl := map[string][]string{}
		for _, c := range controls {
			for id := range covering(c.Layers, dm) {
				byCtl[id] = append(byCtl[id], c.Name)
			}
		}
		g := GapReport{Domain: dm, Release: rel.Version, Neither: []GapEntry{}, ControlOnly: []GapEntry{}, Controls: map[string][]string{}}
		for _, o := range cat.Objects(mapper.Domain(dm), mapper.TypeTechnique) {
			if o.Status != mapper.StatusActive {
				continue
			}
			g.Total++
			isDet, isCtl := det[o.ID], len(byCtl[o.ID]) > 0
			name, tactics := d.describe(dm, o.ID, nil)
			switch {
			case isDet && isCtl:
				g.Both++
			case isCtl:
				g.ControlOnly = append(g.ControlOnly, GapEntry{TechniqueID: o.ID, Name: name, Tactics: tactics})
				g.Controls[o.ID] = byCtl[o.ID]
			case !isDet:
				g.Neither = append(g.Neither, GapEntry{TechniqueID: o.ID, Name: name, Tactics: tactics})
			}
			if isDet {
				g.Detected++
			}
			if isCtl {
				g.Covered++
			}
		}
		out = append(out, g)
	}
	return out
}

// WriteGapsJSON writes {"domains":[…]}.
func WriteGapsJSON(w io.Writer, gs []GapReport) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(struct {
		Domains []GapReport `json:"domains"`
	}{gs})
}

// WriteGapsMarkdown writes the gaps by tactic, in matrix order, and the
// techniques only controls cover.
func WriteGapsMarkdown(w io.Writer, gs []GapReport, cat *mapper.Catalog) error {
	var b strings.Builder
	b.WriteString("### Detections and controls\n")
	for _, g := range gs {
		fmt.Fprintf(&b, "\n**%s (ATT&CK %s)**: of %d techniques and sub-techniques, %d detected by a rule, %d covered by a control, %d both, **%d neither**, %d by a control only.\n",
			g.Domain, g.Release, g.Total, g.Detected, g.Covered, g.Both, len(g.Neither), len(g.ControlOnly))
		names := map[string]string{}
		order := map[string]int{}
		for i, t := range cat.Tactics(mapper.Domain(g.Domain)) {
			names[t.Shortname] = t.Name
			order[t.Shortname] = i + 1
		}
		byTactic := map[string][]GapEntry{}
		var tactics []string
		for _, e := range g.Neither {
			ts := e.Tactics
			if len(ts) == 0 {
				ts = []string{""}
			}
			for _, t := range ts {
				if byTactic[t] == nil {
					tactics = append(tactics, t)
				}
				byTactic[t] = append(byTactic[t], e)
			}
		}
		sort.Slice(tactics, func(i, j int) bool { return tacticLess(order, tactics[i], tactics[j]) })
		if len(tactics) > 0 {
			b.WriteString("\n#### Neither detected nor covered\n")
		}
		for _, t := range tactics {
			title := names[t]
			if title == "" {
				title = nonEmpty(t, "Tactic not given")
			}
			es := byTactic[t]
			fmt.Fprintf(&b, "\n**%s** (%d)\n\n", title, len(es))
			for _, e := range es {
				fmt.Fprintf(&b, "- %s %s\n", e.TechniqueID, mdEscape(e.Name))
			}
		}
		if len(g.ControlOnly) > 0 {
			b.WriteString("\n#### Covered by a control only\n\n| technique | controls |\n| --- | --- |\n")
			for _, e := range g.ControlOnly {
				fmt.Fprintf(&b, "| %s %s | %s |\n", e.TechniqueID, mdEscape(e.Name), mdEscape(strings.Join(g.Controls[e.TechniqueID], ", ")))
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
