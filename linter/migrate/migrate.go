// Package migrate moves the ATT&CK references of rules from one ATT&CK
// release to another: revoked objects to their replacements, renamed
// tactics to their new names (by tactic ID), and tactic tags of techniques
// that changed tactics, when that is unambiguous. What cannot be decided
// from the two catalogs is reported for a human, and so is every reference
// to an object deprecated in the new release, whatever its kind (technique,
// tactic, group, software, campaign, mitigation, data source, data
// component, detection strategy, analytic, asset) and whether or not the old
// release had deprecated it already: ATT&CK names no replacement for them.
//
// A migration is a list of linter findings: each change carries a safe fix
// (byte-range edits on the original text), each question for a human has no
// fix. fix.Apply applies them like any other fix.
package migrate

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"unicode"

	"gopkg.in/yaml.v3"

	"github.com/huntlint/huntlint/internal/parallel"
	"github.com/huntlint/huntlint/linter"
	"github.com/huntlint/huntlint/linter/fix"
	"github.com/huntlint/huntlint/mapper"
	"github.com/huntlint/huntlint/mapper/attackid"
	"github.com/huntlint/huntlint/rules"
)

// Check IDs of migration findings; the fix summary counts by them.
const (
	CheckRevoked       = "migrate-revoked"        // an object revoked in the new release
	CheckTacticRenamed = "migrate-tactic-renamed" // a tactic whose shortname or name changed
	CheckTacticMoved   = "migrate-tactic-moved"   // a tactic tag following its technique to another tactic
	CheckManual        = "migrate-manual"         // needs a human: no fix
	CheckDeprecated    = "migrate-deprecated"     // an object deprecated in the new release: no fix, needs a human
)

// Options name the two releases.
type Options struct {
	From, To *mapper.Catalog
}

// Plan returns the findings that migrate rs from opts.From to opts.To, in
// rule and file order. Rules of one file must share their Source.
func Plan(rs []*rules.Rule, opts Options) []linter.Finding {
	var out []linter.Finding
	for _, r := range rs {
		p := &planner{r: r, found: linter.RuleOf(r, true), from: opts.From, to: opts.To, text: map[*rules.Ref]string{}, why: map[*rules.Ref]change{}, remove: map[*rules.Ref]bool{}}
		p.run()
		out = append(out, p.findings()...)
	}
	return out
}

// change is why a reference gets new text.
type change struct {
	check string
	msg   string
}

type planner struct {
	r        *rules.Rule
	found    *linter.FindingRule // what the findings keep of r, its text included
	from, to *mapper.Catalog

	text    map[*rules.Ref]string // new text per reference
	why     map[*rules.Ref]change
	remove  map[*rules.Ref]bool // references whose replacement is listed already
	inserts []insert
	manual  []linter.Finding
}

type insert struct {
	seq, before *yaml.Node
	text        string
	at          rules.Span
	msg         string
}

// tech is one structured technique reference with its object in both
// releases (the new one after following revocations).
type tech struct {
	ref      *rules.Ref
	old, new *mapper.Object
}

// tactic is one structured tactic reference with its ATT&CK ID.
type tactic struct {
	ref *rules.Ref
	id  string
}

func (p *planner) release(c *mapper.Catalog, d mapper.Domain) string {
	if rel, ok := c.Release(d); ok && rel.Version != "" && rel.Version != "unknown" {
		return "ATT&CK " + rel.Version
	}
	if c == p.to {
		return "the new release"
	}
	return "the old release"
}

func (p *planner) note(ref *rules.Ref, format string, args ...any) {
	p.noteAs(CheckManual, ref, format, args...)
}

func (p *planner) noteAs(check string, ref *rules.Ref, format string, args ...any) {
	p.manual = append(p.manual, linter.Finding{
		Check: check, Severity: linter.SeverityWarning, Path: p.r.Path, Span: ref.Span, Rule: p.found,
		Message: fmt.Sprintf(format, args...),
	})
}

// deprecated lists a reference to cur, deprecated in the new release, for
// review; old is the object in the old release (nil when it has none).
func (p *planner) deprecated(ref *rules.Ref, old, cur *mapper.Object) {
	rel := p.release(p.to, cur.Domain)
	since := ""
	if old != nil && old.Status == mapper.StatusDeprecated {
		if was := p.release(p.from, old.Domain); was != rel {
			since = fmt.Sprintf(" (deprecated already in %s)", was)
		}
	}
	kind := typeWords(cur.Type)
	todo := fmt.Sprintf("use a current %s instead, or remove the reference", kind)
	if !p.hasLive(cur.Domain, cur.Type) {
		todo = fmt.Sprintf("%s has no live %s left: remove the reference", rel, kind)
	}
	name := cur.Name
	if cur.Type == mapper.TypeTactic {
		name = cur.ID + " " + cur.Name
	}
	p.noteAs(CheckDeprecated, ref, "%s (%s) is deprecated in %s without a replacement%s; %s",
		ref.Text, name, rel, since, todo)
}

// hasLive reports whether the new release has a live object of type t in d.
func (p *planner) hasLive(d mapper.Domain, t mapper.ObjectType) bool {
	for _, o := range p.to.Objects(d, t) {
		if o.Status == mapper.StatusActive {
			return true
		}
	}
	return false
}

// typeWords names an object type in a message: "data source".
func typeWords(t mapper.ObjectType) string { return strings.ReplaceAll(string(t), "-", " ") }

func (p *planner) set(ref *rules.Ref, text, check, msg string) {
	if text == "" || text == ref.Text {
		return
	}
	p.text[ref] = text
	p.why[ref] = change{check, msg}
}

// objectType is the type of object a reference other than a tactic names:
// from its kind, else from its ID's prefix ("attack.dc0001" is a data
// component); empty when it is no well-formed ATT&CK ID.
func objectType(ref *rules.Ref) mapper.ObjectType {
	switch ref.Kind {
	case rules.RefTactic, "":
		return ""
	case rules.RefUnknown:
	default:
		return mapper.ObjectType(ref.Kind)
	}
	t, ok := mapper.IDType(ref.Value)
	if !ok || t == mapper.TypeTactic || !mapper.ValidID(t, ref.Value) {
		return ""
	}
	return t
}

func (p *planner) run() {
	var techs []tech
	var tactics []tactic
	for i := range p.r.Attack {
		ref := &p.r.Attack[i]
		if ref.Kind == rules.RefTactic {
			if t, ok := p.tactic(ref); ok && ref.Source.Structured() {
				tactics = append(tactics, t)
			}
			continue
		}
		if typ := objectType(ref); typ != "" {
			t, ok := p.object(ref, typ)
			if ok && typ == mapper.TypeTechnique && ref.Source.Structured() {
				techs = append(techs, t)
			}
		}
	}
	p.dedupe(techs)
	p.tactics(techs, tactics)
}

// dedupe removes a migrated technique reference whose replacement the same
// field already lists (T1086 -> T1059.001 next to T1059.001), instead of
// leaving a duplicate behind.
func (p *planner) dedupe(techs []tech) {
	type key struct {
		src rules.RefSource
		o   *mapper.Object
	}
	first := map[key]*rules.Ref{}
	for _, t := range techs {
		if t.new == nil || t.ref.Node == nil {
			continue
		}
		k := key{t.ref.Source, t.new}
		prev, ok := first[k]
		if !ok {
			first[k] = t.ref
			continue
		}
		_, changed := p.text[t.ref]
		_, prevChanged := p.text[prev]
		switch {
		case changed:
			p.remove[t.ref] = true
		case prevChanged:
			p.remove[prev] = true
			first[k] = t.ref
		}
	}
}

// object maps a reference to an object other than a tactic: a revoked one
// to its replacement; a deprecated one, or one missing from the new release,
// is listed for a human.
func (p *planner) object(ref *rules.Ref, typ mapper.ObjectType) (tech, bool) {
	old, inOld := p.from.Get(typ, ref.Value)
	cur, inNew := p.to.Get(typ, ref.Value)
	if !inNew {
		if inOld && p.covers(old.Domain) {
			p.note(ref, "%s (%s) is not in %s; choose its successor by hand", ref.Text, old.Name, p.release(p.to, old.Domain))
		}
		return tech{}, false
	}
	final := cur
	if cur.Status == mapper.StatusRevoked {
		var chain []*mapper.Object
		final, chain = p.to.Resolve(cur)
		if final == nil {
			p.note(ref, "%s (%s) is revoked in %s without a live replacement (chain %s); choose its successor by hand",
				ref.Text, cur.Name, p.release(p.to, cur.Domain), chainText(chain))
			return tech{}, false
		}
		if final.Status == mapper.StatusDeprecated {
			p.noteAs(CheckDeprecated, ref, "%s (%s) is revoked in %s by %s (%s), which is deprecated without a replacement; use a current %s instead, or remove the reference",
				ref.Text, cur.Name, p.release(p.to, cur.Domain), final.ID, final.Name, typeWords(typ))
			return tech{}, false
		}
		text := respellID(ref, final)
		if text == "" {
			p.note(ref, "%s (%s) is revoked in %s; replace it with %s (%s) by hand", ref.Text, cur.Name, p.release(p.to, cur.Domain), final.ID, final.Name)
			return tech{}, false
		}
		p.set(ref, text, CheckRevoked, fmt.Sprintf("%s (%s) is revoked in %s; replaced by %s (%s)",
			ref.Text, cur.Name, p.release(p.to, cur.Domain), text, final.Name))
	} else if cur.Status == mapper.StatusDeprecated {
		p.deprecated(ref, old, cur)
	}
	if old != nil && old.Status == mapper.StatusRevoked {
		if f, _ := p.from.Resolve(old); f != nil {
			old = f
		}
	}
	return tech{ref: ref, old: old, new: final}, true
}

// covers reports whether the new release has data for domain d at all: a
// migration of the enterprise domain says nothing about mobile references.
func (p *planner) covers(d mapper.Domain) bool {
	_, ok := p.to.Release(d)
	return ok
}

func chainText(chain []*mapper.Object) string {
	var ids []string
	for _, o := range chain {
		ids = append(ids, o.ID)
	}
	return strings.Join(ids, " -> ")
}

// tactic maps a tactic reference by its ID: a changed shortname or name is
// respelled.
func (p *planner) tactic(ref *rules.Ref) (tactic, bool) {
	old, ok := p.from.Tactic(ref.Value)
	if !ok {
		// Already in the new release's spelling (a second run).
		if cur, ok := p.to.Tactic(ref.Value); ok {
			if cur.Status == mapper.StatusDeprecated {
				p.deprecated(ref, nil, cur)
			}
			return tactic{ref: ref, id: cur.ID}, true
		}
		return tactic{}, false
	}
	cur, ok := p.to.GetIn(old.Domain, mapper.TypeTactic, old.ID)
	if !ok {
		cur, ok = p.to.Get(mapper.TypeTactic, old.ID)
	}
	if !ok {
		if p.covers(old.Domain) {
			p.note(ref, "tactic %s (%s) is not in %s; choose the tactic by hand", old.ID, old.Name, p.release(p.to, old.Domain))
		}
		return tactic{}, false
	}
	if cur.Status == mapper.StatusDeprecated {
		p.deprecated(ref, old, cur)
		return tactic{ref: ref, id: cur.ID}, true
	}
	if cur.Status != mapper.StatusActive {
		p.note(ref, "tactic %s (%s) is %s in %s; choose the tactic by hand", cur.ID, cur.Name, cur.Status, p.release(p.to, cur.Domain))
		return tactic{ref: ref, id: cur.ID}, true
	}
	if isTacticID(ref.Value) {
		// Written as its ID, which does not change.
		return tactic{ref: ref, id: cur.ID}, true
	}
	if cur.Shortname != old.Shortname || cur.Name != old.Name {
		text := respellTactic(ref, cur)
		switch {
		case text == "":
			p.note(ref, "tactic %s is renamed from %s to %s in %s; update %q by hand",
				cur.ID, old.Name, cur.Name, p.release(p.to, cur.Domain), ref.Text)
		case text != "":
			p.set(ref, text, CheckTacticRenamed, fmt.Sprintf("tactic %s is renamed from %s to %s in %s; %s becomes %s",
				cur.ID, old.Name, cur.Name, p.release(p.to, cur.Domain), ref.Text, text))
		}
	}
	return tactic{ref: ref, id: cur.ID}, true
}

func isTacticID(s string) bool {
	s = strings.ToUpper(s)
	if len(s) != 6 || !strings.HasPrefix(s, "TA") {
		return false
	}
	for _, c := range s[2:] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// tactics updates the tactic tags of techniques whose tactics changed
// between the releases.
func (p *planner) tactics(techs []tech, tactics []tactic) {
	if len(techs) == 0 || len(tactics) == 0 {
		return
	}
	listed := map[string]bool{}
	for _, t := range tactics {
		listed[t.id] = true
	}
	oldCover, newCover := map[string]bool{}, map[string]bool{}
	var broken []tech
	for _, t := range techs {
		if t.old == nil || t.new == nil {
			continue
		}
		oldIDs, newIDs := p.tacticIDs(p.from, t.old), p.tacticIDs(p.to, t.new)
		hadOld, hasNew := false, false
		for _, id := range oldIDs {
			oldCover[id] = true
			hadOld = hadOld || listed[id]
		}
		for _, id := range newIDs {
			newCover[id] = true
			hasNew = hasNew || listed[id]
		}
		if hadOld && !hasNew {
			broken = append(broken, t)
		}
	}
	// Tactics that a technique justified before and none does now.
	var orphans []tactic
	for _, t := range tactics {
		if oldCover[t.id] && !newCover[t.id] {
			orphans = append(orphans, t)
		}
	}
	if len(broken) == 0 {
		for _, o := range orphans {
			p.note(o.ref, "%s no longer belongs to any technique of the rule in %s; remove it or add a technique by hand",
				o.ref.Text, p.release(p.to, mapper.Enterprise))
		}
		return
	}
	// The tactic every broken technique now has, when there is one.
	var cand []string
	for i, t := range broken {
		ids := p.tacticIDs(p.to, t.new)
		if i == 0 {
			cand = ids
			continue
		}
		cand = intersect(cand, ids)
	}
	first := broken[0]
	rel := p.release(p.to, first.new.Domain)
	if len(cand) != 1 || len(orphans) > 1 {
		for _, t := range broken {
			p.note(t.ref, "%s belongs to %s in %s, which the rule does not list; choose its tactic tags by hand",
				p.text1(t.ref), tacticNames(p.to, t.new), rel)
		}
		return
	}
	want, ok := p.to.GetIn(first.new.Domain, mapper.TypeTactic, cand[0])
	if !ok {
		return
	}
	if len(orphans) == 1 {
		o := orphans[0]
		text := respellTactic(o.ref, want)
		if text == "" || !o.ref.Source.Structured() {
			p.note(o.ref, "%s belongs to %s in %s; replace %s by hand", p.text1(first.ref), want.Name, rel, o.ref.Text)
			return
		}
		p.set(o.ref, text, CheckTacticMoved, fmt.Sprintf("%s belongs to %s in %s, not to %s; %s becomes %s",
			p.text1(first.ref), want.Name, rel, p.tacticName(o.id), o.ref.Text, text))
		return
	}
	// The old tactic is still justified by another technique: add the new one.
	seq, before, text := p.insertionPoint(first.ref, want, tactics)
	if seq == nil {
		p.note(first.ref, "%s belongs to %s in %s; add that tactic by hand", p.text1(first.ref), want.Name, rel)
		return
	}
	p.inserts = append(p.inserts, insert{seq: seq, before: before, text: text, at: first.ref.Span,
		msg: fmt.Sprintf("%s belongs to %s in %s; added %s", p.text1(first.ref), want.Name, rel, text)})
}

// text1 is a reference's text after this migration.
func (p *planner) text1(ref *rules.Ref) string {
	if t, ok := p.text[ref]; ok {
		return t
	}
	return ref.Text
}

func (p *planner) tacticIDs(c *mapper.Catalog, o *mapper.Object) []string {
	var ids []string
	for _, t := range c.TacticsOf(o) {
		ids = append(ids, t.ID)
	}
	return ids
}

func (p *planner) tacticName(id string) string {
	if t, ok := p.from.Get(mapper.TypeTactic, id); ok {
		return t.Name
	}
	return id
}

func tacticNames(c *mapper.Catalog, o *mapper.Object) string {
	var names []string
	for _, t := range c.TacticsOf(o) {
		names = append(names, t.Name)
	}
	switch len(names) {
	case 0:
		return "no tactic"
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

func intersect(a, b []string) []string {
	var out []string
	for _, x := range a {
		for _, y := range b {
			if x == y {
				out = append(out, x)
				break
			}
		}
	}
	return out
}

// insertionPoint says where a new tactic goes: Sigma right before the first
// technique tag, Sentinel as the first item of tactics.
func (p *planner) insertionPoint(techRef *rules.Ref, t *mapper.Object, tactics []tactic) (seq, before *yaml.Node, text string) {
	switch techRef.Source {
	case rules.SourceSigmaTag:
		for i := range p.r.Attack {
			ref := &p.r.Attack[i]
			if ref.Source == rules.SourceSigmaTag && ref.Kind == rules.RefTechnique && ref.Node != nil {
				before = ref.Node
				break
			}
		}
		seq = linter.ParentSeq(p.r.Doc, before)
		// Follow the rule's own style: "attack." as written, underscores
		// when its tactic tags use them.
		prefix, under := attackid.TagPrefix, false
		for _, tc := range tactics {
			if tc.ref.Source == rules.SourceSigmaTag {
				prefix, _, _ = attackid.SplitTag(tc.ref.Text)
				under = strings.Contains(tc.ref.Value, "_")
				break
			}
		}
		text = prefix + t.Shortname
		if under {
			text = prefix + strings.ReplaceAll(t.Shortname, "-", "_")
		}
	case rules.SourceSentinelTechnique:
		for _, tc := range tactics {
			if tc.ref.Source == rules.SourceSentinelTactic && tc.ref.Node != nil {
				seq = linter.ParentSeq(p.r.Doc, tc.ref.Node)
				break
			}
		}
		if seq != nil && len(seq.Content) > 0 {
			before = seq.Content[0]
		}
		text = rules.PascalCase(t.Name)
	}
	if seq == nil || before == nil {
		return nil, nil, ""
	}
	return seq, before, text
}

func (p *planner) findings() []linter.Finding {
	var out []linter.Finding
	var refs []*rules.Ref
	for ref := range p.text {
		refs = append(refs, ref)
	}
	sort.Slice(refs, func(i, j int) bool { return refs[i].Span.StartOffset < refs[j].Span.StartOffset })
	for _, ref := range refs {
		text, why := p.text[ref], p.why[ref]
		if p.remove[ref] {
			if seq := linter.ParentSeq(p.r.Doc, ref.Node); seq != nil {
				if edits := linter.DeleteSeqItem(p.r.Source, seq, ref.Node); edits != nil {
					out = append(out, linter.Finding{
						Check: why.check, Severity: linter.SeverityInfo, Path: p.r.Path, Span: ref.Span, Rule: p.found,
						Message: why.msg + ", which the rule lists already: removed",
						Fix:     &linter.Fix{Applicability: linter.FixSafe, Description: "remove " + ref.Text, Edits: edits},
					})
					continue
				}
			}
		}
		out = append(out, linter.Finding{
			Check: why.check, Severity: linter.SeverityInfo, Path: p.r.Path, Span: ref.Span, Rule: p.found, Message: why.msg,
			Fix: &linter.Fix{Applicability: linter.FixSafe, Description: fmt.Sprintf("replace %s with %s", ref.Text, text),
				Edits: []linter.Edit{{Start: ref.Span.StartOffset, End: ref.Span.EndOffset, New: text}}},
		})
	}
	for _, in := range p.inserts {
		edits := linter.InsertSeqItemBefore(p.r.Source, in.seq, in.before, in.text)
		f := linter.Finding{Check: CheckTacticMoved, Severity: linter.SeverityInfo, Path: p.r.Path, Span: in.at, Rule: p.found, Message: in.msg}
		if len(edits) == 0 {
			f.Check, f.Severity = CheckManual, linter.SeverityWarning
			f.Message = strings.Replace(in.msg, "; added ", "; add ", 1) + " by hand"
		} else {
			f.Fix = &linter.Fix{Applicability: linter.FixSafe, Description: "add " + in.text, Edits: edits}
		}
		out = append(out, f)
	}
	out = append(out, p.manual...)
	linter.SortFindings(out)
	return out
}

// respellID writes o's ID where ref stands, in ref's own style: the same
// namespace prefix and letter case, "/" between technique and sub-technique
// when ref used it, and the URL path of a link.
func respellID(ref *rules.Ref, o *mapper.Object) string {
	id := o.ID
	if ref.Source == rules.SourceURL {
		start, end, folder, ok := rules.URLIDPath(ref.Text)
		if !ok || o.Type != mapper.TypeTechnique || folder != "techniques" && folder != "wiki/technique" {
			return ""
		}
		return ref.Text[:start+1+len(folder)] + "/" + strings.ReplaceAll(id, ".", "/") + ref.Text[end:]
	}
	prefix := ""
	value := ref.Text
	// A bare "attack." keeps its whole text as the value.
	if p, v, ok := attackid.SplitTag(ref.Text); ref.Source == rules.SourceSigmaTag && ok && v != "" {
		prefix, value = p, v
	}
	if value == "" {
		return ""
	}
	if unicode.IsLower(rune(value[0])) {
		id = strings.ToLower(id)
	}
	if strings.Contains(value, "/") {
		id = strings.ReplaceAll(id, ".", "/")
	}
	return prefix + id
}

// respellTactic writes tactic t where ref stands, in ref's style: Sigma
// "attack." plus the shortname (with underscores when ref used them),
// Sentinel PascalCase, free text by name (or "" when ref is an ID, which
// does not change).
func respellTactic(ref *rules.Ref, t *mapper.Object) string {
	switch ref.Source {
	case rules.SourceSigmaTag:
		sn := t.Shortname
		if strings.Contains(ref.Value, "_") {
			sn = strings.ReplaceAll(sn, "-", "_")
		}
		prefix, _, _ := attackid.SplitTag(ref.Text)
		return prefix + sn
	case rules.SourceSentinelTactic:
		if strings.Contains(ref.Value, " ") {
			return t.Name
		}
		return rules.PascalCase(t.Name)
	}
	return ""
}

// File migrates one file's text: it loads src as path and returns the
// loader's problems as load-error findings followed by the migration's
// findings. It is also the re-lint step of fix.Apply, so that a
// migrated file is proven to load and a second pass finds nothing to do.
func File(path string, src []byte, opts Options) []linter.Finding {
	rs, probs := rules.LoadBytes(path, src)
	var out []linter.Finding
	for _, pr := range probs {
		pos := rules.Pos{Line: max(pr.Line, 1), Column: max(pr.Column, 1)}
		out = append(out, linter.Finding{Check: linter.LoadErrorID, Severity: linter.SeverityError, Path: path,
			Span: rules.Span{Start: pos, End: pos}, Message: pr.Message})
	}
	return append(out, Plan(rs, opts)...)
}

// Files loads and migrates files (in parallel) and returns the findings in
// file order; apply them with Apply.
func Files(files []string, opts Options, jobs int) []linter.Finding {
	res := parallel.Map(len(files), jobs, func(i int) []linter.Finding {
		src, err := os.ReadFile(files[i])
		if err != nil {
			return []linter.Finding{{Check: linter.LoadErrorID, Severity: linter.SeverityError, Path: files[i],
				Span: rules.Span{Start: rules.Pos{Line: 1, Column: 1}, End: rules.Pos{Line: 1, Column: 1}}, Message: err.Error()}}
		}
		return File(files[i], src, opts)
	})
	var out []linter.Finding
	for _, fs := range res {
		out = append(out, fs...)
	}
	return out
}

// Apply applies the migration findings' fixes with fo (diff, dry run, jobs),
// re-planning each changed file until nothing is left to change.
func Apply(findings []linter.Finding, opts Options, fo fix.Options) (fix.Summary, error) {
	fo.Unsafe = false
	fo.Relint = func(path string, src []byte) ([]linter.Finding, error) { return File(path, src, opts), nil }
	return fix.Apply(findings, fo)
}
