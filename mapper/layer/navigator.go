package layer

import (
	"fmt"
	"math"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/huntlint/huntlint/rules"
)

// Default gradient colours: a light and a dark blue, readable on the
// Navigator's white background and for colour-blind readers.
const (
	DefaultMinColor = "#cfe1f2"
	DefaultMaxColor = "#08519c"
)

// WriteOptions describe the presentation of a coverage in every format.
type WriteOptions struct {
	Name      string    // layer name; default "huntlint coverage"
	MinColor  string    // gradient colour of the lowest score; default DefaultMinColor
	MaxColor  string    // gradient colour of the highest score; default DefaultMaxColor
	LinkBase  string    // URL prefix of rule files for technique links; none when empty
	Generator string    // "huntlint <version>"
	Date      time.Time // generation time (only the date is written)
	Inputs    []string  // the paths given on the command line
}

func (o WriteOptions) withDefaults() WriteOptions {
	if o.Name == "" {
		o.Name = "huntlint coverage"
	}
	if o.MinColor == "" {
		o.MinColor = DefaultMinColor
	}
	if o.MaxColor == "" {
		o.MaxColor = DefaultMaxColor
	}
	if o.Generator == "" {
		o.Generator = "huntlint"
	}
	if o.Date.IsZero() {
		o.Date = time.Now()
	}
	return o
}

// CheckColor reports whether c is a colour the Navigator accepts
// ("#rrggbb" or "#rgb").
func CheckColor(c string) error {
	if !hexColor.MatchString(c) {
		return fmt.Errorf("invalid colour %q: expected a hexadecimal colour like \"#08519c\"", c)
	}
	return nil
}

func ptr[T any](v T) *T { return &v }

// Navigator builds one Navigator 4.5 layer per domain of cov. Each covered
// technique gets one entry per tactic the catalog gives it, all with the same
// score; parents of covered sub-techniques carry showSubtechniques.
func Navigator(cov *Coverage, o WriteOptions) []*Layer {
	o = o.withDefaults()
	var out []*Layer
	for _, dc := range cov.Domains {
		out = append(out, navigatorLayer(cov, dc, o))
	}
	return out
}

func navigatorLayer(cov *Coverage, dc *DomainCoverage, o WriteOptions) *Layer {
	name := o.Name
	if len(cov.Domains) > 1 {
		name += " (" + string(dc.Domain) + ")"
	}
	l := &Layer{
		Name:        name,
		Versions:    &Versions{Navigator: NavigatorVersion, Layer: LayerVersion},
		Domain:      string(dc.Domain),
		Description: ptr(summaryLine(cov, dc)),
		Sorting:     ptr(3),
		Layout: &Layout{
			Layout:                ptr("side"),
			ShowID:                ptr(true),
			ShowName:              ptr(true),
			ShowAggregateScores:   ptr(false),
			CountUnscored:         ptr(false),
			AggregateFunction:     ptr("average"),
			ExpandedSubtechniques: ptr("annotated"),
		},
		HideDisabled: ptr(false),
	}
	if v := dc.Release.Version; v != "" && v != "unknown" {
		l.Versions.Attack = ptr(v)
	}
	if pl := domainPlatforms(dc); len(pl) > 0 {
		l.Filters = &Filters{Platforms: pl}
	}

	covered := map[string]bool{} // parents with a covered sub-technique
	for id, c := range dc.Cells {
		if c.Technique.IsSubtechnique() {
			covered[c.Technique.Parent] = true
		}
		_ = id
	}
	live := map[string]bool{}
	for _, t := range dc.Live {
		live[t.ID] = true
	}
	type entry struct {
		id string
		t  Technique
	}
	var entries []entry
	for _, c := range dc.Sorted() {
		for _, tac := range c.Tactics {
			t := Technique{
				TechniqueID: c.Technique.ID,
				Tactic:      ptr(tac),
				Score:       ptr(c.Score),
				Comment:     ptr(cellComment(c)),
				Metadata:    cellMetadata(c),
				Links:       cellLinks(c, o.LinkBase),
			}
			if covered[c.Technique.ID] {
				t.ShowSubtechniques = ptr(true)
			}
			entries = append(entries, entry{c.Technique.ID, t})
		}
	}
	// Parents not covered themselves still open to show covered sub-techniques.
	for _, t := range dc.Live {
		if covered[t.ID] && dc.Cells[t.ID] == nil {
			for _, tac := range dc.tacticsOf(t) {
				entries = append(entries, entry{t.ID, Technique{TechniqueID: t.ID, Tactic: ptr(tac), ShowSubtechniques: ptr(true)}})
			}
		}
	}
	order := map[string]int{}
	for i, t := range dc.Tactics {
		order[t.Shortname] = i
	}
	sort.SliceStable(entries, func(i, j int) bool {
		if entries[i].id != entries[j].id {
			return entries[i].id < entries[j].id
		}
		return order[*entries[i].t.Tactic] < order[*entries[j].t.Tactic]
	})
	for _, e := range entries {
		l.Techniques = append(l.Techniques, e.t)
	}

	lo, hi := gradientRange(dc)
	l.Gradient = &Gradient{Colors: []string{o.MinColor, o.MaxColor}, MinValue: lo, MaxValue: hi}
	l.LegendItems = []LegendItem{
		{Label: legendLabel(cov.Options.Score, lo), Color: o.MinColor},
		{Label: legendLabel(cov.Options.Score, hi), Color: o.MaxColor},
	}
	l.Metadata = layerMetadata(cov, dc, o)
	return l
}

// legendLabel is "1 rule", "3 rules" or "score 12".
func legendLabel(f ScoreFunc, v float64) string {
	if f == ScoreCount || f == "" {
		return fmtNum(v) + " " + pluralF(v, "rule", "rules")
	}
	return "score " + fmtNum(v)
}

func pluralF(v float64, one, many string) string {
	if v == 1 {
		return one
	}
	return many
}

// gradientRange is the score range of the gradient: lowest to highest
// score, rounded out to whole numbers (mitreattack-python's navlayers takes
// only integer bounds), widened to start at 0 when every score is equal
// (the Navigator requires maxValue > minValue).
func gradientRange(dc *DomainCoverage) (lo, hi float64) {
	lo, hi = math.Floor(dc.MinScore()), math.Ceil(dc.MaxScore())
	if hi <= lo {
		lo = 0
		if hi <= 0 {
			hi = 1
		}
	}
	return lo, hi
}

func summaryLine(cov *Coverage, dc *DomainCoverage) string {
	scored := 0
	for _, c := range dc.Cells {
		if len(c.Rules) > 0 || len(c.Rolled) > 0 {
			scored++
		}
	}
	s := fmt.Sprintf("%d of %d rules map to %d of %d %s techniques and sub-techniques (score: %s",
		dc.Rules, len(cov.Rules), scored, len(dc.Live), dc.Domain, cov.Options.Score)
	if cov.Options.Rollup {
		s += ", sub-techniques rolled up"
	}
	s += ")"
	if n := len(cov.Revoked); n > 0 {
		s += fmt.Sprintf("; %d revoked %s counted under %s replacement", n, plural(n, "reference", "references"), plural(n, "its", "their"))
	}
	if n := len(cov.Unknown); n > 0 {
		s += fmt.Sprintf("; %d unknown %s left out", n, plural(n, "reference", "references"))
	}
	if n := len(cov.Deprecated); n > 0 {
		s += fmt.Sprintf("; %d deprecated %s left out", n, plural(n, "reference", "references"))
	}
	return s
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func fmtNum(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func domainPlatforms(dc *DomainCoverage) []string {
	seen := map[string]bool{}
	var out []string
	for _, t := range dc.Live {
		for _, p := range t.Platforms {
			if !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	sort.Strings(out)
	return out
}

// cellComment lists the rule titles, the rules counted from sub-techniques,
// and the revoked references counted under this technique.
func cellComment(c *Cell) string {
	var lines []string
	if len(c.Rules) > 0 {
		lines = append(lines, fmt.Sprintf("%d %s", len(c.Rules), plural(len(c.Rules), "rule", "rules")))
		for _, r := range c.Rules {
			lines = append(lines, "- "+r.Title)
		}
	}
	if n := len(c.Rolled); n > 0 {
		if len(c.Rules) > 0 {
			lines = append(lines, fmt.Sprintf("%d more from sub-techniques", n))
		} else {
			lines = append(lines, fmt.Sprintf("%d %s from sub-techniques", n, plural(n, "rule", "rules")))
		}
		for _, r := range c.Rolled {
			lines = append(lines, "- "+r.Title)
		}
	}
	var b strings.Builder
	b.WriteString(strings.Join(lines, "\n"))
	for _, n := range revokedSummary(c) {
		b.WriteString("\n" + n)
	}
	return b.String()
}

// revokedSummary says, once per revoked ID, which rules named it.
func revokedSummary(c *Cell) []string {
	type acc struct {
		chain  []string
		titles []string
	}
	var keys []string
	m := map[string]*acc{}
	for _, n := range c.Revoked {
		k := strings.ToUpper(n.Ref.Value)
		a := m[k]
		if a == nil {
			a = &acc{chain: n.Chain}
			m[k] = a
			keys = append(keys, k)
		}
		if len(a.titles) == 0 || a.titles[len(a.titles)-1] != n.Rule.Title {
			a.titles = append(a.titles, n.Rule.Title)
		}
	}
	sort.Strings(keys)
	var out []string
	for _, k := range keys {
		a := m[k]
		via := strings.Join(a.chain, " -> ")
		if via == "" {
			via = k
		}
		out = append(out, fmt.Sprintf("revoked %s counted here (%s) in: %s", k, via, strings.Join(a.titles, "; ")))
	}
	return out
}

var formatOrder = []rules.Format{rules.FormatSigma, rules.FormatSentinel, rules.FormatKQL, rules.FormatMarkdown}

func cellMetadata(c *Cell) []Metadata {
	rs := c.AllRules()
	md := []Metadata{{Name: "rules", Value: strconv.Itoa(len(rs))}}
	byFormat := map[rules.Format]int{}
	byLevel := map[string]int{}
	for _, r := range rs {
		byFormat[r.Format]++
		byLevel[r.Level]++
	}
	for _, f := range formatOrder {
		if n := byFormat[f]; n > 0 {
			md = append(md, Metadata{Name: string(f), Value: strconv.Itoa(n)})
		}
	}
	// No divider between the counts: mitreattack-python's navlayers
	// refuses metadata dividers with two warnings each.
	for i := len(Levels) - 1; i >= 0; i-- {
		if n := byLevel[Levels[i]]; n > 0 {
			md = append(md, Metadata{Name: Levels[i], Value: strconv.Itoa(n)})
		}
	}
	if n := byLevel[""]; n > 0 {
		md = append(md, Metadata{Name: "no level", Value: strconv.Itoa(n)})
	}
	md = append(md, evidenceCellMetadata(rs)...)
	return md
}

func cellLinks(c *Cell, base string) []Link {
	if base == "" {
		return nil
	}
	var out []Link
	seen := map[string]bool{}
	for _, r := range c.AllRules() {
		u := RuleURL(base, r.Path)
		if seen[u] {
			continue
		}
		seen[u] = true
		out = append(out, Link{Label: r.Title, URL: u})
	}
	return out
}

// RuleURL joins a --link-base URL and a rule path, escaping each path
// segment ("my rules/a#1.yml" becomes "my%20rules/a%231.yml").
func RuleURL(base, path string) string {
	segs := strings.Split(strings.TrimLeft(strings.TrimPrefix(path, "./"), "/"), "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.TrimRight(base, "/") + "/" + strings.Join(segs, "/")
}

func layerMetadata(cov *Coverage, dc *DomainCoverage, o WriteOptions) []Metadata {
	md := []Metadata{
		{Name: "generator", Value: o.Generator},
		{Name: "date", Value: o.Date.UTC().Format("2006-01-02")},
		{Name: "attack", Value: dc.Release.Version + " (" + dc.Release.Source + ")"},
		{Name: "rules", Value: strconv.Itoa(len(cov.Rules))},
		{Name: "rules in this domain", Value: strconv.Itoa(dc.Rules)},
	}
	if len(o.Inputs) > 0 {
		md = append(md, Metadata{Name: "inputs", Value: strings.Join(o.Inputs, ", ")})
	}
	md = append(md, Metadata{Name: "score", Value: string(cov.Options.Score)})
	if cov.Options.Rollup {
		md = append(md, Metadata{Name: "rollup", Value: "sub-techniques counted on their parent"})
	}
	if len(cov.Options.StatusWeights) > 0 {
		md = append(md, Metadata{Name: "status weights", Value: FormatStatusWeights(cov.Options.StatusWeights)})
	}
	if f := filterSummary(cov.Options); f != "" {
		md = append(md, Metadata{Name: "filters", Value: f})
	}
	if cov.Filtered > 0 {
		md = append(md, Metadata{Name: "rules filtered out", Value: strconv.Itoa(cov.Filtered)})
	}
	md = append(md,
		Metadata{Name: "revoked references (counted under replacement)", Value: strconv.Itoa(len(cov.Revoked))},
		Metadata{Name: "unknown references (left out)", Value: strconv.Itoa(len(cov.Unknown))},
		Metadata{Name: "deprecated references (left out)", Value: strconv.Itoa(len(cov.Deprecated))},
	)
	md = append(md, evidenceLayerMetadata(cov)...)
	return md
}

func filterSummary(o Options) string {
	var parts []string
	add := func(name string, vs []string) {
		if len(vs) > 0 {
			parts = append(parts, name+"="+strings.Join(vs, ","))
		}
	}
	if o.MinLevel != "" {
		parts = append(parts, "min-level="+o.MinLevel)
	}
	if o.MinStatus != "" {
		parts = append(parts, "min-status="+o.MinStatus)
	}
	var fs []string
	for _, f := range o.Formats {
		fs = append(fs, string(f))
	}
	add("source-format", fs)
	add("product", o.Products)
	add("tactic", o.Tactics)
	add("include", o.Include)
	add("exclude", o.Exclude)
	return strings.Join(parts, " ")
}
