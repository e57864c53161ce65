package linter

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/huntlint/huntlint/mapper"
	"github.com/huntlint/huntlint/rules"
	"github.com/huntlint/huntlint/rules/yamlsrc"
)

// This file holds what several ATT&CK checks share: the tactics and
// techniques a rule lists in its structured fields, and list edits.

// listed returns the live objects of type t that the rule's structured
// fields name in an active domain, with their references, in file order.
func (c *Context) listed(t mapper.ObjectType) []RefInfo {
	var out []RefInfo
	for _, ri := range c.Refs() {
		o := ri.Live()
		if !ri.Structured() || o == nil || o.Type != t || !c.Catalog.IsActive(o.Domain) {
			continue
		}
		out = append(out, ri)
	}
	return out
}

// listedCurrent is listed without revoked references: checks that judge a
// technique's own facts (tactics, platforms) leave revoked ones to
// attack-revoked and judge the replacement once the fix is applied.
func (c *Context) listedCurrent(t mapper.ObjectType) []RefInfo {
	var out []RefInfo
	for _, ri := range c.listed(t) {
		if ri.Object.Status != mapper.StatusRevoked {
			out = append(out, ri)
		}
	}
	return out
}

// listedTactics returns the shortnames of the live tactics the rule lists.
func (c *Context) listedTactics() map[string]bool {
	set := map[string]bool{}
	for _, ri := range c.listed(mapper.TypeTactic) {
		set[ri.Live().Shortname] = true
	}
	return set
}

// sharesTactic reports whether technique o belongs to one of tactics.
func sharesTactic(o *mapper.Object, tactics map[string]bool) bool {
	for _, t := range o.Tactics {
		if tactics[t] {
			return true
		}
	}
	return false
}

// tacticObjects returns the tactic objects of technique o, in matrix order.
func tacticObjects(cat *mapper.Catalog, o *mapper.Object) []*mapper.Object {
	return cat.TacticsOf(o)
}

// tacticList spells tactics for a message in the style of ref's field.
func tacticList(ref *rules.Ref, tactics []*mapper.Object, style TacticStyle) string {
	names := make([]string, len(tactics))
	for i, t := range tactics {
		names[i] = spellTactic(ref, t, style)
	}
	return orList(names)
}

// spellTactic spells tactic t as the tactics field next to ref would hold
// it: Sigma tags for Sigma, Sentinel PascalCase for Sentinel techniques.
func spellTactic(ref *rules.Ref, t *mapper.Object, style TacticStyle) string {
	tr := *ref
	if ref.Source == rules.SourceSentinelTechnique {
		tr.Source = rules.SourceSentinelTactic
	}
	return Spell(&tr, t, style)
}

// orList joins "a", "a or b", "a, b or c".
func orList(s []string) string {
	switch len(s) {
	case 0:
		return ""
	case 1:
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1]
}

// deleteRefFix returns a fix removing a structured reference's list item.
func deleteRefFix(r *rules.Rule, ref *rules.Ref, app Applicability) *Fix {
	seq := ParentSeq(r.Doc, ref.Node)
	if seq == nil {
		return nil
	}
	edits := DeleteSeqItem(r.Source, seq, ref.Node)
	if len(edits) == 0 {
		return nil
	}
	return &Fix{Applicability: app, Description: fmt.Sprintf("remove %s", ref.Text), Edits: edits}
}

// insertTacticFix returns a fix adding tactic t to the rule: in Sigma as a
// tag right before the first technique tag, in Sentinel as the first item of
// tactics. app is safe when t is the technique's only tactic.
func insertTacticFix(ctx *Context, tech *rules.Ref, t *mapper.Object, app Applicability) *Fix {
	r := ctx.Rule
	var seq, before *yaml.Node
	switch tech.Source {
	case rules.SourceSigmaTag:
		for _, ri := range ctx.Refs() {
			if ri.Ref.Source == rules.SourceSigmaTag && ri.Type == mapper.TypeTechnique && ri.Ref.Node != nil {
				before = ri.Ref.Node
				break
			}
		}
		seq = ParentSeq(r.Doc, before)
	case rules.SourceSentinelTechnique:
		_, seq = yamlsrc.Lookup(yamlsrc.Root(r.Doc), "tactics")
		if seq != nil && seq.Kind == yaml.SequenceNode && len(seq.Content) > 0 {
			before = seq.Content[0]
		}
	}
	if seq == nil || before == nil {
		return nil
	}
	text := spellTactic(tech, t, ctx.TacticStyle())
	edits := InsertSeqItemBefore(r.Source, seq, before, text)
	if len(edits) == 0 {
		return nil
	}
	return &Fix{Applicability: app, Description: fmt.Sprintf("add %s", text), Edits: edits}
}

// ruleSpan is where rule-level findings point: the tags key (Sigma), the
// relevantTechniques or tactics key (Sentinel), else the rule's first line.
func ruleSpan(r *rules.Rule) rules.Span {
	keys := []string{"tags"}
	if r.Format == rules.FormatSentinel {
		keys = []string{"relevantTechniques", "tactics"}
	}
	for _, key := range keys {
		if k, _ := yamlsrc.Lookup(yamlsrc.Root(r.Doc), key); k != nil {
			start := rules.Pos{Line: k.Line, Column: k.Column}
			end := rules.Pos{Line: k.Line, Column: k.Column + len([]rune(k.Value))}
			return rules.Span{Start: start, End: end}
		}
	}
	start := r.Start
	if start.Line == 0 {
		start = rules.Pos{Line: 1, Column: 1}
	}
	return rules.Span{Start: start, End: start}
}
