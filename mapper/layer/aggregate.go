package layer

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/huntlint/huntlint/mapper"
	"github.com/huntlint/huntlint/rules"
)

// Options select and weigh the rules of a coverage.
type Options struct {
	Score         ScoreFunc          // default ScoreCount
	StatusWeights map[string]float64 // status → weight; unlisted statuses weigh 1
	Rollup        bool               // count sub-technique rules on the parent too

	MinLevel  string         // keep rules at or above this level (rules without a level are dropped)
	MinStatus string         // keep Sigma rules at or above this status; other formats have no status and pass
	Formats   []rules.Format // keep these source formats (empty: all)
	Products  []string       // keep rules whose Sigma logsource product is one of these (any case)
	Tactics   []string       // keep only these tactics (ID, shortname or name)
	Include   []string       // keep only rules whose slash path matches one of these doublestar patterns
	Exclude   []string       // drop rules whose slash path matches one of these patterns
}

// RuleInfo is one rule as the coverage sees it.
type RuleInfo struct {
	Path         string // slash path as loaded
	Line         int    // first line of the rule in its file
	Title        string // title, or the file name (and line) for untitled queries
	Format       rules.Format
	Level        string  // normalised level, "" when none or unknown
	Status       string  // status as written, lower case
	StatusWeight float64 // from Options.StatusWeights, 1 when unlisted
	Evidence     string  // EvidenceTested or EvidenceUntested once ApplyEvidence ran, else ""
}

// RefNote is one reference that did not count as written: unknown,
// deprecated, or revoked (then counted under Final).
type RefNote struct {
	Rule  *RuleInfo
	Ref   rules.Ref
	Final *mapper.Object // the live replacement of a revoked reference
	Chain []string       // IDs from the written reference to Final
}

// Cell is the coverage of one technique.
type Cell struct {
	Technique *mapper.Object
	Tactics   []string    // tactic shortnames of the entry, in matrix order (after --tactic)
	Rules     []*RuleInfo // rules that tag the technique (directly or through a revoked ID)
	Rolled    []*RuleInfo // rules counted from sub-techniques only (with Rollup)
	Revoked   []RefNote   // revoked references counted here
	Score     float64
}

// AllRules returns the rules counted in the cell's score.
func (c *Cell) AllRules() []*RuleInfo {
	if len(c.Rolled) == 0 {
		return c.Rules
	}
	out := append(append([]*RuleInfo(nil), c.Rules...), c.Rolled...)
	sortRules(out)
	return out
}

// DomainCoverage is the coverage of one ATT&CK domain: one layer.
type DomainCoverage struct {
	Domain  mapper.Domain
	Release mapper.Release
	Tactics []*mapper.Object // in matrix order, after --tactic
	// Live are the active (not revoked, not deprecated) techniques and
	// sub-techniques of the domain in one of Tactics, sorted by ID.
	Live  []*mapper.Object
	Cells map[string]*Cell // by technique ID
	Rules int              // rules with at least one technique in this domain
}

// Sorted returns the cells sorted by technique ID.
func (d *DomainCoverage) Sorted() []*Cell {
	out := make([]*Cell, 0, len(d.Cells))
	for _, c := range d.Cells {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Technique.ID < out[j].Technique.ID })
	return out
}

// MaxScore is the highest cell score (0 when nothing is covered).
func (d *DomainCoverage) MaxScore() float64 {
	var m float64
	for _, c := range d.Cells {
		if c.Score > m {
			m = c.Score
		}
	}
	return m
}

// MinScore is the lowest cell score (0 when nothing is covered).
func (d *DomainCoverage) MinScore() float64 {
	m, first := 0.0, true
	for _, c := range d.Cells {
		if first || c.Score < m {
			m, first = c.Score, false
		}
	}
	return m
}

// Coverage is every rule aggregated per domain and technique.
type Coverage struct {
	Options    Options
	Domains    []*DomainCoverage // active domains first, then others that got rules
	Rules      []*RuleInfo       // rules kept by the filters
	Filtered   int               // rules dropped by the filters
	Untagged   int               // kept rules without any counted technique
	Unknown    []RefNote         // technique references the catalog does not know
	Deprecated []RefNote         // references to deprecated techniques, left out
	Revoked    []RefNote         // revoked references, counted under their replacement
	// EvidenceWeights are the weights ApplyEvidence used; nil without test evidence.
	EvidenceWeights *EvidenceWeights
}

// Aggregate builds the coverage of rs: an Aggregator given every rule.
func Aggregate(cat *mapper.Catalog, rs []*rules.Rule, opts Options) (*Coverage, error) {
	a, err := NewAggregator(cat, opts)
	if err != nil {
		return nil, err
	}
	for _, r := range rs {
		a.Add(r)
	}
	return a.Coverage(), nil
}

// Aggregator builds a coverage one rule at a time, keeping of each rule only
// its RuleInfo and notes, so that rules can be aggregated while they load
// and dropped. A technique reference counts for the live technique it
// resolves to: a revoked ID counts under its final replacement (and the
// cell records it); unknown and deprecated IDs are left out and listed in
// the coverage. A rule counts once per technique however often it names it.
type Aggregator struct {
	cat      *mapper.Catalog
	tactics  map[string]bool // nil: all
	cov      *Coverage
	byDomain map[mapper.Domain]*DomainCoverage
}

// NewAggregator checks opts (tactics, path patterns) and returns an empty
// coverage to Add rules to.
func NewAggregator(cat *mapper.Catalog, opts Options) (*Aggregator, error) {
	if opts.Score == "" {
		opts.Score = ScoreCount
	}
	tacticFilter, err := tacticSet(cat, opts.Tactics)
	if err != nil {
		return nil, err
	}
	for _, p := range append(append([]string(nil), opts.Include...), opts.Exclude...) {
		if !doublestar.ValidatePattern(p) {
			return nil, fmt.Errorf("invalid path pattern %q: check brackets and braces", p)
		}
	}
	a := &Aggregator{cat: cat, tactics: tacticFilter, cov: &Coverage{Options: opts}, byDomain: map[mapper.Domain]*DomainCoverage{}}
	for _, d := range cat.Active() {
		a.cov.Domains = append(a.cov.Domains, a.domain(d))
	}
	return a, nil
}

func (a *Aggregator) domain(d mapper.Domain) *DomainCoverage {
	if dc := a.byDomain[d]; dc != nil {
		return dc
	}
	dc := newDomainCoverage(a.cat, d, a.tactics)
	a.byDomain[d] = dc
	return dc
}

// Add counts r. Nothing of r is kept but copies of its small fields: its
// references lose their YAML nodes.
func (a *Aggregator) Add(r *rules.Rule) {
	cat, opts, cov := a.cat, a.cov.Options, a.cov
	if !keep(r, opts) {
		cov.Filtered++
		return
	}
	info := ruleInfo(r, opts)
	cov.Rules = append(cov.Rules, info)
	seen := map[*Cell]bool{}
	domains := map[*DomainCoverage]bool{}
	for _, ref := range r.Attack {
		ref.Node = nil
		res := cat.ResolveRef(ref)
		if res.Type != mapper.TypeTechnique && ref.Kind != rules.RefTechnique {
			continue // a tactic, group or other object: not a cell
		}
		if !res.Found() {
			cov.Unknown = append(cov.Unknown, RefNote{Rule: info, Ref: ref})
			continue
		}
		final := res.Final
		if final == nil || final.Type != mapper.TypeTechnique {
			// A revoked ID whose replacement chain is broken.
			cov.Unknown = append(cov.Unknown, RefNote{Rule: info, Ref: ref, Chain: ids(res.Chain)})
			continue
		}
		var note *RefNote
		if res.Revoked() {
			note = &RefNote{Rule: info, Ref: ref, Final: final, Chain: ids(res.Chain)}
		}
		if final.Status == mapper.StatusDeprecated {
			cov.Deprecated = append(cov.Deprecated, RefNote{Rule: info, Ref: ref})
			continue
		}
		if note != nil {
			cov.Revoked = append(cov.Revoked, *note)
		}
		dc := a.domain(final.Domain)
		tactics := dc.tacticsOf(final)
		if len(tactics) == 0 {
			continue // not in the selected tactics
		}
		c := dc.Cells[final.ID]
		if c == nil {
			c = &Cell{Technique: final, Tactics: tactics}
			dc.Cells[final.ID] = c
		}
		if note != nil {
			c.Revoked = append(c.Revoked, *note)
		}
		if !seen[c] {
			seen[c] = true
			c.Rules = append(c.Rules, info)
		}
		domains[dc] = true
	}
	for dc := range domains {
		dc.Rules++
	}
	if len(seen) == 0 {
		cov.Untagged++
	}
}

// Coverage finishes the coverage of the rules added (sorting, rollup,
// scores) and returns it; call it once, after the last Add.
func (a *Aggregator) Coverage() *Coverage {
	cov, opts := a.cov, a.cov.Options
	var extra []*DomainCoverage
	for d, dc := range a.byDomain {
		if !a.cat.IsActive(d) && len(dc.Cells) > 0 {
			extra = append(extra, dc)
		}
	}
	sort.Slice(extra, func(i, j int) bool { return extra[i].Domain < extra[j].Domain })
	cov.Domains = append(cov.Domains, extra...)
	for _, dc := range cov.Domains {
		if opts.Rollup {
			dc.rollup()
		}
		for id, c := range dc.Cells {
			sortRules(c.Rules)
			c.Score = score(opts.Score, c.AllRules())
			if c.Score == 0 {
				// Only rules whose status weighs 0: no coverage.
				delete(dc.Cells, id)
			}
		}
	}
	return cov
}

// tacticSet resolves --tactic values to shortnames; nil means all tactics.
func tacticSet(cat *mapper.Catalog, names []string) (map[string]bool, error) {
	if len(names) == 0 {
		return nil, nil
	}
	set := map[string]bool{}
	for _, n := range names {
		t, _, ok := cat.CurrentTactic(n) // a former name counts as today's
		if !ok {
			var known []string
			for _, d := range cat.Active() {
				for _, t := range cat.Tactics(d) {
					known = append(known, t.Shortname)
				}
			}
			return nil, fmt.Errorf("unknown tactic %q: use a tactic ID, name or shortname such as %s", n, strings.Join(uniq(known), ", "))
		}
		set[t.Shortname] = true
	}
	return set, nil
}

func newDomainCoverage(cat *mapper.Catalog, d mapper.Domain, tactics map[string]bool) *DomainCoverage {
	dc := &DomainCoverage{Domain: d, Release: mapper.Release{Domain: d, Version: "unknown"}, Cells: map[string]*Cell{}}
	for _, r := range cat.Releases() {
		if r.Domain == d {
			dc.Release = r
		}
	}
	for _, t := range cat.Tactics(d) {
		if tactics == nil || tactics[t.Shortname] {
			dc.Tactics = append(dc.Tactics, t)
		}
	}
	for _, o := range cat.Objects(d, mapper.TypeTechnique) {
		if o.Status == mapper.StatusActive && len(dc.tacticsOf(o)) > 0 {
			dc.Live = append(dc.Live, o)
		}
	}
	sort.Slice(dc.Live, func(i, j int) bool { return dc.Live[i].ID < dc.Live[j].ID })
	return dc
}

// tacticsOf returns the tactics of technique o that are columns of this
// coverage, in matrix order.
func (dc *DomainCoverage) tacticsOf(o *mapper.Object) []string {
	var out []string
	for _, t := range dc.Tactics {
		for _, s := range o.Tactics {
			if s == t.Shortname {
				out = append(out, s)
				break
			}
		}
	}
	return out
}

// rollup adds the rules of covered sub-techniques to their parents,
// creating parent cells where needed.
func (dc *DomainCoverage) rollup() {
	live := map[string]*mapper.Object{}
	for _, o := range dc.Live {
		live[o.ID] = o
	}
	var subs []*Cell
	for _, c := range dc.Cells {
		if c.Technique.IsSubtechnique() {
			subs = append(subs, c)
		}
	}
	sort.Slice(subs, func(i, j int) bool { return subs[i].Technique.ID < subs[j].Technique.ID })
	for _, sc := range subs {
		parent := live[sc.Technique.Parent]
		if parent == nil {
			continue
		}
		pc := dc.Cells[parent.ID]
		if pc == nil {
			pc = &Cell{Technique: parent, Tactics: dc.tacticsOf(parent)}
			dc.Cells[parent.ID] = pc
		}
		for _, r := range sc.Rules {
			if !containsRule(pc.Rules, r) && !containsRule(pc.Rolled, r) {
				pc.Rolled = append(pc.Rolled, r)
			}
		}
	}
	for _, c := range dc.Cells {
		sortRules(c.Rolled)
	}
}

func containsRule(rs []*RuleInfo, r *RuleInfo) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}

func keep(r *rules.Rule, o Options) bool {
	if len(o.Formats) > 0 && !containsFormat(o.Formats, r.Format) {
		return false
	}
	if o.MinLevel != "" && levelRank(r.Level) < levelRank(o.MinLevel) {
		return false
	}
	if o.MinStatus != "" && r.Format == rules.FormatSigma && statusRank(r.Status) < statusRank(o.MinStatus) {
		return false
	}
	if len(o.Products) > 0 {
		ok := false
		for _, p := range o.Products {
			if strings.EqualFold(p, r.Product) {
				ok = true
			}
		}
		if !ok {
			return false
		}
	}
	p := filepath.ToSlash(r.Path)
	if len(o.Include) > 0 && !matchAny(o.Include, p) {
		return false
	}
	return !matchAny(o.Exclude, p)
}

// matchAny matches p, and every suffix of p after a slash, so that
// "deprecated/**" matches "rules/deprecated/x.yml" as well.
func matchAny(patterns []string, p string) bool {
	for _, pat := range patterns {
		for s := p; ; {
			if ok, _ := doublestar.Match(pat, s); ok {
				return true
			}
			i := strings.IndexByte(s, '/')
			if i < 0 {
				break
			}
			s = s[i+1:]
		}
	}
	return false
}

func containsFormat(fs []rules.Format, f rules.Format) bool {
	for _, x := range fs {
		if x == f {
			return true
		}
	}
	return false
}

func ruleInfo(r *rules.Rule, o Options) *RuleInfo {
	info := &RuleInfo{
		Path:         filepath.ToSlash(r.Path),
		Line:         r.Start.Line,
		Title:        strings.TrimSpace(r.Title),
		Format:       r.Format,
		Level:        NormalizeLevel(r.Level),
		Status:       strings.ToLower(strings.TrimSpace(r.Status)),
		StatusWeight: 1,
	}
	if w, ok := o.StatusWeights[info.Status]; ok && info.Status != "" {
		info.StatusWeight = w
	}
	if info.Title == "" {
		info.Title = filepath.Base(r.Path)
		if r.Start.Line > 1 {
			info.Title += fmt.Sprintf(":%d", r.Start.Line)
		}
	}
	return info
}

func sortRules(rs []*RuleInfo) {
	sort.SliceStable(rs, func(i, j int) bool {
		if rs[i].Path != rs[j].Path {
			return rs[i].Path < rs[j].Path
		}
		return rs[i].Line < rs[j].Line
	})
}

func ids(os []*mapper.Object) []string {
	out := make([]string, len(os))
	for i, o := range os {
		out[i] = o.ID
	}
	return out
}

func uniq(ss []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
