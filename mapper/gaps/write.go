package gaps

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/huntlint/huntlint/mapper"
	"github.com/huntlint/huntlint/mapper/layer"
)

// Format names an output format of `huntlint gaps`.
type Format string

// Output formats.
const (
	FormatText      Format = "text"
	FormatJSON      Format = "json"
	FormatMarkdown  Format = "markdown"
	FormatNavigator Format = "navigator"
	FormatHTML      Format = "html"
)

// Formats lists the formats in documentation order.
var Formats = []Format{FormatText, FormatJSON, FormatMarkdown, FormatNavigator, FormatHTML}

// ParseFormat checks a --format value.
func ParseFormat(s string) (Format, error) {
	var names []string
	for _, f := range Formats {
		if string(f) == s {
			return f, nil
		}
		names = append(names, string(f))
	}
	return "", fmt.Errorf("invalid --format %q: use %s", s, strings.Join(names, ", "))
}

// Write writes r in format f; o names and dates the navigator and html
// outputs.
func Write(w io.Writer, f Format, r *Report, o layer.WriteOptions) error {
	switch f {
	case FormatText, "":
		return WriteText(w, r)
	case FormatJSON:
		return WriteJSON(w, r)
	case FormatMarkdown:
		return WriteMarkdown(w, r)
	case FormatNavigator:
		layers := layer.NavigatorOverlay(r.Coverage, o, r.Overlay())
		for _, l := range layers {
			if err := l.Validate(nil); err != nil {
				return err
			}
		}
		return layer.Encode(w, layers)
	case FormatHTML:
		return layer.WriteHTMLOverlay(w, r.Coverage, o, r.Overlay())
	}
	return fmt.Errorf("invalid format %q", f)
}

// JSON is the stable JSON form of a report (docs/gaps.md).
type JSON struct {
	Catalog    []JSONRelease   `json:"catalog"`
	Threats    []Threat        `json:"threats"`
	Techniques []JSONTechnique `json:"techniques"`
	Summary    Summary         `json:"summary"`
}

// JSONRelease names one loaded domain of the catalog.
type JSONRelease struct {
	Domain  mapper.Domain `json:"domain"`
	Release string        `json:"release"`
	Source  string        `json:"source"`
}

// JSONTechnique is one used technique.
type JSONTechnique struct {
	ID      string     `json:"id"`
	Name    string     `json:"name"`
	Tactics []string   `json:"tactics"`
	UsedBy  []string   `json:"used_by"`
	Covered bool       `json:"covered"`
	Rules   int        `json:"rules"`
	Rank    int        `json:"rank"`
	RuleRef []JSONRule `json:"covering_rules"`
}

// JSONRule names a covering rule.
type JSONRule struct {
	Title string `json:"title"`
	Path  string `json:"path"`
	Line  int    `json:"line"`
}

// ToJSON returns the JSON form of r.
func (r *Report) ToJSON() JSON {
	j := JSON{Threats: r.Threats, Summary: r.Summary, Catalog: []JSONRelease{}, Techniques: []JSONTechnique{}}
	if j.Threats == nil {
		j.Threats = []Threat{}
	}
	for _, rel := range r.Releases {
		j.Catalog = append(j.Catalog, JSONRelease{Domain: rel.Domain, Release: rel.Version, Source: rel.Source})
	}
	for _, t := range r.Techniques {
		jt := JSONTechnique{ID: t.Technique.ID, Name: t.Name, Tactics: t.Tactics, UsedBy: t.UsedBy, Covered: t.Covered,
			Rules: len(t.Rules), Rank: t.Rank, RuleRef: []JSONRule{}}
		if jt.Tactics == nil {
			jt.Tactics = []string{}
		}
		for _, ru := range t.Rules {
			jt.RuleRef = append(jt.RuleRef, JSONRule{Title: ru.Title, Path: ru.Path, Line: ru.Line})
		}
		j.Techniques = append(j.Techniques, jt)
	}
	return j
}

// WriteJSON writes r as indented JSON.
func WriteJSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r.ToJSON())
}

// threatNames is "G0016 APT29 (group), C0024 SolarWinds Compromise (campaign)".
func (r *Report) threatNames() string {
	var out []string
	for _, th := range r.Threats {
		if th.Type == TopUsedType {
			out = append(out, th.Name)
			continue
		}
		out = append(out, fmt.Sprintf("%s (%s)", th.Label(), th.Type))
	}
	return strings.Join(out, ", ")
}

// selectionNote says which relationships were followed.
func (r *Report) selectionNote() string {
	var parts []string
	if r.Selection.IncludeSoftware {
		parts = append(parts, "with their software")
	}
	if r.Selection.IncludeCampaigns {
		parts = append(parts, "with the campaigns attributed to groups")
	}
	if r.Selection.Since != "" {
		parts = append(parts, "relationships modified since "+r.Selection.Since)
	}
	return strings.Join(parts, "; ")
}

// WriteText writes r for a terminal: the threats, every used technique by
// rank, and the summary.
func WriteText(w io.Writer, r *Report) error {
	fmt.Fprintf(w, "threats: %s\n", r.threatNames())
	if n := r.selectionNote(); n != "" {
		fmt.Fprintf(w, "  (%s)\n", n)
	}
	if len(r.Techniques) > 0 {
		fmt.Fprintln(w)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "rank\ttechnique\tname\tused by\tcovered")
		for _, t := range r.Techniques {
			cov := "no"
			if t.Covered {
				cov = fmt.Sprintf("%d %s", len(t.Rules), plural(len(t.Rules), "rule", "rules"))
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", t.Rank, t.Technique.ID, clip(t.Name, 50), strings.Join(t.UsedBy, ","), cov)
		}
		tw.Flush()
	}
	fmt.Fprintln(w)
	writeSummaryLine(w, r)
	return nil
}

func writeSummaryLine(w io.Writer, r *Report) {
	s := r.Summary
	fmt.Fprintf(w, "%d %s used, %d covered (%.1f%%), %d not covered\n", s.Used, plural(s.Used, "technique", "techniques"), s.Covered, s.Percent, s.Used-s.Covered)
	if len(r.Dropped) > 0 {
		fmt.Fprintf(w, "left out: %s (deprecated, or revoked without a live replacement)\n", strings.Join(r.Dropped, ", "))
	}
}

// WriteMarkdown writes r as a report for a ticket: the threats, the ranked
// uncovered techniques, and used / covered per tactic.
func WriteMarkdown(w io.Writer, r *Report) error {
	fmt.Fprintf(w, "# Detection gaps\n\n")
	fmt.Fprintf(w, "**Threats:** %s", mdEscape(r.threatNames()))
	if n := r.selectionNote(); n != "" {
		fmt.Fprintf(w, " (%s)", mdEscape(n))
	}
	fmt.Fprintf(w, "\n\n")
	var rels []string
	for _, rel := range r.Releases {
		rels = append(rels, fmt.Sprintf("%s %s", rel.Domain, rel.Version))
	}
	fmt.Fprintf(w, "**Catalog:** %s\n\n", strings.Join(rels, ", "))
	s := r.Summary
	fmt.Fprintf(w, "**Coverage:** %d of %d techniques used by these threats are covered (%.1f%%); %d are not.\n\n", s.Covered, s.Used, s.Percent, s.Used-s.Covered)
	unc := r.Uncovered()
	if len(unc) > 0 {
		fmt.Fprintf(w, "## Uncovered techniques, most used first\n\n")
		fmt.Fprintf(w, "| Rank | Technique | Tactics | Used by |\n| ---: | --- | --- | --- |\n")
		for _, t := range unc {
			fmt.Fprintf(w, "| %d | %s %s | %s | %s |\n", t.Rank, t.Technique.ID, mdEscape(t.Name), strings.Join(t.Tactics, ", "), strings.Join(t.UsedBy, ", "))
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "## By tactic\n\n| Tactic | Used | Covered | %% |\n| --- | ---: | ---: | ---: |\n")
	for _, row := range r.byTactic() {
		fmt.Fprintf(w, "| %s %s | %d | %d | %.0f%% |\n", row.tactic.ID, mdEscape(row.tactic.Name), row.used, row.covered, pct(row.covered, row.used))
	}
	if len(r.Dropped) > 0 {
		fmt.Fprintf(w, "\nLeft out (deprecated, or revoked without a live replacement): %s\n", strings.Join(r.Dropped, ", "))
	}
	return nil
}

type tacticRow struct {
	tactic        *mapper.Object
	used, covered int
}

// byTactic counts used and covered techniques per tactic, in matrix order,
// over the tactics that have a used technique.
func (r *Report) byTactic() []tacticRow {
	var rows []tacticRow
	for _, rel := range r.Releases {
		var dc *layer.DomainCoverage
		for _, d := range r.Coverage.Domains {
			if d.Domain == rel.Domain {
				dc = d
			}
		}
		if dc == nil {
			continue
		}
		for _, tac := range dc.Tactics {
			row := tacticRow{tactic: tac}
			for _, t := range r.Techniques {
				if t.Technique.Domain != rel.Domain {
					continue
				}
				for _, s := range t.Tactics {
					if s == tac.Shortname {
						row.used++
						if t.Covered {
							row.covered++
						}
					}
				}
			}
			if row.used > 0 {
				rows = append(rows, row)
			}
		}
	}
	return rows
}

func pct(n, of int) float64 {
	if of == 0 {
		return 100
	}
	return float64(n) * 100 / float64(of)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func mdEscape(s string) string {
	return strings.NewReplacer("|", `\|`, "*", `\*`, "_", `\_`, "<", "&lt;").Replace(s)
}
