package rules

import (
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/huntlint/huntlint/mapper/attackid"
)

// loadYAML loads every document of a YAML file as a Sigma rule or a Sentinel
// query, judged by its keys. Legacy Sigma collections (a first document with
// "action: global") are merged as Sigma 1 did: see mergeMappings.
func loadYAML(path string, li *lineIndex) ([]*Rule, []Problem) {
	f, probs := parseYAML(path, li.src, li)
	if probs != nil {
		return nil, probs
	}
	var out []*Rule
	var problems []Problem
	for _, doc := range f.docs {
		problems = append(problems, duplicateKeys(path, doc)...)
	}
	var global, previous *yaml.Node
	if !anyRuleLike(f.docs) {
		if len(f.docs) == 0 || allEmpty(f.docs) {
			return nil, []Problem{{Path: path, Message: "empty YAML file; expected a Sigma rule or a Sentinel query"}}
		}
		return nil, nil // a YAML file of another kind (CI, config): not a rule
	}
	for i, doc := range f.docs {
		m := docMapping(doc)
		if m == nil {
			if isEmptyDoc(doc) {
				continue
			}
			problems = append(problems, Problem{Path: path, Line: doc.Line, Column: doc.Column,
				Message: "YAML document is not a mapping; expected a Sigma rule or a Sentinel query"})
			continue
		}
		switch str(m, "action") {
		case "global":
			global = m
			continue
		case "reset":
			global = nil
			continue
		case "repeat":
			if previous != nil {
				m = mergeMappings(previous, m)
			}
		default:
			if global != nil {
				m = mergeMappings(global, m)
			}
		}
		previous = m
		var r *Rule
		switch {
		case has(m, "detection") || has(m, "correlation") || isSigmaFilter(m):
			r = sigmaRule(f, m)
		case isSentinel(m):
			r = sentinelRule(f, m)
		default:
			problems = append(problems, Problem{Path: path, Line: m.Line, Column: m.Column,
				Message: "not a Sigma rule or Sentinel query: no \"detection\", \"correlation\", \"filter\" or \"query\" key"})
			continue
		}
		r.DocIndex = i
		if m == docMapping(doc) {
			r.Doc = doc
		} else {
			r.Doc = &yaml.Node{Kind: yaml.DocumentNode, Line: doc.Line, Column: doc.Column, Content: []*yaml.Node{m}}
		}
		out = append(out, r)
	}
	if len(out) == 0 && len(problems) == 0 && global != nil {
		problems = append(problems, Problem{Path: path, Line: global.Line, Column: global.Column,
			Message: "Sigma collection has an \"action: global\" document but no rule document after it"})
	}
	if len(out) == 0 && len(problems) == 0 {
		problems = append(problems, Problem{Path: path, Message: "empty YAML file; expected a Sigma rule or a Sentinel query"})
	}
	return out, problems
}

// ruleKeys are the top-level keys that make a YAML document a rule or a
// broken attempt at one; YAML files with none of them in any document (CI
// workflows, tool configs, Sentinel parsers) are not rules and are not read.
var ruleKeys = []string{"title", "logsource", "detection", "correlation", "filter", "action",
	"query", "tactics", "relevantTechniques", "requiredDataConnectors"}

func anyRuleLike(docs []*yaml.Node) bool {
	for _, d := range docs {
		m := docMapping(d)
		for _, k := range ruleKeys {
			if has(m, k) {
				return true
			}
		}
	}
	return false
}

func allEmpty(docs []*yaml.Node) bool {
	for _, d := range docs {
		if !isEmptyDoc(d) {
			return false
		}
	}
	return true
}

func isEmptyDoc(doc *yaml.Node) bool {
	if len(doc.Content) == 0 {
		return true
	}
	n := doc.Content[0]
	return n.Kind == yaml.ScalarNode && (n.Tag == "!!null" || n.Value == "")
}

func has(m *yaml.Node, key string) bool {
	_, v := lookup(m, key)
	return v != nil
}

// isSigmaFilter: a Sigma filter rule (meta-filter) has a "filter" mapping
// with "rules" or "condition".
func isSigmaFilter(m *yaml.Node) bool {
	_, f := lookup(m, "filter")
	return f != nil && f.Kind == yaml.MappingNode && (has(f, "rules") || has(f, "condition"))
}

// isSentinel: a query plus any key of Sentinel's hunting or analytic
// schema, or, without a query, a key only that schema has (a Sentinel file
// that lost its query is still Sentinel, and sentinel-missing-field says
// what it lacks), or tactics beside a name.
func isSentinel(m *yaml.Node) bool {
	if !has(m, "query") {
		for _, k := range sentinelOnlyKeys {
			if has(m, k) {
				return true
			}
		}
		return has(m, "tactics") && has(m, "name")
	}
	for _, k := range []string{"relevantTechniques", "tactics", "requiredDataConnectors", "queryFrequency",
		"queryPeriod", "triggerOperator", "entityMappings", "name", "kind", "severity"} {
		if has(m, k) {
			return true
		}
	}
	return false
}

// sentinelOnlyKeys are keys of Sentinel's hunting and analytic schema that
// no Sigma rule has.
var sentinelOnlyKeys = []string{"relevantTechniques", "requiredDataConnectors", "queryFrequency", "queryPeriod",
	"triggerOperator", "triggerThreshold", "entityMappings"}

// mergeMappings returns a new mapping: base's keys, with over's keys
// replacing them; nested mappings merge recursively. The nodes themselves are
// shared, so positions stay those of the file.
func mergeMappings(base, over *yaml.Node) *yaml.Node {
	out := &yaml.Node{Kind: yaml.MappingNode, Tag: over.Tag, Line: over.Line, Column: over.Column, Style: over.Style}
	overVals := keyIndex(over)
	baseVals := keyIndex(base)
	for i := 0; i+1 < len(base.Content); i += 2 {
		k, v := base.Content[i], base.Content[i+1]
		if k.Value == "action" {
			continue
		}
		if ov, ok := overVals[k.Value]; ok {
			if v.Kind == yaml.MappingNode && ov.Kind == yaml.MappingNode {
				v = mergeMappings(v, ov)
			} else {
				v = ov
			}
		}
		out.Content = append(out.Content, k, v)
	}
	for i := 0; i+1 < len(over.Content); i += 2 {
		k := over.Content[i]
		if _, ok := baseVals[k.Value]; !ok && k.Value != "action" {
			out.Content = append(out.Content, k, over.Content[i+1])
		}
	}
	return out
}

// keyIndex maps the keys of mapping m to their values (the last of
// duplicates, as lookup does).
func keyIndex(m *yaml.Node) map[string]*yaml.Node {
	idx := make(map[string]*yaml.Node, len(m.Content)/2)
	for i := 0; i+1 < len(m.Content); i += 2 {
		idx[m.Content[i].Value] = m.Content[i+1]
	}
	return idx
}

func joinedList(m *yaml.Node, key string) string {
	_, v := lookup(m, key)
	if v == nil {
		return ""
	}
	if v.Kind == yaml.ScalarNode {
		return v.Value
	}
	return strings.Join(strList(m, key), ", ")
}

func sigmaRule(f *yamlFile, m *yaml.Node) *Rule {
	r := &Rule{Path: f.path, Format: FormatSigma, Source: f.src, Start: Pos{Line: m.Line, Column: m.Column}}
	switch {
	case has(m, "correlation"):
		r.Kind = KindCorrelation
	case has(m, "detection"):
		r.Kind = KindDetection
	default:
		r.Kind = KindFilter
	}
	r.ID = str(m, "id")
	r.Title = str(m, "title")
	r.Description = str(m, "description")
	r.Status = str(m, "status")
	r.Level = str(m, "level")
	r.Author = joinedList(m, "author")
	r.Date = str(m, "date")
	r.Modified = str(m, "modified")
	r.References = strList(m, "references")
	_, ls := lookup(m, "logsource")
	r.Product = str(ls, "product")
	r.Category = str(ls, "category")
	r.Service = str(ls, "service")
	_, tags := lookup(m, "tags")
	for _, n := range items(tags) {
		t := Tag{Text: n.Value, Node: n, Span: scalarSpan(f.li, n)}
		if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
			t.Text = string(f.src[t.Span.StartOffset:t.Span.EndOffset])
		}
		r.Tags = append(r.Tags, t)
		if ref, ok := sigmaTagRef(t); ok {
			r.Attack = append(r.Attack, ref)
		}
	}
	return r
}

func sentinelRule(f *yamlFile, m *yaml.Node) *Rule {
	r := &Rule{Path: f.path, Format: FormatSentinel, Kind: KindHunting, Source: f.src, Start: Pos{Line: m.Line, Column: m.Column}}
	kind := strings.ToLower(str(m, "kind"))
	if kind == "scheduled" || kind == "nrt" || has(m, "queryFrequency") || has(m, "triggerOperator") {
		r.Kind = KindAnalytic
	}
	r.ID = str(m, "id")
	r.Title = str(m, "name")
	r.Description = str(m, "description")
	r.Status = str(m, "status")
	r.Level = str(m, "severity")
	_, meta := lookup(m, "metadata")
	_, author := lookup(meta, "author")
	r.Author = str(author, "name")
	if r.Author == "" {
		r.Author = joinedList(m, "author")
	}
	r.Date = str(m, "createdDate")
	r.Modified = str(m, "lastUpdatedDateUTC")
	r.References = strList(m, "references")
	_, conns := lookup(m, "requiredDataConnectors")
	if conns != nil && conns.Kind == yaml.SequenceNode {
		for _, c := range conns.Content {
			if c.Kind != yaml.MappingNode {
				continue
			}
			cn := Connector{ConnectorID: str(c, "connectorId"), DataTypes: strList(c, "dataTypes")}
			cn.Span = f.li.span(f.li.offset(c.Line, c.Column), f.li.offset(c.Line, c.Column))
			if _, id := lookup(c, "connectorId"); id != nil {
				cn.Span = scalarSpan(f.li, id)
			}
			r.Connectors = append(r.Connectors, cn)
		}
	}
	// Sentinel's tactics and relevantTechniques keys, in file order (of a
	// key written twice, the last, as lookup reads).
	last := map[string]*yaml.Node{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		last[m.Content[i].Value] = m.Content[i]
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if last[m.Content[i].Value] != m.Content[i] {
			continue
		}
		var src RefSource
		switch m.Content[i].Value {
		case "tactics":
			src = SourceSentinelTactic
		case "relevantTechniques":
			src = SourceSentinelTechnique
		case "tags":
			for _, n := range items(m.Content[i+1]) {
				r.Tags = append(r.Tags, Tag{Text: n.Value, Node: n, Span: scalarSpan(f.li, n)})
			}
			continue
		default:
			continue
		}
		for _, n := range items(m.Content[i+1]) {
			sp := scalarSpan(f.li, n)
			ref := Ref{Text: string(f.src[sp.StartOffset:sp.EndOffset]), Value: n.Value, Source: src, Span: sp, Node: n}
			if src == SourceSentinelTactic {
				ref.Kind = RefTactic
			} else if id, ok := attackid.Exact(n.Value); ok && id.Kind == attackid.Technique {
				ref.Kind = RefTechnique
			} else {
				ref.Kind = RefUnknown
			}
			r.Attack = append(r.Attack, ref)
		}
	}
	if _, q := lookup(m, "query"); q != nil && q.Kind == yaml.ScalarNode {
		r.Queries = append(r.Queries, scalarQuery(f.li, q))
	}
	return r
}
