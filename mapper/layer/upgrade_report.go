package layer

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// kindTitle is the heading of a change kind in the text and Markdown reports.
var kindTitle = map[ChangeKind]string{
	ChangeMoved:   "Moved (revoked or renumbered; annotations follow the replacement)",
	ChangeMerged:  "Merged (several techniques onto one; " + "highest score, comments joined)",
	ChangeTactics: "Tactics changed (annotated under the current tactics)",
	ChangeDropped: "Dropped (left out of the layer)",
	ChangeKept:    "Kept",
}

func (r *UpgradeReport) byKind() map[ChangeKind][]UpgradeChange {
	m := map[ChangeKind][]UpgradeChange{}
	for _, c := range r.Changes {
		m[c.Kind] = append(m[c.Kind], c)
	}
	return m
}

// Summary is one line: counts by kind.
func (r *UpgradeReport) Summary() string {
	var parts []string
	for _, k := range ChangeKinds {
		parts = append(parts, fmt.Sprintf("%d %s", r.Counts[k], k))
	}
	n := len(r.Review())
	for _, l := range r.Layers {
		n += len(l.Notes)
	}
	return fmt.Sprintf("%s; %d to review", strings.Join(parts, ", "), n)
}

func changeLine(c UpgradeChange, md bool) string {
	id := func(s, name string) string {
		if name == "" {
			return s
		}
		if md {
			return s + " " + mdEscape(name)
		}
		return s + " " + name
	}
	entries := fmt.Sprintf("%d %s", c.Entries, plural(c.Entries, "entry", "entries"))
	switch c.Kind {
	case ChangeMoved:
		return fmt.Sprintf("%s -> %s (%s; %s; %s)", id(c.TechniqueID, c.Name), id(c.To, c.ToName), c.Reason, strings.Join(c.Chain, " -> "), entries)
	case ChangeMerged:
		where := c.TechniqueID
		if c.Tactic != "" {
			where += " in " + c.Tactic
		}
		return fmt.Sprintf("%s: %s merged (%s)", where, strings.Join(c.From, " + "), entries)
	case ChangeTactics:
		old := strings.Join(c.OldTactics, ", ")
		if old == "" {
			old = "none given"
		}
		who := id(c.TechniqueID, c.Name)
		if c.To != "" {
			who += " (now " + c.To + ")"
		}
		s := fmt.Sprintf("%s: %s -> %s (%s)", who, old, strings.Join(c.NewTactics, ", "), entries)
		if c.Reason != "" {
			s += "; " + c.Reason
		}
		return s
	case ChangeDropped:
		return fmt.Sprintf("%s: %s (%s)", id(c.TechniqueID, c.Name), c.Reason, entries)
	}
	return id(c.TechniqueID, c.Name)
}

// WriteText writes the report for a terminal: per layer, the changes by
// kind; kept techniques are counted, not listed.
func (r *UpgradeReport) WriteText(w io.Writer) error {
	var b strings.Builder
	for _, l := range r.Layers {
		fmt.Fprintf(&b, "%s: layer %q (%s): %s\n", nonEmpty(l.File, "-"), l.Name, l.Domain, upgradeSummary(l))
		for _, n := range l.Notes {
			fmt.Fprintf(&b, "  note: %s\n", n)
		}
	}
	groups := r.byKind()
	for _, k := range ChangeKinds {
		cs := groups[k]
		if len(cs) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n%s: %d\n", kindTitle[k], len(cs))
		if k == ChangeKept {
			b.WriteString("  (listed with --format json)\n")
			continue
		}
		for _, c := range cs {
			prefix := ""
			if len(r.Layers) > 1 {
				prefix = fmt.Sprintf("[%s] ", c.Layer)
			}
			fmt.Fprintf(&b, "  %s%s\n", prefix, changeLine(c, false))
		}
	}
	fmt.Fprintf(&b, "\n%s\n", r.Summary())
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteMarkdown writes the report as a review list: a table per kind.
func (r *UpgradeReport) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	b.WriteString("### ATT&CK layer upgrade\n\n")
	for _, l := range r.Layers {
		fmt.Fprintf(&b, "- **%s** (%s, `%s`): %s\n", mdEscape(l.Name), l.Domain, nonEmpty(l.File, "-"), mdEscape(upgradeSummary(l)))
		for _, n := range l.Notes {
			fmt.Fprintf(&b, "  - note: %s\n", mdEscape(n))
		}
	}
	fmt.Fprintf(&b, "\n**%s**\n", r.Summary())
	groups := r.byKind()
	for _, k := range ChangeKinds {
		cs := groups[k]
		if len(cs) == 0 || k == ChangeKept {
			continue
		}
		fmt.Fprintf(&b, "\n#### %s: %d\n\n| layer | change |\n| --- | --- |\n", kindTitle[k], len(cs))
		for _, c := range cs {
			fmt.Fprintf(&b, "| %s | %s |\n", mdEscape(c.Layer), strings.ReplaceAll(changeLine(c, true), "|", "\\|"))
		}
	}
	if n := r.Counts[ChangeKept]; n > 0 {
		fmt.Fprintf(&b, "\n%d %s kept unchanged.\n", n, plural(n, "technique", "techniques"))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteJSON writes {"layers":[…],"changes":[…],"counts":{…},"review":N}.
func (r *UpgradeReport) WriteJSON(w io.Writer) error {
	sortChanges(r.Changes)
	review := len(r.Review())
	for _, l := range r.Layers {
		review += len(l.Notes)
	}
	counts := map[string]int{}
	for _, k := range ChangeKinds {
		counts[string(k)] = r.Counts[k]
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(struct {
		Layers    []UpgradeLayer  `json:"layers"`
		Changes   []UpgradeChange `json:"changes"`
		Counts    map[string]int  `json:"counts"`
		Review    int             `json:"review"`
		MergeRule string          `json:"mergeRule"`
	}{r.Layers, r.Changes, counts, review, MergeRule})
}

func nonEmpty(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
