package linter

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/huntlint/huntlint/rules"
)

// A suppression is one huntlint:ignore or huntlint:ignore-file directive in a
// comment:
//
//	# huntlint:ignore CHECK[,CHECK] -- reason        (YAML, on or above the line)
//	// huntlint:ignore CHECK -- reason                (KQL)
//	<!-- huntlint:ignore CHECK -- reason -->          (Markdown)
//	# huntlint:ignore-file CHECK -- reason            (anywhere: the whole file)
//
// A directive that is the only thing on its line applies to the next line;
// one after other text applies to its own line.
type suppression struct {
	span   rules.Span
	file   bool
	line   int // the line it applies to (not for file directives)
	checks []string
	reason string
	used   map[string]bool
}

// suppressions are the directives of one file.
type suppressions struct {
	path string
	list []*suppression
	// loaded is false when the file yielded no rule: then only load-error
	// ran on it, and suppressions of other checks are not judged unused.
	loaded bool
}

var reDirective = regexp.MustCompile(`(#|//|<!--)\s*huntlint:(ignore-file|ignore)\b([^\n]*)`)

// parseSuppressions finds the directives in src.
func parseSuppressions(path string, src []byte) *suppressions {
	if !bytes.Contains(src, []byte("huntlint:ignore")) {
		return nil
	}
	s := &suppressions{path: path}
	line, lineOff := 1, 0
	for lineOff <= len(src) {
		end := bytes.IndexByte(src[lineOff:], '\n')
		if end < 0 {
			end = len(src)
		} else {
			end += lineOff
		}
		text := src[lineOff:end]
		if m := reDirective.FindSubmatchIndex(text); m != nil {
			body := string(text[m[6]:m[7]])
			body = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(strings.TrimSuffix(body, "\r")), "-->"))
			ids, reason, _ := strings.Cut(body, "--")
			sup := &suppression{
				file:   string(text[m[4]:m[5]]) == "ignore-file",
				reason: strings.TrimSpace(reason),
				used:   map[string]bool{},
			}
			for _, id := range strings.FieldsFunc(ids, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
				sup.checks = append(sup.checks, id)
			}
			startCol := utf8.RuneCount(text[:m[0]]) + 1
			endCol := utf8.RuneCount(bytes.TrimRight(text, "\r")) + 1
			sup.span = rules.Span{
				Start:       rules.Pos{Line: line, Column: startCol},
				End:         rules.Pos{Line: line, Column: endCol},
				StartOffset: lineOff + m[0],
				EndOffset:   lineOff + len(bytes.TrimRight(text, "\r")),
			}
			sup.line = line
			if len(bytes.TrimSpace(text[:m[0]])) == 0 {
				sup.line = line + 1
			}
			s.list = append(s.list, sup)
		}
		line++
		lineOff = end + 1
	}
	return s
}

// matches reports whether sup silences finding f.
func (sup *suppression) matches(f Finding) (string, bool) {
	if !sup.file && f.Span.Start.Line != sup.line {
		return "", false
	}
	for _, id := range sup.checks {
		if id == f.Check {
			return id, true
		}
	}
	return "", false
}

// filter drops suppressed findings and adds unused-suppression findings for
// directives without a reason, naming unknown checks, or silencing nothing
// among the checks that ran (enabled).
func (s *suppressions) filter(fs []Finding, enabled map[string]bool, cfg *Config) []Finding {
	out := fs[:0]
	for _, f := range fs {
		silenced := false
		for _, sup := range s.list {
			if id, ok := sup.matches(f); ok {
				sup.used[id] = true
				silenced = true
			}
		}
		if !silenced {
			out = append(out, f)
		}
	}
	if !enabled[UnusedSuppressionID] {
		return out
	}
	known := map[string]bool{}
	for _, c := range Registry() {
		known[c.Doc().ID] = true
	}
	report := func(sup *suppression, msg string) {
		out = append(out, fileFinding(unusedSuppressionDoc, s.path, sup.span, msg, cfg))
	}
	for _, sup := range s.list {
		directive := "huntlint:ignore"
		if sup.file {
			directive = "huntlint:ignore-file"
		}
		if len(sup.checks) == 0 {
			report(sup, fmt.Sprintf("%s names no check; write %s CHECK -- reason", directive, directive))
			continue
		}
		if sup.reason == "" {
			report(sup, fmt.Sprintf("%s %s has no reason; add one after \" -- \"", directive, strings.Join(sup.checks, ",")))
		}
		for _, id := range sup.checks {
			switch {
			case !known[id]:
				report(sup, fmt.Sprintf("%s names unknown check %q%s", directive, id, didYouMean(id, CheckIDs(Registry()))))
			case enabled[id] && !sup.used[id] && (s.loaded || id == LoadErrorID):
				var where string
				if sup.file {
					where = "in this file"
				} else if sup.line == sup.span.Start.Line {
					where = "on this line"
				} else {
					where = "on the next line"
				}
				report(sup, fmt.Sprintf("%s %s suppresses nothing: no %s finding %s; remove it", directive, id, id, where))
			}
		}
	}
	return out
}
