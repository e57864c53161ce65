package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/huntlint/huntlint/mapper"
)

// The text views of the catalog commands (catalog info, show, search and
// diff); mapper holds the data they show, and its JSON form.

// kindPlurals name object kinds in the text output.
var kindPlurals = map[mapper.ObjectType]string{
	mapper.TypeTactic: "tactics", mapper.TypeTechnique: "techniques", mapper.TypeGroup: "groups", mapper.TypeSoftware: "software",
	mapper.TypeCampaign: "campaigns", mapper.TypeMitigation: "mitigations", mapper.TypeDataSource: "data sources",
	mapper.TypeDataComponent: "data components", mapper.TypeDetectionStrategy: "detection strategies", mapper.TypeAnalytic: "analytics",
	mapper.TypeAsset: "assets",
}

// writeDiffText writes diffs as text: one section per kind of change,
// tactics and techniques first, then the other object kinds in mapper.KindOrder.
// Changes that need a look (removed, renamed, renumbered, revoked,
// deprecated, reactivated objects) are listed one per line; additions of
// kinds other than techniques, and objects that gained an ATT&CK ID, are
// counted (the JSON form lists them).
func writeDiffText(w io.Writer, diffs []mapper.DomainDiff) {
	for i, d := range diffs {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "%s %s -> %s\n", d.Domain, d.OldRelease, d.NewRelease)
		if d.Empty() {
			fmt.Fprintln(w, "  no changes")
			continue
		}
		section := func(title string, n int) bool {
			if n > 0 {
				fmt.Fprintf(w, "  %s (%d):\n", title, n)
			}
			return n > 0
		}
		if section("new tactics", len(d.NewTactics)) {
			for _, t := range d.NewTactics {
				fmt.Fprintf(w, "    %s %s (%s)\n", t.ID, t.Name, t.Shortname)
			}
		}
		if section("renamed tactics", len(d.RenamedTactics)) {
			for _, t := range d.RenamedTactics {
				fmt.Fprintf(w, "    %s %s (%s) -> %s (%s)\n", t.ID, t.OldName, t.OldShortname, t.NewName, t.NewShortname)
			}
		}
		if section("removed tactics", len(d.RemovedTactics)) {
			for _, t := range d.RemovedTactics {
				fmt.Fprintf(w, "    %s %s (%s)\n", t.ID, t.Name, t.Shortname)
			}
		}
		if k := d.Kind(mapper.TypeTactic); k != nil {
			writeKindText(w, k, d.OldRelease, false)
		}
		if d.Reordered != nil {
			fmt.Fprintf(w, "  matrix order: %s -> %s\n", strings.Join(d.Reordered.Old, " "), strings.Join(d.Reordered.New, " "))
		}
		if section("added techniques", len(d.Added)) {
			for _, t := range d.Added {
				fmt.Fprintf(w, "    %s %s%s\n", t.ID, t.Name, statusNote(t.Status))
			}
		}
		if section("removed techniques", len(d.Removed)) {
			for _, t := range d.Removed {
				fmt.Fprintf(w, "    %s %s%s\n", t.ID, t.Name, statusNote(t.Status))
			}
		}
		if section("renamed techniques", len(d.Renamed)) {
			for _, t := range d.Renamed {
				fmt.Fprintf(w, "    %s %q -> %q\n", t.ID, t.OldName, t.NewName)
			}
		}
		if section("newly revoked techniques", len(d.Revoked)) {
			writeRevocations(w, d.Revoked)
		}
		if k := d.Kind(mapper.TypeTechnique); k != nil {
			if section("newly deprecated techniques", len(k.Deprecated)) {
				for _, s := range k.Deprecated {
					fmt.Fprintf(w, "    %s%s\n", refText(s.ID, s.Name), wasNote(s.OldStatus))
				}
			}
			writeKindText(w, k, d.OldRelease, false)
		}
		if section("tactic changes", len(d.Moved)) {
			for _, m := range d.Moved {
				var parts []string
				for _, t := range m.Added {
					parts = append(parts, "+"+t.Shortname)
				}
				for _, t := range m.Removed {
					parts = append(parts, "-"+t.Shortname)
				}
				fmt.Fprintf(w, "    %s %s: %s\n", m.ID, m.Name, strings.Join(parts, " "))
			}
		}
		for i := range d.Objects {
			if k := &d.Objects[i]; k.Type != mapper.TypeTactic && k.Type != mapper.TypeTechnique {
				writeKindText(w, k, d.OldRelease, true)
			}
		}
	}
}

// writeKindText writes the changes of one kind. all is false for tactics
// and techniques, whose additions, removals, renames, revocations and
// deprecations have sections of their own.
func writeKindText(w io.Writer, k *mapper.KindDiff, oldRelease string, all bool) {
	kind := kindPlurals[k.Type]
	if kind == "" {
		kind = string(k.Type)
	}
	list := func(title string, n int) bool {
		if n > 0 {
			fmt.Fprintf(w, "  %s (%d):\n", title, n)
		}
		return n > 0
	}
	if all {
		if len(k.Added) > 0 {
			fmt.Fprintf(w, "  added %s (%d)\n", kind, len(k.Added))
		}
		if list("removed "+kind, len(k.Removed)) {
			for _, r := range k.Removed {
				fmt.Fprintf(w, "    %s%s\n", refText(r.ID, r.Name), statusNote(r.Status))
			}
		}
		if list("renamed "+kind, len(k.Renamed)) {
			for _, r := range k.Renamed {
				fmt.Fprintf(w, "    %s%q -> %q\n", idPrefix(r.ID), r.OldName, r.NewName)
			}
		}
	}
	if list("renumbered "+kind, len(k.Renumbered)) {
		for _, r := range k.Renumbered {
			to := r.NewID
			if to == "" {
				to = "no ATT&CK ID"
			}
			from := r.OldID
			if from == "" {
				from = "no ATT&CK ID"
			}
			fmt.Fprintf(w, "    %s -> %s %s\n", from, to, r.Name)
		}
	}
	if len(k.Numbered) > 0 {
		fmt.Fprintf(w, "  %s given an ATT&CK ID (%d; they had none in %s)\n", kind, len(k.Numbered), oldRelease)
	}
	if list(kind+" with another parent", len(k.Reparented)) {
		for _, r := range k.Reparented {
			fmt.Fprintf(w, "    %s %s: %s -> %s\n", r.ID, r.Name, parentText(r.OldParent), parentText(r.NewParent))
		}
	}
	if all {
		if list("newly revoked "+kind, len(k.Revoked)) {
			writeRevocations(w, k.Revoked)
		}
		if list("newly deprecated "+kind, len(k.Deprecated)) {
			for _, s := range k.Deprecated {
				fmt.Fprintf(w, "    %s%s\n", refText(s.ID, s.Name), wasNote(s.OldStatus))
			}
		}
	} else if k.Type == mapper.TypeTactic {
		// Tactics have no revoked or deprecated sections of their own.
		if list("newly revoked tactics", len(k.Revoked)) {
			writeRevocations(w, k.Revoked)
		}
		if list("newly deprecated tactics", len(k.Deprecated)) {
			for _, s := range k.Deprecated {
				fmt.Fprintf(w, "    %s%s\n", refText(s.ID, s.Name), wasNote(s.OldStatus))
			}
		}
	}
	if list("reactivated "+kind, len(k.Reactivated)) {
		for _, s := range k.Reactivated {
			fmt.Fprintf(w, "    %s (was %s)\n", refText(s.ID, s.Name), s.OldStatus)
		}
	}
}

func writeRevocations(w io.Writer, rs []mapper.Revocation) {
	for _, r := range rs {
		use := "no live replacement"
		if r.ReplacedBy != nil {
			use = "use " + r.ReplacedBy.ID + " " + r.ReplacedBy.Name
		}
		via := ""
		if len(r.Chain) > 1 {
			var hops []string
			for _, x := range r.Chain[:len(r.Chain)-1] {
				hops = append(hops, x.ID)
			}
			via = " (via " + strings.Join(hops, " -> ") + ")"
		}
		fmt.Fprintf(w, "    %s: %s%s%s\n", refText(r.ID, r.Name), use, via, wasNote(r.OldStatus))
	}
}

// refText is "ID Name", or the name alone for an object without an ATT&CK ID.
func refText(id, name string) string { return idPrefix(id) + name }

func idPrefix(id string) string {
	if id == "" {
		return "(no ATT&CK ID) "
	}
	return id + " "
}

func parentText(p string) string {
	if p == "" {
		return "top-level"
	}
	return "sub-technique of " + p
}

// wasNote marks a state change that did not start from active.
func wasNote(old mapper.Status) string {
	if old == "" || old == mapper.StatusActive {
		return ""
	}
	return " (was " + string(old) + ")"
}

// writeInfoText writes infos as text, one block per domain.
func writeInfoText(w io.Writer, infos []mapper.DomainInfo) {
	for i, in := range infos {
		if i > 0 {
			fmt.Fprintln(w)
		}
		state := "inactive"
		if in.Active {
			state = "active"
		}
		src := in.Source
		if in.Path != "" {
			src += " " + in.Path
		}
		fmt.Fprintf(w, "%s %s (%s; %s)\n", in.Domain, in.Release, state, src)
		n := in.Counts
		released := "unknown"
		if in.Date != "" {
			released = fmt.Sprintf("%s (%s ago)", in.Date, mapper.AgeText(time.Duration(in.AgeDays)*24*time.Hour))
			if in.Outdated {
				released += "; outdated: run huntlint catalog update"
			}
		}
		rows := [][2]string{
			{"released", released},
			{"modified", in.Modified},
			{"tactics", fmt.Sprint(n.Tactics)},
			{"techniques", fmt.Sprint(n.Techniques)},
			{"sub-techniques", fmt.Sprint(n.Subtechniques)},
			{"revoked", fmt.Sprint(n.Revoked)},
			{"deprecated", fmt.Sprint(n.Deprecated)},
			{"groups", fmt.Sprint(n.Groups)},
			{"software", fmt.Sprint(n.Software)},
			{"campaigns", fmt.Sprint(n.Campaigns)},
			{"mitigations", fmt.Sprint(n.Mitigations)},
			{"data sources", fmt.Sprint(n.DataSources)},
			{"data components", fmt.Sprint(n.DataComponents)},
		}
		if n.DetectionStrategies > 0 || n.Analytics > 0 {
			rows = append(rows, [2]string{"detection strategies", fmt.Sprint(n.DetectionStrategies)}, [2]string{"analytics", fmt.Sprint(n.Analytics)})
		}
		if n.Assets > 0 {
			rows = append(rows, [2]string{"assets", fmt.Sprint(n.Assets)})
		}
		if in.Texts {
			rows = append(rows, [2]string{"texts", "descriptions and detections (used by tag)"})
		}
		for _, r := range rows {
			fmt.Fprintf(w, "  %-21s %s\n", r[0]+":", r[1])
		}
	}
}

// writeViewText writes v, an object of catalog c, as text (catalog show).
func writeViewText(w io.Writer, c *mapper.Catalog, v mapper.ObjectView) {
	name := v.Name
	if o, ok := c.GetIn(v.Domain, v.Type, v.ID); ok {
		name = c.FullName(o)
	}
	fmt.Fprintf(w, "%s %s (%s, %s)\n", v.ID, name, v.Type, v.Domain)
	row := func(k, val string) {
		if val != "" {
			fmt.Fprintf(w, "  %-15s %s\n", k+":", val)
		}
	}
	status := string(v.Status)
	row("status", status)
	if v.Status == mapper.StatusRevoked {
		if len(v.RevokedBy) == 0 {
			row("revoked by", "no replacement named in the catalog")
		} else {
			var chain []string
			for _, r := range append([]mapper.ObjectRef{{ID: v.ID}}, v.RevokedBy...) {
				chain = append(chain, r.ID)
			}
			row("revoked by", refName(c, v.Domain, v.RevokedBy[0]))
			if len(v.RevokedBy) > 1 {
				row("chain", strings.Join(chain, " -> "))
			}
			switch {
			case v.ReplacedBy == nil:
				row("use instead", "none: the revocation chain is broken")
			case len(v.RevokedBy) > 1:
				row("use instead", refName(c, v.Domain, *v.ReplacedBy))
			}
		}
	}
	row("shortname", v.Shortname)
	if v.Order != nil {
		row("matrix order", fmt.Sprint(*v.Order+1))
	}
	if v.Type == mapper.TypeTactic {
		row("techniques", fmt.Sprint(v.Techniques))
	}
	if v.Parent != nil {
		row("parent", v.Parent.ID+" "+v.Parent.Name)
	}
	var tactics []string
	for i, t := range v.Tactics {
		s := t.ID + " " + t.Name
		if i < len(v.TacticNames) {
			s = v.TacticNames[i] + " (" + s + ")"
		}
		tactics = append(tactics, s)
	}
	row("tactics", strings.Join(tactics, ", "))
	row("platforms", strings.Join(v.Platforms, ", "))
	for i, s := range v.Subtechniques {
		k := ""
		if i == 0 {
			k = "sub-techniques"
		}
		st := ""
		if s.Status != mapper.StatusActive {
			st = " [" + string(s.Status) + "]"
		}
		if k == "" {
			fmt.Fprintf(w, "  %-15s %s %s%s\n", "", s.ID, s.Name, st)
		} else {
			row(k, s.ID+" "+s.Name+st)
		}
	}
	list := func(k string, vals []string) {
		for i, val := range vals {
			if i == 0 {
				row(k, val)
			} else {
				fmt.Fprintf(w, "  %-15s %s\n", "", val)
			}
		}
	}
	var refs []string
	for _, d := range v.DetectedBy {
		refs = append(refs, d.ID+" "+d.Name)
	}
	list("detected by", refs)
	refs = refs[:0]
	for _, a := range v.Analytics {
		refs = append(refs, a.ID)
	}
	row("analytics", strings.Join(refs, ", "))
	list("log sources", v.LogSources)
	writeViewRelations(w, c, v, row, list)
	row("modified", v.Modified)
	row("stix id", v.STIXID)
}

// writeSearchText writes search results as aligned text lines.
func writeSearchText(w io.Writer, rs []mapper.SearchResult) {
	for _, r := range rs {
		st := ""
		if r.Status != mapper.StatusActive {
			st = " [" + string(r.Status) + "]"
		}
		fmt.Fprintf(w, "%-10s %-18s %s (%s)%s\n", r.ID, r.Type, r.Name, r.Domain, st)
	}
}

// refName is "ID full name" of a technique (or other object) in domain d.
func refName(c *mapper.Catalog, d mapper.Domain, r mapper.ObjectRef) string {
	if o, ok := c.GetIn(d, mapper.TypeTechnique, r.ID); ok && o.Name == r.Name {
		return r.ID + " " + c.FullName(o)
	}
	return r.ID + " " + r.Name
}

// writeViewRelations writes the aliases and relations of v with the text
// writer's row and list helpers.
func writeViewRelations(w io.Writer, c *mapper.Catalog, v mapper.ObjectView, row func(k, val string), list func(k string, vals []string)) {
	row("aliases", strings.Join(v.Aliases, ", "))
	refs := func(rs []mapper.ObjectRef, full bool) []string {
		var out []string
		for _, r := range rs {
			s := r.ID + " " + r.Name
			if full {
				s = refName(c, v.Domain, r)
			}
			if r.Status != mapper.StatusActive {
				s += " [" + string(r.Status) + "]"
			}
			out = append(out, s)
		}
		return out
	}
	list("attributed to", refs(v.AttributedTo, false))
	list("campaigns", refs(v.Campaigns, false))
	list("software", refs(v.UsesSoftware, false))
	if len(v.Uses) > 0 {
		fmt.Fprintf(w, "  %-15s %d\n", "techniques:", len(v.Uses))
		for _, s := range refs(v.Uses, true) {
			fmt.Fprintf(w, "  %-15s %s\n", "", s)
		}
	}
	if u := v.UsedBy; u != nil {
		row("used by", fmt.Sprintf("%d groups, %d campaigns, %d software", u.Groups, u.Campaigns, u.Software))
	}
}

func statusNote(s mapper.Status) string {
	if s == mapper.StatusActive {
		return ""
	}
	return " [" + string(s) + "]"
}
