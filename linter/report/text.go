package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/huntlint/huntlint/linter"
)

// Text prints one line per finding,
//
//	path:line:col: severity [check] message
//
// optionally followed by the source line and a caret under the reference,
// then a summary line.
type Text struct {
	opts Options
	// the source line last shown, decoded (see excerpt)
	lastKey   excerptKey
	lastRunes []rune
}

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
	ansiGreen  = "\x1b[32m"
	ansiGray   = "\x1b[90m"
)

func (t *Text) paint(color, s string) string {
	if !t.opts.Color {
		return s
	}
	return color + s + ansiReset
}

func severityColor(s linter.Severity) string {
	switch s {
	case linter.SeverityError:
		return ansiRed
	case linter.SeverityWarning:
		return ansiYellow
	}
	return ansiCyan
}

func (t *Text) Format(w io.Writer, rep *Input) error {
	res := rep.Result
	// Written as it goes; findings come by path, so the excerpts need the
	// lines of one file at a time.
	b := bufio.NewWriter(w)
	src, srcPath := sourceCache{}, ""
	for _, f := range res.Findings {
		if f.Path != srcPath {
			src, srcPath = sourceCache{}, f.Path
		}
		fix := ""
		if f.Fix != nil {
			switch f.Fix.Applicability {
			case linter.FixSafe:
				fix = " " + t.paint(ansiGreen, "[*]")
			case linter.FixUnsafe:
				fix = " " + t.paint(ansiGray, "[unsafe fix]")
			}
		}
		fmt.Fprintf(b, "%s:%d:%d: %s %s %s%s\n",
			t.paint(ansiBold, f.Path), f.Span.Start.Line, f.Span.Start.Column,
			t.paint(severityColor(f.Severity), f.Severity.String()),
			t.paint(ansiGray, "["+f.Check+"]"), f.Message, fix)
		if t.opts.ShowSource {
			t.excerpt(b, src, f)
		}
	}
	if t.opts.Statistics && len(res.Findings) > 0 {
		counts := checkCounts(res.Findings)
		fmt.Fprintln(b)
		for _, id := range sortedKeys(counts) {
			fmt.Fprintf(b, "%6d  %s\n", counts[id], id)
		}
	}
	if !t.opts.NoSummary {
		fmt.Fprintf(b, "%s\n", summaryLine(rep))
		if note := rep.OutdatedNote(); note != "" {
			fmt.Fprintf(b, "%s %s\n", t.paint(ansiBold, "note:"), note)
		}
	}
	return b.Flush()
}

// excerpt writes the finding's source line with a caret marker under its
// span, as compilers do.
func (t *Text) excerpt(b *bufio.Writer, src sourceCache, f linter.Finding) {
	line, ok := src.line(f, f.Span.Start.Line)
	if !ok {
		return
	}
	// Findings on one line come one after another: decode it once.
	key := excerptKey{f.Path, f.Span.Start.Line}
	if t.lastKey != key || t.lastRunes == nil {
		t.lastKey, t.lastRunes = key, []rune(line)
	}
	rs := t.lastRunes
	col := min(max(f.Span.Start.Column, 1), len(rs)+1)
	width := 1
	if f.Span.End.Line == f.Span.Start.Line && f.Span.End.Column > f.Span.Start.Column {
		width = f.Span.End.Column - f.Span.Start.Column
	}
	width = max(1, min(width, len(rs)-col+1))
	// A long line is shown as a window around the finding, so that output
	// grows with the findings, not with findings times line length.
	from, to := 0, len(rs)
	lead, tail := "", ""
	if len(rs) > maxExcerpt {
		from = max(0, col-1-maxExcerpt/3)
		to = min(len(rs), from+maxExcerpt)
		if from > 0 {
			lead = "…"
		}
		if to < len(rs) {
			tail = "…"
		}
		width = max(1, min(width, to-(col-1)))
	}
	var pad strings.Builder
	pad.WriteString(strings.Repeat(" ", len([]rune(lead))))
	for _, r := range rs[from : col-1] {
		if r == '\t' {
			pad.WriteRune('\t')
		} else {
			pad.WriteRune(' ')
		}
	}
	shown := line
	if from > 0 || to < len(rs) {
		shown = lead + string(rs[from:to]) + tail
	}
	gutter := fmt.Sprintf("%d", f.Span.Start.Line)
	fmt.Fprintf(b, " %s | %s\n", t.paint(ansiGray, gutter), shown)
	fmt.Fprintf(b, " %s | %s%s\n", strings.Repeat(" ", len(gutter)), pad.String(),
		t.paint(severityColor(f.Severity), "^"+strings.Repeat("~", width-1)))
}

// maxExcerpt is the most characters of a source line shown under a finding.
const maxExcerpt = 160

// excerptKey names a source line.
type excerptKey struct {
	path string
	line int
}

// summaryLine is the last line of text output: files, rules, findings by
// severity, fixable findings and the catalog release.
func summaryLine(rep *Input) string {
	res := rep.Result
	plural := func(n int, one, many string) string {
		if n == 1 {
			return fmt.Sprintf("%d %s", n, one)
		}
		return fmt.Sprintf("%d %s", n, many)
	}
	s := fmt.Sprintf("%s, %s: %s, %s, %s",
		plural(res.Files, "file", "files"), plural(res.Rules, "rule", "rules"),
		plural(res.Count(linter.SeverityError), "error", "errors"),
		plural(res.Count(linter.SeverityWarning), "warning", "warnings"),
		plural(res.Count(linter.SeverityInfo), "info", "infos"))
	safe, unsafe := fixable(res.Findings, linter.FixSafe), fixable(res.Findings, linter.FixUnsafe)
	switch {
	case safe > 0 && unsafe > 0:
		s += fmt.Sprintf("; %d fixable with huntlint fix (%d more with --unsafe-fixes)", safe, unsafe)
	case safe > 0:
		s += fmt.Sprintf("; %d fixable with huntlint fix", safe)
	case unsafe > 0:
		s += fmt.Sprintf("; %d fixable with huntlint fix --unsafe-fixes", unsafe)
	}
	if cat := releasesText(rep); cat != "" {
		s += " (" + cat + ")"
	}
	return s
}

// releasesText names the catalog releases of the active domains:
// "checked against ATT&CK 18.1".
func releasesText(rep *Input) string {
	if rep.Catalog == nil {
		return ""
	}
	return "checked against " + releaseDates(rep.Catalog)
}
