package suggest

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/huntlint/huntlint/rules"
)

// Edit replaces the bytes [Start, End) of a file's original text with New.
type Edit struct {
	Start, End int
	New        string
}

// TagEdits returns the edits that add techniques (IDs as the catalog spells
// them) to r: for Sigma, "attack.<id>" tags, for Sentinel relevantTechniques;
// with each technique, its tactics (Sigma "attack.<shortname>" in the file's
// hyphen or underscore style, Sentinel PascalCase) when the rule has none of
// them yet. Techniques already present are skipped. Everything else in the file is kept byte
// for byte. Other formats cannot carry tags and give an error.
func (s *Suggester) TagEdits(r *rules.Rule, techs []string) ([]Edit, error) {
	if r.Doc == nil {
		return nil, fmt.Errorf("%s: cannot write tags into a %s file; add them by hand", r.Path, r.Format)
	}
	root := r.Doc
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		root = root.Content[0]
	}
	if root.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s:%d: the document is not a mapping; cannot add tags", r.Path, root.Line)
	}
	if root.Style&yaml.FlowStyle != 0 {
		return nil, fmt.Errorf("%s:%d:%d: the rule is one flow mapping ({…}); cannot add tags to it", r.Path, root.Line, root.Column)
	}
	e := &editor{src: r.Source, root: root, path: r.Path}
	e.index()
	switch r.Format {
	case rules.FormatSigma:
		return e.sigma(s, techs)
	case rules.FormatSentinel:
		return e.sentinel(s, techs)
	}
	return nil, fmt.Errorf("%s: cannot write tags into a %s file; add them by hand", r.Path, r.Format)
}

// editor inserts list items into one YAML document of a file.
type editor struct {
	src   []byte
	root  *yaml.Node
	path  string
	lines []int // byte offset of each line's start
	nl    string
}

func (e *editor) index() {
	// Line breaks as YAML counts them: LF, CRLF, CR, NEL, LS and PS.
	e.lines = []int{0}
	src := e.src
	for i := 0; i < len(src); i++ {
		switch {
		case src[i] == '\r' && i+1 < len(src) && src[i+1] == '\n':
			i++
			e.lines = append(e.lines, i+1)
		case src[i] == '\n' || src[i] == '\r':
			e.lines = append(e.lines, i+1)
		case src[i] == 0xC2 && i+1 < len(src) && src[i+1] == 0x85:
			i++
			e.lines = append(e.lines, i+1)
		case src[i] == 0xE2 && i+2 < len(src) && src[i+1] == 0x80 && (src[i+2] == 0xA8 || src[i+2] == 0xA9):
			i += 2
			e.lines = append(e.lines, i+1)
		}
	}
	e.nl = "\n"
	if bytes.Contains(e.src, []byte("\r\n")) {
		e.nl = "\r\n"
	}
}

// offset converts a 1-based yaml.v3 line and column (in characters) to a
// byte offset.
func (e *editor) offset(line, col int) int {
	if line < 1 || line > len(e.lines) {
		return len(e.src)
	}
	off := e.lineStart(line)
	for c := 1; c < col && off < len(e.src) && e.src[off] != '\n' && e.src[off] != '\r'; c++ {
		_, size := utf8.DecodeRune(e.src[off:])
		off += size
	}
	return off
}

// lineStart returns the offset of line (1-based), or the end of the file.
func (e *editor) lineStart(line int) int {
	if line < 1 || line > len(e.lines) {
		return len(e.src)
	}
	return e.lines[line-1]
}

// lineEnd returns the offset just after the newline ending line (1-based),
// or the end of the file.
func (e *editor) lineEnd(line int) int {
	if line < len(e.lines) {
		return e.lines[line]
	}
	return len(e.src)
}

// key returns the key and value nodes of name in the root mapping.
func (e *editor) key(name string) (k, v *yaml.Node) {
	for i := 0; i+1 < len(e.root.Content); i += 2 {
		if e.root.Content[i].Value == name {
			return e.root.Content[i], e.root.Content[i+1]
		}
	}
	return nil, nil
}

// itemIndent returns the prefix of block sequence items in this document
// ("    - "), from the first block sequence found, or def.
func (e *editor) itemIndent(def string) string {
	for i := 1; i < len(e.root.Content); i += 2 {
		v := e.root.Content[i]
		if v.Kind == yaml.SequenceNode && v.Style&yaml.FlowStyle == 0 && len(v.Content) > 0 {
			it := v.Content[0]
			start, end := e.lineStart(it.Line), e.offset(it.Line, it.Column)
			if end < start {
				continue
			}
			prefix := string(e.src[start:end])
			if strings.TrimLeft(prefix, " ") == "- " || strings.TrimLeft(prefix, " ") == "-  " {
				return prefix
			}
		}
	}
	return def
}

// appendItems adds values to the sequence under name, creating the key
// before the first of beforeKeys (or at the end) when it is absent.
func (e *editor) appendItems(name string, values []string, beforeKeys []string, defIndent string) (Edit, error) {
	k, v := e.key(name)
	if k == nil {
		var b strings.Builder
		indent := ""
		if len(e.root.Content) > 0 {
			indent = strings.Repeat(" ", max(e.root.Content[0].Column-1, 0))
		}
		b.WriteString(indent + name + ":" + e.nl)
		prefix := e.itemIndent(indent + defIndent)
		for _, x := range values {
			b.WriteString(prefix + x + e.nl)
		}
		at := e.docEnd()
		for _, bk := range beforeKeys {
			if kn, _ := e.key(bk); kn != nil {
				at = e.lineStart(kn.Line)
				break
			}
		}
		if at > 0 && at == len(e.src) && e.src[at-1] != '\n' {
			return Edit{at, at, e.nl + b.String()}, nil
		}
		return Edit{at, at, b.String()}, nil
	}
	switch {
	case v.Kind == yaml.ScalarNode && v.Tag == "!!null" && v.Style&yaml.TaggedStyle == 0 && v.Anchor == "" && v.Line == k.Line && (v.Value == "" || v.Value == "~" || v.Value == "null"):
		// "tags:" with nothing: items go on the following lines.
		start, end := e.offset(v.Line, v.Column), e.offset(v.Line, v.Column)+len(v.Value)
		if v.Value == "" {
			// at the end of the key's line, after any comment
			start = e.offset(k.Line, k.Column)
			for start < len(e.src) && e.src[start] != '\n' && e.src[start] != '\r' {
				start++
			}
			end = start
		}
		var b strings.Builder
		prefix := e.itemIndent(defIndent)
		for _, x := range values {
			b.WriteString(e.nl + prefix + x)
		}
		return Edit{start, end, b.String()}, nil
	case v.Kind != yaml.SequenceNode:
		return Edit{}, fmt.Errorf("%s:%d:%d: %s is not a list; cannot add %s", e.path, v.Line, v.Column, name, strings.Join(values, ", "))
	case v.Style&yaml.FlowStyle != 0:
		open := e.offset(v.Line, v.Column)
		close := matchingBracket(e.src, open)
		if close < 0 {
			return Edit{}, fmt.Errorf("%s:%d:%d: cannot find the end of the %s list", e.path, v.Line, v.Column, name)
		}
		sep := ", "
		if len(v.Content) == 0 {
			sep = ""
		}
		// insert after the last item, before any space preceding ']'
		at := close
		for at > open+1 && (e.src[at-1] == ' ' || e.src[at-1] == '\t' || e.src[at-1] == '\n' || e.src[at-1] == '\r') {
			at--
		}
		return Edit{at, at, sep + strings.Join(values, ", ")}, nil
	case len(v.Content) == 0:
		return Edit{}, fmt.Errorf("%s:%d:%d: empty %s list", e.path, v.Line, v.Column, name)
	}
	last := v.Content[len(v.Content)-1]
	start, end := e.lineStart(last.Line), e.offset(last.Line, last.Column)
	if end < start {
		return Edit{}, fmt.Errorf("%s:%d:%d: cannot locate the last %s item", e.path, last.Line, last.Column, name)
	}
	prefix := string(e.src[start:end])
	if strings.TrimSpace(prefix) != "-" {
		prefix = e.itemIndent(defIndent)
	} else if !strings.HasSuffix(prefix, " ") {
		prefix += " " // the last item is empty ("-")
	}
	at := e.lineEnd(lastLine(last))
	var b strings.Builder
	if at == len(e.src) && at > 0 && e.src[at-1] != '\n' {
		b.WriteString(e.nl)
	}
	for _, x := range values {
		b.WriteString(prefix + x + e.nl)
	}
	return Edit{at, at, b.String()}, nil
}

// docEnd is the offset where this document ends: the line after its last
// node, or the end of the file.
func (e *editor) docEnd() int {
	last := lastLine(e.root)
	// skip the rest of the last node's lines (block scalars)
	end := e.lineEnd(last)
	for l := last + 1; l <= len(e.lines); l++ {
		off := e.lineStart(l)
		rest := e.src[off:e.lineEnd(l)]
		if len(rest) > 0 && (rest[0] == ' ' || rest[0] == '\t') {
			end = e.lineEnd(l)
			continue
		}
		break
	}
	return end
}

func lastLine(n *yaml.Node) int {
	l := n.Line
	for _, c := range n.Content {
		l = max(l, lastLine(c))
	}
	return l
}

// matchingBracket returns the offset of the ']' closing the '[' at open,
// skipping quoted strings, or -1.
func matchingBracket(src []byte, open int) int {
	depth := 0
	for i := open; i < len(src); i++ {
		switch src[i] {
		case '[':
			depth++
		case ']':
			depth--
			if depth == 0 {
				return i
			}
		case '"', '\'':
			q := src[i]
			for i++; i < len(src) && src[i] != q; i++ {
				if q == '"' && src[i] == '\\' {
					i++
				}
			}
		}
	}
	return -1
}

// sigma adds attack.<technique> tags and missing tactic tags.
func (e *editor) sigma(s *Suggester, techs []string) ([]Edit, error) {
	have := map[string]bool{}
	underscore := false
	if _, v := e.key("tags"); v != nil {
		for _, it := range v.Content {
			t := strings.ToLower(it.Value)
			have[t] = true
			if strings.HasPrefix(t, "attack.") && strings.Contains(t, "_") {
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
		tag := "attack." + strings.ToLower(t.ID)
		if have[tag] {
			continue
		}
		hasTactic := false
		for _, tac := range t.Tactics {
			if have["attack."+tac] {
				hasTactic = true
			}
		}
		if !hasTactic {
			for _, tac := range t.Tactics {
				if underscore {
					tac = strings.ReplaceAll(tac, "-", "_")
				}
				tag := "attack." + tac
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
	ed, err := e.appendItems("tags", add, []string{"logsource", "detection", "correlation", "filter"}, "    - ")
	if err != nil {
		return nil, err
	}
	return []Edit{ed}, nil
}

// sentinel adds relevantTechniques and tactics.
func (e *editor) sentinel(s *Suggester, techs []string) ([]Edit, error) {
	haveTech, haveTac := map[string]bool{}, map[string]bool{}
	if _, v := e.key("relevantTechniques"); v != nil {
		for _, it := range v.Content {
			haveTech[strings.ToUpper(it.Value)] = true
		}
	}
	if _, v := e.key("tactics"); v != nil {
		for _, it := range v.Content {
			haveTac[foldTactic(it.Value)] = true
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
		var tacs []*tactic
		hasTactic := false
		for _, short := range t.Tactics {
			if tac := s.ix.tactics[short]; tac != nil {
				tacs = append(tacs, tac)
				hasTactic = hasTactic || haveTac[foldTactic(tac.Name)]
			}
		}
		if hasTactic {
			continue
		}
		for _, tac := range tacs {
			if !haveTac[foldTactic(tac.Name)] {
				haveTac[foldTactic(tac.Name)] = true
				addTac = append(addTac, pascal(tac.Name))
			}
		}
	}
	var edits []Edit
	if len(addTac) > 0 {
		ed, err := e.appendItems("tactics", addTac, []string{"relevantTechniques", "query"}, "  - ")
		if err != nil {
			return nil, err
		}
		edits = append(edits, ed)
	}
	if len(addTech) > 0 {
		ed, err := e.appendItems("relevantTechniques", addTech, []string{"query"}, "  - ")
		if err != nil {
			return nil, err
		}
		// a new tactics key and a new relevantTechniques key may go to the
		// same place: keep tactics first.
		edits = append(edits, ed)
	}
	return edits, nil
}

// foldTactic reduces a tactic spelling to letters, lower case.
func foldTactic(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// pascal spells a tactic name as Sentinel does: "Command and Control" ->
// "CommandAndControl".
func pascal(name string) string {
	var b strings.Builder
	for _, w := range strings.FieldsFunc(name, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		b.WriteString(strings.ToUpper(w[:1]) + w[1:])
	}
	return b.String()
}

// Apply applies non-overlapping edits to src. Edits at the same offset keep
// their order.
func Apply(src []byte, edits []Edit) ([]byte, error) {
	sorted := append([]Edit(nil), edits...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Start < sorted[j].Start })
	var out bytes.Buffer
	pos := 0
	for _, ed := range sorted {
		if ed.Start < pos || ed.End < ed.Start || ed.End > len(src) {
			return nil, fmt.Errorf("overlapping or invalid edit at byte %d", ed.Start)
		}
		out.Write(src[pos:ed.Start])
		out.WriteString(ed.New)
		pos = ed.End
	}
	out.Write(src[pos:])
	return out.Bytes(), nil
}
