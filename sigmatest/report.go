package sigmatest

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Formats huntlint test writes.
var Formats = []string{"text", "json", "github"}

// Write writes rep in format (text, json or github). verbose lists passing
// rules and the equivalents used too (text only).
func Write(w io.Writer, rep *Report, format string, verbose bool) error {
	switch format {
	case "text":
		return writeText(w, rep, verbose)
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	case "github":
		return writeGitHub(w, rep)
	}
	return fmt.Errorf("invalid --format %q: use %s", format, strings.Join(Formats, ", "))
}

func ruleName(res *RuleResult) string {
	switch {
	case res.ID != "" && res.Title != "":
		return fmt.Sprintf("rule %s (%s)", res.ID, res.Title)
	case res.ID != "":
		return "rule " + res.ID
	case res.Title != "":
		return "rule " + res.Title
	}
	return "rule"
}

func writeText(w io.Writer, rep *Report, verbose bool) error {
	var b strings.Builder
	for i := range rep.Results {
		res := &rep.Results[i]
		if res.Status == StatusPass && !verbose {
			continue
		}
		word := strings.ToUpper(string(res.Status))
		switch {
		case res.Message != "":
			fmt.Fprintf(&b, "%s:%d: %s %s: %s\n", res.Path, res.Line, word, ruleName(res), res.Message)
		case len(res.Tests) == 1:
			t := res.Tests[0]
			fmt.Fprintf(&b, "%s:%d: %s %s: test %q: %s\n", res.Path, res.Line, word, ruleName(res), t.Name, t.Message)
		default:
			fmt.Fprintf(&b, "%s:%d: %s %s\n", res.Path, res.Line, word, ruleName(res))
			for _, t := range res.Tests {
				fmt.Fprintf(&b, "    %s test %q: %s\n", strings.ToUpper(string(t.Status)), t.Name, t.Message)
			}
		}
		if verbose {
			for _, e := range res.Equivalents {
				fmt.Fprintf(&b, "    equivalent: %s\n", e)
			}
		}
	}
	b.WriteString(rep.Summary.Line(rep.LogsourceMap))
	b.WriteString("\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// Line is the one-line summary of a run.
func (s Summary) Line(mapName string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s tested (%s, %s): %d passed, %d failed, %d %s",
		plural(s.Rules, "rule"), plural(s.Tests, "test"), plural(s.Events, "event"),
		s.Passed, s.Failed, s.Errors, pluralWord(s.Errors, "error"))
	if s.NotEvaluable > 0 {
		fmt.Fprintf(&b, " (%d not evaluable)", s.NotEvaluable)
	}
	if s.Equivalent > 0 {
		fmt.Fprintf(&b, "; %d evaluated through an equivalent", s.Equivalent)
	}
	if s.Untested > 0 {
		fmt.Fprintf(&b, "; %s without tests", plural(s.Untested, "rule"))
	}
	if mapName != "" {
		fmt.Fprintf(&b, "; logsource map: %s", mapName)
	}
	return b.String()
}

func pluralWord(n int, w string) string {
	if n == 1 {
		return w
	}
	return w + "s"
}

// writeGitHub writes GitHub Actions workflow commands in the style of
// huntlint lint's github format: an error for each failed test, a warning
// for each error, a notice for each rule not evaluable.
func writeGitHub(w io.Writer, rep *Report) error {
	var b strings.Builder
	for i := range rep.Results {
		res := &rep.Results[i]
		if res.Status == StatusPass {
			continue
		}
		cmd := "error"
		switch {
		case res.NotEvaluable != "":
			cmd = "notice"
		case res.Status == StatusError:
			cmd = "warning"
		}
		var msgs []string
		if res.Message != "" {
			msgs = append(msgs, ruleName(res)+": "+res.Message)
		} else {
			for _, t := range res.Tests {
				if t.Status != StatusPass {
					msgs = append(msgs, fmt.Sprintf("%s: test %q: %s", ruleName(res), t.Name, t.Message))
				}
			}
		}
		for _, m := range msgs {
			fmt.Fprintf(&b, "::%s file=%s,line=%d,title=%s::%s\n", cmd, ghProperty(res.Path), res.Line,
				ghProperty("[huntlint test]"), ghData(m))
		}
	}
	fmt.Fprintf(&b, "::notice title=%s::%s\n", ghProperty("huntlint test"), ghData(rep.Summary.Line(rep.LogsourceMap)))
	_, err := io.WriteString(w, b.String())
	return err
}

func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func ghProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
