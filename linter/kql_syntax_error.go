package linter

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/huntlint/huntlint/queries"
	"github.com/huntlint/huntlint/rules"
)

// kqlSyntaxError reports the first syntax error of every KQL query, where
// Microsoft's Kusto.Language parser reports it.
type kqlSyntaxError struct{}

var kqlSyntaxErrorDoc = &Doc{
	ID:       "kql-syntax-error",
	Category: "kql",
	Severity: SeverityError,
	Summary:  "a KQL query does not parse",
	Why: "A query with a syntax error never runs: Sentinel refuses to save the analytic rule, a hunting " +
		"query fails when an analyst opens it, and a Markdown hunting guide hands out a query that must " +
		"be repaired before use. huntlint parses every query of every format (Sentinel YAML, .kql " +
		"files, Markdown code blocks) with its own KQL parser, which agrees with Microsoft's " +
		"Kusto.Language on where the first error is.",
	Bad:     "SecurityEvent\n| where EventID == 4688 and (CommandLine has \"vssadmin\"\n| project TimeGenerated, Computer\n",
	Good:    "SecurityEvent\n| where EventID == 4688 and (CommandLine has \"vssadmin\")\n| project TimeGenerated, Computer\n",
	Formats: []rules.Format{rules.FormatSentinel, rules.FormatKQL, rules.FormatMarkdown},
}

func (kqlSyntaxError) Doc() *Doc { return kqlSyntaxErrorDoc }

func (kqlSyntaxError) Run(ctx *Context) {
	r := ctx.Rule
	if r == nil {
		return
	}
	for _, q := range r.Queries {
		res := queries.Parse(q.Text)
		if res.OK() {
			continue
		}
		d := res.Diagnostics[0]
		ctx.Reportf(querySpan(q, d.Offset, d.Length), nil, "%s", kqlMessage(q, d))
	}
}

// querySpan maps a byte range of a query's text to a file span.
func querySpan(q rules.Query, off, length int) rules.Span {
	off = max(0, min(off, len(q.Text)))
	end := max(off, min(off+length, len(q.Text)))
	var sp rules.Span
	if q.Map == nil {
		sp.Start = q.Start
		sp.End = q.Start
		return sp
	}
	fo, hasOffsets := q.Map.(interface{ FileOffset(int) int })
	if length == 0 && off > 0 && !isKQLSpace(q.Text[off-1]) {
		// "missing ..." just after a token: anchor on the token's last
		// byte, so that a folded YAML line break does not move the
		// position to the next line
		sp.Start = q.Map.Position(off - 1)
		sp.Start.Column++
		sp.End = sp.Start
		if hasOffsets {
			sp.StartOffset = fo.FileOffset(off-1) + 1
			sp.EndOffset = sp.StartOffset
		}
	} else {
		sp.Start = q.Map.Position(off)
		sp.End = q.Map.Position(end)
		if hasOffsets {
			sp.StartOffset = fo.FileOffset(off)
			sp.EndOffset = fo.FileOffset(end)
		}
	}
	if sp.End == sp.Start {
		// an empty range ("missing ...") still marks one character
		sp.End.Column++
		sp.EndOffset = sp.StartOffset + 1
	}
	return sp
}

func isKQLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// kqlMessage turns a parser diagnostic, worded as Kusto.Language words it,
// into a huntlint message: lower case, quoting the offending text.
func kqlMessage(q rules.Query, d queries.Diagnostic) string {
	text := q.Text
	m := strings.TrimSuffix(d.Message, ".")
	found := ""
	if d.Length > 0 && d.Offset+d.Length <= len(text) {
		found = text[d.Offset : d.Offset+d.Length]
	}
	switch {
	case strings.HasPrefix(m, "Expected: "):
		want := strings.TrimPrefix(m, "Expected: ")
		if want == ";" {
			if found != "" {
				return fmt.Sprintf("unexpected %q after the end of a statement; separate statements with \";\" or join them with \"|\"", clip(found))
			}
			return "the statement ends here but text follows; separate statements with \";\" or join them with \"|\""
		}
		closes := ""
		if d.Open >= 0 && d.Open < len(text) && q.Map != nil {
			p := q.Map.Position(d.Open)
			closes = fmt.Sprintf(" to close the %q at line %d, column %d", text[d.Open:d.Open+1], p.Line, p.Column)
		}
		if found != "" {
			return fmt.Sprintf("expected %q%s, found %q", want, closes, clip(found))
		}
		return fmt.Sprintf("expected %q%s", want, closes)
	case strings.HasPrefix(m, "Missing: "):
		return fmt.Sprintf("unterminated string literal; add the closing %s", strings.TrimPrefix(m, "Missing: "))
	case strings.HasPrefix(m, "Missing "):
		what := strings.TrimPrefix(m, "Missing ")
		if i := strings.IndexByte(what, ':'); i >= 0 {
			what = what[:i]
		}
		if next := nextWord(text, d.Offset); next != "" {
			return fmt.Sprintf("missing %s before %q", what, next)
		}
		if d.Offset >= len(strings.TrimRight(text, " \t\r\n")) {
			return fmt.Sprintf("missing %s at the end of the query", what)
		}
		return "missing " + what
	case m == "Query operator expected":
		if found != "" {
			return fmt.Sprintf("%q is not a query operator; expected one such as where, project, extend or summarize", clip(found))
		}
		return "missing query operator after \"|\""
	case m == "The incomplete fragment is unexpected":
		return fmt.Sprintf("unexpected %q; the query cannot continue here", clip(found))
	case strings.HasPrefix(m, "The name '"):
		name := strings.TrimPrefix(m, "The name '")
		name = name[:strings.IndexByte(name, '\'')]
		return fmt.Sprintf("%q is a KQL keyword here; write it as ['%s'] to use it as a name", name, name)
	}
	return strings.ToLower(m[:1]) + m[1:]
}

// nextWord returns the text that follows off on the same line, up to the
// next space, or "" when the line ends there.
func nextWord(text string, off int) string {
	rest := strings.TrimLeft(text[min(off, len(text)):], " \t")
	if rest == "" || rest[0] == '\n' || rest[0] == '\r' || strings.HasPrefix(rest, "//") {
		return ""
	}
	if i := strings.IndexAny(rest, " \t\r\n"); i >= 0 {
		rest = rest[:i]
	}
	return clip(rest)
}

// clip shortens a quoted fragment for a message.
func clip(s string) string {
	if utf8.RuneCountInString(s) <= 40 {
		return s
	}
	r := []rune(s)
	return string(r[:40]) + "…"
}
