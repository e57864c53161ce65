package linter

import (
	"github.com/huntlint/huntlint/rules"
)

// Once a file's per-rule checks have run, Run keeps only small copies of its
// rules, so that memory does not grow with everything every rule loaded
// (its YAML tree, queries and decoded detection): findings keep a
// reportRule, the identity the reporters print (path, format, kind, start,
// id, title, status, ATT&CK references), plus the file's original text when
// the finding has a fix, which fixes are made against. The cross-file checks
// read facts that point to the same identity (set_facts.go).

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
