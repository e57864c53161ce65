package rules

import (
	"regexp"
	"strings"
)

// mdFence is one fenced code block: its info string and content lines.
type mdFence struct {
	info        string
	open        int // line of the opening fence
	first, last int // content lines (last < first when empty)
}

// loadMarkdown loads a Markdown file as one Rule of kind query: the title
// from the first ATX heading, the queries of each KQL code block (see
// isKQLFence; split as .kql files are, see kqlQueries),
// and ATT&CK references from prose, tables, links and the // comments of the
// KQL blocks; a file without a KQL fence may hold its query unfenced in the
// prose (see unfencedKQL). A file without a query is documentation (a README, a
// changelog), not a query, however many ATT&CK IDs its prose names: it
// yields no rule and no problem, so that nothing ever fixes it (see
// IsDocumentation).
func loadMarkdown(path string, li *lineIndex) ([]*Rule, []Problem) {
	r := &Rule{Path: path, Format: FormatMarkdown, Kind: KindQuery, Source: li.src, Start: Pos{Line: 1, Column: 1}}
	src := li.src
	var prose []int // prose line numbers
	n := 1
	for n <= li.lines() {
		s, e := li.lineStart(n), li.lineEnd(n)
		line := string(src[s:e])
		if ch, width, info, ok := fenceOpen(line); ok {
			f := mdFence{info: info, open: n, first: n + 1}
			m := n + 1
			for ; m <= li.lines(); m++ {
				if fenceClose(string(src[li.lineStart(m):li.lineEnd(m)]), ch, width) {
					break
				}
			}
			f.last = m - 1
			if isKQLFence(li, f) {
				lines, comments := scanKQL(li, f.first, f.last)
				for _, q := range kqlQueries(li, lines) {
					if !isFragment(q) {
						r.Queries = append(r.Queries, q)
					}
				}
				for _, c := range comments {
					r.Attack = append(r.Attack, scanFree(li, c[0], c[1], SourceComment)...)
				}
			}
			n = m + 1
			continue
		}
		if r.Title == "" {
			if t, ok := atxHeading(line); ok {
				r.Title = t
				r.Start = Pos{Line: n, Column: 1}
			}
		}
		prose = append(prose, n)
		n++
	}
	for _, p := range prose {
		r.Attack = append(r.Attack, scanFree(li, li.lineStart(p), li.lineEnd(p), SourceMarkdown)...)
	}
	r.Attack = append(r.Attack, coverageTables(li, prose)...)
	sortRefs(r.Attack)
	if len(r.Queries) == 0 {
		// No KQL fence: a query may still stand unfenced in the prose.
		for _, b := range unfencedKQL(li, prose) {
			lines, _ := scanKQL(li, b[0], b[1])
			r.Queries = append(r.Queries, kqlQueries(li, lines)...)
		}
	}
	if len(r.Queries) == 0 {
		return nil, nil
	}
	return []*Rule{r}, nil
}

// IsDocumentation reports whether a file that loaded to no rule and no
// problem was skipped as documentation: Markdown that holds no KQL block.
func IsDocumentation(path string) bool {
	return DetectFormat(path, nil) == FormatMarkdown
}

// SkipReason says why a file that loaded to no rule and no problem was
// left out, for the line --log-level debug gives it.
func SkipReason(path string) string {
	switch DetectFormat(path, nil) {
	case FormatMarkdown:
		return "Markdown without a KQL query, taken for documentation"
	case formatYAML:
		return "not a rule: no Sigma or Sentinel keys (" + strings.Join(ruleKeys, ", ") + ")"
	}
	return "no Sigma rule, Sentinel query or KQL in it"
}

// isFragment reports whether a query of a Markdown code block starts with
// a pipe: the lines to append to another query ("you can filter on the
// description by adding: | where ..."), not a query of its own.
func isFragment(q Query) bool {
	return strings.HasPrefix(strings.TrimSpace(q.Text), "|")
}

// rePipeLine is a line that continues a KQL query: a pipe and a tabular
// operator.
var rePipeLine = regexp.MustCompile(`^` + rePipeOp.String())

// reTableLine is the first line of a query that starts from a table: its
// name alone, or followed by a pipe.
var reTableLine = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*(\s*\|.*)?$`)

// unfencedKQL returns the first and last lines of the paragraphs of prose
// (runs of non-blank lines between blank lines and headings) that are a
// KQL query written without a code fence: after any // comments, a first
// line that is a table name (alone or followed by a pipe) or starts a
// statement (let, union, search, ...), and a later line that starts with
// a pipe and a tabular operator ("| where"). Prose ("Run this:") and
// Markdown tables never start one.
func unfencedKQL(li *lineIndex, prose []int) [][2]int {
	var out [][2]int
	text := func(n int) string { return strings.TrimSpace(string(li.src[li.lineStart(n):li.lineEnd(n)])) }
	for i := 0; i < len(prose); {
		if t := text(prose[i]); t == "" || strings.HasPrefix(t, "#") {
			i++
			continue
		}
		j := i
		for j+1 < len(prose) && prose[j+1] == prose[j]+1 {
			if t := text(prose[j+1]); t == "" || strings.HasPrefix(t, "#") {
				break
			}
			j++
		}
		k := i // the first line that is not a // comment
		for k <= j && strings.HasPrefix(text(prose[k]), "//") {
			k++
		}
		if k <= j && (reTableLine.MatchString(text(prose[k])) || reKQLStart.MatchString(text(prose[k]))) {
			for m := k + 1; m <= j; m++ {
				if rePipeLine.MatchString(text(prose[m])) {
					out = append(out, [2]int{prose[i], prose[j]})
					break
				}
			}
		}
		i = j + 1
	}
	return out
}

// fenceOpen recognises an opening code fence (``` or ~~~, three or more,
// after any indentation) and returns its character, width and info string.
func fenceOpen(line string) (byte, int, string, bool) {
	t := strings.TrimLeft(line, " \t>")
	if len(t) < 3 || (t[0] != '`' && t[0] != '~') {
		return 0, 0, "", false
	}
	ch := t[0]
	w := 0
	for w < len(t) && t[w] == ch {
		w++
	}
	if w < 3 {
		return 0, 0, "", false
	}
	info := strings.TrimSpace(t[w:])
	if ch == '`' && strings.Contains(info, "`") {
		return 0, 0, "", false // inline code, not a fence
	}
	return ch, w, info, true
}

func fenceClose(line string, ch byte, width int) bool {
	t := strings.TrimSpace(strings.TrimLeft(line, " \t>"))
	if len(t) < width {
		return false
	}
	for i := 0; i < len(t); i++ {
		if t[i] != ch {
			return false
		}
	}
	return true
}

// isKQLFence: a block labelled kql, kusto or csl (any case) is KQL; an
// unlabelled block is KQL when its text looks like KQL (looksLikeKQL); a block
// with any other label is not.
func isKQLFence(li *lineIndex, f mdFence) bool {
	label := strings.ToLower(strings.Fields(f.info + " x")[0])
	if f.info == "" {
		if f.last < f.first {
			return false
		}
		return looksLikeKQL(string(li.src[li.lineStart(f.first):li.lineEnd(f.last)]))
	}
	switch label {
	case "kql", "kusto", "csl", "{kql}", "{kusto}":
		return true
	}
	return false
}

func atxHeading(line string) (string, bool) {
	t := strings.TrimLeft(line, " ")
	if !strings.HasPrefix(t, "#") {
		return "", false
	}
	t = strings.TrimLeft(t, "#")
	if t != "" && t[0] != ' ' && t[0] != '\t' {
		return "", false
	}
	t = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(t), "#"))
	return t, t != ""
}

// coverageTables finds Markdown tables with a "covered" column (a header
// cell containing "covered", or exactly "v") and returns the first cell of
// each row marked v, x, yes or a check mark as a loose tactic reference.
func coverageTables(li *lineIndex, prose []int) []Ref {
	var refs []Ref
	col := -1
	for i, n := range prose {
		s, e := li.lineStart(n), li.lineEnd(n)
		line := string(li.src[s:e])
		if !strings.HasPrefix(strings.TrimSpace(line), "|") {
			col = -1
			continue
		}
		cells := tableCells(line)
		if col < 0 {
			// A header is followed by a separator row.
			if i+1 < len(prose) && prose[i+1] == n+1 && isSeparatorRow(string(li.src[li.lineStart(n+1):li.lineEnd(n+1)])) {
				for j, c := range cells {
					lc := strings.ToLower(strings.TrimSpace(c.text))
					if j > 0 && (strings.Contains(lc, "covered") || lc == "v") {
						col = j
						break
					}
				}
			}
			continue
		}
		if isSeparatorRow(line) || col >= len(cells) || len(cells) == 0 {
			continue
		}
		switch strings.ToLower(strings.TrimSpace(cells[col].text)) {
		case "v", "x", "yes", "y", "✓", "✔", "✅", "✔️":
		default:
			continue
		}
		label := cells[0]
		name := strings.TrimSpace(label.text)
		if name == "" || reFreeID.MatchString(name) && standsAlone(name, 0, len(name)) {
			continue
		}
		a := s + label.off + strings.Index(label.text, name)
		refs = append(refs, Ref{Text: name, Value: name, Kind: RefTactic, Source: SourceMarkdown,
			Span: li.span(a, a+len(name)), Loose: true})
	}
	return refs
}

type cell struct {
	text string
	off  int // byte offset of text in the line
}

func tableCells(line string) []cell {
	var out []cell
	i := strings.IndexByte(line, '|')
	if i < 0 {
		return nil
	}
	for {
		j := strings.IndexByte(line[i+1:], '|')
		if j < 0 {
			rest := line[i+1:]
			if strings.TrimSpace(rest) != "" {
				out = append(out, cell{rest, i + 1})
			}
			return out
		}
		out = append(out, cell{line[i+1 : i+1+j], i + 1})
		i = i + 1 + j
	}
}

func isSeparatorRow(line string) bool {
	t := strings.TrimSpace(line)
	if !strings.Contains(t, "-") {
		return false
	}
	for _, c := range t {
		if !strings.ContainsRune("|-: \t", c) {
			return false
		}
	}
	return true
}
