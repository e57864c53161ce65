package suggest

import (
	"fmt"
	"os"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/huntlint/huntlint/internal/atomicfile"
	"github.com/huntlint/huntlint/internal/yamledit"
	"github.com/huntlint/huntlint/mapper"
	"github.com/huntlint/huntlint/mapper/attackid"
	"github.com/huntlint/huntlint/rules"
	"github.com/huntlint/huntlint/rules/yamlsrc"
)

// Edit replaces the bytes [Start, End) of a file's original text with New
// (the edit engine's type, internal/yamledit, shared with fix and migrate).
type Edit = yamledit.Edit

// TagEdits returns the edits that add techniques (IDs as the catalog spells
// them) to r: for Sigma, "attack.<id>" tags, for Sentinel relevantTechniques;
// with each technique, its tactics (Sigma "attack.<shortname>" in the file's
// hyphen or underscore style, Sentinel PascalCase) when the rule has none of
// them yet. Techniques already present are skipped. Everything else in the
// file is kept byte for byte, and the edits are proven before they are
// returned: the edited file loads to the same documents plus the added
// values (yamledit.CheckAdditions), or TagEdits fails. Other formats cannot
// carry tags and give an error.
func (s *Suggester) TagEdits(r *rules.Rule, techs []string) ([]Edit, error) {
	eds, _, err := s.tagEdits(r, techs)
	return eds, err
}

// tagEdits is TagEdits that also returns the additions the edits make.
func (s *Suggester) tagEdits(r *rules.Rule, techs []string) ([]Edit, []yamledit.Addition, error) {
	if r.Doc == nil {
		return nil, nil, fmt.Errorf("%s: cannot write tags into a %s file; add them by hand", r.Path, r.Format)
	}
	root := r.Doc
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		root = root.Content[0]
	}
	if root.Kind != yaml.MappingNode {
		return nil, nil, fmt.Errorf("%s:%d: the document is not a mapping; cannot add tags", r.Path, root.Line)
	}
	if root.Style&yaml.FlowStyle != 0 {
		return nil, nil, fmt.Errorf("%s:%d:%d: the rule is one flow mapping ({…}); cannot add tags to it", r.Path, root.Line, root.Column)
	}
	var adds []yamledit.Addition
	var indent string
	var err error
	switch r.Format {
	case rules.FormatSigma:
		adds, err = sigmaAdditions(s, root, techs)
		indent = "    - "
	case rules.FormatSentinel:
		adds, err = sentinelAdditions(s, root, techs)
		indent = "  - "
	default:
		return nil, nil, fmt.Errorf("%s: cannot write tags into a %s file; add them by hand", r.Path, r.Format)
	}
	if err != nil || len(adds) == 0 {
		return nil, nil, err
	}
	var edits []Edit
	for _, a := range adds {
		ed, err := yamledit.AppendToList(r.Source, root, a, indent)
		if err != nil {
			line, col := root.Line, root.Column
			if _, v := yamlsrc.Lookup(root, a.Key); v != nil {
				line, col = v.Line, v.Column
			}
			return nil, nil, fmt.Errorf("%s:%d:%d: %v; cannot add %s", r.Path, line, col, err, strings.Join(a.Values, ", "))
		}
		edits = append(edits, ed)
	}
	if err := proveAdditions(r.Source, edits, map[*yaml.Node][]yamledit.Addition{root: adds}); err != nil {
		return nil, nil, fmt.Errorf("%s:%d:%d: %v; not written: add %s by hand", r.Path, root.Line, root.Column, err, addedValues(adds))
	}
	return edits, adds, nil
}

// proveAdditions applies edits to src and checks that the result is src
// with adds made to the documents rooted at the given nodes.
func proveAdditions(src []byte, edits []Edit, adds map[*yaml.Node][]yamledit.Addition) error {
	out, err := yamledit.Apply(src, edits, yamledit.InOrder)
	if err != nil {
		return err
	}
	docs, err := yamledit.Documents(src)
	if err != nil {
		return fmt.Errorf("the file does not parse: %v", err)
	}
	byDoc := map[int][]yamledit.Addition{}
	for root, as := range adds {
		i := yamledit.DocIndex(docs, root)
		if i < 0 {
			return fmt.Errorf("cannot find the rule's document")
		}
		byDoc[i] = append(byDoc[i], as...)
	}
	return yamledit.CheckAdditions(src, out, byDoc)
}

func addedValues(adds []yamledit.Addition) string {
	var vs []string
	for _, a := range adds {
		vs = append(vs, a.Values...)
	}
	return strings.Join(vs, ", ")
}

// sigmaAdditions are the attack.<technique> tags and missing tactic tags
// to add.
func sigmaAdditions(s *Suggester, root *yaml.Node, techs []string) ([]yamledit.Addition, error) {
	have := map[string]bool{}
	underscore := false
	if _, v := yamlsrc.Lookup(root, "tags"); v != nil {
		for _, it := range v.Content {
			t := strings.ToLower(it.Value)
			have[t] = true
			if rest, ok := attackid.CutTagPrefix(t); ok && strings.Contains(rest, "_") {
				underscore = true
			}
			have[strings.ReplaceAll(t, "_", "-")] = true
		}
	}
	var add []string
	for _, id := range techs {
		t := s.ix.resolve(id)
		if t == nil {
			return nil, fmt.Errorf("unknown technique %q", id)
		}
		tag := attackid.TagPrefix + strings.ToLower(t.ID)
		if have[tag] {
			continue
		}
		hasTactic := false
		for _, tac := range t.Tactics {
			if have[attackid.TagPrefix+tac] {
				hasTactic = true
			}
		}
		if !hasTactic {
			for _, tac := range t.Tactics {
				if underscore {
					tac = strings.ReplaceAll(tac, "-", "_")
				}
				tag := attackid.TagPrefix + tac
				if !have[tag] {
					have[tag] = true
					add = append(add, tag)
				}
			}
		}
		have[tag] = true
		add = append(add, tag)
	}
	if len(add) == 0 {
		return nil, nil
	}
	return []yamledit.Addition{{Key: "tags", Values: add, Before: []string{"logsource", "detection", "correlation", "filter"}}}, nil
}

// sentinelAdditions are the relevantTechniques and tactics to add.
func sentinelAdditions(s *Suggester, root *yaml.Node, techs []string) ([]yamledit.Addition, error) {
	haveTech, haveTac := map[string]bool{}, map[string]bool{} // haveTac by tactic shortname
	if _, v := yamlsrc.Lookup(root, "relevantTechniques"); v != nil {
		for _, it := range v.Content {
			haveTech[strings.ToUpper(it.Value)] = true
		}
	}
	if _, v := yamlsrc.Lookup(root, "tactics"); v != nil {
		for _, it := range v.Content {
			if tac := s.ix.tactic(it.Value); tac != nil {
				haveTac[tac.Shortname] = true
			}
		}
	}
	var addTech, addTac []string
	for _, id := range techs {
		t := s.ix.resolve(id)
		if t == nil {
			return nil, fmt.Errorf("unknown technique %q", id)
		}
		if haveTech[t.ID] {
			continue
		}
		haveTech[t.ID] = true
		addTech = append(addTech, t.ID)
		var tacs []*mapper.Object
		hasTactic := false
		for _, short := range t.Tactics {
			if tac := s.ix.tactic(short); tac != nil {
				tacs = append(tacs, tac)
				hasTactic = hasTactic || haveTac[tac.Shortname]
			}
		}
		if hasTactic {
			continue
		}
		for _, tac := range tacs {
			if !haveTac[tac.Shortname] {
				haveTac[tac.Shortname] = true
				addTac = append(addTac, rules.PascalCase(tac.Name))
			}
		}
	}
	// A new tactics key and a new relevantTechniques key may go to the same
	// place: tactics first.
	var adds []yamledit.Addition
	if len(addTac) > 0 {
		adds = append(adds, yamledit.Addition{Key: "tactics", Values: addTac, Before: []string{"relevantTechniques", "query"}})
	}
	if len(addTech) > 0 {
		adds = append(adds, yamledit.Addition{Key: "relevantTechniques", Values: addTech, Before: []string{"query"}})
	}
	return adds, nil
}

// WriteTags adds each result's suggestions to its file (Sigma tags,
// Sentinel relevantTechniques and tactics) through the one write path
// (internal/atomicfile): one atomic write per file, a read-only file
// refused unless force. Each file's edits are proven together before the
// write: the new text loads to the same documents plus the added values.
// It returns the files written and the rules or files that could not take
// tags.
func (s *Suggester) WriteTags(results []Result, force bool) (written []string, problems []error) {
	byFile := map[string][]Edit{}
	adds := map[string]map[*yaml.Node][]yamledit.Addition{}
	src := map[string][]byte{}
	for _, r := range results {
		if len(r.Suggested) == 0 || r.rule == nil {
			continue
		}
		var ids []string
		for _, sg := range r.Suggested {
			ids = append(ids, sg.Technique)
		}
		eds, as, err := s.tagEdits(r.rule, ids)
		if err != nil {
			problems = append(problems, err)
			continue
		}
		if len(eds) > 0 {
			byFile[r.Path] = append(byFile[r.Path], eds...)
			if adds[r.Path] == nil {
				adds[r.Path] = map[*yaml.Node][]yamledit.Addition{}
			}
			root := r.rule.Doc
			if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
				root = root.Content[0]
			}
			adds[r.Path][root] = as
			src[r.Path] = r.rule.Source
		}
	}
	for _, path := range sortedKeys(byFile) {
		cur, err := os.ReadFile(path)
		if err != nil {
			problems = append(problems, fmt.Errorf("%s: %w", path, err))
			continue
		}
		if string(cur) != string(src[path]) {
			problems = append(problems, fmt.Errorf("%s: changed since it was read; not written", path))
			continue
		}
		if err := proveAdditions(cur, byFile[path], adds[path]); err != nil {
			problems = append(problems, fmt.Errorf("%s: %v; not written", path, err))
			continue
		}
		out, err := yamledit.Apply(cur, byFile[path], yamledit.InOrder)
		if err != nil {
			problems = append(problems, fmt.Errorf("%s: %w", path, err))
			continue
		}
		if err := atomicfile.WriteFileWith(path, out, atomicfile.Options{Force: force}); err != nil {
			problems = append(problems, fmt.Errorf("write %s: %w", path, err))
			continue
		}
		written = append(written, path)
	}
	sort.Strings(written)
	return written, problems
}
