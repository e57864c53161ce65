package rules

import (
	"regexp"
	"strings"
)

// kqlLine describes one file line of KQL text.
type kqlLine struct {
	n          int  // 1-based line number
	start, end int  // byte range of the line, without its line break
	blank      bool // only whitespace, outside a multi-line string
	comment    bool // only a // comment, outside a multi-line string
	code       int  // byte offset where code ends on the line (start of a // comment, or end)
	depth      int  // opening minus closing brackets in the line's code
}

// scanKQL splits file lines first..last into kqlLines and returns the byte
// ranges of their // comments. It knows KQL's string literals ("…", '…',
// @"…", and multi-line ```…```) so that "//" inside a string is not a comment.
func scanKQL(li *lineIndex, first, last int) (lines []kqlLine, comments [][2]int) {
	src := li.src
	inTriple := false
	for n := first; n <= last; n++ {
		s, e := li.lineStart(n), li.lineEnd(n)
		l := kqlLine{n: n, start: s, end: e, code: e}
		startedInString := inTriple
		var quote byte
		verbatim := false
		nonSpace := false
		for i := s; i < e; i++ {
			c := src[i]
			switch {
			case inTriple:
				if c == '`' && i+2 < e && src[i+1] == '`' && src[i+2] == '`' {
					inTriple = false
					i += 2
				}
			case quote != 0:
				if c == '\\' && !verbatim {
					i++
				} else if c == quote {
					if verbatim && i+1 < e && src[i+1] == quote {
						i++
					} else {
						quote = 0
					}
				}
			case c == '`' && i+2 < e && src[i+1] == '`' && src[i+2] == '`':
				inTriple = true
				i += 2
			case c == '"' || c == '\'':
				quote = c
				verbatim = i > s && src[i-1] == '@'
			case c == '/' && i+1 < e && src[i+1] == '/':
				l.code = i
				comments = append(comments, [2]int{i, e})
				i = e
				continue
			case c == '(' || c == '[' || c == '{':
				l.depth++
			case c == ')' || c == ']' || c == '}':
				l.depth--
			}
			if c != ' ' && c != '\t' && l.code == e {
				nonSpace = true
			}
			if l.code != e {
				break
			}
		}
		if !startedInString {
			codeText := strings.TrimSpace(string(src[s:l.code]))
			l.blank = !nonSpace && l.code == e
			l.comment = codeText == "" && l.code != e
		}
		lines = append(lines, l)
	}
	return lines, comments
}

// kqlQueries splits KQL lines into queries: runs of non-blank lines, as Kusto
// Explorer and Log Analytics do. A run of comments only is not a query. Two
// runs are one query when the first one's last code ends with ";" (let
// statements alone) or the second one's first code starts with "|" (a
// pipeline cut by a blank line): neither can be a query by itself; so are
// runs inside an open bracket (a function body with a blank line). A query's
// text starts at its first code line and ends at its last code line; blank
// and comment lines in between are part of it.
func kqlQueries(li *lineIndex, lines []kqlLine) []Query {
	var out []Query
	var cur *mapBuilder
	var pending []kqlLine // blank and comment lines since the last code line
	lastCode := ""
	depth := 0
	for _, l := range lines {
		if l.blank || l.comment {
			if cur != nil {
				pending = append(pending, l)
			}
			continue
		}
		code := strings.TrimSpace(string(li.src[l.start:l.code]))
		if cur != nil && hasBlank(pending) && depth <= 0 && !strings.HasSuffix(lastCode, ";") && !strings.HasPrefix(code, "|") {
			out = append(out, cur.query())
			cur, pending = nil, nil
			depth = 0
		}
		depth += l.depth
		if cur == nil {
			cur = &mapBuilder{li: li}
			cur.addLine(l.start, l.end, true)
		} else {
			for _, p := range pending {
				cur.addLine(p.start, p.end, false)
			}
			pending = nil
			cur.addLine(l.start, l.end, false)
		}
		if code != "" {
			lastCode = code
		}
	}
	if cur != nil {
		out = append(out, cur.query())
	}
	return out
}

func hasBlank(lines []kqlLine) bool {
	for _, l := range lines {
		if l.blank {
			return true
		}
	}
	return false
}

// loadKQL loads a plain KQL file as one Rule of kind query.
func loadKQL(path string, li *lineIndex) ([]*Rule, []Problem) {
	r := &Rule{Path: path, Format: FormatKQL, Kind: KindQuery, Source: li.src, Start: Pos{Line: 1, Column: 1}}
	lines, comments := scanKQL(li, 1, li.lines())
	r.Queries = kqlQueries(li, lines)
	for _, c := range comments {
		r.Attack = append(r.Attack, scanFree(li, c[0], c[1], SourceComment)...)
		if r.Title == "" {
			r.Title = strings.TrimSpace(strings.TrimLeft(string(li.src[c[0]:c[1]]), "/"))
		}
	}
	return []*Rule{r}, nil
}

var reKQLStart = regexp.MustCompile(`^(?i)(let\s|union\b|search\b|print\b|datatable\b|range\b|externaldata\b|find\b|evaluate\b|declare\s)`)

// rePipeOp is a pipe followed by a common tabular operator.
var rePipeOp = regexp.MustCompile(`\|\s*(where|project|project-away|extend|summarize|take|limit|join|union|sort|order|top|count|distinct|mv-expand|mvexpand|parse|render|invoke|evaluate|lookup|make-series|sample|search|serialize|getschema|as|filter)\b`)

// looksLikeKQL is the rule for unlabelled Markdown code blocks and files of
// unknown extension: ignoring blank lines and // comments, the text has a
// line starting with "|" (a tabular operator), or a line with a "|" followed
// by a common tabular operator ("AlertInfo | where …"), or its first code
// line starts with let, union, search, print, datatable, range,
// externaldata, find, evaluate or declare.
func looksLikeKQL(s string) bool {
	first := true
	for _, line := range strings.Split(s, "\n") {
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "//") {
			continue
		}
		if strings.HasPrefix(t, "|") || rePipeOp.MatchString(t) {
			return true
		}
		if first && reKQLStart.MatchString(t) {
			return true
		}
		first = false
	}
	return false
}
