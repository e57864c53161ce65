package linter

import (
	"bytes"

	"gopkg.in/yaml.v3"

	"github.com/huntlint/huntlint/mapper"
	"github.com/huntlint/huntlint/rules"
)

// Once a file's per-rule checks have run, Run keeps only small copies of its
// rules, so that memory does not grow with everything every rule loaded
// (its YAML tree, queries and decoded detection):
//
//   - findings keep a reportRule: the identity the reporters print (path,
//     format, kind, start, id, title, status, ATT&CK references), plus the
//     file's original text
//     when the finding has a fix, which fixes are made against;
//   - the cross-file checks (SetChecker) get a set copy: the identity, its
//     first reference to a technique, and a YAML tree cut down to the
//     top-level keys they read (setKeys), with the text of the file up to
//     the last line of those keys, so that their positions and widths are
//     those of the whole file. Their findings keep the set copy, without the
//     tree and text once all of them ran (releaseSet).

// setKeys are the top-level keys the cross-file checks read: true for those
// whose values they read, false for those of which only the key's position
// matters (where attack-missing-technique reports a rule).
var setKeys = map[string]bool{
	"id": true, "title": true, "name": true, "status": true,
	"correlation": true, "filter": true,
	"tags": false, "relevantTechniques": false, "tactics": false,
}

// identity copies the small fields of r that name it.
func identity(r *rules.Rule) *rules.Rule {
	return &rules.Rule{
		Path: r.Path, Format: r.Format, Kind: r.Kind, Start: r.Start,
		ID: r.ID, Title: r.Title, Status: r.Status, Level: r.Level,
		DocIndex: r.DocIndex, Attack: refsOnly(r.Attack),
	}
}

// refsOnly copies refs without their YAML nodes, which would keep the rule's
// tag list alive.
func refsOnly(refs []rules.Ref) []rules.Ref {
	if len(refs) == 0 {
		return nil
	}
	out := make([]rules.Ref, len(refs))
	for i, ref := range refs {
		ref.Node = nil
		out[i] = ref
	}
	return out
}

// slimmer makes the small copies of one file's rules, each once.
type slimmer struct {
	report, reportSrc map[*rules.Rule]*rules.Rule
}

func newSlimmer() *slimmer {
	return &slimmer{report: map[*rules.Rule]*rules.Rule{}, reportSrc: map[*rules.Rule]*rules.Rule{}}
}

// reportRule returns the copy of r a finding keeps; withSource keeps the
// file's text (shared with the loader, not copied).
func (s *slimmer) reportRule(r *rules.Rule, withSource bool) *rules.Rule {
	m := s.report
	if withSource {
		m = s.reportSrc
	}
	if c, ok := m[r]; ok {
		return c
	}
	c := identity(r)
	if withSource {
		c.Source = r.Source
	}
	m[r] = c
	return c
}

// slimFindings replaces the rules of fs by their report copies.
func (s *slimmer) slimFindings(fs []Finding) {
	for i := range fs {
		if r := fs[i].Rule; r != nil {
			fs[i].Rule = s.reportRule(r, fs[i].Fix != nil)
		}
	}
}

// setRules returns the copies of one file's rules for the cross-file checks.
func setRules(rs []*rules.Rule, cat *mapper.Catalog) []*rules.Rule {
	if len(rs) == 0 {
		return nil
	}
	out := make([]*rules.Rule, len(rs))
	docs := make([]*yaml.Node, len(rs))
	last := 0
	for i, r := range rs {
		docs[i], last = cutDoc(r.Doc, last)
		last = max(last, r.Start.Line)
	}
	// A file of one rule keeps a copy of its text up to the last line read;
	// the rules of a multi-document file share the whole text, whose line
	// index the loader registered, rather than each indexing a copy.
	src := rs[0].Source
	if len(rs) == 1 && len(src) > 0 {
		src = bytes.Clone(src[:prefixEnd(src, last)])
	}
	for i, r := range rs {
		c := identity(r)
		c.Attack = techniqueRefs(cat, c.Attack)
		c.Doc = docs[i]
		c.Source = src
		out[i] = c
	}
	return out
}

// releaseSet drops what only the cross-file checks read from their copies
// of the rules, once they all ran: the findings they made keep those copies
// as their Rule. The cut text goes too, since a fix needs the whole file,
// which the fixer reads again when no finding of the file carries it.
func releaseSet(rs []*rules.Rule) {
	for _, r := range rs {
		r.Doc, r.Source = nil, nil
	}
}

// cutDoc returns doc with only the setKeys entries of its top-level mapping
// (the nodes themselves are shared), and the larger of last and the last
// line of what it keeps.
func cutDoc(doc *yaml.Node, last int) (*yaml.Node, int) {
	if doc == nil {
		return nil, last
	}
	root := doc
	if root.Kind == yaml.DocumentNode {
		if len(root.Content) == 0 {
			return doc, max(last, doc.Line)
		}
		root = root.Content[0]
	}
	if root.Kind != yaml.MappingNode {
		return doc, maxLine(doc, last, 0)
	}
	// The cut tree is the mapping alone (docRoot and mappingValue take one),
	// whose keys are shared nodes holding only the key: the checks look keys
	// up by name and report at values.
	m := &yaml.Node{Kind: yaml.MappingNode, Tag: root.Tag, Style: root.Style, Line: root.Line, Column: root.Column}
	last = max(last, root.Line)
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		values, ok := setKeys[k.Value]
		switch {
		case !ok:
		case values:
			m.Content = append(m.Content, setKeyNodes[k.Value], v)
			last = maxLine(v, last, 0)
		default:
			// Only where the key is written matters (ruleSpan).
			m.Content = append(m.Content,
				&yaml.Node{Kind: k.Kind, Style: k.Style, Value: k.Value, Line: k.Line, Column: k.Column}, emptyNode)
		}
	}
	return m, max(last, doc.Line)
}

// setKeyNodes are the shared key nodes of cut trees; emptyNode stands for a
// value no cross-file check reads.
var (
	setKeyNodes = func() map[string]*yaml.Node {
		m := map[string]*yaml.Node{}
		for k := range setKeys {
			m[k] = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k}
		}
		return m
	}()
	emptyNode = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null"}
)

// maxLine returns the larger of last and the last line of n's subtree,
// following aliases (to a bounded depth: anchors cannot nest forever).
func maxLine(n *yaml.Node, last, depth int) int {
	if n == nil || depth > 64 {
		return last
	}
	last = max(last, n.Line)
	if n.Alias != nil {
		last = maxLine(n.Alias, last, depth+1)
	}
	for _, c := range n.Content {
		last = maxLine(c, last, depth+1)
	}
	return last
}

// prefixEnd returns the offset just past line n of src (its line break
// included), or len(src).
func prefixEnd(src []byte, n int) int {
	l := rules.LinesOf(src)
	if n < 1 {
		n = 1
	}
	if s, ok := l.Start(n + 1); ok {
		return s
	}
	return len(src)
}

// techniqueRefs returns the first of refs that names a technique in cat, or
// none: all a cross-file check asks of a rule's references
// (attack-missing-technique follows correlations to a rule naming one).
// Without a catalog refs are kept.
func techniqueRefs(cat *mapper.Catalog, refs []rules.Ref) []rules.Ref {
	if cat == nil {
		return refs
	}
	for i := range refs {
		if resolveRef(cat, &refs[i]).Type == mapper.TypeTechnique {
			return []rules.Ref{refs[i]}
		}
	}
	return nil
}
